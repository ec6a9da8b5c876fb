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
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..errors import Invalid, Stale, Unknown
from ..match import matching
from ..records import read_json_list
from ..store.sql import IN_MANY, many, savepoint
from ..store.writers import writing_as
from ..vocab import DONE, NOT_CHECKABLE, VERDICTS, VocabularyError, check_value

REVIEW_FIELDS = ("status", "verdict", "note", "evidence", "assignee")
SUBMISSION_FIELDS = (*REVIEW_FIELDS, "version", "apply_to_cluster")
BULK_FIELDS = ("status", "verdict", "assignee")
NOTE_MAX_CHARS = 10_000
EVIDENCE_ITEM_MAX_CHARS = 2_000
EVIDENCE_MAX_ITEMS = 50
ASSIGNEE_MAX_CHARS = 200
BULK_MAX_IDS = 1_000
UNKNOWN_IDS_SHOWN = 5
FORM_TRUE = frozenset({"1", "on", "true", "yes"})
# An unticked checkbox is not sent at all; these cover hidden-field fallbacks.
FORM_FALSE = frozenset({"", "0", "off", "false", "no"})
# Longer JSON numbers are no field's value. Python refuses to read an integer
# of over 4,300 digits at all, so a request body is read with read_json_int.
MAX_NUMBER_DIGITS = 30
MAX_VERSION = 2**63 - 1  # SQLite's INTEGER

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
_SELECT_EVENTS = "SELECT id, at, actor, action, changes FROM claim_events WHERE claim_id = ? ORDER BY id"
_SAVEPOINT = "factcheck_review"
# What review_values() and a 409's ``current`` hold.
_PUBLIC_FIELDS = (*REVIEW_FIELDS, "reviewed_by", "reviewed_at", "version")


@dataclass(frozen=True)
class ReviewInput:
    """One validated submission.

    ``changes`` holds only the review fields the submission names, already
    normalised (empty verdict/note/assignee -> None, evidence -> list), so a
    partial JSON update leaves the other fields alone.
    """

    changes: Mapping[str, Any] = field(default_factory=dict)
    version: int | None = None
    apply_to_cluster: bool = False


# --- validation ----------------------------------------------------------


class OversizedNumber:
    """A number in a request too long to be any field's value, kept so the
    field's own check refuses it by name."""

    def __init__(self, digits: str):
        self.digits = digits


def read_json_int(text: str) -> int | OversizedNumber:
    """``json.loads(..., parse_int=read_json_int)``: long integers never fail the parse."""
    return int(text) if len(text) <= MAX_NUMBER_DIGITS else OversizedNumber(text)


# bool before int: True is an int to isinstance, but a boolean in JSON.
_JSON_TYPES = (
    (OversizedNumber, f"a number of over {MAX_NUMBER_DIGITS} digits"),
    (type(None), "null"),
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    (Mapping, "an object"),
    ((list, tuple), "a list"),
)


def _describe(value: object) -> str:
    """The JSON type of ``value`` in words, for "(got a number)"."""
    return next((name for types, name in _JSON_TYPES if isinstance(value, types)), type(value).__name__)


def _too_long(what: str, text: str, limit: int) -> Invalid:
    return Invalid(f"{what} is {len(text):,} characters; the limit is {limit:,}")


def _vocabulary(name: str, value: Any) -> Any:
    try:
        check_value(name, value)
    except VocabularyError as error:
        raise Invalid(str(error)) from None
    return value


def _parse_status(value: Any, from_form: bool) -> str:
    return _vocabulary("status", value)


def _parse_verdict(value: Any, from_form: bool) -> str | None:
    return None if value is None or value == "" else _vocabulary("verdict", value)


def _parse_note(value: Any, from_form: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"note must be a string (got {_describe(value)})")
    if from_form:
        # Browsers send textarea newlines as CRLF; unchanged text must compare equal.
        value = value.replace("\r\n", "\n")
    if not value.strip():
        return None
    if len(value) > NOTE_MAX_CHARS:
        raise _too_long("note", value, NOTE_MAX_CHARS)
    return value  # verbatim: escaping is the web layer's job


def _evidence_items(value: Any, from_form: bool) -> list[str]:
    if from_form:
        if not isinstance(value, str):
            raise Invalid(f"evidence must be text, one item per line (got {_describe(value)})")
        return [line.strip() for line in value.splitlines() if line.strip()]
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(f"evidence must be a list of strings (got {_describe(value)})")
    items = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, str):
            raise Invalid(f"evidence item {number} must be a string (got {_describe(item)})")
        if not item.strip():
            raise Invalid(f"evidence item {number} is empty")
        items.append(item.strip())
    return items


def _parse_evidence(value: Any, from_form: bool) -> list[str]:
    items = _evidence_items(value, from_form)
    if len(items) > EVIDENCE_MAX_ITEMS:
        raise Invalid(f"evidence has {len(items):,} items; the limit is {EVIDENCE_MAX_ITEMS}")
    for number, item in enumerate(items, 1):
        if len(item) > EVIDENCE_ITEM_MAX_CHARS:
            raise _too_long(f"evidence item {number}", item, EVIDENCE_ITEM_MAX_CHARS)
    return items


def _parse_assignee(value: Any, from_form: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"assignee must be a string (got {_describe(value)})")
    value = value.strip()
    if len(value) > ASSIGNEE_MAX_CHARS:
        raise _too_long("assignee", value, ASSIGNEE_MAX_CHARS)
    return value or None


