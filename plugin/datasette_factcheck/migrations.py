"""The database schema, as sqlite-utils migrations of fixed SQL text.

A database records the names of the steps it has run, never their text, so a
step must not change once committed: a database made before would keep the
old text while a new one got the new, and nothing would notice. Hence every
step is SQL written out here, built from nothing that can change elsewhere:
table names, vocabularies and queue conditions are spelled out rather than
taken from vocab.py, counts.py or writers.py. tests/test_migrations.py pins
each step's text.

To change the schema, append a step with ``step(name, sql)``. A change to a
vocabulary in vocab.py is a step too: append one like
``frozen_vocabulary_triggers`` with the new lists written out (a test fails
until the newest step's lists equal vocab.py's).

Applied by ``schema.migrate``, from ``datasette factcheck load`` and at
Datasette startup.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence

import sqlite_utils

migrations = sqlite_utils.Migrations("datasette-factcheck")
# Every step's SQL by name, in the order the steps run.
STEPS: dict[str, str] = {}


def step(name: str, sql: str) -> None:
    """Append a migration that runs ``sql``."""
    STEPS[name] = sql
    migrations(name=name)(lambda db: run_script(db, sql))


def run_script(db: sqlite_utils.Database, sql: str) -> None:
    """Run each statement of ``sql`` in the migration's transaction.

    Not ``Database.executescript``: inside a transaction it finds where each
    statement ends by testing every prefix of the text, one character longer
    each time, which made nine tenths of setting up a new database.
    """
    for statement in statements(sql):
        db.execute(statement)


def statements(sql: str) -> Iterator[str]:
    """The statements of ``sql``, each stripped. A statement can only end at a
    semicolon, so only there is it tested for being complete: one inside a
    string, a comment or a trigger's body does not end it."""
    start, end = 0, sql.find(";")
    while end != -1:
        candidate = sql[start : end + 1]
        if sqlite3.complete_statement(candidate):
            yield candidate.strip()
            start = end + 1
        end = sql.find(";", end + 1)
    if rest := sql[start:].strip():
        yield rest


def vocabulary_trigger_sql(vocabularies: Mapping[str, Sequence[str]]) -> str:
    """SQL that replaces the triggers refusing values outside ``vocabularies``.

    For migrations, which pass a copy of the vocabularies written out in the
    step itself. A trigger rather than CHECK constraints because RAISE carries
    a message naming the field and the allowed values, which Datasette's
    write API and the SQL pages pass on to the user unchanged. One CASE, and
    ``CASE x WHEN 'a' ...`` rather than ``x NOT IN ('a', ...)``: a trigger runs
    once per row, and SQLite builds a temporary index for every IN list each
    time it does (five times the cost of the insert; the loader runs it for
    every claim).
    """
    checks = _vocabulary_checks(vocabularies)
    return f"""
DROP TRIGGER IF EXISTS claims_vocabulary_insert;
DROP TRIGGER IF EXISTS claims_vocabulary_update;
CREATE TRIGGER claims_vocabulary_insert BEFORE INSERT ON claims
BEGIN
    {checks}
END;
CREATE TRIGGER claims_vocabulary_update BEFORE UPDATE OF status, verdict, kind, sourcing, evidence ON claims
BEGIN
    {checks}
END;"""


def _vocabulary_checks(vocabularies: Mapping[str, Sequence[str]]) -> str:
    rules = []
    for name, values in vocabularies.items():
        outside = _none_of(f"NEW.{name}", values)
        # verdict alone may be empty (no ruling yet).
        condition = f"NEW.{name} IS NOT NULL AND {outside}" if name == "verdict" else f"NEW.{name} IS NULL OR {outside}"
        rules.append((condition, f"{name} must be one of {', '.join(values)}"))
    rules += [
        (
            "NEW.status = 'done' AND NEW.verdict IS NULL",
            f"verdict is required when status is done: set one of {', '.join(vocabularies['verdict'])}",
        ),
        (
            "NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL",
            "verdict must be empty when status is not_checkable",
        ),
        # '[]' (every claim as loaded) is an array: no need to parse it.
        (
            "NEW.evidence IS NULL OR (NEW.evidence != '[]' AND (NOT json_valid(NEW.evidence) OR json_type(NEW.evidence) != 'array'))",
            'evidence must be a JSON array of links or references, such as ["https://..."]',
        ),
    ]
    cases = "\n        ".join(f"WHEN {condition} THEN RAISE(ABORT, '{message}')" for condition, message in rules)
    return f"SELECT CASE\n        {cases}\n    END;"


def _none_of(expression: str, values: Sequence[str]) -> str:
    """True when ``expression`` (not NULL) is none of ``values``."""
    return f"(CASE {expression} {' '.join(f'WHEN {_quote(value)} THEN 0' for value in values)} ELSE 1 END)"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# The indexes that keep the queue in order, as fast_queue_and_counts created
