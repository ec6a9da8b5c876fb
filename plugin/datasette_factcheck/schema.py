"""The database schema, as sqlite-utils migrations.

Applied by ``datasette factcheck load`` and at Datasette startup, so a
database made by an older version is brought up to date either way. Add a new
migration for every change; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils

from .vocab import DEFAULT_STATUS, VERDICTS, VOCABULARIES

migrations = sqlite_utils.Migrations("datasette-factcheck")


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _vocabulary_checks(nullable: set[str]) -> str:
    """RAISE statements refusing values outside the vocabularies.

    Triggers rather than CHECK constraints because RAISE carries a message
    naming the field and the allowed values, which Datasette's write API and
    the SQL pages pass on to the user unchanged.
    """
    statements = []
    for name, values in VOCABULARIES.items():
        condition = f"NEW.{name} NOT IN ({_sql_list(values)})"
        if name in nullable:
            condition = f"NEW.{name} IS NOT NULL AND {condition}"
        else:
            condition = f"NEW.{name} IS NULL OR {condition}"
        message = f"{name} must be one of {', '.join(values)}"
        statements.append(f"SELECT RAISE(ABORT, '{message}') WHERE {condition};")
    statements.append(
        "SELECT RAISE(ABORT, 'verdict is required when status is done: "
        f"set one of {', '.join(VERDICTS)}') WHERE NEW.status = 'done' AND NEW.verdict IS NULL;"
    )
    statements.append(
        "SELECT RAISE(ABORT, 'verdict must be empty when status is not_checkable') "
        "WHERE NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL;"
    )
    return "\n    ".join(statements)


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
CREATE TABLE claim_cluster_keys (
    key INTEGER NOT NULL,
    claim_id TEXT NOT NULL,
    PRIMARY KEY (key, claim_id)
) WITHOUT ROWID;
CREATE INDEX idx_claims_queue ON claims (status, checkworthiness DESC) WHERE superseded_at IS NULL;
CREATE INDEX idx_claims_verdict ON claims (verdict);
CREATE INDEX idx_claims_article ON claims (article_id, position);
CREATE INDEX idx_claims_cluster ON claims (cluster_id);
CREATE INDEX idx_claims_assignee ON claims (assignee);
CREATE INDEX idx_claim_events_claim ON claim_events (claim_id, id);
CREATE INDEX idx_claim_events_at ON claim_events (at);
CREATE TRIGGER claims_vocabulary_insert BEFORE INSERT ON claims
BEGIN
    {_vocabulary_checks(nullable={"verdict"})}
END;
CREATE TRIGGER claims_vocabulary_update BEFORE UPDATE OF status, verdict, kind, sourcing ON claims
BEGIN
    {_vocabulary_checks(nullable={"verdict"})}
END;
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
    db["claims"].enable_fts(["text"], create_triggers=True, tokenize="porter")
    db["articles"].enable_fts(["title", "body"], create_triggers=True, tokenize="porter")


def migrate(db: sqlite_utils.Database) -> None:
    """Bring ``db`` up to the current schema (a no-op when it is)."""
    migrations.apply(db)


def needs_migration(db: sqlite_utils.Database) -> bool:
    return bool(migrations.pending(db))

