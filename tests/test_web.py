"""The web layer end to end: Datasette in-process, the shipped config and
metadata, a real database file, and assertions on the database afterwards.

Every test copies the session's seeded database (tests write), serves it as
``factcheck`` (the name datasette.yaml is keyed on) and talks to it through
``datasette.client`` with signed ``ds_actor`` cookies.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from datasette import hookimpl
from datasette.plugins import pm

from conftest import cookies, make_datasette
from datasette_factcheck.vocab import STATUSES, VERDICTS

ROOT = Path(__file__).resolve().parent.parent

ANONYMOUS = None
MALLORY = {"id": "mallory"}  # logged in, not an editor
ALICE = {"id": "alice", "roles": ["editor"]}
BOB = {"id": "bob", "roles": ["editor"]}
ROOT_ACTOR = {"id": "root"}
ACTORS = {"anonymous": ANONYMOUS, "mallory": MALLORY, "alice": ALICE, "root": ROOT_ACTOR}

NATO_TEXT = "97 NATO special operations"
RECRUITS_TEXT = "motivate and mobilize more recruits"
ARTICLE_A = "000_c0d474dec84a8582"
ARTICLE_B = "003_7c462d476a23d359"
SCRIPT = "<script>alert(1)</script>"


# --- helpers -------------------------------------------------------------------


def dump(path: Path) -> dict:
    """Every row of claims and claim_events, in full, in a stable order."""
    conn = sqlite3.connect(path)
    try:
        return {
            "claims": conn.execute("SELECT * FROM claims ORDER BY id").fetchall(),
            "claim_events": conn.execute("SELECT * FROM claim_events ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


def claim_id_like(path: Path, text: str, article_id: str | None = None) -> str:
    db = sqlite_utils.Database(path)
    sql = "SELECT id FROM claims WHERE text LIKE ? AND superseded_at IS NULL"
    params = [f"%{text}%"]
    if article_id:
        sql += " AND article_id = ?"
        params.append(article_id)
    rows = list(db.query(sql, params))
    assert len(rows) == 1, (text, article_id, rows)
    return rows[0]["id"]


def claim(path: Path, claim_id: str) -> dict:
    return sqlite_utils.Database(path)["claims"].get(claim_id)


def events(path: Path, claim_id: str | None = None) -> list[dict]:
    db = sqlite_utils.Database(path)
    if claim_id is None:
        return list(db.query("SELECT * FROM claim_events ORDER BY id"))
    return list(db.query("SELECT * FROM claim_events WHERE claim_id = ? ORDER BY id", [claim_id]))


def claim_url(claim_id: str) -> str:
    return f"/factcheck/-/factcheck/claims/{claim_id}"


async def save(ds, actor, claim_id, body: dict, **kwargs):
    return await ds.client.post(claim_url(claim_id), json=body, cookies=cookies(ds, actor), **kwargs)


# --- 1. permission matrix ----------------------------------------------------------

# Each write route: how to call it against claim ``cid`` (and a second claim
# ``other`` for bulk), and how to tell from the claim row that it went through.
WRITE_ROUTES = {
    "plugin-claim-json": ("POST", "{claim}", {"json": {"note": "plugin json"}}, "plugin json"),
    "plugin-claim-form": ("POST", "{claim}", {"data": {"note": "plugin form"}}, "plugin form"),
    "plugin-bulk-json": (
        "POST", "/factcheck/-/factcheck/bulk",
        {"json": {"ids": ["{cid}", "{other}"], "set": {"status": "in_progress"}}}, None,
    ),
    "plugin-bulk-form": (
        "POST", "/factcheck/-/factcheck/bulk",
        {"data": {"ids": ["{cid}", "{other}"], "set_status": "in_progress"}}, None,
    ),
    "api-update": ("POST", "/factcheck/claims/{cid}/-/update", {"json": {"update": {"note": "via api"}}}, "via api"),
    "datasette-write": (
        "POST", "/factcheck/-/write",
        {"data": {"sql": "UPDATE claims SET note = 'via write' WHERE id = :id", "qp_id": "{cid}"}}, "via write",
    ),
    "execute-write": (
        "POST", "/factcheck/-/execute-write",
        {"json": {"sql": "UPDATE claims SET note = 'via execute' WHERE id = '{cid}'"}}, "via execute",
    ),
}
ALLOWED = {
    "anonymous": set(),
    "mallory": set(),
    "alice": {"plugin-claim-json", "plugin-claim-form", "plugin-bulk-json", "plugin-bulk-form"},
    "root": set(WRITE_ROUTES),
}
# Datasette's other write API endpoints: nobody but root may use them.
EXTRA_API_ROUTES = {
    "api-insert": ("/factcheck/claims/-/insert", {"row": {"id": "forged", "article_id": ARTICLE_A, "position": 999,
                                                         "text": "forged claim"}}),
    "api-upsert": ("/factcheck/claims/-/upsert", {"rows": [{"id": "{cid}", "note": "upserted"}]}),
    "api-delete": ("/factcheck/claims/{cid}/-/delete", {}),
    "api-drop": ("/factcheck/claims/-/drop", {"confirm": True}),
    "api-events-insert": ("/factcheck/claim_events/-/insert", {"row": {"claim_id": "{cid}", "at": "2000-01-01",
                                                                     "actor": "forger", "action": "review",
                                                                     "changes": "{}"}}),
}


def _fill(value, ids: dict):
    if isinstance(value, str):
        for name, claim_id in ids.items():
            value = value.replace("{" + name + "}", claim_id)
        return value
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


async def _call_route(ds, actor, route: str, ids: dict):
    method, path, kwargs, _ = WRITE_ROUTES[route]
    path = claim_url(ids["cid"]) if path == "{claim}" else _fill(path, ids)
    return await ds.client.request(method, path, cookies=cookies(ds, actor), **_fill(kwargs, ids))


def _two_claims(path: Path) -> dict:
    return {"cid": claim_id_like(path, NATO_TEXT), "other": claim_id_like(path, "Storm Shadow")}


@pytest.mark.asyncio
@pytest.mark.parametrize("route", list(WRITE_ROUTES))
@pytest.mark.parametrize("actor_name", list(ACTORS))
async def test_permission_matrix(db_path, actor_name, route):
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    before = dump(db_path)
    response = await _call_route(ds, ACTORS[actor_name], route, ids)
    after = dump(db_path)
    marker = WRITE_ROUTES[route][3]
    if route in ALLOWED[actor_name]:
        assert response.status_code in (200, 302), response.text[:500]
        assert after != before
        row = claim(db_path, ids["cid"])
        if marker is None:  # bulk
            assert row["status"] == "in_progress"
            assert claim(db_path, ids["other"])["status"] == "in_progress"
        else:
            assert row["note"] == marker
        # Every review change leaves a history row, whichever route made it.
        assert events(db_path, ids["cid"])
        assert row["version"] >= 1
    else:
        if route == "plugin-bulk-form":
            # The queue's bulk bar answers a browser form with a redirect and a message.
            assert response.status_code in (302, 403)
        else:
            assert response.status_code == 403, response.text[:500]
        assert after == before, f"{actor_name} changed the database through {route}"


@pytest.mark.asyncio
@pytest.mark.parametrize("route", list(EXTRA_API_ROUTES))
@pytest.mark.parametrize("actor_name", ["anonymous", "mallory", "alice"])
async def test_datasette_write_api_is_closed_to_all_but_root(db_path, actor_name, route):
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    path, body = EXTRA_API_ROUTES[route]
    before = dump(db_path)
    response = await ds.client.post(_fill(path, ids), json=_fill(body, ids), cookies=cookies(ds, ACTORS[actor_name]))
    assert response.status_code == 403, response.text[:500]
    assert dump(db_path) == before
    assert "claims" in sqlite_utils.Database(db_path).table_names()


@pytest.mark.asyncio
async def test_no_unauthorised_write_gets_through(db_path):
    """The whole matrix on one database: count the refused calls that wrote anyway."""
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    unauthorised_writes = []
    for actor_name, actor in ACTORS.items():
        for route in WRITE_ROUTES:
            if route in ALLOWED[actor_name]:
                continue
            before = dump(db_path)
            response = await _call_route(ds, actor, route, ids)
            if dump(db_path) != before or response.status_code in (200, 201):
                unauthorised_writes.append((actor_name, route, response.status_code))
    assert unauthorised_writes == []


# --- 2. CSRF -------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "form"])
async def test_cross_site_post_is_refused(db_path, as_json):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    body = {"json": {"note": "csrf"}} if as_json else {"data": {"note": "csrf"}}
    before = dump(db_path)
    response = await ds.client.post(
        claim_url(cid), cookies=cookies(ds, ALICE), headers={"Sec-Fetch-Site": "cross-site"}, **body
    )
    assert response.status_code == 403
    assert dump(db_path) == before

    response = await ds.client.post(
        claim_url(cid), cookies=cookies(ds, ALICE), headers={"Sec-Fetch-Site": "same-origin"}, **body
    )
    assert response.status_code in (200, 302), response.text[:500]
    assert claim(db_path, cid)["note"] == "csrf"


@pytest.mark.asyncio
async def test_cross_site_bulk_is_refused(db_path):
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    before = dump(db_path)
    response = await ds.client.post(
        "/factcheck/-/factcheck/bulk", data={"ids": [ids["cid"], ids["other"]], "set_status": "in_progress"},
        cookies=cookies(ds, ALICE), headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert dump(db_path) == before


# --- 3. validation through the web route -------------------------------------------


INVALID_REVIEWS = {
    "verdict-banana": ({"verdict": "banana"}, ["verdict", *VERDICTS]),
    "status-banana": ({"status": "banana"}, ["status", *STATUSES]),
    "done-without-verdict": ({"status": "done"}, ["verdict", "done"]),
    "verdict-on-not-checkable": ({"status": "not_checkable", "verdict": "false"}, ["verdict", "not_checkable"]),
    "evidence-number": ({"evidence": [1]}, ["evidence"]),
    "evidence-string": ({"evidence": "https://example.org"}, ["evidence"]),
    "note-too-long": ({"note": "x" * 10_001}, ["note", "10,000"]),
    "note-not-string": ({"note": 5}, ["note"]),
    "unknown-field": ({"text": "rewritten claim"}, ["text"]),
    "version-string": ({"note": "n", "version": "0"}, ["version"]),
    "apply-not-bool": ({"status": "in_progress", "apply_to_cluster": "maybe"}, ["apply_to_cluster"]),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(INVALID_REVIEWS))
async def test_invalid_review_is_400_and_changes_nothing(db_path, case):
    body, words = INVALID_REVIEWS[case]
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    before = dump(db_path)
    response = await save(ds, ALICE, cid, body)
    assert response.status_code == 400, response.text[:500]
    payload = response.json()
    assert payload["ok"] is False
    for word in words:
        assert word in payload["error"], (word, payload["error"])
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_note_at_the_limit_is_accepted(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await save(ds, ALICE, cid, {"note": "x" * 10_000})
    assert response.status_code == 200
    assert len(claim(db_path, cid)["note"]) == 10_000


@pytest.mark.asyncio
async def test_malformed_json_body_is_400(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    before = dump(db_path)
    response = await ds.client.post(
        claim_url(cid), content=b'{"note": ', headers={"content-type": "application/json"},
        cookies=cookies(ds, ALICE),
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_unknown_claim_is_404(db_path):
    ds = await make_datasette(db_path)
    before = dump(db_path)
    response = await save(ds, ALICE, "no-such-claim", {"note": "x"})
    assert response.status_code == 404
    assert response.json()["ok"] is False
    response = await ds.client.post(claim_url("no-such-claim"), data={"note": "x"}, cookies=cookies(ds, ALICE))
    assert response.status_code == 404
    response = await ds.client.get(claim_url("no-such-claim"))
    assert response.status_code == 404
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_stale_version_is_409_with_the_current_values(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    first = await save(ds, ALICE, cid, {"note": "alice was here", "status": "in_progress", "version": 0})
    assert first.status_code == 200
    assert first.json()["claim"]["version"] == 1
    before = dump(db_path)
    response = await save(ds, BOB, cid, {"note": "bob's text", "version": 0})
    assert response.status_code == 409
    payload = response.json()
    assert payload["ok"] is False and "version" in payload["error"]
    current = payload["current"]
    assert current["version"] == 1
    assert current["note"] == "alice was here"
    assert current["status"] == "in_progress"
    assert current["reviewed_by"] == "alice"
    assert dump(db_path) == before
    # With the current version the same save goes through.
    response = await save(ds, BOB, cid, {"note": "bob's text", "version": 1})
    assert response.status_code == 200
    assert claim(db_path, cid)["note"] == "bob's text"


# --- 4. the form's 409 keeps the editor's text ------------------------------------


def _form(note: str, version: str, **extra) -> dict:
    return {"status": "in_progress", "verdict": "", "note": note, "evidence": "", "assignee": "",
            "version": version, **extra}


@pytest.mark.asyncio
async def test_form_conflict_keeps_unsaved_text(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await ds.client.post(claim_url(cid), data=_form("Alice's saved note", "0"), cookies=cookies(ds, ALICE))
    assert response.status_code == 302
    assert claim(db_path, cid)["note"] == "Alice's saved note"
    before = dump(db_path)

    response = await ds.client.post(claim_url(cid), data=_form("bob's unsaved text", "0"), cookies=cookies(ds, BOB))
    assert response.status_code == 409
    page = response.text
    textarea = re.search(r'<textarea name="note"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea, "the review form is shown again"
    assert html.unescape(textarea.group(1)) == "bob's unsaved text"
    assert "bob&#39;s unsaved text" in textarea.group(1) or "bob&#x27;s unsaved text" in textarea.group(1)
    conflict = re.search(r'<div class="fc-conflict".*?</div>', page, re.S)
    assert conflict, "the conflict box is shown"
    assert "Alice&#39;s saved note" in conflict.group(0) or "Alice&#x27;s saved note" in conflict.group(0)
    # The hidden version is now the current one, so saving again goes through.
    assert re.search(r'name="version" value="1"', page)
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_form_validation_error_keeps_the_input(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    before = dump(db_path)
    form = _form("my <b>unsaved</b> note", "0")
    form.update(status="done")  # and no verdict
    response = await ds.client.post(claim_url(cid), data=form, cookies=cookies(ds, ALICE))
    assert response.status_code == 400
    assert 'class="fc-error"' in response.text and "verdict is required" in response.text
    textarea = re.search(r'<textarea name="note"[^>]*>(.*?)</textarea>', response.text, re.S).group(1)
    assert textarea == "my &lt;b&gt;unsaved&lt;/b&gt; note"
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_form_post_to_the_json_url(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await ds.client.post(claim_url(cid) + ".json", data={"note": "form to json"}, cookies=cookies(ds, ALICE))
    assert response.status_code == 200, response.text
    assert claim(db_path, cid)["note"] == "form to json"


# --- 5. a successful save ------------------------------------------------------------


@pytest.mark.asyncio
async def test_json_save_writes_the_review_and_one_event(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    original = claim(db_path, cid)
    assert original["version"] == 0 and original["reviewed_by"] is None
    body = {"status": "done", "verdict": "unproven", "note": "Only the leak says so.",
            "evidence": ["https://example.org/discord-leaks"], "version": 0}
    response = await save(ds, ALICE, cid, body)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["ok"] is True and payload["claim"]["version"] == 1

    row = claim(db_path, cid)
    assert row["status"] == "done"
    assert row["verdict"] == "unproven"
    assert row["note"] == "Only the leak says so."
    assert json.loads(row["evidence"]) == ["https://example.org/discord-leaks"]
    assert row["version"] == 1
    assert row["reviewed_by"] == "alice"
    assert row["reviewed_at"]
    # Nothing but the review fields changed.
    for column in ("text", "article_id", "kind", "sourcing", "checkworthiness", "cluster_id"):
        assert row[column] == original[column]

    (event,) = events(db_path)
    assert event["claim_id"] == cid
    assert event["actor"] == "alice"
    assert event["action"] == "review"
    assert event["at"]
    assert json.loads(event["changes"]) == {
        "status": ["unreviewed", "done"],
        "verdict": [None, "unproven"],
        "note": [None, "Only the leak says so."],
        "evidence": [[], ["https://example.org/discord-leaks"]],
    }

    page = await ds.client.get(claim_url(cid), cookies=cookies(ds, ALICE))
    assert page.status_code == 200
    history = re.search(r'<section class="fc-history">.*?</section>', page.text, re.S).group(0)
    assert "alice" in history and "(review)" in history and "Only the leak says so." in history
    assert "Not reviewed yet" not in history

    as_json = await ds.client.get(claim_url(cid) + ".json")
    assert as_json.json()["history"][0]["changes"]["verdict"] == [None, "unproven"]


@pytest.mark.asyncio
async def test_saving_the_same_values_again_writes_nothing(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    assert (await save(ds, ALICE, cid, {"status": "in_progress"})).status_code == 200
    before = dump(db_path)
    response = await save(ds, ALICE, cid, {"status": "in_progress"})
    assert response.status_code == 200
    assert response.json()["changes"] == []
    assert dump(db_path) == before


# --- 6. apply to cluster --------------------------------------------------------


@pytest.mark.asyncio
async def test_apply_to_cluster_updates_the_sibling_in_the_other_article(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    sibling = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_B)
    assert claim(db_path, cid)["cluster_id"] == claim(db_path, sibling)["cluster_id"]
    untouched = {r["id"]: r for r in sqlite_utils.Database(db_path).query(
        "SELECT * FROM claims WHERE id NOT IN (?, ?)", [cid, sibling])}

    response = await save(ds, ALICE, cid, {"status": "done", "verdict": "true", "note": "On the record.",
                                          "version": 0, "apply_to_cluster": True})
    assert response.status_code == 200, response.text
    for claim_id in (cid, sibling):
        row = claim(db_path, claim_id)
        assert (row["status"], row["verdict"]) == ("done", "true")
        assert row["version"] == 1 and row["reviewed_by"] == "alice"
    assert claim(db_path, sibling)["note"] is None  # only status and verdict propagate

    assert [(e["claim_id"], e["action"], e["actor"]) for e in events(db_path)] == [
        (cid, "review", "alice"), (sibling, "cluster", "alice")]
    assert json.loads(events(db_path, sibling)[0]["changes"]) == {
        "status": ["unreviewed", "done"], "verdict": [None, "true"]}
    # No other claim moved.
    after = {r["id"]: r for r in sqlite_utils.Database(db_path).query(
        "SELECT * FROM claims WHERE id NOT IN (?, ?)", [cid, sibling])}
    assert after == untouched


@pytest.mark.asyncio
async def test_apply_to_cluster_from_the_form(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    sibling = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_B)
    page = await ds.client.get(claim_url(cid), cookies=cookies(ds, ALICE))
    assert 'name="apply_to_cluster"' in page.text
    form = _form("", "0", apply_to_cluster="1")
    form.update(status="not_checkable")
    response = await ds.client.post(claim_url(cid), data=form, cookies=cookies(ds, ALICE))
    assert response.status_code == 302
    assert claim(db_path, sibling)["status"] == "not_checkable"
    assert {e["action"] for e in events(db_path)} == {"review", "cluster"}


# --- 7. bulk ------------------------------------------------------------------------


async def _bulk(ds, actor, body):
    return await ds.client.post("/factcheck/-/factcheck/bulk", json=body, cookies=cookies(ds, actor))


@pytest.mark.asyncio
async def test_bulk_with_an_unknown_id_changes_nothing(db_path):
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    before = dump(db_path)
    response = await _bulk(ds, ALICE, {"ids": [ids["cid"], ids["other"], "no-such-claim"],
                                       "set": {"status": "in_progress"}})
    assert response.status_code == 404
    assert "no-such-claim" in response.json()["error"]
    assert dump(db_path) == before
    assert events(db_path) == []


@pytest.mark.asyncio
async def test_bulk_done_without_verdict_changes_nothing(db_path):
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    # One of them already has a verdict: the other still makes the batch fail.
    assert (await save(ds, ALICE, ids["cid"], {"status": "in_progress", "verdict": "false"})).status_code == 200
    before = dump(db_path)
    response = await _bulk(ds, ALICE, {"ids": [ids["cid"], ids["other"]], "set": {"status": "done"}})
    assert response.status_code == 400
    assert "verdict" in response.json()["error"]
    assert dump(db_path) == before


@pytest.mark.asyncio
@pytest.mark.parametrize("body, word", [
    ({"ids": ["x"], "set": {"status": "banana"}}, "status"),
    ({"ids": ["x"], "set": {"note": "bulk note"}}, "note"),
    ({"ids": [], "set": {"status": "in_progress"}}, "ids"),
    ({"ids": "abc", "set": {"status": "in_progress"}}, "ids"),
    ({"ids": ["x"], "set": {}}, "set"),
    ({"ids": ["x"], "set": {"status": "in_progress"}, "extra": 1}, "extra"),
])
async def test_bulk_invalid_input_is_400(db_path, body, word):
    ds = await make_datasette(db_path)
    body = json.loads(json.dumps(body).replace('"x"', json.dumps(claim_id_like(db_path, NATO_TEXT))))
    before = dump(db_path)
    response = await _bulk(ds, ALICE, body)
    assert response.status_code == 400, response.text
    assert word in response.json()["error"]
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_good_bulk_changes_all_with_one_event_each(db_path):
    ds = await make_datasette(db_path)
    db = sqlite_utils.Database(db_path)
    ids = [r["id"] for r in db.query("SELECT id FROM claims ORDER BY checkworthiness DESC LIMIT 4")]
    response = await _bulk(ds, ALICE, {"ids": ids, "set": {"status": "in_progress", "assignee": "carol"}})
    assert response.status_code == 200, response.text
    assert response.json()["changed"] == 4
    for claim_id in ids:
        row = claim(db_path, claim_id)
        assert (row["status"], row["assignee"], row["version"], row["reviewed_by"]) == (
            "in_progress", "carol", 1, "alice")
        (event,) = events(db_path, claim_id)
        assert event["action"] == "bulk" and event["actor"] == "alice"
        assert json.loads(event["changes"]) == {"status": ["unreviewed", "in_progress"], "assignee": [None, "carol"]}
    assert len(events(db_path)) == 4


@pytest.mark.asyncio
async def test_bulk_form_redirects_and_changes_them(db_path):
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    queue = await ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, ALICE))
    assert 'name="set_status"' in queue.text and 'name="ids"' in queue.text
    response = await ds.client.post(
        "/factcheck/-/factcheck/bulk",
        content=f"ids={ids['cid']}&ids={ids['other']}&set_status=in_progress&set_verdict=&set_assignee=",
        headers={"content-type": "application/x-www-form-urlencoded"},
        cookies=cookies(ds, ALICE),
    )
    assert response.status_code == 302
    for claim_id in ids.values():
        assert claim(db_path, claim_id)["status"] == "in_progress"
        assert [e["action"] for e in events(db_path, claim_id)] == ["bulk"]
    assert len(events(db_path)) == 2


# --- 8. escaping ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_script_in_a_note_is_escaped_everywhere(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await save(ds, ALICE, cid, {"note": SCRIPT, "evidence": [SCRIPT], "assignee": SCRIPT})
    assert response.status_code == 200
    assert claim(db_path, cid)["note"] == SCRIPT  # stored verbatim
    escaped = html.escape(SCRIPT, quote=False)
    pages = {
        "claim page (editor)": (claim_url(cid), ALICE, True),
        "claim page (anonymous)": (claim_url(cid), ANONYMOUS, True),
        "queue": ("/factcheck/-/factcheck", ALICE, False),
        "claims table": ("/factcheck/claims", ANONYMOUS, True),
        "claims table, searched": ("/factcheck/claims?_search=NATO", ANONYMOUS, True),
        "row page": (f"/factcheck/claims/{cid}", ANONYMOUS, True),
        "events table": ("/factcheck/claim_events", ANONYMOUS, True),
    }
    for name, (path, actor, shows_note) in pages.items():
        page = await ds.client.get(path, cookies=cookies(ds, actor))
        assert page.status_code == 200, (name, page.status_code)
        assert SCRIPT not in page.text, name
        if shows_note:
            assert escaped in page.text, name


# --- 9. Datasette's write API and datasette-write --------------------------------


@pytest.mark.asyncio
async def test_write_api_refuses_values_outside_the_vocabulary(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    before = dump(db_path)
    for update, word in [({"verdict": "banana"}, "verdict"), ({"status": "banana"}, "status"),
                         ({"status": "done"}, "verdict"), ({"evidence": "not json"}, "evidence"),
                         ({"kind": "rumour"}, "kind"), ({"sourcing": "tea leaves"}, "sourcing")]:
        response = await ds.client.post(f"/factcheck/claims/{cid}/-/update", json={"update": update},
                                        cookies=cookies(ds, ROOT_ACTOR))
        assert response.status_code == 400, (update, response.text)
        assert word in json.dumps(response.json()), (update, response.text)
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_write_api_update_is_recorded_and_bumps_the_version(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await ds.client.post(f"/factcheck/claims/{cid}/-/update", json={"update": {"note": "via api"}},
                                    cookies=cookies(ds, ROOT_ACTOR))
    assert response.status_code == 200, response.text
    row = claim(db_path, cid)
    assert row["note"] == "via api" and row["version"] == 1
    (event,) = events(db_path, cid)
    assert event["action"] == "api"
    assert json.loads(event["changes"]) == {"note": [None, "via api"]}
    # An editor's form opened before the API write now sees the conflict.
    response = await save(ds, ALICE, cid, {"note": "stale", "version": 0})
    assert response.status_code == 409
    assert response.json()["current"]["note"] == "via api"


@pytest.mark.asyncio
@pytest.mark.parametrize("update", [{"note": "unrecorded", "version": 5}, {"note": "unrecorded", "version": 1}])
async def test_write_api_change_that_sets_version_is_still_recorded(db_path, update):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await ds.client.post(f"/factcheck/claims/{cid}/-/update", json={"update": update},
                                    cookies=cookies(ds, ROOT_ACTOR))
    assert response.status_code == 200
    assert claim(db_path, cid)["note"] == "unrecorded"
    assert [json.loads(e["changes"]).get("note") for e in events(db_path, cid)] == [[None, "unrecorded"]]


@pytest.mark.asyncio
@pytest.mark.parametrize("sql", [
    "UPDATE claim_events SET actor = 'someone else' WHERE id = :id",
    "DELETE FROM claim_events WHERE id = :id",
])
async def test_claim_events_is_append_only_even_for_root(db_path, sql):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    assert (await save(ds, ALICE, cid, {"note": "history"})).status_code == 200
    (event,) = events(db_path)
    before = dump(db_path)
    root = cookies(ds, ROOT_ACTOR)

    response = await ds.client.post("/factcheck/-/write", data={"sql": sql, "qp_id": str(event["id"])}, cookies=root)
    assert response.status_code == 302
    assert dump(db_path) == before
    # datasette-write shows SQLite's refusal as an error message.
    message_cookie = response.cookies.get("ds_messages") or ""
    messages = ds.unsign(message_cookie, "messages") if message_cookie else []
    assert any("append-only" in text for text, _ in messages), messages

    response = await ds.client.post("/factcheck/-/execute-write", json={"sql": sql, "params": {"id": event["id"]}},
                                    cookies=root)
    assert response.status_code == 400, response.text
    assert "append-only" in response.text
    assert dump(db_path) == before

    response = await ds.client.post(f"/factcheck/claim_events/{event['id']}/-/delete", json={}, cookies=root)
    assert response.status_code == 400, response.text
    response = await ds.client.post(f"/factcheck/claim_events/{event['id']}/-/update",
                                    json={"update": {"actor": "x"}}, cookies=root)
    assert response.status_code == 400, response.text
    assert dump(db_path) == before


# --- 10. Datasette events and our own hook -----------------------------------------


class Recorder:
    def __init__(self):
        self.events = []
        self.calls = []

    @hookimpl
    def track_event(self, datasette, event):
        if event.name == "factcheck-review":
            self.events.append(event)

    @hookimpl
    async def factcheck_review_committed(self, datasette, database, actor, changes):
        self.calls.append({"database": database, "actor": actor, "changes": changes})


@pytest.fixture
def recorder():
    plugin = Recorder()
    pm.register(plugin, name="test_web_recorder")
    try:
        yield plugin
    finally:
        pm.unregister(name="test_web_recorder")


@pytest.mark.asyncio
async def test_a_cluster_save_is_announced_once_with_two_changes(db_path, recorder):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    sibling = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_B)
    response = await save(ds, ALICE, cid, {"status": "done", "verdict": "true", "apply_to_cluster": True})
    assert response.status_code == 200
    assert sorted((e.claim_id, e.action) for e in recorder.events) == sorted([(cid, "review"), (sibling, "cluster")])
    assert all(e.database == "factcheck" and e.actor == ALICE and e.version == 1 for e in recorder.events)
    (call,) = recorder.calls
    assert call["database"] == "factcheck" and call["actor"] == ALICE
    assert len(call["changes"]) == 2
    assert {c["claim_id"] for c in call["changes"]} == {cid, sibling}
    assert all(c["changes"]["verdict"] == [None, "true"] for c in call["changes"])


@pytest.mark.asyncio
@pytest.mark.parametrize("actor, body", [
    (ALICE, {"verdict": "banana"}),
    (ALICE, {"status": "done"}),
    (MALLORY, {"note": "x"}),
    (ANONYMOUS, {"note": "x"}),
])
async def test_a_refused_save_is_not_announced(db_path, recorder, actor, body):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    response = await save(ds, actor, cid, {**body, "apply_to_cluster": True})
    assert response.status_code in (400, 403)
    assert recorder.events == [] and recorder.calls == []


@pytest.mark.asyncio
async def test_a_bulk_change_is_announced_once(db_path, recorder):
    ds = await make_datasette(db_path)
    ids = _two_claims(db_path)
    response = await _bulk(ds, ALICE, {"ids": list(ids.values()), "set": {"status": "in_progress"}})
    assert response.status_code == 200
    assert len(recorder.events) == 2 and {e.action for e in recorder.events} == {"bulk"}
    (call,) = recorder.calls
    assert len(call["changes"]) == 2
    # A refused bulk announces nothing more.
    await _bulk(ds, ALICE, {"ids": [*ids.values(), "nope"], "set": {"status": "unreviewed"}})
    assert len(recorder.events) == 2 and len(recorder.calls) == 1


# --- 11. the triage queue ------------------------------------------------------------


# web.py:108 hands Datasette's request.args (a MultiParams, whose .get() returns
# ONE string) to QueueFilters.from_params (queue.py:52), which expects
# name -> list of values and iterates it: ?sourcing=leak becomes the values
# "l", "e", "a", "k" and is refused with a 400 "(got 'l')"; ?q=Storm+Shadow
# searches "S t o r m ...". Every filter of the queue is unusable over HTTP.


async def _queue(ds, query: str = ""):
    response = await ds.client.get("/factcheck/-/factcheck.json" + query)
    return response


@pytest.mark.asyncio
async def test_queue_default_view(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    done = claim_id_like(db_path, "Storm Shadow")
    assert (await save(ds, ALICE, done, {"status": "done", "verdict": "unproven"})).status_code == 200
    progress = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    assert (await save(ds, ALICE, progress, {"status": "in_progress"})).status_code == 200

    response = await _queue(ds)
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

    page = await ds.client.get("/factcheck/-/factcheck")
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
@pytest.mark.parametrize("query, word", [("?status=banana", "status"), ("?verdict=banana", "verdict"),
                                         ("?kind=banana", "kind"), ("?sourcing=banana", "sourcing")])
async def test_queue_refuses_unknown_filter_values(db_path, query, word):
    ds = await make_datasette(db_path)
    response = await _queue(ds, query)
    assert response.status_code == 400
    assert word in response.json()["error"]
    # The HTML page does not fail either: it sends the editor back with a message.
    page = await ds.client.get("/factcheck/-/factcheck" + query)
    assert page.status_code in (302, 400)


@pytest.mark.asyncio
async def test_queue_filter_error_quotes_the_value_given(db_path):
    ds = await make_datasette(db_path)
    response = await _queue(ds, "?status=banana")
    assert response.status_code == 400
    assert "'banana'" in response.json()["error"]


@pytest.mark.asyncio
@pytest.mark.parametrize("query, where", [
    ("?status=all", "1"),
    ("?status=unreviewed&status=in_progress", "status IN ('unreviewed', 'in_progress')"),
    ("?kind=statistic", "kind = 'statistic' AND status IN ('unreviewed', 'in_progress')"),
    ("?verdict=none&status=all", "verdict IS NULL"),
    ("?article=" + ARTICLE_B, f"article_id = '{ARTICLE_B}' AND status IN ('unreviewed', 'in_progress')"),
])
async def test_queue_accepts_valid_filters(db_path, query, where):
    ds = await make_datasette(db_path)
    expected = {r["id"] for r in sqlite_utils.Database(db_path).query(
        f"SELECT id FROM claims WHERE superseded_at IS NULL AND {where}")}
    assert expected
    response = await _queue(ds, query)
    assert response.status_code == 200, response.text
    assert {c["id"] for c in response.json()["claims"]} == expected
    page = await ds.client.get("/factcheck/-/factcheck" + query)
    assert page.status_code == 200


@pytest.mark.asyncio
async def test_queue_counts_cover_every_live_claim(db_path):
    ds = await make_datasette(db_path)
    db = sqlite_utils.Database(db_path)
    ids = [r["id"] for r in db.query("SELECT id FROM claims ORDER BY id LIMIT 3")]
    assert (await _bulk(ds, ALICE, {"ids": ids, "set": {"status": "not_checkable"}})).status_code == 200
    payload = (await _queue(ds, "?status=all")).json()
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
    page = await ds.client.get("/factcheck/-/factcheck?q=Storm+Shadow")
    assert page.status_code == 200 and "Storm Shadow" in page.text


@pytest.mark.asyncio
@pytest.mark.parametrize("q", ['"', "NATO OR", "(", "*", "NEAR(", "a AND", "'", "-", "^x", "text:NATO"])
async def test_queue_search_syntax_never_500s(db_path, q):
    ds = await make_datasette(db_path)
    response = await ds.client.get("/factcheck/-/factcheck.json", params={"q": q})
    assert response.status_code == 200, response.text
    page = await ds.client.get("/factcheck/-/factcheck", params={"q": q})
    assert page.status_code == 200


# --- 12. links from Datasette's own pages ------------------------------------------


@pytest.mark.asyncio
async def test_row_page_offers_review_claim_and_table_page_the_queue(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    row_page = await ds.client.get(f"/factcheck/claims/{cid}")
    assert row_page.status_code == 200
    assert "Review claim" in row_page.text
    assert f'href="/factcheck/-/factcheck/claims/{cid}"' in row_page.text
    target = await ds.client.get(claim_url(cid))
    assert target.status_code == 200

    table_page = await ds.client.get("/factcheck/claims")
    assert table_page.status_code == 200
    assert "Triage queue" in table_page.text
    assert 'href="/factcheck/-/factcheck"' in table_page.text


# --- 13. migrations at startup ----------------------------------------------------------


@pytest.mark.asyncio
async def test_startup_migrations_and_unrelated_databases(tmp_path):
    from datasette_factcheck.load import load_paths
    from datasette_factcheck.schema import migrations

    path = tmp_path / "factcheck.db"
    assert not load_paths(path, [ROOT / "seeds"]).problems
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["notes"].insert({"id": 1, "text": "unrelated"}, pk="id")

    for _ in range(2):  # a second start finds nothing to do and does not fail
        ds = await make_datasette(path, other)
        assert (await ds.client.get("/factcheck/-/factcheck.json")).status_code == 200
        assert (await ds.client.get("/other/-/factcheck.json")).status_code == 404
        assert (await ds.client.get("/other/notes.json")).status_code == 200

    applied = {(r["migration_set"], r["name"]) for r in sqlite_utils.Database(path)["_sqlite_migrations"].rows}
    assert {("datasette-factcheck", m.name) for m in migrations._migrations} <= applied
    assert not migrations.pending(sqlite_utils.Database(path))
    assert sqlite_utils.Database(other).table_names() == ["notes"]


@pytest.fixture
def extra_migration():
    """A migration added after the database was loaded, as a plugin upgrade adds one."""
    from datasette_factcheck.schema import migrations

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
        (r["migration_set"], r["name"]) for r in db["_sqlite_migrations"].rows}
    assert sqlite_utils.Database(other).table_names() == ["notes"]
    assert (await ds.client.get("/factcheck/-/factcheck.json")).status_code == 200