# them. The loader may drop them for a large load and build them once at the
# end (several times faster than row by row), and schema.migrate re-creates
# any that a killed load left missing, with this same text. Never edit it: a
# change to the queue indexes is a new step, with a new constant that
# schema.py then uses.
QUEUE_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_claims_rank ON claims (checkworthiness DESC, id) WHERE superseded_at IS NULL",
    "CREATE INDEX IF NOT EXISTS idx_claims_open ON claims (checkworthiness DESC, id) "
    "WHERE superseded_at IS NULL AND status IN ('unreviewed', 'in_progress')",
    "CREATE INDEX IF NOT EXISTS idx_claims_status ON claims (status, checkworthiness DESC, id) "
    "WHERE superseded_at IS NULL",
)


# --- load: cluster indexes built once after a large load (issue 24) -------
# The indexes the step cluster_counts_and_heads made on claims for clusters,
# with the same definitions. Like QUEUE_INDEX_SQL, a large load drops them and
# builds them once at the end (the rank index alone was a fifth of the
# insert's cost, and the head indexes took a write at a random place for each
# head marked), and schema.migrate re-creates any that a killed load left
# missing, with this text. Never edit it: a change to these indexes is a new
# step, with a new constant that schema.py then uses.
CLUSTER_RANK_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_claims_cluster_rank ON claims "
    "(cluster_id, status, checkworthiness DESC, id, article_id) WHERE superseded_at IS NULL"
)
CLUSTER_HEADS_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_claims_cluster_heads ON claims (cluster_id) WHERE cluster_head = 1"
)
CLUSTER_INDEX_SQL = (
    CLUSTER_RANK_INDEX_SQL,
    CLUSTER_HEADS_INDEX_SQL,
    "CREATE INDEX IF NOT EXISTS idx_claims_heads ON claims (checkworthiness DESC, id) "
    "WHERE cluster_head = 1 AND superseded_at IS NULL",
    "CREATE INDEX IF NOT EXISTS idx_claims_heads_open ON claims (checkworthiness DESC, id) "
    "WHERE cluster_head = 1 AND superseded_at IS NULL AND status IN ('unreviewed', 'in_progress')",
    "CREATE INDEX IF NOT EXISTS idx_claims_heads_status ON claims (status, checkworthiness DESC, id) "
    "WHERE cluster_head = 1 AND superseded_at IS NULL",
)

# --- 0.1.0 ---------------------------------------------------------------
# The text these three steps ran in 0.1.0, written out as it was generated.

