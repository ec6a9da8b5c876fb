"""The desk in a real browser: Debian's Chromium driven by Playwright,
against ``datasette serve`` on loopback with the shipped datasette.yaml and
metadata.yml (private: reading needs a login), and an editor and a viewer who
log in with a password (datasette-auth-passwords), exactly as a newsroom
would run it.

The steps run in order and share one server and one logged-in editor:

0. a stranger is sent to the login page from every page, and refused the data;
1. the editor logs in (after one wrong password) and reaches the queue from
   the home page in one click;
2. the dashboard before any review;
3. the triage queue: its work views and their counts, the bulk bar staying in
   view while scrolling, then filtered to leak-sourced claims;
4. the "97 NATO special operations soldiers" claim, opened by a click on its
   row, highlighted in its article;
5. the editor's review of it (done, unproven, note, evidence) and its
   history, the evidence URL a link;
6. a review applied to a cluster (the NATO claim has no sibling; the
   "motivate and mobilize more recruits" quote has one in the other article,
   and the queue's badge says so);
7. two sessions editing one claim: the second gets the conflict, its unsaved
   text kept, and merges;
8. select-all and bulk triage in a work view, the views' counts following;
9. next and previous from the keyboard, then Save and next walks three
   claims in queue order (the button, then focus status and save and next
   from the keyboard, then save);
10. the review sheet downloaded from the queue and read back;
11. the dashboard's new counts;
12. a viewer: reads everything, no review form, and a forged POST is refused;
13. a phone, 390 px wide: queue, claim page and dashboard have no horizontal
    scrolling and nothing cut off.

Each step asserts what a person sees on the page, and the database where a
write happened. Screenshots of every step go to test-artifacts/browser/
(gitignored), with the downloaded sheet beside them; the phone's end in -390.

Needs /usr/bin/chromium (``apt-get install chromium``; ``.ci/run`` installs
it). Without it these tests skip. Never ``playwright install``: the browser
is Debian's, not a downloaded one.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
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
from webtools import live_ids

ARTIFACTS = ROOT / "test-artifacts" / "browser"
pytestmark = needs_chromium

VIEWER_PASSWORD = "a viewer reads, never writes"
PHONE = {"width": 390, "height": 844}
NATO_TEXT = "97 NATO special operations soldiers"
RECRUITS_TEXT = "motivate and mobilize more recruits"
CONFLICT_TEXT = "German military leak revealed"
NOTE = "No document or official source confirms the figures; the leak's authenticity is disputed."
EVIDENCE = "https://example.org/discord-leaks-analysis"
CLUSTER_NOTE = "Quote confirmed by the Telegraph interview; the claim inside it is a plan, not a fact."
CLUSTER_EVIDENCE = "https://example.org/telegraph-healey-interview"
NOTE_FIRST = "Asked the MoD press office about the Storm Shadow crews (first session)."
NOTE_SECOND = "The German leak is a recorded Luftwaffe call; transcript linked below (second session)."


# --- the server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("*.csv")]:
        old.unlink()
    print(f"\nbrowser screenshots: {ARTIFACTS}")
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser_db_path(tmp_path_factory) -> Path:
    return seeded_db(tmp_path_factory, "browser")


@pytest.fixture(scope="module")
def server(browser_db_path) -> Iterator[str]:
    """``datasette serve`` on a free loopback port with the shipped config; its base URL."""
    with served_desk(browser_db_path, editor=PASSWORD, viewer=VIEWER_PASSWORD) as base:
        yield base


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as browser:
        yield browser


def new_page(browser, storage_state=None, viewport=None):
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900}, storage_state=storage_state, accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture(scope="module")
def journey() -> dict:
    """What the steps pass on: the editor's page and login, the ids met, the counts seen."""
    return {"done": set()}


@pytest.fixture(scope="module")
def editor(browser, journey):
    """The editor's browser tab (logged in by the first step)."""
    page = new_page(browser)
    journey["editor"] = page
    yield page
    page.context.close()


def step_done(journey: dict, name: str) -> None:
    journey["done"].add(name)


def needs(journey: dict, *names: str) -> None:
    missing = [name for name in names if name not in journey["done"]]
    if missing:
        pytest.skip(f"needs the earlier step(s) {', '.join(missing)}, which did not pass")


def shot(page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


# --- reading pages and the database --------------------------------------------------------


def claim_url(base: str, claim_id: str) -> str:
    return f"{base}/{DB_NAME}/-/factcheck/claims/{claim_id}"


def db_claims_like(browser_db_path: Path, text: str) -> list[dict]:
    conn = sqlite3.connect(browser_db_path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT * FROM claims WHERE text LIKE ? AND superseded_at IS NULL ORDER BY article_id", [f"%{text}%"]
        ).fetchall()
        return [dict(row) for row in rows]
    finally:
        conn.close()


def db_dump(browser_db_path: Path) -> dict:
    conn = sqlite3.connect(browser_db_path)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("claims", "claim_events")
        }
    finally:
        conn.close()


