"""Load articles into a factcheck database: read, extract, cluster, write.

Idempotent and review-safe: an article whose content hash is unchanged is not
touched; an edited one is updated in place, its claims that survive keep their
ids and review fields, and those that vanished are marked ``superseded_at``,
never deleted. Each batch of articles is one transaction and each article a
savepoint within it, so a failure or a kill leaves no half-written article.

Large inputs are extracted in worker processes (``load_workers``) while the
main process writes the previous batch; small ones (a single batch) run
inline. Each ``Loader.load`` is self-contained: its own summary, its own
duplicate-id check and its own worker pool.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from pluggy import HookRelay

from ..errors import LoadError
from ..extract.claims import claim_id
from ..extract.signature import Signature
from ..ingest.read import discover, file_size, read_articles
from ..records import Article, LoadProblem, LoadSummary, LoadWarning, Sourced
from ..score.scoring import MODELS_TABLE, Scoring, built_in_scoring, scoring_for
from ..score.stored_model import DamagedModel
from ..store import clusters as cluster_store
from ..store import foreign_triggers
from ..store.rows import ClaimRow, ClaimValues, ExtractedArticle
from ..store.schema import drop_queue_indexes, finish_large_load, migrate
from ..store.sql import IN_MANY, many
from ..store.write import BatchWriter
from .extraction import extract_article
from .workers import HookSource, check_worker_hooks, choose_start_method, run_in_worker, worker_pool

BATCH_ARTICLES = 500
# A load this much larger than what is stored drops the queue-order indexes
# and builds them once at the end: about 25% faster, and more with size.
DEFER_INDEXES_MIN_SENTENCES = 50_000
BYTES_PER_SENTENCE = 150  # news prose, for estimating an input's size in sentences
BATCHES_IN_FLIGHT = 3  # bounds memory: extraction runs at most this far ahead of writing
LOAD_CACHE_KIB = 256 * 1024  # SQLite page cache while loading; pages are only taken as needed

Progress = Callable[[int], None]  # called with the number of body characters just handled


def content_hash(article: Article) -> str:
    fields = [article.title, article.outlet, article.author, article.published, article.url, article.body]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


Extraction = tuple[list[ClaimValues], dict[str, Signature]]  # an article's claim rows and their signatures


def claim_rows(article: Article, hook: HookRelay, scoring: Scoring | None = None) -> Extraction:
    """Plain tuples and hashes rather than Claim objects: this crosses a process
    boundary, and what crosses is unpickled by the one writer."""
    rows, signatures = [], {}
    for position, claim in enumerate(extract_article(article, hook, scoring)):
        cid = claim_id(article.id, claim.text)
        rows.append(ClaimRow.values_of(claim, cid, article.id, position))
        signatures[cid] = Signature.of(claim.text)
    return rows, signatures


@dataclass
class _PendingBatch:
    """A batch's new and edited articles, (article, digest, is_update, file), and
    their extraction under way; the articles themselves never travel back."""

    changed: list[tuple[Article, str, bool, str]]
    extraction: Future  # of list[Extraction], in the order of ``changed``

    def result(self) -> list[ExtractedArticle]:
        extracted = zip(self.changed, self.extraction.result(), strict=True)
        return [
            ExtractedArticle(article, digest, rows, signatures, is_update, file)
            for (article, digest, is_update, file), (rows, signatures) in extracted
        ]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run Python's cycle collector less often while loading.

    A load makes millions of short-lived objects (sets, tuples, rows), none of
    them in reference cycles, and by default the collector re-scans them every
    700 allocations: that was a third of the time spent unpickling what the
    workers send. Plain reference counting still frees everything at once;
    forked workers inherit the setting.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


_NOTHING = object()


def _with_lookahead(items: Iterator) -> Iterator[tuple]:
    """(item, whether another item follows) for each item."""
    previous = next(items, _NOTHING)
    for item in items:
        yield previous, True
        previous = item
    if previous is not _NOTHING:
        yield previous, False


def _done(value) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


class Loader:
    """Loads files into one database; ``load`` may be called repeatedly, each call on its own.

    ``hook``: the extraction hooks, as a ``HookSource`` (names a spawned worker
    can import) or a hook relay (then workers must be forked); default: the
    built-in extractor and scorer. ``start_method``: how worker processes
    start (see ``load_workers.choose_start_method``).
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        hook: HookRelay | HookSource | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
        start_method: str | None = None,
    ):
        self.db = db
        source = hook if hook is not None else HookSource()
        self.hook = source.relay() if isinstance(source, HookSource) else source
        self.progress = progress or (lambda done: None)
        self.workers = workers if workers is not None else default_workers()
        self.start_method = choose_start_method(start_method)
        # Forked workers inherit this process's relay, plugins registered at run time included.
        self.worker_hooks = self.hook if self.start_method == "fork" else source
        if self.workers > 1:
            check_worker_hooks(self.start_method, self.worker_hooks)  # fail now, not mid-load
        migrate(db)
        foreign_triggers.check(db.conn)  # before any write: a foreign trigger could make it endless
        # The database's own model when it has one (datasette factcheck train); a damaged
        # one does not stop a load: the shipped model scores it, and the summary says so.
        self.model_notice: str | None = None
        try:
            self.scoring = scoring_for(db.conn, self.hook)
        except DamagedModel as damaged:
            self.scoring = built_in_scoring()
            self.model_notice = f"{damaged}; this load scored with the shipped model"

    def load(self, paths: Iterable[str | Path], summary: LoadSummary | None = None) -> LoadSummary:
        """Load the article files at ``paths`` (files or folders), counted in ``summary``."""
        files, problems = discover(list(paths))
        summary = summary if summary is not None else LoadSummary()
        for problem in problems:
            if isinstance(problem, LoadWarning):  # a note (a link out of the folder skipped), not a failure
                summary.warnings.append(problem)
            else:
                summary.refuse(problem.source, problem)
        return self.load_items(_file_items(files), summary, size=sum(map(file_size, files)))

    def load_items(
        self,
        items: Iterable[Sourced],
        summary: LoadSummary | None = None,
        progress: Progress | None = None,
        size: int = 0,
        batch: int | None = None,
    ) -> LoadSummary:
        """Load articles from any source (files, the web, a form), counted in ``summary``
        (a new one if None) and reported to ``progress`` (default: the loader's).
        ``size``: the input's bytes if known, to decide whether to defer the queue indexes.
        ``batch``: articles per transaction (default BATCH_ARTICLES); smaller for inputs
        that arrive slowly, so what has arrived is saved as it goes."""
        summary = summary if summary is not None else LoadSummary()
        if self.model_notice and not any(w.reason == self.model_notice for w in summary.warnings):
            summary.warnings.append(LoadWarning(MODELS_TABLE, self.model_notice))
        deferring = self._worth_deferring_indexes(size)
        # A large load also counts and marks the clusters it touched once, at the end.
        touched: set[str] | None = set() if deferring else None
        run = _Load(self, summary, progress or self.progress, batch or BATCH_ARTICLES, touched)
        if deferring:
            drop_queue_indexes(self.db)
            cluster_store.defer_refresh(self.db.conn)
        try:
            with _fewer_collections():
                run.load_items(iter(items))
        finally:
            if touched is not None:
                finish_large_load(self.db, touched)  # and should this be killed first, migrate() does it
        return run.summary

    def _worth_deferring_indexes(self, size: int) -> bool:
        sentences = size // BYTES_PER_SENTENCE
        (stored,) = self.db.execute("SELECT coalesce(sum(n), 0) FROM claim_counts").fetchone()
        return sentences >= max(DEFER_INDEXES_MIN_SENTENCES, stored)


