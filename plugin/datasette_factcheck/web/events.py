"""Announcing committed review changes: Datasette events and our own hook."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from datasette.app import Datasette
from datasette.events import Event
from datasette.plugins import pm


@dataclass
class ClaimReviewedEvent(Event):
    """Event name: ``factcheck-review``

    One claim's review fields changed. ``action`` is ``review`` (saved on its
    page), ``cluster`` (propagated from a sibling) or ``bulk`` (bulk triage);
    ``changes`` maps field -> [old, new].
    """

    name = "factcheck-review"
    database: str
    claim_id: str
    action: str
    changes: dict
    version: int


EVENT_CLASSES = (ClaimReviewedEvent,)


async def announce(datasette: Datasette, database: str, actor: dict | None, changes: list[dict]) -> None:
    """Tell Datasette's event trackers and our hook's listeners, after commit."""
    for change in changes:
        await datasette.track_event(ClaimReviewedEvent(actor=actor, database=database, **change))
    results = pm.hook.factcheck_review_committed(datasette=datasette, database=database, actor=actor, changes=changes)
    for result in results:
        if inspect.isawaitable(result):
            await result
