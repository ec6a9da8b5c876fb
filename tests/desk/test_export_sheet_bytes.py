"""The review sheet's bytes, pinned: a faster writer may not change one byte.

``tests/data/sheet_golden.json`` holds the sheets the per-row writer of
0.3 (``sheet_cells`` + ``csv.writer``) wrote for the database below, under
several filters, page sizes, addresses and database names. The database is
built to be awkward: cells that look like spreadsheet formulas (= + - @ tab
CR first), quotes, commas, CR, LF and CRLF inside cells, unicode, NUL, empty
text, NULLs, every status and verdict and some outside the vocabularies, a
score of every kind SQLite can hold in the column (halves that round to even,
negatives, huge, infinite, text, a blob), evidence as links, as other JSON and
not JSON at all, ids a URL must escape, a blob id, a claim whose article is
gone, and ties in score across page boundaries.

Some of these only a database written before the vocabulary triggers (or by
hand) can hold, so the fixture drops those two triggers before writing them.

To regenerate after a deliberate change of the sheet (never to make a speed-up
pass): ``FACTCHECK_WRITE_GOLDEN=1 python -m pytest tests/test_export_sheet_bytes.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlite_utils

from datasette_factcheck.desk import export, sheet_articles, sheet_cells
from datasette_factcheck.desk import queue as triage
from datasette_factcheck.store.schema import migrate
from datasette_factcheck.vocab import STATUS_LABELS, STATUSES, VERDICT_LABELS, VERDICTS
from support.helpers import DATA

GOLDEN = DATA / "sheet_golden.json"
FORMULA_FIRST = ("=", "+", "-", "@", "\t", "\r")

TEXTS = [
    "Plain claim, with a comma.",
    '=HYPERLINK("https://evil.example","x")',
    "+1+1",
    "-2 degrees, said the forecast",
    "@SUM(A1)",
    "\tTabbed",
    "\rCarriage first",
    'Say "hi", then leave',
    "Two\nlines",
    "Windows\r\nline",
    "Only a CR\rinside",
    "Unicode: Ünïcödé – “quotes” 😀 \u202e",
    "a\x00b",
    "",
    " leading space",
    "trailing space ",
    "'already quoted",
    '"',
    ",",
    "x,=y",
    "no special characters at all",
]
SCORES = [0.5, 0.125, 0.375, 0.625, 0.875, 0.005, 0.015, 0.285, 1.0, 0.0, -0.0, -0.25, -0.125, 0.999999]
ODD_SCORES = [1e300, -1e300, 1e17, float("inf"), float("-inf"), "high", "=2+2", b"\x01\x02", 7]
EVIDENCE = [
    "[]",
    "",
    '["https://example.org/a", "b, with \\"quotes\\""]',
    '["=cmd", "-x", "line\\nbreak"]',
    '[{"url": "https://example.org", "n": 1}, 2.5, null, true]',
    '"just a string"',
    "not json",
    "{broken",
    '["\\u00e9t\\u00e9"]',
]
IDS = ["plain-id_1.x~", "with space", "slash/id", "ünï", "=formula-id", "-dash", "a,b", 'q"uote', ""]
OUTLETS = [None, "The Times", "-2+3", "Outlet, Ltd", "\tTabbed outlet", '"Quoted" outlet']


def build(path: Path) -> Path:
    """The awkward database, the same every time (a seeded random)."""
    rng = random.Random(26)
    db = sqlite_utils.Database(path)
    migrate(db)
    conn = db.conn
    # Values outside the vocabularies, as a database from before the triggers holds them.
    conn.execute("DROP TRIGGER claims_vocabulary_insert")
    conn.execute("DROP TRIGGER claims_vocabulary_update")
    for n, outlet in enumerate(OUTLETS):
        conn.execute(
            """INSERT INTO articles (id, title, outlet, published, url, body, content_hash, loaded_at)
            VALUES (?, ?, ?, ?, ?, 'body', 'h', '2026-01-01')""",
            [
                f"a{n}",
                rng.choice(TEXTS) if n else None,
                outlet,
                rng.choice([None, "2025-03-04"]),
                rng.choice([None, "https://example.org/news/1", "=cmd|x", "https://example.org/a,b"]),
            ],
        )
    statuses = [*STATUSES, "archived", "=status"]
    verdicts = [None, *VERDICTS, "maybe", "@verdict"]
    scores = SCORES + ODD_SCORES
    ids = IDS + [bytes([0, 255, 39]), *(f"c{n:04x}" for n in range(60))]
    for n, claim_id in enumerate(ids):
        conn.execute(
            """INSERT INTO claims (id, article_id, position, text, kind, sourcing, claimant, checkworthiness,
                status, verdict, note, evidence, assignee, reviewed_by, reviewed_at, superseded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                claim_id,
                "gone" if n == 3 else f"a{n % len(OUTLETS)}",
                n,
                TEXTS[n % len(TEXTS)],
                rng.choice(["statistic", "quote", "-kind"]),
                rng.choice(["leak", "named_person", "@src"]),
                rng.choice([None, "", "Healey", "=claimant", "The Ministry, UK"]),
                scores[n % len(scores)] if n < 40 else rng.choice(SCORES[:4]),  # the rest tie often
                statuses[n % len(statuses)],
                verdicts[n % len(verdicts)],
                rng.choice([None, "", 'A note, "quoted"\r\nover lines', "-note", "plain note"]),
                EVIDENCE[n % len(EVIDENCE)],
                rng.choice([None, "alice", "@sam", "+bob"]),
                rng.choice([None, "vera"]),
                rng.choice([None, "2026-11-28T00:00:00+00:00"]),
                "2026-01-01" if n % 29 == 28 else None,  # superseded: never in the sheet
            ],
        )
    conn.commit()
    conn.close()
    return path


