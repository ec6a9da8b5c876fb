"""Saving reviews through the web: validation, version conflicts (JSON and form),
a successful save and its history, apply-to-cluster, bulk changes, and the
events and hook a save announces.

Every test copies the session's seeded database (tests write), serves it as
``factcheck`` (the name datasette.yaml is keyed on) and talks to it through
``datasette.client`` with signed ``ds_actor`` cookies (helpers in webtools.py).
"""

from __future__ import annotations

import html
import json
import re

import pytest
import sqlite_utils
from datasette import hookimpl

from datasette_factcheck.vocab import STATUSES, VERDICTS
from support.helpers import cookies, make_datasette, registered_plugin
from support.webtools import (
    ALICE,
    ANONYMOUS,
    ARTICLE_A,
    ARTICLE_B,
    BOB,
    MALLORY,
    NATO_TEXT,
    RECRUITS_TEXT,
    bulk,
    claim,
    claim_id_like,
    claim_url,
    dump,
    events,
    read,
    save,
    two_claims,
)

# --- 1. validation through the web route -------------------------------------------


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
        claim_url(cid),
        content=b'{"note": ',
        headers={"content-type": "application/json"},
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
    response = await read(ds, claim_url("no-such-claim"))
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


# --- 2. the form's 409 keeps the editor's text -------------------------------------


def _form(note: str, version: str, **extra) -> dict:
    return {
        "status": "in_progress",
        "verdict": "",
        "note": note,
        "evidence": "",
        "assignee": "",
        "version": version,
        **extra,
    }


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


# --- 3. a successful save ----------------------------------------------------------


