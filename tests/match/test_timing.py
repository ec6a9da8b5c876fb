"""The date prior of matching: a claim's date (a post's signature, a record's date, its
article's published), the window's factor, and both stages ordering by it without keeping a
match for its date alone."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.ingest.clean import signature_date
from datasette_factcheck.match import matching, timing
from datasette_factcheck.match.records import FactCheck
from datasette_factcheck.match.store import ImportSummary, store

CLAIM = "A zeppelin flew over Ohio on Tuesday night"
# Lexically the older one is a little closer (its claim is shorter): only the date moves the other up.
OLD = {"id": "old", "claim": CLAIM, "published": "2019-01-01"}
NEW = {"id": "new", "claim": CLAIM + ", witnesses in Akron say", "published": "2023-05-02"}
FILLER = [{"id": f"other-{n}", "claim": f"A senator voted to cut pensions {n} times"} for n in range(10)]


def run(*args: str):
    return CliRunner().invoke(cli, ["factcheck", *args])


def stored(conn: sqlite3.Connection) -> dict[str, int]:
    store(conn, [FactCheck(**record) for record in (OLD, NEW, *FILLER)], "test", "now", ImportSummary())
    return dict(conn.execute("SELECT id, rowid FROM factchecks"))


def ranked(conn: sqlite3.Connection, text: str, day: date | None, **options) -> list[str]:
    found = matching.search_many(conn, [text], 5, 0, False, [day], **options)[0]
    return [match.factcheck_id for match in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vote now! pic.twitter.com/x1 — Jane Doe (@jane) May 3, 2017", "2017-05-03"),
        ("It rose. — Jane Doe (@jane) 3 May 2017", "2017-05-03"),
        ("It rose. - U.S. Army CGSC (@USACGSC) Jan. 8, 2020", "2020-01-08"),
        ('"It rose." — Jane (@jane) Sept. 30, 2020"', "2020-09-30"),
        ("Quoted — A (@a) May 1, 2010 and then — B (@b) June 2, 2011", "2011-06-02"),  # the post, not its quote
        ("It rose on May 3, 2017, officials said.", None),  # a date, no signature
        ("Jane Doe (@jane) said so", None),
        ("It rose. — Jane Doe (@jane) February 30, 2020", None),  # no such day
        ("", None),
    ],
)
def test_a_posts_date_is_its_signatures(text, expected):
    assert signature_date(text) == expected
    assert timing.claim_date(text) == (date.fromisoformat(expected) if expected else None)


def test_a_given_date_comes_before_the_signatures_and_a_bad_one_is_no_date():
    post = "It rose. — Jane Doe (@jane) May 3, 2017"
    assert timing.claim_date(post, "2020-01-02") == date(2020, 1, 2)
    assert timing.claim_date(post, "2020-01-02T10:00:00Z") == date(2020, 1, 2)
    assert timing.claim_date(post, "2020-02-30") == date(2017, 5, 3)
    assert timing.claim_date("No signature", None) is None
    assert [timing.parse(value) for value in ("2020-1-2", "2020-01-022", "yesterday", 20200102)] == [None] * 4


def test_the_factor_boosts_the_window_alone():
    day = date(2023, 5, 1)
    inside = [date(2023, 5, 1) + timedelta(days) for days in (-timing.BEFORE, 0, timing.AFTER)]
    outside = [day - timedelta(timing.BEFORE + 1), day + timedelta(timing.AFTER + 1), date(2019, 1, 1)]
    assert {timing.factor(day, published) for published in inside} == {1 + timing.BOOST}
    assert {timing.factor(day, published) for published in outside} == {1.0}
    assert timing.factor(None, day) == timing.factor(day, None) == 1.0
    assert timing.factor(day, day, timing.BLEND_BOOST) == 1 + timing.BLEND_BOOST


def test_a_fact_check_in_the_window_outranks_an_equally_good_one_outside_it(fresh_conn):
    stored(fresh_conn)
    assert ranked(fresh_conn, CLAIM, None)[:2] == ["old", "new"]
    assert ranked(fresh_conn, CLAIM, date(2023, 5, 1))[:2] == ["new", "old"]
    assert ranked(fresh_conn, CLAIM, date(2018, 12, 30))[:2] == ["old", "new"]


def test_no_date_changes_nothing(fresh_conn):
    stored(fresh_conn)
    plain = matching.search_many(fresh_conn, [CLAIM, "pensions cut"], 5, 0, False)
    assert matching.search_many(fresh_conn, [CLAIM, "pensions cut"], 5, 0, False, [None, None]) == plain
    far = [date(2000, 1, 1)] * 2  # a date no fact-check is near: no boost, so no change either
    assert matching.search_many(fresh_conn, [CLAIM, "pensions cut"], 5, 0, False, far) == plain


def test_the_same_words_on_other_dates_are_searched_apart(fresh_conn):
    stored(fresh_conn)
    found = matching.search_many(fresh_conn, [CLAIM, CLAIM], 5, 0, False, [date(2023, 5, 1), None])
    assert [[m.factcheck_id for m in one][:2] for one in found] == [["new", "old"], ["old", "new"]]


def test_the_date_orders_but_keeps_nothing_the_threshold_would_not(fresh_conn):
    rowid = stored(fresh_conn)
    found = matching._Query("", {"zeppelin"}, [(rowid["old"], -20.0), (rowid["new"], -18.0)], date(2023, 5, 1))
    ranked = matching.boosted(fresh_conn, found, 5)
    assert [r for r, _, _ in ranked] == [rowid["new"], rowid["old"]]
    # bm25's own score of "new" is below this threshold, its dated one above: it is not kept
    between = (matching.score_of(-18.0) + matching.score_of(-20.0)) / 2
    assert [r for r, _ in matching._factchecks(fresh_conn, found, 5, between, None)] == [rowid["old"]]


def test_the_second_stage_blend_weighs_the_date_and_holds_the_threshold_to_the_undated_blend(fresh_conn):
    np = pytest.importorskip("numpy")
    rowid = stored(fresh_conn)
    vector = np.ones(4, dtype="<f4") / 2  # unit length; the same cosine, 1, for both
    fresh_conn.executemany(
        "INSERT INTO factcheck_vectors (factcheck_id, model, vector) VALUES (?, ?, ?)",
        [(name, matching.semantic.MODEL, vector.tobytes()) for name in ("old", "new")],
    )
    found = matching._Query("", set(), [(rowid["old"], -20.0), (rowid["new"], -10.0)], date(2023, 5, 1))
    scored = matching._factchecks(fresh_conn, found, 5, 0.0, vector)
    assert [r for r, _ in scored] == [rowid["new"], rowid["old"]]
    assert scored[0][1] == 1.0  # the blend x the boost, at most 1
    undated_new = matching.semantic.BLEND + (1 - matching.semantic.BLEND) * 0.5
    assert [r for r, _ in matching._factchecks(fresh_conn, found, 5, undated_new + 0.01, vector)] == [rowid["old"]]


@pytest.fixture
def imported(tmp_path):
    db = tmp_path / "m.db"
    records = tmp_path / "fc.jsonl"
    records.write_text("".join(json.dumps(record) + "\n" for record in (OLD, NEW, *FILLER)))
    assert run("import-factchecks", str(db), str(records)).exit_code == 0
    return db


def firsts(output: str) -> dict[str, str]:
    return {line["id"]: line["matches"][0]["factcheck_id"] for line in map(json.loads, output.splitlines())}


def test_match_reads_a_posts_signature_and_a_records_date(imported, tmp_path):
    posts = run("match", str(imported), "--json", "--lexical", CLAIM, CLAIM + " — Jane (@jane) May 1, 2023")
    assert firsts(posts.stdout) == {"1": "old", "2": "new"}
    queries = tmp_path / "q.jsonl"
    lines = [
        {"id": "dated", "text": CLAIM, "date": "2023-05-01"},
        {"id": "bad", "text": CLAIM, "date": "2023-02-30"},
        {"id": "undated", "text": CLAIM},
    ]
    queries.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run("match", str(imported), "--input", str(queries), "--json", "--lexical")
    assert firsts(result.stdout) == {"dated": "new", "undated": "old"}
    assert result.stderr == f"error: {queries} line 2 (id bad): date '2023-02-30' is not a date (YYYY-MM-DD)\n"
    assert result.exit_code == 1


def test_match_reads_a_csv_date_column(imported, tmp_path):
    queries = tmp_path / "q.csv"
    queries.write_text(f"id,text,date\na,{CLAIM},2023-05-01\nb,{CLAIM},\nc,{CLAIM},May 1\n")
    result = run("match", str(imported), "--input", str(queries), "--json", "--lexical")
    assert firsts(result.stdout) == {"a": "new", "b": "old"}
    assert result.stderr == f"error: {queries} line 4 (id c): date 'May 1' is not a date (YYYY-MM-DD)\n"
    assert result.exit_code == 1


def test_the_loads_pass_and_refresh_use_the_articles_published_date(imported, tmp_path, monkeypatch):
    monkeypatch.setattr(matching, "uses_second_stage", lambda conn: False)  # the lexical stage's order
    articles = tmp_path / "articles.jsonl"
    body = "Officials said a zeppelin flew over Ohio on Tuesday night. The mayor wants 40 million dollars for roads."
    records = [{"id": "dated", "published": "2023-05-01", "body": body}, {"id": "undated", "body": body}]
    articles.write_text("".join(json.dumps(record) + "\n" for record in records))
    assert run("load", str(imported), str(articles)).exit_code == 0
    conn = sqlite3.connect(imported)
    sql = (
        "SELECT c.article_id, m.factcheck_id FROM claim_matches m JOIN claims c ON c.id = m.claim_id "
        "WHERE m.rank = 1 AND c.text LIKE '%zeppelin%'"
    )
    assert dict(conn.execute(sql)) == {"dated": "new", "undated": "old"}
    conn.execute("DELETE FROM claim_matches")
    conn.commit()
    assert run("match", str(imported), "--refresh").exit_code == 0
    assert dict(conn.execute(sql)) == {"dated": "new", "undated": "old"}
