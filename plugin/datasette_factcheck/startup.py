"""Bring factcheck databases up to date when Datasette starts."""

from __future__ import annotations

import sys
import weakref

import sqlite_utils
from datasette.app import Datasette
from datasette.database import Database

from . import foreign_triggers
from .schema import migrate, needs_migration

# Databases known to hold factcheck tables, by identity: tables are not
# dropped from under a running Datasette, so a yes is remembered (a no is
# asked again, since a load may create them while Datasette runs).
_known: weakref.WeakSet = weakref.WeakSet()
# Databases with triggers the plugin did not create on its tables: the desk refuses them
# (foreign_triggers), with this line, rather than let a review's write run them.
_refused: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def refused_reason(db: Database) -> str | None:
    """Why the desk refuses ``db``, or None. A refused database is looked at again each
    time (only those: the others cost a dictionary lookup), so dropping the triggers lifts
    the refusal without restarting Datasette."""
    if db not in _refused:
        return None
    found = await db.execute_fn(foreign_triggers.foreign_triggers)
    if not found:
        del _refused[db]
        return None
    _refused[db] = f"database {db.name}: {foreign_triggers.refusal(found)}"
    return _refused[db]


async def is_factcheck_database(db: Database) -> bool:
    if db in _known:
        return True
    if db.name != "_internal" and await db.table_exists("claims") and await db.table_exists("articles"):
        _known.add(db)
        return True
    return False


async def factcheck_database_names(datasette: Datasette) -> list[str]:
    """Databases holding factcheck tables (others served alongside are left alone)."""
    return [name for name, db in datasette.databases.items() if await is_factcheck_database(db)]


async def migrate_factcheck_databases(datasette: Datasette) -> None:
    for name in await factcheck_database_names(datasette):
        db = datasette.get_database(name)
        if db.is_mutable:
            pending = await db.execute_fn(lambda conn: needs_migration(sqlite_utils.Database(conn)))
            if pending:
                await db.execute_write_fn(lambda conn: migrate(sqlite_utils.Database(conn)))
        found = await db.execute_fn(foreign_triggers.foreign_triggers)
        if found:
            _refused[db] = f"database {name}: {foreign_triggers.refusal(found)}"
            print(_refused[db], file=sys.stderr)