step(
    "create_tables",
    """
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
    status TEXT NOT NULL DEFAULT 'unreviewed',
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
CREATE TABLE _factcheck_writer (writer TEXT NOT NULL);
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

CREATE TRIGGER claims_vocabulary_insert BEFORE INSERT ON claims
BEGIN
    SELECT CASE
        WHEN NEW.kind IS NULL OR (CASE NEW.kind WHEN 'statistic' THEN 0 WHEN 'quote' THEN 0 WHEN 'reported' THEN 0 WHEN 'event' THEN 0 WHEN 'prediction' THEN 0 WHEN 'opinion' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'kind must be one of statistic, quote, reported, event, prediction, opinion')
        WHEN NEW.sourcing IS NULL OR (CASE NEW.sourcing WHEN 'leak' THEN 0 WHEN 'anonymous' THEN 0 WHEN 'named_person' THEN 0 WHEN 'media_report' THEN 0 WHEN 'social_media' THEN 0 WHEN 'official_document' THEN 0 WHEN 'unattributed' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'sourcing must be one of leak, anonymous, named_person, media_report, social_media, official_document, unattributed')
        WHEN NEW.status IS NULL OR (CASE NEW.status WHEN 'unreviewed' THEN 0 WHEN 'in_progress' THEN 0 WHEN 'needs_second_review' THEN 0 WHEN 'done' THEN 0 WHEN 'not_checkable' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'status must be one of unreviewed, in_progress, needs_second_review, done, not_checkable')
        WHEN NEW.verdict IS NOT NULL AND (CASE NEW.verdict WHEN 'true' THEN 0 WHEN 'mostly_true' THEN 0 WHEN 'half_true' THEN 0 WHEN 'mostly_false' THEN 0 WHEN 'false' THEN 0 WHEN 'misleading' THEN 0 WHEN 'unproven' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'verdict must be one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'done' AND NEW.verdict IS NULL THEN RAISE(ABORT, 'verdict is required when status is done: set one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL THEN RAISE(ABORT, 'verdict must be empty when status is not_checkable')
        WHEN NEW.evidence IS NULL OR (NEW.evidence != '[]' AND (NOT json_valid(NEW.evidence) OR json_type(NEW.evidence) != 'array')) THEN RAISE(ABORT, 'evidence must be a JSON array of links or references, such as ["https://..."]')
    END;
END;
CREATE TRIGGER claims_vocabulary_update BEFORE UPDATE OF status, verdict, kind, sourcing, evidence ON claims
BEGIN
    SELECT CASE
        WHEN NEW.kind IS NULL OR (CASE NEW.kind WHEN 'statistic' THEN 0 WHEN 'quote' THEN 0 WHEN 'reported' THEN 0 WHEN 'event' THEN 0 WHEN 'prediction' THEN 0 WHEN 'opinion' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'kind must be one of statistic, quote, reported, event, prediction, opinion')
        WHEN NEW.sourcing IS NULL OR (CASE NEW.sourcing WHEN 'leak' THEN 0 WHEN 'anonymous' THEN 0 WHEN 'named_person' THEN 0 WHEN 'media_report' THEN 0 WHEN 'social_media' THEN 0 WHEN 'official_document' THEN 0 WHEN 'unattributed' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'sourcing must be one of leak, anonymous, named_person, media_report, social_media, official_document, unattributed')
        WHEN NEW.status IS NULL OR (CASE NEW.status WHEN 'unreviewed' THEN 0 WHEN 'in_progress' THEN 0 WHEN 'needs_second_review' THEN 0 WHEN 'done' THEN 0 WHEN 'not_checkable' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'status must be one of unreviewed, in_progress, needs_second_review, done, not_checkable')
        WHEN NEW.verdict IS NOT NULL AND (CASE NEW.verdict WHEN 'true' THEN 0 WHEN 'mostly_true' THEN 0 WHEN 'half_true' THEN 0 WHEN 'mostly_false' THEN 0 WHEN 'false' THEN 0 WHEN 'misleading' THEN 0 WHEN 'unproven' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'verdict must be one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'done' AND NEW.verdict IS NULL THEN RAISE(ABORT, 'verdict is required when status is done: set one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL THEN RAISE(ABORT, 'verdict must be empty when status is not_checkable')
        WHEN NEW.evidence IS NULL OR (NEW.evidence != '[]' AND (NOT json_valid(NEW.evidence) OR json_type(NEW.evidence) != 'array')) THEN RAISE(ABORT, 'evidence must be a JSON array of links or references, such as ["https://..."]')
    END;
END;

CREATE TRIGGER claims_history_other_writers AFTER UPDATE OF status, verdict, note, evidence, assignee ON claims
WHEN NOT EXISTS (SELECT writer FROM _factcheck_writer) AND (OLD.status IS NOT NEW.status OR OLD.verdict IS NOT NEW.verdict OR OLD.note IS NOT NEW.note OR OLD.evidence IS NOT NEW.evidence OR OLD.assignee IS NOT NEW.assignee)
BEGIN
    INSERT INTO claim_events (claim_id, at, actor, action, changes)
    SELECT NEW.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), NULL, 'api', json_group_object(field, json(change))
    FROM (SELECT 'status' AS field, json_array(OLD.status, NEW.status) AS change WHERE OLD.status IS NOT NEW.status UNION ALL SELECT 'verdict' AS field, json_array(OLD.verdict, NEW.verdict) AS change WHERE OLD.verdict IS NOT NEW.verdict UNION ALL SELECT 'note' AS field, json_array(OLD.note, NEW.note) AS change WHERE OLD.note IS NOT NEW.note UNION ALL SELECT 'evidence' AS field, json_array(json(OLD.evidence), json(NEW.evidence)) AS change WHERE OLD.evidence IS NOT NEW.evidence UNION ALL SELECT 'assignee' AS field, json_array(OLD.assignee, NEW.assignee) AS change WHERE OLD.assignee IS NOT NEW.assignee);
    UPDATE claims SET version = max(OLD.version, NEW.version) + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER claim_events_no_update BEFORE UPDATE ON claim_events
BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only: history rows cannot be changed');
END;
CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events
BEGIN
    SELECT RAISE(ABORT, 'claim_events is append-only: history rows cannot be deleted');
END;
-- Full-text search as sqlite-utils' enable_fts(tokenize="porter") wrote it, kept
-- in step by triggers that re-index only when an indexed column changes (review
-- saves never touch the index) and that leave bulk loads to index set-wise.
CREATE VIRTUAL TABLE "claims_fts" USING FTS5 (
    "text",
    tokenize='porter',
    content="claims"
);
INSERT INTO "claims_fts" (rowid, "text")
    SELECT rowid, "text" FROM "claims";
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims
WHEN NOT EXISTS (SELECT writer FROM _factcheck_writer WHERE writer = 'load')
BEGIN
    INSERT INTO claims_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims
BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER claims_fts_update AFTER UPDATE OF text ON claims
BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO claims_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE VIRTUAL TABLE "articles_fts" USING FTS5 (
    "title", "body",
    tokenize='porter',
    content="articles"
);
INSERT INTO "articles_fts" (rowid, "title", "body")
    SELECT rowid, "title", "body" FROM "articles";
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
WHEN NOT EXISTS (SELECT writer FROM _factcheck_writer WHERE writer = 'load')
BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
""",
)

