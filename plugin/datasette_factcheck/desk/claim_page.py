"""Reading claims for the pages: a queue page with its counts, one claim in
its article's context, the filter menus.

Pure Python over a ``sqlite3.Connection`` (no Datasette, no click): the web
layer runs these inside ``db.execute_fn``. They render whatever the tables
hold, since root's write API can leave a claim without its article or a
JSON column that does not parse.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from ..links import safe_url
from ..records import read_json_list
from ..store import clusters as cluster_store
from . import queue as triage
from .history import claim_history
from .work_views import WORK_VIEWS, active_view, view_base, view_of_status

SIBLINGS_SHOWN = 50
CHOICES_SHOWN = 500
JSON_LIST_COLUMNS = ("figures", "reasons", "evidence")
UNTITLED = "Untitled article"

_SELECT_SIBLINGS = f"""SELECT c.id, c.text, c.status, c.verdict, c.article_id, a.title AS article_title, a.outlet,
        a.published
    FROM claims c LEFT JOIN articles a ON a.id = c.article_id
    WHERE c.cluster_id = ? AND c.id != ? AND c.superseded_at IS NULL
    ORDER BY c.checkworthiness DESC LIMIT {SIBLINGS_SHOWN}"""
_SELECT_OUTLETS = f"SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet LIMIT {CHOICES_SHOWN}"
_SELECT_ASSIGNEES = (
    f"SELECT DISTINCT assignee FROM claims WHERE assignee IS NOT NULL ORDER BY assignee LIMIT {CHOICES_SHOWN}"
)


def article_label(title: str | None, outlet: str | None, published: str | None) -> str:
    """What to call an article everywhere: its title, else its outlet and
    date ("AntiWar.com, 20 Dec 2024"), never its id (a hash an editor cannot read)."""
    if title:
        return title
    described = ", ".join(str(part) for part in (outlet, _day(published)) if part)
    return described or UNTITLED


def _day(published: Any) -> str | None:
    """An ISO date as a person writes it; anything else as it is."""
    if not published:
        return None
    try:
        day = date.fromisoformat(str(published)[:10])
    except ValueError:
        return str(published)
    return f"{day.day} {day:%b %Y}"


def _rows(conn: sqlite3.Connection, sql: str, params: list | tuple = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for column in JSON_LIST_COLUMNS:
        if column in row:
            row[column] = read_json_list(row[column])
    return row


def queue_page(
    conn: sqlite3.Connection, filters: triage.QueueFilters, after: tuple[float, str] | None, me: str | None = None
) -> dict:
    """One page of the queue, the token for the next, exact counts per status
    and verdict, and the work views with theirs (``me``: the actor's id, for
    "Mine"). Each row says which work view it belongs to (a search across
    statuses finds claims of every view)."""
    rows = _labelled(_rows(conn, *triage.page_query(filters, after, limit=triage.PAGE_SIZE + 1)))
    has_more = len(rows) > triage.PAGE_SIZE
    rows = rows[: triage.PAGE_SIZE]
    _add_cluster_spread(conn, rows)
    _add_views(rows, filters)
    counts = {column: _counts(conn, filters, column) for column in ("status", "verdict")}
    shown = filters.statuses()
    return {
        "claims": rows,
        "next": triage.next_token(rows[-1]) if has_more else None,
        "counts": counts,
        "total": sum(n for value, n in counts["status"].items() if shown is None or value in shown),
        "views": work_views(conn, filters, me),
        "folded": filters.folds(),
    }


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Queue rows with their JSON columns decoded and their article's label."""
    for row in rows:
        _decoded(row)
        row["article_label"] = article_label(row["article_title"], row["outlet"], row["published"])
    return rows


def _counts(conn: sqlite3.Connection, filters: triage.QueueFilters, column: str) -> dict[Any, int]:
    return {row["value"]: row["n"] for row in _rows(conn, *triage.count_query(filters, column))}


