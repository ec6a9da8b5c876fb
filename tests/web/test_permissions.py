"""The web layer's guards: who may write through which route, cross-site posts,
Datasette's own write API, the append-only claim_events table, and HTML escaping.

Every test copies the session's seeded database (tests write), serves it as
``factcheck`` (the name datasette.yaml is keyed on) and talks to it through
``datasette.client`` with signed ``ds_actor`` cookies (helpers in webtools.py).
"""

from __future__ import annotations

import html
import json

import pytest
import sqlite_utils

from support.helpers import cookies, make_datasette
from support.webtools import (
    ACTORS,
    ALICE,
    ARTICLE_A,
    NATO_TEXT,
    ROOT_ACTOR,
    VERA,
    claim,
    claim_id_like,
    claim_url,
    dump,
    events,
    save,
    two_claims,
)

SCRIPT = "<script>alert(1)</script>"


# --- 1. permission matrix ----------------------------------------------------------

# Each write route: how to call it against claim ``cid`` (and a second claim
# ``other`` for bulk), and how to tell from the claim row that it went through.
WRITE_ROUTES = {
    "plugin-claim-json": ("POST", "{claim}", {"json": {"note": "plugin json"}}, "plugin json"),
    "plugin-claim-form": ("POST", "{claim}", {"data": {"note": "plugin form"}}, "plugin form"),
    "plugin-bulk-json": (
        "POST",
        "/factcheck/-/factcheck/bulk",
        {"json": {"ids": ["{cid}", "{other}"], "set": {"status": "in_progress"}}},
        None,
    ),
    "plugin-bulk-form": (
        "POST",
        "/factcheck/-/factcheck/bulk",
        {"data": {"ids": ["{cid}", "{other}"], "set_status": "in_progress"}},
        None,
    ),
    "api-update": ("POST", "/factcheck/claims/{cid}/-/update", {"json": {"update": {"note": "via api"}}}, "via api"),
    "datasette-write": (
        "POST",
        "/factcheck/-/write",
        {"data": {"sql": "UPDATE claims SET note = 'via write' WHERE id = :id", "qp_id": "{cid}"}},
        "via write",
    ),
    "execute-write": (
        "POST",
        "/factcheck/-/execute-write",
        {"json": {"sql": "UPDATE claims SET note = 'via execute' WHERE id = '{cid}'"}},
        "via execute",
    ),
}
ALLOWED = {
    "anonymous": set(),
    "mallory": set(),
    "vera": set(),
    "alice": {"plugin-claim-json", "plugin-claim-form", "plugin-bulk-json", "plugin-bulk-form"},
    "root": set(WRITE_ROUTES),
}
# Datasette's other write API endpoints: nobody but root may use them.
EXTRA_API_ROUTES = {
    "api-insert": (
        "/factcheck/claims/-/insert",
        {"row": {"id": "forged", "article_id": ARTICLE_A, "position": 999, "text": "forged claim"}},
    ),
    "api-upsert": ("/factcheck/claims/-/upsert", {"rows": [{"id": "{cid}", "note": "upserted"}]}),
    "api-delete": ("/factcheck/claims/{cid}/-/delete", {}),
    "api-drop": ("/factcheck/claims/-/drop", {"confirm": True}),
    "api-events-insert": (
        "/factcheck/claim_events/-/insert",
        {"row": {"claim_id": "{cid}", "at": "2000-01-01", "actor": "forger", "action": "review", "changes": "{}"}},
    ),
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


@pytest.mark.asyncio
@pytest.mark.parametrize("route", list(WRITE_ROUTES))
@pytest.mark.parametrize("actor_name", list(ACTORS))
async def test_permission_matrix(db_path, actor_name, route):
    ds = await make_datasette(db_path)
    ids = two_claims(db_path)
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
@pytest.mark.parametrize("actor_name", ["anonymous", "mallory", "vera", "alice"])
async def test_datasette_write_api_is_closed_to_all_but_root(db_path, actor_name, route):
    ds = await make_datasette(db_path)
    ids = two_claims(db_path)
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
    ids = two_claims(db_path)
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


# --- 2. CSRF -----------------------------------------------------------------------


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
    ids = two_claims(db_path)
    before = dump(db_path)
    response = await ds.client.post(
        "/factcheck/-/factcheck/bulk",
        data={"ids": [ids["cid"], ids["other"]], "set_status": "in_progress"},
        cookies=cookies(ds, ALICE),
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert dump(db_path) == before


# --- 3. escaping -------------------------------------------------------------------


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
        "claim page (viewer)": (claim_url(cid), VERA, True),
        "queue": ("/factcheck/-/factcheck", ALICE, False),
        "claims table": ("/factcheck/claims", VERA, True),
        "claims table, searched": ("/factcheck/claims?_search=NATO", VERA, True),
        "row page": (f"/factcheck/claims/{cid}", VERA, True),
        "events table": ("/factcheck/claim_events", VERA, True),
    }
    for name, (path, actor, shows_note) in pages.items():
        page = await ds.client.get(path, cookies=cookies(ds, actor))
        assert page.status_code == 200, (name, page.status_code)
        assert SCRIPT not in page.text, name
        if shows_note:
            assert escaped in page.text, name


# --- 4. Datasette's write API and datasette-write ----------------------------------


@pytest.mark.asyncio
async def test_write_api_refuses_values_outside_the_vocabulary(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    before = dump(db_path)
    for update, word in [
        ({"verdict": "banana"}, "verdict"),
        ({"status": "banana"}, "status"),
        ({"status": "done"}, "verdict"),
        ({"evidence": "not json"}, "evidence"),
        ({"kind": "rumour"}, "kind"),
        ({"sourcing": "tea leaves"}, "sourcing"),
    ]:
        response = await ds.client.post(
            f"/factcheck/claims/{cid}/-/update", json={"update": update}, cookies=cookies(ds, ROOT_ACTOR)
        )
        assert response.status_code == 400, (update, response.text)
        assert word in json.dumps(response.json()), (update, response.text)
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_write_api_update_is_recorded_and_bumps_the_version(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await ds.client.post(
        f"/factcheck/claims/{cid}/-/update", json={"update": {"note": "via api"}}, cookies=cookies(ds, ROOT_ACTOR)
    )
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
    response = await ds.client.post(
        f"/factcheck/claims/{cid}/-/update", json={"update": update}, cookies=cookies(ds, ROOT_ACTOR)
    )
    assert response.status_code == 200
    assert claim(db_path, cid)["note"] == "unrecorded"
    assert [json.loads(e["changes"]).get("note") for e in events(db_path, cid)] == [[None, "unrecorded"]]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE claim_events SET actor = 'someone else' WHERE id = :id",
        "DELETE FROM claim_events WHERE id = :id",
    ],
)
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

    response = await ds.client.post(
        "/factcheck/-/execute-write", json={"sql": sql, "params": {"id": event["id"]}}, cookies=root
    )
    assert response.status_code == 400, response.text
    assert "append-only" in response.text
    assert dump(db_path) == before

    response = await ds.client.post(f"/factcheck/claim_events/{event['id']}/-/delete", json={}, cookies=root)
    assert response.status_code == 400, response.text
    response = await ds.client.post(
        f"/factcheck/claim_events/{event['id']}/-/update", json={"update": {"actor": "x"}}, cookies=root
    )
    assert response.status_code == 400, response.text
    assert dump(db_path) == before
