"""The one decoder of JSON list columns (figures, reasons, evidence): whatever Datasette's
write API stored there is shown, never a crash."""

from __future__ import annotations

import pytest

from datasette_factcheck.records import json_list, read_json_list


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
