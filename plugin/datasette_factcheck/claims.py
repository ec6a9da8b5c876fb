"""Reading claims for the pages: a queue page with its counts, one claim in
its article's context, the filter menus.

Pure Python over a ``sqlite3.Connection`` (no Datasette, no click): the web
layer runs these inside ``db.execute_fn``. They render whatever the tables
hold, since root's write API can leave a claim without its article or a
JSON column that does not parse.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from . import triage
from .links import safe_url
from .review import claim_history

SIBLINGS_SHOWN = 50
CHOICES_SHOWN = 500
JSON_LIST_COLUMNS = ("figures", "reasons", "evidence")

_SELECT_SIBLINGS = f"""SELECT c.id, c.text, c.status, c.verdict, c.article_id, a.title AS article_title, a.outlet
    FROM claims c LEFT JOIN articles a ON a.id = c.article_id
    WHERE c.cluster_id = ? AND c.id != ? AND c.superseded_at IS NULL
    ORDER BY c.checkworthiness DESC LIMIT {SIBLINGS_SHOWN}"""
_SELECT_OUTLETS = f"SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet LIMIT {CHOICES_SHOWN}"
_SELECT_ASSIGNEES = (
    f"SELECT DISTINCT assignee FROM claims WHERE assignee IS NOT NULL ORDER BY assignee LIMIT {CHOICES_SHOWN}"
)


def article_label(title: str | None, outlet: str | None, published: str | None, article_id: str) -> str:
    """What to call an article everywhere: its title, else its outlet and
    date (with the id, so two undated pieces of one outlet differ), else its id."""
    if title:
        return title
    described = ", ".join(part for part in (outlet, published) if part)
    return f"{described} ({article_id})" if described else article_id


def json_list(stored: Any) -> list:
    """A stored JSON array as a list; anything else shown as one item."""
    try:
        value = json.loads(stored) if isinstance(stored, str) else stored
    except ValueError:
        return [stored]
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _rows(conn: sqlite3.Connection, sql: str, params: list | tuple = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for column in JSON_LIST_COLUMNS:
        if column in row:
            row[column] = json_list(row[column])
    return row


def queue_page(conn: sqlite3.Connection, filters: triage.QueueFilters, after: tuple[float, str] | None) -> dict:
    """One page of the queue, the token for the next, and exact counts per status and verdict."""
    rows = [_decoded(row) for row in _rows(conn, *triage.page_query(filters, after, limit=triage.PAGE_SIZE + 1))]
    for row in rows:
        row["article_label"] = article_label(row["article_title"], row["outlet"], None, row["article_id"])
    has_more = len(rows) > triage.PAGE_SIZE
    rows = rows[: triage.PAGE_SIZE]
    counts = {
        column: {row["value"]: row["n"] for row in _rows(conn, *triage.count_query(filters, column))}
        for column in ("status", "verdict")
    }
    shown = filters.statuses()
    return {
        "claims": rows,
        "next": triage.next_token(rows[-1]) if has_more else None,
        "counts": counts,
        "total": sum(n for value, n in counts["status"].items() if shown is None or value in shown),
    }


def filter_choices(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Values for the outlet and assignee filter menus."""
    return {
        "outlet": [row[0] for row in conn.execute(_SELECT_OUTLETS)],
        "assignee": [row[0] for row in conn.execute(_SELECT_ASSIGNEES)],
    }


def claim_page(conn: sqlite3.Connection, claim_id: str) -> dict | None:
    """The claim, its article, the paragraph around it, its cluster and its
    history; None for an unknown claim."""
    found = _rows(conn, "SELECT * FROM claims WHERE id = ?", [claim_id])
    if not found:
        return None
    claim = _decoded(found[0])
    article = article_of(conn, claim["article_id"])
    siblings = _rows(conn, _SELECT_SIBLINGS, [claim["cluster_id"], claim_id])
    for row in siblings:
        row["article_label"] = article_label(row["article_title"], row["outlet"], None, row["article_id"])
    return {
        "claim": claim,
        "article": article,
        "paragraph": highlight(article["body"], claim["text"]),
        "siblings": siblings,
        "history": claim_history(conn, claim_id),
    }


def article_of(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    """The article with its label, and a link only for an http(s) url.
    claims.article_id is not enforced: root may have deleted the article."""
    found = _rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    article = found[0] if found else {"id": article_id, "title": None, "outlet": None, "author": None,
                                      "published": None, "url": None, "body": "", "missing": True}
    article["label"] = article_label(article["title"], article["outlet"], article["published"], article["id"])
    article["link"] = safe_url(article["url"])
    return article


def highlight(body: str, text: str) -> dict[str, str]:
    """The paragraph holding ``text``, split around it for highlighting."""
    for paragraph in (body or "").split("\n\n"):
        at = paragraph.find(text)
        if at >= 0:
            return {"before": paragraph[:at], "claim": text, "after": paragraph[at + len(text) :]}
    return {"before": "", "claim": text, "after": ""}
