"""Where published fact-checks come from: files, folders and http(s) URLs of fact-check
pages, ClaimReview feeds and sitemaps, fetched with the loader's polite Fetcher.

``read_sources`` gives one ``Parsed`` per file or page read; a source that cannot be
read gives a problem line naming it and why, and the others are still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..ingest.fetch import Fetcher
from ..ingest.fetch_answer import Fetched, FetchProblem, gunzip_capped
from ..ingest.pages import kind_of, read_feed, read_sitemap
from ..ingest.urls import is_url
from .records import Parsed, read_bytes

SUFFIX_KINDS = {".json": "json", ".jsonld": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SUFFIX_KINDS |= {".html": "html", ".htm": "html"}
MAX_PAGES = 10_000  # pages followed from the feeds and sitemaps given, in all
MAX_SITEMAPS = 50  # child sitemaps followed from a sitemap index, in all
FETCH_THREADS = 4  # the Fetcher keeps each host to its own limit


@dataclass
class SourceRead:
    """What one source gave: its fact-checks and problems; ``failed`` when it gave nothing."""

    source: str
    parsed: Parsed
    failed: bool = False


def _failed(source: str, reason: str) -> SourceRead:
    return SourceRead(source, Parsed(problems=[f"{source}: {reason}"]), failed=True)


def read_sources(
    paths: list[str],
    fetcher: Fetcher | None = None,
    progress: Callable[[int], None] = lambda done: None,
    limit: int | None = None,
) -> Iterator[SourceRead]:
    """Every source named in ``paths`` read, files first then URLs (with ``fetcher``; at most
    ``limit`` pages from each feed or sitemap)."""
    for path in (p for p in paths if not is_url(p)):
        yield from _read_path(Path(path))
        progress(1)
    urls = [p for p in paths if is_url(p)]
    if urls:
        yield from _WebReader(fetcher or Fetcher(), progress, limit).read(urls)


def _read_path(path: Path) -> Iterator[SourceRead]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIX_KINDS)
        if not files:
            yield _failed(str(path), f"no fact-check files in the folder ({', '.join(SUFFIX_KINDS)})")
        for file in files:
            yield from _read_path(file)
        return
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    if not path.exists():
        yield _failed(str(path), "no such file")
    elif kind is None:
        yield _failed(str(path), f"not a fact-check file (expected {', '.join(SUFFIX_KINDS)})")
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            yield _failed(str(path), f"cannot read it ({error.strerror})")
            return
        parsed = read_bytes(data, str(path), kind)
        yield SourceRead(str(path), parsed, failed=not parsed.factchecks and bool(parsed.problems))


class _WebReader:
    """Pages, feeds and sitemaps walked breadth first: a listing adds its pages."""

    def __init__(self, fetcher: Fetcher, progress: Callable[[int], None], limit: int | None):
        self.fetcher = fetcher
        self.limit = limit
        self.progress = progress
        self.seen: set[str] = set()
        self.pages = 0
        self.sitemaps = 0

    def read(self, urls: list[str]) -> Iterator[SourceRead]:
        with ThreadPoolExecutor(FETCH_THREADS) as pool:
            while urls:
                todo = [url for url in dict.fromkeys(urls) if url not in self.seen]
                self.seen.update(todo)
                urls = []
                for url, answer in zip(todo, pool.map(self._fetch, todo)):
                    self.progress(1)
                    if isinstance(answer, FetchProblem):
                        yield _failed(url, str(answer))
                        continue
                    read, listed = self._read(url, answer)
                    if read:
                        yield read
                    urls += listed

    def _fetch(self, url: str) -> Fetched | FetchProblem:
        try:
            answer = self.fetcher.get(url)
            if answer.body[:2] == b"\x1f\x8b":  # a sitemap.xml.gz is a gzip file
                answer.body = gunzip_capped(answer.body, self.fetcher.options.max_bytes)
            return answer
        except FetchProblem as problem:
            return problem

    def _read(self, url: str, answer: Fetched) -> tuple[SourceRead | None, list[str]]:
        """What the page gave, and the URLs a feed or sitemap lists."""
        body = answer.body
        if "json" in answer.content_type or body.lstrip()[:1] in (b"{", b"["):
            parsed = read_bytes(body, url, "json")
            return SourceRead(url, parsed, failed=not parsed.factchecks), []
        kind = kind_of(answer.content_type, body)
        if kind == "html":
            parsed = read_bytes(body, url, "html")
            return SourceRead(url, parsed, failed=not parsed.factchecks), []
        if kind == "feed":
            listing = read_feed(body, answer.url)
            if isinstance(listing, str):
                return _failed(url, listing), []
            return None, self._pages([entry.url for entry in listing])
        if kind == "sitemap":
            sitemap = read_sitemap(body)
            if isinstance(sitemap, str):
                return _failed(url, sitemap), []
            children = sitemap.sitemaps[: max(0, MAX_SITEMAPS - self.sitemaps)]
            self.sitemaps += len(children)
            return None, self._pages([page.url for page in sitemap.pages]) + children
        return _failed(url, f"not a fact-check page, ClaimReview JSON, feed or sitemap ({answer.content_type})"), []

    def _pages(self, urls: list[str]) -> list[str]:
        taken = urls[: min(self.limit or MAX_PAGES, max(0, MAX_PAGES - self.pages))]
        self.pages += len(taken)
        return taken
