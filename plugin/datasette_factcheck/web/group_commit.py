"""Group commit: review writes that arrive together share one transaction.

Every write transaction through Datasette pays a fixed cost once: the hand-off
to the database's write thread and back, BEGIN, the ``write_wrapper`` hooks of
every installed plugin (Datasette's own reads ``sqlite_master`` twice), and
COMMIT with its fsync. When twenty editors save at once that fixed cost is
most of a review's cost. So while one transaction is in flight, the writes
that arrive queue up, and the next transaction runs all of them.

What each write keeps:
- it is all or nothing on its own: the functions given to :meth:`run` must
  work inside their own SAVEPOINT (``review.save_review`` and
  ``review.bulk_update`` do), so one write's 409 or 400 never touches another's;
- it is answered only after the transaction holding it has committed, so
  nothing is acknowledged before it is durable; if the COMMIT fails, every
  write of the group gets that error;
- writes run in arrival order, one after another, exactly as they would
  one transaction each.
With a single editor saving, a group is one write and nothing changes.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from datasette.database import Database

T = TypeVar("T")
WriteFn = Callable[[sqlite3.Connection], Any]

# An upper bound so a burst cannot hold the write lock for long: Datasette's
# own writes (and other plugins') wait behind the whole group.
MAX_GROUP = 64


class GroupCommit:
    """Runs write functions on one Datasette database, many per transaction."""

    def __init__(self, db) -> None:
        self._db = db
        self._waiting: list[tuple[WriteFn, asyncio.Future]] = []
        self._drainer: asyncio.Task | None = None

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(conn)`` on the write connection in the next group; returns
        its result, or raises what it raised, once the group has committed."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((fn, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting[:MAX_GROUP], self._waiting[MAX_GROUP:]
            try:
                functions = [fn for fn, _ in group]
                outcomes = await self._db.execute_write_fn(
                    lambda conn, functions=functions: _run_group(conn, functions)
                )
            except Exception as error:  # the transaction itself failed: nothing of the group was kept
                outcomes = [(False, error)] * len(group)
            for (_, future), (ok, value) in zip(group, outcomes):
                if not future.done():  # its request may have gone away meanwhile
                    future.set_result(value) if ok else future.set_exception(value)


def _run_group(conn: sqlite3.Connection, fns: list[WriteFn]) -> list[tuple[bool, Any]]:
    """Each function in turn inside the one transaction: (True, result) or (False, exception)."""
    outcomes: list[tuple[bool, Any]] = []
    for fn in fns:
        try:
            outcomes.append((True, fn(conn)))
        except Exception as error:  # noqa: BLE001 - handed back to the write's own caller
            outcomes.append((False, error))
        if not conn.in_transaction:
            return _rolled_back(outcomes, len(fns))
    return outcomes


def _rolled_back(outcomes: list[tuple[bool, Any]], size: int) -> list[tuple[bool, Any]]:
    # SQLite rolled the whole transaction back (a full disk, say): what the
    # earlier functions wrote is gone with it, so none of them may succeed.
    lost = sqlite3.OperationalError("the write transaction was rolled back; nothing was saved, try again")
    return [(False, lost) if ok else (ok, value) for ok, value in outcomes] + [(False, lost)] * (size - len(outcomes))


_groups: weakref.WeakKeyDictionary[Any, tuple[asyncio.AbstractEventLoop, GroupCommit]] = weakref.WeakKeyDictionary()


def group_commit(db: Database) -> GroupCommit:
    """The GroupCommit of a Datasette ``Database`` for the running event loop."""
    loop = asyncio.get_running_loop()
    held = _groups.get(db)
    if held is None or held[0] is not loop:
        held = _groups[db] = (loop, GroupCommit(db))
    return held[1]
