"""SQLite idioms the domain modules share, each written once.

- Many values in one query: ``IN_MANY`` with the values as one JSON
  parameter (``many``). One statement whatever the count, so it is prepared
  once and cached, and SQLite's limit on bound variables never applies.
- A filter's few values: ``in_values``, each its own parameter, so SQLite's
  planner sees how few there are and uses their index.
- All-or-nothing writes: ``savepoint``, which knows that an error such as a
  full disk can end the whole transaction before it is rolled back to.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


def in_many(placeholder: str = "?") -> str:
    """What follows a column to test it against many values: "id IN (SELECT ...)".
    ``placeholder`` is "?" or a named one (":ids") in a query with named parameters."""
    return f"IN (SELECT value FROM json_each({placeholder}))"


IN_MANY = in_many()


def many(values: Iterable[object]) -> str:
    """The one parameter ``IN_MANY`` takes: the values as a JSON array."""
    return json.dumps(list(values))


def in_values(count: int) -> str:
    """The test for the ``count`` values a queue filter names, ``IN (?, ?)``: a few, from a URL.

    Not IN_MANY: behind json_each the planner cannot see that two clusters or
    two statuses are wanted, and walks every claim in queue order instead of
    their index (80 ms against 0.2 ms on 39,000 claims, growing with the desk).
    """
    return f"IN ({', '.join('?' * count)})"


@contextmanager
def savepoint(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """Run the block in a savepoint named ``name``: kept on success, undone on error.

    Inside the caller's transaction, or as a transaction of its own. A fixed
    name (unlike sqlite-utils' ``atomic()``) lets SQLite and Python's
    statement cache prepare these statements once per connection. When SQLite
    has already rolled the whole transaction back (a full disk, an I/O error)
    there is nothing to roll back to, and the error goes up as it came.
    """
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")
