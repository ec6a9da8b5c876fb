"""How an editor reads each of the review sheet's cells: the evidence as lines,
the score out of 100, the vocabulary's labels, and the claim-page column, a
page's column at a time (``export.SHEET`` says which column reads which way).

A cell's value here is as shown; ``sheet_writer`` then writes it as CSV text
(quotes, formulas made text), except the claim-page column, which comes out
of ``page_column`` ready for ``sheet_writer.csv_lines``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from operator import mul
from typing import Any
from urllib.parse import quote

from ..records import read_json_list
from .sheet_writer import cell_text, column_text


def evidence_lines(stored: str | None) -> str:
    """A claim's evidence, one item a line."""
    if not stored or stored == "[]":  # most claims: no need to parse
        return ""
    # Datasette's own write API can store anything here; show what is there.
    items = read_json_list(stored)
    return "\n".join(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in items)


def score(value: Any) -> Any:
    """0..1 as the screen shows it, 0..100; anything else (text, infinity) as stored."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    try:
        return round(value * 100)
    except (ValueError, OverflowError):
        return value


def scores(values: Sequence[Any]) -> list:
    """``score`` of each; the page's scores at C speed when all are finite numbers
    (value * 100 rounded is score's own arithmetic; anything else raises here)."""
    try:
        return list(map(round, map(mul, values, repeat(100))))
    except (TypeError, ValueError, OverflowError):
        return list(map(score, values))


def labelled(labels: Mapping[str, str]) -> Callable[[Sequence[Any]], list]:
    """The vocabulary's labels; a value outside it as stored."""
    return lambda values: list(map(labels.get, values, values))


def evidence(values: Sequence[Any]) -> Sequence[str]:
    """``evidence_lines`` of each."""
    if values.count("[]") == len(values):  # most pages: no claim has any
        return [""] * len(values)
    return list(map(evidence_lines, values))


# An id quote() leaves as it is (the loader's ids are hex): no need to call it.
PLAIN_ID = re.compile(r"[A-Za-z0-9_.~-]+")
PLAIN_IDS = re.compile(r"[A-Za-z0-9_.~-]+(?:\n[A-Za-z0-9_.~-]+)*")


def _plain_ids(ids: Sequence[Any]) -> bool:
    """Whether every id is text that quote() leaves as it is (as nearly always)."""
    try:
        return PLAIN_IDS.fullmatch("\n".join(ids)) is not None
    except TypeError:  # an id that is not text (a blob)
        return False


def page_column(ids: Sequence[Any], pages: str) -> tuple[str, Sequence[str]]:
    """The claim-page column: each claim's page is ``pages``, the prefix every
    claim page shares, then its id, escaped for a URL. As (lead, cells) for
    ``csv_lines``: when (as nearly always) no id needs escaping and the prefix
    needs no CSV rule, the prefix once and the ids as they are, since no rule
    then touches the cells either; otherwise no lead and each cell whole."""
    if not _plain_ids(ids):
        escaped = [i if i.__class__ is str and PLAIN_ID.fullmatch(i) else quote(str(i), safe="") for i in ids]
        return "", column_text(list(map(pages.__add__, escaped)))
    if pages and cell_text(pages) == pages:
        return pages, ids
    return "", column_text(list(map(pages.__add__, ids)))
