"""The migration steps of 0.1.0: fixed SQL text, never edited once shipped (see migrations.py)."""

from __future__ import annotations

from .migration_steps import QUEUE_INDEX_SQL, step

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
