"""``GET /<db>/-/factcheck/factchecks?q=``: search the published fact-checks imported
with ``datasette factcheck import-factchecks`` (HTML, or JSON with ``.json``)."""

from __future__ import annotations

from datasette import Response
from datasette.app import Datasette
from datasette.utils.asgi import Request

from ..desk.checked_before import search_factchecks
from .toolkit import factcheck_database, render, wants_json

MAX_QUERY = 2_000  # characters of q searched: a pasted article is cut, not refused


async def factchecks_view(request: Request, datasette: Datasette) -> Response:
    db = await factcheck_database(datasette, request)
    q = (request.args.get("q") or "")[:MAX_QUERY]
    found = await db.execute_fn(lambda conn: search_factchecks(conn, q))
    if wants_json(request):
        return Response.json({"ok": True, **found})
    return await render(datasette, request, "factcheck_factchecks.html", {"database": db.name, **found})
