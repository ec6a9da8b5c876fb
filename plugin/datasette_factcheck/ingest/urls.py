"""From URLs to articles: pages, feeds and sitemaps walked politely, for the loader.

``Crawl.items`` turns the URLs given into what the loader reads from files: ``Article``s
and one-line ``LoadProblem``s, each with the input it counts against (the URL of the page).
A feed or sitemap brings in each article it lists (``limit`` caps how many). Pages are
fetched by ``fetch.Fetcher`` in a few threads, so several hosts are asked at once while
each host's limits hold, and handed on in a fixed order whatever order they arrive in.

What was fetched is remembered in the ``_factcheck_fetches`` table (``FetchLog``): a
re-poll sends conditional requests, and a feed entry already loaded and not updated since
is not asked for at all. A 304, or an entry skipped, gives the stored article back to the
loader, which counts it unchanged. The log is written only for what loaded, after the
load, so a failed or killed load fetches again rather than skipping what it never stored.

No Datasette, no click.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import sqlite_utils

from .. import clock
from ..links import safe_url
from ..records import ARTICLE_FIELDS, Article, LoadProblem, LoadSummary, LoadWarning, Sourced
from .fetch import Fetcher
from .fetch_answer import Fetched, FetchProblem, Validators, gunzip_capped
from .pages import Listed, article_from_html, kind_of, normalise_url, read_feed, read_sitemap

FETCH_THREADS = 8  # hosts asked at once; each host's own limit is FetchOptions.per_host
AHEAD = 32  # pages fetched ahead of the loader: bounds memory, keeps the threads busy
BATCH = 20  # articles per transaction: pages arrive slowly, and each batch is saved as it comes
MAX_SITEMAPS = 50  # child sitemaps followed from the sitemaps given, in all
FETCH_LOG = "_factcheck_fetches"

_STORED = (*ARTICLE_FIELDS, "source")  # the hashed fields, and source
_WANTED = {"any": "an HTML page, a feed or a sitemap", "page": "an HTML page", "sitemap": "a sitemap"}
_KINDS = {"html": "an HTML page", "feed": "a feed", "sitemap": "a sitemap"}


def is_url(value: str) -> bool:
    """Whether a command-line input is a web address rather than a path."""
    return value.strip().lower().startswith(("http://", "https://"))


class WebProgress:
    """Progress in steps: each page is two (fetched, then loaded); listings add theirs as
    they are read. Subclass or pass callbacks; the default does nothing."""

    def __init__(self, grow: Callable[[int], None] | None = None, advance: Callable[[int], None] | None = None):
        self.grow = grow or (lambda steps: None)
        self.advance = advance or (lambda steps: None)


# --- what was fetched before ------------------------------------------------------------------


@dataclass(frozen=True)
class Remembered:
    validators: Validators
    fetched_at: str
    article_id: str | None  # None for a feed or sitemap


@dataclass(frozen=True)
class _LogRow:
    url: str
    validators: Validators
    article_id: str | None
    inputs: frozenset[str]  # written only if none of these failed


class FetchLog:
    """The ``_factcheck_fetches`` table: what each URL answered last time it was fetched."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def remembered(self, url: str) -> Remembered | None:
        row = self.db.execute(
            f"SELECT etag, last_modified, fetched_at, article_id FROM {FETCH_LOG} WHERE url = ?", [url]
        ).fetchone()
        return Remembered(Validators(row[0], row[1]), row[2], row[3]) if row else None

    def stored_article(self, article_id: str) -> Article | None:
        """The article as stored: given to the loader, it counts as unchanged."""
        row = self.db.execute(f"SELECT {', '.join(_STORED)} FROM articles WHERE id = ?", [article_id]).fetchone()
        return Article(**dict(zip(_STORED, row, strict=True))) if row else None

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def save(self, rows: list[_LogRow], fetched_at: str) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                f"INSERT INTO {FETCH_LOG} (url, etag, last_modified, fetched_at, article_id) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "fetched_at = excluded.fetched_at, article_id = excluded.article_id",
                [(r.url, r.validators.etag, r.validators.last_modified, fetched_at, r.article_id) for r in rows],
            )


# --- the walk -------------------------------------------------------------------------------


