"""The dashboard page: ``GET /<db>/-/factcheck/dashboard`` (and ``.json``).

Thin, like the other views: the numbers come from ``dashboard.collect``, the
charts' shapes from ``charts``; this module checks the actor may read claims,
turns the numbers into chart rows with their links, and renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from datasette.app import Datasette
from datasette.database import Database
from datasette.utils.asgi import Request

from .. import clock
from ..desk import dashboard
from ..desk.claim_page import article_label
from ..vocab import (
    REVIEWED_STATUSES,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUSES,
    VERDICT_COLOURS,
    VERDICT_LABELS,
    VERDICTS,
)
from . import charts
from .toolkit import desk_view

CHART_ROWS = 15  # rows drawn per progress chart; the tables list them all
NO_ACTOR = "outside the review pages"  # a change made with the write API or SQL
Row = dict[str, Any]


async def _page(request: Request, datasette: Datasette, db: Database, answer: Row) -> Row:
    """The page's context: the numbers as chart rows with their links."""
    data = {name: value for name, value in answer.items() if name != "database"}
    base = datasette.urls.database(db.name) + "/"
    progress = progress_rows(data)
    return {
        "data": data,
        **progress,
        "base": base,
        "charts": all_charts(data, progress, base),
        "queue_link": dashboard.queue_link,
        "events_link": dashboard.events_link,
        "verdict_columns": dashboard.VERDICT_COLUMNS,
        "status_colours": STATUS_COLOURS,
        "status_legend": [(STATUS_LABELS[status], STATUS_COLOURS[status]) for status in STATUSES],
        "no_actor": NO_ACTOR,
    }


@desk_view("factcheck_dashboard.html", html=_page)
async def dashboard_view(request: Request, datasette: Datasette, db: Database) -> Row:
    today = clock.utc_now().date()
    data = await db.execute_fn(lambda conn: dashboard.collect(conn, today))
    return {"database": db.name, **data}


# --- rows with their links ---------------------------------------------------------------

Link = Callable[[Any], str]  # status, statuses or None (all) -> link relative to the database


def _linked(row: Row, label: str, link: Link) -> Row:
    """``row`` with a label and the link behind each of its numbers."""
    links = {status: link(status) for status in STATUSES}
    links.update(total=link(None), reviewed=link(REVIEWED_STATUSES))
    return {**row, "label": label, "links": links}


def _article_row(row: Row) -> Row:
    label = article_label(row["title"], row["outlet"], row.get("published"))
    return _linked(row, label, lambda status: dashboard.queue_link(status, article=row["id"]))


def progress_rows(data: Row) -> dict[str, list[Row]]:
    """The article and assignee rows (unassigned last), each with its links."""
    assignees = [
        _linked(row, row["assignee"], lambda status, name=row["assignee"]: dashboard.queue_link(status, assignee=name))
        for row in data["assignees"]["rows"]
    ]
    assignees.append(_linked(data["assignees"]["unassigned"], "Unassigned", dashboard.unassigned_link))
    return {"article_rows": [_article_row(row) for row in data["articles"]["rows"]], "assignee_rows": assignees}


# --- charts -----------------------------------------------------------------------------------


def all_charts(data: Row, progress: dict[str, list[Row]], base: str) -> dict[str, Any]:
    """The page's charts; ``base`` is the database's URL ending in "/"."""
    assignees = progress["assignee_rows"]
    matrix = data["status_verdict"]
    statuses = {row["status"]: row["total"] for row in matrix["rows"]}
    return {
        "status": charts.bars(
            [
                charts.Part(STATUS_LABELS[s], statuses[s], base + dashboard.queue_link(s), STATUS_COLOURS[s])
                for s in STATUSES
            ]
        ),
        "verdicts": charts.bars(
            [
                charts.Part(
                    VERDICT_LABELS[v], matrix["totals"][v], base + dashboard.queue_link(verdict=v), VERDICT_COLOURS[v]
                )
                for v in VERDICTS
            ]
        ),
        "articles": _progress_chart(progress["article_rows"][:CHART_ROWS], base),
        # Unassigned (the last row) is drawn even when the chart is cut short.
        "assignees": _progress_chart(assignees[:-1][:CHART_ROWS] + assignees[-1:], base),
        **_days_chart(data["reviews_per_day"], base),
    }


def _progress_chart(rows: Sequence[Row], base: str) -> charts.Chart:
    return [
        charts.stacked(
            row["label"],
            base + row["links"]["total"],
            [
                charts.Part(STATUS_LABELS[s], row["counts"][s], base + row["links"][s], STATUS_COLOURS[s])
                for s in STATUSES
            ],
        )
        for row in rows
    ]


def actor_name(actor: str | None) -> str:
    return actor if actor is not None else NO_ACTOR


def _days_chart(days: Row, base: str) -> dict[str, Any]:
    """Review changes per day, each day's column split by editor, and the editors' legend."""
    colours = charts.editor_colours([entry["actor"] for entry in days["actors"]])
    columns = [
        (
            _short_day(point["day"]),
            base + dashboard.events_link(point["day"]),
            [
                charts.Part(
                    actor_name(entry["actor"]),
                    entry["count"],
                    base + dashboard.events_link(point["day"], actor=entry["actor"]),
                    colours[entry["actor"]],
                )
                for entry in point["by_actor"]
            ],
        )
        for point in days["days"]
    ]
    editors = [(actor_name(entry["actor"]), colours[entry["actor"]], entry["count"]) for entry in days["actors"]]
    return {"days": charts.columns(columns), "editors": editors}


def _short_day(day: str) -> str:
    parsed = date.fromisoformat(day)
    return f"{parsed.day} {parsed:%b}"