def work_views(conn: sqlite3.Connection, filters: triage.QueueFilters, me: str | None) -> list[dict[str, Any]]:
    """Each work view (WORK_VIEWS) with its count under the other
    filters, the query string that opens it, and whether it is the one shown.
    "Mine" only for a logged-in actor."""
    base = view_base(filters)
    per_status = _counts(conn, base, "status")
    mine = _counts(conn, base.changed(assignee=me), "status") if me else {}
    active = active_view(filters, me)
    return [
        {
            "name": view.name,
            "label": view.label,
            "count": sum((mine if view.mine else per_status).get(s, 0) for s in view.shown),
            "query": view.filters(filters, me).query_string(),
            "active": view == active,
        }
        for view in WORK_VIEWS
        if me or not view.mine
    ]


def _add_views(rows: list[dict[str, Any]], filters: triage.QueueFilters) -> None:
    """Give each row ``view``: the work view its status belongs to, and the
    query string opening it under the other filters (the search kept)."""
    for row in rows:
        view = view_of_status(row["status"])
        row["view"] = (
            {"name": view.name, "label": view.label, "query": view.filters(filters, None).query_string()}
            if view
            else None
        )


def _add_cluster_spread(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Give each row whose claim is repeated ``cluster``: its live copies and
    the articles they are in (the queue's badge), as kept in claim_clusters:
    one lookup a row, whatever the cluster's size."""
    spread = cluster_store.spread(conn, [row["cluster_id"] for row in rows if row["cluster_id"]])
    for row in rows:
        row["cluster"] = spread.get(row["cluster_id"])


def neighbours(conn: sqlite3.Connection, filters: triage.QueueFilters, claim: dict[str, Any]) -> dict[str, Any]:
    """The claims before and after ``claim`` in the queue view ``filters``
    (None at either end), whether or not ``claim`` itself still matches it."""
    if claim["checkworthiness"] is None:  # root's write API can leave a claim unscored
        return {"previous": None, "next": None}
    start = (claim["checkworthiness"], claim["id"])
    found = {}
    for name, backwards in (("previous", True), ("next", False)):
        rows = _labelled(_rows(conn, *triage.neighbour_query(filters, start, backwards)))
        found[name] = rows[0] if rows else None
    return found


def next_in_view(conn: sqlite3.Connection, claim_id: str, filters: triage.QueueFilters) -> dict[str, Any] | None:
    """The claim after ``claim_id`` in the queue view ``filters`` (Save and next)."""
    found = _rows(conn, "SELECT id, checkworthiness FROM claims WHERE id = ?", [claim_id])
    return neighbours(conn, filters, found[0])["next"] if found else None


def filter_choices(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Values for the outlet and assignee filter menus."""
    return {
        "outlet": [row[0] for row in conn.execute(_SELECT_OUTLETS)],
        "assignee": [row[0] for row in conn.execute(_SELECT_ASSIGNEES)],
    }


def claim_page(conn: sqlite3.Connection, claim_id: str, filters: triage.QueueFilters | None = None) -> dict | None:
    """The claim, its article, the paragraph around it, its cluster, its
    history, and its neighbours in the queue view ``filters`` (the queue's
    default when None); None for an unknown claim."""
    found = _rows(conn, "SELECT * FROM claims WHERE id = ?", [claim_id])
    if not found:
        return None
    claim = _decoded(found[0])
    article = article_of(conn, claim["article_id"])
    return {
        "claim": claim,
        "article": article,
        "paragraph": highlight(article["body"], claim["text"]),
        "siblings": _labelled(_rows(conn, _SELECT_SIBLINGS, [claim["cluster_id"], claim_id])),
        "history": claim_history(conn, claim_id),
        "neighbours": neighbours(conn, filters or triage.QueueFilters(), claim),
    }


def article_of(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    """The article with its label, and a link only for an http(s) url.
    claims.article_id is not enforced: root may have deleted the article."""
    found = _rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    article = (
        found[0]
        if found
        else {
            "id": article_id,
            "title": None,
            "outlet": None,
            "author": None,
            "published": None,
            "url": None,
            "body": "",
            "missing": True,
        }
    )
    article["label"] = article_label(article["title"], article["outlet"], article["published"])
    article["link"] = safe_url(article["url"])
    return article


def highlight(body: str, text: str) -> dict[str, str]:
    """The paragraph holding ``text``, split around it for highlighting."""
    for paragraph in (body or "").split("\n\n"):
        at = paragraph.find(text)
        if at >= 0:
            return {"before": paragraph[:at], "claim": text, "after": paragraph[at + len(text) :]}
    return {"before": "", "claim": text, "after": ""}
