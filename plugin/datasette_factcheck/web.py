"""The plugin's pages and JSON endpoints, all under ``/<database>/-/factcheck``.

Thin: every decision about what a review may change lives in ``review.py``,
every query in ``triage.py``; this module reads requests, checks permissions,
runs statements and renders.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime, timezone
from urllib.parse import parse_qs

from datasette import Forbidden, NotFound, Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.resources import DatabaseResource, TableResource
from datasette.utils.asgi import Request

from . import triage, vocab
from .events import announce
from .group_commit import group_commit
from .links import safe_url
from .review import (
    ReviewError, bulk_update, claim_history, parse_review, read_json_int, review_values, save_review,
)
from .startup import is_factcheck_database

REVIEW_ACTION = "factcheck-review"
SIBLINGS_SHOWN = 50


# --- shared ----------------------------------------------------------------


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
    if check_view:
        await datasette.ensure_permission(
            action="view-table", resource=TableResource(database=name, table="claims"), actor=request.actor
        )
    return db


async def can_review(datasette: Datasette, actor: dict | None, database: str) -> bool:
    """Asked on every write, never cached: a permission plugin that keeps its
    grants in a database revokes an editor at once."""
    return await datasette.allowed(action=REVIEW_ACTION, resource=DatabaseResource(database=database), actor=actor)


# Plugin pages are never framed (clickjacking of the review form) and never
# content-sniffed (an export read as HTML).
SECURITY_HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"}


def secure_headers(view):
    """Add SECURITY_HEADERS to every response of the ``view``."""

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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _actor_id(actor) -> str | None:
    return str(actor["id"]) if actor and actor.get("id") is not None else None


def _wants_json(request) -> bool:
    return bool(request.url_vars.get("format")) or request.args.get("_format") == "json"


def _is_json_body(request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip() == "application/json"


async def _read_body(request) -> dict:
    """The POSTed JSON object, or the form as {name: [values]}."""
    body = await request.post_body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ReviewError(400, "request body is not UTF-8 text")
    if _is_json_body(request):
        try:
            data = json.loads(text or "null", parse_int=read_json_int)
            # JSON may spell a lone surrogate ("\ud800"); SQLite cannot store it.
            json.dumps(data, ensure_ascii=False, default=lambda oversized: None).encode("utf-8")
        except json.JSONDecodeError as error:
            raise ReviewError(400, f"request body is not valid JSON ({error.msg} at column {error.colno})")
        except RecursionError:
            raise ReviewError(400, "request body is not valid JSON (nested too deeply)")
        except UnicodeEncodeError:
            raise ReviewError(400, "request body contains a lone surrogate (an escape such as \\ud800 with no pair)")
        if not isinstance(data, dict):
            raise ReviewError(400, "request body must be a JSON object")
        return data
    return parse_qs(text, keep_blank_values=True)


def _error_json(error: ReviewError) -> Response:
    payload = {"ok": False, "error": error.message}
    if error.current is not None:
        payload["current"] = error.current
    return Response.json(payload, status=error.status)


async def _render(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    context = {"vocab": vocab, "verdict_labels": vocab.VERDICT_LABELS, "status_labels": vocab.STATUS_LABELS, **context}
    if "history" in context:
        context["history_shown"] = history_view(context["history"])
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


def article_label(title: str | None, outlet: str | None, published: str | None, article_id: str) -> str:
    """What to call an article: its title, else its outlet and date, else its id."""
    if title:
        return title
    described = ", ".join(part for part in (outlet, published) if part)
    return f"{described} ({article_id})" if described else article_id


_EMPTY = "—"


def _shown(field: str, value) -> str:
    """A history value as an editor reads it: labels, not codes."""
    if value is None or value == [] or value == "":
        return _EMPTY
    if field == "status":
        return vocab.STATUS_LABELS.get(value, str(value))
    if field == "verdict":
        return vocab.VERDICT_LABELS.get(value, str(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def history_view(history: list[dict]) -> list[dict]:
    """Events with their changes as (field, old, new) display strings."""
    return [
        {**event, "at": event["at"].replace("T", " ").replace("+00:00", " UTC"),
         "shown": [(field, _shown(field, old), _shown(field, new)) for field, (old, new) in event["changes"].items()]}
        for event in history
    ]


def _decode_row(row) -> dict:
    claim = dict(row)
    for column in ("figures", "reasons", "evidence"):
        if column in claim:
            claim[column] = json.loads(claim[column] or "[]")
    return claim


# --- the triage queue --------------------------------------------------------


@secure_headers
async def queue_view(request: Request, datasette: Datasette) -> Response:
    db = await factcheck_database(datasette, request)
    try:
        filters = queue_filters(request)
    except triage.FilterError as error:
        if _wants_json(request):
            return Response.json({"ok": False, "error": str(error)}, status=400)
        datasette.add_message(request, str(error), datasette.ERROR)
        return Response.redirect(datasette.urls.path(f"/{db.name}/-/factcheck"))
    page = await _queue_page(db, filters, triage.parse_after(request.args.get("_next")))
    if _wants_json(request):
        return Response.json({"ok": True, **page, "filters": {**filters.values, "q": filters.q}})
    return await _render(datasette, request, "factcheck_queue.html", {
        "database": db.name, "filters": filters, **page,
        "choices": await _choices(db), "can_review": await can_review(datasette, request.actor, db.name),
    })


async def _queue_page(db, filters, after) -> dict:
    sql, params = triage.page_query(filters, after, limit=triage.PAGE_SIZE + 1)
    rows = [_decode_row(row) for row in (await db.execute(sql, params)).rows]
    for row in rows:
        row["article_label"] = article_label(row["article_title"], row["outlet"], None, row["article_id"])
    has_more = len(rows) > triage.PAGE_SIZE
    rows = rows[: triage.PAGE_SIZE]
    counts = {}
    for column in ("status", "verdict"):
        sql, params = triage.count_query(filters, column)
        counts[column] = {row["value"]: row["n"] for row in (await db.execute(sql, params)).rows}
    return {
        "claims": rows,
        "next": triage.next_token(rows[-1]) if has_more else None,
        "counts": counts,
        "total": sum(n for value, n in counts["status"].items() if filters.statuses() is None or value in filters.statuses()),
    }


async def _choices(db) -> dict:
    """Values for the outlet and assignee filter menus."""
    outlets = await db.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet LIMIT 500")
    assignees = await db.execute("SELECT DISTINCT assignee FROM claims WHERE assignee IS NOT NULL ORDER BY assignee LIMIT 500")
    return {"outlet": [r[0] for r in outlets.rows], "assignee": [r[0] for r in assignees.rows]}


# --- one claim -----------------------------------------------------------------


@secure_headers
async def claim_view(request: Request, datasette: Datasette) -> Response:
    claim_id = request.url_vars["claim_id"]
    if request.method == "POST":
        db = await factcheck_database(datasette, request, check_view=False)
        return await _save_claim(request, datasette, db, claim_id)
    db = await factcheck_database(datasette, request)
    context = await _claim_context(db, claim_id)
    if _wants_json(request):
        return Response.json({"ok": True, **context})
    context["can_review"] = await can_review(datasette, request.actor, db.name)
    return await _render(datasette, request, "factcheck_claim.html", {"database": db.name, **context})



async def _claim_context(db, claim_id: str) -> dict:
    rows = (await db.execute("SELECT * FROM claims WHERE id = ?", [claim_id])).rows
    if not rows:
        raise NotFound(f"No claim with id {claim_id}")
    claim = _decode_row(rows[0])
    article = await _article_of(db, claim["article_id"])
    siblings = await db.execute(
        f"""SELECT c.id, c.text, c.status, c.verdict, c.article_id, a.title AS article_title, a.outlet
            FROM claims c LEFT JOIN articles a ON a.id = c.article_id
            WHERE c.cluster_id = ? AND c.id != ? AND c.superseded_at IS NULL
            ORDER BY c.checkworthiness DESC LIMIT {SIBLINGS_SHOWN}""",
        [claim["cluster_id"], claim_id],
    )
    history = await db.execute_fn(lambda conn: claim_history(conn, claim_id))
    return {
        "claim": claim,
        "article": article,
        "paragraph": highlight(article["body"], claim["text"]),
        "siblings": [
            {**row, "article_label": article_label(row["article_title"], row["outlet"], None, row["article_id"])}
            for row in map(dict, siblings.rows)
        ],
        "history": history,
    }


async def _article_of(db, article_id: str) -> dict:
    """The claim's article, with its label and a link only for an http(s) url.
    claims.article_id is not enforced: root may have deleted the article."""
    rows = (await db.execute("SELECT * FROM articles WHERE id = ?", [article_id])).rows
    article = dict(rows[0]) if rows else {"id": article_id, "title": None, "outlet": None, "author": None,
                                          "published": None, "url": None, "body": "", "missing": True}
    article["label"] = article_label(article["title"], article["outlet"], article["published"], article["id"])
    article["link"] = safe_url(article["url"])
    return article


def highlight(body: str, text: str) -> dict:
    """The paragraph holding ``text``, split around it for highlighting."""
    for paragraph in body.split("\n\n"):
        at = paragraph.find(text)
        if at >= 0:
            return {"before": paragraph[:at], "claim": text, "after": paragraph[at + len(text):]}
    return {"before": "", "claim": text, "after": ""}


async def _save_claim(request, datasette, db, claim_id: str) -> Response:
    json_body = _is_json_body(request)  # how to read the request
    as_json = json_body or _wants_json(request)  # how to answer it
    submitted: dict = {}
    try:
        if not await can_review(datasette, request.actor, db.name):
            raise ReviewError(403, "you do not have permission to review claims (factcheck-review)")
        data = await _read_body(request)
        submitted = data if json_body else {k: v[-1] for k, v in data.items()}
        review = parse_review(submitted, from_form=not json_body)
        actor = _actor_id(request.actor)
        changes, current = await group_commit(db).run(
            lambda conn: (save_review(conn, claim_id, review, actor, _now()), review_values(conn, claim_id))
        )
    except ReviewError as error:
        if as_json:
            return _error_json(error)
        return await _form_error(request, datasette, db, claim_id, error, submitted)
    await announce(datasette, db.name, request.actor, changes)
    if as_json:
        return Response.json({"ok": True, "claim": current, "changes": changes})
    datasette.add_message(request, _saved_message(changes), datasette.INFO)
    return Response.redirect(datasette.urls.path(f"/{db.name}/-/factcheck/claims/{claim_id}"))


def _saved_message(changes: list[dict]) -> str:
    if not changes:
        return "Nothing changed."
    siblings = len(changes) - 1
    return "Review saved" + (f", and applied to {siblings} claim{'s' * (siblings != 1)} in its cluster." if siblings else ".")


async def _form_error(request, datasette, db, claim_id, error: ReviewError, submitted: dict) -> Response:
    """Show the page again with the editor's unsaved input kept in the form."""
    if error.status == 404:
        raise NotFound(error.message)
    if error.status == 403:
        raise Forbidden(error.message)
    context = await _claim_context(db, claim_id)
    context.update(
        can_review=True, error=error.message, submitted=submitted,
        conflict=error.current if error.status == 409 else None,
    )
    return await _render(datasette, request, "factcheck_claim.html", {"database": db.name, **context}, status=error.status)


