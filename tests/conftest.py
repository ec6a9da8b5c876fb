from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils

from datasette_factcheck import clock as factcheck_clock
from support.fixture_site import news_site
from support.helpers import SEED_CLAIMS, SEEDS, make_datasette  # noqa: F401
from support.server import Server

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


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeded_db_path) -> Iterator[Server]:
    """One Datasette on a private copy of the seeded database, shared by a module's examples."""
    path = tmp_path_factory.mktemp("review-properties") / "factcheck.db"
    shutil.copy(seeded_db_path, path)
    server = Server(path)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def db_copy(tmp_path, seeded_db_path) -> Path:
    """A copy of the seeded database that a test may change."""
    target = tmp_path / "factcheck.db"
    shutil.copy(seeded_db_path, target)
    return target


site = pytest.fixture(news_site, name="site")  # the news site on 127.0.0.1, for one test