# The queue at a million claims: ordered index walks instead of sorts, and
# exact counts from a summary table (see counts.py) instead of GROUP BY.
step(
    "fast_queue_and_counts",
    f"""
-- Each view walks an index already in queue order and stops after one page.
DROP INDEX idx_claims_queue;
DROP INDEX idx_claims_verdict;
DROP INDEX idx_claims_assignee;
{";".join(QUEUE_INDEX_SQL)};
-- Partial: a freshly loaded claim has neither, so loading never touches these.
CREATE INDEX idx_claims_verdict ON claims (verdict, checkworthiness DESC, id) WHERE verdict IS NOT NULL;
CREATE INDEX idx_claims_assignee ON claims (assignee, checkworthiness DESC, id) WHERE assignee IS NOT NULL;
CREATE INDEX idx_articles_outlet ON articles (outlet);

CREATE TABLE claim_counts (
    status TEXT NOT NULL, verdict TEXT NOT NULL, kind TEXT NOT NULL, sourcing TEXT NOT NULL, outlet TEXT NOT NULL, assignee TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (status, verdict, kind, sourcing, outlet, assignee)
) WITHOUT ROWID;
CREATE TRIGGER claim_counts_insert AFTER INSERT ON claims
WHEN NOT EXISTS (SELECT writer FROM _factcheck_writer WHERE writer = 'load')
BEGIN
    INSERT INTO claim_counts (status, verdict, kind, sourcing, outlet, assignee, n)
        SELECT NEW.status, coalesce(NEW.verdict, ''), coalesce(NEW.kind, ''), coalesce(NEW.sourcing, ''), coalesce((SELECT outlet FROM articles WHERE id = NEW.article_id), ''), coalesce(NEW.assignee, ''), 1 WHERE NEW.superseded_at IS NULL
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER claim_counts_delete AFTER DELETE ON claims
BEGIN
    INSERT INTO claim_counts (status, verdict, kind, sourcing, outlet, assignee, n)
        SELECT OLD.status, coalesce(OLD.verdict, ''), coalesce(OLD.kind, ''), coalesce(OLD.sourcing, ''), coalesce((SELECT outlet FROM articles WHERE id = OLD.article_id), ''), coalesce(OLD.assignee, ''), -1 WHERE OLD.superseded_at IS NULL
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER claim_counts_update AFTER UPDATE OF status, verdict, kind, sourcing, assignee, superseded_at, article_id ON claims
BEGIN
    INSERT INTO claim_counts (status, verdict, kind, sourcing, outlet, assignee, n)
        SELECT OLD.status, coalesce(OLD.verdict, ''), coalesce(OLD.kind, ''), coalesce(OLD.sourcing, ''), coalesce((SELECT outlet FROM articles WHERE id = OLD.article_id), ''), coalesce(OLD.assignee, ''), -1 WHERE OLD.superseded_at IS NULL
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO claim_counts (status, verdict, kind, sourcing, outlet, assignee, n)
        SELECT NEW.status, coalesce(NEW.verdict, ''), coalesce(NEW.kind, ''), coalesce(NEW.sourcing, ''), coalesce((SELECT outlet FROM articles WHERE id = NEW.article_id), ''), coalesce(NEW.assignee, ''), 1 WHERE NEW.superseded_at IS NULL
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER claim_counts_outlet AFTER UPDATE OF outlet ON articles
WHEN OLD.outlet IS NOT NEW.outlet
BEGIN
    INSERT INTO claim_counts (status, verdict, kind, sourcing, outlet, assignee, n)
        SELECT c.status, coalesce(c.verdict, ''), coalesce(c.kind, ''), coalesce(c.sourcing, ''),
               coalesce(OLD.outlet, ''), coalesce(c.assignee, ''), -1 * count(*)
        FROM claims c WHERE c.article_id = NEW.id AND c.superseded_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO claim_counts (status, verdict, kind, sourcing, outlet, assignee, n)
        SELECT c.status, coalesce(c.verdict, ''), coalesce(c.kind, ''), coalesce(c.sourcing, ''),
               coalesce(NEW.outlet, ''), coalesce(c.assignee, ''), 1 * count(*)
        FROM claims c WHERE c.article_id = NEW.id AND c.superseded_at IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
-- Count the claims already stored.
INSERT INTO claim_counts (status, verdict, kind, sourcing, outlet, assignee, n)
        SELECT c.status, coalesce(c.verdict, ''), coalesce(c.kind, ''), coalesce(c.sourcing, ''),
               coalesce(a.outlet, ''), coalesce(c.assignee, ''), count(*)
        FROM claims c JOIN articles a ON a.id = c.article_id
        WHERE c.superseded_at IS NULL AND 1
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n;
""",
)

