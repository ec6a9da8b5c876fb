"""Repeats are one item: exact copies always share a cluster, the queue shows
one row per cluster (a switch lists every copy), a ruling can go to every
copy with its history, and the stored cluster counts always equal a recount."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest
import sqlite_utils
from datasette import hookimpl

from datasette_factcheck.extract.signature import exact_key, normalised
from datasette_factcheck.load import run as load
from datasette_factcheck.load.plugins import standalone_plugin_manager
from datasette_factcheck.load.run import load_paths
from datasette_factcheck.store import clusters as cluster_store
from support.helpers import make_datasette
from support.webtools import ALICE, events, read, save

QUEUE = "/factcheck/-/factcheck"
FIGURE = "Unemployment fell by 40,000 in the year to March — the biggest fall since 2015, the ONS said."
# The same sentence as other printings have it: case, dashes, spaces, quotes.
FIGURE_COPIES = (
    FIGURE,
    "UNEMPLOYMENT fell by 40,000 in the year to March - the biggest fall since 2015, the ONS said.",
    "Unemployment fell  by 40,000 in the year to March – the biggest fall since 2015, the ONS said.",
)
RECORD = "The minister said the ‘record’ rise in exports was 12%."
RECORD_COPIES = (RECORD, "The minister said the 'record' rise in exports was 12%.")
SHORT = ("Exports rose 12% in 2024.", "exports rose 12% in 2024.")  # too few words to be compared
FILLER = (
    "The weather in Leeds was mild on Tuesday and many people went out.",
    "A spokesman for the council declined to comment on the plans.",
)


def write_articles(path, prefix: str, count: int) -> None:
    """``count`` articles, each printing a copy of two of the repeated sentences."""
    sentences = FIGURE_COPIES + RECORD_COPIES + SHORT
    with path.open("w") as out:
        for i in range(count):
            body = "\n\n".join([FILLER[i % 2], sentences[i % len(sentences)], sentences[(i + 3) % len(sentences)]])
            out.write(json.dumps({"id": f"{prefix}{i}", "title": f"Article {prefix}{i}", "body": body}) + "\n")


def clusters_of(path, sentences) -> set[str]:
    conn = sqlite3.connect(path)
    keys = {normalised(text) for text in sentences}
    return {
        cluster for text, cluster in conn.execute("SELECT text, cluster_id FROM claims") if normalised(text) in keys
    }


def assert_counts_right(path) -> None:
    assert cluster_store.mismatches(sqlite3.connect(path)) == []


@pytest.fixture
def repeated(tmp_path, monkeypatch):
    """Two loads of 14 articles each, three articles a batch."""
    monkeypatch.setattr(load, "BATCH_ARTICLES", 3)
    path = tmp_path / "factcheck.db"
    for prefix in ("a", "b"):
        source = tmp_path / f"{prefix}.jsonl"
        write_articles(source, prefix, 14)
        assert not load_paths(path, [source]).problems
    return path


def test_copies_differing_in_case_quotes_dashes_and_spaces_have_one_key():
    for copies in (FIGURE_COPIES, RECORD_COPIES, SHORT):
        assert len({exact_key(text) for text in copies}) == 1
    assert exact_key(FIGURE) != exact_key(FIGURE.replace("40,000", "41,000"))
    assert exact_key(FIGURE) < 0  # apart from every sketch key


def test_normalised_maps_every_quote_and_dash_as_one_translate_table_would():
    """normalised() takes shortcuts (ASCII text, one character at a time, claim ids' form for
    exact keys); the table is the definition."""
    from datasette_factcheck.extract.signature import _SAME_CHARACTERS, _claim_normalised

    mapped = "".join(map(chr, _SAME_CHARACTERS))
    alphabet = "aZ 1`'\"-\t\n\u00e9\u0130\u00df\u00a0\u2009" + mapped
    rng = random.Random(24)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert normalised(text) == " ".join(text.translate(_SAME_CHARACTERS).lower().split()), repr(text)
        assert _claim_normalised(text) == normalised(text), repr(text)  # exact keys' shortcut


def test_exact_repeats_share_one_cluster_across_batches_and_loads(repeated):
    for copies in (FIGURE_COPIES, RECORD_COPIES, SHORT):
        assert len(clusters_of(repeated, copies)) == 1, copies
    assert clusters_of(repeated, FIGURE_COPIES) != clusters_of(repeated, RECORD_COPIES)
    assert_counts_right(repeated)


def test_stored_cluster_counts_are_the_recount(repeated):
    conn = sqlite3.connect(repeated)
    (cluster,) = clusters_of(repeated, FIGURE_COPIES)
    copies, articles = conn.execute(
        "SELECT copies, articles FROM claim_clusters WHERE cluster_id = ?", [cluster]
    ).fetchone()
    live = conn.execute(
        "SELECT count(*), count(DISTINCT article_id) FROM claims WHERE cluster_id = ?", [cluster]
    ).fetchone()
    assert (copies, articles) == live and copies > 5


def test_counts_stay_right_after_a_reload_that_supersedes_copies(repeated, tmp_path):
    edited = tmp_path / "edited.jsonl"
    # Article a0 loses its figure: that copy is superseded, the cluster one copy smaller.
    edited.write_text(json.dumps({"id": "a0", "title": "Article a0", "body": FILLER[0] + "\n\n" + RECORD}) + "\n")
    (cluster,) = clusters_of(repeated, FIGURE_COPIES)
    before = (
        sqlite3.connect(repeated)
        .execute("SELECT copies FROM claim_clusters WHERE cluster_id = ?", [cluster])
        .fetchone()[0]
    )
    summary = load_paths(repeated, [edited])
    assert summary.claims_superseded >= 1
    after = (
        sqlite3.connect(repeated)
        .execute("SELECT copies FROM claim_clusters WHERE cluster_id = ?", [cluster])
        .fetchone()[0]
    )
    assert after == before - 1
    assert_counts_right(repeated)


def test_counts_and_heads_follow_every_other_write(repeated):
    db = sqlite_utils.Database(repeated)
    (cluster,) = clusters_of(repeated, FIGURE_COPIES)
    ids = [row[0] for row in db.execute("SELECT id FROM claims WHERE cluster_id = ? ORDER BY id", [cluster])]
    with db.conn:  # a write from outside the plugin (the write API, the sqlite3 shell)
        db.execute("UPDATE claims SET status = 'in_progress' WHERE id = ?", [ids[0]])
        db.execute("UPDATE claims SET checkworthiness = 0.99 WHERE id = ?", [ids[1]])
        db.execute("UPDATE claims SET superseded_at = '2026-01-01' WHERE id = ?", [ids[2]])
        db.execute("UPDATE claims SET cluster_id = ? WHERE id = ?", [ids[3], ids[3]])
        db.execute("DELETE FROM claims WHERE id = ?", [ids[4]])
    assert_counts_right(repeated)


@pytest.mark.asyncio
async def test_the_queue_shows_one_row_per_cluster_and_a_switch_shows_every_copy(repeated):
    ds = await make_datasette(repeated)
    (cluster,) = clusters_of(repeated, FIGURE_COPIES)
    folded = (await read(ds, QUEUE + ".json")).json()
    rows = [claim for claim in folded["claims"] if claim["cluster_id"] == cluster]
    assert len(rows) == 1 and folded["folded"] is True
    copies, articles = (
        sqlite3.connect(repeated)
        .execute("SELECT count(*), count(DISTINCT article_id) FROM claims WHERE cluster_id = ?", [cluster])
        .fetchone()
    )
    assert rows[0]["cluster"] == {"copies": copies, "articles": articles}
    # The row is the cluster's best open copy.
    best = (
        sqlite3.connect(repeated)
        .execute("SELECT id FROM claims WHERE cluster_id = ? ORDER BY checkworthiness DESC, id LIMIT 1", [cluster])
        .fetchone()[0]
    )
    assert rows[0]["id"] == best
    assert len({claim["cluster_id"] for claim in folded["claims"]}) == len(folded["claims"])

    every = (await read(ds, QUEUE + ".json?_copies=1")).json()
    assert every["folded"] is False and every["filters"]["_copies"] is True
    assert len([claim for claim in every["claims"] if claim["cluster_id"] == cluster]) == copies

    page = (await read(ds, QUEUE)).text
    assert f">in {articles} articles</a>" in page and 'href="?_copies=1" data-fc-copies="1">Show every copy' in page
    every_page = (await read(ds, QUEUE + "?_copies=1")).text
    assert 'name="_copies" value="1"' in every_page and "One row per repeated claim" in every_page
    # The badge lists every copy, each with its article.
    listed = (await read(ds, f"{QUEUE}.json?cluster={cluster}&status=all")).json()
    assert len(listed["claims"]) == copies and len({c["article_id"] for c in listed["claims"]}) == articles
    assert (await read(ds, QUEUE + ".json?_copies=maybe")).status_code == 400


@pytest.mark.asyncio
async def test_a_cluster_in_two_statuses_is_still_one_row_in_the_open_view(repeated):
    ds = await make_datasette(repeated)
    (cluster,) = clusters_of(repeated, FIGURE_COPIES)
    conn = sqlite3.connect(repeated)
    copy = conn.execute("SELECT id FROM claims WHERE cluster_id = ? ORDER BY id DESC LIMIT 1", [cluster]).fetchone()[0]
    assert (await save(ds, ALICE, copy, {"status": "in_progress"})).status_code == 200
    folded = (await read(ds, QUEUE + ".json")).json()
    assert len([claim for claim in folded["claims"] if claim["cluster_id"] == cluster]) == 1
    in_progress = (await read(ds, QUEUE + ".json?status=in_progress")).json()
    assert [claim["id"] for claim in in_progress["claims"]] == [copy]
    assert_counts_right(repeated)


@pytest.mark.asyncio
async def test_a_ruling_applied_to_the_cluster_reaches_every_copy_with_its_history(repeated):
    ds = await make_datasette(repeated)
    (cluster,) = clusters_of(repeated, FIGURE_COPIES)
    conn = sqlite3.connect(repeated)
    ids = [row[0] for row in conn.execute("SELECT id FROM claims WHERE cluster_id = ? ORDER BY id", [cluster])]
    version = conn.execute("SELECT version FROM claims WHERE id = ?", [ids[0]]).fetchone()[0]
    body = {"status": "done", "verdict": "true", "version": version, "apply_to_cluster": True}
    assert (await save(ds, ALICE, ids[0], body)).status_code == 200
    for cid in ids:
        status, verdict = conn.execute("SELECT status, verdict FROM claims WHERE id = ?", [cid]).fetchone()
        assert (status, verdict) == ("done", "true")
        (event,) = events(repeated, cid)
        assert event["actor"] == "alice" and event["action"] == ("review" if cid == ids[0] else "cluster")
        assert json.loads(event["changes"])["status"] == ["unreviewed", "done"]
    folded = (await read(ds, QUEUE + ".json")).json()
    assert cluster not in {claim["cluster_id"] for claim in folded["claims"]}
    done = (await read(ds, QUEUE + ".json?status=done")).json()
    assert [claim["cluster_id"] for claim in done["claims"]].count(cluster) == 1
    # A stale version changes nothing, on any copy.
    stale = {"status": "in_progress", "version": version, "apply_to_cluster": True}
    assert (await save(ds, ALICE, ids[0], stale)).status_code == 409
    assert {row[0] for row in conn.execute("SELECT status FROM claims WHERE cluster_id = ?", [cluster])} == {"done"}
    assert_counts_right(repeated)


def test_the_sheet_stays_one_row_per_claim(repeated):
    from datasette_factcheck.desk import queue as triage
    from datasette_factcheck.desk.export import sheet_page_query

    sql, params = sheet_page_query(triage.QueueFilters.from_params({"status": ["all"]}), None, 10**6)
    rows = sqlite3.connect(repeated).execute(sql, params).fetchall()
    assert len(rows) == sqlite3.connect(repeated).execute("SELECT count(*) FROM claims").fetchone()[0]


# --- a large load: cluster indexes dropped, clusters counted and marked once at the end ---


def _load_with_reviews_between(path, tmp_path, large: bool, monkeypatch) -> None:
    """Load a, review some copies outside the loader, then load b and an edit of a0,
    each load large (indexes dropped, clusters refreshed at the end) or not."""
    monkeypatch.setattr(load, "BATCH_ARTICLES", 3)
    monkeypatch.setattr(load.Loader, "_worth_deferring_indexes", lambda self, size: large)
    for prefix in ("a", "b"):
        write_articles(tmp_path / f"{prefix}.jsonl", prefix, 14)
    edited = tmp_path / "edited.jsonl"
    edited.write_text(json.dumps({"id": "a0", "title": "Article a0", "body": FILLER[0] + "\n\n" + RECORD}) + "\n")
    assert not load_paths(path, [tmp_path / "a.jsonl"]).problems
    with sqlite3.connect(path) as conn:  # some copies reviewed: heads in more than one status
        conn.execute("UPDATE claims SET status = 'in_progress' WHERE article_id IN ('a1', 'a5')")
        conn.execute("UPDATE claims SET checkworthiness = 0.01 WHERE article_id = 'a2'")
    for source in (tmp_path / "b.jsonl", edited):
        assert not load_paths(path, [source]).problems


def _clusters_stored(path) -> tuple[list, list]:
    conn = sqlite3.connect(path)
    return (
        conn.execute("SELECT id, cluster_id, cluster_head, status FROM claims ORDER BY id").fetchall(),
        conn.execute("SELECT * FROM claim_clusters ORDER BY cluster_id").fetchall(),
    )


def _indexes(path) -> list:
    return (
        sqlite3.connect(path)
        .execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .fetchall()
    )


def test_a_large_load_stores_the_clusters_and_heads_that_batch_by_batch_loads_store(tmp_path, monkeypatch):
    batch_by_batch, large = tmp_path / "batches.db", tmp_path / "large.db"
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    _load_with_reviews_between(batch_by_batch, tmp_path / "small", large=False, monkeypatch=monkeypatch)
    _load_with_reviews_between(large, tmp_path / "big", large=True, monkeypatch=monkeypatch)
    claims, clusters = _clusters_stored(large)
    assert (claims, clusters) == _clusters_stored(batch_by_batch)
    assert {status for *_, status in claims} == {"unreviewed", "in_progress"}
    assert any(copies > 1 for _, copies, _ in clusters)
    assert_counts_right(large)
    assert _indexes(large) == _indexes(batch_by_batch)  # every index back, as the migration made it
    assert not cluster_store.backfill_pending(sqlite_utils.Database(large))


def test_a_large_load_killed_before_its_refresh_is_recounted_by_the_next_migrate(tmp_path, monkeypatch):
    from datasette_factcheck.store.schema import migrate, needs_migration

    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"
    (tmp_path / "r").mkdir()
    (tmp_path / "k").mkdir()
    _load_with_reviews_between(reference, tmp_path / "r", large=False, monkeypatch=monkeypatch)
    # As if killed after its last batch committed: no refresh, no indexes rebuilt.
    monkeypatch.setattr(load, "finish_large_load", lambda db, touched: None)
    _load_with_reviews_between(killed, tmp_path / "k", large=True, monkeypatch=monkeypatch)
    db = sqlite_utils.Database(killed)
    assert needs_migration(db) and cluster_store.mismatches(db.conn) != []
    migrate(db)
    assert not needs_migration(db)
    assert _clusters_stored(killed) == _clusters_stored(reference)
    assert _indexes(killed) == _indexes(reference)
    assert_counts_right(killed)


class _RefusedArticle:
    """Gives article a4's claims a kind design.md does not have: it cannot be written."""

    @hookimpl
    def factcheck_extra_claims(self, article, claims):
        if article.id == "a4":
            for claim in claims:
                claim.kind = "rumour"


@pytest.mark.parametrize("large", [False, True])
def test_counts_and_heads_stay_right_when_an_article_of_the_batch_is_refused(tmp_path, monkeypatch, large):
    """The writer counts the clusters a batch starts itself, unless an article was undone."""
    monkeypatch.setattr(load, "BATCH_ARTICLES", 14)  # one batch: a4's copies start clusters with others
    monkeypatch.setattr(load.Loader, "_worth_deferring_indexes", lambda self, size: large)
    path, source = tmp_path / "factcheck.db", tmp_path / "a.jsonl"
    write_articles(source, "a", 14)
    db = sqlite_utils.Database(path)
    summary = load.Loader(db, hook=standalone_plugin_manager(_RefusedArticle()).hook, workers=1).load([source])
    assert [problem.source.rsplit(":", 1)[1] for problem in summary.problems] == ["5"]  # a4, line 5
    assert_counts_right(path)
    assert db.execute("SELECT count(*) FROM claims WHERE cluster_head = 1").fetchone()[0] > 0
