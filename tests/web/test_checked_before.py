"""On the desk: the claim page's "Checked before" panel, and the search over fact-checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from support.helpers import FIXTURES, make_datasette
from support.webtools import ALICE, ANONYMOUS, NATO_TEXT, VERA, claim_id_like, claim_url, read, save

FIXTURES = FIXTURES / "factchecks"
LEAK_CHECK = "https://factcheck.example.org/2023/04/discord-leak-nato-soldiers"
RULED = "could send troops to Ukraine for a training mission"
REPEAT = "UK military instructors could be deployed"
SEARCH_URL = "/factcheck/-/factcheck/factchecks"


def checked_before_panel(page: str) -> str:
    """The claim page's "Checked before" section, whole."""
    start = page.index('<section class="fc-checked-before"')
    return page[start : page.index("</section>", start)]


def import_checks(db_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["factcheck", "import-factchecks", str(db_path), str(FIXTURES / "one.json"), str(FIXTURES / "list.json")]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.asyncio
async def test_the_panel_shows_the_published_fact_check_and_offers_its_verdict(db_path):
    import_checks(db_path)
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    page = (await read(ds, claim_url(cid), actor=ALICE)).text
    panel = checked_before_panel(page)
    assert "Checked before" in panel
    assert f'href="{LEAK_CHECK}"' in panel
    assert "Example Fact Check" in panel and "<strong>Unproven</strong>" in panel and "2023-04-14" in panel
    assert "match " in panel and "%" in panel
    assert 'data-fc-verdict="unproven"' in panel and "Use this verdict (Unproven)" in panel
    # a viewer reads the panel but is offered nothing to copy
    viewer = (await read(ds, claim_url(cid), actor=VERA)).text
    assert LEAK_CHECK in viewer and "Use this verdict" not in viewer
    # the claim's JSON carries it too
    data = (await read(ds, claim_url(cid) + ".json")).json()
    first = data["checked_before"][0]
    assert (first["kind"], first["link"], first["rating"], first["verdict"], first["rank"]) == (
        "factcheck",
        LEAK_CHECK,
        "Unproven",
        "unproven",
        1,
    )


@pytest.mark.asyncio
async def test_a_ruling_of_the_desk_shows_on_the_claim_that_repeats_it_with_its_note(db_path):
    ds = await make_datasette(db_path)
    ruled, repeat = claim_id_like(db_path, RULED), claim_id_like(db_path, REPEAT)
    assert "No published fact-check or earlier ruling" in (await read(ds, claim_url(repeat))).text
    body = {"status": "done", "verdict": "misleading", "note": "Trainers, not combat troops."}
    response = await save(ds, ALICE, ruled, body)
    assert response.status_code == 200, response.text
    page = (await read(ds, claim_url(repeat))).text
    panel = checked_before_panel(page)
    assert f'href="/factcheck/-/factcheck/claims/{ruled}"' in panel
    assert "<strong>Misleading</strong>" in panel and "this desk" in panel
    assert "Note: Trainers, not combat troops." in panel


@pytest.mark.asyncio
async def test_the_search_page_finds_fact_checks_in_html_and_json(db_path):
    import_checks(db_path)
    ds = await make_datasette(db_path)
    page = await read(ds, SEARCH_URL + "?q=British+soldiers+in+Ukraine")
    assert page.status_code == 200
    assert LEAK_CHECK in page.text and "Unproven" in page.text
    data = (await read(ds, SEARCH_URL + ".json?q=Thames+bridge")).json()
    assert data["total"] == 1
    assert data["factchecks"][0]["claim"] == "The Thames bridge will close for three years from January."
    assert data["factchecks"][0]["verdict"] == "false"
    every = (await read(ds, SEARCH_URL + ".json")).json()
    assert every["total"] == 3 and [f["published"] for f in every["factchecks"]] == sorted(
        [f["published"] for f in every["factchecks"]], reverse=True
    )
    # FTS syntax and markup in q are words to search for, shown escaped
    odd = await read(ds, SEARCH_URL, params={"q": '"NEAR( OR <b>bridge'})
    assert odd.status_code == 200 and "&lt;b&gt;bridge" in odd.text and "<b>bridge" not in odd.text
    assert (await read(ds, SEARCH_URL, actor=ANONYMOUS)).status_code in (302, 403)


@pytest.mark.asyncio
async def test_the_queue_marks_the_claims_checked_before(db_path):
    import_checks(db_path)
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    data = (await read(ds, "/factcheck/-/factcheck.json?status=all")).json()
    marks = {row["id"]: row["checked_before"] for row in data["claims"]}
    assert marks[cid] == {"rating": "Unproven", "publisher": "Example Fact Check", "score": marks[cid]["score"]}
    assert marks[claim_id_like(db_path, "Earlier this year, French President Emmanuel Macron")] is None
    page = (await read(ds, "/factcheck/-/factcheck?status=all")).text
    assert page.count('class="fc-badge fc-checked-mark"') == sum(1 for mark in marks.values() if mark)
    assert f'/claims/{cid}#checked-before"' in page or f"/claims/{cid}?" in page
    assert "checked before: Unproven" in page


@pytest.mark.asyncio
async def test_the_queue_filters_claims_checked_before_or_not(db_path):
    import_checks(db_path)
    ds = await make_datasette(db_path)
    checked = (await read(ds, "/factcheck/-/factcheck.json?status=all&checked=yes")).json()
    unchecked = (await read(ds, "/factcheck/-/factcheck.json?status=all&checked=no")).json()
    every = (await read(ds, "/factcheck/-/factcheck.json?status=all")).json()
    assert checked["claims"] and all(row["checked_before"] for row in checked["claims"])
    assert unchecked["claims"] and not any(row["checked_before"] for row in unchecked["claims"])
    assert checked["total"] + unchecked["total"] == every["total"] == 29
    both = (await read(ds, "/factcheck/-/factcheck.json?status=all&checked=yes&checked=no")).json()
    assert both["total"] == 29
    refused = await read(ds, "/factcheck/-/factcheck.json?checked=maybe")
    assert refused.status_code == 400 and "checked must be one of yes, no" in refused.text
    page = (await read(ds, "/factcheck/-/factcheck?checked=yes")).text
    assert '<option value="yes" selected>checked before</option>' in page
