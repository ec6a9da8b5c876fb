"""The desk in daily use, in a real browser (issue 26): the claim page on one
screen, work views that hold through the filter form, Assign to me and bulk
assignment, the queue on a phone.

Debian's Chromium driven by Playwright (as tests/test_browser.py does), against
``datasette serve`` on loopback with the shipped datasette.yaml and an editor
who logs in with a password. Screenshots go to test-artifacts/browser-desk/
(gitignored). Needs /usr/bin/chromium; without it these tests skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browsertools import (
    DB_NAME,
    PASSWORD,
    TIMEOUT_MS,
    db_claim,
    launched_chromium,
    log_in,
    needs_chromium,
    seeded_db,
    served_desk,
)
from conftest import ROOT
from webtools import claim_id_like, live_ids, review_in_file

ARTIFACTS = ROOT / "test-artifacts" / "browser-desk"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
QUEUE = f"/{DB_NAME}/-/factcheck"
# What a ruling needs in view, without scrolling, on the claim page.
RULING = {
    "the claim": "blockquote.fc-paragraph mark.fc-claim",
    "its article": ".fc-article h2",
    "its score": ".fc-score-value",
    "status": "form.fc-review-form select[name=status]",
    "verdict": "form.fc-review-form select[name=verdict]",
    "note": "form.fc-review-form textarea[name=note]",
    "Save": "form.fc-review-form button:text-is('Save review')",
    "Save and next": "form.fc-review-form button:text-is('Save and next')",
}

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser_db_path(tmp_path_factory) -> Path:
    """The seeds part-way through a day, so every work view has claims: two
    done, one not checkable, one for a second review, one in progress."""
    path = seeded_db(tmp_path_factory, "browser-desk")
    at = "2026-11-28T10:00:00+00:00"
    review_in_file(path, claim_id_like(path, "Storm Shadow"), at, status="done", verdict="false")
    review_in_file(path, claim_id_like(path, "anti-tank"), at, status="done", verdict="true")
    review_in_file(path, claim_id_like(path, "covert"), at, status="not_checkable")
    review_in_file(path, claim_id_like(path, "97 NATO"), at, status="needs_second_review", assignee="editor")
    review_in_file(path, claim_id_like(path, "small number"), at, status="in_progress")
    return path


@pytest.fixture(scope="module")
def server(browser_db_path) -> Iterator[str]:
    with served_desk(browser_db_path, editor=PASSWORD) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def login_state(server, browser) -> dict:
    """The editor's logged-in cookies, shared by every page of the module."""
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    page.goto(f"{server}/-/login")
    log_in(page)
    page.wait_for_url(f"{server}/")
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def open_page(browser, login_state):
    """A logged-in editor's tab at a given window size."""
    contexts = []

    def opened(viewport: dict):
        context = browser.new_context(viewport=viewport, storage_state=login_state)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def out_of_view(page, viewport: dict) -> dict[str, dict]:
    """The parts of a ruling not wholly inside the window, with their boxes."""
    missing = {}
    for name, selector in RULING.items():
        box = page.locator(selector).bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > viewport["height"] or box["x"] < 0:
            missing[name] = box
        elif box["x"] + min(box["width"], 1) > viewport["width"]:
            missing[name] = box
    return missing


def shown_rows(page) -> list[str]:
    return page.locator("table.fc-queue input[name=ids]").evaluate_all("boxes => boxes.map(box => box.value)")


# --- the claim page is one screen ----------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1280x900", "390x844"])
def test_every_seed_claim_is_ruled_on_without_scrolling(server, open_page, browser_db_path, viewport):
    from playwright.sync_api import expect

    page = open_page(viewport)
    claims = live_ids(browser_db_path)
    assert len(claims) >= 25  # every claim of the two seed articles
    for claim_id in claims:
        page.goto(f"{server}{QUEUE}/claims/{claim_id}")
        expect(page.locator("form.fc-review-form")).to_be_visible()
        assert page.evaluate("window.scrollY") == 0
        assert out_of_view(page, viewport) == {}, claim_id
    # The NATO claim has the longest annotations: its page as an editor sees it first.
    page.goto(f"{server}{QUEUE}/claims/{claim_id_like(browser_db_path, '97 NATO')}")
    save = page.locator(RULING["Save"]).bounding_box()
    shot(page, f"claim-{viewport['width']}")
    assert save["y"] + save["height"] <= viewport["height"]
    # History, annotations and the cluster are on the page, below or folded.
    expect(page.locator(".fc-history")).to_contain_text("status: Unreviewed → Needs second review")
    expect(page.locator("details.fc-annotations")).to_contain_text("Check-worthiness")


