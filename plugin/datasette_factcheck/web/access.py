"""Getting into the desk: a stranger asking for a page is sent to the login
page, and Datasette's home page leads to each database's queue in one click.

The shipped datasette.yaml is private (a root-level ``allow:``), so without
this a stranger would meet a bare 403 page with no way forward.
"""

from __future__ import annotations

from datasette import Response
from datasette.app import Datasette
from datasette.resources import DatabaseResource, TableResource
from datasette.utils.asgi import Request
from markupsafe import Markup

from .. import claims, triage
from ..startup import factcheck_database_names
from .login import login_url
from .toolkit import actor_id

LOGIN_PLUGIN = "datasette-auth-passwords"
# Refusals that say something a login page would hide: "Root token has already been used".
OWN_MESSAGE_PATHS = ("/-/auth-token",)


def _asks_for_a_page(request: Request) -> bool:
    """A browser's GET of an HTML page: not JSON, CSV or any other data
    (Datasette spells those as an extension on the last path segment)."""
    last_segment = request.path.rstrip("/").rsplit("/", 1)[-1]
    wants_data = "." in last_segment or "application/json" in (request.headers.get("accept") or "")
    return request.method == "GET" and not wants_data and not request.path.endswith(OWN_MESSAGE_PATHS)


def login_redirect(datasette: Datasette, request: Request) -> Response | None:
    """Send a stranger to log in, and back to the page asked for afterwards; None keeps
    Datasette's own 403 (for data, for writes, for a logged-in actor who lacks the
    permission, and when no login page is configured)."""
    if request.actor or not _asks_for_a_page(request) or datasette.plugin_config(LOGIN_PLUGIN) is None:
        return None
    asked = request.path + (f"?{request.query_string}" if request.query_string else "")
    return Response.redirect(login_url(datasette, asked if request.path != "/" else None))


async def queue_links(datasette: Datasette, actor: dict | None) -> list[dict]:
    """The navigation's queue links: only databases the actor may see (a stranger at the
    login page of a private desk is not told their names)."""
    links = []
    for name in await factcheck_database_names(datasette):
        if await datasette.allowed(action="view-database", resource=DatabaseResource(database=name), actor=actor):
            links.append({"href": datasette.urls.path(f"/{name}/-/factcheck"), "label": f"Triage queue: {name}"})
    return links


async def _desk(datasette: Datasette, request: Request, name: str) -> dict | None:
    """One database's queue link with its work-view counts, if the actor may read it."""
    resource = TableResource(database=name, table="claims")
    if not await datasette.allowed(action="view-table", resource=resource, actor=request.actor):
        return None
    me = actor_id(request.actor)
    views = await datasette.get_database(name).execute_fn(
        lambda conn: claims.work_views(conn, triage.QueueFilters(), me)
    )
    return {"name": name, "href": datasette.urls.path(f"/{name}/-/factcheck"), "views": views}


async def home_panel(datasette: Datasette, request: Request) -> Markup:
    """The top of Datasette's home page: each desk's queue, with its work views."""
    desks = [await _desk(datasette, request, name) for name in await factcheck_database_names(datasette)]
    desks = [desk for desk in desks if desk]
    if not desks:
        return Markup("")
    return Markup(await datasette.render_template("factcheck_home.html", {"desks": desks}, request=request))
