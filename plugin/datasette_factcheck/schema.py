"""The database schema, as sqlite-utils migrations.

Applied by ``datasette factcheck load`` and at Datasette startup, so a
database made by an older version is brought up to date either way. Add a new
migration for every change; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils

from . import counts
from .vocab import DEFAULT_STATUS, OPEN_STATUSES, VERDICTS, VOCABULARIES
from .writers import WRITER_TABLE

migrations = sqlite_utils.Migrations("datasette-factcheck")


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _vocabulary_checks(nullable: set[str]) -> str:
    """One statement refusing values outside the vocabularies.

    A trigger rather than CHECK constraints because RAISE carries a message
    naming the field and the allowed values, which Datasette's write API and
    the SQL pages pass on to the user unchanged. One CASE rather than a
    statement per rule, and ``CASE x WHEN 'a' ...`` rather than ``x NOT IN
    ('a', ...)``: a trigger runs once per row, and SQLite builds a temporary
    index for every IN list each time it does, which made this trigger cost
    five times an insert without it (the loader runs it for every claim).
    """
    rules = []
    for name, values in VOCABULARIES.items():
        condition = _not_one_of(f"NEW.{name}", values)
        condition = f"NEW.{name} IS NOT NULL AND {condition}" if name in nullable else f"NEW.{name} IS NULL OR {condition}"
        rules.append((condition, f"{name} must be one of {', '.join(values)}"))
    rules += [
        ("NEW.status = 'done' AND NEW.verdict IS NULL",
         f"verdict is required when status is done: set one of {', '.join(VERDICTS)}"),
        ("NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL",
         "verdict must be empty when status is not_checkable"),
        # '[]' (every claim as loaded) is an array: no need to parse it.
        ("NEW.evidence IS NULL OR (NEW.evidence != '[]' AND (NOT json_valid(NEW.evidence) OR json_type(NEW.evidence) != 'array'))",
         'evidence must be a JSON array of links or references, such as ["https://..."]'),
    ]
    cases = "\n        ".join(f"WHEN {condition} THEN RAISE(ABORT, '{message}')" for condition, message in rules)
    return f"SELECT CASE\n        {cases}\n    END;"


def _not_one_of(expression: str, values: tuple[str, ...]) -> str:
    """True when ``expression`` (not NULL) is none of ``values``."""
    return f"(CASE {expression} {' '.join(f'WHEN {_sql_list((value,))} THEN 0' for value in values)} ELSE 1 END)"


def _vocabulary_triggers() -> str:
    nullable = {"verdict"}
    return f"""
CREATE TRIGGER claims_vocabulary_insert BEFORE INSERT ON claims
BEGIN
    {_vocabulary_checks(nullable)}
END;
CREATE TRIGGER claims_vocabulary_update BEFORE UPDATE OF status, verdict, kind, sourcing, evidence ON claims
BEGIN
    {_vocabulary_checks(nullable)}
END;"""


_REVIEW_COLUMNS = ("status", "verdict", "note", "evidence", "assignee")

def _history_of_other_writers() -> str:
    """A trigger that records review changes made around the plugin.

    The plugin's own review writes hold a row in WRITER_TABLE and write
    their event themselves, with the actor. Any other writer (Datasette's
    JSON write API, datasette-write, the sqlite3 shell) gets its event here,
    with action 'api' and no actor, and a version past both the old and the
    new one, so an editor's open form sees the conflict even if the writer
    tried to set the version back.
    """
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _REVIEW_COLUMNS)
    pairs = " UNION ALL ".join(
        f"SELECT '{c}' AS field, json_array({_json(c, 'OLD')}, {_json(c, 'NEW')}) AS change WHERE OLD.{c} IS NOT NEW.{c}"
        for c in _REVIEW_COLUMNS
    )
    return f"""
CREATE TRIGGER claims_history_other_writers AFTER UPDATE OF {', '.join(_REVIEW_COLUMNS)} ON claims
WHEN NOT EXISTS (SELECT writer FROM {WRITER_TABLE}) AND ({changed})
BEGIN
    INSERT INTO claim_events (claim_id, at, actor, action, changes)
    SELECT NEW.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), NULL, 'api', json_group_object(field, json(change))
    FROM ({pairs});
    UPDATE claims SET version = max(OLD.version, NEW.version) + 1 WHERE id = NEW.id;