def queue_cell(row, page, heading: str):
    """The cell of a queue row under the column headed ``heading``."""
    headings = [text.strip() for text in page.locator("table.fc-queue thead th").all_inner_texts()]
    return row.locator("td").nth(headings.index(heading))


def queue_row(page, text: str):
    return page.locator("table.fc-queue tbody tr").filter(has_text=text)


def matrix_cell(page, status_label: str, verdict_label: str):
    """The dashboard's status x verdict cell (its link carries data-count)."""
    headings = [text.strip() for text in page.locator("table.fc-matrix thead th").all_inner_texts()]
    row = page.locator("table.fc-matrix tbody tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^\s*{re.escape(status_label)}\s*$"))
    )
    return row.locator("th, td").nth(headings.index(verdict_label)).locator("a")


# Where text is drawn, not where its box is: a Range around an element's contents.
_TEXT_BOX_JS = "el => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); }"


def smallest_gap_between_cells(page, table: str) -> tuple[float, str]:
    """The smallest horizontal gap, in pixels, between the text of two
    neighbouring non-empty cells of any row: what keeps "statistic" and
    "leak" from reading as "statisticleak"."""
    return page.evaluate(
        f"""() => {{
            const box = {_TEXT_BOX_JS};
            let worst = [Infinity, ""];
            for (const tr of document.querySelectorAll({json.dumps(table + " tbody tr")})) {{
                const cells = [...tr.querySelectorAll("td")].filter(td => td.textContent.trim());
                for (let i = 1; i < cells.length; i++) {{
                    const gap = box(cells[i]).left - box(cells[i - 1]).right;
                    if (gap < worst[0]) {{
                        worst = [gap, cells[i - 1].textContent.trim().slice(0, 30) + " | " + cells[i].textContent.trim().slice(0, 30)];
                    }}
                }}
            }}
            return worst;
        }}"""
    )


def view_count(page, view: str) -> int:
    """The count a work-view tab shows."""
    return int(page.locator(f".fc-views a[data-view={view}] .fc-view-count").inner_text().replace(",", ""))


def claim_id_in(url: str) -> str:
    return re.search(r"/-/factcheck/claims/([^/?#]+)", url)[1]


def overflow(page) -> dict:
    """How wide the page is against its window, and the visible elements
    drawn past the window's right edge (cut off, or making it scroll)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const past = [...document.querySelectorAll("body *")]
                .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className : ""));
            return {scrollWidth: document.documentElement.scrollWidth, width, past: past.slice(0, 10)};
        }"""
    )


# --- the steps -----------------------------------------------------------------------------


def test_00_a_stranger_is_sent_to_log_in_and_refused_the_data(server, browser, browser_db_path, artifacts):
    from playwright.sync_api import expect

    (nato,) = db_claims_like(browser_db_path, NATO_TEXT)
    page = new_page(browser)
    try:
        for path in (
            "/",
            f"/{DB_NAME}/-/factcheck",
            f"/{DB_NAME}/-/factcheck/claims/{nato['id']}",
            f"/{DB_NAME}/-/factcheck/dashboard",
            f"/{DB_NAME}/claims/{nato['id']}",
            f"/{DB_NAME}/claim_events",
        ):
            page.goto(server + path)
            page.wait_for_url(f"{server}/-/login**")  # ?next= brings them back after
            expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        shot(page, artifacts, "00-stranger-sent-to-login")
        for path in (
            f"/{DB_NAME}/claims.json?_col=note",
            f"/{DB_NAME}/-/factcheck.json",
            f"/{DB_NAME}/-/factcheck/export.csv?status=all",
        ):
            answer = page.context.request.get(server + path)
            assert answer.status == 403, path
    finally:
        page.context.close()


def test_01_editor_logs_in_and_reaches_the_queue_in_one_click(server, editor, journey, artifacts):
    from playwright.sync_api import expect

    page = editor
    page.goto(f"{server}/-/login")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    log_in(page, password="not the password")
    expect(page.locator(".message-error")).to_have_text("Invalid username or password")
    expect(page.locator(".actor")).to_have_count(0)
    shot(page, artifacts, "01-login-wrong-password")

    log_in(page)
    page.wait_for_url(f"{server}/")
    # Datasette shows who is logged in, by the actor's name from datasette.yaml.
    expect(page.locator(".actor")).to_have_text("Editor")
    queue_button = page.get_by_role("link", name="Open the triage queue")
    expect(queue_button).to_be_visible()
    expect(page.locator(".fc-home-views")).to_contain_text("To triage 29")
    shot(page, artifacts, "02-logged-in-home")
    queue_button.click()
    page.wait_for_url(f"{server}/{DB_NAME}/-/factcheck")
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    journey["storage_state"] = page.context.storage_state()
    step_done(journey, "login")


