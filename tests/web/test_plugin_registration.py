"""Datasette sees every hook of the plugin whichever is imported first, the plugin or Datasette."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import {first}
from datasette.plugins import pm
names = {{impl.plugin_name for impl in pm.hook.register_routes.get_hookimpls()}}
startup = {{impl.plugin_name for impl in pm.hook.startup.get_hookimpls()}}
assert "factcheck" in names and "factcheck" in startup, (names, startup)
assert pm.get_plugin("datasette_factcheck.builtin") is not None
"""


@pytest.mark.parametrize("first", ["datasette_factcheck", "datasette.app", "datasette_factcheck.load.run"])
def test_hooks_are_registered_whatever_is_imported_first(first):
    result = subprocess.run([sys.executable, "-c", CHECK.format(first=first)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
