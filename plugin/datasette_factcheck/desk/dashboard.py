"""The dashboard's numbers: claims by status x verdict, progress per article
and per assignee, review changes per day.

Pure: SQL over a ``sqlite3.Connection`` (no Datasette, no click), so the web
layer runs ``collect`` inside ``db.execute_fn`` and tests call it on a plain
connection. Superseded claims are left out of every count, as in the queue.

Every query is answered from an index of schema.py. The counts over all
claims (status totals, verdicts, assignees) are still index scans that grow
with the number of claims (about 1 s together at a million claims, against
a few ms for the rest); each lives in one small function below so that a
summary table kept by triggers can replace it without touching the shaping.

``collect`` returns plain JSON-ready data; ``queue_link`` and friends give,
for each number, the page (relative to the database's URL) that lists
exactly the claims or events it counts.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from ..store.counts import COUNTS_TABLE
from ..store.sql import IN_MANY, in_many, many
from ..vocab import ALL_STATUSES, NONE, REVIEWED_STATUSES, STATUSES, VERDICTS
from .queue import QueueFilters

ARTICLES_SHOWN = 50
ASSIGNEES_SHOWN = 200
DAYS_SHOWN = 30
VERDICT_COLUMNS = (*VERDICTS, NONE)  # "none": no verdict yet, as the queue's filter spells it
# Articles are ranked by their most check-worthy unreviewed claim, found by
# walking idx_claims_status from the top. Each article met adds a row, so the
# walk ends after about ARTICLES_SHOWN steps; this caps the rare case of a
# few articles holding all the top claims.
TOP_CLAIMS_WALKED = 20_000

Row = dict[str, Any]
ANY_ACTOR = object()  # events_link: every actor's changes (None means "no actor")


# --- counts over all live claims -----------------------------------------------

# From the claim_counts summary (counts.py): a GROUP BY over a million claims
# takes SQLite 0.1 to 2 s; summing the summary's few hundred rows, a millisecond.
_STATUS_TOTALS = f"SELECT status, sum(n) FROM {COUNTS_TABLE} GROUP BY status HAVING sum(n) != 0"
_VERDICT_COUNTS = f"""SELECT status, verdict, sum(n) FROM {COUNTS_TABLE}
    WHERE verdict != '' GROUP BY status, verdict HAVING sum(n) != 0"""
_ASSIGNED_COUNTS = f"""SELECT assignee, status, sum(n) FROM {COUNTS_TABLE}
    WHERE assignee != '' GROUP BY assignee, status HAVING sum(n) != 0"""


def _status_totals(conn: sqlite3.Connection) -> Counter:
    return Counter({status: n for status, n in conn.execute(_STATUS_TOTALS)})


def _verdict_counts(conn: sqlite3.Connection) -> Counter:
    """{(status, verdict): n} for the claims that have a verdict."""
    return Counter({(status, verdict): n for status, verdict, n in conn.execute(_VERDICT_COUNTS)})


def _assigned_counts(conn: sqlite3.Connection) -> Counter:
    """{(assignee, status): n} for the claims that have an assignee."""
    return Counter({(assignee, status): n for assignee, status, n in conn.execute(_ASSIGNED_COUNTS)})


def status_verdict(totals: Counter, verdicts: Counter) -> Row:
    """The status x verdict table; "no verdict" is each status's remainder."""
    rows = []
    for status in STATUSES:
        counts = {verdict: verdicts[status, verdict] for verdict in VERDICTS}
        counts[NONE] = totals[status] - sum(counts.values())
        rows.append({"status": status, "counts": counts, "total": totals[status]})
    column_totals = {column: sum(row["counts"][column] for row in rows) for column in VERDICT_COLUMNS}
    return {"rows": rows, "totals": column_totals, "total": sum(row["total"] for row in rows)}


# --- progress rows -------------------------------------------------------------------