def test_02_dashboard_before_any_review(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "login")
    page = editor
    page.goto(f"{server}/{DB_NAME}/-/factcheck/dashboard")
    expect(page.get_by_role("heading", name="Fact-check dashboard", level=1)).to_be_visible()
    cell = matrix_cell(page, "Done", "Unproven")
    expect(cell).to_have_text("0")
    total = len(db_dump(browser_db_path)["claims"])
    expect(page.locator(".fc-intro")).to_contain_text(f"{total} live claims")
    # Nothing ruled on yet: the verdict chart says what to do instead of drawing an empty frame.
    expect(page.locator("figure", has_text="Verdicts given")).to_contain_text("No verdicts yet.")
    expect(page.locator("section[aria-labelledby=fc-per-day] .fc-empty")).to_contain_text(
        "No review changes in these 30 days."
    )
    shot(page, artifacts, "03-dashboard-before")
    journey["done_unproven_before"] = int(cell.get_attribute("data-count"))
    step_done(journey, "dashboard-before")


def test_03_queue_views_counts_and_leak_filter(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "login")
    page = editor
    page.goto(f"{server}/{DB_NAME}/-/factcheck")
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    expect(page.locator(".fc-intro")).to_contain_text("29 matches")
    counts = {
        view: view_count(page, view) for view in ("open", "triage", "in_progress", "second_review", "mine", "done")
    }
    assert counts == {"open": 29, "triage": 29, "in_progress": 0, "second_review": 0, "mine": 0, "done": 0}
    expect(page.locator(".fc-views a[aria-current=page]")).to_have_attribute("data-view", "open")
    # The editor may review, so each row has its checkbox and the bulk bar shows; it stays in view while scrolling.
    expect(page.locator("form.fc-bulk-form")).to_have_count(1)
    shot(page, artifacts, "04-queue")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    top = page.locator(".fc-bulk").evaluate("bar => bar.getBoundingClientRect().top")
    assert 0 <= top <= 2, f"the bulk bar is {top:.0f}px from the top after scrolling to the end"

    page.locator("form.fc-filters select[name=sourcing]").select_option("leak")
    page.locator("form.fc-filters").get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"sourcing=leak"))
    expect(page.locator(".fc-intro")).to_contain_text("3 matches")
    rows = page.locator("table.fc-queue tbody tr")
    expect(rows).to_have_count(3)
    for index in range(rows.count()):
        expect(queue_cell(rows.nth(index), page, "Sourcing")).to_have_text("leak")
    nato = queue_row(page, NATO_TEXT)
    expect(nato).to_have_count(1)
    # The most check-worthy first, with its reasons in words; the article by its outlet and date, not an id.
    expect(rows.first).to_contain_text(NATO_TEXT)
    expect(nato.locator(".fc-reasons")).to_contain_text("a leaked figure")
    expect(nato.locator(".fc-reasons")).to_contain_text("figure: 97, 50")
    expect(queue_cell(nato, page, "Article")).to_have_text("AntiWar.com, 20 Dec 2024")
    # The claim reads as text, not as a blue underlined link.
    link = nato.locator("a.fc-claim-link")
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(17, 26, 53)"
    # The views keep the filter, and count under it.
    assert view_count(page, "triage") == 3
    expect(page.locator(".fc-views a[data-view=triage]")).to_have_attribute("href", "?status=unreviewed&sourcing=leak")
    shot(page, artifacts, "05-queue-leak-sourced")
    step_done(journey, "queue")


def test_03b_queue_columns_are_visibly_separated(server, editor, journey):
    needs(journey, "queue")
    gap, cells = smallest_gap_between_cells(editor, "table.fc-queue")
    assert gap >= 4, f"{cells!r} are {gap:.0f}px apart"


def test_04_claim_page_highlights_the_claim_in_its_article(server, editor, journey, artifacts):
    from playwright.sync_api import expect

    needs(journey, "queue")
    page = editor
    # A click anywhere on the row opens the claim, keeping the queue's view.
    queue_row(page, NATO_TEXT).locator("td.fc-score").click()
    page.wait_for_url(re.compile(r"/-/factcheck/claims/[0-9a-f]+\?sourcing=leak$"))
    journey["nato_id"] = claim_id_in(page.url)
    expect(page.get_by_role("heading", name="Review claim")).to_be_visible()
    expect(page.get_by_role("heading", name="AntiWar.com, 20 Dec 2024")).to_be_visible()
    mark = page.locator("blockquote.fc-paragraph mark.fc-claim")
    expect(mark).to_be_visible()
    expect(mark).to_contain_text(f"{NATO_TEXT} were inside Ukraine, including 50 British soldiers")
    # Highlighted, not merely wrapped: the mark has its yellow background.
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 229, 138)"
    expect(page.locator(".fc-annotations")).to_contain_text("leak")
    expect(page.locator("form.fc-review-form")).to_be_visible()
    expect(page.locator(".fc-history")).to_contain_text("Not reviewed yet.")
    expect(page.locator(".fc-keys")).to_contain_text("j next claim")
    shot(page, artifacts, "06-claim-highlighted")
    step_done(journey, "claim")


