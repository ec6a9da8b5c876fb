"""A claim's history: the claim_events rows, oldest first, each change decoded for the page."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

_SELECT_EVENTS = "SELECT id, at, actor, action, changes FROM claim_events WHERE claim_id = ? ORDER BY id"


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
