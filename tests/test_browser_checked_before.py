"""The queue's "checked before" filter and the "Checked before" panel in a real browser (Debian's Chromium, Playwright) against
``datasette serve`` on loopback with the shipped config: an editor sees the published
fact-check a claim repeats, "use this verdict" fills the form, and saving rules the claim
with the fact-check named in its evidence. Skips without /usr/bin/chromium."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from browsertools import DB_NAME, PASSWORD, TIMEOUT_MS, launched_chromium, log_in, needs_chromium, served_desk
from conftest import ROOT
from webtools import NATO_TEXT

pytestmark = needs_chromium
FIXTURES = Path(__file__).parent / "fixtures" / "factchecks"
LEAK_CHECK = "https://factcheck.example.org/2023/04/discord-leak-nato-soldiers"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("checked") / f"{DB_NAME}.db"
    result = CliRunner().invoke(cli, ["factcheck", "import-factchecks", str(path), str(FIXTURES / "one.json")])
    assert result.exit_code == 0, result.output
    loaded = CliRunner().invoke(cli, ["factcheck", "load", str(path), str(ROOT / "seeds")])
    assert loaded.exit_code == 0, loaded.output
    return path


@pytest.fixture(scope="module")
def server(db_path) -> Iterator[str]:
    with served_desk(db_path, editor=PASSWORD) as base:
        yield base


def test_use_this_verdict_fills_the_form_and_the_editor_saves(server, db_path):
    conn = sqlite3.connect(db_path)
    claim_id = conn.execute("SELECT id FROM claims WHERE text LIKE ?", (f"%{NATO_TEXT}%",)).fetchone()[0]
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{server}/-/login")
        log_in(page)
        # the queue: filter to the claims checked before; each row carries the mark
        page.goto(f"{server}/{DB_NAME}/-/factcheck")
        page.locator("select[name=checked]").select_option("yes")
        page.get_by_role("button", name="Filter").click()
        rows = page.locator("tbody tr")
        assert rows.count() >= 1
        assert rows.count() == page.locator("tbody tr .fc-checked-mark").count()
        assert "checked before: Unproven" in page.locator("tbody").inner_text()
        page.goto(f"{server}/{DB_NAME}/-/factcheck/claims/{claim_id}")
        panel = page.locator("section.fc-checked-before")
        assert panel.get_by_role("link", name="Leaked documents show 50 British").get_attribute("href") == LEAK_CHECK
        assert "Unproven" in panel.inner_text() and "Example Fact Check" in panel.inner_text()
        panel.get_by_role("button", name="Use this verdict (Unproven)").click()
        form = page.locator("form.fc-review-form")
        assert form.locator("select[name=verdict]").input_value() == "unproven"
        assert form.locator("select[name=status]").input_value() == "done"
        assert LEAK_CHECK in form.locator("textarea[name=evidence]").input_value()
        assert conn.execute("SELECT status FROM claims WHERE id = ?", (claim_id,)).fetchone() == ("unreviewed",)
        form.get_by_role("button", name="Save review", exact=True).click()
        page.wait_for_load_state()
    status, verdict, evidence = conn.execute(
        "SELECT status, verdict, evidence FROM claims WHERE id = ?", (claim_id,)
    ).fetchone()
    assert (status, verdict) == ("done", "unproven") and LEAK_CHECK in evidence
