"""Logging in, in a real browser (issue 26): a stranger who opens the queue is sent to the
desk's login page, which says what the desk is and who to ask for an account, and after
logging in lands on the page asked for.

Debian's Chromium driven by Playwright, against ``datasette serve`` on loopback with the
shipped datasette.yaml (as tests/test_browser_add.py). Screenshots go to
test-artifacts/browser-login/ (gitignored). Needs /usr/bin/chromium; without it these tests skip.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from test_browser_add import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TIMEOUT_MS

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import loopback  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts" / "browser-login"
HELP = "Ask Dana Reyes on the night desk for an account."

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: install Debian's chromium")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    from datasette_auth_passwords.utils import hash_password

    from datasette_factcheck.load import load_paths

    path = tmp_path_factory.mktemp("browser-login") / "factcheck.db"
    assert not load_paths(path, [ROOT / "seeds"]).problems
    env = {"FACTCHECK_EDITOR_PASSWORD_HASH": hash_password(PASSWORD)}
    options = ["-s", "plugins.datasette-factcheck.login_help", HELP]
    with loopback.served(path, env=env, options=options, log_path=path.parent / "datasette.log") as base:
        yield base


def test_a_stranger_who_opens_the_queue_logs_in_and_lands_on_it(server):
    from playwright.sync_api import expect, sync_playwright

    asked = "/factcheck/-/factcheck?status=in_progress"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
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
            page.get_by_label("Username").fill("editor")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(server + asked)
            expect(page.locator(".actor")).to_have_text("Editor")
            page.screenshot(path=str(ARTIFACTS / "02-back-on-the-queue.png"), full_page=True)
        finally:
            browser.close()
