"""SQLite idioms the domain modules share, each written once.

- Many values in one query: ``IN_MANY`` with the values as one JSON
  parameter (``many``). One statement whatever the count, so it is prepared
  once and cached, and SQLite's limit on bound variables never applies.
- A filter's few values: ``in_values``, each its own parameter, so SQLite's
  planner sees how few there are and uses their index.
- All-or-nothing writes: ``savepoint``, which knows that an error such as a
  full disk can end the whole transaction before it is rolled back to.
- Text read at C speed on a connection that decodes it in Python (Datasette's):
  ``text_as_str``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar


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


# The sqlite3 module's words when text is not UTF-8 and text_factory is str.
_NOT_UTF8 = "Could not decode to UTF-8"
_T = TypeVar("_T")


def text_as_str(conn: sqlite3.Connection, read: Callable[[], _T]) -> _T:
    """``read()`` with the connection's text decoded by the sqlite3 module itself.

    Datasette gives its connections a text_factory of its own (a Python function
    that replaces what is not UTF-8 rather than refusing it): a Python call for
    every text cell, a seventh of the review sheet's download on the bench (the
    server's CPU time from 6.9 to 6.0 s). With ``str`` the module decodes in C. A read that meets text that is not UTF-8 runs again with the
    connection's own decoding, so a page comes out as that connection reads it.
    """
    own = conn.text_factory
    if own is str:
        return read()
    conn.text_factory = str
    try:
        return read()
    except sqlite3.OperationalError as error:
        if _NOT_UTF8 not in str(error):
            raise
    finally:
        conn.text_factory = own
    return read()
