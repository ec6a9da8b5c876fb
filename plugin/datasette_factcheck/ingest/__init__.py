"""Ingest: files, folders, web pages, feeds and sitemaps in, ``records.Article`` out.

Rule: reads and fetches only (polite, guarded); imports the standard library, trafilatura,
feedparser and the top-level shared modules; never extract/, score/, store/ or anything above.
"""
