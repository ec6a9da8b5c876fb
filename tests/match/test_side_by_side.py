"""The lexical stage on every core (match/side_by_side.py): the same answers as on one
connection, and only where a second connection sees what the first does."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.match import matching, side_by_side
from support.helpers import FIXTURES


@pytest.fixture
def two_connections(monkeypatch):
    monkeypatch.setattr(side_by_side, "CONNECTIONS", 2)
    monkeypatch.setattr(side_by_side, "MIN_ITEMS", 4)


def numbers_db(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE numbers (n INTEGER)")
    conn.executemany("INSERT INTO numbers VALUES (?)", [(n,) for n in range(10)])
    conn.commit()
    return conn


def test_items_are_dealt_to_a_second_connection_and_come_back_in_order(tmp_path, two_connections):
    conn = numbers_db(tmp_path / "n.db")
    threads: set[str] = set()

    def work(reader: sqlite3.Connection, n: int) -> int:
        threads.add(threading.current_thread().name)
        return reader.execute("SELECT n * 10 FROM numbers WHERE n = ?", (n,)).fetchone()[0]

    assert side_by_side.map_side_by_side(conn, list(range(10)), work) == [n * 10 for n in range(10)]
    assert len(threads) == 2


@pytest.mark.parametrize("case", ["uncommitted", "in memory", "few"])
def test_everything_stays_on_the_callers_connection_when_another_would_not_see_the_same(
    tmp_path, two_connections, case
):
    conn = sqlite3.connect(":memory:") if case == "in memory" else numbers_db(tmp_path / "n.db")
    if case == "in memory":
        conn.execute("CREATE TABLE numbers (n INTEGER)")
    conn.execute("INSERT INTO numbers VALUES (99)")  # uncommitted: a reader would not see it
    if case == "few":
        conn.commit()
    items = [99] * (2 if case == "few" else 10)
    used = set()

    def work(reader: sqlite3.Connection, n: int) -> int:
        used.add(id(reader))
        return reader.execute("SELECT count(*) FROM numbers WHERE n = ?", (n,)).fetchone()[0]

    assert side_by_side.map_side_by_side(conn, items, work) == [1] * len(items)
    assert used == {id(conn)}


def test_searching_side_by_side_finds_what_one_connection_finds(db_path, conn, monkeypatch):
    result = CliRunner().invoke(
        cli, ["factcheck", "import-factchecks", str(db_path), str(FIXTURES / "factchecks" / "list.json")]
    )
    assert result.exit_code == 0, result.output
    texts = [row[0] for row in conn.execute("SELECT text FROM claims ORDER BY id")]
    assert len(texts) >= 8
    monkeypatch.setattr(side_by_side, "CONNECTIONS", 1)
    alone = matching.search_many(conn, texts, threshold=0.0, second_stage=False)
    monkeypatch.setattr(side_by_side, "CONNECTIONS", 2)
    monkeypatch.setattr(side_by_side, "MIN_ITEMS", 4)
    assert side_by_side._may_share(conn, len(texts)) is not None
    assert matching.search_many(conn, texts, threshold=0.0, second_stage=False) == alone
    assert any(alone)
