"""The review domain layer: validate review submissions and write them.

Pure Python over a ``sqlite3.Connection`` (no Datasette, no click), so the web
layer calls it inside ``await db.execute_write_fn(lambda conn: ...)`` and tests
call it on a plain connection. Every write runs inside a SAVEPOINT of its own:
released on success (which commits when no transaction was open), rolled back
on any error, so nothing is ever half-written whichever way it is called.

API: ``parse_review`` validates a submission into a ``ReviewInput``;
``save_review`` and ``bulk_update`` write and return change dicts;
``review_values`` and ``claim_history`` read; every refusal is one of
``errors``' kinds: ``Invalid`` input, an ``Unknown`` claim, or a ``Stale``
version (with the claim's ``.current`` values), each with a one-line ``.message``.

A change dict is ``{"claim_id", "action", "changes", "version"}``: the action
("review", "cluster" or "bulk"), ``{field: [old, new]}`` for the fields that
changed (evidence as lists), and the claim's new version.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from ..errors import Invalid, Stale, Unknown
from ..match import claim_matches
from ..records import read_json_list
from ..store.sql import IN_MANY, many, savepoint
from ..store.writers import writing_as
from .review_input import REVIEW_FIELDS, UNKNOWN_IDS_SHOWN, ReviewInput, parse_ids, parse_set, state_problem

# Constant statement texts, so sqlite3's statement cache prepares each once.
_COLUMN_NAMES = ("id", "cluster_id", *REVIEW_FIELDS, "reviewed_by", "reviewed_at", "version")
_COLUMNS = ", ".join(_COLUMN_NAMES)
_SELECT_CLAIM = f"SELECT {_COLUMNS} FROM claims WHERE id = ?"
# One parameter however many ids: no statement per batch size, no variable limit.
_SELECT_CLAIMS = f"SELECT {_COLUMNS} FROM claims WHERE id {IN_MANY}"
_SELECT_CLUSTER = f"SELECT {_COLUMNS} FROM claims WHERE cluster_id = ? AND id <> ? AND superseded_at IS NULL"
_UPDATE_CLAIM = """UPDATE claims SET status = ?, verdict = ?, note = ?, evidence = ?, assignee = ?,
    reviewed_by = ?, reviewed_at = ?, version = ? WHERE id = ?"""
_INSERT_EVENT = "INSERT INTO claim_events (claim_id, at, actor, action, changes) VALUES (?, ?, ?, ?, ?)"
_SAVEPOINT = "factcheck_review"
# What review_values() and a 409's ``current`` hold.
_PUBLIC_FIELDS = (*REVIEW_FIELDS, "reviewed_by", "reviewed_at", "version")


# --- storage -------------------------------------------------------------


@contextmanager
def _atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """All or nothing, inside the caller's transaction or as one of its own."""
    with savepoint(conn, _SAVEPOINT), writing_as(conn, "review"):  # our events carry the actor; see schema.py
        yield


def _claim(row: Sequence[Any]) -> dict[str, Any]:
    # By position, so any row_factory the caller set (sqlite3.Row, none) works.
    claim = dict(zip(_COLUMN_NAMES, row))
    claim["evidence"] = read_json_list(claim["evidence"])
    return claim


def _public(claim: Mapping[str, Any]) -> dict[str, Any]:
    return {key: claim[key] for key in _PUBLIC_FIELDS}


def _load_claim(conn: sqlite3.Connection, claim_id: str) -> dict[str, Any] | None:
    row = conn.execute(_SELECT_CLAIM, (claim_id,)).fetchone()
    return _claim(row) if row is not None else None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class _Change(NamedTuple):
    """A pending write: the claim as loaded, {field: [old, new]}, the event action."""

    claim: dict[str, Any]
    changes: dict[str, list[Any]]
    action: str


def _change(claim: dict[str, Any], new: Mapping[str, Any], action: str) -> _Change | None:
    """What writing ``new`` onto ``claim`` would change, or None if nothing."""
    changes = {name: [claim[name], value] for name, value in new.items() if claim[name] != value}
    return _Change(claim, changes, action) if changes else None