def test_05_editor_reviews_the_claim_and_sees_the_history(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "claim")
    page = editor
    nato_id = journey["nato_id"]
    form = page.locator("form.fc-review-form")
    # Nothing else says the same thing, so there is no cluster to apply to.
    expect(page.locator(".fc-cluster")).to_contain_text("No other claim says the same thing.")
    expect(form.locator("input[name=apply_to_cluster]")).to_have_count(0)

    form.locator("select[name=status]").select_option("done")
    form.locator("select[name=verdict]").select_option("unproven")
    form.get_by_label("Note").fill(NOTE)
    form.get_by_label("Evidence, one link or reference per line").fill(EVIDENCE)
    shot(page, artifacts, "07-claim-review-filled")
    form.get_by_role("button", name="Save review").click()

    expect(page.locator(".message-info")).to_have_text("Review saved.")
    expect(form.locator("select[name=status]")).to_have_value("done")
    expect(form.locator("select[name=verdict]")).to_have_value("unproven")
    expect(form.get_by_label("Note")).to_have_value(NOTE)
    expect(form.get_by_label("Evidence, one link or reference per line")).to_have_value(EVIDENCE)
    history = page.locator(".fc-history > ol > li")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("editor")
    expect(history).to_contain_text("(review)")
    expect(history).to_contain_text("status: Unreviewed → Done")
    expect(history).to_contain_text("verdict: — → Unproven")
    expect(history).to_contain_text(f"note: — → {NOTE}")
    # The evidence URL is a link, in the history and under the form.
    expect(history.locator(f'a[href="{EVIDENCE}"]')).to_have_text(EVIDENCE)
    expect(form.locator(f'.fc-evidence-links a[href="{EVIDENCE}"]')).to_have_count(1)
    shot(page, artifacts, "08-claim-review-saved-history")

    claim = db_claim(browser_db_path, nato_id)
    assert (claim["status"], claim["verdict"], claim["note"]) == ("done", "unproven", NOTE)
    assert json.loads(claim["evidence"]) == [EVIDENCE]
    assert (claim["reviewed_by"], claim["version"]) == ("editor", 1)
    # Its cluster holds only itself: nothing else was touched.
    conn = sqlite3.connect(browser_db_path)
    try:
        cluster = conn.execute("SELECT id FROM claims WHERE cluster_id = ?", [claim["cluster_id"]]).fetchall()
        changed = conn.execute("SELECT DISTINCT claim_id FROM claim_events").fetchall()
    finally:
        conn.close()
    assert cluster == [(nato_id,)]
    assert changed == [(nato_id,)]
    step_done(journey, "review")


def test_06_review_applied_to_the_cluster(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "review")
    page = editor
    quote, sibling = sorted(
        db_claims_like(browser_db_path, RECRUITS_TEXT), key=lambda c: "Healey said" not in c["text"]
    )
    assert quote["cluster_id"] == sibling["cluster_id"] and quote["article_id"] != sibling["article_id"]

    # Found from the queue's text search, as an editor would.
    page.goto(f"{server}/{DB_NAME}/-/factcheck")
    page.locator("form.fc-filters input[name=q]").fill("mobilize recruits")
    page.locator("form.fc-filters").get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"q=mobilize"))
    expect(page.locator("table.fc-queue tbody tr")).to_have_count(2)
    # Each says it is also in the other article, and the badge opens the cluster.
    badge = queue_row(page, "Healey said").locator("a.fc-badge")
    expect(badge).to_have_text("in 2 articles")
    expect(badge).to_have_attribute("href", re.compile(rf"cluster={quote['cluster_id']}&status=all"))
    shot(page, artifacts, "09-queue-search-cluster-badge")
    page.locator("table.fc-queue a.fc-claim-link", has_text="Healey said").click()
    page.wait_for_url(re.compile(rf"/claims/{quote['id']}\?q=mobilize\+recruits$"))

    cluster = page.locator(".fc-cluster")
    expect(cluster.locator("tbody tr")).to_have_count(1)
    expect(cluster.locator("tbody tr")).to_contain_text("he added")
    expect(cluster.locator("tbody tr td").nth(2)).to_have_text("Unreviewed")
    form = page.locator("form.fc-review-form")
    form.locator("select[name=status]").select_option("done")
    form.locator("select[name=verdict]").select_option("unproven")
    form.get_by_label("Note").fill(CLUSTER_NOTE)
    form.get_by_label("Evidence, one link or reference per line").fill(CLUSTER_EVIDENCE)
    form.get_by_label("Apply status and verdict to the 1 other claim saying the same thing").check()
    shot(page, artifacts, "10-cluster-review-filled")
    form.get_by_role("button", name="Save review").click()

    expect(page.locator(".message-info")).to_have_text("Review saved, and applied to 1 claim in its cluster.")
    expect(cluster.locator("tbody tr td").nth(2)).to_have_text("Done")
    expect(cluster.locator("tbody tr td").nth(3)).to_have_text("Unproven")
    expect(page.locator(".fc-history > ol > li")).to_contain_text("status: Unreviewed → Done")
    shot(page, artifacts, "11-cluster-review-saved")

    # The sibling's own page, in the other article, shows the ruling and where it came from.
    cluster.locator("a", has_text="he added").click()
    page.wait_for_url(claim_url(server, sibling["id"]))
    expect(page.locator("blockquote.fc-paragraph mark.fc-claim")).to_contain_text(RECRUITS_TEXT)
    expect(page.locator("form.fc-review-form").locator("select[name=status]")).to_have_value("done")
    expect(page.locator("form.fc-review-form").locator("select[name=verdict]")).to_have_value("unproven")
    sibling_history = page.locator(".fc-history > ol > li")
    expect(sibling_history).to_have_count(1)
    expect(sibling_history).to_contain_text("(cluster)")
    expect(sibling_history).to_contain_text("verdict: — → Unproven")
    shot(page, artifacts, "12-cluster-sibling-updated")

    quote_row, sibling_row = db_claim(browser_db_path, quote["id"]), db_claim(browser_db_path, sibling["id"])
    assert (quote_row["status"], quote_row["verdict"], quote_row["note"]) == ("done", "unproven", CLUSTER_NOTE)
    assert json.loads(quote_row["evidence"]) == [CLUSTER_EVIDENCE]
    # apply_to_cluster carries status and verdict only; the note and evidence stay the quote's own.
    assert (sibling_row["status"], sibling_row["verdict"]) == ("done", "unproven")
    assert (sibling_row["note"], json.loads(sibling_row["evidence"] or "[]")) == (None, [])
    assert (sibling_row["reviewed_by"], sibling_row["version"]) == ("editor", 1)
    journey["cluster_ids"] = (quote["id"], sibling["id"])
    step_done(journey, "cluster")


