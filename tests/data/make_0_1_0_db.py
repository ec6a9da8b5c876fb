"""How tests/data/factcheck-0.1.0.db was made: a database as datasette-factcheck
0.1.0 left it, for the upgrade tests (tests/test_migrations.py).

This is a record, not a fixture: it ran once against 0.1.0 (commit c3c9333,
before the migrations became fixed text), from a copy of that commit's tree:

    git archive c3c9333 | tar -x -C /tmp/v010
    PYTHONPATH=/tmp/v010/plugin python tests/data/make_0_1_0_db.py

What it holds: both seed articles loaded by ``datasette factcheck load``;
reviews saved through the review library as the web layer calls it (statuses,
verdicts, notes, evidence, assignees, one applied to a cluster, one bulk
update); one update made around the plugin, as Datasette's write API does
(an 'api' event); then one article edited and loaded again, so the claim an
editor had started on is superseded with its review kept.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from datasette_factcheck.review import bulk_update, parse_review, save_review

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent.parent / "seeds"
TARGET = HERE / "factcheck-0.1.0.db"
EDITED = "003_7c462d476a23d359.txt"


def load(db: Path, seeds: Path) -> None:
    subprocess.run([sys.executable, "-m", "datasette", "factcheck", "load", str(db), str(seeds)], check=True)


def claim(conn: sqlite3.Connection, like: str) -> str:
    (claim_id,) = conn.execute("SELECT id FROM claims WHERE text LIKE ?", [like]).fetchone()
    return claim_id


def review(conn: sqlite3.Connection, like: str, actor: str, at: str, **fields: object) -> None:
    save_review(conn, claim(conn, like), parse_review(fields, from_form=False), actor, at)


def reviews(conn: sqlite3.Connection) -> None:
    review(
        conn,
        "%97 NATO special operations%",
        "alice",
        "2025-01-06T09:00:00+00:00",
        status="in_progress",
        assignee="sam",
        note="Leak figures: ask the MoD.",
    )
    review(
        conn,
        "%97 NATO special operations%",
        "sam",
        "2025-01-06T11:30:00+00:00",
        version=1,
        status="done",
        verdict="unproven",
        evidence=["https://example.org/discord-leaks"],
        note="Leak figures: ask the MoD.\nMoD declined to comment.",
    )
    review(
        conn,
        "British Defense Secretary John Healey has suggested%",
        "alice",
        "2025-01-07T10:00:00+00:00",
        status="done",
        verdict="mostly_true",
        apply_to_cluster=True,
        evidence=["The Times, 2024-12-19"],
    )
    review(
        conn,
        "%Kremlin spokesman%",
        "kim",
        "2025-01-07T12:00:00+00:00",
        status="in_progress",
        assignee="kim",
        note="Find the TASS transcript.",
    )
    review(
        conn,
        "%not rule out%",
        "kim",
        "2025-01-07T12:05:00+00:00",
        status="not_checkable",
        note="Opinion about the future.",
    )
    healey = [row[0] for row in conn.execute("SELECT id FROM claims WHERE text LIKE '%Healey%' ORDER BY id LIMIT 3")]
    bulk_update(
        conn, healey, {"assignee": "lee", "status": "needs_second_review"}, "alice", "2025-01-08T08:00:00+00:00"
    )
    # A write around the plugin, as Datasette's JSON write API makes: the trigger records it.
    conn.execute("UPDATE claims SET status = 'done', verdict = 'false' WHERE id = ?", [claim(conn, "%Le Monde%")])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(SEEDS, seeds)
        db = Path(tmp) / "factcheck.db"
        load(db, seeds)
        conn = sqlite3.connect(db, isolation_level=None)
        reviews(conn)
        conn.close()
        article = seeds / EDITED
        article.write_text(article.read_text().replace("Kremlin spokesman", "Kremlin press secretary"))
        load(db, seeds)
        conn = sqlite3.connect(db)
        conn.execute("VACUUM")
        conn.close()
        shutil.copy(db, TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
