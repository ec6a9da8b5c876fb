"""Triggers on the plugin's tables that its migrations did not create: refused.

A database prepared by someone else can carry a trigger on ``claims`` or ``articles``
that runs on every write the loader, ``rescore`` or a review makes: one that multiplies
rows, or fires itself again (recursive triggers), turns a load into a hang. Which triggers
belong is known exactly: the migrations' own ``CREATE TRIGGER`` statements (fixed text,
later steps replacing earlier ones). Any other trigger on a table they create, or one of
their names with other text, is refused with one line before any write.

No Datasette, no click.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

from . import migrations
from .load_workers import LoadError

_CREATE_TRIGGER = re.compile(r"^CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?(\w+)", re.I)
_DROP_TRIGGER = re.compile(r"^DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?[\"`\[]?(\w+)", re.I)
_CREATE_TABLE = re.compile(r"^CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?(\w+)", re.I)


class ForeignTriggers(LoadError):
    """The database has triggers the plugin did not create on its tables; one line."""


def _normal(sql: str) -> str:
    return " ".join(sql.split()).rstrip(";").strip().lower()


@lru_cache(maxsize=1)
def _expected() -> tuple[dict[str, str], frozenset[str]]:
    """(trigger name -> its text as the migrations leave it, the tables they create)."""
    triggers: dict[str, str] = {}
    tables: set[str] = set()
    for sql in migrations.STEPS.values():
        for statement in migrations.statements(sql):
            if created := _CREATE_TRIGGER.match(statement):
                triggers[created.group(1).lower()] = _normal(statement)
            elif dropped := _DROP_TRIGGER.match(statement):
                triggers.pop(dropped.group(1).lower(), None)
            elif table := _CREATE_TABLE.match(statement):
                tables.add(table.group(1).lower())
    return triggers, frozenset(tables)


def foreign_triggers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(trigger, table) of each trigger on the plugin's tables that its migrations did not create."""
    triggers, tables = _expected()
    rows = conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    return [
        (name, table) for name, table, sql in rows
        if table.lower() in tables and triggers.get(name.lower()) != _normal(sql or "")
    ]  # fmt: skip


def refusal(found: list[tuple[str, str]]) -> str:
    listed = ", ".join(f"{name} on {table}" for name, table in found[:5]) + (", ..." if len(found) > 5 else "")
    return (
        f"the database has {len(found)} trigger{'s' * (len(found) != 1)} on the fact-check tables that "
        f"datasette-factcheck did not create ({listed}); drop {'them' if len(found) != 1 else 'it'} "
        f'(sqlite3 DB "DROP TRIGGER {found[0][0]};") before loading, re-scoring or serving it '
        "(a trigger runs on every write and can make it endless)"
    )


def check(conn: sqlite3.Connection) -> None:
    """Raise ForeignTriggers (one line) if the database has foreign triggers on the plugin's tables."""
    found = foreign_triggers(conn)
    if found:
        raise ForeignTriggers(refusal(found))