def default_workers() -> int:
    """Extraction processes when none are asked for. Two at most: with a core each, two
    already extract faster than the one writer writes (bench/load.py prints each side's
    CPU per sentence)."""
    return min(2, os.cpu_count() or 1)


def _file_items(files: list[Path]) -> Iterator[Sourced]:
    for path in files:
        for item in read_articles(path):
            yield str(path), item


class _Load:
    """One call of ``Loader.load_items``: what it counts, the ids it has read, its workers."""

    def __init__(self, loader: Loader, summary: LoadSummary, progress: Progress, batch: int, touched: set[str] | None):
        self.loader = loader
        self.touched = touched  # see BatchWriter
        self.db = loader.db
        self.summary = summary
        self.progress = progress
        self.batch = batch
        self.origins: dict[str, tuple[str, str]] = {}  # article id -> (source, input) where first read
        self.pool: ProcessPoolExecutor | None = None

    def load_items(self, items: Iterator[Sourced]) -> None:
        in_flight: deque[_PendingBatch] = deque()
        try:
            # A load of one batch runs inline: starting workers would cost more than they save.
            for number, (batch, more_follow) in enumerate(_with_lookahead(self._batches(items))):
                in_flight.append(self._submit(batch, parallel=number > 0 or more_follow))
                while len(in_flight) > (BATCHES_IN_FLIGHT if self.pool else 0):
                    self._write(in_flight.popleft().result())
            while in_flight:
                self._write(in_flight.popleft().result())
        except BrokenProcessPool as error:  # a worker was killed: by the OOM killer, say
            raise LoadError(
                "an extraction worker process stopped unexpectedly (out of memory?); "
                "the articles written before it are saved: run the load again"
            ) from error
        finally:
            if self.pool:
                self.pool.shutdown(cancel_futures=True)

    def _batches(self, items: Iterator[Sourced]) -> Iterator[list[Article]]:
        batch: list[Article] = []
        for article in self._articles(items):
            batch.append(article)
            if len(batch) >= self.batch:
                yield batch
                batch = []
        if batch:
            yield batch

    def _articles(self, items: Iterator[Sourced]) -> Iterator[Article]:
        for file, item in items:
            if isinstance(item, LoadWarning):
                self.summary.warnings.append(item)
            elif isinstance(item, LoadProblem):
                self.summary.refuse(file, item)
            elif item.id in self.origins:
                self.summary.refuse(
                    file,
                    LoadProblem(
                        item.source, f"duplicate id {item.id!r} (already read from {self.origins[item.id][0]}); skipped"
                    ),
                )
            else:
                self.origins[item.id] = (item.source, file)
                yield item

    def _submit(self, articles: list[Article], parallel: bool) -> _PendingBatch:
        """Start extracting the batch's new and edited articles."""
        stored = self._stored_hashes([a.id for a in articles])
        changed = []
        for article in articles:
            digest, file = content_hash(article), self.origins[article.id][1]
            if stored.get(article.id) == digest:
                self.summary.articles_unchanged += 1
                self.summary.loaded_files.add(file)
                self.progress(len(article.body))
            else:
                changed.append((article, digest, article.id in stored, file))
        articles = [article for article, *_ in changed]
        if parallel and self.loader.workers > 1 and changed:
            return _PendingBatch(changed, self._worker_pool().submit(run_in_worker, claim_rows, articles))
        scoring = self.loader.scoring
        return _PendingBatch(changed, _done([claim_rows(article, self.loader.hook, scoring) for article in articles]))

    def _worker_pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            loader = self.loader
            self.pool = worker_pool(loader.workers, loader.start_method, loader.worker_hooks, loader.scoring)
        return self.pool

    def _stored_hashes(self, ids: list[str]) -> dict[str, str]:
        sql = f"SELECT id, content_hash FROM articles WHERE id {IN_MANY}"
        return dict(self.db.execute(sql, [many(ids)]).fetchall())

    def _write(self, extracted: list[ExtractedArticle]) -> None:
        if extracted:
            BatchWriter(self.db, self.summary, self.touched).write(extracted)
        for item in extracted:
            self.progress(len(item.article.body))


@contextmanager
def loading_database(db_path: str | Path) -> Iterator[sqlite_utils.Database]:
    """The database file at ``db_path`` (created if missing) set up for a load, closed after."""
    db = sqlite_utils.Database(db_path)
    try:
        db.enable_wal()
        # This connection only: claims go in at random places of the id and
        # cluster indexes, and with SQLite's default 2 MB cache most of those
        # pages are read back from the OS for every row (a third of an insert).
        db.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        yield db
        # Fresh statistics, so the planner walks the right index at any size;
        # the limit keeps this to a fraction of a second at a million claims.
        db.execute("PRAGMA analysis_limit = 1000")
        db.execute("PRAGMA optimize")
    finally:
        db.close()


def load_paths(
    db_path: str | Path,
    paths: Iterable[str | Path],
    hook: HookRelay | HookSource | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    start_method: str | None = None,
) -> LoadSummary:
    """Load ``paths`` into the database file at ``db_path`` (created if missing); ``Loader``
    explains the options."""
    with loading_database(db_path) as db:
        return Loader(db, hook=hook, progress=progress, workers=workers, start_method=start_method).load(paths)