# --- bulk triage -----------------------------------------------------------------


@secure_headers
async def bulk_view(request: Request, datasette: Datasette) -> Response:
    db = await factcheck_database(datasette, request, check_view=False)
    if request.method != "POST":
        return Response.redirect(datasette.urls.path(f"/{db.name}/-/factcheck"))
    as_json = _is_json_body(request)
    back = request.headers.get("referer") or datasette.urls.path(f"/{db.name}/-/factcheck")
    try:
        if not await can_review(datasette, request.actor, db.name):
            raise ReviewError(403, "you do not have permission to review claims (factcheck-review)")
        ids, values = _bulk_input(await _read_body(request), as_json)
        actor = _actor_id(request.actor)
        changes = await group_commit(db).run(lambda conn: bulk_update(conn, ids, values, actor, _now()))
    except ReviewError as error:
        if as_json:
            return _error_json(error)
        if error.status == 403:
            raise Forbidden(error.message)
        datasette.add_message(request, error.message, datasette.ERROR)
        return Response.redirect(back)
    await announce(datasette, db.name, request.actor, changes)
    if as_json:
        return Response.json({"ok": True, "changed": len(changes), "changes": changes})
    datasette.add_message(request, f"Updated {len(changes)} claim{'s' * (len(changes) != 1)}.", datasette.INFO)
    return Response.redirect(back)


def _bulk_input(data: dict, as_json: bool) -> tuple:
    if as_json:
        unknown = sorted(set(data) - {"ids", "set"})
        if unknown:
            raise ReviewError(400, f"unknown field {', '.join(unknown)}: send ids and set")
        return data.get("ids"), data.get("set")
    # The queue's bulk bar: checkboxes named ids, and set_<field> menus where
    # an empty choice means "leave as it is".
    values = {name[4:]: v[-1] for name, v in data.items() if name.startswith("set_") and v[-1] != ""}
    if not values:
        raise ReviewError(400, "choose a status, verdict or assignee to set")
    return data.get("ids", []), values