def _write(conn: sqlite3.Connection, pending: list[_Change], actor_id: str | None, now: str) -> list[dict[str, Any]]:
    """One UPDATE and one event INSERT per claim; returns the change dicts."""
    updates, events, results = [], [], []
    for item in pending:
        claim = item.claim
        merged = {name: claim[name] for name in REVIEW_FIELDS}
        merged.update({name: new for name, (_, new) in item.changes.items()})
        version = claim["version"] + 1
        updates.append(
            (
                merged["status"],
                merged["verdict"],
                merged["note"],
                _dumps(merged["evidence"]),
                merged["assignee"],
                actor_id,
                now,
                version,
                claim["id"],
            )
        )
        events.append((claim["id"], now, actor_id, item.action, _dumps(item.changes)))
        results.append({"claim_id": claim["id"], "action": item.action, "changes": item.changes, "version": version})
    try:
        conn.executemany(_UPDATE_CLAIM, updates)
        conn.executemany(_INSERT_EVENT, events)
    except sqlite3.IntegrityError as error:
        # The schema's vocabulary triggers, should validation here ever miss a case.
        raise Invalid(str(error)) from error
    claim_matches.rulings_changed(
        conn, [i.claim["id"] for i in pending if claim_matches.ruling_changed(i.claim, i.changes)]
    )
    return results


# --- operations ----------------------------------------------------------


def _check_version(claim: dict[str, Any], version: int | None) -> None:
    if version is not None and version != claim["version"]:
        raise Stale(
            f"version {version} is out of date: claim {claim['id']} has been saved since "
            f"(now version {claim['version']}); nothing was saved",
            current=_public(claim),
        )


def _cluster_changes(
    conn: sqlite3.Connection, claim: dict[str, Any], status: str, verdict: str | None
) -> list[_Change]:
    """The other live claims of ``claim``'s cluster whose status or verdict differ."""
    if claim["cluster_id"] is None:
        return []
    rows = conn.execute(_SELECT_CLUSTER, (claim["cluster_id"], claim["id"])).fetchall()
    pending = (_change(_claim(row), {"status": status, "verdict": verdict}, "cluster") for row in rows)
    return [item for item in pending if item is not None]


def save_review(
    conn: sqlite3.Connection, claim_id: str, review: ReviewInput, actor_id: str | None, now: str
) -> list[dict[str, Any]]:
    """Apply one review to a claim (and its cluster if asked), all or nothing.

    Raises ``Unknown`` for an unknown claim, ``Stale`` for an out-of-date
    ``review.version`` (with ``.current``), ``Invalid`` when the resulting
    status/verdict pair is invalid.
    With ``apply_to_cluster`` the resulting status and verdict go to every
    other live claim of the cluster that differs, even when the claim itself
    is unchanged. Returns [] and writes nothing when nothing changes.
    """
    with _atomic(conn):
        claim = _load_claim(conn, claim_id)
        if claim is None:
            raise Unknown(f"unknown claim id: {claim_id}")
        _check_version(claim, review.version)
        status = review.changes.get("status", claim["status"])
        verdict = review.changes.get("verdict", claim["verdict"])
        problem = state_problem(status, verdict)
        if problem:
            raise Invalid(problem)
        own = _change(claim, review.changes, "review")
        pending = [own] if own else []
        if review.apply_to_cluster:
            pending += _cluster_changes(conn, claim, status, verdict)
        return _write(conn, pending, actor_id, now) if pending else []


def _unknown_ids(missing: list[str]) -> Unknown:
    shown = ", ".join(missing[:UNKNOWN_IDS_SHOWN])
    more = f" and {len(missing) - UNKNOWN_IDS_SHOWN:,} more" if len(missing) > UNKNOWN_IDS_SHOWN else ""
    return Unknown(f"unknown claim ids: {shown}{more}; nothing was saved")


def bulk_update(
    conn: sqlite3.Connection, ids: Sequence[str], values: Mapping[str, Any], actor_id: str | None, now: str
) -> list[dict[str, Any]]:
    """Set ``status``/``verdict``/``assignee`` on many claims, all or nothing.

    ``ids`` and ``values`` are the ``ids`` and ``set`` of the request body,
    validated here. Raises ``Invalid`` for bad input or a claim whose
    resulting state is invalid (named), ``Unknown`` listing unknown ids. Claims
    already holding the values are left alone (no version bump, no event).
    """
    wanted = parse_ids(ids)
    new = parse_set(values)
    with _atomic(conn):
        claims = {row[0]: _claim(row) for row in conn.execute(_SELECT_CLAIMS, (many(wanted),))}
        missing = [claim_id for claim_id in wanted if claim_id not in claims]
        if missing:
            raise _unknown_ids(missing)
        pending = []
        for claim_id in wanted:
            claim = claims[claim_id]
            problem = state_problem(new.get("status", claim["status"]), new.get("verdict", claim["verdict"]))
            if problem:
                raise Invalid(f"claim {claim_id}: {problem}; nothing was saved")
            item = _change(claim, new, "bulk")
            if item:
                pending.append(item)
        return _write(conn, pending, actor_id, now) if pending else []


def review_values(conn: sqlite3.Connection, claim_id: str) -> dict[str, Any] | None:
    """The claim's review fields (evidence as a list) and version, or None if unknown."""
    claim = _load_claim(conn, claim_id)
    return _public(claim) if claim is not None else None
