"""Cells of Datasette's own claims table: the ``context`` column (a whole
paragraph per claim) as one line that opens, so it does not bury the rows."""

from __future__ import annotations

from datasette.app import Datasette
from markupsafe import Markup

from ..startup import is_factcheck_database

SUMMARY_CHARS = 60


def _summary(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


async def context_cell(datasette: Datasette, database: str, table: str, column: str, value: object) -> Markup | None:
    """A <details> for claims.context in a factcheck database; None leaves
    every other cell to Datasette."""
    if table != "claims" or column != "context" or not isinstance(value, str) or len(value) <= SUMMARY_CHARS:
        return None
    if not await is_factcheck_database(datasette.get_database(database)):
        return None
    return Markup('<details class="fc-context"><summary>{}</summary>{}</details>').format(_summary(value), value)
