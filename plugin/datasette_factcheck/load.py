"""Load articles into a factcheck database: read, extract, cluster, write.

Idempotent and review-safe: an article whose content hash is unchanged is not
touched; an edited one is updated in place, its claims that survive keep their
ids and review fields, and those that vanished are marked ``superseded_at``,
never deleted. Each batch of articles is one transaction and each article a
savepoint within it, so a failure or a kill leaves no half-written article.

Large inputs are extracted in worker processes while the main process writes
the previous batch; small ones (a single batch) run inline.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import sqlite3
from collections import deque
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import sqlite_utils
from pluggy import HookRelay

from . import counts
from .cluster import MAX_CANDIDATES_PER_KEY, Signature, StoredCandidates, assign_clusters
from .extract import Claim, annotate_claims, claim_id, normalise_text
from .ingest import discover, read_articles
from .plugins import standalone_plugin_manager
from .records import Article, LoadProblem
from .schema import drop_queue_indexes, ensure_queue_indexes, index_new_rows, migrate
from .writers import writing_as

BATCH_ARTICLES = 500
# A load this much larger than what is stored drops the queue-order indexes
# and builds them once at the end: about 25% faster, and more with size.
DEFER_INDEXES_MIN_SENTENCES = 50_000
BYTES_PER_SENTENCE = 150  # news prose, for estimating an input's size in sentences
BATCHES_IN_FLIGHT = 3  # bounds memory: extraction runs at most this far ahead of writing
LOAD_CACHE_KIB = 256 * 1024  # SQLite page cache while loading; pages are only taken as needed
SQL_VARIABLES = 900  # stay under SQLite's bound-parameter limit on old builds

Progress = Callable[[int], None]  # called with the number of body characters just handled


@dataclass
class LoadSummary:
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    claims_new: int = 0
    claims_kept: int = 0
    claims_superseded: int = 0
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def files_failed(self) -> int:
        return len({problem.source.split(":")[0] for problem in self.problems})

    def __str__(self) -> str:
        return (
            f"articles: {self.articles_new} new, {self.articles_updated} updated, "
            f"{self.articles_unchanged} unchanged; claims: {self.claims_new} new, "
            f"{self.claims_kept} kept, {self.claims_superseded} superseded; "
            f"files failed: {self.files_failed}"
        )


def content_hash(article: Article) -> str:
    fields = [article.title, article.outlet, article.author, article.published, article.url, article.body]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


def extract_article(article: Article, hook: HookRelay) -> list[Claim]:
    """Run the extraction hooks: extract, add extras, annotate, score."""
    claims = list(hook.factcheck_extract_claims(article=article) or [])
    for extra in hook.factcheck_extra_claims(article=article, claims=list(claims)):
        claims.extend(extra or [])
    claims = _dedupe(claims)
    annotate_claims(article, claims)
    for claim in claims:
        score, reasons = hook.factcheck_score_claim(claim=claim, article=article)
        claim.checkworthiness, claim.reasons = min(max(float(score), 0.0), 1.0), list(reasons)
    return claims


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen: set[str] = set()
    unique = []
    for claim in claims:
        key = normalise_text(claim.text)
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique


Extraction = tuple[list[tuple], dict[str, Signature]]  # an article's claim rows and their signatures


@dataclass
class ExtractedArticle:
    """An article's claims as rows ready to write, with their signatures."""

    article: Article
    digest: str
    rows: list[tuple]  # (id, text, context, kind, claimant, sourcing, figures, score, reasons)
    signatures: dict[str, Signature]
    is_update: bool  # an earlier version of the article is stored


def _extracted(article: Article, hook: HookRelay) -> Extraction:
    """Plain tuples and hashes rather than Claim objects: this crosses a
    process boundary, and what crosses is unpickled by the one writer."""
    rows, signatures = [], {}
    for claim in extract_article(article, hook):
        cid = claim_id(article.id, claim.text)
        rows.append((cid, claim.text, claim.context, claim.kind, claim.claimant, claim.sourcing,
                     json.dumps(claim.figures or []), claim.checkworthiness, json.dumps(claim.reasons or [])))
        signatures[cid] = Signature.of(claim.text)
    return rows, signatures


