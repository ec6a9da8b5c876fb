"""Exact claim counts that stay fast at a million claims.

Counting a million claims with GROUP BY takes SQLite 75 ms to 1.7 s; the
triage queue and dashboard need counts per status and verdict on every page.
``claim_counts`` holds the number of live (non-superseded) claims for each
combination of the dimensions editors filter on, kept exact by triggers (and
by the loader, which adds each batch set-wise). A count under filters on
those dimensions is then a sum over a few hundred rows.

The table and its triggers are created by the migration
``fast_queue_and_counts`` (migrations.py), as fixed text; this module holds
what the code uses at run time.
"""

from __future__ import annotations

COUNTS_TABLE = "claim_counts"
DIMENSIONS = ("status", "verdict", "kind", "sourcing", "outlet", "assignee")
# Absent values (no verdict, nobody assigned) are stored as '' so they take part
# in the primary key; the queue's filters spell them vocab.NONE.
STORED_NONE = ""


def add_claims_sql(condition: str = "1") -> str:
    """Add the live claims matching ``condition`` (on ``c``) to the counts,
    set-wise: the loader runs it once per batch instead of a trigger per row."""
    return f"""INSERT INTO {COUNTS_TABLE} ({", ".join(DIMENSIONS)}, n)
        SELECT c.status, coalesce(c.verdict, ''), coalesce(c.kind, ''), coalesce(c.sourcing, ''),
               coalesce(a.outlet, ''), coalesce(c.assignee, ''), count(*)
        FROM claims c JOIN articles a ON a.id = c.article_id
        WHERE c.superseded_at IS NULL AND {condition}
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT DO UPDATE SET n = n + excluded.n"""
