"""What every page of the plugin shares: finding the database, permission
checks, reading requests, rendering, and answering errors one way.

The views (``queue``, ``claim``, ``bulk``, ``dashboard``, ``exports``) import
only these public names; each decision about data lives in a domain module.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from datasette import Forbidden, NotFound, Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.resources import DatabaseResource, TableResource
from datasette.utils.asgi import Request
from datasette.views.base import DatasetteError

from .. import clock, triage, vocab
from ..errors import Busy, Invalid, NotAllowed, Refused, Stale, Unknown
from ..links import safe_url
from ..review import FORM_TRUE, read_json_int
from ..startup import is_factcheck_database, refused_reason

REVIEW_ACTION = "factcheck-review"
# Plugin pages are never framed (clickjacking of the review form) and never
# content-sniffed (an export read as HTML).
# On every answer of the plugin's paths (web.login.asgi_wrapper), 403s and 404s included:
# no framing (clickjacking a Save), no guessing of types, no desk URL in another site's logs.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
FORBIDDEN_TO_REVIEW = "you do not have permission to review claims (factcheck-review)"

View = Callable[[Request, Datasette], Awaitable[Any]]


async def factcheck_database(datasette: Datasette, request: Request, check_view: bool = True) -> Database:
    """The database named in the URL, if the actor may read its claims.

    Writes pass ``check_view=False``: factcheck-review itself requires
    view-database, so one permission check does for them.
    """
    name = request.url_vars["database"]
    try:
        db = datasette.get_database(name)
    except KeyError:
        raise NotFound(f"Database not found: {name}")
    if not await is_factcheck_database(db):
        raise NotFound(f"Database {name} has no claims: load articles with `datasette factcheck load`")
    if reason := await refused_reason(db):
        raise DatasetteError(reason, title="This desk is refused", status=503)
    if check_view:
        await datasette.ensure_permission(
            action="view-table", resource=TableResource(database=name, table="claims"), actor=request.actor
        )
    return db


async def can_review(datasette: Datasette, actor: dict | None, database: str) -> bool:
    """Asked on every write, never cached: a permission plugin that keeps its
    grants in a database revokes an editor at once."""
    return await datasette.allowed(action=REVIEW_ACTION, resource=DatabaseResource(database=database), actor=actor)


async def require_review(datasette: Datasette, request: Request, database: str) -> None:
    if not await can_review(datasette, request.actor, database):
        raise NotAllowed(FORBIDDEN_TO_REVIEW)


def secure_headers(view: View) -> View:
    """Add SECURITY_HEADERS to every response of ``view``."""

    @functools.wraps(view)
    async def wrapped(request: Request, datasette: Datasette):
        response = await view(request, datasette)
        response.headers = {**(response.headers or {}), **SECURITY_HEADERS}
        return response

    return wrapped


def queue_filters(request: Request) -> triage.QueueFilters:
    """The triage queue's filters from the query string (every value of a
    repeated parameter); the exports and the dashboard links read the same."""
    return triage.QueueFilters.from_params({name: request.args.getlist(name) for name in request.args.keys()})


def now() -> str:
    return clock.now_iso()


def actor_id(actor: dict | None) -> str | None:
    return str(actor["id"]) if actor and actor.get("id") is not None else None


def is_checked(value: str | None) -> bool:
    """A ticked checkbox or a true flag in a query string ("1", "on", "true", "yes")."""
    return (value or "").strip().lower() in FORM_TRUE


def wants_json(request: Request) -> bool:
    return bool(request.url_vars.get("format")) or request.args.get("_format") == "json"


def is_json_body(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip() == "application/json"


async def read_body(request: Request) -> dict:
    """The POSTed JSON object, or the form as {name: [values]}."""
    body = await request.post_body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("request body is not UTF-8 text")
    return _read_json(text) if is_json_body(request) else parse_qs(text, keep_blank_values=True)


def _read_json(text: str) -> dict:
    try:
        data = json.loads(text or "null", parse_int=read_json_int)
        # JSON may spell a lone surrogate ("\ud800"); SQLite cannot store it.
        json.dumps(data, ensure_ascii=False, default=lambda oversized: None).encode("utf-8")
    except json.JSONDecodeError as error:
        raise Invalid(f"request body is not valid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        raise Invalid("request body is not valid JSON (nested too deeply)")
    except UnicodeEncodeError:
        raise Invalid("request body contains a lone surrogate (an escape such as \\ud800 with no pair)")
    if not isinstance(data, dict):
        raise Invalid("request body must be a JSON object")
    return data


# The one place a refusal becomes HTTP; a kind not listed is the sender's to fix.
_HTTP_STATUS: tuple[tuple[type[Refused], int], ...] = ((NotAllowed, 403), (Unknown, 404), (Stale, 409), (Busy, 429))


def http_status(error: Refused) -> int:
    """400 for invalid input, 403 not allowed, 404 unknown, 409 stale, 429 busy."""
    return next((status for kind, status in _HTTP_STATUS if isinstance(error, kind)), 400)


def error_json(error: Refused) -> Response:
    """A refusal as JSON: its status, the message, and for a conflict the current values."""
    payload: dict[str, Any] = {"ok": False, "error": error.message}
    if error.current is not None:
        payload["current"] = error.current
    return Response.json(payload, status=http_status(error))


def raise_page_error(error: Refused) -> None:
    """Unknown and not allowed as Datasette's own error pages (404, 403); the
    other refusals are the view's to show, with the editor's input kept."""
    if isinstance(error, Unknown):
        raise NotFound(error.message)
    if isinstance(error, NotAllowed):
        raise Forbidden(error.message)


async def render(datasette: Datasette, request: Request, template: str, context: dict, status: int = 200) -> Response:
    context = {
        "vocab": vocab,
        "verdict_labels": vocab.VERDICT_LABELS,
        "status_labels": vocab.STATUS_LABELS,
        "safe_url": safe_url,
        **context,
    }
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)
