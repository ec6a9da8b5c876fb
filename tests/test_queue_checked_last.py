"""The queue's ``_checked_last`` switch: claims checked before (a published fact-check or a
ruling matched, claim_matches) come after the others, each group most check-worthy first,
on the page, in its JSON, across keyset pages and from one claim to the next."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from conftest import make_datasette
from datasette_factcheck import triage
from webtools import QUEUE_URL, read

FIXTURES = Path(__file__).parent / "fixtures" / "factchecks"
LAST = {"status": ["all"], triage.CHECKED_LAST: ["1"]}


@pytest.fixture
def matched_db(db_path) -> Path:
    """The seeded claims, those on troops in Ukraine matched to imported fact-checks."""
    result = CliRunner().invoke(cli, ["factcheck", "import-factchecks", str(db_path), str(FIXTURES / "one.json")])
    assert result.exit_code == 0, result.output
    return db_path


def checked_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT claim_id FROM claim_matches")}
    finally:
        conn.close()


def expected_order(rows: list[dict], checked: set[str]) -> list[str]:
    """Claims not checked before, then those checked, each in queue order."""
    return [row["id"] for row in sorted(rows, key=lambda r: (r["id"] in checked, -r["checkworthiness"], r["id"]))]


def walk(conn: sqlite3.Connection, filters: triage.QueueFilters, size: int) -> list[dict]:
    """Every claim of the view, page after keyset page of ``size``."""
    conn.row_factory = sqlite3.Row
    rows, after = [], None
    while True:
        page = [dict(row) for row in conn.execute(*triage.page_query(filters, after, limit=size))]
        rows += page
        if len(page) < size:
            return rows
        after = (page[-1]["checkworthiness"], page[-1]["id"])


@pytest.mark.asyncio
async def test_the_json_queue_puts_claims_checked_before_last(matched_db):
    checked = checked_ids(matched_db)
    assert 0 < len(checked) < 10
    ds = await make_datasette(matched_db)
    plain = (await read(ds, f"{QUEUE_URL}.json?status=all")).json()
    aside = (await read(ds, f"{QUEUE_URL}.json?status=all&_checked_last=1")).json()
    assert aside["filters"][triage.CHECKED_LAST] is True and plain["filters"][triage.CHECKED_LAST] is False
    ids = [row["id"] for row in aside["claims"]]
    assert sorted(ids) == sorted(row["id"] for row in plain["claims"])  # the same claims...
    assert ids == expected_order(aside["claims"], checked)  # ...those checked before last
    assert ids != [row["id"] for row in plain["claims"]]
    assert set(ids[-len(checked) :]) == checked
    # with the checked filter on one group alone, the switch changes nothing
    only = (await read(ds, f"{QUEUE_URL}.json?status=all&checked=yes&_checked_last=1")).json()
    assert {row["id"] for row in only["claims"]} == checked


def test_keyset_pages_and_neighbours_follow_the_same_order(matched_db):
    filters = triage.QueueFilters.from_params(LAST)
    conn = sqlite3.connect(matched_db)
    whole = walk(conn, filters, 1000)
    assert [row["id"] for row in whole] == expected_order(whole, checked_ids(matched_db))
    for size in (1, 4, 7):
        assert [row["id"] for row in walk(conn, filters, size)] == [row["id"] for row in whole]
    for before, after in zip(whole, whole[1:]):
        forward = conn.execute(*triage.neighbour_query(filters, (before["checkworthiness"], before["id"]), False))
        backward = conn.execute(*triage.neighbour_query(filters, (after["checkworthiness"], after["id"]), True))
        assert (forward.fetchone()["id"], backward.fetchone()["id"]) == (after["id"], before["id"])


def test_the_switch_is_kept_in_links_and_a_bad_value_is_named():
    filters = triage.QueueFilters.from_params({triage.CHECKED_LAST: ["1"]})
    assert filters.checked_last and "_checked_last=1" in filters.changed(verdict=["false"]).query_string()
    assert "_checked_last" not in triage.QueueFilters.from_params({triage.CHECKED_LAST: ["0"]}).query_string()
    with pytest.raises(triage.FilterError, match=r"_checked_last must be 1 \(claims checked before last\)"):
        triage.QueueFilters.from_params({triage.CHECKED_LAST: ["maybe"]})


@pytest.mark.asyncio
async def test_the_filter_form_has_the_switch_and_the_html_queue_follows_it(matched_db):
    ds = await make_datasette(matched_db)
    page = await read(ds, f"{QUEUE_URL}?status=all&_checked_last=1")
    assert page.status_code == 200
    assert '<input type="checkbox" name="_checked_last" value="1" checked>' in page.text
    conn = sqlite3.connect(matched_db)
    conn.row_factory = sqlite3.Row
    order = [row["id"] for row in walk(conn, triage.QueueFilters.from_params(LAST), 1000)]
    positions = [page.text.index(f"/claims/{claim_id}") for claim_id in order]
    assert positions == sorted(positions)
    off = await read(ds, f"{QUEUE_URL}?status=all")
    assert '<input type="checkbox" name="_checked_last" value="1">' in off.text
    bad = await read(ds, f"{QUEUE_URL}.json?_checked_last=maybe")
    assert bad.status_code == 400 and "_checked_last must be" in bad.json()["error"]
