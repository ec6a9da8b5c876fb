"""Hostile fields, generated (hypothesis): the web routes and exports never
answer 5xx, never lose a row, and never let a value out unescaped.

Values mix what attacks use (NUL, integers of thousands of digits,
``javascript:`` links, ``</script>``, spreadsheet formulas, lone surrogates,
control characters) with ordinary text. Each is sent as a review field (JSON
and form), a bulk field and a queue or export filter; accepted values are
then read back through the review sheet and ClaimReview, which must carry
them neutralised. Examples: ``FACTCHECK_EXAMPLES`` (CI 150; bench/fuzz.py
runs 10,000), with a ``FIGURES`` line: inputs tried, 5xx answers, rows lost.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.server import Server
from support.webtools import ALICE

EXAMPLES = int(os.environ.get("FACTCHECK_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FIGURES: Counter = Counter()
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUEUE = "/factcheck/-/factcheck"
READ_URLS = [QUEUE, QUEUE + ".json", QUEUE + "/export.csv", QUEUE + "/claimreview.json", QUEUE + "/dashboard"]
FILTERS = ["q", "status", "verdict", "kind", "sourcing", "outlet", "article", "assignee", "cluster", "_next"]

ATTACKS = [
    "javascript:alert(1)",
    "  JaVaScRiPt:alert(1)",
    "data:text/html,<b>x</b>",
    "</script><script>alert(1)</script>",
    '=HYPERLINK("https://evil.example","x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "a\x00b",
    "\x00",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    "\u202e",
    "'; DROP TABLE claims; --",
    '"',
    "\\",
    "%00",
]
hostile_text = st.one_of(
    st.sampled_from(ATTACKS),
    st.text(max_size=30),
    st.builds(lambda a, b: a + b, st.sampled_from(ATTACKS), st.text(max_size=10)),
)
# Raw JSON number text: Python cannot even print an int of over 4,300 digits.
huge_numbers = st.integers(31, 6000).map(lambda digits: "9" * digits)


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield
    print(
        f"\nFIGURES hostile fields: inputs={FIGURES['inputs']} 5xx={FIGURES['5xx']} "
        f"rows_lost={FIGURES['rows_lost']} unescaped={FIGURES['unescaped']}"
    )


def checked(server: Server, before: dict, response) -> None:
    """No 5xx, and a refusal changed nothing; counted for the figures."""
    FIGURES["inputs"] += 1
    if response.status_code >= 500:
        FIGURES["5xx"] += 1
    assert response.status_code < 500, response.text[:1000]
    after = server.dump()
    if response.status_code >= 400:
        if after != before:
            FIGURES["rows_lost"] += 1
        assert after == before
    assert set(after["claims"]) == set(before["claims"])


def json_body(field: str, raw_value: str) -> bytes:
    return f'{{"{field}": {raw_value}}}'.encode()


@SETTINGS
@given(
    field=st.sampled_from(["note", "assignee", "status", "verdict", "version", "evidence", "apply_to_cluster"]),
    value=st.one_of(
        hostile_text.map(json.dumps),
        huge_numbers,
        st.lists(hostile_text, max_size=3).map(json.dumps),
        huge_numbers.map(lambda n: f"[{n}]"),
    ),
    claim=st.integers(0, 1000),
)
def test_hostile_review_fields(server, field, value, claim):
    url = f"{QUEUE}/claims/{server.ids[claim % len(server.ids)]}"
    before = server.dump()
    checked(server, before, server.post(url, json_body(field, value), "application/json", ALICE))


@SETTINGS
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["note", "assignee", "evidence", "version", "status"]),
            st.one_of(hostile_text, huge_numbers),
        ),
        min_size=1,
        max_size=4,
    ),
    claim=st.integers(0, 1000),
)
def test_hostile_form_fields(server, pairs, claim):
    url = f"{QUEUE}/claims/{server.ids[claim % len(server.ids)]}"
    before = server.dump()
    body = urlencode(pairs).encode()
    checked(server, before, server.post(url, body, "application/x-www-form-urlencoded", ALICE))


@SETTINGS
@given(
    ids=st.one_of(st.lists(hostile_text.map(json.dumps), max_size=3), st.lists(huge_numbers, max_size=2)),
    field=st.sampled_from(["status", "verdict", "assignee"]),
    value=st.one_of(hostile_text.map(json.dumps), huge_numbers),
)
def test_hostile_bulk_fields(server, ids, field, value):
    body = f'{{"ids": [{", ".join(ids)}], "set": {{"{field}": {value}}}}}'.encode()
    before = server.dump()
    checked(server, before, server.post(f"{QUEUE}/bulk", body, "application/json", ALICE))


@SETTINGS
@given(url=st.sampled_from(READ_URLS), name=st.sampled_from(FILTERS), value=st.one_of(hostile_text, huge_numbers))
def test_hostile_filters(server, url, name, value):
    before = server.dump()
    response = server.get(f"{url}?{urlencode({name: value})}", ALICE)
    checked(server, before, response)
    assert response.status_code in (200, 302, 400), response.status_code


@SETTINGS
@given(
    note=hostile_text, assignee=hostile_text, evidence=st.lists(hostile_text, max_size=3), claim=st.integers(0, 1000)
)
def test_accepted_hostile_values_leave_the_exports_neutralised(server, note, assignee, evidence, claim):
    claim_id = server.ids[claim % len(server.ids)]
    review = {"status": "done", "verdict": "false", "note": note, "assignee": assignee, "evidence": evidence}
    server.post(f"{QUEUE}/claims/{claim_id}", json.dumps(review).encode(), "application/json", ALICE)
    sheet = server.get(f"{QUEUE}/export.csv?status=all", ALICE)
    published = server.get(f"{QUEUE}/claimreview.json", ALICE)
    FIGURES["inputs"] += 1
    rows = list(csv.reader(io.StringIO(sheet.text, newline="")))
    raw_cells = [cell for row in rows[1:] for cell in row if cell.startswith(FORMULA_STARTS)]
    raw_markup = [char for char in "<>&" if char in published.text]
    if raw_cells or raw_markup:
        FIGURES["unescaped"] += 1
    assert not raw_cells and not raw_markup
    assert sheet.status_code == published.status_code == 200
    json.loads(published.text)  # still valid JSON
