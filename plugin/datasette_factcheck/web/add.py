"""The Add page: ``GET/POST /<db>/-/factcheck/add`` (and ``add.json``).

Editors paste URLs (one per line) or an article's title and text, and say what the URLs
are (``kind``): "articles" (news to check, the default) or "factchecks" (published
fact-checks with ClaimReview JSON-LD, or feeds and sitemaps of them). A POST starts a job
(``add_jobs``) in a thread and answers at once: a form is sent to the page of its job
(``?job=ID``), a JSON body gets 202 with the job. The page shows the job's progress,
polling ``add.json?job=ID``, then one line per URL and links to each article's claims in
the queue. Jobs live in this process's memory; each is seen only by the actor who started it.

Guarded by the ``factcheck-load`` action (granted to root and editors in the shipped config).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from datasette import Forbidden, NotFound, Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm
from datasette.resources import DatabaseResource
from datasette.utils.asgi import Request

from ..add_jobs import AddError, Job, Pasted, new_job, run
from ..errors import Busy, Invalid, Refused
from ..fetch import FetchOptions
from .toolkit import (
    actor_id,
    error_json,
    factcheck_database,
    http_status,
    is_json_body,
    read_body,
    render,
    secure_headers,
    wants_json,
)

LOAD_ACTION = "factcheck-load"
FORBIDDEN_TO_LOAD = "you do not have permission to add articles (factcheck-load)"
PLUGIN_NAME = "datasette-factcheck"
DEFAULT_LIMIT = 50  # articles from each feed or sitemap, unless the form says otherwise
MAX_LIMIT = 1000
KEPT_JOBS = 200  # finished jobs remembered, oldest forgotten first
MAX_WAITING_PER_EDITOR = 5  # jobs of one editor not yet finished
MAX_WAITING = 20  # jobs of everyone not yet finished
# Jobs run on threads of their own, never on the executor Datasette serves pages and
# static files from: a slow site then delays only the jobs queued behind it. One worker:
# jobs write one SQLite file and run one at a time anyway (add_jobs).
JOB_WORKERS = 1
_pool = ThreadPoolExecutor(max_workers=JOB_WORKERS, thread_name_prefix="factcheck-add")

_jobs: OrderedDict[str, Job] = OrderedDict()
_running: set[asyncio.Future] = set()  # a reference, so a running job is not garbage-collected


@secure_headers
async def add_view(request: Request, datasette: Datasette) -> Response:
    db = await factcheck_database(datasette, request)
    if not await datasette.allowed(
        action=LOAD_ACTION, resource=DatabaseResource(database=db.name), actor=request.actor
    ):
        raise Forbidden(FORBIDDEN_TO_LOAD)
    if request.method == "POST":
        return await _submit(request, datasette, db)
    job = _job(request, db)
    if wants_json(request):
        if job is None:
            return error_json(Invalid("give the job: add.json?job=ID"))
        return Response.json({"ok": True, "job": _job_json(datasette, job)})
    context = {"database": db.name, "job": _job_json(datasette, job) if job else None, "limit": DEFAULT_LIMIT,
               "max_limit": MAX_LIMIT}  # fmt: skip
    return await render(datasette, request, "factcheck_add.html", context)


async def _submit(request: Request, datasette: Datasette, db: Database) -> Response:
    as_json = is_json_body(request)
    try:
        job = _new_job(await read_body(request), as_json, db.name, actor_id(request.actor))
        _check_writable(db)
        _check_waiting(job.actor)
    except Refused as error:
        if as_json:
            return error_json(error)
        return await render(datasette, request, "factcheck_add.html",
                            {"database": db.name, "error": error.message, "limit": DEFAULT_LIMIT,
                             "max_limit": MAX_LIMIT}, status=http_status(error))  # fmt: skip
    _start(job, db, _fetch_options(datasette))
    page = datasette.urls.path(f"/{db.name}/-/factcheck/add?job={job.id}")
    if as_json:
        return Response.json({"ok": True, "job": _job_json(datasette, job), "page": page}, status=202)
    return Response.redirect(page)


def _new_job(data: dict, as_json: bool, database: str, actor: str | None) -> Job:
    """The job a form or JSON body asks for: ``urls`` (lines, or a JSON list), ``kind``
    (articles or factchecks), ``title``, ``text`` and ``url`` for a pasted article,
    ``limit`` for feeds and sitemaps."""
    field = (lambda name: data.get(name)) if as_json else (lambda name: (data.get(name) or [""])[-1])
    urls = field("urls") or ""
    if isinstance(urls, list):
        urls = "\n".join(str(url) for url in urls)
    if not isinstance(urls, str):
        raise AddError("urls must be text (one per line) or a list of URLs")
    title, text, url = (_text(field(name), name) for name in ("title", "text", "url"))
    pasted = Pasted(title, text, url.strip() or None) if (title.strip() or text.strip()) else None
    kind = _text(field("kind"), "kind").strip() or "articles"
    return new_job(database, actor, urls, pasted, _limit(field("limit")), kind)


def _text(value: object, name: str) -> str:
    """A text field of the body: text or absent, never an object, a list or a number."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AddError(f"{name} must be text, not {_json_kind(value)}")
    return value