def progress(counts: Counter, **fields: Any) -> Row:
    """One progress row: claims per status, total, reviewed (done or not checkable)."""
    by_status = {status: counts[status] for status in STATUSES}
    total = sum(by_status.values())
    reviewed = sum(by_status[status] for status in REVIEWED_STATUSES)
    percent = round(100 * reviewed / total, 1) if total else None
    return {**fields, "counts": by_status, "total": total, "reviewed": reviewed, "reviewed_pct": percent}


def assignee_progress(totals: Counter, assigned: Counter, limit: int = ASSIGNEES_SHOWN) -> Row:
    """A row per assignee, by name, then the unassigned claims (the remainder)."""
    names = sorted({name for name, _ in assigned}, key=lambda name: (name.casefold(), name))
    rows = [progress(Counter({s: assigned[name, s] for s in STATUSES}), assignee=name) for name in names[:limit]]
    unassigned = Counter({s: totals[s] - sum(assigned[name, s] for name in names) for s in STATUSES})
    return {"rows": rows, "unassigned": progress(unassigned, assignee=None), "assignees": len(names)}


_TOP_OPEN_CLAIMS = f"""SELECT article_id, checkworthiness FROM claims
    WHERE superseded_at IS NULL AND status = 'unreviewed'
    ORDER BY checkworthiness DESC LIMIT {TOP_CLAIMS_WALKED}"""
# Articles with live claims but none unreviewed, to fill a short list.
_OTHER_ARTICLES = f"""SELECT a.id FROM articles a
    WHERE a.id NOT {in_many(":ranked")}
      AND EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id AND c.superseded_at IS NULL)
    ORDER BY a.id LIMIT :limit"""
_ARTICLE_COUNTS = f"""SELECT article_id, status, count(*) FROM claims
    WHERE article_id {IN_MANY} AND superseded_at IS NULL
    GROUP BY article_id, status"""
_ARTICLE_FIELDS = f"SELECT id, title, outlet, published FROM articles WHERE id {IN_MANY}"


def _ranked_articles(conn: sqlite3.Connection, limit: int) -> dict[str, float | None]:
    """{article id: its top unreviewed score}, most check-worthy first (dicts keep order)."""
    ranked: dict[str, float | None] = {}
    for article_id, score in conn.execute(_TOP_OPEN_CLAIMS):
        ranked.setdefault(article_id, score)
        if len(ranked) >= limit:
            break
    if len(ranked) < limit:
        params = {"ranked": many(ranked), "limit": limit - len(ranked)}
        ranked.update((article_id, None) for (article_id,) in conn.execute(_OTHER_ARTICLES, params))
    return ranked


def article_progress(conn: sqlite3.Connection, limit: int = ARTICLES_SHOWN) -> Row:
    """Progress of the ``limit`` articles whose unreviewed claims are the most
    check-worthy (where the work is), then of fully reviewed ones if room is left."""
    ranked = _ranked_articles(conn, limit)
    ids = many(ranked)
    counts: dict[str, Counter] = {article_id: Counter() for article_id in ranked}
    for article_id, status, n in conn.execute(_ARTICLE_COUNTS, [ids]):
        counts[article_id][status] = n
    fields = {row[0]: row[1:] for row in conn.execute(_ARTICLE_FIELDS, [ids])}
    rows = []
    for article_id, score in ranked.items():
        # .get: claims.article_id is not enforced, and root's write API may leave one dangling.
        title, outlet, published = fields.get(article_id, (None, None, None))
        rows.append(
            progress(
                counts[article_id], id=article_id, title=title, outlet=outlet, published=published, top_score=score
            )
        )
    (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    return {"rows": rows, "articles": articles}


# --- review changes per day -------------------------------------------------------------

_LATEST_EVENT = "SELECT max(at) FROM claim_events"
# idx_claim_events_at finds the window; the actor is read from each event in it.
_EVENTS_PER_DAY = """SELECT substr(at, 1, 10) AS day, actor, count(*) FROM claim_events
    WHERE at >= ? AND at < ? GROUP BY day, actor"""


def _window_end(latest: str | None, today: date, days: int) -> date:
    """Today; or, when nothing happened in the last ``days`` days (an archived
    desk), the day of the latest change, so the chart still shows the work."""
    try:
        latest_day = date.fromisoformat((latest or "")[:10])
    except ValueError:
        return today
    return latest_day if latest_day <= today - timedelta(days=days) else today


def reviews_per_day(conn: sqlite3.Connection, today: date, days: int = DAYS_SHOWN) -> Row:
    """Entries of claim_events per day (UTC) over ``days`` days, zeros
    included, each day split by who made them (``actor`` None: a change made
    around the review pages), and each actor's total, busiest first."""
    (latest,) = conn.execute(_LATEST_EVENT).fetchone()
    end = _window_end(latest, today, days)
    start = end - timedelta(days=days - 1)
    after_end = (end + timedelta(days=1)).isoformat()
    by_day: dict[str, Counter] = {}
    for day, actor, n in conn.execute(_EVENTS_PER_DAY, [start.isoformat(), after_end]):
        by_day.setdefault(day, Counter())[actor] = n
    series = [(start + timedelta(days=offset)).isoformat() for offset in range(days)]
    points = [_day_point(day, by_day.get(day, Counter())) for day in series]
    actors = sum(by_day.values(), Counter())
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days": points,
        "total": sum(point["count"] for point in points),
        "actors": [{"actor": actor, "count": n} for actor, n in _busiest_first(actors)],
    }