def test_06b_cluster_checkbox_sits_beside_its_label(server, editor, journey):
    needs(journey, "cluster")
    page = editor
    page.goto(claim_url(server, journey["cluster_ids"][0]))
    checkbox = page.locator("form.fc-review-form input[name=apply_to_cluster]")
    label = page.locator("form.fc-review-form label:has(input[name=apply_to_cluster])")
    box = checkbox.bounding_box()
    line = label.evaluate(
        """label => {
            const text = [...label.childNodes].find(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
            const range = document.createRange();
            range.selectNodeContents(text);
            const first = range.getClientRects()[0];
            return {left: first.left, top: first.top, bottom: first.bottom};
        }"""
    )
    middle = box["y"] + box["height"] / 2
    assert line["top"] <= middle <= line["bottom"], f"checkbox at y={middle:.0f}, its text's first line at {line}"
    assert box["x"] + box["width"] <= line["left"] + 1 and line["left"] - (box["x"] + box["width"]) < 20, (box, line)


def test_07_second_session_gets_the_conflict_with_its_text_kept(server, browser, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "login")
    (target,) = db_claims_like(browser_db_path, CONFLICT_TEXT)
    url = claim_url(server, target["id"])
    first = new_page(browser, journey["storage_state"])
    second = new_page(browser, journey["storage_state"])
    try:
        first.goto(url)
        second.goto(url)
        for page in (first, second):
            expect(page.locator(".actor")).to_have_text("Editor")
            expect(page.locator("form.fc-review-form input[name=version]")).to_have_value("0")

        form1 = first.locator("form.fc-review-form")
        form1.locator("select[name=status]").select_option("in_progress")
        form1.get_by_label("Note").fill(NOTE_FIRST)
        form1.get_by_role("button", name="Save review").click()
        expect(first.locator(".message-info")).to_have_text("Review saved.")
        shot(first, artifacts, "13-conflict-first-session-saved")

        # The second session still shows version 0 and types its own note.
        form2 = second.locator("form.fc-review-form")
        form2.get_by_label("Note").fill(NOTE_SECOND)
        with second.expect_response(lambda r: r.request.method == "POST" and r.url == url) as answer:
            form2.get_by_role("button", name="Save review").click()
        assert answer.value.status == 409
        conflict = second.locator(".fc-conflict")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("Someone else saved this claim while you were editing")
        expect(conflict).to_contain_text("now version 1, by editor")
        expect(conflict).to_contain_text("Nothing of yours was saved.")
        expect(conflict.locator("dd.fc-note")).to_have_text(NOTE_FIRST)
        expect(conflict).to_contain_text("In progress")
        # The unsaved note is still in the form, which now carries the new version.
        expect(form2.get_by_label("Note")).to_have_value(NOTE_SECOND)
        expect(form2.locator("input[name=version]")).to_have_value("1")
        shot(second, artifacts, "14-conflict-second-session")

        saved = db_claim(browser_db_path, target["id"])
        assert (saved["status"], saved["note"], saved["version"]) == ("in_progress", NOTE_FIRST, 1)

        # The second editor merges both notes and saves again.
        merged = f"{NOTE_FIRST}\n{NOTE_SECOND}"
        form2.locator("select[name=status]").select_option("in_progress")
        form2.get_by_label("Note").fill(merged)
        form2.get_by_role("button", name="Save review").click()
        expect(second.locator(".message-info")).to_have_text("Review saved.")
        expect(second.locator(".fc-conflict")).to_have_count(0)
        expect(form2.get_by_label("Note")).to_have_value(merged)
        expect(second.locator(".fc-history > ol > li")).to_have_count(2)
        shot(second, artifacts, "15-conflict-merged-and-saved")
        saved = db_claim(browser_db_path, target["id"])
        assert (saved["status"], saved["note"], saved["version"]) == ("in_progress", merged, 2)
    finally:
        first.context.close()
        second.context.close()
    step_done(journey, "conflict")


