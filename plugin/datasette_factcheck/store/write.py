"""The loader's one writer: a batch of extracted articles into SQLite, in one transaction.

Each article is a savepoint within the batch's transaction, so an article that
cannot be written (a plugin's label outside a vocabulary, say) is undone whole
and reported while the rest of the batch commits. New claims are clustered
against the stored ones before anything is written.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from .. import clock
from ..extract.cluster import MAX_CANDIDATES_PER_KEY, ClusterResult, StoredCandidates, assign_clusters
from ..extract.signature import is_exact_key, stored_signature
from ..records import Article, LoadProblem, LoadSummary
from . import clusters as cluster_store
from . import counts
from .rows import (
    INSERT_CLAIM_SQL,
    UPDATE_CLAIM_SQL,
    UPSERT_ARTICLE_SQL,
    ArticleRow,
    ClaimValues,
    ExtractedArticle,
    checkworthiness_of,
    claim_id_of,
    refreshed_values,
    with_cluster,
)
from .schema import index_new_rows
from .sql import IN_MANY, many, savepoint
from .writers import writing_as

_SKETCH_CANDIDATES = f"""SELECT k.value, c.id, c.text, c.cluster_id FROM json_each(?) AS k
    CROSS JOIN claims c ON c.id IN (
        SELECT claim_id FROM claim_cluster_keys WHERE key = k.value LIMIT {MAX_CANDIDATES_PER_KEY})
    WHERE c.superseded_at IS NULL"""
# The first filed copy that is still stored (claims are superseded, not deleted,
# but a key whose claim was deleted by hand is passed over).
_FIRST_COPIES = """SELECT k.value, c.id, c.cluster_id FROM json_each(?) AS k
    CROSS JOIN claims c ON c.rowid = (SELECT copy.rowid FROM claim_cluster_keys f
        CROSS JOIN claims copy ON copy.id = f.claim_id WHERE f.key = k.value LIMIT 1)"""


class BatchWriter:
    """Writes one batch of extracted articles in a single transaction."""

    def __init__(self, db: sqlite_utils.Database, summary: LoadSummary, touched: set[str] | None = None):
        """``touched``: None to count and mark the clusters each batch touched in its
        own transaction; a set to add them to instead, for a large load that
        refreshes them all once at the end (``schema.finish_large_load``)."""
        self.db = db
        self.summary = summary
        self.touched = touched
        self.now = clock.now_iso()

    def write(self, batch: list[ExtractedArticle]) -> None:
        existing = self._existing_claims([item.article.id for item in batch])
        new_claims = [
            (cid, signature)
            for item in batch
            for cid, signature in item.signatures.items()
            if cid not in existing.get(item.article.id, {})
        ]
        clusters = assign_clusters(new_claims, self._candidates)
        started = _started_clusters(batch, existing, clusters)
        heads = {head for head, _, _ in started.values()}
        with self.db.atomic(), writing_as(self.db.conn, "load"):
            last_claim, last_article = self._last_rowids()
            written = [
                self._write_one(item, existing.get(item.article.id, {}), clusters.cluster_of, heads) for item in batch
            ]
            for old, new in clusters.merged.items():
                self.db.execute("UPDATE claims SET cluster_id = ? WHERE cluster_id = ?", [new, old])
            # In key order: appending to the key B-tree beats inserting at random places.
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO claim_cluster_keys (key, claim_id) VALUES (?, ?)", sorted(clusters.keys)
            )
            index_new_rows(self.db, "claims", ["text"], last_claim)
            self.db.execute(counts.add_claims_sql("c.rowid > ?"), [last_claim])
            touched = cluster_store.touched_clusters(
                self.db.conn, list(existing), clusters.cluster_of.values(), clusters.merged
            )
            if all(written):  # else an article was undone: refresh counts what is there
                touched = self._count_started(started, touched)
            if self.touched is None:
                cluster_store.refresh(self.db.conn, touched)
            else:
                self.touched.update(touched)
            index_new_rows(self.db, "articles", ["title", "body"], last_article)

    def _count_started(self, started: dict[str, tuple[str, int, int]], touched: list[str]) -> list[str]:
        """Store the counts of the clusters the batch started, known without a
        recount (their heads were marked as they were inserted); the touched
        clusters left for ``cluster_store.refresh``."""
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO claim_clusters (cluster_id, copies, articles) VALUES (?, ?, ?)",
            sorted((cluster, copies, articles) for cluster, (_, copies, articles) in started.items()),
        )
        return [cluster for cluster in touched if cluster not in started]

    def _last_rowids(self) -> tuple[int, int]:
        return tuple(
            self.db.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
            for table in ("claims", "articles")
        )

    def _existing_claims(self, article_ids: list[str]) -> dict[str, dict[str, str | None]]:
        """article id -> {claim id -> superseded_at} for the claims already stored."""
        existing: dict[str, dict[str, str | None]] = {}
        sql = f"SELECT article_id, id, superseded_at FROM claims WHERE article_id {IN_MANY}"
        for article_id, cid, superseded in self.db.execute(sql, [many(article_ids)]):
            existing.setdefault(article_id, {})[cid] = superseded
        return existing

    def _candidates(self, keys: list[int]) -> StoredCandidates:
        """Stored claims filed under any of ``keys``: live ones under sketch keys,
        to compare; under an exact-repeat key (negative) one copy, live or
        superseded, for its cluster alone (all copies share it): no text to read
        and no signature to make for the thousands of copies of a repeated line.

        The LIMIT sits inside the per-key subquery so each key costs an index
        range scan of at most MAX_CANDIDATES_PER_KEY rows, however many claims
        share it: the lookup stays flat as the corpus grows. CROSS JOIN fixes
        the order (keys outside, claims looked up by id): with statistics from
        a small database SQLite would otherwise scan every claim.
        """
        exact = [key for key in keys if is_exact_key(key)]
        sketch = [key for key in keys if not is_exact_key(key)]
        candidates = StoredCandidates({}, {})
        for key, cid, text, cluster in self.db.execute(_SKETCH_CANDIDATES, [many(sketch)]):
            candidates.by_key.setdefault(key, []).append(cid)
            if cid not in candidates.claims:
                candidates.claims[cid] = (stored_signature(text), cluster)
        for key, cid, cluster in self.db.execute(_FIRST_COPIES, [many(exact)]):
            candidates.by_key[key] = [cid]
            candidates.claims.setdefault(cid, (None, cluster))
        return candidates

    def _write_one(
        self, item: ExtractedArticle, stored_claims: dict, cluster_of: dict[str, str], heads: set[str]
    ) -> bool:
        """Whether the article was written (else it is reported and nothing of it kept)."""
        article = item.article
        try:
            with savepoint(self.db.conn, "article"):
                self._upsert_article(article, item.digest)
                new, kept, superseded = self._write_claims(item.rows, stored_claims, cluster_of, heads)
        except sqlite3.Error as error:
            problem = LoadProblem(article.source, f"could not be written ({error}); nothing of it was saved")
            self.summary.refuse(item.file, problem)
            return False
        self.summary.loaded_files.add(item.file)
        self.summary.claims_new += new
        self.summary.claims_kept += kept
        self.summary.claims_superseded += superseded
        if item.is_update:
            self.summary.articles_updated += 1
        else:
            self.summary.articles_new += 1
        return True

    def _upsert_article(self, article: Article, digest: str) -> None:
        self.db.conn.execute(UPSERT_ARTICLE_SQL, ArticleRow.of(article, digest, self.now))

    def _write_claims(
        self, rows: list[ClaimValues], stored_claims: dict, cluster_of: dict[str, str], heads: set[str]
    ) -> tuple[int, int, int]:
        inserts, updates, current = [], [], set()
        for row in rows:
            cid = claim_id_of(row)
            current.add(cid)
            if cid in stored_claims:
                updates.append(refreshed_values(row))
            else:  # a new claim starts a cluster of its own unless it joined one
                inserts.append(with_cluster(row, cluster_of.get(cid, cid), cid in heads))
        self.db.conn.executemany(INSERT_CLAIM_SQL, inserts)
        self.db.conn.executemany(UPDATE_CLAIM_SQL, updates)
        vanished = [cid for cid, superseded in stored_claims.items() if cid not in current and superseded is None]
        self.db.conn.executemany(
            "UPDATE claims SET superseded_at = ? WHERE id = ?", [(self.now, cid) for cid in vanished]
        )
        return len(inserts), len(updates), len(vanished)


def _started_clusters(
    batch: list[ExtractedArticle], existing: dict[str, dict], clusters: ClusterResult
) -> dict[str, tuple[str, int, int]]:
    """The clusters the batch starts (no stored member), each with its head (its
    best new claim by checkworthiness, then id: all are unreviewed and live), its
    copies and its articles: what ``cluster_store.refresh`` would find, known
    here. The heads are marked as they are inserted; a later batch that joins
    one of these clusters refreshes it."""
    best: dict[str, tuple[float, str]] = {}
    copies: dict[str, int] = {}
    articles: dict[str, set[str]] = {}
    cluster_of, stored = clusters.cluster_of, clusters.stored_clusters
    for item in batch:
        stored_claims = existing.get(item.article.id, {})
        for row in item.rows:
            cid = claim_id_of(row)
            cluster = cluster_of.get(cid, cid)
            if cid in stored_claims or cluster in stored:
                continue
            rank = (-checkworthiness_of(row), cid)
            if cluster not in best or rank < best[cluster]:
                best[cluster] = rank
            copies[cluster] = copies.get(cluster, 0) + 1
            articles.setdefault(cluster, set()).add(item.article.id)
    return {cluster: (cid, copies[cluster], len(articles[cluster])) for cluster, (_, cid) in best.items()}