# The same rules and messages checked without IN lists (see
# vocabulary_trigger_sql): databases made before get the faster triggers.
step(
    "cheaper_vocabulary_triggers",
    """
DROP TRIGGER claims_vocabulary_insert;
DROP TRIGGER claims_vocabulary_update;

CREATE TRIGGER claims_vocabulary_insert BEFORE INSERT ON claims
BEGIN
    SELECT CASE
        WHEN NEW.kind IS NULL OR (CASE NEW.kind WHEN 'statistic' THEN 0 WHEN 'quote' THEN 0 WHEN 'reported' THEN 0 WHEN 'event' THEN 0 WHEN 'prediction' THEN 0 WHEN 'opinion' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'kind must be one of statistic, quote, reported, event, prediction, opinion')
        WHEN NEW.sourcing IS NULL OR (CASE NEW.sourcing WHEN 'leak' THEN 0 WHEN 'anonymous' THEN 0 WHEN 'named_person' THEN 0 WHEN 'media_report' THEN 0 WHEN 'social_media' THEN 0 WHEN 'official_document' THEN 0 WHEN 'unattributed' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'sourcing must be one of leak, anonymous, named_person, media_report, social_media, official_document, unattributed')
        WHEN NEW.status IS NULL OR (CASE NEW.status WHEN 'unreviewed' THEN 0 WHEN 'in_progress' THEN 0 WHEN 'needs_second_review' THEN 0 WHEN 'done' THEN 0 WHEN 'not_checkable' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'status must be one of unreviewed, in_progress, needs_second_review, done, not_checkable')
        WHEN NEW.verdict IS NOT NULL AND (CASE NEW.verdict WHEN 'true' THEN 0 WHEN 'mostly_true' THEN 0 WHEN 'half_true' THEN 0 WHEN 'mostly_false' THEN 0 WHEN 'false' THEN 0 WHEN 'misleading' THEN 0 WHEN 'unproven' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'verdict must be one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'done' AND NEW.verdict IS NULL THEN RAISE(ABORT, 'verdict is required when status is done: set one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL THEN RAISE(ABORT, 'verdict must be empty when status is not_checkable')
        WHEN NEW.evidence IS NULL OR (NEW.evidence != '[]' AND (NOT json_valid(NEW.evidence) OR json_type(NEW.evidence) != 'array')) THEN RAISE(ABORT, 'evidence must be a JSON array of links or references, such as ["https://..."]')
    END;
END;
CREATE TRIGGER claims_vocabulary_update BEFORE UPDATE OF status, verdict, kind, sourcing, evidence ON claims
BEGIN
    SELECT CASE
        WHEN NEW.kind IS NULL OR (CASE NEW.kind WHEN 'statistic' THEN 0 WHEN 'quote' THEN 0 WHEN 'reported' THEN 0 WHEN 'event' THEN 0 WHEN 'prediction' THEN 0 WHEN 'opinion' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'kind must be one of statistic, quote, reported, event, prediction, opinion')
        WHEN NEW.sourcing IS NULL OR (CASE NEW.sourcing WHEN 'leak' THEN 0 WHEN 'anonymous' THEN 0 WHEN 'named_person' THEN 0 WHEN 'media_report' THEN 0 WHEN 'social_media' THEN 0 WHEN 'official_document' THEN 0 WHEN 'unattributed' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'sourcing must be one of leak, anonymous, named_person, media_report, social_media, official_document, unattributed')
        WHEN NEW.status IS NULL OR (CASE NEW.status WHEN 'unreviewed' THEN 0 WHEN 'in_progress' THEN 0 WHEN 'needs_second_review' THEN 0 WHEN 'done' THEN 0 WHEN 'not_checkable' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'status must be one of unreviewed, in_progress, needs_second_review, done, not_checkable')
        WHEN NEW.verdict IS NOT NULL AND (CASE NEW.verdict WHEN 'true' THEN 0 WHEN 'mostly_true' THEN 0 WHEN 'half_true' THEN 0 WHEN 'mostly_false' THEN 0 WHEN 'false' THEN 0 WHEN 'misleading' THEN 0 WHEN 'unproven' THEN 0 ELSE 1 END) THEN RAISE(ABORT, 'verdict must be one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'done' AND NEW.verdict IS NULL THEN RAISE(ABORT, 'verdict is required when status is done: set one of true, mostly_true, half_true, mostly_false, false, misleading, unproven')
        WHEN NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL THEN RAISE(ABORT, 'verdict must be empty when status is not_checkable')
        WHEN NEW.evidence IS NULL OR (NEW.evidence != '[]' AND (NOT json_valid(NEW.evidence) OR json_type(NEW.evidence) != 'array')) THEN RAISE(ABORT, 'evidence must be a JSON array of links or references, such as ["https://..."]')
    END;
END;
""",
)

# --- 0.2.0 ---------------------------------------------------------------

# The vocabularies written out, so that the triggers no longer follow
# vocab.py: the same triggers as before on every database. A change to a
# vocabulary appends a step like this one with the new lists.
step(
    "frozen_vocabulary_triggers",
    vocabulary_trigger_sql(
        {
            "kind": ("statistic", "quote", "reported", "event", "prediction", "opinion"),
            "sourcing": (
                "leak",
                "anonymous",
                "named_person",
                "media_report",
                "social_media",
                "official_document",
                "unattributed",
            ),
            "status": ("unreviewed", "in_progress", "needs_second_review", "done", "not_checkable"),
            "verdict": ("true", "mostly_true", "half_true", "mostly_false", "false", "misleading", "unproven"),
        }
    ),
)

# A row in _factcheck_writer switches the history trigger off (and, for
# 'load', the FTS and counts triggers for inserts). The table is in main, so
# anyone with Datasette's write API could add one: now only writers.writing_as
# may, whose connection answers 1 from factcheck_writer_pass() just while it
# adds its row (a connection without the function cannot insert at all).
# Rows left over from before are removed.
step(
    "writer_marker_guard",
    """
DELETE FROM _factcheck_writer;
CREATE TRIGGER _factcheck_writer_insert BEFORE INSERT ON _factcheck_writer
WHEN NOT factcheck_writer_pass()
BEGIN
    SELECT RAISE(ABORT, '_factcheck_writer is written only by the factcheck plugin''s own writes');
END;
CREATE TRIGGER _factcheck_writer_update BEFORE UPDATE ON _factcheck_writer
BEGIN
    SELECT RAISE(ABORT, '_factcheck_writer is written only by the factcheck plugin''s own writes');
END;
""",
)

