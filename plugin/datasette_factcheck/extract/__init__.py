"""Extract: an article's text split into sentences, claims found and annotated, repeats clustered.

Rule: pure functions over text; imports ingest/ at most for records, never score/, store/ or above.
"""
