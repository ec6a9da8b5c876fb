"""Every address of the desk's pages, built in one place, as Datasette's own
``datasette.urls`` builds its own: each goes through ``datasette.urls`` so the
``base_url`` setting holds, and the database (by its route) and a claim id are
tilde-encoded, as Datasette encodes a table or a row: Datasette redirects any
percent-encoded path to its tilde-encoded form, and ``toolkit.factcheck_database``
and ``claim.claim_view`` decode them.

``web/__init__.py``'s route regexes are the other half of this module: a page
added there gets its builder here.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from datasette.app import Datasette
from datasette.utils import tilde_encode

PREFIX = "-/factcheck"
# The desk's pages under PREFIX; the queue is PREFIX itself.
PAGES = ("bulk", "dashboard", "add", "factchecks")
EXPORT_CSV = "export.csv"
CLAIMREVIEW = "claimreview.json"

Query = str | Mapping[str, object] | None


def with_query(path: str, query: Query = None, **params: object) -> str:
    """``path`` with a query string: ``query`` as given (already encoded, as
    ``QueueFilters.query_string`` makes it) or a mapping, then ``params``;
    parameters whose value is None are left out."""
    parts = [query] if isinstance(query, str) and query else []
    given = {**(query if isinstance(query, Mapping) else {}), **params}
    if chosen := {name: value for name, value in given.items() if value is not None}:
        parts.append(urlencode(chosen, doseq=True))
    return path + ("?" + "&".join(parts) if parts else "")


class DeskUrls:
    """``DeskUrls(datasette).claim("desk", "1f3a…")`` → ``/desk/-/factcheck/claims/1f3a…``.

    Templates get one as ``desk_urls`` (toolkit.render)."""

    def __init__(self, datasette: Datasette):
        self.datasette = datasette

    def root(self, database: str) -> str:
        """``/<db>/-/factcheck``, the queue's path without a query or format."""
        return f"{self.datasette.urls.database(database)}/{PREFIX}"

    def queue(self, database: str, query: Query = None, format: str | None = None, **params: object) -> str:
        return with_query(self.root(database) + _suffix(format), query, **params)

    def claim(self, database: str, claim_id: str, query: Query = None, format: str | None = None) -> str:
        return with_query(f"{self.claims(database)}{tilde_encode(str(claim_id))}{_suffix(format)}", query)

    def claims(self, database: str) -> str:
        """The claim pages' common start, ending in "/": a claim's id follows it."""
        return f"{self.root(database)}/claims/"

    def page(self, database: str, name: str, query: Query = None, format: str | None = None, **params) -> str:
        """One of PAGES: bulk, dashboard, add or factchecks."""
        if name not in PAGES:
            raise ValueError(f"page must be one of {', '.join(PAGES)} (got {name!r})")
        return with_query(f"{self.root(database)}/{name}{_suffix(format)}", query, **params)

    def bulk(self, database: str) -> str:
        return self.page(database, "bulk")

    def dashboard(self, database: str, format: str | None = None) -> str:
        return self.page(database, "dashboard", format=format)

    def add(self, database: str, query: Query = None, format: str | None = None, **params: object) -> str:
        return self.page(database, "add", query, format, **params)

    def factchecks(self, database: str, query: Query = None, format: str | None = None, **params: object) -> str:
        return self.page(database, "factchecks", query, format, **params)

    def export_csv(self, database: str, query: Query = None, **params: object) -> str:
        return with_query(f"{self.root(database)}/{EXPORT_CSV}", query, **params)

    def claimreview(self, database: str, query: Query = None, **params: object) -> str:
        return with_query(f"{self.root(database)}/{CLAIMREVIEW}", query, **params)


def _suffix(format: str | None) -> str:
    return f".{format}" if format else ""


def desk_urls(datasette: Datasette) -> DeskUrls:
    return DeskUrls(datasette)
