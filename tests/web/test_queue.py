"""The triage queue over HTTP (filters, counts, search), the links to it from
Datasette's own pages, and the plugin's migrations at startup.

Every test copies the session's seeded database (tests write), serves it as
``factcheck`` (the name datasette.yaml is keyed on) and talks to it through
``datasette.client`` with signed ``ds_actor`` cookies (helpers in webtools.py).
"""

from __future__ import annotations

import pytest
import sqlite_utils

from support.helpers import SEEDS, make_datasette
from support.webtools import (
    ALICE,
    ARTICLE_A,
    ARTICLE_B,
    NATO_TEXT,
    RECRUITS_TEXT,
    bulk,
    claim_id_like,
    claim_url,
    read,
    save,
)

# --- 1. the triage queue -----------------------------------------------------------


# web.py:108 hands Datasette's request.args (a MultiParams, whose .get() returns
# ONE string) to QueueFilters.from_params (queue.py:52), which expects
# name -> list of values and iterates it: ?sourcing=leak becomes the values
# "l", "e", "a", "k" and is refused with a 400 "(got 'l')"; ?q=Storm+Shadow
# searches "S t o r m ...". Every filter of the queue is unusable over HTTP.


async def _queue(ds, query: str = ""):
    response = await read(ds, "/factcheck/-/factcheck.json" + query)
    return response