# The history trigger now also watches version: a change of version alone is
# recorded too, and whatever a writer set, the version moves past both the
# old and the new value (as integers: the write API can store text there),
# so an editor's open form always sees the conflict. Datasette and
# sqlite-utils turn recursive_triggers on, so that move fires the trigger
# again, as a change of version alone: it moves in two steps through a BLOB,
# which no JSON writer can store, and a change of version with a BLOB on
# either side is not recorded. (Not a marker row held meanwhile: rows in
# _factcheck_writer are the plugin's alone, see writer_marker_guard.)
step(
    "history_records_version",
    """
DROP TRIGGER claims_history_other_writers;
CREATE TRIGGER claims_history_other_writers AFTER UPDATE OF status, verdict, note, evidence, assignee, version ON claims
WHEN NOT EXISTS (SELECT writer FROM _factcheck_writer) AND (OLD.status IS NOT NEW.status OR OLD.verdict IS NOT NEW.verdict OR OLD.note IS NOT NEW.note OR OLD.evidence IS NOT NEW.evidence OR OLD.assignee IS NOT NEW.assignee OR (OLD.version IS NOT NEW.version AND typeof(OLD.version) <> 'blob' AND typeof(NEW.version) <> 'blob'))
BEGIN
    INSERT INTO claim_events (claim_id, at, actor, action, changes)
    SELECT NEW.id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), NULL, 'api', json_group_object(field, json(change))
    FROM (SELECT 'status' AS field, json_array(OLD.status, NEW.status) AS change WHERE OLD.status IS NOT NEW.status UNION ALL SELECT 'verdict' AS field, json_array(OLD.verdict, NEW.verdict) AS change WHERE OLD.verdict IS NOT NEW.verdict UNION ALL SELECT 'note' AS field, json_array(OLD.note, NEW.note) AS change WHERE OLD.note IS NOT NEW.note UNION ALL SELECT 'evidence' AS field, json_array(json(OLD.evidence), json(NEW.evidence)) AS change WHERE OLD.evidence IS NOT NEW.evidence UNION ALL SELECT 'assignee' AS field, json_array(OLD.assignee, NEW.assignee) AS change WHERE OLD.assignee IS NOT NEW.assignee UNION ALL SELECT 'version' AS field, json_array(OLD.version, NEW.version) AS change WHERE OLD.version IS NOT NEW.version);
    UPDATE claims SET version = CAST(max(CAST(OLD.version AS INTEGER), CAST(NEW.version AS INTEGER)) + 1 AS BLOB) WHERE id = NEW.id;
    UPDATE claims SET version = CAST(version AS INTEGER) WHERE id = NEW.id;
END;
""",
)

# What each URL answered when it was last fetched (datasette factcheck load URL, the Add
# page): its ETag and Last-Modified for a conditional re-poll, and the article it gave
# (NULL for a feed or sitemap). Written by ingest_web.FetchLog after the articles load.
step(
    "fetch_log",
    """
CREATE TABLE _factcheck_fetches (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL,
    article_id TEXT
);
""",
)

# A newsroom's own check-worthiness models (datasette factcheck train), newest last,
# with when and from how many decisions each was fitted; and which model scored each
# claim ("built-in model" or "newsroom model N (...)"), shown on the claim page.
step(
    "newsroom_models",
    """
CREATE TABLE factcheck_models (
    id INTEGER PRIMARY KEY,
    trained_at TEXT NOT NULL,
    decisions INTEGER NOT NULL,
    checkworthy INTEGER NOT NULL,
    not_checkable INTEGER NOT NULL,
    model BLOB NOT NULL
);
ALTER TABLE claims ADD COLUMN scored_by TEXT;
""",
)