END;"""


def _json(column: str, row: str) -> str:
    # evidence is stored as JSON text: embed it as an array, not a string.
    return f"json({row}.{column})" if column == "evidence" else f"{row}.{column}"


@migrations()
def create_tables(db: sqlite_utils.Database) -> None:
    db.executescript(
        f"""
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    outlet TEXT,
    author TEXT,
    published TEXT,
    url TEXT,
    body TEXT NOT NULL,
    source TEXT,
    content_hash TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    context TEXT,
    kind TEXT,
    claimant TEXT,
    sourcing TEXT,
    figures TEXT NOT NULL DEFAULT '[]',
    checkworthiness REAL NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '[]',
    cluster_id TEXT,
    superseded_at TEXT,
    status TEXT NOT NULL DEFAULT '{DEFAULT_STATUS}',
    verdict TEXT,
    note TEXT,
    evidence TEXT NOT NULL DEFAULT '[]',
    assignee TEXT,
    reviewed_by TEXT,
    reviewed_at TEXT,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE claim_events (
    id INTEGER PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claims(id),
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE TABLE {WRITER_TABLE} (writer TEXT NOT NULL);
CREATE TABLE claim_cluster_keys (
    key INTEGER NOT NULL,
    claim_id TEXT NOT NULL,
    PRIMARY KEY (key, claim_id)
) WITHOUT ROWID;
CREATE INDEX idx_claims_queue ON claims (status, checkworthiness DESC) WHERE superseded_at IS NULL;
-- Partial: a freshly loaded claim has neither, so loading never touches these.
CREATE INDEX idx_claims_verdict ON claims (verdict) WHERE verdict IS NOT NULL;
CREATE INDEX idx_claims_article ON claims (article_id, position);
CREATE INDEX idx_claims_cluster ON claims (cluster_id);
CREATE INDEX idx_claims_assignee ON claims (assignee) WHERE assignee IS NOT NULL;
CREATE INDEX idx_claim_events_claim ON claim_events (claim_id, id);
CREATE INDEX idx_claim_events_at ON claim_events (at);
{_vocabulary_triggers()}
{_history_of_other_writers()}
CREATE TRIGGER claim_events_no_update BEFORE UPDATE ON claim_events
BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only: history rows cannot be changed');
END;
CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events
BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only: history rows cannot be deleted');
END;
"""
    )
    _full_text_search(db, "claims", ["text"])
    _full_text_search(db, "articles", ["title", "body"])




def _full_text_search(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """FTS5 kept in sync by triggers, like sqlite-utils' own, except that an
    update re-indexes only when an indexed column changes (review saves never
    touch the index) and bulk loads index set-wise."""
    db[table].enable_fts(columns, create_triggers=False, tokenize="porter")
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    db.executescript(
        f"""
CREATE TRIGGER {fts}_insert AFTER INSERT ON {table}
WHEN NOT EXISTS (SELECT writer FROM {WRITER_TABLE} WHERE writer = 'load')
BEGIN
    INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
CREATE TRIGGER {fts}_delete AFTER DELETE ON {table}
BEGIN
    INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
END;
CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table}
BEGIN
    INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
    INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
END;
"""
    )


def index_new_rows(db: sqlite_utils.Database, table: str, columns: list[str], after_rowid: int) -> None:
    """Add rows inserted during a bulk load (rowid > ``after_rowid``) to the FTS index."""
    cols = ", ".join(columns)
    db.execute(f"INSERT INTO {table}_fts (rowid, {cols}) SELECT rowid, {cols} FROM {table} WHERE rowid > ?", [after_rowid])


def queue_index_statements() -> list[str]:
    """The indexes that keep the queue in order. The loader may drop them for
    a large load and build them once at the end (several times faster than
    keeping them up to date row by row), so they are created IF NOT EXISTS
    and ``migrate`` re-creates any that a killed load left missing."""
    return [
        "CREATE INDEX IF NOT EXISTS idx_claims_rank ON claims (checkworthiness DESC, id) WHERE superseded_at IS NULL",
        "CREATE INDEX IF NOT EXISTS idx_claims_open ON claims (checkworthiness DESC, id) "
        f"WHERE superseded_at IS NULL AND {open_statuses_sql()}",
        "CREATE INDEX IF NOT EXISTS idx_claims_status ON claims (status, checkworthiness DESC, id) "
        "WHERE superseded_at IS NULL",
    ]


def ensure_queue_indexes(db: sqlite_utils.Database) -> None:
    with db.atomic():
        for statement in queue_index_statements():
            db.execute(statement)


QUEUE_INDEXES = ("idx_claims_rank", "idx_claims_open", "idx_claims_status")


def drop_queue_indexes(db: sqlite_utils.Database) -> None:
    for name in QUEUE_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")


def missing_queue_indexes(db: sqlite_utils.Database) -> bool:
    found = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return bool(set(QUEUE_INDEXES) - found)


def open_statuses_sql() -> str:
    """The open-queue condition, written the same way in the partial index and
    the queries: SQLite uses a partial index only for a query that repeats its
    WHERE terms literally."""
    return f"status IN ({_sql_list(OPEN_STATUSES)})"


@migrations()
def fast_queue_and_counts(db: sqlite_utils.Database) -> None:
    """The queue at a million claims: ordered index walks instead of sorts,
    and exact counts from a summary table instead of GROUP BY."""
    db.executescript(
        f"""
-- Each view walks an index already in queue order and stops after one page.
DROP INDEX idx_claims_queue;
DROP INDEX idx_claims_verdict;
DROP INDEX idx_claims_assignee;
{";".join(queue_index_statements())};
-- Partial: a freshly loaded claim has neither, so loading never touches these.
CREATE INDEX idx_claims_verdict ON claims (verdict, checkworthiness DESC, id) WHERE verdict IS NOT NULL;
CREATE INDEX idx_claims_assignee ON claims (assignee, checkworthiness DESC, id) WHERE assignee IS NOT NULL;
CREATE INDEX idx_articles_outlet ON articles (outlet);
{counts.create_sql()}
"""
    )
    db.execute(counts.add_claims_sql())


@migrations()
def cheaper_vocabulary_triggers(db: sqlite_utils.Database) -> None:
    """The same rules and messages, checked without IN lists (see
    _vocabulary_checks): databases made before get the faster triggers."""
    db.executescript(
        f"""
DROP TRIGGER claims_vocabulary_insert;
DROP TRIGGER claims_vocabulary_update;
{_vocabulary_triggers()}
"""
    )


def migrate(db: sqlite_utils.Database) -> None:
    """Bring ``db`` up to the current schema (a no-op when it is)."""
    migrations.apply(db)
    if missing_queue_indexes(db):
        ensure_queue_indexes(db)


def needs_migration(db: sqlite_utils.Database) -> bool:
    return bool(migrations.pending(db)) or missing_queue_indexes(db)

