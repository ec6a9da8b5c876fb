"""Shared pieces of the browser tests (test_browser*.py): Debian's Chromium
driven by Playwright, against ``datasette serve`` on loopback with the shipped
datasette.yaml and password logins (datasette-auth-passwords).

Needs /usr/bin/chromium (``apt-get install chromium``; ``.ci/run`` installs
it); without it the tests marked with ``needs_chromium`` skip. Never
``playwright install``: the browser is Debian's, not a downloaded one.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import loopback  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
# The network is closed here: without the background-networking flags
# Chromium keeps retrying Google services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"  # the editor's, unless a test says otherwise
DB_NAME = "factcheck"  # the name datasette.yaml is keyed on
TIMEOUT_MS = 15_000  # how long Playwright waits for anything on a page

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests",
)


@contextmanager
def launched_chromium() -> Iterator:
    """Debian's Chromium, started by Playwright; closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served_desk(
    db_path: Path, *, options: Sequence[str] = (), env: dict | None = None, **passwords: str
) -> Iterator[str]:
    """``datasette serve`` of ``db_path`` on a free loopback port with the shipped
    config, each ``role=password`` given a login (as FACTCHECK_<ROLE>_PASSWORD_HASH);
    yields its base URL. Its log goes beside the database."""
    from datasette_auth_passwords.utils import hash_password

    hashes = {f"FACTCHECK_{role.upper()}_PASSWORD_HASH": hash_password(word) for role, word in passwords.items()}
    with loopback.served(
        db_path, env={**hashes, **(env or {})}, options=options, log_path=db_path.parent / "datasette.log"
    ) as base:
        yield base


def seeded_db(tmp_path_factory, folder: str) -> Path:
    """A new desk database named as datasette.yaml expects, loaded with the seeds."""
    from datasette_factcheck.load import load_paths

    path = tmp_path_factory.mktemp(folder) / f"{DB_NAME}.db"
    summary = load_paths(path, [ROOT / "seeds"])
    assert not summary.problems, summary.problems
    return path


def db_claim(db_path: Path, claim_id: str) -> dict:
    """The claim's row as the database holds it now, read outside the server."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM claims WHERE id = ?", [claim_id]).fetchone())
    finally:
        conn.close()


def log_in(page, username: str = "editor", password: str = PASSWORD) -> None:
    """Fill the login form on ``page`` (already at it) and submit it."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