def test_after_save_and_next_on_a_phone_the_next_ruling_is_in_view(server, open_page, browser_db_path):
    from playwright.sync_api import expect

    page = open_page(PHONE)
    order = live_ids(browser_db_path, "status = 'unreviewed' AND sourcing = 'unattributed'")
    page.goto(f"{server}{QUEUE}/claims/{order[0]}?status=unreviewed&sourcing=unattributed")
    page.locator(RULING["status"]).select_option("in_progress")
    page.locator(RULING["Save and next"]).click()
    page.wait_for_url(re.compile(re.escape(f"/claims/{order[1]}?")))
    expect(page.locator(".message-info")).to_have_text("Review saved.")
    shot(page, "claim-390-after-save-and-next")
    assert out_of_view(page, PHONE) == {}


# --- work views hold -------------------------------------------------------------------------


def test_every_work_view_is_unchanged_by_an_empty_filter_submit(server, open_page, browser_db_path):
    from playwright.sync_api import expect

    page = open_page(DESK)
    page.goto(server + QUEUE)
    views = page.locator(".fc-views a[data-view]").evaluate_all("links => links.map(a => a.dataset.view)")
    assert views == ["open", "triage", "in_progress", "second_review", "mine", "done"]
    seen = {}
    for view in views:
        page.locator(f".fc-views a[data-view={view}]").click()
        expect(page.locator(".fc-views a[aria-current=page]")).to_have_attribute("data-view", view)
        before = (page.url, shown_rows(page), page.locator(".fc-intro").inner_text())
        page.locator("form.fc-filters").get_by_role("button", name="Filter").click()
        page.wait_for_load_state()
        expect(page.locator(".fc-views a[aria-current=page]")).to_have_attribute("data-view", view)
        assert (shown_rows(page), page.locator(".fc-intro").inner_text()) == before[1:], view
        seen[view] = len(before[1])
    shot(page, "done-view-after-filter")
    assert seen["done"] == 3 == len(live_ids(browser_db_path, "status IN ('done', 'not_checkable')"))
    assert seen["second_review"] == 1 and seen["in_progress"] == len(
        live_ids(browser_db_path, "status = 'in_progress'")
    )
    mine = "assignee = 'editor' AND status IN ('unreviewed', 'in_progress', 'needs_second_review')"
    assert seen["mine"] == len(live_ids(browser_db_path, mine)) >= 1


def test_search_finds_a_claim_in_any_status_and_says_its_view(server, open_page):
    from playwright.sync_api import expect

    page = open_page(DESK)
    page.goto(server + QUEUE + "?status=unreviewed")
    page.get_by_placeholder("Search every claim").fill("covert")
    page.locator("form.fc-search").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"status=all&q=covert"))
    row = page.locator("table.fc-queue tbody tr").filter(has_text="covert")
    expect(row).to_have_count(1)
    # Not checkable: worked in the Done view, which the hit names and links.
    expect(row.locator(".fc-status")).to_have_text("Not checkable")
    expect(row.locator("a.fc-in-view")).to_have_text("in Done")
    shot(page, "search-every-status")
    row.locator("a.fc-in-view").click()
    expect(page.locator(".fc-views a[aria-current=page]")).to_have_attribute("data-view", "done")
    expect(page.locator("table.fc-queue tbody tr")).to_have_count(1)


# --- assignment ---------------------------------------------------------------------------------


def test_assign_to_me_on_the_claim_page_then_unassign(server, open_page, browser_db_path):
    from playwright.sync_api import expect

    page = open_page(DESK)
    claim_id = claim_id_like(browser_db_path, "staunchest backers")
    page.goto(f"{server}{QUEUE}/claims/{claim_id}")
    page.locator("form.fc-review-form textarea[name=note]").fill("typed, not saved")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator(".message-info")).to_have_text("Assigned to editor.")
    expect(page.locator(".fc-assignment")).to_contain_text("Assigned to editor")
    expect(page.locator("form.fc-review-form input[name=assignee]")).to_have_value("editor")
    saved = db_claim(browser_db_path, claim_id)
    assert (saved["assignee"], saved["note"]) == ("editor", None)  # only the assignee was sent
    # The team is offered in the assignee field.
    assert page.locator("#fc-team option").evaluate_all("options => options.map(o => o.value)")[0] == "editor"
    shot(page, "claim-assigned-to-me")
    page.get_by_role("button", name="Unassign").click()
    expect(page.locator(".message-info")).to_have_text("Unassigned.")
    expect(page.locator(".fc-assignment")).to_contain_text("Nobody is assigned")
    assert db_claim(browser_db_path, claim_id)["assignee"] is None


