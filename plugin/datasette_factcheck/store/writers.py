"""Which part of the plugin is writing, for the database triggers."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Which part of the plugin is writing, for the triggers: while the loader's
# transaction holds 'load', inserts skip the per-row FTS and counts triggers
# (the loader indexes and counts each batch set-wise: for the index alone,
# about 1.6x faster); while a review write holds 'review', the history
# trigger leaves the event to it. No other connection ever sees a row: each is added and removed
# inside one transaction, and a crash rolls it back with everything else.
WRITER_TABLE = "_factcheck_writer"

# A row in WRITER_TABLE switches history off, so the schema refuses one
# unless this SQL function, called by the guard trigger (migration
# writer_marker_guard), answers 1. It answers 1 only while ``writing_as`` is
# adding its row, in the thread doing so: Datasette runs every write, its
# JSON write API's included, on one shared connection, one after another, so
# no other write ever finds it on. A connection where the plugin never wrote
# (the sqlite3 shell, Datasette without the plugin) does not have it at all,
# and SQLite refuses the insert for that. The per-row triggers keep reading
# WRITER_TABLE alone: nothing is asked per claim a load writes.
#
# Not a TEMP table created and dropped around the row, which a trigger in
# main could see through pragma_table_list: dropping it expires every
# prepared statement on the connection, and re-preparing the claims UPDATE
# with its triggers halved the review route's writes per second.
WRITER_PASS = "factcheck_writer_pass"

_MARK = f"INSERT INTO {WRITER_TABLE} (writer) VALUES (?)"
_UNMARK = f"DELETE FROM {WRITER_TABLE} WHERE writer = ?"
_marking = threading.local()


def _holding_pass() -> int:
    return int(getattr(_marking, "active", False))


def install_writer_pass(conn: sqlite3.Connection) -> None:
    """Give ``conn`` the guard's SQL function (Datasette's connections get it at
    once, so an outside insert is refused with the guard's own message)."""
    conn.create_function(WRITER_PASS, 0, _holding_pass)


@contextmanager
def writing_as(conn: sqlite3.Connection, writer: str) -> Iterator[None]:
    """Mark the enclosing transaction as the plugin's ``writer`` ('load' or 'review').

    Only inside a transaction: the row must never outlive it.
    """
    if not conn.in_transaction:
        raise RuntimeError("writing_as needs an open transaction (BEGIN or SAVEPOINT first)")
    try:
        _mark(conn, writer)
    except sqlite3.OperationalError as error:
        if WRITER_PASS not in str(error):
            raise
        # First write on this connection (a new function expires no statement).
        install_writer_pass(conn)
        _mark(conn, writer)
    try:
        yield
    except BaseException:
        # A caller that catches this and commits must not leave history off.
        # (No transaction left means SQLite rolled it back, row and all.)
        if conn.in_transaction:
            conn.execute(_UNMARK, [writer])
        raise
    conn.execute(_UNMARK, [writer])


def _mark(conn: sqlite3.Connection, writer: str) -> None:
    _marking.active = True
    try:
        conn.execute(_MARK, [writer])
    finally:
        _marking.active = False
