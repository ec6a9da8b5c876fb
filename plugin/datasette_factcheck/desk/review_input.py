"""A review submission checked before anything is written: each field's type, vocabulary and size,
from a form or from JSON, into a ``ReviewInput``; bulk requests' ids and values likewise. Every
refusal is an ``errors.Invalid`` with a one-line message naming the field."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Invalid
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


def refuse_unknown(data: Mapping[str, Any], allowed: Sequence[str], where: str = "") -> None:
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
        refuse_unknown(data, SUBMISSION_FIELDS)
    changes = {name: parse(data[name], from_form) for name, parse in _FIELD_PARSERS.items() if name in data}
    version = _parse_version(data["version"], from_form) if "version" in data else None
    apply = _parse_flag(data["apply_to_cluster"], from_form) if "apply_to_cluster" in data else False
    return ReviewInput(changes, version, apply)


def parse_ids(ids: Any) -> list[str]:
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


def parse_set(values: Any) -> dict[str, Any]:
    if not isinstance(values, Mapping):
        raise Invalid(f"set must be an object (got {_describe(values)})")
    refuse_unknown(values, BULK_FIELDS, "set ")
    if not values:
        raise Invalid(f"set must name at least one of {', '.join(BULK_FIELDS)}")
    return {name: _FIELD_PARSERS[name](value, False) for name, value in values.items()}


def state_problem(status: str, verdict: str | None) -> str | None:
    """Why a (status, verdict) pair may not be stored, or None if it may."""
    if status == DONE and verdict is None:
        return f"verdict is required when status is {DONE}: choose one of {', '.join(VERDICTS)}"
    if status == NOT_CHECKABLE and verdict is not None:
        return f"verdict must be empty when status is {NOT_CHECKABLE} (got {verdict!r})"
    return None