# (filters, page size, database name, desk address, BOM)
VARIANTS = {
    "all": ({"status": ["all"]}, export.PAGE_SIZE, "factcheck", "https://desk.example.org", False),
    "all, pages of 2": ({"status": ["all"]}, 2, "factcheck", "https://desk.example.org", False),
    "all, pages of 7": ({"status": ["all"]}, 7, "factcheck", "", False),
    "open, odd database name": ({}, 3, "my desk,x", "", True),
    "done": ({"status": ["done"]}, 2, "factcheck", "http://localhost", False),
    "two statuses": ({"status": ["needs_second_review", "not_checkable"]}, 3, "f", "", False),
    "a verdict": ({"status": ["all"], "verdict": ["false"]}, 2, "factcheck", "", False),
}


def sheet(path: Path, variant: str) -> str:
    filters, page_size, database, base_url, bom = VARIANTS[variant]
    conn = sqlite3.connect(path)
    try:
        sheet_export = export.SheetExport(
            triage.QueueFilters.from_params(filters), bom=bom, page_size=page_size, database=database, base_url=base_url
        )
        return "".join(export.iter_export(conn, sheet_export))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def awkward_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("awkward") / "awkward.db")


def test_the_fixture_is_as_awkward_as_it_says(awkward_db):
    conn = sqlite3.connect(awkward_db)
    types = {row[0] for row in conn.execute("SELECT typeof(checkworthiness) FROM claims")}
    assert types == {"real", "text", "blob"}
    assert {row[0] for row in conn.execute("SELECT DISTINCT status FROM claims")} >= set(STATUSES)
    assert {row[0] for row in conn.execute("SELECT DISTINCT verdict FROM claims")} >= {None, *VERDICTS}
    conn.close()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_sheet_writes_the_same_bytes_as_before(awkward_db, variant):
    text = sheet(awkward_db, variant)
    if os.environ.get("FACTCHECK_WRITE_GOLDEN"):
        golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
        GOLDEN.write_text(json.dumps({**golden, variant: text}, indent=1, sort_keys=True) + "\n")
    expected = json.loads(GOLDEN.read_text())[variant]
    assert text.count("\r\n") > 2  # rows, not just the header
    assert text == expected


# --- the per-row rule, as 0.3 wrote it, against random rows ------------------------------


def reference_cells(row: tuple, pages: str) -> list:
    """0.3's sheet_cells: the rule the sheet's bytes follow, one row at a time."""
    cells = list(row)
    per_value = {
        "checkworthiness": sheet_cells.score,
        "status": lambda value: STATUS_LABELS.get(value, value),
        "verdict": lambda value: VERDICT_LABELS.get(value, value),
        "evidence": sheet_cells.evidence_lines,
    }
    for field, show in per_value.items():
        index = export.ROW_FIELDS.index(field)
        cells[index] = show(cells[index])
    claim_id = cells[0]
    plain = claim_id.__class__ is str and sheet_cells.PLAIN_ID.fullmatch(claim_id)
    cells.insert(2, pages + (claim_id if plain else quote(str(claim_id), safe="")))
    return [("'" + cell) if cell.__class__ is str and cell[:1] in FORMULA_FIRST else cell for cell in cells]


