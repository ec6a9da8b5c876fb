"""The queue's work views: presets an editor works through (Open, To triage, In progress,
Second review, Mine, Done), each a set of statuses over the queue's other filters.

Pure: no Datasette, no click.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocab import (
    IN_PROGRESS,
    NEEDS_SECOND_REVIEW,
    OPEN_STATUSES,
    REVIEWED_STATUSES,
    UNFINISHED_STATUSES,
    UNREVIEWED,
)
from .queue import QueueFilters


@dataclass(frozen=True)
class WorkView:
    """A preset of the queue an editor works through: the statuses it shows
    (none given: the open ones, the queue's default), and for ``mine`` only
    the claims assigned to the logged-in actor. The other filters carry over."""

    name: str
    label: str
    statuses: tuple[str, ...] = ()
    mine: bool = False

    @property
    def shown(self) -> tuple[str, ...]:
        return self.statuses or OPEN_STATUSES

    def filters(self, current: QueueFilters, me: str | None) -> QueueFilters:
        """``current`` switched to this view: its status, and its assignee (only mine has one)."""
        return current.changed(status=list(self.statuses) or None, assignee=[me] if self.mine and me else None)


WORK_VIEWS = (
    WorkView("open", "Open"),
    WorkView("triage", "To triage", (UNREVIEWED,)),
    WorkView("in_progress", "In progress", (IN_PROGRESS,)),
    WorkView("second_review", "Second review", (NEEDS_SECOND_REVIEW,)),
    WorkView("mine", "Mine", UNFINISHED_STATUSES, mine=True),
    WorkView("done", "Done", REVIEWED_STATUSES),
)


def active_view(filters: QueueFilters, me: str | None) -> WorkView | None:
    """The work view ``filters`` show, if they are exactly one."""
    return next((view for view in WORK_VIEWS if (me or not view.mine) and view.filters(filters, me) == filters), None)


def view_of_status(status: str | None) -> WorkView | None:
    """The work view a claim of ``status`` is worked on in (a search hit says
    where it belongs): the narrowest view that shows the status."""
    return next((view for view in WORK_VIEWS if view.statuses and not view.mine and status in view.statuses), None)


def view_base(filters: QueueFilters) -> QueueFilters:
    """What every work view keeps of ``filters``: all but status and assignee."""
    return filters.changed(status=None, assignee=None)
