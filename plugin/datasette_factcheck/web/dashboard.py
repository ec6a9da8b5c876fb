"""The dashboard page: ``GET /<db>/-/factcheck/dashboard`` (and ``.json``).

Thin, like the other views: the numbers come from ``dashboard.collect``, the charts
from ``svg``; this module checks the actor may read claims, turns the
numbers into chart inputs with their links, and renders.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Callable, Sequence

from datasette import Response
from datasette.app import Datasette
from datasette.utils.asgi import Request
from markupsafe import Markup

from .. import dashboard, svg
from ..claims import article_label as name_article
from ..vocab import STATUS_COLOURS, STATUS_LABELS, STATUSES
from .toolkit import factcheck_database, render, secure_headers, wants_json

CHART_ROWS = 15  # rows drawn per progress chart; the tables list them all
Row = dict[str, Any]


@secure_headers
async def dashboard_view(request: Request, datasette: Datasette) -> Response:
    db = await factcheck_database(datasette, request)
    today = datetime.now(timezone.utc).date()
    data = await db.execute_fn(lambda conn: dashboard.collect(conn, today))
    if wants_json(request):
        return Response.json({"ok": True, "database": db.name, **data})
    base = datasette.urls.database(db.name) + "/"
    progress = progress_rows(data)
    return await render(datasette, request, "factcheck_dashboard.html", {
        "database": db.name,
        "data": data,
        **progress,
        "base": base,
        "charts": charts(data, progress, base),
        "queue_link": dashboard.queue_link,
        "events_link": dashboard.events_link,
        "verdict_columns": dashboard.VERDICT_COLUMNS,
        "status_colours": STATUS_COLOURS,
    })


# --- rows with their links ---------------------------------------------------------------

Link = Callable[[Any], str]  # status, statuses or None (all) -> link relative to the database


def _linked(row: Row, label: str, link: Link) -> Row:
    """``row`` with a label and the link behind each of its numbers."""
    links = {status: link(status) for status in STATUSES}
    links.update(total=link(None), reviewed=link(dashboard.REVIEWED_STATUSES))
    return {**row, "label": label, "links": links}


def progress_rows(data: Row) -> dict[str, list[Row]]:
    """The article and assignee rows (unassigned last), each with its links."""
    articles = [
        _linked(row, name_article(row["title"], row["outlet"], row.get("published")), lambda s, article=row["id"]: dashboard.queue_link(s, article=article))
        for row in data["articles"]["rows"]
    ]
    assignees = [
        _linked(row, row["assignee"], lambda s, name=row["assignee"]: dashboard.queue_link(s, assignee=name))
        for row in data["assignees"]["rows"]
    ]
    assignees.append(_linked(data["assignees"]["unassigned"], "Unassigned", dashboard.unassigned_link))
    return {"article_rows": articles, "assignee_rows": assignees}


# --- charts -----------------------------------------------------------------------------------


def charts(data: Row, progress: dict[str, list[Row]], base: str) -> dict[str, Markup]:
    """The page's four charts; ``base`` is the database's URL ending in "/"."""
    assignees = progress["assignee_rows"]
    return {
        "status": _status_chart(data["status_verdict"], base),
        "days": _days_chart(data["reviews_per_day"], base),
        "articles": _progress_chart(progress["article_rows"][:CHART_ROWS], base, "articles", "article"),
        # Unassigned (the last row) is drawn even when the chart is cut short.
        "assignees": _progress_chart(assignees[:-1][:CHART_ROWS] + assignees[-1:], base, "assignees", "assignee"),
    }


def _legend() -> list[tuple[str, str]]:
    return [(STATUS_LABELS[status], STATUS_COLOURS[status]) for status in STATUSES]


def _segments(counts: dict[str, int], link: Callable[[str], str]) -> list[svg.Segment]:
    return [svg.Segment(STATUS_LABELS[s], counts[s], link(s), STATUS_COLOURS[s]) for s in STATUSES]


def _status_chart(matrix: Row, base: str) -> Markup:
    totals = {row["status"]: row["total"] for row in matrix["rows"]}
    row = svg.StackedRow("All live claims", base + dashboard.queue_link(),
                         _segments(totals, lambda s: base + dashboard.queue_link(s)))
    words = ", ".join(f"{STATUS_LABELS[s]} {totals[s]:,}" for s in STATUSES)
    return svg.stacked_bars([row], _legend(), chart_id="fc-chart-status", title="Claims by status",
                            description=f"{matrix['total']:,} live claims: {words}.")


def _days_chart(days: Row, base: str) -> Markup:
    bars = [
        svg.Bar(date.fromisoformat(point["day"]).strftime("%d %b"), point["count"],
                base + dashboard.events_link(point["day"]), f"{point['day']}: {point['count']:,} review changes")
        for point in days["days"]
    ]
    summary = f"{days['total']:,} review changes from {days['start']} to {days['end']}"
    if days["total"]:
        busiest = max(days["days"], key=lambda point: point["count"])
        summary += f"; the busiest day was {busiest['day']} with {busiest['count']:,}"
    return svg.column_chart(bars, chart_id="fc-chart-days", title="Review changes per day", description=summary + ".")


def _progress_chart(rows: Sequence[Row], base: str, name: str, what: str) -> Markup:
    stacked = [
        svg.StackedRow(row["label"], base + row["links"]["total"],
                       _segments(row["counts"], lambda s, links=row["links"]: base + links[s]))
        for row in rows
    ]
    return svg.stacked_bars(stacked, _legend(), chart_id=f"fc-chart-{name}", title=f"Progress by {what}",
                            description=f"For each {what} listed, the share of its live claims in each status.")