def _busiest_first(counts: Counter) -> list[tuple[str | None, int]]:
    # Ties by name, so the order (and each editor's colour) is stable.
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0] or "")))


def _day_point(day: str, actors: Counter) -> Row:
    return {
        "day": day,
        "count": sum(actors.values()),
        "by_actor": [{"actor": actor, "count": n} for actor, n in _busiest_first(actors)],
    }


# --- everything -------------------------------------------------------------------------


def collect(conn: sqlite3.Connection, today: date) -> Row:
    """All the dashboard's numbers. ``today`` (UTC) ends the per-day window."""
    totals = _status_totals(conn)
    return {
        "status_verdict": status_verdict(totals, _verdict_counts(conn)),
        "articles": article_progress(conn),
        "assignees": assignee_progress(totals, _assigned_counts(conn)),
        "reviews_per_day": reviews_per_day(conn, today),
    }


# --- where each number leads ---------------------------------------------------------------


def _statuses(status: str | Sequence[str] | None) -> list[str]:
    if status is None:
        return [ALL_STATUSES]  # the queue shows only open claims unless told otherwise
    return [status] if isinstance(status, str) else list(status)


def queue_link(
    status: str | Sequence[str] | None = None,
    verdict: str | None = None,
    article: str | None = None,
    assignee: str | None = None,
) -> str:
    """The triage queue filtered to the claims a number counts; ``status``
    None means every status, ``verdict`` "none" means no verdict yet."""
    chosen = {"article": [article], "assignee": [assignee], "status": _statuses(status), "verdict": [verdict]}
    filters = QueueFilters({name: values for name, values in chosen.items() if values and values[0] is not None})
    # The numbers count claims: the queue lists every copy of a repeated one for them.
    return "-/factcheck?" + replace(filters, every_copy=filters.folds()).query_string()


def unassigned_link(status: str | Sequence[str] | None = None) -> str:
    """The triage queue filtered to live claims nobody is assigned to."""
    return queue_link(status=status, assignee=NONE)


def events_link(
    day: str | None = None, start: str | None = None, end: str | None = None, actor: Any = ANY_ACTOR
) -> str:
    """Datasette's claim_events table for one day, or for the days start..end;
    ``actor`` narrows it to one actor's changes (None: those with no actor)."""
    who = {} if actor is ANY_ACTOR else {"actor__isnull": "1"} if actor is None else {"actor": actor}
    if day is not None:
        return "claim_events?" + urlencode({"at__startswith": day, **who})
    after_end = (date.fromisoformat(end) + timedelta(days=1)).isoformat()
    return "claim_events?" + urlencode({"at__gte": start, "at__lt": after_end, **who})