def reference_text(rows: list[tuple], pages: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(reference_cells(row, pages) for row in rows)
    return buffer.getvalue()


PIECES = [*TEXTS, *IDS, *STATUS_LABELS, *VERDICT_LABELS, None, None, 0, -5, 2.5, float("inf"), b"x,'y", "[]"]


def random_value(rng: random.Random):
    value = rng.choice(PIECES)
    if isinstance(value, str) and rng.random() < 0.3:
        value += rng.choice(PIECES[: len(TEXTS)])
    return value


@pytest.mark.parametrize("seed", range(20))
def test_the_sheet_writer_follows_the_per_row_rule(seed):
    """Random pages of random cells (each column holding anything SQLite can
    return) written as 0.3's per-row rule writes them."""
    rng = random.Random(seed)
    width = len(export.ROW_FIELDS)
    # Some columns all of one kind (the writer's quick paths), the rest mixed.
    kinds = [rng.choice(["mixed", "text", "none", "plain"]) for _ in range(width)]
    rows = []
    for _ in range(rng.choice([1, 2, 50])):
        row = []
        for column in range(width):
            kind = kinds[column]
            if kind == "none":
                row.append(None)
            elif kind == "plain":
                row.append(rng.choice(["plain", "c0001", "Done", "0.5"]))
            elif kind == "text":
                row.append(str(random_value(rng)))
            else:
                row.append(random_value(rng))
        score = export.ROW_FIELDS.index("checkworthiness")
        row[score] = rng.choice([*SCORES, *ODD_SCORES, None]) if rng.random() < 0.3 else rng.random()
        # A TEXT column: SQLite keeps numbers there as text.
        evidence = export.ROW_FIELDS.index("evidence")
        row[evidence] = rng.choice([*EVIDENCE, None, b"[]"]) if rng.random() < 0.3 else "[]"
        rows.append(tuple(row))
    # The claim pages' prefix: as written, and (a desk address of its own) needing the CSV rules.
    pages = rng.choice(
        [
            "/f/-/factcheck/claims/",
            "https://desk.example.org/f/-/factcheck/claims/",
            'https://desk.example.org/a,"b"/f/-/factcheck/claims/',
            "=desk/f/-/factcheck/claims/",
        ]
    )
    assert export.sheet_text(rows, pages) == reference_text(rows, pages)


# --- the articles read once per export, against the join ----------------------------------


def joined_sheet(path: Path, filters: dict, pages: str) -> str:
    """The sheet's rows as the join returns them (sheet_page_query's own SELECT),
    all at once, written by sheet_text: what the export's article cells stand for."""
    conn = sqlite3.connect(path)
    try:
        query = export.sheet_page_query(triage.QueueFilters.from_params(filters), None, 10**6)
        return export.sheet_text(conn.execute(*query).fetchall(), pages)
    finally:
        conn.close()


def add_awkward_articles(path: Path) -> None:
    """Articles the join and a Python dict could tell apart differently: ids that
    differ only in case, a blob id and a text id of the same bytes, a NUL in an id,
    an id with a comma, and claims pointing at each (and at none)."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS claims_vocabulary_insert")
    ids = ["Case", "case", b"blob-id", "blob-id", "nul\x00id", "a,b", "=art"]
    for n, article_id in enumerate(ids):
        conn.execute(
            """INSERT INTO articles (id, title, outlet, published, url, body, content_hash, loaded_at)
            VALUES (?, ?, ?, '2025-01-01', ?, 'body', 'h', '2026-01-01')""",
            [article_id, f"Title {n}, of {article_id!r}", TEXTS[n % len(TEXTS)], f"https://example.org/{n}"],
        )
    for n, article_id in enumerate([*ids, b"Case", "CASE", "nul"]):
        conn.execute(
            """INSERT INTO claims (id, article_id, position, text, kind, sourcing, checkworthiness, status, evidence)
            VALUES (?, ?, 0, 'x', 'quote', 'leak', ?, 'unreviewed', '[]')""",
            [f"art{n}", article_id, 0.3 + n / 100],
        )
    conn.commit()
    conn.close()


@pytest.mark.parametrize("limit", [None, 1, 3])
@pytest.mark.parametrize("page_size", [export.PAGE_SIZE, 2, 5])
def test_the_articles_read_once_write_what_the_join_writes(tmp_path, monkeypatch, limit, page_size):
    """The export reads each article once and keeps its cells (sheet_articles);
    its sheet is the joined rows' sheet, byte for byte, whether the articles all
    fit in what it keeps or it forgets them every page."""
    path = build(tmp_path / "awkward.db")
    add_awkward_articles(path)
    if limit is not None:
        monkeypatch.setattr(sheet_articles, "ARTICLE_CACHE_LIMIT", limit)
    pages = "https://desk.example.org/factcheck/-/factcheck/claims/"
    conn = sqlite3.connect(path)
    sheet_export = export.SheetExport(
        triage.QueueFilters.from_params({"status": ["all"]}),
        page_size=page_size,
        database="factcheck",
        base_url="https://desk.example.org",
    )
    text = "".join(export.iter_export(conn, sheet_export))
    conn.close()
    assert text == export.csv_chunk([export.SHEET_COLUMNS]) + joined_sheet(path, {"status": ["all"]}, pages)
    assert text.count("Title 2") == 1 and text.count("Title 3") == 1  # the blob id and the text id: two articles
