"""What the desk shows of earlier checks: a claim's "Checked before" panel (its stored
matches, fact-checks and the desk's own rulings) and the search over fact-checks."""

from __future__ import annotations

import sqlite3
from typing import Any

from .links import safe_url
from .matching import fts_query
from .sql import IN_MANY, many
from .vocab import VERDICT_LABELS

_PANEL_SQL = """
SELECT m.rank, m.score, m.factcheck_id, m.ruled_claim_id,
    f.claim, f.claimant, f.rating, f.verdict, f.publisher, f.url, f.published, f.title,
    c.text, c.verdict, c.note, c.reviewed_by, c.reviewed_at
FROM claim_matches m
LEFT JOIN factchecks f ON f.id = m.factcheck_id
LEFT JOIN claims c ON c.id = m.ruled_claim_id
WHERE m.claim_id = ? ORDER BY m.rank
"""


def _factcheck(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "kind": "factcheck",
        "factcheck_id": row[2],
        "claim": row[4],
        "claimant": row[5],
        "rating": row[6],
        "verdict": row[7],
        "publisher": row[8],
        "link": safe_url(row[9]),
        "date": row[10],
        "title": row[11],
    }


def _ruling(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "kind": "ruling",
        "ruled_claim_id": row[3],
        "claim": row[12],
        "rating": VERDICT_LABELS.get(row[13] or ""),
        "verdict": row[13],
        "note": row[14],
        "publisher": "this desk",
        "reviewed_by": row[15],
        "date": (row[16] or "")[:10] or None,
    }


def checked_before(conn: sqlite3.Connection, claim_id: str) -> list[dict[str, Any]]:
    """The claim's stored matches, best first: each a fact-check or a ruling of this desk,
    with what the panel shows and the verdict "use this verdict" copies (None where the
    rating says none of the desk's verdicts)."""
    try:
        rows = conn.execute(_PANEL_SQL, (claim_id,)).fetchall()
    except sqlite3.OperationalError:  # a database not yet migrated to hold matches
        return []
    return [{"rank": row[0], "score": row[1], **(_factcheck(row) if row[2] else _ruling(row))} for row in rows]


_SEARCH_COLUMNS = "f.id, f.claim, f.claimant, f.rating, f.verdict, f.publisher, f.url, f.published, f.title, f.summary"


def search_factchecks(conn: sqlite3.Connection, q: str, limit: int = 50) -> dict[str, Any]:
    """Fact-checks for the search page: those sharing words with ``q``, best first (all,
    newest first, without ``q``); with how many there are in all."""
    query = fts_query(q) if q.strip() else None
    if q.strip() and query is None:
        return {"q": q, "total": 0, "factchecks": []}
    if query is None:
        sql = f"SELECT {_SEARCH_COLUMNS} FROM factchecks f ORDER BY f.published DESC, f.rowid DESC LIMIT ?"
        rows = conn.execute(sql, (limit,)).fetchall()
        total = conn.execute("SELECT count(*) FROM factchecks").fetchone()[0]
    else:
        sql = (
            f"SELECT {_SEARCH_COLUMNS} FROM factchecks_fts JOIN factchecks f ON f.rowid = factchecks_fts.rowid "
            "WHERE factchecks_fts MATCH ? ORDER BY bm25(factchecks_fts) LIMIT ?"
        )
        rows = conn.execute(sql, (query, limit)).fetchall()
        total = conn.execute("SELECT count(*) FROM factchecks_fts WHERE factchecks_fts MATCH ?", (query,)).fetchone()[0]
    names = ("id", "claim", "claimant", "rating", "verdict", "publisher", "url", "published", "title", "summary")
    found = [dict(zip(names, row)) | {"link": safe_url(row[6])} for row in rows]
    return {"q": q, "total": total, "factchecks": found}


_BEST_SQL = f"""
SELECT m.claim_id, coalesce(f.rating, c.verdict), coalesce(f.publisher, 'this desk'), m.score
FROM claim_matches m
LEFT JOIN factchecks f ON f.id = m.factcheck_id
LEFT JOIN claims c ON c.id = m.ruled_claim_id
WHERE m.rank = 1 AND m.claim_id {IN_MANY}
"""


def mark_checked(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Give each queue row whose claim was checked before ``checked_before``: its best
    match's rating (a ruling's verdict label), publisher and score; None for the rest."""
    try:
        found = conn.execute(_BEST_SQL, [many(row["id"] for row in rows)]).fetchall()
    except sqlite3.OperationalError:  # a database not yet migrated to hold matches
        found = []
    best = {
        claim_id: {"rating": VERDICT_LABELS.get(rating, rating), "publisher": publisher, "score": score}
        for claim_id, rating, publisher, score in found
    }
    for row in rows:
        row["checked_before"] = best.get(row["id"])
