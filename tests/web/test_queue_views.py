"""The queue as a desk works through it: work views with their counts, dense
rows (the claim as text, the article by its title, no empty columns), inline
filters that add to the current ones, the cluster badge, the bulk bar.

Expected claims come from SQL over the database, never from hard-coded ids,
so a change to the scorer does not break them.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

import pytest
import pytest_asyncio

from datasette_factcheck.desk import queue as triage
from datasette_factcheck.desk.claim_page import UNTITLED, article_label
from support.helpers import make_datasette
from support.webtools import (
    ALICE,
    ARTICLE_A,
    ARTICLE_B,
    NATO_TEXT,
    RECRUITS_TEXT,
    VERA,
    bulk,
    claim_id_like,
    live_ids,
    read,
    save,
)

QUEUE = "/factcheck/-/factcheck"


async def queue_json(ds, query: str = "", actor=VERA) -> dict:
    response = await read(ds, QUEUE + ".json" + query, actor)
    assert response.status_code == 200, response.text
    return response.json()


@pytest_asyncio.fixture
async def worked(db_path):
    """The seeds part-way through a day: one claim waiting for a second
    review, one done, one in progress assigned to alice."""
    ds = await make_datasette(db_path)
    second = claim_id_like(db_path, NATO_TEXT)
    done = claim_id_like(db_path, "Storm Shadow")
    mine = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_A)
    for cid, body in [
        (second, {"status": "needs_second_review"}),
        (done, {"status": "done", "verdict": "false"}),
        (mine, {"status": "in_progress", "assignee": "alice"}),
    ]:
        assert (await save(ds, ALICE, cid, body)).status_code == 200
    return ds, {"second": second, "done": done, "mine": mine}


def views_of(payload: dict) -> dict[str, dict]:
    return {view["name"]: view for view in payload["views"]}


@pytest.mark.asyncio
async def test_each_work_view_shows_its_claims_and_counts_them(worked, db_path):
    ds, ids = worked
    views = views_of(await queue_json(ds, actor=ALICE))
    assert list(views) == ["open", "triage", "in_progress", "second_review", "mine", "done"]
    expected = {
        "open": live_ids(db_path, "status IN ('unreviewed', 'in_progress')"),
        "triage": live_ids(db_path, "status = 'unreviewed'"),
        "in_progress": [ids["mine"]],
        "second_review": [ids["second"]],
        "mine": [ids["mine"]],
        "done": [ids["done"]],
    }
    for name, claim_ids in expected.items():
        payload = await queue_json(ds, "?" + views[name]["query"] + "&_copies=1", ALICE)
        assert [claim["id"] for claim in payload["claims"]] == claim_ids, name
        assert views[name]["count"] == len(claim_ids) == payload["total"], name
        assert [view["name"] for view in payload["views"] if view["active"]] == [name]
    # needs_second_review no longer vanishes: it has a view, and it is not in the open one.
    assert ids["second"] not in expected["open"]


@pytest.mark.asyncio
async def test_assigned_to_me_is_the_logged_in_actor(worked):
    ds, ids = worked
    alice = views_of(await queue_json(ds, actor=ALICE))["mine"]
    assert alice["count"] == 1 and "assignee=alice" in alice["query"]
    vera = views_of(await queue_json(ds, actor=VERA))["mine"]
    assert vera["count"] == 0 and "assignee=vera" in vera["query"]


@pytest.mark.asyncio
async def test_views_keep_the_other_filters_and_count_under_them(worked, db_path):
    ds, ids = worked
    payload = await queue_json(ds, "?sourcing=leak&status=all", ALICE)
    views = views_of(payload)
    assert views["triage"]["count"] == len(live_ids(db_path, "sourcing = 'leak' AND status = 'unreviewed'"))
    assert views["second_review"]["count"] == 1 and views["done"]["count"] == 1
    assert parse_qs(views["triage"]["query"]) == {"sourcing": ["leak"], "status": ["unreviewed"]}
    assert not any(view["active"] for view in payload["views"])  # status=all is no work view


@pytest.mark.asyncio
async def test_the_page_shows_the_views_as_tabs_with_counts(worked):
    ds, _ = worked
    page = (await read(ds, QUEUE + "?status=needs_second_review", ALICE)).text
    assert re.search(
        r'<a href="\?status=needs_second_review" aria-current="page" data-view="second_review">'
        r'Second review <span class="fc-view-count">1</span></a>',
        page,
    )
    assert 'data-view="mine">Mine <span class="fc-view-count">1</span>' in page


@pytest.mark.asyncio
async def test_rows_name_the_article_by_title_or_outlet_and_date_never_its_id(db_path):
    ds = await make_datasette(db_path)
    page = (await read(ds, QUEUE)).text
    assert ">AntiWar.com, 20 Dec 2024</a>" in page
    assert f">{ARTICLE_A}<" not in page and f">{ARTICLE_B}<" not in page
    assert article_label(None, None, None) == UNTITLED
    assert article_label(None, "AntiWar.com", "not a date") == "AntiWar.com, not a date"
    assert article_label("A headline", "AntiWar.com", "2024-12-20") == "A headline"


@pytest.mark.asyncio
async def test_the_claim_reads_as_text_and_the_row_opens_it(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    page = (await read(ds, QUEUE + "?sourcing=leak")).text
    href = f"/factcheck/-/factcheck/claims/{cid}?sourcing=leak"
    assert f'<tr data-href="{href}">' in page
    assert f'<a class="fc-claim-link" href="{href}">' in page


@pytest.mark.asyncio
async def test_empty_verdict_and_assignee_columns_are_left_out(worked):
    ds, ids = worked
    headings = lambda text: re.findall(r"<th[^>]*>([^<]*)</th>", text)  # noqa: E731
    triage_page = (await read(ds, QUEUE + "?status=unreviewed")).text
    assert "Verdict" not in headings(triage_page) and "Assignee" not in headings(triage_page)
    everything = (await read(ds, QUEUE + "?status=all&_copies=1")).text
    assert {"Verdict", "Assignee"} <= set(headings(everything))


@pytest.mark.asyncio
async def test_inline_filter_links_add_to_the_current_filters(db_path):
    ds = await make_datasette(db_path)
    page = (await read(ds, QUEUE + "?sourcing=media_report&q=Times&status=all")).text
    links = {html.unescape(href) for href in re.findall(r'class="fc-narrow" href="\?([^"]*)"', page)}
    claimant = next(parse_qs(link) for link in links if "claimant=" in link)
    kind = next(parse_qs(link) for link in links if "kind=" in link)
    for narrowed in (claimant, kind):
        assert narrowed["sourcing"] == ["media_report"] and narrowed["q"] == ["Times"] and narrowed["status"] == ["all"]


@pytest.mark.asyncio
async def test_the_claimant_filter(db_path):
    ds = await make_datasette(db_path)
    payload = await queue_json(ds, "?claimant=The+Times&status=all")
    assert [claim["id"] for claim in payload["claims"]] == live_ids(db_path, "claimant = 'The Times'")
    assert payload["total"] == len(payload["claims"]) > 1
    assert triage.QueueFilters.from_params({"claimant": ["The Times"]}).where()[1] == ["The Times"]


@pytest.mark.asyncio
async def test_a_claim_with_siblings_carries_a_badge_to_its_cluster(db_path):
    ds = await make_datasette(db_path)
    quote = claim_id_like(db_path, RECRUITS_TEXT, ARTICLE_B)
    payload = await queue_json(ds)
    rows = {claim["id"]: claim for claim in payload["claims"]}
    assert rows[quote]["cluster"] == {"copies": 2, "articles": 2}
    alone = claim_id_like(db_path, NATO_TEXT)
    assert rows[alone]["cluster"] is None
    page = (await read(ds, QUEUE)).text
    cluster = rows[quote]["cluster_id"]
    assert (
        f'href="?cluster={cluster}&amp;status=all" title="Every copy of this claim, with its article">in 2 articles</a>'
        in page
    )


@pytest.mark.asyncio
async def test_the_bulk_bar_has_select_all_and_a_count_for_editors_only(db_path):
    ds = await make_datasette(db_path)
    editor_page = (await read(ds, QUEUE, ALICE)).text
    assert "data-fc-select-all" in editor_page and "data-fc-selected" in editor_page
    assert "factcheck.js" in editor_page
    assert "data-fc-select-all" not in (await read(ds, QUEUE, VERA)).text
    ids = live_ids(db_path, "status = 'unreviewed'")[:2]
    assert (await bulk(ds, ALICE, {"ids": ids, "set": {"status": "in_progress"}})).status_code == 200
    assert views_of(await queue_json(ds))["in_progress"]["count"] == 2
