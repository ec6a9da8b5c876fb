"""The triage queue: ``GET /<db>/-/factcheck`` (and ``.json``)."""

from __future__ import annotations

import sqlite3

from datasette import Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.utils.asgi import Request

from .. import vocab
from ..desk import claim_page as claims
from ..desk import queue as triage
from ..desk.checked_before import mark_checked
from .team import assignee_choices, merged_choices
from .toolkit import actor_id, can_review, desk_view, error_json, queue_filters, wants_json
from .urls import DeskUrls


async def _html(request: Request, datasette: Datasette, db: Database, answer: dict) -> dict:
    """The page's context: the filters themselves (the JSON gives their values), the
    filter menus' choices, and whether the actor may triage."""
    filters = queue_filters(request)  # read without error by queue_view already
    me = actor_id(request.actor)
    choices = await db.execute_fn(claims.filter_choices)
    # The team offered for assignment, and in the assignee filter with
    # whatever it already holds (so a filter on a name is shown, never dropped).
    choices["team"] = await assignee_choices(datasette, db.name, choices["assignee"], me)
    choices["assignee"] = merged_choices(choices["team"], filters.values.get("assignee", ()), [vocab.NONE])
    return {
        **answer,
        "filters": filters,
        "choices": choices,
        "me": me,
        "can_review": await can_review(datasette, request.actor, db.name),
    }


@desk_view("factcheck_queue.html", html=_html)
async def queue_view(request: Request, datasette: Datasette, db: Database) -> Response | dict:
    try:
        filters = queue_filters(request)
    except triage.FilterError as error:
        if wants_json(request):
            return error_json(error)
        datasette.add_message(request, error.message, datasette.ERROR)
        return Response.redirect(DeskUrls(datasette).queue(db.name))
    after = triage.parse_after(request.args.get("_next"))
    me = actor_id(request.actor)
    page = await db.execute_fn(lambda conn: _page(conn, filters, after, me))
    return {
        **page,
        "filters": {
            **filters.values,
            "q": filters.q,
            triage.EVERY_COPY: filters.every_copy,
            triage.CHECKED_LAST: filters.checked_last,
        },
    }


def _page(
    conn: sqlite3.Connection, filters: triage.QueueFilters, after: tuple[float, str] | None, me: str | None
) -> dict:
    """The queue's page with each claim's "checked before" mark, in one trip to the database thread."""
    page = claims.queue_page(conn, filters, after, me)
    mark_checked(conn, page["claims"])
    return page
