"""One claim: ``GET /<db>/-/factcheck/claims/<id>`` shows it in its article's
context with the review form and history; ``POST`` saves a review."""

from __future__ import annotations

from datasette import NotFound, Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.utils import tilde_decode
from datasette.utils.asgi import Request

from .. import vocab
from ..desk import claim_page as claims
from ..desk import queue as triage
from ..desk.checked_before import checked_before
from ..desk.review import review_values, save_review
from ..desk.review_input import parse_review
from ..desk.work_views import active_view
from ..errors import Refused, Stale
from .events import announce
from .group_commit import group_commit
from .team import assignee_choices
from .toolkit import (
    actor_id,
    can_review,
    desk_view,
    error_json,
    http_status,
    is_json_body,
    now,
    queue_filters,
    raise_page_error,
    read_body,
    render,
    require_review,
    wants_json,
)
from .urls import DeskUrls

_EMPTY = "—"


def _claim_id(request: Request) -> str:
    return tilde_decode(request.url_vars["claim_id"])  # web.urls encodes it


async def claim_view(request: Request, datasette: Datasette) -> Response:
    return await (_save_view if request.method == "POST" else _page_view)(request, datasette)


async def _page_html(request: Request, datasette: Datasette, db: Database, context: dict) -> dict:
    can = await can_review(datasette, request.actor, db.name)
    return await _page_context(datasette, request, db, {**context, "can_review": can})


@desk_view("factcheck_claim.html", html=_page_html)
async def _page_view(request: Request, datasette: Datasette, db: Database) -> dict:
    return await _claim_context(db, _claim_id(request), _queue_view(request))


@desk_view(check_view=False)  # factcheck-review, checked on saving, requires view-database
async def _save_view(request: Request, datasette: Datasette, db: Database) -> Response:
    return await _save_claim(request, datasette, db, _claim_id(request))


async def _team(datasette: Datasette, db: Database, me: str | None) -> list[str]:
    """Who the claim can be assigned to (web/team.py)."""
    used = (await db.execute_fn(claims.filter_choices))["assignee"]
    return await assignee_choices(datasette, db.name, used, me)


def _queue_view(request: Request) -> triage.QueueFilters:
    """The queue view the editor came from, carried in the claim page's query
    string (the queue's own filters); a malformed one is the default queue."""
    try:
        return queue_filters(request)
    except triage.FilterError:
        return triage.QueueFilters()


async def _claim_context(db: Database, claim_id: str, filters: triage.QueueFilters) -> dict:
    context = await db.execute_fn(lambda conn: claims.claim_page(conn, claim_id, filters))
    if context is None:
        raise NotFound(f"No claim with id {claim_id}")
    context["checked_before"] = await db.execute_fn(lambda conn: checked_before(conn, claim_id))
    return context


async def _page_context(datasette: Datasette, request: Request, db: Database, context: dict) -> dict:
    """The claim's context with what the page adds: the team, the history as read, the queue view."""
    filters = _queue_view(request)
    me = actor_id(request.actor)
    view = active_view(filters, me)
    return {
        "database": db.name,
        **context,
        "me": me,
        "team": await _team(datasette, db, me) if context.get("can_review") else [],
        "history_shown": history_view(context["history"]),
        "queue_query": filters.query_string(),
        "view_label": view.label if view else None,
    }


def _shown(field: str, value) -> list[str]:
    """A history value as an editor reads it: labels, not codes; a list
    (evidence) item by item, so each link can be a link."""
    if value is None or value == [] or value == "":
        return [_EMPTY]
    if field == "status":
        return [vocab.STATUS_LABELS.get(value, str(value))]
    if field == "verdict":
        return [vocab.VERDICT_LABELS.get(value, str(value))]
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


def history_view(history: list[dict]) -> list[dict]:
    """Events with their changes as (field, old, new), each value a list of display strings."""
    return [
        {
            **event,
            "at": event["at"].replace("T", " ").replace("+00:00", " UTC"),
            "shown": [
                (field, _shown(field, old), _shown(field, new)) for field, (old, new) in event["changes"].items()
            ],
        }
        for event in history
    ]


async def _save_claim(request: Request, datasette: Datasette, db: Database, claim_id: str) -> Response:
    json_body = is_json_body(request)  # how to read the request
    as_json = json_body or wants_json(request)  # how to answer it
    submitted: dict = {}
    try:
        await require_review(datasette, request, db.name)
        data = await read_body(request)
        submitted = data if json_body else {k: v[-1] for k, v in data.items()}
        review = parse_review(submitted, from_form=not json_body)
        actor = actor_id(request.actor)
        changes, current = await group_commit(db).run(
            lambda conn: (save_review(conn, claim_id, review, actor, now()), review_values(conn, claim_id))
        )
    except Refused as error:
        if as_json:
            return error_json(error)
        return await _form_error(request, datasette, db, claim_id, error, submitted)
    await announce(datasette, db.name, request.actor, changes)
    if as_json:
        return Response.json({"ok": True, "claim": current, "changes": changes})
    message = _saved_message(changes)
    if submitted.get("then") == "next":
        return await _to_next_claim(request, datasette, db, claim_id, message)
    datasette.add_message(request, message, datasette.INFO)
    return Response.redirect(_claim_path(datasette, db, claim_id, _queue_view(request)))


def _claim_path(datasette: Datasette, db: Database, claim_id: str, filters: triage.QueueFilters) -> str:
    return DeskUrls(datasette).claim(db.name, claim_id, filters.query_string())


async def _to_next_claim(request: Request, datasette: Datasette, db: Database, claim_id: str, message: str) -> Response:
    """Save and next: the claim after this one in the queue view the editor
    came from, with its filters; the queue itself after the last one."""
    filters = _queue_view(request)
    following = await db.execute_fn(lambda conn: claims.next_in_view(conn, claim_id, filters))
    if following is None:
        datasette.add_message(request, message + " That was the last claim in this view.", datasette.INFO)
        return Response.redirect(DeskUrls(datasette).queue(db.name, filters.query_string()))
    datasette.add_message(request, message, datasette.INFO)
    return Response.redirect(_claim_path(datasette, db, following["id"], filters))


def _saved_message(changes: list[dict]) -> str:
    if not changes:
        return "Nothing changed."
    if len(changes) == 1 and set(changes[0]["changes"]) == {"assignee"}:  # Assign to me, Unassign
        assignee = changes[0]["changes"]["assignee"][1]
        return f"Assigned to {assignee}." if assignee else "Unassigned."
    siblings = len(changes) - 1
    return "Review saved" + (
        f", and applied to {siblings} claim{'s' * (siblings != 1)} in its cluster." if siblings else "."
    )


async def _form_error(request, datasette, db, claim_id, error: Refused, submitted: dict) -> Response:
    """Show the page again with the editor's unsaved input kept in the form."""
    raise_page_error(error)
    context = await _claim_context(db, claim_id, _queue_view(request))
    context.update(
        can_review=True,
        error=error.message,
        submitted=submitted,
        conflict=error.current if isinstance(error, Stale) else None,
    )
    context = await _page_context(datasette, request, db, context)
    return await render(datasette, request, "factcheck_claim.html", context, status=http_status(error))
