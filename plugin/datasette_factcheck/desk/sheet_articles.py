"""The review sheet's article cells, read once per article rather than once per claim.

A claim's article (title, outlet, url, published) is four of the sheet's
cells. Joined in the page query, SQLite looks the article up for every claim,
two B-tree searches a row, and Python builds four more strings a row: with
them the page query took 1.6 to 1.7 times as long as without
(bench/queue_clusters.py, 800,000 claims of 26,666 articles). Here the page query returns the claim's
``article_id``; the cells of the articles a page names and this export has
not seen yet are read in one query and kept as CSV text, so each article is
read and written once per export, whichever page its claims fall on.

Kept per export and bounded (``limit`` articles, then forgotten and read
again as needed): 25 MB at most, whatever the desk's size. An article edited
while a long export runs may show its earlier cells in later pages; pages
were never one snapshot either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

# Bound parameters per lookup: far below SQLite's smallest limit (999).
_CHUNK = 500
# Cells of the articles kept between pages: ~250 bytes each, 25 MB at most.
ARTICLE_CACHE_LIMIT = 100_000


class ArticleCells:
    """Each article's cells as CSV text, by article id, read as pages need them.

    ``select`` is the article columns' SELECT list over ``articles a`` (its
    id first); ``render`` turns those columns of some articles (each column
    a sequence, the id left out) into each article's cells as one CSV text.
    A claim whose article is gone gets ``missing``, its cells empty.
    """

    def __init__(
        self,
        select: str,
        render: Callable[[Sequence[Sequence[Any]]], list[str]],
        missing: str,
        limit: int | None = None,
    ):
        self._sql = f"SELECT {select} FROM articles a WHERE a.id IN "
        self._render = render
        self._missing = missing
        self._limit = ARTICLE_CACHE_LIMIT if limit is None else limit
        self._cells: dict[Any, str] = {}

    def cells(self, conn: sqlite3.Connection, article_ids: Sequence[Any]) -> list[str]:
        """The cells of each article, in order, reading those not kept yet."""
        found = list(map(self._cells.get, article_ids))
        if None in found:  # rare after the first pages: one look-up a claim is all it costs
            self._read(conn, {i for i, cells in zip(article_ids, found) if cells is None}, article_ids)
            found = list(map(self._cells.__getitem__, article_ids))
        return found

    def _read(self, conn: sqlite3.Connection, wanted: set[Any], page: Sequence[Any]) -> None:
        """Read the cells of the ``wanted`` articles (of a ``page`` of claims' articles)."""
        if len(self._cells) + len(wanted) > self._limit:
            self._cells.clear()
            wanted = set(page)
        ordered = list(wanted)  # ids as SQLite gave them: text, or a blob, compared as the join compared them
        cursor = conn.cursor()
        cursor.row_factory = None
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            rows = cursor.execute(self._sql + f"({', '.join('?' * len(chunk))})", chunk).fetchall()
            if rows:
                ids, *columns = zip(*rows)
                self._cells.update(zip(ids, self._render(columns)))
        self._cells.update(dict.fromkeys(wanted.difference(self._cells), self._missing))
