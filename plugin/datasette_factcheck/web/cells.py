"""Cells of Datasette's own claims table: the ``context`` column (a whole
paragraph per claim) as one line that opens, so it does not bury the rows."""

from __future__ import annotations

from collections.abc import Awaitable

from datasette.app import Datasette
from markupsafe import Markup

from .databases import is_factcheck_database

SUMMARY_CHARS = 60


def _summary(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def context_cell(
    datasette: Datasette, database: str, table: str, column: str, value: object
) -> Awaitable[Markup | None] | None:
    """A <details> for claims.context in a factcheck database. None at once
    for every other cell (Datasette asks for each cell of every table), so
    only the context cells pay for the database check."""
    if table != "claims" or column != "context" or not isinstance(value, str) or len(value) <= SUMMARY_CHARS:
        return None
    return _folded(datasette, database, value)


async def _folded(datasette: Datasette, database: str, value: str) -> Markup | None:
    if not await is_factcheck_database(datasette.get_database(database)):
        return None
    return Markup('<details class="fc-context"><summary>{}</summary>{}</details>').format(_summary(value), value)
