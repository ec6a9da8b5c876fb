"""The migration steps added in 0.3.0 (published fact-checks, clusters): fixed SQL text, never edited once shipped (see migrations.py)."""

from __future__ import annotations

from .migration_steps import step

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
