"""Logging in, in a real browser (issue 26): a stranger who opens the queue is sent to the
desk's login page, which says what the desk is and who to ask for an account, and after
logging in lands on the page asked for.

Debian's Chromium driven by Playwright, against ``datasette serve`` on loopback with the
shipped datasette.yaml (as tests/test_browser_add.py). Screenshots go to
test-artifacts/browser-login/ (gitignored). Needs /usr/bin/chromium; without it these tests skip.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from browsertools import PASSWORD, launched_chromium, log_in, needs_chromium, seeded_db, served_desk
from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser-login"
HELP = "Ask Dana Reyes on the night desk for an account."
TIMEOUT_MS = 30_000

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    path = seeded_db(tmp_path_factory, "browser-login")
    options = ["-s", "plugins.datasette-factcheck.login_help", HELP]
    with served_desk(path, options=options, editor=PASSWORD) as base:
        yield base


def test_a_stranger_who_opens_the_queue_logs_in_and_lands_on_it(server):
    from playwright.sync_api import expect

    asked = "/factcheck/-/factcheck?status=in_progress"
    with launched_chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(server + asked)
        page.wait_for_url(f"{server}/-/login?next=**")
        expect(page.get_by_role("heading", name="Log in to Fact-check desk")).to_be_visible()
        expect(page.locator(".fc-login-help")).to_have_text(HELP)
        expect(page.get_by_text("Triage queue")).to_have_count(0)  # no database named to a stranger
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "01-login-page.png"), full_page=True)
        log_in(page)
        page.wait_for_url(server + asked)
        expect(page.locator(".actor")).to_have_text("Editor")
        page.screenshot(path=str(ARTIFACTS / "02-back-on-the-queue.png"), full_page=True)
