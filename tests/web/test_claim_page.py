"""The claim page as a desk uses it: previous and next in the queue view the
editor came from, Save and next, keyboard shortcuts listed on the page,
evidence links (http(s) only), the article named by its title, and who
scored the claim when the database records it."""

from __future__ import annotations

import re
import sqlite3

import pytest

from support.helpers import cookies, make_datasette
from support.webtools import ALICE, ARTICLE_A, NATO_TEXT, VERA, claim, claim_id_like, claim_url, live_ids, read, save

LEAK_VIEW = "status=unreviewed&sourcing=leak"  # as the queue writes it: filters in their order


def leak_claims(path) -> list[str]:
    """The unreviewed leak-sourced claims, in queue order."""
    return live_ids(path, "sourcing = 'leak' AND status = 'unreviewed'")


async def page_json(ds, cid: str, query: str = "") -> dict:
    response = await read(ds, claim_url(cid) + ".json" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_previous_and_next_follow_the_queue_view_it_came_from(db_path):
    ds = await make_datasette(db_path)
    first, second, third = leak_claims(db_path)[:3]
    middle = (await page_json(ds, second, LEAK_VIEW))["neighbours"]
    assert (middle["previous"]["id"], middle["next"]["id"]) == (first, third)
    assert (await page_json(ds, first, LEAK_VIEW))["neighbours"]["previous"] is None
    assert (await page_json(ds, third, LEAK_VIEW))["neighbours"]["next"] is None
    page = (await read(ds, claim_url(second) + "?" + LEAK_VIEW)).text
    assert (
        f'href="/factcheck/-/factcheck/claims/{third}?status=unreviewed&amp;sourcing=leak" data-fc-key="j" rel="next"'
        in page
    )
    assert (
        f'href="/factcheck/-/factcheck/claims/{first}?status=unreviewed&amp;sourcing=leak" data-fc-key="k" rel="prev"'
        in page
    )
    # The way back is the same view, named.
    assert '<a href="/factcheck/-/factcheck?status=unreviewed&amp;sourcing=leak" class="fc-back">' in page
    # The form posts back into the same view.
    assert (
        f'action="/factcheck/-/factcheck/claims/{second}?status=unreviewed&amp;sourcing=leak"'
        in (await read(ds, claim_url(second) + "?" + LEAK_VIEW, ALICE)).text
    )


@pytest.mark.asyncio
async def test_save_and_next_walks_the_view_in_queue_order(db_path):
    ds = await make_datasette(db_path)
    order = leak_claims(db_path)
    editor = cookies(ds, ALICE)
    current, seen = order[0], []
    for _ in order:
        seen.append(current)
        response = await ds.client.post(
            claim_url(current) + "?" + LEAK_VIEW, cookies=editor, data={"status": "in_progress", "then": "next"}
        )
        assert response.status_code == 302
        location = response.headers["location"]
        if "/claims/" not in location:
            break
        assert location.endswith("?" + LEAK_VIEW)
        current = re.search(r"/claims/([^?]+)", location)[1]
    assert seen == order
    # After the last claim: back to the view, which is now empty, with a message.
    assert location == "/factcheck/-/factcheck?" + LEAK_VIEW
    messages = ds.unsign(response.cookies["ds_messages"], "messages")
    assert messages == [["Review saved. That was the last claim in this view.", 1]]
    assert {claim(db_path, cid)["status"] for cid in order} == {"in_progress"}


@pytest.mark.asyncio
async def test_plain_save_stays_on_the_claim_in_its_view(db_path):
    ds = await make_datasette(db_path)
    cid = leak_claims(db_path)[0]
    response = await ds.client.post(
        claim_url(cid) + "?" + LEAK_VIEW, data={"note": "checked"}, cookies=cookies(ds, ALICE)
    )
    assert (response.status_code, response.headers["location"]) == (302, claim_url(cid) + "?" + LEAK_VIEW)


@pytest.mark.asyncio
async def test_keyboard_shortcuts_are_wired_and_listed(db_path):
    ds = await make_datasette(db_path)
    cid = leak_claims(db_path)[1]
    page = (await read(ds, claim_url(cid) + "?" + LEAK_VIEW, ALICE)).text
    for key in ("j", "k", "s", "ctrl+enter", "ctrl+shift+enter"):
        assert page.count(f'data-fc-key="{key}"') == 1, key
    listed = re.sub(r"<[^>]+>", "", re.search(r'<p class="fc-keys">(.*?)</p>', page, re.S)[1])
    assert " ".join(listed.split()) == (
        "Keyboard: j next claim · k previous · s status · Ctrl+Enter save · Ctrl+Shift+Enter save and next"
    )


@pytest.mark.asyncio
async def test_evidence_urls_are_links_and_nothing_else_is(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    evidence = ["https://example.org/leak-analysis", "javascript:alert(1)", "Interview with the MoD, 3 Jan"]
    assert (await save(ds, ALICE, cid, {"evidence": evidence})).status_code == 200
    for actor in (VERA, ALICE):  # the read-only view, and the editor's form
        page = (await read(ds, claim_url(cid), actor)).text
        read_only, history = page.split('<section class="fc-history">')
        assert '<a href="https://example.org/leak-analysis" rel="noopener noreferrer">' in read_only
        assert '<a href="https://example.org/leak-analysis" rel="noopener noreferrer">' in history
        assert 'href="javascript' not in page
        assert "javascript:alert(1)" in history and "Interview with the MoD, 3 Jan" in history


@pytest.mark.asyncio
async def test_the_heading_names_the_article_never_its_id(db_path):
    ds = await make_datasette(db_path)
    page = (await read(ds, claim_url(claim_id_like(db_path, NATO_TEXT)))).text
    assert "<h2>AntiWar.com, 20 Dec 2024</h2>" in page
    assert ARTICLE_A not in re.sub(r'href="[^"]*"', "", page)


def _set_scored_by(path, claim_id: str, value: str | None) -> None:
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(claims)")]
    if "scored_by" not in columns:  # older schemas: the page must work without the column
        conn.execute("ALTER TABLE claims ADD COLUMN scored_by TEXT")
    conn.execute("UPDATE claims SET scored_by = ? WHERE id = ?", [value, claim_id])
    conn.commit()
    conn.close()


@pytest.mark.asyncio
async def test_who_scored_the_claim_shows_when_the_database_records_it(db_path):
    cid = claim_id_like(db_path, NATO_TEXT)
    ds = await make_datasette(db_path)
    _set_scored_by(db_path, cid, None)
    assert "scored by" not in (await read(ds, claim_url(cid))).text
    _set_scored_by(db_path, cid, "checkworthy model 2")
    page = (await read(ds, claim_url(cid))).text
    assert re.search(
        r'<dt>Check-worthiness</dt><dd>\d+ / 100 <span class="fc-scored-by">'
        r"\(scored by checkworthy model 2\)</span></dd>",
        page,
    )


@pytest.mark.asyncio
async def test_a_malformed_view_on_a_claim_page_is_the_default_queue(db_path):
    ds = await make_datasette(db_path)
    cid = leak_claims(db_path)[0]
    response = await read(ds, claim_url(cid) + "?status=banana")
    assert response.status_code == 200
    assert '<a href="/factcheck/-/factcheck" class="fc-back">' in response.text
