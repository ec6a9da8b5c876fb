"""The desk in daily use (issue 26): work views that hold through the filter
form, search across every status, assignment from the desk's accounts
(offered choices, Assign to me, Unassign, on one claim or a selection).

Expected claims come from SQL over the database, never hard-coded ids.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlencode

import pytest

from datasette_factcheck.desk import queue as triage
from datasette_factcheck.desk.work_views import WORK_VIEWS
from datasette_factcheck.web.team import configured_actors, merged_choices
from support.helpers import cookies, make_datasette, shipped_config
from support.webtools import ALICE, BOB, NATO_TEXT, claim, claim_id_like, claim_url, events, live_ids, read, save

QUEUE = "/factcheck/-/factcheck"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def form_submission(page: str) -> list[tuple[str, str]]:
    """What the queue's filter form sends when its button is pressed untouched:
    ticked boxes, selected options, text fields (as a browser builds it)."""
    form = re.search(r'<form class="fc-filters".*?</form>', page, re.S)[0]
    sent = []
    for tag in re.finditer(r"<input [^>]*>|<select [^>]*>.*?</select>", form, re.S):
        element = tag[0]
        name = re.search(r'name="([^"]+)"', element)[1]
        if element.startswith("<select"):
            chosen = re.findall(r'<option value="([^"]*)" selected', element)
            multiple = " multiple" in element.split(">", 1)[0]
            chosen = chosen if multiple else chosen[-1:]  # a single menu holds one choice, the last marked
            sent += [(name, html.unescape(value)) for value in chosen]
        elif 'type="checkbox"' in element:
            if " checked" in element:
                sent.append((name, html.unescape(re.search(r'value="([^"]*)"', element)[1])))
        else:
            sent.append((name, html.unescape(re.search(r'value="([^"]*)"', element)[1])))
    return sent


def view_links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="\?([^"]*)"(?: aria-current="page")? data-view="(\w+)">', page)
    return {name: html.unescape(query) for query, name in found}


async def rows_of(ds, query: str, actor=ALICE) -> list[str]:
    response = await read(ds, f"{QUEUE}.json?{query}", actor)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["claims"]]


@pytest.fixture
def worked_path(db_path):
    """The seeds part-way through a day: two done (one not checkable), one
    waiting for a second review, one in progress assigned to alice."""
    with_status = {
        "Storm Shadow": {"status": "done", "verdict": "false"},
        "covert": {"status": "not_checkable"},
        NATO_TEXT: {"status": "needs_second_review", "assignee": "alice"},
        "anti-tank": {"status": "in_progress", "assignee": "alice"},
    }
    return db_path, {text: claim_id_like(db_path, text) for text in with_status}, with_status


async def worked_desk(worked_path) -> tuple:
    """The desk over ``worked_path`` with its reviews saved by alice through the web;
    the database's path, the claims' ids by text, and the Datasette."""
    db_path, ids, with_status = worked_path
    ds = await make_datasette(db_path)
    for text, body in with_status.items():
        assert (await save(ds, ALICE, ids[text], body)).status_code == 200
    return db_path, ids, ds


@pytest.mark.asyncio
async def test_every_work_view_is_unchanged_by_an_empty_filter_submit(worked_path):
    db_path, ids, ds = await worked_desk(worked_path)
    links = view_links((await read(ds, QUEUE, ALICE)).text)
    assert set(links) == {view.name for view in WORK_VIEWS}
    for name, query in links.items():
        page = (await read(ds, f"{QUEUE}?{query}", ALICE)).text
        submitted = urlencode(form_submission(page))
        again = (await read(ds, f"{QUEUE}?{submitted}", ALICE)).text
        assert f'aria-current="page" data-view="{name}"' in again, (name, submitted)
        assert await rows_of(ds, submitted) == await rows_of(ds, query), name
    # The case of the issue: Done lists the done and the not-checkable claims, before and after.
    assert len(await rows_of(ds, links["done"])) == 2 == len(live_ids(db_path, "status IN ('done', 'not_checkable')"))
    # Mine: alice's open claims, the second review included; the form shows her as the assignee.
    mine_page = (await read(ds, f"{QUEUE}?{links['mine']}", ALICE)).text
    assert ("assignee", "alice") in form_submission(mine_page)
    assert set(await rows_of(ds, links["mine"])) == {ids[NATO_TEXT], ids["anti-tank"]}


def test_a_set_of_statuses_has_one_spelling():
    spelled = {
        ("done", "not_checkable"): ["done", "not_checkable"],
        ("not_checkable", "done"): ["done", "not_checkable"],
        ("in_progress", "unreviewed"): [],  # the queue's default, the open statuses
        ("unreviewed", "in_progress", "needs_second_review", "done", "not_checkable"): ["all"],
        ("all", "done"): ["all"],
    }
    for given, canonical in spelled.items():
        assert triage.canonical_statuses(given) == canonical
        filters = triage.QueueFilters.from_params({"status": list(given)})
        assert filters.values.get("status", []) == canonical


@pytest.mark.asyncio
async def test_search_finds_claims_in_every_status_and_names_their_view(worked_path):
    db_path, ids, ds = await worked_desk(worked_path)
    # The queue's search box searches every status.
    page = (await read(ds, QUEUE, ALICE)).text
    search = re.search(r'<form class="fc-search".*?</form>', page, re.S)[0]
    assert 'name="status" value="all"' in search and 'name="q"' in search
    payload = (await read(ds, f"{QUEUE}.json?status=all&q=Storm+Shadow", ALICE)).json()
    found = {row["id"]: row for row in payload["claims"]}
    assert ids["Storm Shadow"] in found and found[ids["Storm Shadow"]]["view"]["name"] == "done"
    results = (await read(ds, f"{QUEUE}?status=all&q=covert", ALICE)).text
    assert 'Not checkable</span> <a class="fc-in-view"' in results and "in Done</a>" in results
    in_view = parse_qs(found[ids["Storm Shadow"]]["view"]["query"])
    assert in_view == {"status": ["done", "not_checkable"], "q": ["Storm Shadow"]}
    # The same search in the open queue does not find the done claim.
    assert ids["Storm Shadow"] not in await rows_of(ds, "q=Storm+Shadow")


# --- assignment -----------------------------------------------------------------------------


def test_the_desks_accounts_are_the_configured_actors_with_a_password():
    config = {
        "editor_password_hash": "pbkdf2$...",
        "viewer_password_hash": "pbkdf2$...",
        "unset_password_hash": None,  # its environment variable missing: cannot log in
        "plain_password_hash": "pbkdf2$...",
        "actors": {"editor": {"id": "ed", "roles": ["editor"]}, "viewer": {"id": "viewer"}},
    }
    assert configured_actors(config) == [{"id": "ed", "roles": ["editor"]}, {"id": "viewer"}, {"id": "plain"}]
    assert configured_actors(None) == []
    assert merged_choices(["alice", None], ["bob", "alice", ""]) == ["alice", "bob"]


@pytest.mark.asyncio
async def test_the_team_is_offered_as_choices_reviewers_only(db_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_EDITOR_PASSWORD_HASH", "pbkdf2_sha256$1$salt$hash")
    monkeypatch.setenv("FACTCHECK_VIEWER_PASSWORD_HASH", "pbkdf2_sha256$1$salt$hash")
    ds = await make_datasette(db_path, config=shipped_config())
    cid = claim_id_like(db_path, NATO_TEXT)
    assert (await save(ds, ALICE, cid, {"assignee": "freelancer"})).status_code == 200
    for path in (QUEUE, claim_url(cid)):
        page = (await read(ds, path, BOB)).text
        team = re.findall(r'<option value="([^"]+)">', re.search(r'<datalist id="fc-team">.*?</datalist>', page)[0])
        # The logged-in editor first, the editor account (the viewer may not review), names used before.
        assert team == ["bob", "editor", "freelancer"], path


async def post_form(ds, actor, path: str, body: str):
    return await ds.client.post(path, content=body, headers=FORM, cookies=cookies(ds, actor))


@pytest.mark.asyncio
async def test_assign_to_me_and_unassign_from_the_queue(db_path):
    ds = await make_datasette(db_path)
    first, second, third = live_ids(db_path, "status = 'unreviewed'")[:3]
    page = (await read(ds, QUEUE, ALICE)).text
    assert f'name="assign_claim" value="{first}"' in page
    assert 'name="assign" value="me"' in page and 'name="assign" value="none"' in page
    # A row's button: that claim only, even with others ticked; only its assignee changes.
    response = await post_form(ds, ALICE, f"{QUEUE}/bulk", f"ids={second}&set_status=done&assign_claim={first}")
    assert response.status_code == 302
    assert (claim(db_path, first)["assignee"], claim(db_path, first)["status"]) == ("alice", "unreviewed")
    assert claim(db_path, second)["assignee"] is None
    # The bar's buttons on a selection: assign to me, then unassign; the menus are not applied.
    response = await post_form(
        ds, BOB, f"{QUEUE}/bulk", f"ids={first}&ids={second}&ids={third}&set_status=in_progress&assign=me"
    )
    assert response.status_code == 302
    assert {claim(db_path, cid)["assignee"] for cid in (first, second, third)} == {"bob"}
    assert {claim(db_path, cid)["status"] for cid in (first, second, third)} == {"unreviewed"}
    assert (await post_form(ds, BOB, f"{QUEUE}/bulk", f"ids={first}&ids={second}&assign=none")).status_code == 302
    assert [claim(db_path, cid)["assignee"] for cid in (first, second, third)] == [None, None, "bob"]
    assert [json.loads(event["changes"])["assignee"] for event in events(db_path, first)] == [
        [None, "alice"],
        ["alice", "bob"],
        ["bob", None],
    ]
    # Mine counts what bob holds.
    views = (await read(ds, f"{QUEUE}.json", BOB)).json()["views"]
    assert next(view["count"] for view in views if view["name"] == "mine") == 1


@pytest.mark.asyncio
async def test_assign_to_me_on_the_claim_page_sends_the_assignee_only(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    page = (await read(ds, claim_url(cid), ALICE)).text
    assign_form = re.search(r'<form [^>]*id="fc-assign-form".*?</form>', page, re.S)[0]
    assert 'name="assignee" value="alice"' in assign_form and "Assign to me" in assign_form
    assert "Unassign" not in assign_form  # nobody to unassign yet
    assert (await post_form(ds, ALICE, claim_url(cid), "assignee=alice")).status_code == 302
    after = claim(db_path, cid)
    assert (after["assignee"], after["status"], after["note"]) == ("alice", "unreviewed", None)
    page = (await read(ds, claim_url(cid), ALICE)).text
    assign_form = re.search(r'<form [^>]*id="fc-assign-form".*?</form>', page, re.S)[0]
    assert "Assigned to <strong>alice</strong>" in assign_form and "Assign to me" not in assign_form
    assert (await post_form(ds, ALICE, claim_url(cid), "assignee=")).status_code == 302
    assert claim(db_path, cid)["assignee"] is None
