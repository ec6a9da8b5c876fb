"""Importing published fact-checks, step by step: read the sources, write the fact-checks,
compute the second stage's vectors, redo the matches they affect.

``import-factchecks`` runs each step under its own progress bar; the Add page runs them
all at once (``import_factchecks``) for the fact-check URLs an editor pastes. One code
path, so both import the same way. No Datasette, no click.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .. import clock
from ..ingest.fetch import Fetcher
from . import claim_matches, semantic
from .sources import SourceRead, read_sources
from .store import ImportSummary, store

Progress = Callable[[int], None]


def _nothing(done: int) -> None:
    pass


def store_reads(
    conn: sqlite3.Connection, reads: list[SourceRead], summary: ImportSummary, progress: Progress = _nothing
) -> None:
    """Write every fact-check ``reads`` gave, counting into ``summary`` (with their problems)."""
    now = clock.now_iso()
    for read in reads:
        summary.problems += read.parsed.problems
        summary.sources_failed += read.failed
        store(conn, read.parsed.factchecks, read.source, now, summary, progress)


def vector_ids(conn: sqlite3.Connection, changed: list[str]) -> list[str]:
    """The fact-checks needing the second stage's vector: new and changed ones, and any
    still without one; none when the ``[semantic]`` extra is not installed."""
    if not semantic.available():
        return []
    return list(dict.fromkeys(changed + semantic.without_vectors(conn)))


def store_vectors(conn: sqlite3.Connection, ids: list[str], progress: Progress = _nothing) -> None:
    if ids:
        semantic.store_vectors(conn, ids, progress)


def rematch(conn: sqlite3.Connection, changed: list[str], progress: Progress = _nothing) -> int:
    """Redo the claims' matches the changed fact-checks affect, and commit; how many claims."""
    matched = claim_matches.factchecks_changed(conn, changed, progress)
    conn.commit()
    return matched


def import_factchecks(
    conn: sqlite3.Connection,
    paths: list[str],
    fetcher: Fetcher,
    limit: int | None = None,
    progress: Progress = _nothing,
) -> ImportSummary:
    """Import the fact-checks of ``paths`` (files or URLs, at most ``limit`` pages from
    each feed or sitemap) and bring the matches up to date; ``progress`` hears of each
    source read."""
    summary = ImportSummary()
    reads = list(read_sources(paths, fetcher, progress=progress, limit=limit))
    store_reads(conn, reads, summary)
    store_vectors(conn, vector_ids(conn, summary.changed_ids))
    rematch(conn, summary.changed_ids)
    return summary
