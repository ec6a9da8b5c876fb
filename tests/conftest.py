from __future__ import annotations

import json
import random
import shutil
import sqlite3
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils
import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from datasette_factcheck import clock as factcheck_clock
from datasette_factcheck.store import clusters as cluster_store
from datasette_factcheck.vocab import STATUSES, VERDICTS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Reference data the tests read, copied unchanged from ../shared/eval/ so a
# clone of this repository alone runs every test (.ci/run checks the copies
# still match when ../shared is there).
DATA = ROOT / "tests" / "data"
SEED_CLAIMS = DATA / "seed_claims.json"


# The instants a frozen clock shows: the day the suite was written and a year
# after it, so a test that passes on one date passes on any.
CLOCK_DAYS = ("2026-11-28T00:00:00+00:00", "2027-11-28T09:30:00+00:00")


@pytest.fixture(params=CLOCK_DAYS, ids=["written", "a-year-on"])
def clock(request, monkeypatch) -> str:
    """Freeze the package's clock (datasette_factcheck.clock) at each of
    CLOCK_DAYS in turn; the test gets the ISO text it shows."""
    frozen = datetime.fromisoformat(request.param)
    monkeypatch.setattr(factcheck_clock, "source", lambda: frozen)
    return request.param


@pytest.fixture(scope="session")
def seed_reference() -> dict:
    return json.loads(SEED_CLAIMS.read_text())


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of seeds/, for tests that edit an article."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seeded_db_path(tmp_path_factory) -> Path:
    """A database with both seed articles loaded (read-only for tests)."""
    from datasette_factcheck.load.run import load_paths

    path = tmp_path_factory.mktemp("seeded") / "factcheck.db"
    summary = load_paths(path, [SEEDS])
    assert not summary.problems, summary.problems
    return path


@pytest.fixture
def seeded_db(seeded_db_path) -> sqlite_utils.Database:
    return sqlite_utils.Database(seeded_db_path)


@pytest.fixture
def db_path(tmp_path, seeded_db_path) -> Path:
    """A private writable copy of the seeded database, named factcheck.db
    because the shipped datasette.yaml configures the database "factcheck"."""
    target = tmp_path / "factcheck.db"
    shutil.copy(seeded_db_path, target)
    return target


@pytest.fixture
def conn(db_path) -> sqlite3.Connection:
    """A plain sqlite3 connection to ``db_path``, closed after the test."""
    connection = sqlite3.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def fresh_conn(tmp_path) -> sqlite3.Connection:
    """A new database at today's schema holding one article, 'a1', and no claims."""
    from datasette_factcheck.store.schema import migrate

    db = sqlite_utils.Database(tmp_path / "factcheck.db")
    migrate(db)
    db.execute("INSERT INTO articles (id, body, content_hash, loaded_at) VALUES ('a1', 'body', 'h', 'now')")
    db.conn.commit()
    return db.conn


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
