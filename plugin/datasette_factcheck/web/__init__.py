"""The Datasette layer's pages, all under ``/<database>/-/factcheck``.

- ``toolkit``: what every view shares (the ``desk_view`` decorator: database
  lookup, permissions, JSON or HTML; request parsing, rendering, error answers,
  security headers); ``urls``: every address of these pages, built one way;
- ``queue``: the triage queue; ``claim``: one claim and saving its review;
  ``bulk``: bulk triage; ``dashboard``: progress, drawn by ``charts``;
  ``exports``: the review sheet and ClaimReview JSON-LD; ``add``: the Add page.

Beside the routes, for Datasette's own pages: ``access`` (a stranger sent to
the login page, the home page's links to each queue), ``cells`` (the claims
table's context cell) and ``defaults`` (every factcheck database's settings).
"""

from __future__ import annotations

DB_ROUTE = r"^/(?P<database>[^/]+)/-/factcheck"


def routes() -> list[tuple[str, object]]:
    """(path regex, view) pairs for Datasette's register_routes."""
    from . import add, bulk, claim, dashboard, exports, factchecks, login, queue

    return [
        (DB_ROUTE + r"(?P<format>\.json)?$", queue.queue_view),
        (DB_ROUTE + r"/claims/(?P<claim_id>[^/]+?)(?P<format>\.json)?$", claim.claim_view),
        (DB_ROUTE + r"/bulk$", bulk.bulk_view),
        (DB_ROUTE + r"/dashboard(?P<format>\.json)?$", dashboard.dashboard_view),
        (DB_ROUTE + r"/export\.csv$", exports.export_csv_view),
        (DB_ROUTE + r"/claimreview\.json$", exports.claimreview_view),
        (DB_ROUTE + r"/add(?P<format>\.json)?$", add.add_view),
        (DB_ROUTE + r"/factchecks(?P<format>\.json)?$", factchecks.factchecks_view),
        ("^" + login.LOGIN_ROUTE + "$", login.login_view),  # /-/login, sent here by login.asgi_wrapper
        ("^" + login.TOOL_ROUTE + "$", login.password_tool_view),  # /-/password-tool, likewise
    ]
