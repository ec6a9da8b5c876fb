"""Clusters as the database keeps them: each cluster's counts and its heads.

``claim_clusters`` holds, per cluster, its live copies and the articles they
are in (the queue's "in 3 articles" badge, read by key whatever the cluster's
size). ``claims.cluster_head`` marks the best live copy (checkworthiness,
then id) of each cluster in each status: the folded queue walks only those.

Triggers (migration ``cluster_counts_and_heads``) keep both exact for every
write but the loader's, which refreshes the clusters a batch touched here,
set-wise, as it does the other counts. ``backfill`` brings a database made
before up to date once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import sqlite_utils

from ..extract.signature import exact_key
from .sql import IN_MANY, many

BACKFILL_TABLE = "_factcheck_cluster_backfill"
BACKFILL_BATCH = 50_000

_RECOUNT = """INSERT INTO claim_clusters (cluster_id, copies, articles)
    SELECT cluster_id, count(*), count(DISTINCT article_id) FROM claims {indexed}
    WHERE cluster_id {in_many} AND superseded_at IS NULL GROUP BY cluster_id"""
# The head of each (cluster, status): the first live copy in queue order. One
# walk of idx_claims_cluster_rank, whose order is the window's (no sort), rather
# than a lookup for every cluster in every status; rowids, so that marking
# finds each row without the id index.
_HEADS = f"""SELECT rowid FROM (SELECT rowid, row_number() OVER (
        PARTITION BY cluster_id, status ORDER BY checkworthiness DESC, id) AS rank
    FROM claims WHERE superseded_at IS NULL AND cluster_id {IN_MANY}) WHERE rank = 1"""
# Only the rows whose mark changes are written.
_UNMARK = f"UPDATE claims SET cluster_head = 0 WHERE cluster_head = 1 AND cluster_id {IN_MANY} AND rowid NOT {IN_MANY}"
_MARK = f"UPDATE claims SET cluster_head = 1 WHERE cluster_head = 0 AND rowid {IN_MANY}"
_SPREAD = f"SELECT cluster_id, copies, articles FROM claim_clusters WHERE cluster_id {IN_MANY} AND copies > 1"


def touched_clusters(
    conn: sqlite3.Connection, stored_article_ids: list[str], new_claims_clusters: Iterable[str], merged: dict[str, str]
) -> list[str]:
    """The clusters a batch wrote to: those of its new claims (known to the
    writer), those of the claims already stored for its articles (kept or
    superseded: looked up, for the articles that had any) and both sides of
    every merge."""
    found = set(new_claims_clusters)
    if stored_article_ids:
        sql = f"SELECT DISTINCT cluster_id FROM claims WHERE article_id {IN_MANY}"
        found.update(row[0] for row in conn.execute(sql, [many(stored_article_ids)]))
    found.update(merged)
    found.update(merged.values())
    found.discard(None)
    return sorted(found)


def refresh(conn: sqlite3.Connection, cluster_ids: list[str], rank_index_built: bool = False) -> None:
    """Count and mark ``cluster_ids`` afresh (the loader, once a batch or once a
    large load). ``rank_index_built``: the caller has just built
    idx_claims_cluster_rank in this transaction, so the counts can be read from it
    alone; the planner, given statistics, may take the narrower cluster index and
    read every claim's row instead (twice as slow over a large load's clusters)."""
    if not cluster_ids:
        return
    ids = many(cluster_ids)
    conn.execute(f"DELETE FROM claim_clusters WHERE cluster_id {IN_MANY}", [ids])
    indexed = "INDEXED BY idx_claims_cluster_rank" if rank_index_built else ""
    conn.execute(_RECOUNT.format(indexed=indexed, in_many=IN_MANY), [ids])
    heads = many(row[0] for row in conn.execute(_HEADS, [ids]))
    conn.execute(_UNMARK, [ids, heads])
    conn.execute(_MARK, [heads])


def defer_refresh(conn: sqlite3.Connection) -> None:
    """Before a large load that leaves its clusters to ``refresh`` once at the
    end: should it be killed first, the next ``schema.migrate`` counts and
    marks every cluster (``backfill``)."""
    with conn:
        conn.execute(f"INSERT INTO {BACKFILL_TABLE} (pending) VALUES (1)")


def end_deferred_refresh(conn: sqlite3.Connection) -> None:
    """In the transaction of the refresh that ends a deferral."""
    conn.execute(f"DELETE FROM {BACKFILL_TABLE}")


def refresh_all(conn: sqlite3.Connection) -> None:
    """Count and mark every cluster afresh (backfill; a bench's generated database)."""
    conn.execute("DELETE FROM claim_clusters")
    conn.execute("""INSERT INTO claim_clusters (cluster_id, copies, articles)
        SELECT cluster_id, count(*), count(DISTINCT article_id) FROM claims
        WHERE superseded_at IS NULL AND cluster_id IS NOT NULL GROUP BY cluster_id""")
    conn.execute("UPDATE claims SET cluster_head = 0 WHERE cluster_head = 1")
    conn.execute("""UPDATE claims SET cluster_head = 1 WHERE rowid IN (SELECT rowid FROM (
            SELECT rowid, row_number() OVER (PARTITION BY cluster_id, status ORDER BY checkworthiness DESC, id) AS rank
            FROM claims WHERE superseded_at IS NULL AND cluster_id IS NOT NULL) WHERE rank = 1)""")


def spread(conn: sqlite3.Connection, cluster_ids: list[str]) -> dict[str, dict[str, int]]:
    """cluster id -> {"copies", "articles"} for those of ``cluster_ids`` with more than one copy."""
    rows = conn.execute(_SPREAD, [many(dict.fromkeys(cluster_ids))])
    return {cluster_id: {"copies": copies, "articles": articles} for cluster_id, copies, articles in rows}


# --- databases made before -------------------------------------------------------


def backfill_pending(db: sqlite_utils.Database) -> bool:
    return db[BACKFILL_TABLE].exists() and db.execute(f"SELECT count(*) FROM {BACKFILL_TABLE}").fetchone()[0] > 0


def backfill(db: sqlite_utils.Database) -> dict[str, int]:
    """Once, on a database made before clusters were kept: file every claim's
    exact-repeat key, join clusters that split copies of one sentence, then
    count and mark every cluster. One transaction: a killed run starts over.
    No writer marker: nothing here is history, and the triggers the merges
    fire keep the counts right until they are recounted at the end (and a
    marker would give the connection the writer's pass function)."""
    with db.atomic():
        keys = _file_exact_keys(db.conn)
        joined = join_split_repeats(db.conn)
        refresh_all(db.conn)
        db.execute(f"DELETE FROM {BACKFILL_TABLE}")
    return {"keys": keys, "clusters_joined": joined}


def _file_exact_keys(conn: sqlite3.Connection) -> int:
    filed = 0
    cursor = conn.execute("SELECT id, text FROM claims")
    while rows := cursor.fetchmany(BACKFILL_BATCH):
        conn.executemany(
            "INSERT OR IGNORE INTO claim_cluster_keys (key, claim_id) VALUES (?, ?)",
            sorted((exact_key(text or ""), cid) for cid, text in rows),
        )
        filed += len(rows)
    return filed


def join_split_repeats(conn: sqlite3.Connection) -> int:
    """Merge clusters holding copies of one sentence (equal exact-repeat keys)
    into the smallest of their ids; returns how many clusters were merged away."""
    rows = conn.execute("""SELECT k.key, c.cluster_id FROM claim_cluster_keys k JOIN claims c ON c.id = k.claim_id
        WHERE k.key < 0 AND c.cluster_id IS NOT NULL ORDER BY k.key""")
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        while parent.get(item, item) != item:
            parent[item] = parent.get(parent[item], parent[item])
            item = parent[item]
        return item

    last_key, first_cluster = None, None
    for key, cluster_id in rows:
        if key != last_key:
            last_key, first_cluster = key, cluster_id
            continue
        a, b = find(first_cluster), find(cluster_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    moves = [(find(cluster_id), cluster_id) for cluster_id in parent if find(cluster_id) != cluster_id]
    conn.executemany("UPDATE claims SET cluster_id = ? WHERE cluster_id = ?", moves)
    return len(moves)


def mismatches(conn: sqlite3.Connection) -> list[str]:
    """What the stored counts and heads get wrong against a recount (empty
    when right): for tests and for checking a database by hand."""
    problems = []
    recount = """SELECT cluster_id, count(*), count(DISTINCT article_id) FROM claims
        WHERE superseded_at IS NULL AND cluster_id IS NOT NULL GROUP BY cluster_id"""
    expected = {row[0]: row[1:] for row in conn.execute(recount)}
    stored = {row[0]: row[1:] for row in conn.execute("SELECT cluster_id, copies, articles FROM claim_clusters")}
    problems += [
        f"cluster {key}: stored {stored.get(key)}, counted {expected.get(key)}"
        for key in expected.keys() | stored.keys()
        if expected.get(key) != stored.get(key)
    ]
    heads = """SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY cluster_id, status
            ORDER BY checkworthiness DESC, id) AS rank FROM claims WHERE superseded_at IS NULL AND cluster_id IS NOT NULL)
        WHERE rank = 1"""
    expected_heads = {row[0] for row in conn.execute(heads)}
    stored_heads = {row[0] for row in conn.execute("SELECT id FROM claims WHERE cluster_head = 1")}
    problems += [f"claim {cid}: head should be {int(cid in expected_heads)}" for cid in expected_heads ^ stored_heads]
    return sorted(problems)