def _parse_version(value: Any, from_form: bool) -> int | None:
    if from_form and isinstance(value, str):
        text = value.strip()
        if not text:
            return None  # an empty hidden field: no conflict check asked for
        if text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:
            value = int(text)
        else:
            shown = repr(text) if len(text) <= MAX_NUMBER_DIGITS else f"{len(text):,} characters"
            raise Invalid(f"version must be a whole number of 0 or more (got {shown})")
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"version must be a whole number of 0 or more (got {_describe(value)})")
    if not 0 <= value <= MAX_VERSION:
        raise Invalid(f"version must be a whole number of 0 or more (got {value})")
    return value


def _parse_flag(value: Any, from_form: bool) -> bool:
    if isinstance(value, bool):
        return value
    if from_form and isinstance(value, str) and value.strip().lower() in FORM_TRUE | FORM_FALSE:
        return value.strip().lower() in FORM_TRUE
    shown = repr(value) if from_form else _describe(value)
    raise Invalid(f"apply_to_cluster must be true or false (got {shown})")


_FIELD_PARSERS: dict[str, Callable[[Any, bool], Any]] = {
    "status": _parse_status,
    "verdict": _parse_verdict,
    "note": _parse_note,
    "evidence": _parse_evidence,
    "assignee": _parse_assignee,
}


def _refuse_unknown(data: Mapping[str, Any], allowed: Sequence[str], where: str = "") -> None:
    unknown = [str(key) for key in data if key not in allowed]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise Invalid(f"unknown {where}field{plural}: {', '.join(unknown)} (allowed: {', '.join(allowed)})")


def parse_review(data: Mapping[str, Any], *, from_form: bool) -> ReviewInput:
    """Validate one review submission (a decoded JSON object or form fields).

    Fields absent from ``data`` stay unchanged. JSON refuses unknown fields;
    a form ignores them (CSRF token, submit button). In a form an empty
    verdict, note, evidence or assignee clears it, and an absent
    ``apply_to_cluster`` (unticked checkbox) means false.
    """
    if not isinstance(data, Mapping):
        raise Invalid(f"a review must be a JSON object (got {_describe(data)})")
    if not from_form:
        _refuse_unknown(data, SUBMISSION_FIELDS)
    changes = {name: parse(data[name], from_form) for name, parse in _FIELD_PARSERS.items() if name in data}
    version = _parse_version(data["version"], from_form) if "version" in data else None
    apply = _parse_flag(data["apply_to_cluster"], from_form) if "apply_to_cluster" in data else False
    return ReviewInput(changes, version, apply)


def _parse_ids(ids: Any) -> list[str]:
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Sequence):
        raise Invalid(f"ids must be a list of claim ids (got {_describe(ids)})")
    for number, claim_id in enumerate(ids, 1):
        if not isinstance(claim_id, str):
            raise Invalid(f"ids item {number} must be a string (got {_describe(claim_id)})")
    unique = list(dict.fromkeys(ids))  # duplicates ignored, first order kept
    if not unique:
        raise Invalid("ids must list at least one claim id")
    if len(unique) > BULK_MAX_IDS:
        raise Invalid(f"ids lists {len(unique):,} claims; the limit is {BULK_MAX_IDS:,}")
    return unique


def _parse_set(values: Any) -> dict[str, Any]:
    if not isinstance(values, Mapping):
        raise Invalid(f"set must be an object (got {_describe(values)})")
    _refuse_unknown(values, BULK_FIELDS, "set ")
    if not values:
        raise Invalid(f"set must name at least one of {', '.join(BULK_FIELDS)}")
    return {name: _FIELD_PARSERS[name](value, False) for name, value in values.items()}


def _state_problem(status: str, verdict: str | None) -> str | None:
    """Why a (status, verdict) pair may not be stored, or None if it may."""
    if status == DONE and verdict is None:
        return f"verdict is required when status is {DONE}: choose one of {', '.join(VERDICTS)}"
    if status == NOT_CHECKABLE and verdict is not None:
        return f"verdict must be empty when status is {NOT_CHECKABLE} (got {verdict!r})"
    return None


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
    matching.rulings_changed(conn, [i.claim["id"] for i in pending if matching.ruling_changed(i.claim, i.changes)])
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
        problem = _state_problem(status, verdict)
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
    wanted = _parse_ids(ids)
    new = _parse_set(values)
    with _atomic(conn):
        claims = {row[0]: _claim(row) for row in conn.execute(_SELECT_CLAIMS, (many(wanted),))}
        missing = [claim_id for claim_id in wanted if claim_id not in claims]
        if missing:
            raise _unknown_ids(missing)
        pending = []
        for claim_id in wanted:
            claim = claims[claim_id]
            problem = _state_problem(new.get("status", claim["status"]), new.get("verdict", claim["verdict"]))
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


def claim_history(conn: sqlite3.Connection, claim_id: str) -> list[dict[str, Any]]:
    """The claim's events, oldest first, ``changes`` decoded to {field: [old, new]}."""
    return [
        {
            "id": event_id,
            "claim_id": claim_id,
            "at": at,
            "actor": actor,
            "action": action,
            "changes": _decode_changes(changes),
        }
        for event_id, at, actor, action, changes in conn.execute(_SELECT_EVENTS, (claim_id,))
    ]


UNREADABLE_CHANGES = "(unreadable record)"


def _decode_changes(stored: Any) -> dict[str, list[Any]]:
    """{field: [old, new]}. Root's write API can append any text to the
    history; an event that is not in that shape is shown as it is stored."""
    try:
        changes = json.loads(stored) if isinstance(stored, str) else None
    except ValueError:
        changes = None
    if isinstance(changes, dict) and all(isinstance(v, list) and len(v) == 2 for v in changes.values()):
        return changes
    return {UNREADABLE_CHANGES: [None, stored]}
