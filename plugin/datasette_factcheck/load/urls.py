"""Loading from the web: the crawl of ``ingest.urls`` handed to the loader, its log saved after."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..ingest.fetch import Fetcher
from ..ingest.urls import BATCH, Crawl, FetchLog, WebProgress
from ..records import Article, LoadSummary, Sourced
from .run import Loader


def load_urls(
    loader: Loader, urls: list[str], fetcher: Fetcher, limit: int | None = None, summary: LoadSummary | None = None,
    progress: WebProgress | None = None, watch: Callable[[Article], None] | None = None,
) -> tuple[LoadSummary, Crawl]:  # fmt: skip
    """Fetch ``urls`` (pages, feeds, sitemaps) and load the articles they lead to into the
    loader's database; the summary, and the crawl with an ``Outcome`` per URL. ``watch`` sees
    each article before the loader does (while the database still holds what it replaces)."""
    progress = progress or WebProgress()
    walk = Crawl(fetcher, FetchLog(loader.db), limit, progress)
    items = walk.items(urls) if watch is None else _watched(walk.items(urls), watch)
    summary = loader.load_items(items, summary, progress=lambda chars: progress.advance(1), batch=BATCH)
    walk.save_log(summary)
    return summary, walk


def _watched(items: Iterator[Sourced], watch: Callable[[Article], None]) -> Iterator[Sourced]:
    for item in items:
        if isinstance(item[1], Article):
            watch(item[1])
        yield item
