"""The exports: the review-sheet CSV and schema.org ClaimReview JSON-LD.

Pure (no Datasette, no click) and sans-IO: an ``Export`` says which query to
run next and turns the rows it gets back into text, but never runs anything
itself. The web view runs each page's ``read`` and ``body`` on Datasette's threads
and writes each chunk to the response as it comes; the CLI runs the same
pages on a ``sqlite3`` connection (``iter_export``). Both therefore write the
same bytes, and both hold one page of rows at a time whatever the size.

Rows come in keyset pages, filtered by the triage queue's own WHERE clause
(``triage.QueueFilters.where``) and sorted as the queue is, so a sheet holds
exactly what the editor filtered on screen.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from ..store.sql import text_as_str
from ..vocab import OPEN_STATUSES, STATUS_LABELS, VERDICT_LABELS
from . import queue as triage
from .sheet_articles import ArticleCells
from .sheet_cells import evidence, labelled, page_column, scores
from .sheet_writer import column_text, csv_lines

PAGE_SIZE = 2_000
BOM = "\ufeff"
ARTICLE_JOIN = "LEFT JOIN articles a ON a.id = c.article_id"


class SheetColumn(NamedTuple):
    """One column of the review sheet: its header, where its value comes from
    in the page query (None: made from the claim id, the claim's page), and
    how an editor reads it (None: as stored), given the column's values on a
    page and returning them as shown."""

    header: str
    select: str | None
    show: Callable[[Sequence[Any]], Sequence[Any]] | None = None

    @property
    def field(self) -> str:
        """The name the page query gives it ("a.title AS article_title" -> "article_title")."""
        return (self.select or "").rpartition(" AS ")[2].rpartition(".")[2]

    @property
    def of_article(self) -> bool:
        """Whether the claim's article holds it (the sheet reads those once per article)."""
        return (self.select or "").startswith("a.")


# --- queries ---------------------------------------------------------------


def _status_filters(filters: triage.QueueFilters) -> list[triage.QueueFilters]:
    """The filters split into arms that each walk one index in queue order.

    Every status ("all") and the open statuses (the queue's default) each
    have such an index of their own (idx_claims_rank, idx_claims_open), so
    they are one arm; any other choice is one arm per status on
    idx_claims_status.
    """
    statuses = filters.statuses()
    if statuses is None or statuses == list(OPEN_STATUSES):
        return [filters]
    return [replace(filters, values={**filters.values, "status": [status]}) for status in dict.fromkeys(statuses)]


def _keyset_where(filters: triage.QueueFilters, after: tuple[float, str] | None) -> tuple[str, list]:
    """The filters' WHERE and the keyset after ``after``: a range on the
    queue's index (checkworthiness DESC, id), so a page costs the same at the
    end of a million claims as at the start."""
    where, params = filters.where()
    if after is not None:
        where += " AND c.checkworthiness <= ? AND (c.checkworthiness < ? OR c.id > ?)"
        params += [after[0], after[0], after[1]]
    return where, params


def _arm(filters: triage.QueueFilters, after: tuple[float, str] | None, limit: int) -> tuple[str, list]:
    """The next ``limit`` keys of one status, read in order off idx_claims_status
    (status, checkworthiness DESC)."""
    where, params = _keyset_where(filters, after)
    return (
        f"""SELECT * FROM (SELECT c.rowid AS claim_rowid, c.checkworthiness AS score, c.id AS id
        FROM claims c WHERE {where} ORDER BY c.checkworthiness DESC, c.id LIMIT {int(limit)})""",
        params,
    )


def sheet_page_query(
    filters: triage.QueueFilters,
    after: tuple[float, str] | None,
    limit: int = PAGE_SIZE,
    select: str | None = None,
    join: str = ARTICLE_JOIN,
) -> tuple[str, list]:
    """One page of export rows after the keyset ``after`` (checkworthiness, id),
    sorted and filtered like the queue (its filters, its WHERE, its order):
    ``select`` (the sheet's row, SHEET_SELECT, unless given) from ``claims c``
    and ``join``, by default each claim's article as ``a``.

    One walk down one index when the statuses have one (every status, the
    open ones): the claims in index order, each joined to its article as it
    is read, with nothing to sort or gather; this is most of the sheet's
    time, and half of what the merged form below takes per row.

    Otherwise one ordered arm per status merged, rather than the queue's single
    ``status IN (...)`` query: that one sorts every remaining claim for each
    page, which over a whole export grows with the square of its size.
    """
    select = select or SHEET_SELECT
    split = _status_filters(filters)
    if len(split) == 1:
        where, params = _keyset_where(filters, after)
        return (
            f"""SELECT {select} FROM claims c {join}
            WHERE {where} ORDER BY c.checkworthiness DESC, c.id LIMIT {int(limit)}""",
            params,
        )
    arms = [_arm(status_filters, after, limit) for status_filters in split]
    keys = " UNION ALL ".join(sql for sql, _ in arms)
    return (
        f"""WITH page AS ({keys} ORDER BY score DESC, id LIMIT {int(limit)})
        SELECT {select}
        FROM page JOIN claims c ON c.rowid = page.claim_rowid {join}
        ORDER BY page.score DESC, page.id""",
        [param for _, params in arms for param in params],
    )


# --- the review sheet ---------------------------------------------------------------


def claim_page(database: str, claim_id: str, base_url: str = "") -> str:
    """The claim's review page: ``base_url`` (the desk's address, e.g.
    https://desk.example.org, so a spreadsheet can open it) and the path."""
    return f"{base_url}/{quote(database, safe='')}/-/factcheck/claims/{quote(str(claim_id), safe='')}"


# The review sheet, defined once: its headers, the page query's SELECT and the
# cells' formats all follow this. Adding a column is one line here.
SHEET: tuple[SheetColumn, ...] = (
    SheetColumn("claim id", "c.id"),
    SheetColumn("claim", "c.text"),
    SheetColumn("claim page", None),
    SheetColumn("article title", "a.title AS article_title"),
    SheetColumn("outlet", "a.outlet"),
    SheetColumn("url", "a.url"),
    SheetColumn("published", "a.published"),
    SheetColumn("kind", "c.kind"),
    SheetColumn("sourcing", "c.sourcing"),
    SheetColumn("claimant", "c.claimant"),
    SheetColumn("checkworthiness (0-100)", "c.checkworthiness", scores),
    SheetColumn("status", "c.status", labelled(STATUS_LABELS)),
    SheetColumn("verdict", "c.verdict", labelled(VERDICT_LABELS)),
    SheetColumn("note", "c.note"),
    SheetColumn("evidence", "c.evidence", evidence),
    SheetColumn("assignee", "c.assignee"),
    SheetColumn("reviewed by", "c.reviewed_by"),
    SheetColumn("reviewed at", "c.reviewed_at"),
)
SHEET_COLUMNS = tuple(column.header for column in SHEET)
_QUERIED = [column for column in SHEET if column.select is not None]
# The sheet's rows as stored, the claim joined to its article (sheet_page_query's
# default): what ClaimReview reads by name, and what sheet_text takes.
ROW_FIELDS = tuple(column.field for column in _QUERIED)
SHEET_SELECT = ", ".join(column.select for column in _QUERIED)
# What the sheet itself queries: the claim's columns and its article's id, the
# article's cells read once per article (sheet_articles says why).
_CLAIM_COLUMNS = [column for column in _QUERIED if not column.of_article]
_ARTICLE_COLUMNS = [column for column in _QUERIED if column.of_article]
CLAIM_SELECT = ", ".join([*(column.select for column in _CLAIM_COLUMNS), "c.article_id"])
ARTICLE_SELECT = ", ".join(["a.id", *(column.select for column in _ARTICLE_COLUMNS)])
_CLAIM_FIELDS = tuple(column.field for column in _CLAIM_COLUMNS)
_SCORE, _ID = _CLAIM_FIELDS.index("checkworthiness"), _CLAIM_FIELDS.index("id")
# (position among the claim's columns, format) of the cells an editor reads differently from storage
_FORMATTED_CELLS = tuple((_CLAIM_FIELDS.index(column.field), column.show) for column in _CLAIM_COLUMNS if column.show)
_NO_ARTICLE = ",".join([""] * len(_ARTICLE_COLUMNS))  # a claim whose article is gone: its cells empty
_PAGE, _ARTICLE = "page", "article"


def _layout() -> tuple[int | str, ...]:
    """The sheet's columns as written: the claim's own by position, the claim
    page, and the article's cells as one (so they must stand together)."""
    claim_positions = iter(range(len(_CLAIM_COLUMNS)))
    layout: list[int | str] = []
    for column in SHEET:
        if column.select is None:
            layout.append(_PAGE)
        elif not column.of_article:
            layout.append(next(claim_positions))
        elif not layout or layout[-1] != _ARTICLE:
            layout.append(_ARTICLE)
    if layout.count(_ARTICLE) != 1:
        raise ValueError("the article's columns stand together in SHEET")
    return tuple(layout)


_LAYOUT = _layout()


def article_cells(columns: Sequence[Sequence[Any]]) -> list[str]:
    """Each article's cells as one CSV text: ``columns`` are the article's
    columns of the sheet (title, outlet, url, published), one value per article."""
    return list(map(",".join, zip(*map(column_text, columns))))


def _sheet_rows(claim_columns: list[Sequence[Any]], articles: Sequence[str], pages: str) -> str:
    """The sheet's CSV rows from the claims' own columns (_CLAIM_FIELDS) and each
    claim's article cells (``article_cells``), a column at a time."""
    page_lead, page_cells = page_column(claim_columns[_ID], pages)
    for index, show in _FORMATTED_CELLS:
        claim_columns[index] = show(claim_columns[index])
    made = {_PAGE: page_cells, _ARTICLE: articles}
    cells = [made[slot] if slot in made else column_text(claim_columns[slot]) for slot in _LAYOUT]
    return csv_lines(cells, [page_lead if slot == _PAGE else "" for slot in _LAYOUT])


def sheet_text(rows: Sequence[Sequence[Any]], pages: str) -> str:
    """A page of claims as the sheet's CSV rows: rows of ROW_FIELDS (the claim
    joined to its article), read as an editor reads them on screen (labels, the
    score out of 100, formulas made text), with the claim's page (``pages``,
    then its id) after its text.

    A column at a time (sheet_writer says why): the review sheet of a million
    claims is 500 pages of this, where a step per cell would be 18 million."""
    if not rows:
        return ""
    columns = list(zip(*rows))
    claim = [columns[ROW_FIELDS.index(field)] for field in _CLAIM_FIELDS]
    articles = article_cells([columns[ROW_FIELDS.index(column.field)] for column in _ARTICLE_COLUMNS])
    return _sheet_rows(claim, articles, pages)


def csv_chunk(rows: Sequence[Sequence[Any]]) -> str:
    """CSV text for these rows; the csv module does the quoting of commas,
    quotes and newlines (RFC 4180, CRLF line ends, as spreadsheets expect)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


# --- the exports, sans IO ------------------------------------------------------------


class Export:
    """An export as a sequence of queries and text chunks.

    Drive it as ``head()``; then while ``next_query()`` is not None, run it
    with ``read()`` and pass the page it returns to ``body()``; then
    ``tail()``. A page is its rows, read by name (sqlite3.Row, or any mapping
    with ROW_FIELDS), unless a subclass reads it its own way (``fetch``,
    ``advance``, ``render``).
    """

    def __init__(self, filters: triage.QueueFilters, page_size: int = PAGE_SIZE):
        self.filters = filters
        self.page_size = page_size
        self._after: tuple[float, str] | None = None
        self._done = False

    def next_query(self) -> tuple[str, list] | None:
        return None if self._done else sheet_page_query(self.filters, self._after, self.page_size)

    def read(self, conn: sqlite3.Connection, query: tuple[str, list]) -> Any:
        """``fetch`` with its text decoded at C speed (store.sql.text_as_str says why)."""
        return text_as_str(conn, lambda: self.fetch(conn, query))

    def fetch(self, conn: sqlite3.Connection, query: tuple[str, list]) -> Any:
        """Run ``next_query()``'s query on the connection: the page ``body`` takes."""
        return fetch_page(conn, query)

    def advance(self, page: Any) -> None:
        """Past this page: ``next_query()`` is now the page after it."""
        self._advance(len(page), (page[-1]["checkworthiness"], page[-1]["id"]) if page else None)

    def _advance(self, rows: int, last: tuple[float, str] | None) -> None:
        # A short page is the last one: no extra query just to find nothing.
        self._done = rows < self.page_size
        if last is not None:
            self._after = last

    def body(self, page: Any) -> str:
        self.advance(page)
        return self.render(page)

    def bind(self, conn: sqlite3.Connection) -> None:
        """Learn what the rows alone do not say from the database they come from."""

    def head(self) -> str:
        return ""

    def render(self, rows: Sequence[Mapping[str, Any]]) -> str:
        raise NotImplementedError

    def tail(self) -> str:
        return ""


class SheetExport(Export):
    """The review sheet: header row, then one row per claim. ``database`` is
    the name the claim pages live under (the web knows it; ``bind`` reads it
    from the file for the CLI, as Datasette names a database after its file);
    ``base_url`` the desk's address before it, with no trailing slash."""

    content_type = "text/csv; charset=utf-8"

    def __init__(
        self,
        filters: triage.QueueFilters,
        bom: bool = False,
        page_size: int = PAGE_SIZE,
        database: str | None = None,
        base_url: str = "",
    ):
        super().__init__(filters, page_size)
        self.bom = bom
        self.database = database
        self.base_url = base_url
        self._articles = ArticleCells(ARTICLE_SELECT, article_cells, _NO_ARTICLE)

    def bind(self, conn: sqlite3.Connection) -> None:
        if self.database is None:
            self.database = database_name(conn)

    def head(self) -> str:
        return (BOM if self.bom else "") + csv_chunk([SHEET_COLUMNS])

    def next_query(self) -> tuple[str, list] | None:
        """The claims' own columns and their article's id, no join: ``read`` adds the articles."""
        return None if self._done else sheet_page_query(self.filters, self._after, self.page_size, CLAIM_SELECT, "")

    def fetch(self, conn: sqlite3.Connection, query: tuple[str, list]) -> list[Sequence[Any]]:
        """The page column by column (as the sheet is written), its rows read as
        tuples (a Row a claim is 15% of the page's time), the article's id (last)
        replaced by the article's cells."""
        cursor = conn.cursor()
        cursor.row_factory = None
        columns: list[Sequence[Any]] = list(zip(*cursor.execute(*query).fetchall()))
        if columns:
            columns[-1] = self._articles.cells(conn, columns[-1])
        return columns

    def advance(self, page: list[Sequence[Any]]) -> None:
        rows = len(page[0]) if page else 0
        self._advance(rows, (page[_SCORE][-1], page[_ID][-1]) if rows else None)

    def render(self, page: list[Sequence[Any]]) -> str:
        if not page:
            return ""
        return _sheet_rows(page[:-1], page[-1], claim_page(self.database or "", "", self.base_url))


def database_name(conn: sqlite3.Connection) -> str:
    """The main database's file name without its extension, as Datasette serves it."""
    file = next((file for _, name, file in conn.execute("PRAGMA database_list") if name == "main"), "")
    return Path(file).stem if file else "main"


def fetch_page(conn: sqlite3.Connection, query: tuple[str, list]) -> list[sqlite3.Row]:
    """Run one page query; rows by name whatever the connection's row_factory."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(*query).fetchall()


# What a connection of the export's own (the command line's, the download's) maps of
# the database file: SQLite then reads the claims' pages, visited in queue order rather
# than where they lie, without a system call and a copy each (a seventh of the export's
# time on the bench). Datasette's connections are left as Datasette set them.
EXPORT_MMAP_BYTES = 1 << 30


def map_for_export(conn: sqlite3.Connection) -> None:
    """Let SQLite read the database by memory map on this connection (EXPORT_MMAP_BYTES)."""
    conn.execute(f"PRAGMA mmap_size = {EXPORT_MMAP_BYTES}")


def iter_export(conn: sqlite3.Connection, export: Export) -> Iterator[str]:
    """The export's text chunk by chunk, one page of rows in memory at a time."""
    export.bind(conn)
    yield export.head()
    while (query := export.next_query()) is not None:
        yield export.body(export.read(conn, query))
    yield export.tail()
