"""Bulk triage: ``POST /<db>/-/factcheck/bulk``, all or nothing."""

from __future__ import annotations

from datasette import Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.utils.asgi import Request

from ..desk.review import bulk_update
from ..errors import Invalid, Refused
from .events import announce
from .group_commit import group_commit
from .toolkit import actor_id, desk_view, error_json, is_json_body, now, raise_page_error, read_body, require_review
from .urls import DeskUrls


@desk_view(check_view=False)  # factcheck-review, checked below, requires view-database
async def bulk_view(request: Request, datasette: Datasette, db: Database) -> Response:
    if request.method != "POST":
        return Response.redirect(DeskUrls(datasette).queue(db.name))
    as_json = is_json_body(request)
    back = request.headers.get("referer") or DeskUrls(datasette).queue(db.name)
    try:
        await require_review(datasette, request, db.name)
        actor = actor_id(request.actor)
        ids, values = _bulk_input(await read_body(request), as_json, actor)
        changes = await group_commit(db).run(lambda conn: bulk_update(conn, ids, values, actor, now()))
    except Refused as error:
        if as_json:
            return error_json(error)
        raise_page_error(error)
        datasette.add_message(request, error.message, datasette.ERROR)
        return Response.redirect(back)
    await announce(datasette, db.name, request.actor, changes)
    if as_json:
        return Response.json({"ok": True, "changed": len(changes), "changes": changes})
    datasette.add_message(request, f"Updated {len(changes)} claim{'s' * (len(changes) != 1)}.", datasette.INFO)
    return Response.redirect(back)


def _bulk_input(data: dict, as_json: bool, me: str | None) -> tuple:
    if as_json:
        unknown = sorted(set(data) - {"ids", "set"})
        if unknown:
            raise Invalid(f"unknown field {', '.join(unknown)}: send ids and set")
        return data.get("ids"), data.get("set")
    # A row's own "Assign to me" button: that claim only, whatever is ticked.
    one = _last(data, "assign_claim")
    if one:
        return [one], {"assignee": _me(me)}
    ids = data.get("ids", [])
    # The bar's "Assign to me" and "Unassign" buttons: the assignee only.
    assign = _last(data, "assign")
    if assign in ASSIGN_BUTTONS:
        return ids, {"assignee": _me(me) if assign == "me" else None}
    # "Apply to selected": set_<field> menus where an empty choice means
    # "leave as it is".
    values = {name[4:]: v[-1] for name, v in data.items() if name.startswith("set_") and v[-1] != ""}
    if not values:
        raise Invalid("choose a status, verdict or assignee to set")
    return ids, values


ASSIGN_BUTTONS = ("me", "none")


def _last(data: dict, name: str) -> str:
    return (data.get(name) or [""])[-1]


def _me(me: str | None) -> str:
    if me is None:
        raise Invalid("log in to assign claims to yourself")
    return me
