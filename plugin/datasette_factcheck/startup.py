"""Bring factcheck databases up to date when Datasette starts."""

from __future__ import annotations

import sqlite_utils

from .schema import migrate, migrations


async def factcheck_database_names(datasette) -> list[str]:
    """Databases holding factcheck tables (others served alongside are left alone)."""
    names = []
    for name, db in datasette.databases.items():
        if name != "_internal" and await db.table_exists("claims") and await db.table_exists("articles"):
            names.append(name)
    return names


async def migrate_factcheck_databases(datasette) -> None:
    for name in await factcheck_database_names(datasette):
        db = datasette.get_database(name)
        if db.is_mutable:
            pending = await db.execute_fn(lambda conn: bool(migrations.pending(sqlite_utils.Database(conn))))
            if pending:
                await db.execute_write_fn(lambda conn: migrate(sqlite_utils.Database(conn)))
