"""The exports: the review-sheet CSV and ClaimReview JSON-LD, over the web
and from ``datasette factcheck export``, which must write the same bytes.

Reviews are made with ``review.save_review`` on a plain sqlite3 connection (webtools.review_in_file),
as the web layer makes them, so the exported data is realistic.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from datasette.cli import cli

from datasette_factcheck.desk import claimreview, export
from datasette_factcheck.vocab import OPEN_STATUSES, STATUS_LABELS
from datasette_factcheck.web import exports as web_export
from support.helpers import ROOT, make_datasette, shipped_config
from support.webtools import ARTICLE_A, CLAIMREVIEW_URL, CSV_URL, ROOT_ACTOR, VERA, claim_id_like, read, review_in_file

CONFIG_PATH = ROOT / "datasette.yaml"
NOW = "2025-01-02T03:04:05+00:00"
NATO = "97 NATO special operations"
LEAKS = "Leaks have revealed that British soldiers"
HEALEY_TIMES = "During a visit to Ukraine, Healey told The Times"
UNATTRIBUTED = "Since the escalation of the Ukraine conflict"
ARTICLE_A_URL = "https://news.antiwar.com/2024/12/20/uk-troops"
NASTY_NOTE = 'Figure from the leak, not confirmed; "97" is\nthe leaked total, 50 of them British'


# --- helpers -------------------------------------------------------------------


def review(path: Path, fragment: str, **fields) -> str:
    """Save a review of the claim holding ``fragment`` as alice; its id."""
    cid = claim_id_like(path, fragment)
    review_in_file(path, cid, NOW, **fields)
    return cid


def count(path: Path, where: str = "1", params: tuple = ()) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM claims WHERE superseded_at IS NULL AND {where}", params).fetchone()[
            0
        ]
    finally:
        conn.close()


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


async def get_csv(ds: Datasette, query: str = "") -> tuple[list[str], list[dict]]:
    response = await read(ds, f"{CSV_URL}?{query}")
    assert response.status_code == 200, response.text[:300]
    return read_csv(response.content.decode("utf-8"))


def run_cli(*args) -> bytes:
    result = CliRunner().invoke(cli, ["factcheck", "export", *map(str, args)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def cli_failure(*args):
    result = CliRunner().invoke(cli, ["factcheck", "export", *map(str, args)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    return result


# --- the review sheet ------------------------------------------------------------


@pytest.mark.asyncio
async def test_sheet_header_and_a_reviewed_row_round_trip(db_path):
    cid = review(
        db_path,
        NATO,
        status="done",
        verdict="mostly_true",
        note=NASTY_NOTE,
        evidence=["https://example.org/leak, page 3", 'Pentagon "slides"'],
        assignee="bob",
    )
    ds = await make_datasette(db_path)
    response = await read(ds, f"{CSV_URL}?status=all")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    header, rows = read_csv(response.text)
    assert (
        header
        == list(export.SHEET_COLUMNS)
        == [
            "claim id",
            "claim",
            "claim page",
            "article title",
            "outlet",
            "url",
            "published",
            "kind",
            "sourcing",
            "claimant",
            "checkworthiness (0-100)",
            "status",
            "verdict",
            "note",
            "evidence",
            "assignee",
            "reviewed by",
            "reviewed at",
        ]
    )
    (row,) = [row for row in rows if row["claim id"] == cid]
    assert NATO in row["claim"] and row["claim"].startswith("The Discord leaks")
    assert row["note"] == NASTY_NOTE
    assert row["evidence"] == 'https://example.org/leak, page 3\nPentagon "slides"'
    # As the screen shows them: labels, and the score out of 100.
    assert (row["verdict"], row["status"], row["assignee"]) == ("Mostly true", "Done", "bob")
    (score,) = sqlite3.connect(db_path).execute("SELECT checkworthiness FROM claims WHERE id = ?", [cid]).fetchone()
    assert row["checkworthiness (0-100)"] == str(round(score * 100))
    # The claim's page on the desk, as a full URL a spreadsheet opens (the request's address here).
    assert row["claim page"] == f"http://localhost/factcheck/-/factcheck/claims/{cid}"
    assert (await read(ds, row["claim page"].removeprefix("http://localhost"))).status_code == 200
    assert (row["reviewed by"], row["reviewed at"]) == ("alice", NOW)
    assert (row["outlet"], row["published"], row["sourcing"], row["claimant"]) == (
        "AntiWar.com",
        "2024-12-20",
        "leak",
        "The Discord leaks",
    )


@pytest.mark.asyncio
async def test_default_is_the_queues_open_statuses_and_status_all_is_everything(db_path):
    done = review(db_path, NATO, status="done", verdict="false")
    ds = await make_datasette(db_path)
    _, default = await get_csv(ds)
    assert {row["status"] for row in default} <= {STATUS_LABELS[status] for status in OPEN_STATUSES}
    assert done not in {row["claim id"] for row in default}
    assert len(default) == count(db_path, "status IN ('unreviewed', 'in_progress')")
    _, everything = await get_csv(ds, "status=all")
    assert done in {row["claim id"] for row in everything}
    assert len(everything) == count(db_path)
    _, only_done = await get_csv(ds, "status=done")
    assert [row["claim id"] for row in only_done] == [done]


@pytest.mark.asyncio
async def test_filters_are_the_queues(db_path):
    ds = await make_datasette(db_path)
    _, leaks = await get_csv(ds, "sourcing=leak&status=all")
    assert leaks and {row["sourcing"] for row in leaks} == {"leak"}
    assert len(leaks) == count(db_path, "sourcing = 'leak'")
    _, two_kinds = await get_csv(ds, "kind=quote&kind=statistic")
    assert {row["kind"] for row in two_kinds} == {"quote", "statistic"}
    _, searched = await get_csv(ds, "q=Healey&outlet=AntiWar.com")
    assert searched and all("Healey" in row["claim"] and row["outlet"] == "AntiWar.com" for row in searched)


@pytest.mark.asyncio
async def test_sheet_is_sorted_like_the_queue(db_path):
    ds = await make_datasette(db_path)
    # The sheet is one row per claim: the queue listing every copy.
    queue_page = (await read(ds, "/factcheck/-/factcheck.json?status=all&_copies=1")).json()
    assert queue_page["next"] is None  # the seeds fit on one queue page
    _, rows = await get_csv(ds, "status=all")
    assert [row["claim id"] for row in rows] == [claim["id"] for claim in queue_page["claims"]]


@pytest.mark.asyncio
async def test_bom_and_download_filename(db_path, clock):
    ds = await make_datasette(db_path)
    plain = await read(ds, CSV_URL)
    assert plain.content.startswith(b"claim id,")
    with_bom = await read(ds, f"{CSV_URL}?bom=1")
    assert with_bom.content == b"\xef\xbb\xbf" + plain.content
    disposition = plain.headers["content-disposition"]
    assert disposition == f'attachment; filename="factcheck-review-sheet-{clock[:10]}.csv"'


def test_filename_is_safe_for_any_database_name():
    day = datetime(2025, 3, 4, tzinfo=timezone.utc)
    assert web_export.sheet_filename('my "news" db', day) == "my_news_db-review-sheet-2025-03-04.csv"


@pytest.mark.asyncio
@pytest.mark.parametrize("url", [CSV_URL, CLAIMREVIEW_URL])
@pytest.mark.parametrize(
    "query, name",
    [
        ("verdict=banana", "verdict"),
        ("status=closed", "status"),
        ("kind=rumour", "kind"),
        ("sourcing=gossip", "sourcing"),
    ],
)
async def test_a_bad_filter_is_a_400_naming_it(db_path, url, query, name):
    ds = await make_datasette(db_path)
    response = await read(ds, f"{url}?{query}")
    assert response.status_code == 400
    assert response.text.startswith(f"{name} must be one of ")
    assert "\n" not in response.text.strip()


@pytest.mark.asyncio
@pytest.mark.parametrize("url", [CSV_URL, CLAIMREVIEW_URL])
async def test_readers_only(db_path, url):
    config = {**shipped_config(), "allow": {"id": "root"}}
    ds = await make_datasette(db_path, config=config)
    assert (await read(ds, url)).status_code == 403
    response = await ds.client.get(url, cookies={"ds_actor": ds.client.actor_cookie(ROOT_ACTOR)})
    assert response.status_code == 200


@pytest.mark.asyncio
async def test_unknown_database_is_a_404(db_path):
    ds = await make_datasette(db_path)
    assert (await read(ds, "/nope/-/factcheck/export.csv")).status_code == 404


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "query, options",
    [
        ("", []),
        (
            "status=all&sourcing=leak&sourcing=anonymous",
            ["--status", "all", "--sourcing", "leak", "--sourcing", "anonymous"],
        ),
        (
            "status=done&status=unreviewed&verdict=mostly_true&verdict=none",
            ["--status", "done", "--status", "unreviewed", "--verdict", "mostly_true", "--verdict", "none"],
        ),
        ("q=Healey&bom=1", ["--q", "Healey", "--bom"]),
        (
            f"article={ARTICLE_A}&outlet=AntiWar.com&assignee=bob&status=all",
            ["--article", ARTICLE_A, "--outlet", "AntiWar.com", "--assignee", "bob", "--status", "all"],
        ),
    ],
)
async def test_cli_csv_is_byte_identical_to_the_web(db_path, tmp_path, query, options):
    review(
        db_path,
        NATO,
        status="done",
        verdict="mostly_true",
        note=NASTY_NOTE,
        assignee="bob",
        evidence=["https://example.org/a,b"],
    )
    review(db_path, LEAKS, status="in_progress", note="Ünïcödé — “curly” quotes")
    ds = await make_datasette(db_path)
    web = (await read(ds, f"{CSV_URL}?{query}")).content
    assert run_cli(db_path, *options, "--base-url", "http://localhost/") == web
    run_cli(db_path, *options, "--base-url", "http://localhost", "-o", tmp_path / "sheet.csv")
    assert (tmp_path / "sheet.csv").read_bytes() == web


@pytest.mark.asyncio
async def test_claim_pages_follow_the_database_name_in_the_cli_and_the_web(db_path, tmp_path):
    desk = tmp_path / "desk.db"
    shutil.copy(db_path, desk)
    ds = await make_datasette(desk)
    web = (await read(ds, "/desk/-/factcheck/export.csv?status=all")).content
    assert run_cli(desk, "--status", "all", "--base-url", "http://localhost") == web
    _, rows = read_csv(web.decode("utf-8"))
    assert {row["claim page"] for row in rows} == {
        f"http://localhost/desk/-/factcheck/claims/{row['claim id']}" for row in rows
    }
    # Without an address the CLI writes the path alone; a bad address is refused in one line.
    _, paths = read_csv(run_cli(desk, "--status", "all").decode("utf-8"))
    assert {row["claim page"] for row in paths} == {f"/desk/-/factcheck/claims/{row['claim id']}" for row in rows}
    assert "base_url must be an http(s) address" in cli_failure(desk, "--base-url", "javascript:alert(1)").output


@pytest.mark.asyncio
async def test_the_sheet_links_claim_pages_at_the_configured_address(db_path, clock):
    config = shipped_config()
    config["plugins"]["datasette-factcheck"]["base_url"] = "https://desk.example.org/news/"
    ds = await make_datasette(db_path, config=config)
    response = await read(ds, f"{CSV_URL}?status=all")
    _, rows = read_csv(response.text)
    assert rows and {row["claim page"] for row in rows} == {
        f"https://desk.example.org/news/factcheck/-/factcheck/claims/{row['claim id']}" for row in rows
    }
    # Named after the database and the day (the suite's frozen clock).
    day = clock[:10]
    assert response.headers["content-disposition"] == f'attachment; filename="factcheck-review-sheet-{day}.csv"'


# --- streaming a large export --------------------------------------------------------

LARGE = 6_600  # claims added: even a third of them is over a page


@pytest.fixture(scope="module")
def large_db_path(tmp_path_factory, seeded_db_path) -> Path:
    """The seeds plus LARGE generated claims whose scores tie often (so the
    keyset's id tie-break is exercised), with notes that need quoting."""
    path = tmp_path_factory.mktemp("large") / "factcheck.db"
    shutil.copy(seeded_db_path, path)
    statuses = ("unreviewed", "unreviewed", "in_progress", "needs_second_review", "not_checkable")
    rows = [
        (
            f"gen{i:05d}",
            ARTICLE_A,
            1000 + i,
            f"Generated claim {i}, with 3 figures.",
            "statistic",
            ("leak", "named_person", "anonymous")[i % 3],
            round((i * 37 % 101) / 100, 2),
            statuses[i % 5],
            f'note {i}, "quoted"\nline 2' if i % 7 == 0 else None,
        )
        for i in range(LARGE)
    ]
    conn = sqlite3.connect(path)
    conn.executemany(
        """INSERT INTO claims (id, article_id, position, text, kind, sourcing, checkworthiness, status, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    conn.commit()
    conn.close()
    return path


@pytest.mark.asyncio
async def test_a_large_export_has_every_row_in_order(large_db_path, monkeypatch):
    pages = []
    read = export.SheetExport.read
    monkeypatch.setattr(
        export.SheetExport, "read", lambda self, conn, query: pages.append(query) or read(self, conn, query)
    )
    ds = await make_datasette(large_db_path)
    _, rows = await get_csv(ds, "status=all")
    total = count(large_db_path)
    assert export.PAGE_SIZE < total
    assert len(pages) == math.ceil(total / export.PAGE_SIZE) and len(pages) >= 3
    assert len(rows) == total == len({row["claim id"] for row in rows})
    conn = sqlite3.connect(large_db_path)
    expected = [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY checkworthiness DESC, id")]
    assert [row["claim id"] for row in rows] == expected
    note = conn.execute("SELECT note FROM claims WHERE id = 'gen00007'").fetchone()[0]
    assert next(row["note"] for row in rows if row["claim id"] == "gen00007") == note


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "query, where",
    [
        ("", "status IN ('unreviewed', 'in_progress')"),
        ("sourcing=leak&status=all", "sourcing = 'leak'"),
        ("status=not_checkable&status=in_progress", "status IN ('not_checkable', 'in_progress')"),
    ],
)
async def test_a_large_filtered_export_has_every_matching_row(large_db_path, query, where):
    ds = await make_datasette(large_db_path)
    _, rows = await get_csv(ds, query)
    assert len(rows) == count(large_db_path, where) > export.PAGE_SIZE


@pytest.mark.asyncio
async def test_the_sheet_is_sent_in_several_chunks(large_db_path):
    """Streamed: the body leaves in one message per page, not as one string."""
    ds = await make_datasette(large_db_path)
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": CSV_URL,
        "raw_path": CSV_URL.encode(),
        "query_string": b"status=all",
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"cookie", f"ds_actor={ds.client.actor_cookie(VERA)}".encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("localhost", 80),
    }
    await ds.app()(scope, receive, send)
    bodies = [m for m in messages if m["type"] == "http.response.body" and m.get("body")]
    assert messages[0]["status"] == 200
    assert len(bodies) >= math.ceil(count(large_db_path) / export.PAGE_SIZE)


@pytest.mark.asyncio
async def test_cli_matches_the_web_on_a_large_export(large_db_path):
    ds = await make_datasette(large_db_path)
    web = (await read(ds, f"{CSV_URL}?status=all")).content
    assert run_cli(large_db_path, "--status", "all", "--base-url", "http://localhost") == web


@pytest.mark.asyncio
async def test_the_download_reads_on_a_connection_of_its_own_and_leaves_datasettes_as_they_were(db_path, monkeypatch):
    """Pages are read through a mapped connection of the download's own; Datasette's
    read connections keep their settings, and a database without a file of its own
    is read on them, to the same bytes."""
    mapped = []

    def map_for_export(conn: sqlite3.Connection) -> None:
        export.map_for_export(conn)
        mapped.append((conn.execute("PRAGMA mmap_size").fetchone()[0], export.database_name(conn)))

    monkeypatch.setattr(web_export, "map_for_export", map_for_export)
    ds = await make_datasette(db_path)
    own = (await read(ds, f"{CSV_URL}?status=all")).content
    assert mapped == [(export.EXPORT_MMAP_BYTES, "factcheck")]  # one connection for the whole download

    def settings(conn: sqlite3.Connection) -> tuple:
        return conn.execute("PRAGMA mmap_size").fetchone()[0], conn.text_factory, conn.row_factory

    mmap_size, text_factory, row_factory = await ds.get_database("factcheck").execute_fn(settings)
    assert mmap_size == 0 and text_factory is not str and row_factory is sqlite3.Row
    monkeypatch.setattr(web_export, "_file_uri", lambda db: None)
    assert (await read(ds, f"{CSV_URL}?status=all")).content == own
    assert len(mapped) == 1


@pytest.mark.asyncio
async def test_text_that_is_not_utf8_downloads_as_datasette_reads_it(db_path):
    """Read at C speed, but a claim whose text is not UTF-8 still reads as Datasette's
    connections read it (what cannot be decoded replaced), not as an error."""
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE claims SET text = CAST(x'4e6f7420c328ff5554462d38' AS TEXT) WHERE id = ?",
        [claim_id_like(db_path, NATO)],
    )
    conn.commit()
    conn.close()
    ds = await make_datasette(db_path)
    _, rows = await get_csv(ds, "status=all")
    assert "Not \ufffd(\ufffdUTF-8" in {row["claim"] for row in rows}
    assert len(rows) == count(db_path)


# --- ClaimReview -------------------------------------------------------------------


@pytest.fixture
def claimreview_db_path(db_path) -> Path:
    """Four done claims of different kinds, one in progress, article A with a URL."""
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE articles SET url = ? WHERE id = ?", [ARTICLE_A_URL, ARTICLE_A])
    conn.commit()
    conn.close()
    review(db_path, NATO, status="done", verdict="false", note="internal: do not publish")
    review(db_path, LEAKS, status="done", verdict="unproven")
    review(db_path, HEALEY_TIMES, status="done", verdict="mostly_true")
    review(db_path, UNATTRIBUTED, status="done", verdict="misleading")
    review(db_path, "Le Monde reported", status="in_progress")
    return db_path


async def claimreviews(ds: Datasette, query: str = "") -> dict[str, dict]:
    response = await read(ds, f"{CLAIMREVIEW_URL}?{query}")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
    items = response.json()
    assert isinstance(items, list)
    return {item["url"].rsplit("/", 1)[-1]: item for item in items}


@pytest.mark.asyncio
async def test_claimreview_for_a_false_claim(claimreview_db_path):
    ds = await make_datasette(claimreview_db_path)
    cid = claim_id_like(claimreview_db_path, NATO)
    item = (await claimreviews(ds))[cid]
    assert item["@context"] == "https://schema.org" and item["@type"] == "ClaimReview"
    assert item["url"] == f"https://example.org/fact-checks/{cid}"
    assert NATO in item["claimReviewed"]
    assert item["datePublished"] == NOW[:10]
    assert item["author"] == {"@type": "Organization", "name": "Fact-check desk", "url": "https://example.org/"}
    assert item["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert item["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "The Discord leaks"},
        "datePublished": "2024-12-20",
        "appearance": {
            "@type": "CreativeWork",
            "url": ARTICLE_A_URL,
            "publisher": {"@type": "Organization", "name": "AntiWar.com"},
        },
    }
    assert "do not publish" not in json.dumps(item)  # notes are the desk's own


@pytest.mark.asyncio
async def test_claimreview_ratings_authors_and_unknown_parts(claimreview_db_path):
    ds = await make_datasette(claimreview_db_path)
    items = await claimreviews(ds)
    unproven = items[claim_id_like(claimreview_db_path, LEAKS)]
    assert unproven["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}
    mostly_true = items[claim_id_like(claimreview_db_path, HEALEY_TIMES)]
    assert mostly_true["reviewRating"]["ratingValue"] == 4
    assert mostly_true["reviewRating"]["alternateName"] == "Mostly true"
    assert mostly_true["itemReviewed"]["author"] == {"@type": "Person", "name": "John Healey"}
    no_claimant = items[claim_id_like(claimreview_db_path, UNATTRIBUTED)]
    assert "author" not in no_claimant["itemReviewed"]
    # Article B has a title but no url, outlet or date: only what is known is said.
    assert "datePublished" not in no_claimant["itemReviewed"]
    appearance = no_claimant["itemReviewed"]["appearance"]
    assert set(appearance) == {"@type", "headline"} and appearance["headline"].startswith("Defense Secretary")


@pytest.mark.asyncio
async def test_claimreview_has_only_done_claims_under_the_other_filters(claimreview_db_path):
    ds = await make_datasette(claimreview_db_path)
    done = {row["claim id"] for row in (await get_csv(ds, "status=done"))[1]}
    assert set(await claimreviews(ds)) == done and len(done) == 4
    assert set(await claimreviews(ds, "status=unreviewed")) == done  # status is always done
    leaks = await claimreviews(ds, "sourcing=leak")
    assert set(leaks) == {claim_id_like(claimreview_db_path, NATO), claim_id_like(claimreview_db_path, LEAKS)}
    assert await claimreviews(ds, "verdict=true") == {}


@pytest.mark.asyncio
async def test_claimreview_without_review_url_points_at_the_claim_page(claimreview_db_path):
    config = shipped_config()
    del config["plugins"]["datasette-factcheck"]["review_url"]
    ds = await make_datasette(claimreview_db_path, config=config)
    cid = claim_id_like(claimreview_db_path, NATO)
    item = (await claimreviews(ds))[cid]
    assert item["url"] == f"http://localhost/factcheck/-/factcheck/claims/{cid}"


@pytest.mark.asyncio
@pytest.mark.parametrize("query, options", [("", []), ("sourcing=leak", ["--sourcing", "leak"])])
async def test_cli_claimreview_is_byte_identical_to_the_web(claimreview_db_path, query, options):
    ds = await make_datasette(claimreview_db_path)
    web = (await read(ds, f"{CLAIMREVIEW_URL}?{query}")).content
    assert run_cli(claimreview_db_path, "--format", "claimreview", "-c", CONFIG_PATH, *options) == web
    flags = [
        "--organisation",
        "Fact-check desk",
        "--organisation-url",
        "https://example.org/",
        "--review-url",
        "https://example.org/fact-checks/{id}",
    ]
    assert run_cli(claimreview_db_path, "--format", "claimreview", *flags, *options) == web


@pytest.mark.asyncio
async def test_claimreview_of_nothing_is_an_empty_array(db_path):
    ds = await make_datasette(db_path)
    response = await read(ds, CLAIMREVIEW_URL)
    assert response.json() == []


@pytest.mark.parametrize(
    "claimant, kind",
    [
        ("The Discord leaks", "Organization"),
        ("German military leak", "Organization"),
        ("BBC", "Organization"),
        ("The Times", "Organization"),
        ("Le Monde", "Organization"),
        ("Russia", "Organization"),
        ("UK Ministry of Defence", "Organization"),
        ("John Healey", "Person"),
        ("Emmanuel Macron", "Person"),
        ("Dmitry Peskov", "Person"),
    ],
)
def test_claimant_type(claimant, kind):
    assert claimreview.claimant_type(claimant) == kind


# --- the command line's errors ------------------------------------------------------


def test_cli_missing_database(tmp_path):
    result = cli_failure(tmp_path / "nope.db")
    assert result.exit_code == 1
    assert f"database {tmp_path / 'nope.db'} does not exist" in result.output
    assert not (tmp_path / "nope.db").exists()


def test_cli_database_without_claims(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    result = cli_failure(other)
    assert result.exit_code == 1 and "has no claims" in result.output


@pytest.mark.parametrize(
    "option, value",
    [
        ("--verdict", "banana"),
        ("--status", "closed"),
        ("--kind", "rumour"),
        ("--sourcing", "gossip"),
        ("--format", "xml"),
    ],
)
def test_cli_value_outside_a_vocabulary_is_a_usage_error(db_path, option, value):
    result = cli_failure(db_path, option, value)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output and value in result.output


def test_cli_lists_the_allowed_values(db_path):
    result = cli_failure(db_path, "--verdict", "banana")
    assert all(verdict in result.output for verdict in ("mostly_true", "unproven", "none"))


def test_cli_claimreview_needs_a_review_url(db_path):
    result = cli_failure(db_path, "--format", "claimreview")
    assert result.exit_code == 2 and "--review-url" in result.output


# --- the domain module on its own -----------------------------------------------------


def test_csv_chunk_quotes_what_needs_quoting():
    cells = ["a,b", 'say "hi"', "two\nlines", "plain", None, 0.5]
    text = export.csv_chunk([cells])
    assert text == '"a,b","say ""hi""","two\nlines",plain,,0.5\r\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a,b", 'say "hi"', "two\nlines", "plain", "", "0.5"]]


def test_iter_export_leaves_the_connection_as_it_was(db_path):
    conn = sqlite3.connect(db_path)
    text = "".join(export.iter_export(conn, export.SheetExport(export.triage.QueueFilters())))
    assert conn.row_factory is None
    assert text.startswith("claim id,")
    # The CLI names the claim pages after the file, as Datasette names the database.
    assert "/factcheck/-/factcheck/claims/" in text


def test_the_sheet_is_defined_once_and_its_query_returns_its_fields(seeded_db):
    """Headers, the page query's columns and the cell formats all come from
    ``export.SHEET``: the query returns exactly the fields the rows are read by."""
    query = export.sheet_page_query(export.triage.QueueFilters.from_params({"status": ["all"]}), None, 1)
    cursor = seeded_db.conn.execute(*query)
    assert tuple(column[0] for column in cursor.description) == export.ROW_FIELDS
    assert export.SHEET_COLUMNS == tuple(column.header for column in export.SHEET)
    assert len(export.ROW_FIELDS) == len(export.SHEET_COLUMNS) - 1  # the claim page is made, not queried