@pytest.mark.asyncio
async def test_queue_default_view(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    done = claim_id_like(db_path, "Storm Shadow")
    assert (await save(ds, ALICE, done, {"status": "done", "verdict": "unproven"})).status_code == 200
    progress = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    assert (await save(ds, ALICE, progress, {"status": "in_progress"})).status_code == 200

    response = await _queue(ds, "?_copies=1")  # every copy: the in-progress one has an unreviewed twin
    assert response.status_code == 200
    payload = response.json()
    claims = payload["claims"]
    assert claims[0]["id"] == cid and NATO_TEXT in claims[0]["text"]
    assert {c["status"] for c in claims} == {"unreviewed", "in_progress"}
    assert done not in {c["id"] for c in claims}
    assert progress in {c["id"] for c in claims}
    scores = [c["checkworthiness"] for c in claims]
    assert scores == sorted(scores, reverse=True)
    db = sqlite_utils.Database(db_path)
    open_claims = db.execute(
        "SELECT count(*) FROM claims WHERE superseded_at IS NULL AND status IN ('unreviewed', 'in_progress')"
    ).fetchone()[0]
    assert len(claims) == payload["total"] == open_claims
    assert payload["next"] is None

    page = await read(ds, "/factcheck/-/factcheck")
    assert page.status_code == 200
    assert page.text.index(NATO_TEXT) < page.text.index(RECRUITS_TEXT)
    assert "Storm Shadow" not in page.text


@pytest.mark.asyncio
async def test_queue_filter_by_sourcing(db_path):
    ds = await make_datasette(db_path)
    payload = (await _queue(ds, "?sourcing=leak")).json()
    db = sqlite_utils.Database(db_path)
    leaks = {r["id"] for r in db.query("SELECT id FROM claims WHERE sourcing = 'leak' AND superseded_at IS NULL")}
    assert leaks
    assert {c["id"] for c in payload["claims"]} == leaks
    assert {c["sourcing"] for c in payload["claims"]} == {"leak"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "query, word",
    [
        ("?status=banana", "status"),
        ("?verdict=banana", "verdict"),
        ("?kind=banana", "kind"),
        ("?sourcing=banana", "sourcing"),
    ],
)
async def test_queue_refuses_unknown_filter_values(db_path, query, word):
    ds = await make_datasette(db_path)
    response = await _queue(ds, query)
    assert response.status_code == 400
    assert word in response.json()["error"]
    # The HTML page does not fail either: it sends the editor back with a message.
    page = await read(ds, "/factcheck/-/factcheck" + query)
    assert page.status_code in (302, 400)


@pytest.mark.asyncio
async def test_queue_filter_error_quotes_the_value_given(db_path):
    ds = await make_datasette(db_path)
    response = await _queue(ds, "?status=banana")
    assert response.status_code == 400
    assert "'banana'" in response.json()["error"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "query, where",
    [
        ("?status=all", "1"),
        ("?status=unreviewed&status=in_progress", "status IN ('unreviewed', 'in_progress')"),
        ("?kind=statistic", "kind = 'statistic' AND status IN ('unreviewed', 'in_progress')"),
        ("?verdict=none&status=all", "verdict IS NULL"),
        ("?article=" + ARTICLE_B, f"article_id = '{ARTICLE_B}' AND status IN ('unreviewed', 'in_progress')"),
    ],
)
async def test_queue_accepts_valid_filters(db_path, query, where):
    ds = await make_datasette(db_path)
    expected = {
        r["id"]
        for r in sqlite_utils.Database(db_path).query(f"SELECT id FROM claims WHERE superseded_at IS NULL AND {where}")
    }
    assert expected
    response = await _queue(ds, query + "&_copies=1")
    assert response.status_code == 200, response.text
    assert {c["id"] for c in response.json()["claims"]} == expected
    page = await read(ds, "/factcheck/-/factcheck" + query)
    assert page.status_code == 200


@pytest.mark.asyncio
async def test_queue_counts_cover_every_live_claim(db_path):
    ds = await make_datasette(db_path)
    db = sqlite_utils.Database(db_path)
    ids = [r["id"] for r in db.query("SELECT id FROM claims ORDER BY id LIMIT 3")]
    assert (await bulk(ds, ALICE, {"ids": ids, "set": {"status": "not_checkable"}})).status_code == 200
    payload = (await _queue(ds, "?status=all&_copies=1")).json()
    live = db.execute("SELECT count(*) FROM claims WHERE superseded_at IS NULL").fetchone()[0]
    assert sum(payload["counts"]["status"].values()) == live
    assert payload["counts"]["status"]["not_checkable"] == 3
    assert sum(payload["counts"]["verdict"].values()) == live
    assert payload["total"] == live == len(payload["claims"])


@pytest.mark.asyncio
async def test_queue_text_search(db_path):
    ds = await make_datasette(db_path)
    payload = (await _queue(ds, "?q=Storm+Shadow")).json()
    assert [c["id"] for c in payload["claims"]] == [claim_id_like(db_path, "Storm Shadow")]
    page = await read(ds, "/factcheck/-/factcheck?q=Storm+Shadow")
    assert page.status_code == 200 and "Storm Shadow" in page.text


@pytest.mark.asyncio
@pytest.mark.parametrize("q", ['"', "NATO OR", "(", "*", "NEAR(", "a AND", "'", "-", "^x", "text:NATO"])
async def test_queue_search_syntax_never_500s(db_path, q):
    ds = await make_datasette(db_path)
    response = await read(ds, "/factcheck/-/factcheck.json", params={"q": q})
    assert response.status_code == 200, response.text
    page = await read(ds, "/factcheck/-/factcheck", params={"q": q})
    assert page.status_code == 200


# --- 2. links from Datasette's own pages -------------------------------------------


@pytest.mark.asyncio
async def test_row_page_offers_review_claim_and_table_page_the_queue(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    row_page = await read(ds, f"/factcheck/claims/{cid}")
    assert row_page.status_code == 200
    assert "Review claim" in row_page.text
    assert f'href="/factcheck/-/factcheck/claims/{cid}"' in row_page.text
    target = await read(ds, claim_url(cid))
    assert target.status_code == 200

    table_page = await read(ds, "/factcheck/claims")
    assert table_page.status_code == 200
    assert "Triage queue" in table_page.text
    assert 'href="/factcheck/-/factcheck"' in table_page.text


# --- 3. migrations at startup ------------------------------------------------------


@pytest.mark.asyncio
async def test_startup_migrations_and_unrelated_databases(tmp_path):
    from datasette_factcheck.load.run import load_paths
    from datasette_factcheck.store.schema import migrations

    path = tmp_path / "factcheck.db"
    assert not load_paths(path, [SEEDS]).problems
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["notes"].insert({"id": 1, "text": "unrelated"}, pk="id")

    for _ in range(2):  # a second start finds nothing to do and does not fail
        ds = await make_datasette(path, other)
        assert (await read(ds, "/factcheck/-/factcheck.json")).status_code == 200
        assert (await read(ds, "/other/-/factcheck.json")).status_code == 404
        assert (await read(ds, "/other/notes.json")).status_code == 200

    applied = {(r["migration_set"], r["name"]) for r in sqlite_utils.Database(path)["_sqlite_migrations"].rows}
    assert {("datasette-factcheck", m.name) for m in migrations._migrations} <= applied
    assert not migrations.pending(sqlite_utils.Database(path))
    assert sqlite_utils.Database(other).table_names() == ["notes"]


@pytest.fixture
def extra_migration():
    """A migration added after the database was loaded, as a plugin upgrade adds one."""
    from datasette_factcheck.store.schema import migrations

    def add_reviewer_table(db):
        db.execute("CREATE TABLE test_web_upgrade (id INTEGER PRIMARY KEY)")

    migrations(name="test_web_upgrade")(add_reviewer_table)
    try:
        yield "test_web_upgrade"
    finally:
        migrations._migrations[:] = [m for m in migrations._migrations if m.name != "test_web_upgrade"]


@pytest.mark.asyncio
async def test_startup_applies_a_pending_migration(db_path, tmp_path, extra_migration):
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["notes"].insert({"id": 1}, pk="id")
    ds = await make_datasette(db_path, other)
    db = sqlite_utils.Database(db_path)
    assert "test_web_upgrade" in db.table_names()
    assert ("datasette-factcheck", extra_migration) in {
        (r["migration_set"], r["name"]) for r in db["_sqlite_migrations"].rows
    }
    assert sqlite_utils.Database(other).table_names() == ["notes"]
    assert (await read(ds, "/factcheck/-/factcheck.json")).status_code == 200