def _json_kind(value: object) -> str:
    kinds = {dict: "an object", list: "a list", bool: "true or false"}
    return next((kind for type_, kind in kinds.items() if isinstance(value, type_)), "a number")


def _check_waiting(actor: str | None) -> None:
    """429 when this editor, or everyone, already has as many jobs waiting as allowed."""
    waiting = [job for job in _jobs.values() if not job.finished]
    mine = sum(job.actor == actor for job in waiting)
    if mine >= MAX_WAITING_PER_EDITOR:
        raise Busy(f"{mine} jobs already waiting for you; add more when one has finished")
    if len(waiting) >= MAX_WAITING:
        raise Busy(f"{len(waiting)} jobs already waiting; add more when one has finished")


def _limit(value: object) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(str(value).strip())
    except ValueError:
        raise AddError(f"limit must be a whole number from 1 to {MAX_LIMIT}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise AddError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return limit


def _check_writable(db: Database) -> None:
    if not db.is_mutable or not db.path:
        raise AddError(f"database {db.name} is served read-only (or in memory): articles cannot be added to it")


def _fetch_options(datasette: Datasette) -> FetchOptions:
    """FetchOptions' defaults, private addresses refused, with ``plugins: datasette-factcheck:
    fetch:`` settings over them (numbers, and allow_private: true or false)."""
    settings = (datasette.plugin_config(PLUGIN_NAME) or {}).get("fetch") or {}
    given = {field.name: settings[field.name] for field in dataclasses.fields(FetchOptions) if field.name in settings}
    chosen = {name: value for name, value in given.items() if _fits(name, value)}
    return FetchOptions(**{"allow_private": False, **chosen})


def _fits(name: str, value: object) -> bool:
    """A setting of the right kind: allow_private a boolean, the others numbers."""
    if name == "allow_private":
        return isinstance(value, bool)
    return name != "user_agent" and isinstance(value, (int, float)) and not isinstance(value, bool)


def _start(job: Job, db: Database, options: FetchOptions) -> None:
    """Run the job on the jobs' own thread, on its own connection, with the installed plugins' hooks."""
    _remember(job)
    future = asyncio.get_running_loop().run_in_executor(_pool, run, job, db.path, pm.hook, options)
    _running.add(future)
    future.add_done_callback(_running.discard)


def _remember(job: Job) -> None:
    _jobs[job.id] = job
    while len(_jobs) > KEPT_JOBS:
        oldest = next(iter(_jobs))
        if not _jobs[oldest].finished:
            break
        _jobs.pop(oldest)


def _job(request: Request, db: Database) -> Job | None:
    """The job named in ``?job=``, if it is this actor's and this database's."""
    job_id = request.args.get("job")
    if not job_id:
        return None
    job = _jobs.get(job_id)
    if job is None or job.database != db.name or job.actor != actor_id(request.actor):
        raise NotFound("No such job here: jobs are kept in memory, and only until Datasette restarts")
    return job


def _job_json(datasette: Datasette, job: Job) -> dict:
    """The job as JSON, each article with the link to its claims in the queue."""
    data = job.as_json()
    queue = datasette.urls.path(f"/{job.database}/-/factcheck")
    for result in data["results"]:
        for article in result["articles"]:
            article["queue_url"] = f"{queue}?article={quote(article['id'], safe='')}"
    data["factchecks_url"] = datasette.urls.path(f"/{job.database}/-/factcheck/factchecks")
    data["status_url"] = datasette.urls.path(f"/{job.database}/-/factcheck/add.json?job={job.id}")
    return data