# --- Published fact-checks and matching (issue 24) ---------------------------------------
# factchecks: published fact-checks (ClaimReview) imported by `datasette factcheck
# import-factchecks`, searched by FTS5 (porter) over claim, title and summary.
# claim_matches: each claim's closest fact-checks and the desk's own rulings, up to 5.
# claim_rulings_fts: the text of claims ruled on (done with a verdict), kept by triggers so
# that matching searches the rulings alone, not every claim.
step(
    "match_factchecks",
    """
CREATE TABLE factchecks (
    id TEXT PRIMARY KEY,
    claim TEXT NOT NULL,
    claimant TEXT,
    rating TEXT,
    verdict TEXT CHECK (verdict IS NULL OR verdict IN ('true', 'mostly_true', 'half_true', 'mostly_false', 'false', 'misleading', 'unproven')),
    publisher TEXT,
    url TEXT,
    published TEXT,
    title TEXT,
    summary TEXT,
    source TEXT,
    loaded_at TEXT NOT NULL
);
CREATE INDEX idx_factchecks_published ON factchecks (published);
CREATE INDEX idx_factchecks_publisher ON factchecks (publisher);
CREATE VIRTUAL TABLE factchecks_fts USING FTS5 (
    claim, title, summary,
    content=factchecks, tokenize='porter'
);
CREATE TRIGGER factchecks_fts_insert AFTER INSERT ON factchecks
BEGIN
    INSERT INTO factchecks_fts (rowid, claim, title, summary) VALUES (new.rowid, new.claim, new.title, new.summary);
END;
CREATE TRIGGER factchecks_fts_delete AFTER DELETE ON factchecks
BEGIN
    INSERT INTO factchecks_fts (factchecks_fts, rowid, claim, title, summary) VALUES ('delete', old.rowid, old.claim, old.title, old.summary);
END;
CREATE TRIGGER factchecks_fts_update AFTER UPDATE OF claim, title, summary ON factchecks
BEGIN
    INSERT INTO factchecks_fts (factchecks_fts, rowid, claim, title, summary) VALUES ('delete', old.rowid, old.claim, old.title, old.summary);
    INSERT INTO factchecks_fts (rowid, claim, title, summary) VALUES (new.rowid, new.claim, new.title, new.summary);
END;
CREATE TABLE claim_matches (
    claim_id TEXT NOT NULL REFERENCES claims (id),
    factcheck_id TEXT REFERENCES factchecks (id),
    ruled_claim_id TEXT REFERENCES claims (id),
    score REAL NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (claim_id, rank),
    CHECK ((factcheck_id IS NULL) <> (ruled_claim_id IS NULL))
);
CREATE INDEX idx_claim_matches_factcheck ON claim_matches (factcheck_id) WHERE factcheck_id IS NOT NULL;
CREATE INDEX idx_claim_matches_ruled ON claim_matches (ruled_claim_id) WHERE ruled_claim_id IS NOT NULL;
CREATE VIRTUAL TABLE claim_rulings_fts USING FTS5 (text, tokenize='porter');
INSERT INTO claim_rulings_fts (rowid, text)
SELECT rowid, text FROM claims WHERE status = 'done' AND verdict IS NOT NULL AND superseded_at IS NULL;
CREATE TRIGGER claim_rulings_fts_insert AFTER INSERT ON claims
WHEN new.status = 'done' AND new.verdict IS NOT NULL AND new.superseded_at IS NULL
BEGIN
    INSERT INTO claim_rulings_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER claim_rulings_fts_update AFTER UPDATE OF status, verdict, text, superseded_at ON claims
BEGIN
    DELETE FROM claim_rulings_fts WHERE rowid = old.rowid;
    INSERT INTO claim_rulings_fts (rowid, text) SELECT new.rowid, new.text
    WHERE new.status = 'done' AND new.verdict IS NOT NULL AND new.superseded_at IS NULL;
END;
CREATE TRIGGER claim_rulings_fts_delete AFTER DELETE ON claims
BEGIN
    DELETE FROM claim_rulings_fts WHERE rowid = old.rowid;
END;
""",
)

# The second stage of matching (issue 24): each fact-check's sentence vector (float32
# little-endian, unit length) from the model named in `model`, computed at import when
# the [semantic] extra is installed; a fact-check without one is ranked lexically alone.
step(
    "match_factcheck_vectors",
    """
CREATE TABLE factcheck_vectors (
    factcheck_id TEXT PRIMARY KEY REFERENCES factchecks (id),
    model TEXT NOT NULL,
    vector BLOB NOT NULL
);
""",
)

