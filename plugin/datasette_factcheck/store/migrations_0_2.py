"""The migration steps added in 0.2.0: fixed SQL text, never edited once shipped (see migrations.py)."""

from __future__ import annotations

from .migration_steps import step, vocabulary_trigger_sql

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
