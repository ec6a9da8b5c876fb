"""Give every factcheck database its Datasette settings, whatever its name.

``tables.yml`` (beside this package) holds the table and column descriptions
and the table settings (facets, sort, search, hidden internal tables). Keyed
by database name in datasette.yaml they would reach only a file called
``factcheck.db``; applied here at startup they reach ``desk.db`` too. Only
where the user's metadata.yml or datasette.yaml say nothing: theirs wins.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Any

import yaml
from datasette.app import Datasette

from .. import vocab


@functools.cache
def table_defaults() -> dict[str, dict[str, Any]]:
    """tables.yml, with each vocabulary's values written into its column description."""
    tables = yaml.safe_load(files("datasette_factcheck").joinpath("tables.yml").read_text(encoding="utf-8"))
    values = {name: ", ".join(allowed) for name, allowed in vocab.VOCABULARIES.items()}
    for table in tables.values():
        table["columns"] = {column: text.format(**values) for column, text in table.get("columns", {}).items()}
    return tables


async def apply_defaults(datasette: Datasette, database: str) -> None:
    for table, defaults in table_defaults().items():
        _merge_config(datasette, database, table, defaults.get("config", {}))
        await _add_metadata(datasette, database, table, defaults)


def _merge_config(datasette: Datasette, database: str, table: str, settings: dict[str, Any]) -> None:
    if datasette.config is None:
        datasette.config = {}
    databases = datasette.config.setdefault("databases", {})
    table_config = databases.setdefault(database, {}).setdefault("tables", {}).setdefault(table, {})
    for key, value in settings.items():
        table_config.setdefault(key, value)


async def _add_metadata(datasette: Datasette, database: str, table: str, defaults: dict[str, Any]) -> None:
    if "description" not in await datasette.get_resource_metadata(database, table):
        await datasette.set_resource_metadata(database, table, "description", defaults["description"])
    for column, description in defaults["columns"].items():
        if "description" not in await datasette.get_column_metadata(database, table, column):
            await datasette.set_column_metadata(database, table, column, "description", description)
