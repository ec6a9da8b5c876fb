"""datasette-factcheck: an editorial fact-checking workflow for Datasette.

This module holds only hook implementations; each delegates to a module of
its own.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.plugins import pm

from . import builtin, hookspecs

pm.add_hookspecs(hookspecs)
if not pm.is_registered(builtin):
    pm.register(builtin, name="datasette_factcheck.builtin")


@hookimpl
def register_commands(cli):
    from .cli import factcheck

    cli.add_command(factcheck)
