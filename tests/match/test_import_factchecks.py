"""Importing published fact-checks: every form a publisher puts out, from files and from a
site on 127.0.0.1; idempotent, bad records reported one a line, ratings mapped."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.match.ratings import verdict_for, verdict_for_scale
from support.helpers import FIXTURES

FIXTURES = FIXTURES / "factchecks"


def run(*args: str):
    return CliRunner().invoke(cli, ["factcheck", *args])


def factchecks(db: Path) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {row["claim"]: dict(row) for row in conn.execute("SELECT * FROM factchecks")}
    conn.close()
    return rows


def test_one_claimreview_is_imported_with_its_fields(tmp_path, clock):
    db = tmp_path / "f.db"
    result = run("import-factchecks", str(db), str(FIXTURES / "one.json"))
    assert result.exit_code == 0, result.output
    assert "fact-checks: 1 new, 0 updated, 0 unchanged; 0 bad records" in result.output
    (row,) = factchecks(db).values()
    assert row["claim"].startswith("Leaked documents show 50 British")
    assert row["claimant"] == "Social media posts"
    assert (row["rating"], row["verdict"]) == ("Unproven", "unproven")
    assert row["publisher"] == "Example Fact Check"
    assert row["url"] == "https://factcheck.example.org/2023/04/discord-leak-nato-soldiers"
    assert row["published"] == "2023-04-14"
    assert row["title"].startswith("What the Discord leak says")
    assert row["summary"].startswith("The documents list 97")
    assert row["source"] == str(FIXTURES / "one.json")
    assert row["loaded_at"] == clock


def test_a_list_a_datafeed_a_page_jsonl_and_csv_each_import(tmp_path):
    db = tmp_path / "f.db"
    names = ["list.json", "feed.json", "page.html", "records.jsonl", "records.csv"]
    result = run("import-factchecks", str(db), *(str(FIXTURES / name) for name in names))
    rows = factchecks(db)
    assert rows["The Thames bridge will close for three years from January."]["verdict"] == "false"
    # a numeric rating on the 5..1 scale, as this desk exports it
    assert rows["Hospital waiting lists have halved since 2020."]["verdict"] == "mostly_false"
    # DataFeed items, in a list or alone; a rating that goes on after its word
    assert rows["Drinking hot water cures the flu."]["rating"] == "False. No study shows it."
    assert rows["Drinking hot water cures the flu."]["verdict"] == "false"
    assert rows["The city council banned cars from the centre."]["verdict"] == "misleading"
    assert rows["Council tax will double next year."]["verdict"] == "misleading"  # from the page's @graph
    assert rows["Wind farms kill more birds than cats do."]["id"] == "r1"
    assert rows["Wind farms kill more birds than cats do."]["verdict"] == "false"
    assert (rows["Schools will open on Saturdays."]["rating"], rows["Schools will open on Saturdays."]["verdict"]) == (
        "Satire",
        None,
    )
    stadium = rows["The new stadium cost twice its budget."]
    assert (stadium["id"], stadium["claimant"], stadium["verdict"]) == ("c1", "Mayor", "half_true")
    tap = rows["Tap water in the city is unsafe to drink."]
    assert tap["url"] is None and tap["published"] == "2020-05-12"  # no javascript: link is kept
    assert len(rows) == 10
    # one line for each bad record, naming where it is and why; the rest imported
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {FIXTURES / 'feed.json'} ClaimReview 3: no claim (claimReviewed)",
        f"error: {FIXTURES / 'records.jsonl'} line 3: not JSON (Expecting value)",
        f"error: {FIXTURES / 'records.jsonl'} line 4: no claim",
        f"error: {FIXTURES / 'records.csv'} line 3: no claim",
    ]
    assert "fact-checks: 10 new, 0 updated, 0 unchanged; 4 bad records" in result.output
    assert result.exit_code == 1


def test_re_import_changes_nothing_and_an_edited_record_is_updated(tmp_path):
    db = tmp_path / "f.db"
    source = tmp_path / "records.csv"
    shutil.copy(FIXTURES / "records.csv", source)
    run("import-factchecks", str(db), str(source))
    before = factchecks(db)
    again = run("import-factchecks", str(db), str(source))
    assert "fact-checks: 0 new, 0 updated, 2 unchanged" in again.output
    assert factchecks(db) == before
    source.write_text(source.read_text().replace("Half True", "Mostly False"))
    edited = run("import-factchecks", str(db), str(source))
    assert "fact-checks: 0 new, 1 updated, 1 unchanged" in edited.output
    stadium = factchecks(db)["The new stadium cost twice its budget."]
    assert (stadium["rating"], stadium["verdict"]) == ("Mostly False", "mostly_false")
    conn = sqlite3.connect(db)
    # the FTS index follows the update: one row per fact-check, found by its words
    assert conn.execute("SELECT count(*) FROM factchecks_fts WHERE factchecks_fts MATCH 'stadium'").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM factchecks").fetchone() == (2,)


def test_a_record_without_an_id_keeps_one_id_from_its_url_and_claim(tmp_path):
    db = tmp_path / "f.db"
    run("import-factchecks", str(db), str(FIXTURES / "list.json"))
    ids = {row["id"] for row in factchecks(db).values()}
    run("import-factchecks", str(db), str(FIXTURES / "list.json"))
    assert {row["id"] for row in factchecks(db).values()} == ids
    assert all(i.startswith("fc-") for i in ids)


def test_a_missing_file_and_a_file_of_another_kind_are_named(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    result = run("import-factchecks", str(tmp_path / "f.db"), str(tmp_path / "nope.json"), str(other))
    assert f"error: {tmp_path / 'nope.json'}: no such file" in result.output
    assert f"error: {other}: not a fact-check file" in result.output
    assert "Traceback" not in result.output and result.exit_code == 1


def test_a_sitemap_of_fact_check_pages_a_page_and_a_feed_import_from_the_web(tmp_path, site):
    db = tmp_path / "f.db"
    result = run(
        "import-factchecks",
        str(db),
        site.url("/sitemap-factchecks.xml"),
        site.url("/factchecks/feed.json"),
        "--delay",
        "0",
        "--allow-private",  # the test site is on 127.0.0.1
    )
    rows = factchecks(db)
    troops = rows["British soldiers have secretly been on the ground in Ukraine throughout the war."]
    assert troops["url"] == site.url("/factchecks/troops.html")
    assert (troops["publisher"], troops["rating"], troops["verdict"]) == (
        "Ledger Checks",
        "Missing context",
        "misleading",
    )
    assert troops["source"] == site.url("/factchecks/troops.html")
    assert rows["Emmanuel Macron said France would not rule out sending troops to Ukraine."]["verdict"] == "true"
    assert "Drinking hot water cures the flu." in rows
    assert f"error: {site.url('/factchecks/none.html')}: no ClaimReview JSON-LD on the page" in result.output
    assert "fact-checks: 4 new" in result.output
    assert {hit.headers["user-agent"].split("/")[0] for hit in site.hits()} == {"datasette-factcheck"}
    # a page given on its own, and an address that answers 404
    page = run(
        "import-factchecks",
        str(db),
        site.url("/factchecks/troops.html"),
        site.url("/factchecks/gone.html"),
        "--allow-private",
    )
    assert "fact-checks: 0 new, 0 updated, 1 unchanged" in page.output
    assert f"error: {site.url('/factchecks/gone.html')}:" in page.output


@pytest.mark.parametrize(
    "rating, verdict",
    [
        ("False", "false"),
        ("FALSE", "false"),
        ("Mostly false", "mostly_false"),
        ("Mostly-False", "mostly_false"),
        ("Pants on Fire!", "false"),
        ("pants-on-fire", "false"),
        ("Misleading", "misleading"),
        ("Missing context", "misleading"),
        ("Half True", "half_true"),
        ("Mixture", "half_true"),
        ("Mostly True", "mostly_true"),
        ("True", "true"),
        ("Unproven", "unproven"),
        ("Four Pinocchios", "false"),
        ("False: the photo is from 2015", "false"),
        ("Satire", None),
        ("Labeled Satire", None),
        ("", None),
        (None, None),
    ],
)
def test_ratings_map_to_the_desks_verdicts_where_they_say_one(rating, verdict):
    assert verdict_for(rating) == verdict


def test_a_numeric_rating_maps_only_on_the_five_to_one_scale():
    assert verdict_for_scale(1, 5, 1) == "false"
    assert verdict_for_scale("5", None, None) == "true"
    assert verdict_for_scale(3, 10, 1) is None
    assert verdict_for_scale("x", 5, 1) is None
    assert verdict_for_scale(2.5, 5, 1) is None


def test_json_records_in_a_plain_list_import_too(tmp_path):
    records = tmp_path / "records.json"
    records.write_text(json.dumps([{"claim": "Snow fell in July.", "rating": "false"}, {"title": "no claim"}]))
    result = run("import-factchecks", str(tmp_path / "f.db"), str(records))
    assert f"error: {records} record 2: no claim" in result.output
    assert factchecks(tmp_path / "f.db")["Snow fell in July."]["verdict"] == "false"


def test_fact_check_urls_go_through_the_fetch_guard(tmp_path, site):
    """Without --allow-private a fact-check page on loopback is refused in one line, never fetched."""
    result = run("import-factchecks", str(tmp_path / "f.db"), site.url("/factchecks/troops.html"))
    assert f"{site.url('/factchecks/troops.html')}: refused, private address" in result.output
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert site.hits() == []


def fts_segments(db: Path) -> int:
    """How many segments the fact-checks' FTS5 index has: its structure record (rowid 10
    of the %_data table) opens with a 4-byte cookie, an optional version tag, then varints
    for the number of levels and of segments (both under 128 here: one byte each)."""
    conn = sqlite3.connect(db)
    record = conn.execute("SELECT block FROM factchecks_fts_data WHERE id = 10").fetchone()[0]
    conn.close()
    start = 8 if record[4:8] == b"\xff\x00\x00\x01" else 4
    return record[start + 1]


def test_each_import_leaves_the_search_index_merged_for_fast_matching(tmp_path):
    db = tmp_path / "f.db"
    for fixture in ("one.json", "list.json"):
        assert run("import-factchecks", str(db), str(FIXTURES / fixture)).exit_code == 0
    assert fts_segments(db) == 1  # one per import's transaction, unmerged
    assert run("match", str(db), "--refresh").exit_code == 0
    assert fts_segments(db) == 1
