"""datasette-factcheck: an editorial fact-checking workflow for Datasette.

This module holds only hook implementations; each delegates to a module of
its own (the web package for pages, schema.py for migrations, cli.py for commands).
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.permissions import Action
from datasette.resources import DatabaseResource


@hookimpl
def register_commands(cli):
    from .cli import factcheck

    cli.add_command(factcheck)


@hookimpl
def register_actions(datasette):
    return [
        Action(
            name="factcheck-review",
            abbr="fcr",
            description="Change the review fields of fact-check claims (one at a time or in bulk)",
            resource_class=DatabaseResource,
            also_requires="view-database",
        ),
        Action(
            name="factcheck-load",
            abbr="fcl",
            description="Add articles to a fact-check database from URLs or pasted text (the Add page)",
            resource_class=DatabaseResource,
            also_requires="view-database",
        ),
    ]


@hookimpl
def register_routes():
    from .web import routes

    return routes()


@hookimpl
def startup(datasette):
    from .web.databases import factcheck_database_names, migrate_factcheck_databases
    from .web.defaults import apply_defaults

    async def inner():
        await migrate_factcheck_databases(datasette)
        for name in await factcheck_database_names(datasette):
            await apply_defaults(datasette, name)

    return inner


@hookimpl
def prepare_connection(conn):
    from .store.writers import install_writer_pass

    install_writer_pass(conn)


@hookimpl
def register_events(datasette):
    from .web.events import EVENT_CLASSES

    return list(EVENT_CLASSES)


@hookimpl
def row_actions(datasette, database, table, row):
    from .web.urls import DeskUrls

    if table == "claims":
        return [
            {
                "href": DeskUrls(datasette).claim(database, row["id"]),
                "label": "Review claim",
                "description": "Open this claim in the fact-check review page",
            }
        ]


@hookimpl
def table_actions(datasette, database, table):
    from .web.urls import DeskUrls

    if table in ("claims", "articles", "claim_events"):
        return [{"href": DeskUrls(datasette).queue(database), "label": "Triage queue"}]


@hookimpl
def menu_links(datasette, actor):
    from .web.access import queue_links

    async def inner():
        return await queue_links(datasette, actor)

    return inner


@hookimpl
def asgi_wrapper(datasette):
    from .web.login import asgi_wrapper

    return asgi_wrapper(datasette)


@hookimpl
def forbidden(datasette, request, message):
    from .web.access import login_redirect

    return login_redirect(datasette, request)


@hookimpl
def top_homepage(datasette, request):
    from .web.access import home_panel

    async def inner():
        return await home_panel(datasette, request)

    return inner


@hookimpl
def extra_css_urls(datasette):
    # On every page, so Datasette's own claims table gets its compact layout too.
    return [datasette.urls.static_plugins("datasette_factcheck", "factcheck.css")]


@hookimpl
def render_cell(datasette, database, table, column, value):
    from .web.cells import context_cell

    return context_cell(datasette, database, table, column, value)


# Last, after every hook above is defined: importing datasette.plugins loads the installed
# plugins, this package among them. When a program imports this package before Datasette,
# that load finds this module half-run, and registers what it has so far.
from datasette.plugins import pm  # noqa: E402

from . import hookspecs  # noqa: E402
from .score import builtin  # noqa: E402

pm.add_hookspecs(hookspecs)
if not pm.is_registered(builtin):
    pm.register(builtin, name="datasette_factcheck.builtin")
