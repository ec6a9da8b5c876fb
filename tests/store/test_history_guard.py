"""History that no outside writer can switch off or go around.

A row in ``_factcheck_writer`` tells the triggers that the plugin itself is
writing (history left to the review code, FTS and counts to the loader). It
must belong to the plugin's own writes: neither Datasette's write API nor a
plain SQL connection may add one. And every change an outside writer makes
to a review field or to ``version`` is recorded, the version moved past both
its old and its new value.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils

from datasette_factcheck.store.schema import migrate, migrations
from datasette_factcheck.store.writers import WRITER_PASS, writing_as
from support.helpers import cookies, make_datasette
from support.webtools import ALICE, ARTICLE_A, NATO_TEXT, ROOT_ACTOR, claim, claim_id_like, events, save

REFUSED = "_factcheck_writer is written only by the factcheck plugin's own writes"


def markers(claim_conn: sqlite3.Connection) -> list[tuple[str]]:
    return claim_conn.execute("SELECT writer FROM _factcheck_writer").fetchall()


@pytest.fixture
def claim_conn(fresh_conn) -> sqlite3.Connection:
    """conftest's fresh database with one claim, 'c1', and transactions only where a test begins one."""
    fresh_conn.isolation_level = None
    fresh_conn.execute(
        "INSERT INTO claims (id, article_id, position, text, kind, sourcing) "
        "VALUES ('c1', 'a1', 0, 'text', 'event', 'leak')"
    )
    return fresh_conn


@pytest.mark.asyncio
@pytest.mark.parametrize("plugin_wrote_first", [False, True], ids=["fresh-connection", "after-a-review"])
async def test_the_write_api_cannot_switch_history_or_indexing_off(db_path, plugin_wrote_first):
    ds = await make_datasette(db_path)
    root = cookies(ds, ROOT_ACTOR)
    cid = claim_id_like(db_path, NATO_TEXT)
    if plugin_wrote_first:  # the shared write connection has run writing_as
        assert (await save(ds, ALICE, cid, {"assignee": "alice"})).status_code == 200
    for writer in ("review", "load"):
        response = await ds.client.post(
            "/factcheck/_factcheck_writer/-/insert", json={"row": {"writer": writer}}, cookies=root
        )
        assert response.status_code == 400, response.text
        # Datasette's connections have the guard's function from the start (prepare_connection),
        # so the refusal says why whether or not the plugin has written yet.
        assert REFUSED in response.text
    assert markers(sqlite3.connect(db_path)) == []

    response = await ds.client.post(
        f"/factcheck/claims/{cid}/-/update", json={"update": {"note": "after"}}, cookies=root
    )
    assert response.status_code == 200, response.text
    assert [(e["action"], e["changes"]) for e in events(db_path, cid)][-1] == ("api", '{"note":[null,"after"]}')
    # ... and a claim the write API inserts is still indexed for search.
    row = {
        "id": "api-claim",
        "article_id": ARTICLE_A,
        "position": 999,
        "text": "zebras crossed the border",
        "kind": "event",
        "sourcing": "leak",
    }
    response = await ds.client.post("/factcheck/claims/-/insert", json={"row": row}, cookies=root)
    assert response.status_code == 201, response.text
    found = (
        sqlite3.connect(db_path)
        .execute(
            "SELECT c.id FROM claims_fts JOIN claims c ON c.rowid = claims_fts.rowid WHERE claims_fts MATCH 'zebras'"
        )
        .fetchall()
    )
    assert found == [("api-claim",)]


def test_a_plain_connection_cannot_add_or_change_a_marker(claim_conn):
    with pytest.raises(sqlite3.OperationalError, match=f"no such function: {WRITER_PASS}"):
        claim_conn.execute("INSERT INTO _factcheck_writer (writer) VALUES ('review')")
    claim_conn.execute("BEGIN")
    with writing_as(claim_conn, "review"):
        with pytest.raises(sqlite3.IntegrityError, match=REFUSED):
            claim_conn.execute("UPDATE _factcheck_writer SET writer = 'load'")
    claim_conn.execute("COMMIT")
    assert markers(claim_conn) == []