@pytest.mark.asyncio
async def test_json_save_writes_the_review_and_one_event(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    original = claim(db_path, cid)
    assert original["version"] == 0 and original["reviewed_by"] is None
    body = {
        "status": "done",
        "verdict": "unproven",
        "note": "Only the leak says so.",
        "evidence": ["https://example.org/discord-leaks"],
        "version": 0,
    }
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

    as_json = await read(ds, claim_url(cid) + ".json")
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


# --- 4. apply to cluster -----------------------------------------------------------


@pytest.mark.asyncio
async def test_apply_to_cluster_updates_the_sibling_in_the_other_article(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    sibling = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_B)
    assert claim(db_path, cid)["cluster_id"] == claim(db_path, sibling)["cluster_id"]
    untouched = {
        r["id"]: r
        for r in sqlite_utils.Database(db_path).query("SELECT * FROM claims WHERE id NOT IN (?, ?)", [cid, sibling])
    }

    response = await save(
        ds,
        ALICE,
        cid,
        {"status": "done", "verdict": "true", "note": "On the record.", "version": 0, "apply_to_cluster": True},
    )
    assert response.status_code == 200, response.text
    for claim_id in (cid, sibling):
        row = claim(db_path, claim_id)
        assert (row["status"], row["verdict"]) == ("done", "true")
        assert row["version"] == 1 and row["reviewed_by"] == "alice"
    assert claim(db_path, sibling)["note"] is None  # only status and verdict propagate

    assert [(e["claim_id"], e["action"], e["actor"]) for e in events(db_path)] == [
        (cid, "review", "alice"),
        (sibling, "cluster", "alice"),
    ]
    assert json.loads(events(db_path, sibling)[0]["changes"]) == {
        "status": ["unreviewed", "done"],
        "verdict": [None, "true"],
    }
    # No other claim moved.
    after = {
        r["id"]: r
        for r in sqlite_utils.Database(db_path).query("SELECT * FROM claims WHERE id NOT IN (?, ?)", [cid, sibling])
    }
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


# --- 5. bulk -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_bulk_with_an_unknown_id_changes_nothing(db_path):
    ds = await make_datasette(db_path)
    ids = two_claims(db_path)
    before = dump(db_path)
    response = await bulk(
        ds, ALICE, {"ids": [ids["cid"], ids["other"], "no-such-claim"], "set": {"status": "in_progress"}}
    )
    assert response.status_code == 404
    assert "no-such-claim" in response.json()["error"]
    assert dump(db_path) == before
    assert events(db_path) == []


@pytest.mark.asyncio
async def test_bulk_done_without_verdict_changes_nothing(db_path):
    ds = await make_datasette(db_path)
    ids = two_claims(db_path)
    # One of them already has a verdict: the other still makes the batch fail.
    assert (await save(ds, ALICE, ids["cid"], {"status": "in_progress", "verdict": "false"})).status_code == 200
    before = dump(db_path)
    response = await bulk(ds, ALICE, {"ids": [ids["cid"], ids["other"]], "set": {"status": "done"}})
    assert response.status_code == 400
    assert "verdict" in response.json()["error"]
    assert dump(db_path) == before


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body, word",
    [
        ({"ids": ["x"], "set": {"status": "banana"}}, "status"),
        ({"ids": ["x"], "set": {"note": "bulk note"}}, "note"),
        ({"ids": [], "set": {"status": "in_progress"}}, "ids"),
        ({"ids": "abc", "set": {"status": "in_progress"}}, "ids"),
        ({"ids": ["x"], "set": {}}, "set"),
        ({"ids": ["x"], "set": {"status": "in_progress"}, "extra": 1}, "extra"),
    ],
)
async def test_bulk_invalid_input_is_400(db_path, body, word):
    ds = await make_datasette(db_path)
    body = json.loads(json.dumps(body).replace('"x"', json.dumps(claim_id_like(db_path, NATO_TEXT))))
    before = dump(db_path)
    response = await bulk(ds, ALICE, body)
    assert response.status_code == 400, response.text
    assert word in response.json()["error"]
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_good_bulk_changes_all_with_one_event_each(db_path):
    ds = await make_datasette(db_path)
    db = sqlite_utils.Database(db_path)
    ids = [r["id"] for r in db.query("SELECT id FROM claims ORDER BY checkworthiness DESC LIMIT 4")]
    response = await bulk(ds, ALICE, {"ids": ids, "set": {"status": "in_progress", "assignee": "carol"}})
    assert response.status_code == 200, response.text
    assert response.json()["changed"] == 4
    for claim_id in ids:
        row = claim(db_path, claim_id)
        assert (row["status"], row["assignee"], row["version"], row["reviewed_by"]) == (
            "in_progress",
            "carol",
            1,
            "alice",
        )
        (event,) = events(db_path, claim_id)
        assert event["action"] == "bulk" and event["actor"] == "alice"
        assert json.loads(event["changes"]) == {"status": ["unreviewed", "in_progress"], "assignee": [None, "carol"]}
    assert len(events(db_path)) == 4


@pytest.mark.asyncio
async def test_bulk_form_redirects_and_changes_them(db_path):
    ds = await make_datasette(db_path)
    ids = two_claims(db_path)
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


# --- 6. Datasette events and our own hook ------------------------------------------


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
    with registered_plugin(Recorder(), "test_web_recorder") as plugin:
        yield plugin


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
@pytest.mark.parametrize(
    "actor, body",
    [
        (ALICE, {"verdict": "banana"}),
        (ALICE, {"status": "done"}),
        (MALLORY, {"note": "x"}),
        (ANONYMOUS, {"note": "x"}),
    ],
)
async def test_a_refused_save_is_not_announced(db_path, recorder, actor, body):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    response = await save(ds, actor, cid, {**body, "apply_to_cluster": True})
    assert response.status_code in (400, 403)
    assert recorder.events == [] and recorder.calls == []


@pytest.mark.asyncio
async def test_a_bulk_change_is_announced_once(db_path, recorder):
    ds = await make_datasette(db_path)
    ids = two_claims(db_path)
    response = await bulk(ds, ALICE, {"ids": list(ids.values()), "set": {"status": "in_progress"}})
    assert response.status_code == 200
    assert len(recorder.events) == 2 and {e.action for e in recorder.events} == {"bulk"}
    (call,) = recorder.calls
    assert len(call["changes"]) == 2
    # A refused bulk announces nothing more.
    await bulk(ds, ALICE, {"ids": [*ids.values(), "nope"], "set": {"status": "unreviewed"}})
    assert len(recorder.events) == 2 and len(recorder.calls) == 1
