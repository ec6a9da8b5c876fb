"""The loader's extraction workers: which hooks they run, how they start, when they stop.

Workers are started with the platform's ``fork`` where it exists (cheap, and
they inherit the loader's hooks as they are) or with another start method
(``spawn`` on macOS and Windows, or chosen by ``start_method`` or the
``FACTCHECK_START_METHOD`` environment variable). A spawned worker starts a
new interpreter and cannot be handed the hook relay (it does not pickle), so
it rebuilds the plugin manager from importable names: a ``HookSource``.

A worker exits as soon as its parent does, even when the parent was killed
with SIGKILL and could not shut the pool down: otherwise it would wait on its
task queue for ever, holding the database file open.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import wait

from pluggy import HookRelay, PluginManager

from ..errors import LoadError

START_METHOD_VARIABLE = "FACTCHECK_START_METHOD"


@dataclass(frozen=True)
class HookSource:
    """Where the extraction hooks come from, by importable names, so a spawned
    worker process can build the same ones.

    ``manager``: ``"module:attribute"`` naming a ``pluggy.PluginManager`` or a
    function that returns one. The default is the standalone manager with the
    built-in extractor and scorer; ``"datasette.plugins:pm"`` is Datasette's,
    which loads the installed plugins from their entry points on import.
    ``plugins``: ``"module:attribute"`` names of further plugins (objects with
    hook implementations, or classes, which are instantiated) registered on it.
    Plugins registered on a manager at run time, rather than installed, are
    not seen by spawned workers: name them here.
    """

    manager: str = "datasette_factcheck.load.plugins:standalone_plugin_manager"
    plugins: tuple[str, ...] = ()

    def plugin_manager(self) -> PluginManager:
        manager = _imported(self.manager)
        manager = manager if isinstance(manager, PluginManager) else manager()
        for name in self.plugins:
            plugin = _imported(name)
            plugin = plugin() if isinstance(plugin, type) else plugin
            if not manager.is_registered(plugin):
                manager.register(plugin, name=name)
        return manager

    def relay(self) -> HookRelay:
        return self.plugin_manager().hook


def _imported(name: str) -> object:
    module, _, attribute = name.partition(":")
    if not attribute:
        raise ValueError(f"{name!r} is not a 'module:attribute' name")
    return getattr(importlib.import_module(module), attribute)


def choose_start_method(requested: str | None = None) -> str:
    """The start method to use: ``requested``, else $FACTCHECK_START_METHOD, else fork where
    the platform has it, else the platform's default."""
    method = requested or os.environ.get(START_METHOD_VARIABLE) or None
    available = multiprocessing.get_all_start_methods()
    if method is None:
        return "fork" if "fork" in available else multiprocessing.get_start_method()
    if method not in available:
        raise LoadError(
            f"start method {method!r} (from the {START_METHOD_VARIABLE} environment variable or "
            f"the start_method option) is not available here; use one of {', '.join(available)}"
        )
    return method


def check_worker_hooks(method: str, hooks: HookRelay | HookSource) -> None:
    """A hook relay reaches only forked workers: it is inherited, and does not pickle."""
    if method != "fork" and not isinstance(hooks, HookSource):
        raise LoadError(
            f"workers started with {method!r} cannot be sent a hook relay; "
            "pass a HookSource that names the plugin manager and its plugins"
        )


def worker_pool(
    workers: int, method: str, hooks: HookRelay | HookSource, scoring: object = None
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started with ``method`` whose tasks run ``hooks``
    and score with ``scoring`` (sent once per worker, not with every batch)."""
    check_worker_hooks(method, hooks)
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context(method), initializer=_start_worker, initargs=(hooks, scoring)
    )


_hook: HookRelay | None = None  # in a worker process: the hooks its tasks run
_scoring: object = None  # and the model they score with


def _start_worker(hooks: HookRelay | HookSource, scoring: object) -> None:
    global _hook, _scoring
    _hook = hooks.relay() if isinstance(hooks, HookSource) else hooks
    _scoring = scoring
    _exit_with_parent()


def run_in_worker(task: Callable, items: list) -> list:
    """``task(item, hook, scoring)`` for each item, in a worker process."""
    return [task(item, _hook, _scoring) for item in items]


def _exit_with_parent() -> None:
    """End this worker process when its parent process ends, however it ended.

    multiprocessing gives each child a sentinel of its parent: the read end of
    a pipe only the parent holds open (a process handle on Windows), ready
    once the parent is gone. A forked worker also holds the pipes of workers
    forked before it, so when the parent dies the last worker sees it first
    and the others follow as each exits: a chain, not a hang.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)  # no clean-up to do: the parent that wanted the results is gone

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
