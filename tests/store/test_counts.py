"""claim_counts stays exactly equal to counting the claims, whatever writes them."""

from __future__ import annotations

import sqlite3

from datasette_factcheck.desk.review import bulk_update, save_review
from datasette_factcheck.desk.review_input import parse_review
from datasette_factcheck.load.run import load_paths
from datasette_factcheck.store.counts import DIMENSIONS

FRESH = """SELECT c.status, coalesce(c.verdict, ''), coalesce(c.kind, ''), coalesce(c.sourcing, ''),
    coalesce(a.outlet, ''), coalesce(c.assignee, ''), count(*)
    FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.superseded_at IS NULL
    GROUP BY 1, 2, 3, 4, 5, 6"""
STORED = f"SELECT {', '.join(DIMENSIONS)}, n FROM claim_counts WHERE n != 0"


def _assert_exact(path) -> None:
    conn = sqlite3.connect(path)
    assert sorted(conn.execute(STORED).fetchall()) == sorted(conn.execute(FRESH).fetchall())


def _ids(conn, like: str) -> list[str]:
    return [row[0] for row in conn.execute("SELECT id FROM claims WHERE text LIKE ?", [like])]


def test_counts_follow_loads_reviews_bulk_sql_and_reloads(tmp_path, seeds_copy):
    path = tmp_path / "factcheck.db"
    load_paths(path, [seeds_copy])
    _assert_exact(path)

    conn = sqlite3.connect(path, isolation_level=None)
    (discord,) = _ids(conn, "%97 NATO%")
    save_review(
        conn,
        discord,
        parse_review({"status": "done", "verdict": "unproven", "assignee": "sam"}, from_form=False),
        "alice",
        "t",
    )
    bulk_update(conn, _ids(conn, "%Healey%")[:3], {"status": "in_progress", "assignee": "kim"}, "alice", "t")
    conn.execute("UPDATE claims SET verdict = 'false', status = 'done' WHERE id = ?", [_ids(conn, "%Le Monde%")[0]])
    conn.execute("UPDATE articles SET outlet = 'RT' WHERE id = '003_7c462d476a23d359'")
    _assert_exact(path)

    article = seeds_copy / "003_7c462d476a23d359.txt"
    article.write_text(article.read_text().replace("Kremlin spokesman", "Kremlin press secretary"))
    load_paths(path, [seeds_copy])
    _assert_exact(path)

    conn.execute("DELETE FROM claim_cluster_keys")
    conn.execute("DELETE FROM claims WHERE id NOT IN (SELECT claim_id FROM claim_events)")
    _assert_exact(path)
