"""The Add page in a real browser: an editor pastes two URLs, watches them load, opens a new claim.

Debian's Chromium driven by Playwright (as tests/test_browser.py does), against
``datasette serve`` on loopback with the shipped datasette.yaml, and the news site of
fixture_site.py on another loopback port: Datasette fetches the pages from it, politely,
with the shipped defaults. Screenshots go to test-artifacts/browser-add/ (gitignored).

Needs /usr/bin/chromium; without it these tests skip.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from browsertools import PASSWORD, launched_chromium, log_in, needs_chromium, seeded_db, served_desk
from conftest import ROOT
from datasette_factcheck.web_articles import web_id
from fixture_site import Site, serving

ARTIFACTS = ROOT / "test-artifacts" / "browser-add"  # apart from test_browser.py, which clears its own
TIMEOUT_MS = 30_000  # a page fetched and loaded by the Add job takes longer than a click

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def news() -> Iterator[Site]:
    with serving() as site:
        yield site


@pytest.fixture(scope="module")
def browser_db_path(tmp_path_factory) -> Path:
    return seeded_db(tmp_path_factory, "browser-add")


@pytest.fixture(scope="module")
def server(browser_db_path) -> Iterator[str]:
    # The news site is on loopback, which the Add page refuses unless this setting allows it.
    allow = ["-s", "plugins.datasette-factcheck.fetch.allow_private", "true"]
    with served_desk(browser_db_path, options=allow, env={"no_proxy": "127.0.0.1,localhost"}, editor=PASSWORD) as base:
        yield base


@pytest.fixture(scope="module")
def page(server):
    with launched_chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        yield context.new_page()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"add-{name}.png"), full_page=True)


def article_of(browser_db_path: Path, claim_id: str) -> str:
    conn = sqlite3.connect(browser_db_path)
    try:
        return conn.execute("SELECT article_id FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    finally:
        conn.close()


def test_an_editor_pastes_two_urls_sees_them_load_and_opens_a_new_claim(server, news, page, browser_db_path):
    from playwright.sync_api import expect

    page.goto(f"{server}/-/login")
    log_in(page)
    page.wait_for_url(f"{server}/")

    page.goto(f"{server}/factcheck/-/factcheck/add")
    expect(page.get_by_role("heading", name="Add articles")).to_be_visible()
    urls = [news.url("/news/flood-defences.html?utm_source=newsletter"), news.url("/news/uk-troops-ukraine.html")]
    page.get_by_label("Addresses of articles").fill("\n".join(urls))
    shot(page, "01-urls-pasted")
    page.get_by_role("button", name="Add").click()

    page.wait_for_url(re.compile(r".*/-/factcheck/add\?job=.+"))
    job = page.locator("#fc-add-job")
    expect(job).to_have_attribute("data-state", "done")  # the page polls, then reloads when done
    lines = page.locator(".fc-add-results > li")
    expect(lines).to_have_count(2)
    for index, url in enumerate(urls):
        expect(lines.nth(index)).to_contain_text(f"{url}: new article: ")
    expect(page.locator("#fc-add-progress")).to_have_attribute("value", "4")
    shot(page, "02-loaded")

    page.get_by_role("link", name="Council to spend £12m on flood defences after winter storms").click()
    page.wait_for_url(re.compile(r".*/-/factcheck\?article=web-"))
    claim_link = page.locator("a[href*='/-/factcheck/claims/']").first
    expect(claim_link).to_be_visible()
    shot(page, "03-queue-of-the-new-article")
    claim_link.click()

    page.wait_for_url(re.compile(r".*/-/factcheck/claims/.+"))
    claim_id = re.search(r"/-/factcheck/claims/([^/?#]+)", page.url)[1]
    assert article_of(browser_db_path, claim_id) == web_id(news.url("/news/flood-defences.html"))
    expect(page.get_by_text("Council to spend £12m on flood defences after winter storms").first).to_be_visible()
    shot(page, "04-new-claim")
    # Datasette asked the news site politely: robots.txt first, the tool named, each page once.
    assert [hit.path for hit in news.log] == ["/robots.txt", "/news/flood-defences.html?utm_source=newsletter",
                                              "/news/uk-troops-ukraine.html"]  # fmt: skip
    assert all(hit.headers["user-agent"].startswith("datasette-factcheck/") for hit in news.log)
