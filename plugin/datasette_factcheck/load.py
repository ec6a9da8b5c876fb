"""Load articles into a factcheck database: read, extract, cluster, write.

Idempotent and review-safe: an article whose content hash is unchanged is not
touched; an edited one is updated in place, its claims that survive keep their
ids and review fields, and those that vanished are marked ``superseded_at``,
never deleted. Each article is written inside its own savepoint, so a failure
leaves no half-written article behind.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import sqlite_utils

from .cluster import MAX_CANDIDATES_PER_KEY, assign_clusters
from .extract import Claim, annotate_claims, claim_id, normalise_text
from .ingest import discover, read_articles
from .plugins import standalone_plugin_manager
from .records import Article, LoadProblem
from .schema import migrate

BATCH_ARTICLES = 500
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


def extract_article(article: Article, hook) -> list[Claim]:
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


def _chunks(items: Sequence, size: int = SQL_VARIABLES) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Loader:
    """Loads files into one database; ``load`` may be called repeatedly."""

    def __init__(self, db: sqlite_utils.Database, hook=None, progress: Progress | None = None):
        self.db = db
        self.hook = hook or standalone_plugin_manager().hook
        self.progress = progress or (lambda done: None)
        self.summary = LoadSummary()
        self._seen_ids: dict[str, str] = {}
        migrate(db)

    def load(self, paths: Iterable[str | Path]) -> LoadSummary:
        files, problems = discover(list(paths))
        self.summary.problems.extend(problems)
        batch: list[Article] = []
        for article in self._articles(files):
            batch.append(article)
            if len(batch) >= BATCH_ARTICLES:
                self._load_batch(batch)
                batch = []
        if batch:
            self._load_batch(batch)
        return self.summary

    def _articles(self, files: list[Path]) -> Iterator[Article]:
        for path in files:
            for item in read_articles(path):
                if isinstance(item, LoadProblem):
                    self.summary.problems.append(item)
                elif item.id in self._seen_ids:
                    self.summary.problems.append(
                        LoadProblem(item.source, f"duplicate id '{item.id}' (already read from {self._seen_ids[item.id]}); skipped")
                    )
                else:
                    self._seen_ids[item.id] = item.source
                    yield item

    def _stored_hashes(self, ids: list[str]) -> dict[str, str]:
        hashes = {}
        for chunk in _chunks(ids):
            sql = f"SELECT id, content_hash FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            hashes.update(self.db.execute(sql, list(chunk)).fetchall())
        return hashes

    def _load_batch(self, articles: list[Article]) -> None:
        stored = self._stored_hashes([a.id for a in articles])
        changed = []
        for article in articles:
            digest = content_hash(article)
            if stored.get(article.id) == digest:
                self.summary.articles_unchanged += 1
            else:
                changed.append((article, digest, extract_article(article, self.hook)))
            self.progress(len(article.body))
        if changed:
            ArticleWriter(self.db, self.summary).write(changed, stored)


class ArticleWriter:
    """Writes one batch of extracted articles in a single transaction."""

    def __init__(self, db: sqlite_utils.Database, summary: LoadSummary):
        self.db = db
        self.summary = summary
        self.now = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def write(self, changed: list[tuple[Article, str, list[Claim]]], stored: dict[str, str]) -> None:
        existing = self._existing_claims([article.id for article, _, _ in changed])
        new_claims = [
            (cid, claim.text)
            for article, _, claims in changed
            for claim in claims
            if (cid := claim_id(article.id, claim.text)) not in existing.get(article.id, {})
        ]
        clusters = assign_clusters(new_claims, self._candidates)
        with self.db.atomic():
            for article, digest, claims in changed:
                stored_claims = existing.get(article.id, {})
                self._write_one(article, digest, claims, stored_claims, clusters.cluster_of, article.id in stored)
            for old, new in clusters.merged.items():
                self.db.execute("UPDATE claims SET cluster_id = ? WHERE cluster_id = ?", [new, old])
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO claim_cluster_keys (key, claim_id) VALUES (?, ?)", clusters.keys
            )

    def _existing_claims(self, article_ids: list[str]) -> dict[str, dict[str, str | None]]:
        """article id -> {claim id -> superseded_at} for the claims already stored."""
        existing: dict[str, dict[str, str | None]] = {}
        for chunk in _chunks(article_ids):
            sql = f"SELECT article_id, id, superseded_at FROM claims WHERE article_id IN ({','.join('?' * len(chunk))})"
            for article_id, cid, superseded in self.db.execute(sql, list(chunk)):
                existing.setdefault(article_id, {})[cid] = superseded
        return existing

    def _candidates(self, keys: list[int]) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(keys):
            sql = f"""
                SELECT c.id, c.text, c.cluster_id FROM (
                    SELECT claim_id, row_number() OVER (PARTITION BY key ORDER BY claim_id) AS n
                    FROM claim_cluster_keys WHERE key IN ({','.join('?' * len(chunk))})
                ) k JOIN claims c ON c.id = k.claim_id
                WHERE k.n <= {MAX_CANDIDATES_PER_KEY} AND c.superseded_at IS NULL"""
            for cid, text, cluster in self.db.execute(sql, list(chunk)):
                found[cid] = (text, cluster)
        return found

    def _write_one(self, article, digest, claims, existing, cluster_of, is_update) -> None:
        try:
            with self.db.atomic():
                self._upsert_article(article, digest)
                counts = self._write_claims(article, claims, existing, cluster_of)
        except sqlite3.Error as error:
            self.summary.problems.append(LoadProblem(article.source, f"could not be written ({error}); nothing of it was saved"))
            return
        new, kept, superseded = counts
        self.summary.claims_new += new
        self.summary.claims_kept += kept
        self.summary.claims_superseded += superseded
        if is_update:
            self.summary.articles_updated += 1
        else:
            self.summary.articles_new += 1

    def _upsert_article(self, article: Article, digest: str) -> None:
        self.db.execute(
            """INSERT INTO articles (id, title, outlet, author, published, url, body, source, content_hash, loaded_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET title = excluded.title, outlet = excluded.outlet,
               author = excluded.author, published = excluded.published, url = excluded.url,
               body = excluded.body, source = excluded.source, content_hash = excluded.content_hash,
               loaded_at = excluded.loaded_at""",
            [article.id, article.title, article.outlet, article.author, article.published,
             article.url, article.body, article.source, digest, self.now],
        )

    def _write_claims(self, article, claims, existing, cluster_of) -> tuple[int, int, int]:
        inserts, updates, current = [], [], set()
        for position, claim in enumerate(claims):
            cid = claim_id(article.id, claim.text)
            current.add(cid)
            annotations = _annotation_values(claim)
            if cid in existing:
                updates.append((position, *annotations, cid))
            else:
                inserts.append((cid, article.id, position, claim.text, *annotations, cluster_of.get(cid, cid)))
        self.db.conn.executemany(INSERT_CLAIM_SQL, inserts)
        self.db.conn.executemany(UPDATE_CLAIM_SQL, updates)
        vanished = [cid for cid, superseded in existing.items() if cid not in current and superseded is None]
        self.db.conn.executemany(
            "UPDATE claims SET superseded_at = ? WHERE id = ?", [(self.now, cid) for cid in vanished]
        )
        return len(inserts), len(updates), len(vanished)


def _annotation_values(claim: Claim) -> tuple:
    return (
        claim.context, claim.kind, claim.claimant, claim.sourcing, json.dumps(claim.figures or []),
        claim.checkworthiness, json.dumps(claim.reasons or []),
    )


INSERT_CLAIM_SQL = """INSERT INTO claims
    (id, article_id, position, text, context, kind, claimant, sourcing, figures, checkworthiness, reasons, cluster_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
UPDATE_CLAIM_SQL = """UPDATE claims SET position = ?, context = ?, kind = ?, claimant = ?, sourcing = ?,
    figures = ?, checkworthiness = ?, reasons = ?, superseded_at = NULL WHERE id = ?"""


def load_paths(db_path: str | Path, paths: Iterable[str | Path], hook=None, progress: Progress | None = None) -> LoadSummary:
    """Load ``paths`` into the database file at ``db_path`` (created if missing)."""
    db = sqlite_utils.Database(db_path)
    db.enable_wal()
    try:
        return Loader(db, hook=hook, progress=progress).load(paths)
    finally:
        db.close()
