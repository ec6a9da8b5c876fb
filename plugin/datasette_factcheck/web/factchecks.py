"""``GET /<db>/-/factcheck/factchecks?q=``: search the published fact-checks imported
with ``datasette factcheck import-factchecks`` (HTML, or JSON with ``.json``)."""

from __future__ import annotations

from datasette.app import Datasette
from datasette.database import Database
from datasette.utils.asgi import Request

from ..desk.checked_before import search_factchecks
from .toolkit import desk_view

MAX_QUERY = 2_000  # characters of q searched: a pasted article is cut, not refused


@desk_view("factcheck_factchecks.html")
async def factchecks_view(request: Request, datasette: Datasette, db: Database) -> dict:
    q = (request.args.get("q") or "")[:MAX_QUERY]
    return await db.execute_fn(lambda conn: search_factchecks(conn, q))