def test_08_select_all_and_bulk_triage_in_a_work_view(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "login")
    page = editor
    targets = live_ids(browser_db_path, "status = 'unreviewed' AND sourcing = 'media_report'")
    assert len(targets) >= 3
    page.goto(f"{server}/{DB_NAME}/-/factcheck?status=unreviewed&sourcing=media_report")
    expect(page.locator(".fc-views a[aria-current=page]")).to_have_attribute("data-view", "triage")
    in_progress, mine = view_count(page, "in_progress"), view_count(page, "mine")
    counter = page.locator("[data-fc-selected]")
    expect(counter).to_have_text("0 selected")
    page.get_by_label("Select all on this page").check()
    expect(counter).to_have_text(f"{len(targets)} selected")
    expect(page.locator("table.fc-queue input[name=ids]:checked")).to_have_count(len(targets))
    # One box off, then on again: the count follows.
    page.locator("table.fc-queue input[name=ids]").first.uncheck()
    expect(counter).to_have_text(f"{len(targets) - 1} selected")
    page.locator("table.fc-queue input[name=ids]").first.check()
    bar = page.locator(".fc-bulk")
    bar.locator("select[name=set_status]").select_option("in_progress")
    bar.locator("input[name=set_assignee]").fill("editor")
    shot(page, artifacts, "16-bulk-select-all")
    bar.get_by_role("button", name="Apply to selected").click()
    expect(page.locator(".message-info")).to_have_text(f"Updated {len(targets)} claims.")
    # Back on the same view, now empty; the other views count them.
    expect(page.locator("table.fc-queue tbody tr")).to_have_count(0)
    assert view_count(page, "in_progress") == in_progress + len(targets)
    assert view_count(page, "mine") == mine + len(targets)
    shot(page, artifacts, "17-bulk-applied")
    rows = [db_claim(browser_db_path, cid) for cid in targets]
    assert {(row["status"], row["assignee"], row["reviewed_by"]) for row in rows} == {
        ("in_progress", "editor", "editor")
    }
    step_done(journey, "bulk")


def test_09_save_and_next_walks_three_claims_then_the_keyboard(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "login")
    page = editor
    view = "status=unreviewed&sourcing=unattributed"
    # Three claims or more (how many depends on how the seeds are annotated): the
    # first three are walked three ways, the rest saved in turn to the view's end.
    order = live_ids(browser_db_path, "status = 'unreviewed' AND sourcing = 'unattributed'")
    assert len(order) >= 3, order
    page.goto(f"{server}/{DB_NAME}/-/factcheck?{view}")
    page.locator("table.fc-queue a.fc-claim-link").first.click()
    page.wait_for_url(f"{claim_url(server, order[0])}?{view}")
    expect(page.locator(".fc-walk .fc-back")).to_have_text("← Triage queue: To triage")
    form = page.locator("form.fc-review-form")
    # j opens the next claim of the view, k the previous one.
    page.keyboard.press("j")
    page.wait_for_url(f"{claim_url(server, order[1])}?{view}")
    page.keyboard.press("k")
    page.wait_for_url(f"{claim_url(server, order[0])}?{view}")

    # First: the button.
    form.locator("select[name=status]").select_option("in_progress")
    form.get_by_label("Note").fill("Walked 1")
    shot(page, artifacts, "18-save-and-next-first")
    form.get_by_role("button", name="Save and next").click()
    page.wait_for_url(f"{claim_url(server, order[1])}?{view}")
    expect(page.locator(".message-info")).to_have_text("Review saved.")

    # Second: the keyboard. s focuses the status; Ctrl+Shift+Enter saves and opens the next.
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.name") == "status"
    form.locator("select[name=status]").select_option("in_progress")
    form.get_by_label("Note").fill("Walked 2")
    page.keyboard.press("Control+Shift+Enter")
    page.wait_for_url(f"{claim_url(server, order[2])}?{view}")

    # Third: Ctrl+Enter saves and stays. The claims saved as in progress have left the view: nothing before it.
    expect(page.locator(".fc-walk a[rel=prev]")).to_have_count(0)
    form.get_by_label("Note").fill("Walked 3")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".message-info")).to_have_text("Review saved.")
    assert claim_id_in(page.url) == order[2]
    shot(page, artifacts, "19-keyboard-saved-third")
    # The rest, each saved in turn; the last one's Save and next returns to the view, which says so.
    for following in order[3:]:
        form.locator("select[name=status]").select_option("in_progress")
        form.get_by_role("button", name="Save and next").click()
        page.wait_for_url(f"{claim_url(server, following)}?{view}")
    form.locator("select[name=status]").select_option("in_progress")
    form.get_by_role("button", name="Save and next").click()
    page.wait_for_url(f"{server}/{DB_NAME}/-/factcheck?{view}")
    expect(page.locator(".message-info")).to_have_text("Review saved. That was the last claim in this view.")
    shot(page, artifacts, "20-save-and-next-end-of-view")

    notes = [db_claim(browser_db_path, cid)["note"] for cid in order[:3]]
    assert notes == ["Walked 1", "Walked 2", "Walked 3"]
    assert {db_claim(browser_db_path, cid)["status"] for cid in order} == {"in_progress"}
    step_done(journey, "walk")