def test_writing_as_holds_its_pass_only_while_it_marks(claim_conn):
    claim_conn.execute("BEGIN")
    with writing_as(claim_conn, "review"):
        assert markers(claim_conn) == [("review",)]
        assert claim_conn.execute(f"SELECT {WRITER_PASS}()").fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError, match=REFUSED):  # what else runs meanwhile cannot mark
            claim_conn.execute("INSERT INTO _factcheck_writer (writer) VALUES ('load')")
        claim_conn.execute("UPDATE claims SET note = 'by the plugin' WHERE id = 'c1'")
    claim_conn.execute("COMMIT")
    assert markers(claim_conn) == []
    assert claim_conn.execute("SELECT count(*) FROM claim_events").fetchone() == (0,)  # the review code writes its own


def test_writing_as_needs_a_transaction(claim_conn):
    with pytest.raises(RuntimeError, match="open transaction"):
        with writing_as(claim_conn, "review"):
            pass
    assert markers(claim_conn) == []


def test_a_marker_does_not_outlive_a_failed_write_whose_caller_commits(claim_conn):
    claim_conn.execute("BEGIN")
    with pytest.raises(ValueError):
        with writing_as(claim_conn, "review"):
            raise ValueError("the write failed")
    claim_conn.execute("COMMIT")
    assert markers(claim_conn) == []
    claim_conn.execute("UPDATE claims SET note = 'outside' WHERE id = 'c1'")
    assert claim_conn.execute("SELECT action FROM claim_events").fetchall() == [("api",)]


def test_the_migration_removes_a_marker_left_by_an_earlier_version(tmp_path):
    db = sqlite_utils.Database(tmp_path / "factcheck.db")
    migrations.apply(db, stop_before="writer_marker_guard")
    db.execute("INSERT INTO _factcheck_writer (writer) VALUES ('review')")  # as the write API could
    db.execute("INSERT INTO articles (id, body, content_hash, loaded_at) VALUES ('a1', 'body', 'h', 'now')")
    db.execute(
        "INSERT INTO claims (id, article_id, position, text, kind, sourcing) "
        "VALUES ('c1', 'a1', 0, 'text', 'event', 'leak')"
    )
    db.conn.commit()
    migrate(db)
    assert markers(db.conn) == []
    db.execute("UPDATE claims SET note = 'outside' WHERE id = 'c1'")
    assert db.execute("SELECT action FROM claim_events").fetchall() == [("api",)]


# --- every outside change is recorded, version included ----------------------


@pytest.mark.asyncio
async def test_a_write_api_update_of_version_alone_is_recorded_and_moves_it_past_both(db_path):
    ds = await make_datasette(db_path)
    root = cookies(ds, ROOT_ACTOR)
    cid = claim_id_like(db_path, NATO_TEXT)
    for version, recorded, stored in [(5, [0, 5], 6), (0, [6, 0], 7)]:
        response = await ds.client.post(
            f"/factcheck/claims/{cid}/-/update", json={"update": {"version": version}}, cookies=root
        )
        assert response.status_code == 200, response.text
        assert json.loads(events(db_path, cid)[-1]["changes"]) == {"version": recorded}
        assert claim(db_path, cid)["version"] == stored
    assert [e["action"] for e in events(db_path, cid)] == ["api", "api"]
    # A form opened at the version the writer set back to is out of date.
    assert (await save(ds, ALICE, cid, {"note": "stale", "version": 0})).status_code == 409


@pytest.mark.parametrize("recursive_triggers", [True, False])
def test_each_outside_change_of_version_is_one_event(tmp_path, recursive_triggers):
    db = sqlite_utils.Database(tmp_path / "factcheck.db", recursive_triggers=recursive_triggers)
    migrate(db)
    db.execute("INSERT INTO articles (id, body, content_hash, loaded_at) VALUES ('a1', 'body', 'h', 'now')")
    db.execute(
        "INSERT INTO claims (id, article_id, position, text, kind, sourcing) "
        "VALUES ('c1', 'a1', 0, 'text', 'event', 'leak')"
    )
    for assignment in ["version = 3", "version = 'three'", "note = 'n', version = version + 1", "note = 'm'"]:
        db.execute(f"UPDATE claims SET {assignment} WHERE id = 'c1'")
    changes = [json.loads(c) for (c,) in db.execute("SELECT changes FROM claim_events ORDER BY id")]
    assert changes == [
        {"version": [0, 3]},
        {"version": [4, "three"]},
        {"note": [None, "n"], "version": [5, 6]},
        {"note": ["n", "m"]},
    ]
    assert db.execute("SELECT version, typeof(version) FROM claims").fetchone() == (8, "integer")
