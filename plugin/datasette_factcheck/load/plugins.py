"""A plugin manager for using the extraction hooks outside Datasette.

Inside Datasette (the ``datasette factcheck`` commands, the web app) the
hooks run through Datasette's own plugin manager, where ``__init__.py`` adds
them; library users and tests without Datasette get this standalone one.
"""

from __future__ import annotations

import pluggy

from .. import hookspecs
from ..score import builtin


def standalone_plugin_manager(*plugins: object) -> pluggy.PluginManager:
    """A manager with the factcheck hookspecs, the built-ins and ``plugins``."""
    pm = pluggy.PluginManager("datasette")
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name="datasette_factcheck.builtin")
    for plugin in plugins:
        pm.register(plugin)
    return pm