_worker_hook = None  # set before the pool forks, so workers use the same plugins


def _extract_batch(articles: list[Article]) -> list[Extraction]:
    return [_extracted(article, _worker_hook) for article in articles]


@dataclass
class _PendingBatch:
    """A batch's new and edited articles, (article, digest, is_update), and
    their extraction under way; the articles themselves never travel back."""

    changed: list[tuple[Article, str, bool]]
    extraction: Future  # of list[Extraction], in the order of ``changed``

    def result(self) -> list[ExtractedArticle]:
        return [
            ExtractedArticle(article, digest, rows, signatures, is_update)
            for (article, digest, is_update), (rows, signatures) in zip(self.changed, self.extraction.result())
        ]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run Python's cycle collector less often while loading.

    A load makes millions of short-lived objects (sets, tuples, rows), none of
    them in reference cycles, and by default the collector re-scans them every
    700 allocations: that was a third of the time spent unpickling what the
    workers send. Plain reference counting still frees everything at once;
    the workers, forked inside, inherit the setting.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _chunks(items: Sequence, size: int = SQL_VARIABLES) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    """Loads files into one database; ``load`` may be called repeatedly."""

    def __init__(self, db: sqlite_utils.Database, hook: HookRelay | None = None, progress: Progress | None = None,
                 workers: int | None = None):
        self.db = db
        self.hook = hook or standalone_plugin_manager().hook
        self.progress = progress or (lambda done: None)
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.summary = LoadSummary()
        self._seen_ids: dict[str, str] = {}
        self._pool: ProcessPoolExecutor | None = None
        migrate(db)

    def load(self, paths: Iterable[str | Path]) -> LoadSummary:
        files, problems = discover(list(paths))
        self.summary.problems.extend(problems)
        deferring = self._worth_deferring_indexes(files)
        if deferring:
            drop_queue_indexes(self.db)
        try:
            with _fewer_collections():
                self._load_files(files)
        finally:
            if deferring:
                ensure_queue_indexes(self.db)  # and should this be killed first, migrate() does it
        return self.summary

    def _worth_deferring_indexes(self, files: list[Path]) -> bool:
        sentences = sum(path.stat().st_size for path in files) // BYTES_PER_SENTENCE
        (stored,) = self.db.execute("SELECT coalesce(sum(n), 0) FROM claim_counts").fetchone()
        return sentences >= max(DEFER_INDEXES_MIN_SENTENCES, stored)

    def _load_files(self, files: list[Path]) -> None:
        in_flight: deque[_PendingBatch] = deque()
        try:
            # A load of one batch runs inline: starting workers would cost more than they save.
            for number, (batch, more_follow) in enumerate(_with_lookahead(self._batches(files))):
                in_flight.append(self._submit(batch, parallel=number > 0 or more_follow))
                while len(in_flight) > (BATCHES_IN_FLIGHT if self._pool else 0):
                    self._write(in_flight.popleft().result())
            while in_flight:
                self._write(in_flight.popleft().result())
        finally:
            if self._pool:
                self._pool.shutdown(cancel_futures=True)

    def _batches(self, files: list[Path]) -> Iterator[list[Article]]:
        batch: list[Article] = []
        for article in self._articles(files):
            batch.append(article)
            if len(batch) >= BATCH_ARTICLES:
                yield batch
                batch = []
        if batch:
            yield batch

    def _articles(self, files: list[Path]) -> Iterator[Article]:
        for path in files:
            for item in read_articles(path):
                if isinstance(item, LoadProblem):
                    self.summary.problems.append(item)
                elif item.id in self._seen_ids:
                    self.summary.problems.append(
                        LoadProblem(item.source, f"duplicate id {item.id!r} (already read from {self._seen_ids[item.id]}); skipped")
                    )
                else:
                    self._seen_ids[item.id] = item.source
                    yield item

    def _submit(self, articles: list[Article], parallel: bool) -> _PendingBatch:
        """Start extracting the batch's new and edited articles."""
        stored = self._stored_hashes([a.id for a in articles])
        changed = []
        for article in articles:
            digest = content_hash(article)
            if stored.get(article.id) == digest:
                self.summary.articles_unchanged += 1
                self.progress(len(article.body))
            else:
                changed.append((article, digest, article.id in stored))
        articles = [article for article, _, _ in changed]
        if parallel and self.workers > 1 and changed:
            return _PendingBatch(changed, self._worker_pool().submit(_extract_batch, articles))
        return _PendingBatch(changed, _done([_extracted(article, self.hook) for article in articles]))

    def _worker_pool(self) -> ProcessPoolExecutor:
        global _worker_hook
        if self._pool is None:
            _worker_hook = self.hook
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
        return self._pool

    def _stored_hashes(self, ids: list[str]) -> dict[str, str]:
        hashes = {}
        for chunk in _chunks(ids):
            sql = f"SELECT id, content_hash FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            hashes.update(self.db.execute(sql, list(chunk)).fetchall())
        return hashes

    def _write(self, extracted: list[ExtractedArticle]) -> None:
        if extracted:
            BatchWriter(self.db, self.summary).write(extracted)
        for item in extracted:
            self.progress(len(item.article.body))


