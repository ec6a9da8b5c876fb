"""The one decoder of JSON list columns (figures, reasons, evidence): whatever Datasette's
write API stored there is shown, never a crash."""

from __future__ import annotations

import pytest

from datasette_factcheck.extract.claims import Claim
from datasette_factcheck.records import json_list, read_json_list
from datasette_factcheck.store.rows import ClaimRow


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, []),
        ("", []),
        ("null", []),
        ('["a", "b"]', ["a", "b"]),
        ("not json", ["not json"]),
        ('{"url": "https://example.org"}', [{"url": "https://example.org"}]),
        ("3", [3]),
        (b'["from a blob"]', ["from a blob"]),
        (b"\xff not text", ["\ufffd not text"]),
        (7, [7]),
    ],
)
def test_read_json_list_shows_whatever_was_stored(stored, expected):
    assert read_json_list(stored) == expected


def test_json_list_round_trips_through_the_decoder():
    items = ["£3bn", 'a "quoted" word', "naïve"]
    assert read_json_list(json_list(items)) == items


def test_a_claims_row_values_are_in_its_columns_order():
    claim = Claim("Sales rose 5%.", 0, 14, 0, "[[Sales rose 5%.]]", kind="statistic", figures=["5%"])
    claim.claimant, claim.sourcing, claim.checkworthiness = "the firm", "named_person", 0.5
    claim.reasons, claim.scored_by = ["a figure"], "built-in"
    row = ClaimRow(*ClaimRow.values_of(claim, "c1", "a1", 3))
    assert row._asdict() == {
        "id": "c1",
        "article_id": "a1",
        "position": 3,
        "text": "Sales rose 5%.",
        "context": "[[Sales rose 5%.]]",
        "kind": "statistic",
        "claimant": "the firm",
        "sourcing": "named_person",
        "figures": '["5%"]',
        "checkworthiness": 0.5,
        "reasons": '["a figure"]',
        "scored_by": "built-in",
        "cluster_id": None,
    }
