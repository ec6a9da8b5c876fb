"""The triage queue: ``GET /<db>/-/factcheck`` (and ``.json``)."""

from __future__ import annotations

import sqlite3

from datasette import Response
from datasette.app import Datasette
from datasette.utils.asgi import Request

from .. import claims, triage, vocab
from ..checked_before import mark_checked
from .team import assignee_choices, merged_choices
from .toolkit import (
    actor_id,
    can_review,
    error_json,
    factcheck_database,
    queue_filters,
    render,
    secure_headers,
    wants_json,
)


@secure_headers
async def queue_view(request: Request, datasette: Datasette) -> Response:
    db = await factcheck_database(datasette, request)
    try:
        filters = queue_filters(request)
    except triage.FilterError as error:
        if wants_json(request):
            return error_json(error)
        datasette.add_message(request, error.message, datasette.ERROR)
        return Response.redirect(datasette.urls.path(f"/{db.name}/-/factcheck"))
    after = triage.parse_after(request.args.get("_next"))
    me = actor_id(request.actor)
    page = await db.execute_fn(lambda conn: _page(conn, filters, after, me))
    if wants_json(request):
        return Response.json(
            {
                "ok": True,
                **page,
                "filters": {
                    **filters.values,
                    "q": filters.q,
                    triage.EVERY_COPY: filters.every_copy,
                    triage.CHECKED_LAST: filters.checked_last,
                },
            }
        )
    choices = await db.execute_fn(claims.filter_choices)
    # The team offered for assignment, and in the assignee filter with
    # whatever it already holds (so a filter on a name is shown, never dropped).
    choices["team"] = await assignee_choices(datasette, db.name, choices["assignee"], me)
    choices["assignee"] = merged_choices(choices["team"], filters.values.get("assignee", ()), [vocab.NONE])
    return await render(
        datasette,
        request,
        "factcheck_queue.html",
        {
            "database": db.name,
            "filters": filters,
            **page,
            "choices": choices,
            "me": me,
            "can_review": await can_review(datasette, request.actor, db.name),
        },
    )


def _page(
    conn: sqlite3.Connection, filters: triage.QueueFilters, after: tuple[float, str] | None, me: str | None
) -> dict:
    """The queue's page with each claim's "checked before" mark, in one trip to the database thread."""
    page = claims.queue_page(conn, filters, after, me)
    mark_checked(conn, page["claims"])
    return page
