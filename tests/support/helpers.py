"""Paths, a Datasette as the quick start runs it, signed-in cookies and the database checks
every kind of test uses."""

from __future__ import annotations

import random
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from datasette_factcheck.store import clusters as cluster_store
from datasette_factcheck.vocab import STATUSES, VERDICTS

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
# Reference data the tests read, copied unchanged from ../shared/eval/ so a
# clone of this repository alone runs every test (.ci/run checks the copies
# still match when ../shared is there).
DATA = ROOT / "tests" / "data"
SEED_CLAIMS = DATA / "seed_claims.json"
# Pages, feeds and fact-checks the tests serve from 127.0.0.1 or import.
FIXTURES = ROOT / "tests" / "fixtures"


def shipped_config() -> dict:
    return yaml.safe_load((ROOT / "datasette.yaml").read_text())


async def make_datasette(*paths: Path, config: dict | None = None) -> Datasette:
    """Datasette as the quick start runs it: shipped config and metadata, --root."""
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
    ds = Datasette([str(p) for p in paths], config=shipped_config() if config is None else config, metadata=metadata)
    ds.root_enabled = True  # as `datasette --root` does
    await ds.invoke_startup()
    return ds


@contextmanager
def registered_plugin(plugin, name: str):
    """``plugin`` registered on Datasette's plugin manager while the block runs."""
    pm.register(plugin, name=name)
    try:
        yield plugin
    finally:
        pm.unregister(name=name)


def check_integrity(path: Path) -> None:
    """The file is sound: SQLite's integrity and foreign-key checks, both
    full-text indexes, no leftover writer marker, no claim without its article."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for fts in ("claims_fts", "articles_fts"):
            conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")  # raises if corrupt
        assert conn.execute("SELECT count(*) FROM _factcheck_writer").fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM claims c LEFT JOIN articles a ON a.id = c.article_id WHERE a.id IS NULL"
        ).fetchone() == (0,)
        # The stored cluster counts and heads are a recount's (on any database migrated that far).
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claim_clusters'").fetchone():
            assert cluster_store.mismatches(conn) == []
    finally:
        conn.close()


def cookies(ds: Datasette, actor: dict | None) -> dict:
    """Request cookies that sign ``actor`` in (none for anonymous)."""
    return {"ds_actor": ds.client.actor_cookie(actor)} if actor else {}


def random_review(rng: random.Random, note: str) -> dict:
    """A valid review (JSON fields) with random values, as an editor in a hurry saves."""
    status = rng.choice(STATUSES)
    verdict = (
        rng.choice(VERDICTS)
        if status == "done"
        else None
        if status == "not_checkable"
        else rng.choice([None, *VERDICTS])
    )
    review = {"status": status, "verdict": verdict, "note": note}
    if rng.random() < 0.5:
        review["evidence"] = [f"https://example.org/source/{rng.randrange(10**6)}" for _ in range(rng.randrange(4))]
    if rng.random() < 0.5:
        review["assignee"] = rng.choice(["alice", "bob", "Chlo\u00eb", None])
    return review