class BatchWriter:
    """Writes one batch of extracted articles in a single transaction."""

    def __init__(self, db: sqlite_utils.Database, summary: LoadSummary):
        self.db = db
        self.summary = summary
        self.now = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def write(self, batch: list[ExtractedArticle]) -> None:
        existing = self._existing_claims([item.article.id for item in batch])
        new_claims = [
            (cid, signature)
            for item in batch
            for cid, signature in item.signatures.items()
            if cid not in existing.get(item.article.id, {})
        ]
        clusters = assign_clusters(new_claims, self._candidates)
        with self.db.atomic(), writing_as(self.db.conn, "load"):
            last_claim, last_article = self._last_rowids()
            for item in batch:
                self._write_one(item, existing.get(item.article.id, {}), clusters.cluster_of)
            for old, new in clusters.merged.items():
                self.db.execute("UPDATE claims SET cluster_id = ? WHERE cluster_id = ?", [new, old])
            # In key order: appending to the key B-tree beats inserting at random places.
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO claim_cluster_keys (key, claim_id) VALUES (?, ?)", sorted(clusters.keys)
            )
            index_new_rows(self.db, "claims", ["text"], last_claim)
            self.db.execute(counts.add_claims_sql("c.rowid > ?"), [last_claim])
            index_new_rows(self.db, "articles", ["title", "body"], last_article)

    def _last_rowids(self) -> tuple[int, int]:
        return tuple(
            self.db.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
            for table in ("claims", "articles")
        )

    def _existing_claims(self, article_ids: list[str]) -> dict[str, dict[str, str | None]]:
        """article id -> {claim id -> superseded_at} for the claims already stored."""
        existing: dict[str, dict[str, str | None]] = {}
        for chunk in _chunks(article_ids):
            sql = f"SELECT article_id, id, superseded_at FROM claims WHERE article_id IN ({','.join('?' * len(chunk))})"
            for article_id, cid, superseded in self.db.execute(sql, list(chunk)):
                existing.setdefault(article_id, {})[cid] = superseded
        return existing

    def _candidates(self, keys: list[int]) -> StoredCandidates:
        """Stored live claims filed under any of ``keys``.

        The LIMIT sits inside the per-key subquery so each key costs an index
        range scan of at most MAX_CANDIDATES_PER_KEY rows, however many claims
        share it: the lookup stays flat as the corpus grows. CROSS JOIN fixes
        the order (keys outside, claims looked up by id): with statistics from
        a small database SQLite would otherwise scan every claim.
        """
        sql = f"""SELECT k.value, c.id, c.text, c.cluster_id FROM json_each(?) AS k
            CROSS JOIN claims c ON c.id IN (
                SELECT claim_id FROM claim_cluster_keys WHERE key = k.value LIMIT {MAX_CANDIDATES_PER_KEY})
            WHERE c.superseded_at IS NULL"""
        candidates = StoredCandidates({}, {})
        for key, cid, text, cluster in self.db.execute(sql, [json.dumps(keys)]):
            candidates.by_key.setdefault(key, []).append(cid)
            if cid not in candidates.claims:
                candidates.claims[cid] = (Signature.of(text, with_keys=False), cluster)
        return candidates

    def _write_one(self, item: ExtractedArticle, stored_claims: dict, cluster_of: dict[str, str]) -> None:
        article = item.article
        try:
            with _savepoint(self.db.conn):
                self._upsert_article(article, item.digest)
                new, kept, superseded = self._write_claims(article.id, item.rows, stored_claims, cluster_of)
        except sqlite3.Error as error:
            self.summary.problems.append(LoadProblem(article.source, f"could not be written ({error}); nothing of it was saved"))
            return
        self.summary.claims_new += new
        self.summary.claims_kept += kept
        self.summary.claims_superseded += superseded
        if item.is_update:
            self.summary.articles_updated += 1
        else:
            self.summary.articles_new += 1

    def _upsert_article(self, article: Article, digest: str) -> None:
        self.db.conn.execute(
            UPSERT_ARTICLE_SQL,
            [article.id, article.title, article.outlet, article.author, article.published,
             article.url, article.body, article.source, digest, self.now],
        )

    def _write_claims(self, article_id: str, rows: list[tuple], stored_claims: dict, cluster_of) -> tuple[int, int, int]:
        inserts, updates, current = [], [], set()
        for position, (cid, text, *values) in enumerate(rows):
            current.add(cid)
            if cid in stored_claims:
                updates.append((position, *values, cid))
            else:
                inserts.append((cid, article_id, position, text, *values, cluster_of.get(cid, cid)))
        self.db.conn.executemany(INSERT_CLAIM_SQL, inserts)
        self.db.conn.executemany(UPDATE_CLAIM_SQL, updates)
        vanished = [cid for cid, superseded in stored_claims.items() if cid not in current and superseded is None]
        self.db.conn.executemany("UPDATE claims SET superseded_at = ? WHERE id = ?", [(self.now, cid) for cid in vanished])
        return len(inserts), len(updates), len(vanished)


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """One article's writes, undone together on error. A fixed name, unlike
    sqlite-utils' ``atomic()``: SQLite and Python's statement cache then
    prepare these statements once per load rather than once per article."""
    conn.execute("SAVEPOINT article")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # an error such as a full disk may have ended the transaction
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
        raise
    conn.execute("RELEASE article")


