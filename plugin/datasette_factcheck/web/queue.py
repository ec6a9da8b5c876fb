"""The triage queue: ``GET /<db>/-/factcheck`` (and ``.json``)."""

from __future__ import annotations

from datasette import Response
from datasette.app import Datasette
from datasette.utils.asgi import Request

from .. import claims, triage
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
    page = await db.execute_fn(lambda conn: claims.queue_page(conn, filters, after, me))
    if wants_json(request):
        return Response.json(
            {"ok": True, **page, "filters": {**filters.values, "q": filters.q, triage.EVERY_COPY: filters.every_copy}}
        )
    return await render(
        datasette,
        request,
        "factcheck_queue.html",
        {
            "database": db.name,
            "filters": filters,
            **page,
            "choices": await db.execute_fn(claims.filter_choices),
            "can_review": await can_review(datasette, request.actor, db.name),
        },
    )
