"""Which part of the plugin is writing, for the database triggers."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

# Which part of the plugin is writing, for the triggers: while the loader's
# transaction holds 'load', inserts skip the per-row FTS trigger (the loader
# indexes each batch with one INSERT ... SELECT, about 1.6x faster); while a
# review write holds 'review', the history trigger leaves the event to it.
# No other connection ever sees a row: each is added and removed inside one
# transaction, and a crash rolls it back with everything else.
WRITER_TABLE = "_factcheck_writer"


@contextmanager
def writing_as(conn: sqlite3.Connection, writer: str) -> Iterator[None]:
    """Mark the enclosing transaction as the plugin's ``writer`` ('load' or 'review')."""
    conn.execute(f"INSERT INTO {WRITER_TABLE} (writer) VALUES (?)", [writer])
    yield
    conn.execute(f"DELETE FROM {WRITER_TABLE} WHERE writer = ?", [writer])
