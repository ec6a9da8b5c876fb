"""The schema at run time: bringing a database up to date, and the SQL the
loader and the queue share with it.

The migrations themselves, fixed SQL text, are in migrations.py. ``migrate``
runs from ``datasette factcheck load`` and at Datasette startup, so a
database made by an older version is brought up to date either way.
"""

from __future__ import annotations

import sqlite_utils

from ..vocab import OPEN_STATUSES
from . import clusters as cluster_store
from .migrations import CLUSTER_HEADS_INDEX_SQL, CLUSTER_INDEX_SQL, CLUSTER_RANK_INDEX_SQL, QUEUE_INDEX_SQL, migrations

# The names of the indexes QUEUE_INDEX_SQL and CLUSTER_INDEX_SQL create: a large
# load drops them all and builds them once at the end.
QUEUE_INDEXES = (
    "idx_claims_rank",
    "idx_claims_open",
    "idx_claims_status",
    "idx_claims_cluster_rank",
    "idx_claims_cluster_heads",
    "idx_claims_heads",
    "idx_claims_heads_open",
    "idx_claims_heads_status",
)


def migrate(db: sqlite_utils.Database) -> None:
    """Bring ``db`` up to the current schema (a no-op when it is)."""
    migrations.apply(db)
    if missing_queue_indexes(db):
        ensure_queue_indexes(db)
    if cluster_store.backfill_pending(db):
        cluster_store.backfill(db)


def needs_migration(db: sqlite_utils.Database) -> bool:
    """Whether ``migrate`` would change ``db``: a step it has not run, or a
    queue index a killed load left missing. Steps are fixed text, so a
    database that has run them all has exactly the current schema."""
    return bool(migrations.pending(db)) or missing_queue_indexes(db) or cluster_store.backfill_pending(db)


def index_new_rows(db: sqlite_utils.Database, table: str, columns: list[str], after_rowid: int) -> None:
    """Add rows inserted during a bulk load (rowid > ``after_rowid``) to the FTS index."""
    cols = ", ".join(columns)
    db.execute(
        f"INSERT INTO {table}_fts (rowid, {cols}) SELECT rowid, {cols} FROM {table} WHERE rowid > ?", [after_rowid]
    )


def ensure_queue_indexes(db: sqlite_utils.Database) -> None:
    """Create the queue indexes that are missing, with the migration's own text."""
    with db.atomic():
        for statement in (*QUEUE_INDEX_SQL, *CLUSTER_INDEX_SQL):
            db.execute(statement)


def finish_large_load(db: sqlite_utils.Database, touched: set[str]) -> None:
    """After a load that dropped the queue indexes and left the clusters it
    touched uncounted (``cluster_store.defer_refresh``): build the two cluster
    indexes the refresh reads (the rank, and the heads to unmark), count and
    mark those clusters in one transaction, then build the other indexes, so
    the queue's head indexes are built from the finished marks rather than
    updated a row at a time."""
    with db.atomic():
        db.execute(CLUSTER_RANK_INDEX_SQL)
        db.execute(CLUSTER_HEADS_INDEX_SQL)
        cluster_store.refresh(db.conn, sorted(touched), rank_index_built=True)
        cluster_store.end_deferred_refresh(db.conn)
    ensure_queue_indexes(db)


def drop_queue_indexes(db: sqlite_utils.Database) -> None:
    for name in QUEUE_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")


def missing_queue_indexes(db: sqlite_utils.Database) -> bool:
    found = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return bool(set(QUEUE_INDEXES) - found)


def open_statuses_sql() -> str:
    """The open-queue condition, written as idx_claims_open's WHERE writes it:
    SQLite uses a partial index only for a query that repeats its WHERE terms
    literally (a test checks the two agree)."""
    quoted = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    return f"status IN ({quoted})"
