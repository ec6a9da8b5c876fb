"""The export routes: ``/<db>/-/factcheck/export.csv`` and ``claimreview.json``.

Thin: ``export.py`` decides what to query and how each page of rows is
written; this module checks permissions, reads the query string and streams
the chunks. Datasette's own CSV streaming stops at max_csv_mb; this one
pages through the claims with keyset queries and never stops early, holding
one page in memory and letting other requests run between pages.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar
from urllib.parse import quote

from datasette import Response
from datasette.app import Datasette
from datasette.database import Database
from datasette.utils.asgi import AsgiStream, AsgiWriter, Request

from .. import clock
from ..desk import queue as triage
from ..desk.claimreview import ClaimReviewExport, ClaimReviewSettings
from ..desk.export import Export, SheetExport, map_for_export
from ..links import safe_url
from .toolkit import desk_view, http_status, is_checked, queue_filters
from .urls import DeskUrls

PLUGIN_NAME = "datasette-factcheck"
_T = TypeVar("_T")
# Anything else in a database name becomes "_" in the download's file name.
_UNSAFE_FILENAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_uri(db: Database) -> str | None:
    """The database's file as Datasette opens it to read (read-only, or immutable);
    None for one in memory or opened in a mode of its own (a temporary database)."""
    if db.is_memory or db.memory_name or not db.path or db.mode is not None:
        return None
    flags = ("mode=ro&nolock=1" if db.ds.nolock else "mode=ro") if db.is_mutable else "immutable=1"
    return f"file:{quote(str(db.path))}?{flags}"


class _Pages:
    """Where a download reads its pages: on Datasette's threads, one short call a
    page, through a read-only connection of the download's own that SQLite reads by
    memory map, as the command line's (export.map_for_export: a seventh of the time).
    Datasette's connections stay as Datasette set them: a map there would outlive the
    download and turn a file cut short under the server into a crash of every query.
    Decoding and rows are copied from Datasette's connection, so a page reads the same.
    A database without a file of its own is read on Datasette's connection."""

    def __init__(self, db: Database):
        self.db = db
        self._uri = _file_uri(db)
        self._own: sqlite3.Connection | None = None

    def _connection(self, datasette_conn: sqlite3.Connection) -> sqlite3.Connection:
        if self._uri is None:
            return datasette_conn
        if self._own is None:
            self._own = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._own.row_factory = datasette_conn.row_factory
            self._own.text_factory = datasette_conn.text_factory
            map_for_export(self._own)
        return self._own

    async def run(self, read: Callable[[sqlite3.Connection], _T]) -> _T:
        return await self.db.execute_fn(lambda conn: read(self._connection(conn)))

    def close(self) -> None:
        """Close the download's connection; only once no page is being read on it
        (one left running keeps it until the page ends and lets it go)."""
        if self._own is not None:
            self._own.close()


async def _stream(db: Database, export: Export, headers: dict[str, str] | None = None) -> AsgiStream:
    """Send the export page by page as Datasette's streaming response.

    The first page is read before the response starts, so anything the
    query refuses is still an error status rather than a 200 whose sheet
    stops after its header row. A failure on a later page raises out of the
    stream: the server then drops the connection without the final chunk,
    which every client reports as an incomplete download, never as a
    complete-looking short sheet.

    Each page is read and written as text in one call on Datasette's thread
    (``_Pages``), so the event loop only sends it, and the next page is read
    while this one is sent: one hand-over between threads a page rather than
    two, and the thread does not wait for the socket (or the loop) between pages.

    execute_fn, not execute: execute applies sql_time_limit_ms, and a page
    that ran over it (a huge tie in checkworthiness, a broad search) would
    end a response whose 200 is already sent. Each page is still one short
    call, so other requests run in between.
    """
    pages = _Pages(db)

    async def next_chunk() -> str | None:
        query = export.next_query()
        if query is None:
            return None
        return await pages.run(lambda conn: export.body(export.read(conn, query)))

    try:
        await pages.run(export.bind)  # what the rows alone do not say (the CLI's iter_export does the same)
        first = export.head() + (await next_chunk() or "")
    except Exception:  # the read ended, with an error (a cancelled one may still be running)
        pages.close()
        raise

    async def stream_fn(writer: AsgiWriter) -> None:
        pending = asyncio.ensure_future(next_chunk())  # the next page, read while this one is sent
        try:
            await writer.write(first)
            while (chunk := await pending) is not None:
                pending = asyncio.ensure_future(next_chunk())
                if chunk:
                    await writer.write(chunk)
            await writer.write(export.tail())
        finally:
            if pending.done():
                pages.close()
            else:  # the response ended early: no page after the one being read
                pending.cancel()

    return AsgiStream(stream_fn, headers=headers, content_type=export.content_type)


def sheet_filename(database: str, today: datetime | None = None) -> str:
    today = today or clock.utc_now()
    return f"{_UNSAFE_FILENAME_RE.sub('_', database)}-review-sheet-{today:%Y-%m-%d}.csv"


async def _export(request, db, make_export, headers=None):
    """Stream ``make_export(filters)`` for the queue's filters; a bad filter is a 400."""
    try:
        filters = queue_filters(request)
    except triage.FilterError as error:
        return Response.text(error.message, status=http_status(error))  # the export's client reads text
    return await _stream(db, make_export(filters), headers)


@desk_view()
async def export_csv_view(request: Request, datasette: Datasette, db: Database) -> Response:
    """The review sheet for the queue's filters (open statuses unless ``status`` is given)."""
    bom = is_checked(request.args.get("bom"))
    return await _export(
        request,
        db,
        lambda filters: SheetExport(filters, bom=bom, database=db.name, base_url=sheet_base_url(datasette, request)),
        {"content-disposition": f'attachment; filename="{sheet_filename(db.name)}"'},
    )


def sheet_base_url(datasette: Datasette, request: Request) -> str:
    """The desk's address for the sheet's claim-page links: the plugin's
    ``base_url`` setting (the address editors use, behind a proxy), else the
    address this request came to. Without a trailing slash."""
    configured = safe_url((datasette.plugin_config(PLUGIN_NAME) or {}).get("base_url"))
    if configured:
        return configured.rstrip("/")
    return datasette.absolute_url(request, datasette.urls.path("/")).rstrip("/")


def claimreview_settings(datasette: Datasette, request: Request, database: str) -> ClaimReviewSettings:
    """The plugin settings; without a review_url each review points at its claim page here.

    Top-level settings only: Datasette 1.0a41's plugin_config(database=...)
    returns None for a database that has config but no plugins block.
    """
    settings = ClaimReviewSettings.from_config(datasette.plugin_config(PLUGIN_NAME))
    if settings.review_url:
        return settings
    claim_page = DeskUrls(datasette).claims(database) + "{id}"
    return ClaimReviewSettings(
        settings.organisation, settings.organisation_url, datasette.absolute_url(request, claim_page)
    )


@desk_view()
async def claimreview_view(request: Request, datasette: Datasette, db: Database) -> Response:
    """ClaimReview JSON-LD for the done claims under the queue's other filters."""
    return await _export(
        request, db, lambda filters: ClaimReviewExport(filters, claimreview_settings(datasette, request, db.name))
    )