def test_10_editor_downloads_the_review_sheet(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "review")
    page = editor
    page.goto(f"{server}/{DB_NAME}/-/factcheck?status=all&sourcing=leak")
    boxes = page.locator("form.fc-filters input[name=status]")
    assert boxes.evaluate_all("boxes => boxes.every(box => box.checked)") and boxes.count() == 5  # every status
    expect(page.locator("form.fc-filters select[name=sourcing]")).to_have_value("leak")
    nato = queue_row(page, NATO_TEXT)
    expect(queue_cell(nato, page, "Status")).to_have_text("Done")
    expect(queue_cell(nato, page, "Verdict")).to_have_text("Unproven")
    shot(page, artifacts, "21-queue-all-statuses-leak")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the review sheet (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"factcheck-review-sheet-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    sheet = artifacts / download.suggested_filename
    download.save_as(sheet)

    with sheet.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # What the editor filtered on screen: the three leak claims, whatever their status.
    assert len(rows) == 3
    assert {row["sourcing"] for row in rows} == {"leak"}
    (row,) = [row for row in rows if NATO_TEXT in row["claim"]]
    assert row["claim id"] == journey["nato_id"]
    assert (row["status"], row["verdict"], row["note"]) == ("Done", "Unproven", NOTE)
    assert row["evidence"] == EVIDENCE
    assert row["checkworthiness (0-100)"] == queue_cell(nato, page, "Score").inner_text()
    assert row["claim page"] == claim_url(server, journey["nato_id"])  # a full URL a spreadsheet opens
    assert row["reviewed by"] == "editor" and row["reviewed at"]
    step_done(journey, "download")


def test_11_dashboard_shows_the_new_counts(server, editor, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "dashboard-before", "review", "cluster")
    page = editor
    conn = sqlite3.connect(browser_db_path)
    try:
        (expected,) = conn.execute(
            "SELECT count(*) FROM claims WHERE status = 'done' AND verdict = 'unproven' AND superseded_at IS NULL"
        ).fetchone()
    finally:
        conn.close()
    # The NATO claim, the recruits quote and its sibling.
    assert expected == journey["done_unproven_before"] + 3

    page.goto(f"{server}/{DB_NAME}/-/factcheck/dashboard")
    cell = matrix_cell(page, "Done", "Unproven")
    expect(cell).to_have_text(str(expected))
    expect(cell).to_have_attribute("data-count", str(expected))
    in_progress = len(live_ids(browser_db_path, "status = 'in_progress' AND verdict IS NULL"))
    expect(matrix_cell(page, "In progress", "No verdict")).to_have_text(str(in_progress))
    # The verdicts given, beside the status chart, and the editor's reviews per day.
    expect(page.locator("#fc-chart-verdicts a.fc-bar-n").nth(6)).to_have_text(str(expected))
    expect(page.locator(".fc-legend").first).to_contain_text("editor (")
    expect(page.locator("#fc-chart-days a[data-count]").last).to_have_attribute("title", re.compile(r": editor \d+$"))
    shot(page, artifacts, "22-dashboard-after")

    # The number opens the claims it counts.
    cell.click()
    page.wait_for_url(re.compile(r"status=done&verdict=unproven"))
    expect(page.locator("table.fc-queue tbody tr")).to_have_count(expected)
    expect(page.locator(".fc-intro")).to_contain_text(f"{expected} matches")
    shot(page, artifacts, "23-dashboard-count-opens-queue")
    step_done(journey, "dashboard-after")


def test_11b_dashboard_article_titles_stay_in_their_cells(server, editor, journey):
    needs(journey, "dashboard-after")
    page = editor
    page.goto(f"{server}/{DB_NAME}/-/factcheck/dashboard")
    overlaps = page.evaluate(
        f"""() => {{
            const box = {_TEXT_BOX_JS};
            return [...document.querySelectorAll("table.fc-progress tbody tr")]
                .map(tr => [tr.querySelector("th"), tr.querySelector("td")])
                .filter(([th, td]) => box(th).right > td.getBoundingClientRect().left)
                .map(([th, td]) => th.textContent.trim());
        }}"""
    )
    assert overlaps == [], f"row titles drawn over the counts beside them: {overlaps}"
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page is {width[0]}px wide in a {width[1]}px window"


def test_12_viewer_reads_but_cannot_change_anything(server, browser, journey, artifacts, browser_db_path):
    from playwright.sync_api import expect

    needs(journey, "review")
    nato_id = journey["nato_id"]
    url = claim_url(server, nato_id)
    page = new_page(browser)
    try:
        page.goto(f"{server}/-/login")
        log_in(page, "viewer", VIEWER_PASSWORD)
        page.wait_for_url(f"{server}/")
        expect(page.locator(".actor")).to_have_text("Viewer")
        page.goto(url)
        expect(page.get_by_role("heading", name="Review claim")).to_be_visible()
        expect(page.locator("form.fc-review-form")).to_have_count(0)
        expect(page.locator("textarea, select[name=status]")).to_have_count(0)
        # The ruling is readable, with no way to change it.
        review = page.locator(".fc-review")
        expect(review).to_contain_text("Done")
        expect(review).to_contain_text("Unproven")
        expect(review.locator("dd.fc-note")).to_have_text(NOTE)
        expect(review.locator(f'.fc-evidence a[href="{EVIDENCE}"]')).to_have_text(EVIDENCE)
        expect(page.locator(".fc-readonly")).to_have_text("You can read this review; only editors can change it.")
        shot(page, artifacts, "24-viewer-claim-read-only")

        page.goto(f"{server}/{DB_NAME}/-/factcheck?status=all&sourcing=leak")
        expect(page.locator("table.fc-queue tbody tr")).to_have_count(3)
        expect(page.locator("form.fc-bulk-form, .fc-bulk, table.fc-queue input[type=checkbox]")).to_have_count(0)
        shot(page, artifacts, "25-viewer-queue-no-bulk")

        before = db_dump(browser_db_path)
        forged = {"status": "done", "verdict": "true", "note": "viewer was here", "evidence": "", "version": "1"}

        # From the viewer's own browser, same origin (so it passes Datasette's
        # CSRF check and reaches the plugin's permission check).
        status, body = page.evaluate(
            """async ([url, fields]) => {
                const response = await fetch(url, {method: "POST", body: new URLSearchParams(fields)});
                return [response.status, await response.text()];
            }""",
            [url, forged],
        )
        assert status == 403
        assert "you do not have permission to review claims (factcheck-review)" in body
        json_answer = page.context.request.post(url, data=forged)  # a dict as JSON
        assert json_answer.status == 403
        assert json_answer.json() == {
            "ok": False,
            "error": "you do not have permission to review claims (factcheck-review)",
        }
        form_answer = page.context.request.post(url, form=forged)
        assert form_answer.status == 403
        bulk = page.context.request.post(
            f"{server}/{DB_NAME}/-/factcheck/bulk", data={"ids": [nato_id], "set": {"status": "unreviewed"}}
        )
        assert bulk.status == 403

        # A hand-made form submitted in the page, as a forged form would be: refused on screen.
        page.goto(url)
        with page.expect_response(lambda r: r.request.method == "POST" and r.url == url) as answer:
            page.evaluate(
                """([url, fields]) => {
                    const form = document.createElement("form");
                    form.method = "post";
                    form.action = url;
                    for (const [name, value] of Object.entries(fields)) {
                        const input = document.createElement("input");
                        input.name = name;
                        input.value = value;
                        form.append(input);
                    }
                    document.body.append(form);
                    form.submit();
                }""",
                [url, forged],
            )
        assert answer.value.status == 403
        expect(page.locator("body")).to_contain_text("you do not have permission to review claims (factcheck-review)")
        shot(page, artifacts, "26-viewer-post-forbidden")

        assert db_dump(browser_db_path) == before
        claim = db_claim(browser_db_path, nato_id)
        assert (claim["verdict"], claim["note"]) == ("unproven", NOTE)
    finally:
        page.context.close()


def test_13_a_phone_scrolls_no_page_sideways_and_cuts_nothing_off(server, browser, journey, artifacts):
    from playwright.sync_api import expect

    needs(journey, "review", "cluster")
    page = new_page(browser, journey["storage_state"], viewport=PHONE)
    try:
        pages = {
            "27-queue-390": f"{server}/{DB_NAME}/-/factcheck",
            "28-claim-390": claim_url(server, journey["cluster_ids"][0]),
            "29-dashboard-390": f"{server}/{DB_NAME}/-/factcheck/dashboard",
        }
        for name, url in pages.items():
            page.goto(url)
            expect(page.locator(".actor")).to_have_text("Editor")
            found = overflow(page)
            shot(page, artifacts, name)
            assert found["scrollWidth"] <= PHONE["width"], (name, found)
            assert found["past"] == [], (name, found)
        # The review form fits, its fields and buttons within the screen.
        page.goto(pages["28-claim-390"])
        rights = page.evaluate("""() => [...document.querySelectorAll(
            ".fc-review-form select, .fc-review-form textarea, .fc-review-form input, .fc-review-form button")]
            .map(el => el.getBoundingClientRect().right)""")
        assert len(rights) >= 6 and max(rights) <= PHONE["width"], rights
    finally:
        page.context.close()