def test_bulk_assign_a_selection_and_assign_one_row(server, open_page, browser_db_path):
    from playwright.sync_api import expect

    page = open_page(DESK)
    page.goto(f"{server}{QUEUE}?status=unreviewed&sourcing=media_report")
    targets = shown_rows(page)[:2]
    assert len(targets) == 2
    for claim_id in targets:
        page.locator(f"table.fc-queue input[name=ids][value='{claim_id}']").check()
    expect(page.locator("[data-fc-selected]")).to_have_text("2 selected")
    page.get_by_role("button", name="Assign selected to me").click()
    expect(page.locator(".message-info")).to_have_text("Updated 2 claims.")
    assert [db_claim(browser_db_path, cid)["assignee"] for cid in targets] == ["editor", "editor"]
    assert {db_claim(browser_db_path, cid)["status"] for cid in targets} == {"unreviewed"}
    shot(page, "bulk-assigned-to-me")
    # Mine counts them (under the view's sourcing filter, which the tabs keep).
    expect(page.locator(".fc-views a[data-view=mine] .fc-view-count")).to_have_text("2")
    # Assigned to a named colleague through the bar's field, then unassigned.
    for claim_id in targets:
        page.locator(f"table.fc-queue input[name=ids][value='{claim_id}']").check()
    page.locator(".fc-bulk input[name=set_assignee]").fill("sam")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.locator(".message-info")).to_have_text("Updated 2 claims.")
    assert [db_claim(browser_db_path, cid)["assignee"] for cid in targets] == ["sam", "sam"]
    for claim_id in targets:
        page.locator(f"table.fc-queue input[name=ids][value='{claim_id}']").check()
    page.get_by_role("button", name="Unassign selected").click()
    expect(page.locator(".message-info")).to_have_text("Updated 2 claims.")
    assert [db_claim(browser_db_path, cid)["assignee"] for cid in targets] == [None, None]
    # One row's own button: that claim only.
    first = shown_rows(page)[0]
    page.locator(f"button.fc-assign-me[value='{first}']").click()
    expect(page.locator(".message-info")).to_have_text("Updated 1 claim.")
    assert db_claim(browser_db_path, first)["assignee"] == "editor"
    expect(page.locator("table.fc-queue tbody tr").filter(has=page.locator(f"input[value='{first}']"))).to_contain_text(
        "editor"
    )


# --- phones -------------------------------------------------------------------------------------


def test_on_a_phone_the_first_claim_starts_in_the_top_third(server, open_page, browser_db_path):
    from playwright.sync_api import expect

    page = open_page(PHONE)
    page.goto(server + QUEUE)
    first = page.locator("table.fc-queue tbody tr").first.bounding_box()
    shot(page, "queue-390")
    assert first["y"] < PHONE["height"] / 3, first
    # The filters fold behind one control, which opens them; they work as on a desk.
    form = page.locator("form.fc-filters")
    expect(form).to_be_hidden()
    page.locator("details.fc-fold > summary").click()
    expect(form).to_be_visible()
    form.locator("select[name=sourcing]").select_option("unattributed")
    form.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"sourcing=unattributed"))
    expected = live_ids(browser_db_path, "sourcing = 'unattributed' AND status IN ('unreviewed', 'in_progress')")
    expect(page.locator(".fc-intro")).to_contain_text(f"{len(expected)} matches")
    assert page.locator("details.fc-fold > summary").inner_text().startswith("Filters (1 on)")
    # On a desk the same filters are open without a click.
    desk = open_page(DESK)
    desk.goto(server + QUEUE)
    expect(desk.locator("form.fc-filters")).to_be_visible()
    expect(desk.locator("details.fc-fold > summary")).to_be_hidden()