# --- cluster: repeats as one item, cluster counts kept in the database ------
# (helper "cluster", issues 23 item 4 and 26.) claim_clusters holds each
# cluster's live copies and the articles they are in, for the queue's badge
# without counting members. cluster_head marks the best live copy of each
# cluster in each status, so the queue can walk one row per cluster in its
# own order. Both kept by the loader set-wise (cluster_store.refresh, under
# the 'load' marker) and by these triggers for every other write. The rows
# already stored are counted and marked by cluster_store.backfill, which
# schema.migrate runs while _factcheck_cluster_backfill holds a row (it also
# files exact-repeat keys, a Python hash, and joins split copies).
step(
    "cluster_counts_and_heads",
    """
ALTER TABLE claims ADD COLUMN cluster_head INTEGER NOT NULL DEFAULT 0;
CREATE TABLE claim_clusters (
    cluster_id TEXT PRIMARY KEY,
    copies INTEGER NOT NULL,
    articles INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE _factcheck_cluster_backfill (pending INTEGER NOT NULL);
INSERT INTO _factcheck_cluster_backfill (pending) VALUES (1);
-- A cluster's live copies in each status, best first (its head), and their articles.
CREATE INDEX idx_claims_cluster_rank ON claims (cluster_id, status, checkworthiness DESC, id, article_id) WHERE superseded_at IS NULL;
CREATE INDEX idx_claims_cluster_heads ON claims (cluster_id) WHERE cluster_head = 1;
-- The folded queue walks these: one row per cluster, in queue order.
CREATE INDEX idx_claims_heads ON claims (checkworthiness DESC, id) WHERE cluster_head = 1 AND superseded_at IS NULL;
CREATE INDEX idx_claims_heads_open ON claims (checkworthiness DESC, id) WHERE cluster_head = 1 AND superseded_at IS NULL AND status IN ('unreviewed', 'in_progress');
CREATE INDEX idx_claims_heads_status ON claims (status, checkworthiness DESC, id) WHERE cluster_head = 1 AND superseded_at IS NULL;
CREATE TRIGGER claim_clusters_insert_unclustered AFTER INSERT ON claims
WHEN NEW.cluster_id IS NULL AND NOT EXISTS (SELECT writer FROM _factcheck_writer WHERE writer = 'load')
BEGIN
    UPDATE claims SET cluster_id = NEW.id WHERE id = NEW.id;
END;
CREATE TRIGGER claim_clusters_insert AFTER INSERT ON claims
WHEN NEW.cluster_id IS NOT NULL AND NOT EXISTS (SELECT writer FROM _factcheck_writer WHERE writer = 'load')
BEGIN
    INSERT INTO claim_clusters (cluster_id, copies, articles) SELECT NEW.cluster_id, 1, 1 WHERE NEW.superseded_at IS NULL
        ON CONFLICT DO UPDATE SET copies = copies + 1, articles = articles + ((SELECT count(*) FROM claims WHERE cluster_id = NEW.cluster_id AND article_id IS NEW.article_id AND superseded_at IS NULL) = 1);
    UPDATE claims SET cluster_head = 0 WHERE cluster_head = 1 AND cluster_id = NEW.cluster_id AND status = NEW.status AND id IS NOT (SELECT id FROM claims WHERE cluster_id = NEW.cluster_id AND status = NEW.status AND superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT 1);
    UPDATE claims SET cluster_head = 1 WHERE cluster_head = 0 AND id = (SELECT id FROM claims WHERE cluster_id = NEW.cluster_id AND status = NEW.status AND superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT 1);
END;
CREATE TRIGGER claim_clusters_update AFTER UPDATE OF status, checkworthiness, cluster_id, superseded_at, article_id ON claims
WHEN NOT EXISTS (SELECT writer FROM _factcheck_writer WHERE writer = 'load')
BEGIN
    UPDATE claim_clusters SET copies = copies - 1, articles = articles - NOT EXISTS (SELECT 1 FROM claims WHERE cluster_id = OLD.cluster_id AND article_id IS OLD.article_id AND superseded_at IS NULL)
        WHERE cluster_id = OLD.cluster_id AND OLD.superseded_at IS NULL AND (OLD.cluster_id IS NOT NEW.cluster_id OR OLD.article_id IS NOT NEW.article_id OR NEW.superseded_at IS NOT NULL);
    DELETE FROM claim_clusters WHERE cluster_id = OLD.cluster_id AND copies <= 0;
    INSERT INTO claim_clusters (cluster_id, copies, articles) SELECT NEW.cluster_id, 1, 1
        WHERE NEW.cluster_id IS NOT NULL AND NEW.superseded_at IS NULL AND (OLD.cluster_id IS NOT NEW.cluster_id OR OLD.article_id IS NOT NEW.article_id OR OLD.superseded_at IS NOT NULL)
        ON CONFLICT DO UPDATE SET copies = copies + 1, articles = articles + ((SELECT count(*) FROM claims WHERE cluster_id = NEW.cluster_id AND article_id IS NEW.article_id AND superseded_at IS NULL) = 1);
    UPDATE claims SET cluster_head = 0 WHERE cluster_head = 1 AND cluster_id = OLD.cluster_id AND status = OLD.status AND id IS NOT (SELECT id FROM claims WHERE cluster_id = OLD.cluster_id AND status = OLD.status AND superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT 1);
    UPDATE claims SET cluster_head = 1 WHERE cluster_head = 0 AND id = (SELECT id FROM claims WHERE cluster_id = OLD.cluster_id AND status = OLD.status AND superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT 1);
    UPDATE claims SET cluster_head = 0 WHERE cluster_head = 1 AND cluster_id = NEW.cluster_id AND status = NEW.status AND id IS NOT (SELECT id FROM claims WHERE cluster_id = NEW.cluster_id AND status = NEW.status AND superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT 1);
    UPDATE claims SET cluster_head = 1 WHERE cluster_head = 0 AND id = (SELECT id FROM claims WHERE cluster_id = NEW.cluster_id AND status = NEW.status AND superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT 1);
    UPDATE claims SET cluster_head = 0 WHERE id = NEW.id AND cluster_head = 1 AND NEW.superseded_at IS NOT NULL;
END;
CREATE TRIGGER claim_clusters_delete AFTER DELETE ON claims
BEGIN
    UPDATE claim_clusters SET copies = copies - 1, articles = articles - NOT EXISTS (SELECT 1 FROM claims WHERE cluster_id = OLD.cluster_id AND article_id IS OLD.article_id AND superseded_at IS NULL)
        WHERE cluster_id = OLD.cluster_id AND OLD.superseded_at IS NULL;
    DELETE FROM claim_clusters WHERE cluster_id = OLD.cluster_id AND copies <= 0;
    UPDATE claims SET cluster_head = 1 WHERE cluster_head = 0 AND id = (SELECT id FROM claims WHERE cluster_id = OLD.cluster_id AND status = OLD.status AND superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT 1);
END;
""",
)
