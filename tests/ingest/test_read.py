"""Tests for the ingest layer: files -> clean Article records or one-line LoadProblems."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import pytest

from datasette_factcheck.ingest import read as ingest
from datasette_factcheck.ingest.read import clean_text, discover, read_articles
from datasette_factcheck.records import Article, LoadProblem
from support.helpers import ROOT

SEED_A = ROOT / "seeds" / "000_c0d474dec84a8582.txt"
SEED_B = ROOT / "seeds" / "003_7c462d476a23d359.txt"
# The reference list lives in ../shared/eval/seed_claims.json; a copy keeps the test self-contained.
BOILERPLATE = ["ARTICLE AD BOX", "Read more", "pic.twitter.com", "@DannyWittenberg"]
TWEET = (
    "Talking to us in Kyiv today, the defence secretary John Healey said he would do everything "
    'possible for Ukraine but keep the details of his plans "unavailable" to President Putin.'
)


def read(path: Path) -> list[Article | LoadProblem]:
    results = list(read_articles(path))
    for result in results:
        if isinstance(result, LoadProblem):
            assert_one_line_reason(result.reason)
    return results


def assert_one_line_reason(reason: str) -> None:
    assert reason and "\n" not in reason
    assert reason[0] == reason[0].lower(), reason
    assert not reason.endswith("."), reason
    assert "Error" not in reason and "Traceback" not in reason, reason


def articles(results: list) -> list[Article]:
    return [result for result in results if isinstance(result, Article)]


def problems(results: list) -> list[tuple[str, str]]:
    return [(p.source, p.reason) for p in results if isinstance(p, LoadProblem)]


def assert_clean_paragraphs(body: str) -> None:
    assert body == body.strip()
    assert "\n\n\n" not in body
    assert "\n" not in body.replace("\n\n", "")
    for paragraph in body.split("\n\n"):
        assert paragraph == " ".join(paragraph.split())


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


# --- the seeds ------------------------------------------------------------------------------


def test_seed_000_header_fields_and_no_title():
    [article] = read(SEED_A)
    assert article.id == "000_c0d474dec84a8582"
    assert article.source == str(SEED_A)
    assert (article.published, article.author, article.outlet) == ("2024-12-20", "Dave DeCamp", "AntiWar.com")
    assert article.title is None
    assert article.body.startswith("British Defense Minister John Healey has suggested")
    assert_clean_paragraphs(article.body)


def test_seed_000_tweet_kept_and_reported_as_social_span():
    [article] = read(SEED_A)
    assert TWEET in article.body
    assert [article.body[start:end] for start, end in article.social_spans] == [TWEET]
    assert "Daniel Wittenberg" not in article.body
    assert "December 18, 2024" not in article.body
    assert "\n\nThe Discord leaks revealed" in article.body


def test_seed_003_title_and_no_metadata():
    [article] = read(SEED_B)
    assert article.id == "003_7c462d476a23d359"
    assert article.title == (
        "Defense Secretary John Healey told the British daily he’s not ruling out sending instructors "
        "to train Kiev’s forces"
    )
    assert (article.published, article.author, article.outlet) == (None, None, None)
    assert article.body.startswith("British Defense Secretary John Healey has suggested")
    assert article.social_spans == []
    assert_clean_paragraphs(article.body)


def test_seed_003_single_newlines_become_paragraphs_and_read_more_is_cut():
    [article] = read(SEED_B)
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 11
    assert any(p.startswith("According to the BBC, citing unnamed sources") for p in paragraphs)


@pytest.mark.parametrize("seed", [SEED_A, SEED_B])
def test_seed_has_no_boilerplate(seed):
    [article] = read(seed)
    for junk in BOILERPLATE:
        assert junk not in article.body
        assert junk not in (article.title or "")


def test_seed_quotes_untouched():
    [article] = read(SEED_B)
    assert "“Russia is failing to win,”" in article.body
    assert "Kiev’s" in article.body


# --- clean_text -----------------------------------------------------------------------------


def test_clean_text_debris_lines_any_case():
    body, spans = clean_text("  article ad box  \nFirst line.\n\tARTICLE AD BOX\nSecond line.\nRead more\n")
    assert body == "First line.\n\nSecond line."
    assert spans == []


def test_clean_text_read_more_glued_mid_line():
    body, _ = clean_text("The war goes on.Read moreThe minister said so.")
    assert body == "The war goes on. The minister said so."


def test_clean_text_read_more_colon_before_a_link_title_is_dropped():
    body, _ = clean_text("One.\n\nREAD MORE: Ukraine war latest: what we know\n\nTwo.")
    assert body == "One.\n\nTwo."


def test_clean_text_read_more_colon_before_a_sentence_keeps_the_sentence():
    body, _ = clean_text("One.\nRead more: The minister said troops would go.\nTwo.")
    assert body == "One.\n\nThe minister said troops would go.\n\nTwo."


def test_clean_text_keeps_prose_starting_with_read_more():
    body, _ = clean_text("Read more books, the minister urged.")
    assert body == "Read more books, the minister urged."


def test_clean_text_blank_line_paragraphs_join_wrapped_lines():
    body, _ = clean_text("First para\nwrapped here.\r\n\r\n\r\nSecond\u00a0para   with  spaces.\n")
    assert body == "First para wrapped here.\n\nSecond para with spaces."


def test_clean_text_tweet_credit_with_hyphen_and_no_date():
    raw = "Intro paragraph.\n\nWe will not back down. pic.twitter.com/AbC123 - Some Person (@someone)\n\nAfter."
    body, spans = clean_text(raw)
    assert body == "Intro paragraph.\n\nWe will not back down.\n\nAfter."
    assert [body[s:e] for s, e in spans] == ["We will not back down."]


def test_clean_text_tweet_with_t_co_link_and_credit_glued_to_next_text():
    raw = "Big news today https://t.co/xYz — Name (@handle) Dec 18, 2024 The story goes on."
    body, spans = clean_text(raw)
    assert body == "Big news today\n\nThe story goes on."
    assert [body[s:e] for s, e in spans] == ["Big news today"]


def test_clean_text_credit_on_its_own_line_marks_the_paragraph_above():
    raw = "Before.\nThe tweet text here pic.twitter.com/abc\n— Name (@handle) 18 December 2024\nAfter."
    body, spans = clean_text(raw)
    assert body == "Before.\n\nThe tweet text here\n\nAfter."
    assert [body[s:e] for s, e in spans] == ["The tweet text here"]


def test_clean_text_t_co_link_inside_a_sentence_is_dropped_without_a_span():
    body, spans = clean_text("He wrote https://t.co/AbC that troops would go, and more.")
    assert (body, spans) == ("He wrote that troops would go, and more.", [])


def test_clean_text_two_tweets_in_one_paragraph():
    raw = "First tweet. pic.twitter.com/a — A (@a) December 1, 2024 Second. pic.twitter.com/b — B (@b) Dec 2, 2024"
    body, spans = clean_text(raw)
    assert body == "First tweet.\n\nSecond."
    assert [body[s:e] for s, e in spans] == ["First tweet.", "Second."]


def test_clean_text_other_newlines():
    assert clean_text("One.\rTwo.\u2028Three.\u2029Four.")[0] == "One.\n\nTwo.\n\nThree.\n\nFour."


@pytest.mark.parametrize(
    "raw",
    [
        "- " * 20000 + "(@x) December 1, 2024",
        "pic.twitter.com/x" + " —" * 20000,
        "Read more" + " " * 100000 + "x",
        "\n \n" * 50000 + "x",
        "https://t.co/a " * 20000,
    ],
)
def test_clean_text_pathological_inputs_stay_fast(raw):
    start = time.perf_counter()
    clean_text(raw)
    assert time.perf_counter() - start < 1.0


def test_clean_text_plain_mention_is_not_a_credit():
    body, spans = clean_text("Follow the minister (@minister) for updates.")
    assert body == "Follow the minister (@minister) for updates."
    assert spans == []


# --- text files: header and title -----------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        ("date 2024-12-20", ("2024-12-20", None, None)),
        ("Date: 2024-12-20 via AntiWar.com", ("2024-12-20", None, "AntiWar.com")),
        ("date 2024-13-45 By Jane Doe", (None, "Jane Doe", None)),  # a header, but no real date
        ("date 2024-12-20T10:00:00Z Authored by Jane Doe", ("2024-12-20", "Jane Doe", None)),
        ("Authored by Jane Doe", (None, "Jane Doe", None)),
        ("By Jane Doe and John van Dam via Reuters.", (None, "Jane Doe and John van Dam", "Reuters")),
        ("  DATE 2024-01-05   By A. B. Smith, via The Outlet;  ", ("2024-01-05", "A. B. Smith", "The Outlet")),
    ],
)
def test_header_variants(tmp_path, header, expected):
    path = write(tmp_path, "a.txt", f"{header}\n\nThe minister spoke on Tuesday.\n")
    [article] = read(path)
    assert (article.published, article.author, article.outlet) == expected
    assert article.body == "The minister spoke on Tuesday."


@pytest.mark.parametrize(
    "first_line",
    [
        "By the end of the year the troops had left.",
        "By Christmas the troops will be home and the war over",
        "By Jane Doe. She reported from Kyiv for many years",
        "By " + "Name " * 60,
    ],
)
def test_not_a_header(tmp_path, first_line):
    path = write(tmp_path, "a.txt", f"{first_line}\n\nThe minister spoke on Tuesday.\n")
    [article] = read(path)
    assert article.author is None and article.published is None
    assert " ".join(first_line.split()) in (article.title or "") + article.body


def test_header_then_headline_then_body(tmp_path):
    path = write(tmp_path, "a.txt", "ARTICLE AD BOX\nBy Jane Doe via Reuters\nTroops head east\nThey left on Monday.\n")
    [article] = read(path)
    assert (article.author, article.outlet, article.title) == ("Jane Doe", "Reuters", "Troops head east")
    assert article.body == "They left on Monday."


@pytest.mark.parametrize(
    "text",
    [
        "Did the troops head east?\nThey left on Monday.",  # question
        "“The troops head east.”\nThey left on Monday.",  # closing quote after a full stop
        "The first line of a paragraph that\nwraps onto a second one.\n\nSecond paragraph.",
        "Two words\nThey left on Monday.",  # too short
        "A headline with nothing after it",
    ],
)
def test_no_title(tmp_path, text):
    [article] = read(write(tmp_path, "a.txt", text))
    assert article.title is None


# --- text files: problems -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b" \n\n\t \r\n", "empty file"),
        (b"Hello\x00world", "binary file, not text"),
        (b"Caf\xe9 society.", "not UTF-8 text (byte 0xe9 at offset 3); save it as UTF-8"),
        (b"\xef\xbb\xbfCaf\xe9", "not UTF-8 text (byte 0xe9 at offset 6); save it as UTF-8"),
        ("Text.".encode("utf-16"), "not UTF-8 text (it is UTF-16); save it as UTF-8"),
        (b"ARTICLE AD BOX\nRead more\n", "no article text left after removing the header and scraper debris"),
    ],
)
def test_text_file_problems(tmp_path, content, reason):
    path = write(tmp_path, "bad.txt", content)
    assert problems(read(path)) == [(str(path), reason)]
    assert articles(read(path)) == []


def test_text_file_with_bom_and_crlf(tmp_path):
    path = write(tmp_path, "a.txt", "\ufeffdate 2024-12-20\r\n\r\nOne.\r\n\r\nTwo.\r\n".encode())
    [article] = read(path)
    assert (article.published, article.body) == ("2024-12-20", "One.\n\nTwo.")


def test_text_file_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ARTICLE_CHARS", 1_000_000)
    path = write(tmp_path, "big.txt", "word " * 240_000)  # 1.2 million characters
    assert problems(read(path)) == [(str(path), "article is 1.2 MB, over the 5 MB limit for one article; split it")]
    huge = write(tmp_path, "huge.txt", b"x" * 4_500_000)  # refused on size alone, never decoded
    assert problems(read(huge))[0][1].startswith("article is 4.5 MB")


# --- JSONL ----------------------------------------------------------------------------------


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_jsonl_happy_path(tmp_path):
    path = write(
        tmp_path,
        "feed.jsonl",
        jsonl(
            {
                "id": " a1 ",
                "title": " Troops\nhead east ",
                "outlet": "Reuters",
                "author": "Jane Doe",
                "published": "2024-12-20T10:00:00Z",
                "url": "https://example.com/a1",
                "body": "ARTICLE AD BOX\nOne.\nTwo.",
                "extra": [1, 2],
            },
            "",
            {"id": 7, "body": "Seven.", "published": "20 December 2024"},
            {"body": "No id.", "published": "Dec 20, 2024"},
        ),
    )
    results = read(path)
    assert problems(results) == []
    first, second, third = results
    assert (first.id, first.title, first.outlet, first.author, first.url) == (
        "a1",
        "Troops head east",
        "Reuters",
        "Jane Doe",
        "https://example.com/a1",
    )
    assert (first.published, first.body, first.source) == ("2024-12-20", "One.\n\nTwo.", f"{path}:1")
    assert (second.id, second.published, second.source) == ("7", "2024-12-20", f"{path}:3")
    assert (third.id, third.published, third.title) == ("feed-4", "2024-12-20", None)


@pytest.mark.parametrize(
    "published, expected",
    [
        ("2024-12-20", "2024-12-20"),
        ("2024-12-20 10:00:00+02:00", "2024-12-20"),
        ("Friday, 20th December 2024", "2024-12-20"),
        ("Dec. 20, 2024", "2024-12-20"),
        ("December 20 2024", "2024-12-20"),
        ("Fri, 20 Dec 2024 10:00:00 GMT", "2024-12-20"),
        ("2024-13-45", None),
        ("last Tuesday", None),
        (20241220, None),
    ],
)
def test_jsonl_published_forms(tmp_path, published, expected):
    path = write(tmp_path, "f.jsonl", jsonl({"body": "Text.", "published": published}))
    [article] = read(path)
    assert article.published == expected


def test_jsonl_social_spans_come_from_clean_text(tmp_path):
    body = "Intro.\n\nWe stand firm. pic.twitter.com/x1 — A Name (@aname) December 1, 2024"
    [article] = read(write(tmp_path, "f.jsonl", jsonl({"body": body})))
    assert [article.body[s:e] for s, e in article.social_spans] == ["We stand firm."]


def test_jsonl_bad_records_are_reported_and_the_rest_loads(tmp_path):
    path = write(
        tmp_path,
        "f.jsonl",
        jsonl(
            {"id": "a", "body": "First."},
            '{"id": "b", "body": "broken"',
            "[1, 2]",
            {"id": "c", "body": "   "},
            {"id": "a", "body": "Again."},
            {"id": "d", "body": 12},
            {"id": "e", "title": "No body"},
            {"id": ["x"], "body": "Bad id."},
            {"id": "f", "body": None},
            {"id": "g", "body": "Good."},
        )
        + '{"id": "h", "bo',
    )
    results = read(path)
    assert [a.id for a in articles(results)] == ["a", "g"]
    assert problems(results) == [
        (f"{path}:2", "not valid JSON (expecting ',' delimiter at column 29)"),
        (f"{path}:3", "not a JSON object (got an array)"),
        (f"{path}:4", "empty body"),
        (f"{path}:5", "duplicate id 'a' (first at line 1); skipped"),
        (f"{path}:6", "body is a number, not text"),
        (f"{path}:7", "no body field"),
        (f"{path}:8", "id is an array; use text or a whole number"),
        (f"{path}:9", "empty body"),
        (f"{path}:11", "not valid JSON (unterminated string starting at column 13)"),
    ]


def test_jsonl_not_utf8_line_past_the_checked_head_is_one_record_problem(tmp_path):
    good = b'{"body": "Good."}\n'
    filler = good * (ingest.HEAD_BYTES // len(good) + 1)
    lines = len(filler.splitlines())
    path = write(tmp_path, "f.jsonl", filler + b'{"body": "Caf\xe9."}\n{"id": "last", "body": "Also good."}\n')
    results = read(path)
    assert len(articles(results)) == lines + 1 and articles(results)[-1].id == "last"
    offset = len(filler) + len(b'{"body": "Caf')
    assert problems(results) == [
        (f"{path}:{lines + 1}", f"not UTF-8 text (byte 0xe9 at offset {offset}); save it as UTF-8")
    ]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"\n\n   \n", "empty file"),
        (b'{"body": "x\x00"}\n', "binary file, not text"),
        (b'{"body": "Caf\xe9"}\n', "not UTF-8 text (byte 0xe9 at offset 13); save it as UTF-8"),
    ],
)
def test_jsonl_whole_file_problems(tmp_path, content, reason):
    path = write(tmp_path, "f.jsonl", content)
    assert read(path) == [LoadProblem(str(path), reason)]


def test_jsonl_bom_is_accepted(tmp_path):
    path = write(tmp_path, "f.jsonl", b'\xef\xbb\xbf{"id": "x", "body": "Text."}\n')
    assert [a.id for a in articles(read(path))] == ["x"]


def test_jsonl_size_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ARTICLE_CHARS", 1000)
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 6000)
    path = write(
        tmp_path,
        "f.jsonl",
        jsonl({"body": "x" * 1500}, {"body": "y" * 250_000}, {"id": "ok", "body": "Small."}),
    )
    results = read(path)
    assert [a.id for a in articles(results)] == ["ok"]
    assert problems(results) == [
        (f"{path}:1", "article is 0.1 MB, over the 5 MB limit for one article; split it"),
        (f"{path}:2", "article is 0.3 MB, over the 5 MB limit for one article; split it"),
    ]


# --- CSV ------------------------------------------------------------------------------------


def write_csv(tmp_path: Path, rows: list[list[str]], name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_csv_happy_path_with_commas_quotes_and_newlines(tmp_path):
    body = 'He said, "we will go".\r\nSecond paragraph, with commas.'
    path = write_csv(
        tmp_path,
        [
            [" ID ", "Title", "BODY", "Published", "other"],
            ["a", "A title", body, "2024-12-20", "ignored"],
            ["", "", "No id here.", "", ""],
            [],
            ["b", "", "Last.", "junk date", ""],
        ],
    )
    results = read(path)
    assert problems(results) == []
    first, second, third = results
    assert (first.id, first.title, first.published, first.source) == ("a", "A title", "2024-12-20", f"{path}:2")
    assert first.body == 'He said, "we will go".\n\nSecond paragraph, with commas.'
    assert (second.id, second.source, second.title) == ("sheet-4", f"{path}:4", None)
    assert (third.id, third.source, third.published) == ("b", f"{path}:6", None)


def test_csv_without_body_column(tmp_path):
    path = write_csv(tmp_path, [["id", "text", "title"], ["1", "Body text.", "T"]])
    assert read(path) == [
        LoadProblem(
            str(path), "no body column (columns: id, text, title); the CSV needs a header row with a body column"
        )
    ]


def test_csv_bad_rows_are_reported_and_the_rest_loads(tmp_path):
    path = write_csv(
        tmp_path,
        [["id", "body"], ["a", "First."], ["b", "  "], ["a", "Again."], ["c", "ARTICLE AD BOX"], ["d", "Good."]],
    )
    results = read(path)
    assert [a.id for a in articles(results)] == ["a", "d"]
    assert problems(results) == [
        (f"{path}:3", "empty body"),
        (f"{path}:4", "duplicate id 'a' (first at line 2); skipped"),
        (f"{path}:5", "empty body"),
    ]


def test_csv_short_row_has_an_empty_body(tmp_path):
    path = write(tmp_path, "s.csv", "id,title,body\nx,Only a title\ny,T,Text.\n")
    results = read(path)
    assert problems(results) == [(f"{path}:2", "empty body")]
    assert [a.id for a in articles(results)] == ["y"]


def test_csv_not_utf8_in_the_head_refuses_the_whole_file(tmp_path):
    path = write(tmp_path, "s.csv", b"id,body\na,Good.\nb,Caf\xe9.\n")
    assert read(path) == [LoadProblem(str(path), "not UTF-8 text (byte 0xe9 at offset 21); save it as UTF-8")]


def test_csv_not_utf8_later_stops_the_file_naming_the_line(tmp_path):
    filler = b"".join(b"r%d,Good.\n" % n for n in range(ingest.HEAD_BYTES // 8))
    path = write(tmp_path, "s.csv", b"id,body\n" + filler + b"b,Caf\xe9.\nc,Never read.\n")
    results = read(path)
    loaded = articles(results)
    assert len(loaded) == ingest.HEAD_BYTES // 8 and loaded[-1].id != "c"
    line = ingest.HEAD_BYTES // 8 + 2
    offset = len(b"id,body\n" + filler + b"b,Caf")
    assert problems(results) == [
        (
            f"{path}:{line}",
            f"not UTF-8 text (byte 0xe9 at offset {offset}); save it as UTF-8; the rest of the file was not read",
        )
    ]


def test_csv_field_over_the_csv_limit_is_a_problem_naming_the_line(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 100)
    previous = csv.field_size_limit(1000)
    try:
        long_body = "\n".join(["a line of text"] * 100)  # short lines, one long quoted field
        path = write_csv(tmp_path, [["id", "body"], ["a", "Fine."], ["b", long_body]])
        results = read(path)
    finally:
        csv.field_size_limit(previous)
    assert [a.id for a in articles(results)] == ["a"]
    [(source, reason)] = problems(results)
    assert source == f"{path}:3"
    assert reason.startswith("a field is over") and reason.endswith("the rest of the file was not read")


def test_csv_line_over_the_line_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 100)
    path = write(tmp_path, "s.csv", "id,body\na,Fine.\nb," + "x" * 500 + "\n")
    results = read(path)
    assert [a.id for a in articles(results)] == ["a"]
    assert problems(results) == [
        (
            f"{path}:3",
            "article is 0.1 MB, over the 5 MB limit for one article; split it; the rest of the file was not read",
        )
    ]


@pytest.mark.parametrize("content", [b"", b"\n \n", b"\r\n,,\r\n"])
def test_csv_empty(tmp_path, content):
    path = write(tmp_path, "s.csv", content)
    assert read(path) == [LoadProblem(str(path), "empty file")]


# --- discover and dispatch ------------------------------------------------------------------


def test_discover_folders_recursively_sorted_skipping_hidden(tmp_path):
    for name in [
        "b.txt",
        "a.jsonl",
        "sub/c.csv",
        "sub/deeper/d.TXT",
        "notes.md",
        ".hidden.txt",
        ".git/x.txt",
        "sub/.cache/y.jsonl",
    ]:
        write(tmp_path, name, "x")
    files, found_problems = discover([tmp_path])
    assert found_problems == []
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.jsonl", "b.txt", "sub/c.csv", "sub/deeper/d.TXT"]


def test_discover_problems_and_explicit_files(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    write(tmp_path, "other/readme.md", "x")
    article = write(tmp_path, ".draft.txt", "x")
    wrong = write(tmp_path, "data.json", "{}")
    missing = tmp_path / "missing.txt"
    files, found = discover([missing, tmp_path / "empty", tmp_path / "other", wrong, str(article), article])
    assert files == [article]  # a hidden file named explicitly is read, and only once
    assert [(p.source, p.reason) for p in found] == [
        (str(missing), "no such file or folder"),
        (str(tmp_path / "empty"), "no .txt, .jsonl, .csv or .html articles in this folder"),
        (str(tmp_path / "other"), "no .txt, .jsonl, .csv or .html articles in this folder"),
        (str(wrong), "not a .txt, .jsonl, .csv or .html file"),
    ]


def test_discover_keeps_paths_as_given_and_dedupes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "in/a.txt", "x")
    files, found = discover(["in", "in/a.txt", ""])
    assert files == [Path("in/a.txt")]
    assert [(p.source, p.reason) for p in found] == [("", "no such file or folder")]


def test_discover_reports_a_folder_named_in_another_encoding_once_and_skips_it(tmp_path):
    write(tmp_path, "a.txt", "x")
    os.makedirs(os.fsencode(tmp_path) + b"/caf\xe9")
    with open(os.fsencode(tmp_path) + b"/caf\xe9/b.txt", "wb") as out:
        out.write(b"x")
    files, found = discover([tmp_path])
    assert files == [tmp_path / "a.txt"]
    assert [str(p) for p in found] == [
        f"{tmp_path}/caf\\xe9: folder name is not UTF-8 (byte 0xe9); rename it; its files were not read"
    ]


def test_read_articles_refuses_what_is_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "folder.csv").mkdir()
    assert read(tmp_path / "pipe.jsonl") == [
        LoadProblem(
            str(tmp_path / "pipe.jsonl"), "a named pipe (FIFO), not a regular file; only regular files are read"
        )
    ]
    assert read(tmp_path / "folder.csv") == [
        LoadProblem(str(tmp_path / "folder.csv"), "a folder, not a regular file; only regular files are read")
    ]


def test_read_articles_refuses_other_extensions(tmp_path):
    path = write(tmp_path, "a.json", "{}")
    assert read(path) == [LoadProblem(str(path), "not a .txt, .jsonl, .csv or .html file")]
