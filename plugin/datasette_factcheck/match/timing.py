"""When a claim was made beside when a fact-check was published: the date prior of matching.

A claim is most often checked in the days and weeks after it spreads, so among fact-checks
about as close to a text in words, one published soon after the text's date is more likely
the check of that claim than one from years before. ``factor`` is that prior: bm25 (the
lexical stage's order) is multiplied by it. It orders only: what is kept is still decided
without it (matching.py), so no match is kept because of its date alone.

A claim's date: a ``match`` text's post signature ("— Name (@handle) May 3, 2017"), or a
``date`` its record gives; a stored claim's article ``published``, else a signature in its
own text. No date on either side: factor 1, nothing changes.

The window and the boost were chosen on the CheckThat! 2022 2A train and dev splits
(bench/matching_dates.py); see data/MATCHING_MODEL_CARD.md.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from ..ingest.clean import signature_date
from ..store.sql import IN_MANY, many

BEFORE = 0  # days a fact-check may come before the claim's date
AFTER = 14  # days after it: a check takes days to weeks
BOOST = 0.5  # bm25 x (1 + BOOST) inside the window
BLEND_BOOST = 0.25  # the second stage's blend (0..1, not bm25's scale) x (1 + BLEND_BOOST)
DEPTH = 20  # a dated text's lexical candidates the prior reorders (else GATE_TOP)

_PUBLISHED = f"SELECT rowid, published FROM factchecks WHERE rowid {IN_MANY} AND published IS NOT NULL"


def parse(value: object) -> date | None:
    """An ISO date (``YYYY-MM-DD``, a datetime's first ten characters) as a date; None for
    anything else."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) < 10 or text[10:11] not in ("", "T", " "):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def claim_date(text: str, given: str | None = None) -> date | None:
    """The date a claim was made: ``given`` (a record's date, an article's published) when
    it is a date, else its post signature's."""
    return parse(given) or parse(signature_date(text or ""))


def factor(claimed: date | None, published: date | None, boost: float = BOOST) -> float:
    """The multiplier for a fact-check ``published`` on a claim made on ``claimed``: 1 +
    ``boost`` from BEFORE days before to AFTER days after, else 1 (no date: 1)."""
    if claimed is None or published is None:
        return 1.0
    return 1.0 + boost if -BEFORE <= (published - claimed).days <= AFTER else 1.0


def factors(
    conn: sqlite3.Connection, claimed: date | None, rowids: list[int], boost: float = BOOST
) -> dict[int, float]:
    """factchecks rowid -> ``factor`` for those of ``rowids`` the prior moves (the rest: 1)."""
    if claimed is None or not rowids:
        return {}
    rows = conn.execute(_PUBLISHED, [many(rowids)])
    found = {rowid: factor(claimed, parse(published), boost) for rowid, published in rows}
    return {rowid: value for rowid, value in found.items() if value != 1.0}
