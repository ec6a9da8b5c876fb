"""Bring factcheck databases up to date when Datasette starts."""

from __future__ import annotations

import weakref

import sqlite_utils
from datasette.app import Datasette
from datasette.database import Database

from .schema import migrate, needs_migration

# Databases known to hold factcheck tables, by identity: tables are not
# dropped from under a running Datasette, so a yes is remembered (a no is
# asked again, since a load may create them while Datasette runs).
_known: weakref.WeakSet = weakref.WeakSet()


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