# The columns the loader writes, in the order of its rows.
ARTICLE_COLUMNS = ("id", "title", "outlet", "author", "published", "url", "body", "source", "content_hash", "loaded_at")
CLAIM_COLUMNS = ("id", "article_id", "position", "text", "context", "kind", "claimant", "sourcing", "figures",
                 "checkworthiness", "reasons", "cluster_id")


def insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


UPSERT_ARTICLE_SQL = insert_sql("articles", ARTICLE_COLUMNS) + " ON CONFLICT(id) DO UPDATE SET " + ", ".join(
    f"{column} = excluded.{column}" for column in ARTICLE_COLUMNS[1:]
)
INSERT_CLAIM_SQL = insert_sql("claims", CLAIM_COLUMNS)
UPDATE_CLAIM_SQL = """UPDATE claims SET position = ?, context = ?, kind = ?, claimant = ?, sourcing = ?,
    figures = ?, checkworthiness = ?, reasons = ?, superseded_at = NULL WHERE id = ?"""


def load_paths(db_path: str | Path, paths: Iterable[str | Path], hook: HookRelay | None = None,
               progress: Progress | None = None, workers: int | None = None) -> LoadSummary:
    """Load ``paths`` into the database file at ``db_path`` (created if missing)."""
    db = sqlite_utils.Database(db_path)
    try:
        db.enable_wal()
        # This connection only: claims go in at random places of the id and
        # cluster indexes, and with SQLite's default 2 MB cache most of those
        # pages are read back from the OS for every row (a third of an insert).
        db.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        summary = Loader(db, hook=hook, progress=progress, workers=workers).load(paths)
        # Fresh statistics, so the planner walks the right index at any size;
        # the limit keeps this to a fraction of a second at a million claims.
        db.execute("PRAGMA analysis_limit = 1000")
        db.execute("PRAGMA optimize")
        return summary
    finally:
        db.close()