@dataclass
class _Budget:
    """How many more articles a feed or sitemap given may bring in (None: no cap)."""

    left: int | None

    def take(self, items: list) -> list:
        if self.left is None:
            return items
        taken = items[: self.left]
        self.left -= len(taken)
        return taken


@dataclass
class _Task:
    url: str
    given: str  # the URL given that led here
    expect: str = "any"  # "any" (a URL given), "page" (listed by a feed or sitemap), "sitemap" (by an index)
    listed: Listed | None = None
    listed_by: str | None = None
    budget: _Budget | None = None
    validators: Validators | None = None


@dataclass
class Outcome:
    """What one URL given led to, for a one-line result per URL."""

    url: str
    kind: str | None = None  # "article", "feed" or "sitemap"
    not_modified: bool = False
    article_ids: list[str] = field(default_factory=list)


class Crawl:
    """One load's walk from the URLs given to the articles they lead to."""

    def __init__(self, fetcher: Fetcher, log: FetchLog, limit: int | None = None, progress: WebProgress | None = None):
        self.fetcher = fetcher
        self.log = log
        self.limit = limit
        self.progress = progress or WebProgress()
        self.outcomes: dict[str, Outcome] = {}
        self._rows: list[_LogRow] = []
        self._queue: deque[_Task] = deque()
        self._seen_urls: set[str] = set()
        self._seen_ids: set[str] = set()
        self._sitemaps = 0

    def items(self, urls: list[str]) -> Iterator[Sourced]:
        """The articles and problems the URLs lead to, in a fixed order."""
        self.progress.grow(2 * len(urls))
        for url in urls:
            self.outcomes.setdefault(url, Outcome(url))
            self._queue.append(_Task(url, given=url))
        with ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="fetch") as pool:
            in_flight: deque[tuple[_Task, Future]] = deque()
            try:
                while self._queue or in_flight:
                    while self._queue and len(in_flight) < AHEAD:
                        task = self._queue.popleft()
                        yield from self._start(task, pool, in_flight)
                    if in_flight:
                        task, future = in_flight.popleft()
                        yield from self._handle(task, future.result())
            finally:
                for _, future in in_flight:
                    future.cancel()

    def save_log(self, summary: LoadSummary) -> None:
        """Remember the validators of what loaded (after the load, so nothing unsaved is skipped)."""
        now = clock.now_iso()
        self.log.save([row for row in self._rows if not row.inputs & summary.failed_paths], now)

    # --- one task -----------------------------------------------------------------------

    def _start(self, task: _Task, pool: ThreadPoolExecutor, in_flight: deque) -> Iterator[Sourced]:
        """Submit a fetch, or settle the task at once: not an http(s) URL, a duplicate, or
        an entry already loaded and not updated since."""
        url = safe_url(task.url)
        if url is None:
            self.progress.advance(2)
            yield task.url, LoadProblem(task.url, "not an http(s) URL")
            return
        if normalise_url(url) in self._seen_urls:  # listed twice: by a feed and a sitemap, say
            self.progress.advance(2)
            return
        self._seen_urls.add(normalise_url(url))
        remembered = self.log.remembered(url)
        stored = self._stored_if_current(task, remembered)
        if stored is not None:
            self.progress.advance(1)
            yield from self._article(task, stored)
            return
        if remembered and (remembered.article_id is None or self.log.has_article(remembered.article_id)):
            task.validators = remembered.validators
        in_flight.append((task, pool.submit(self._fetch, task)))

    def _stored_if_current(self, task: _Task, remembered: Remembered | None) -> Article | None:
        """A listed entry loaded before and not updated since (as its listing says)."""
        if task.expect != "page" or remembered is None or remembered.article_id is None:
            return None
        updated = task.listed.updated if task.listed else None
        if updated is not None and updated > remembered.fetched_at:
            return None
        return self.log.stored_article(remembered.article_id)

    def _fetch(self, task: _Task) -> Fetched | FetchProblem:
        """In a fetch thread: the answer, or the problem (raised problems stay in this thread)."""
        try:
            answer = self.fetcher.get(task.url, task.validators)
            if answer.body[:2] == b"\x1f\x8b":  # a sitemap.xml.gz is a gzip file, not gzip-encoded
                answer.body = gunzip_capped(answer.body, self.fetcher.options.max_bytes)
            return answer
        except FetchProblem as problem:
            return problem
        except Exception as error:  # noqa: BLE001 - a bug here must be one URL's line, not the load's end
            return FetchProblem(f"could not be fetched ({type(error).__name__}: {error})")

    def _handle(self, task: _Task, answer: Fetched | FetchProblem) -> Iterator[Sourced]:
        if isinstance(answer, FetchProblem):
            yield from self._problem(task, str(answer))
        elif answer.not_modified:
            yield from self._not_modified(task, answer)
        else:
            yield from self._read(task, answer, kind_of(answer.content_type, answer.body))

    def _problem(self, task: _Task, reason: str) -> Iterator[Sourced]:
        self.progress.advance(2)
        where = f" (listed in {task.listed_by})" if task.listed_by else ""
        yield task.url, LoadProblem(task.url, reason + where)

    def _not_modified(self, task: _Task, answer: Fetched) -> Iterator[Sourced]:
        remembered = self.log.remembered(task.url)
        self._remember(task, answer.validators, remembered.article_id if remembered else None)
        if task.url in self.outcomes:
            self.outcomes[task.url].not_modified = True
        stored = self.log.stored_article(remembered.article_id) if remembered and remembered.article_id else None
        if stored is None:  # a feed or sitemap: nothing new in it
            self.progress.advance(2)
            return
        self.progress.advance(1)
        yield from self._article(task, stored)

    def _read(self, task: _Task, answer: Fetched, kind: str | None) -> Iterator[Sourced]:
        expected = {"page": ("html",), "sitemap": ("sitemap",)}.get(task.expect, ("html", "feed", "sitemap"))
        if kind not in expected:
            what = _KINDS.get(kind or "") or answer.content_type or "of no stated type"
            yield from self._problem(task, f"not {_WANTED[task.expect]} (it is {what})")
        elif kind == "html":
            yield from self._page(task, answer)
        else:
            yield from self._listing(task, answer, kind)

    def _page(self, task: _Task, answer: Fetched) -> Iterator[Sourced]:
        item = article_from_html(answer.body, source=task.url, fetched_url=answer.url, listed=task.listed)
        if isinstance(item, LoadProblem):
            yield from self._problem(task, item.reason)
            return
        self.progress.advance(1)
        self._remember(task, answer.validators, item.id)
        yield from self._article(task, item)

    def _article(self, task: _Task, article: Article) -> Iterator[Sourced]:
        """Hand an article to the loader, once: two URLs may lead to one canonical page."""
        outcome = self.outcomes.get(task.given)
        if outcome is not None:
            outcome.kind = outcome.kind or "article"
            outcome.article_ids.append(article.id)
        if article.id in self._seen_ids:
            self.progress.advance(1)
            return
        self._seen_ids.add(article.id)
        yield task.url, article

    def _listing(self, task: _Task, answer: Fetched, kind: str) -> Iterator[Sourced]:
        listing = read_feed(answer.body, answer.url) if kind == "feed" else read_sitemap(answer.body)
        if isinstance(listing, str):
            yield from self._problem(task, listing)
            return
        if task.url in self.outcomes:
            self.outcomes[task.url].kind = kind
        budget = task.budget or _Budget(self.limit)
        pages = budget.take(listing if kind == "feed" else listing.pages)
        children = [] if kind == "feed" else self._child_sitemaps(listing.sitemaps)
        self.progress.grow(2 * (len(pages) + len(children)))
        self.progress.advance(2)
        self._remember(task, answer.validators, None, inputs={page.url for page in pages})
        self._queue.extendleft(reversed(
            [_Task(page.url, task.given, "page", page, task.url, budget) for page in pages]
            + [_Task(url, task.given, "sitemap", None, task.url, budget) for url in children]
        ))  # fmt: skip
        if not pages and not children:
            yield task.url, LoadWarning(task.url, f"the {kind} lists no articles")

    def _child_sitemaps(self, urls: list[str]) -> list[str]:
        taken = urls[: max(0, MAX_SITEMAPS - self._sitemaps)]
        self._sitemaps += len(taken)
        return taken

    def _remember(self, task: _Task, validators: Validators, article_id: str | None,
                  inputs: set[str] | None = None) -> None:  # fmt: skip
        self._rows.append(_LogRow(task.url, validators, article_id, frozenset({task.url, *(inputs or ())})))
