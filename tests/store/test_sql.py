"""The shared SQLite idioms: many values in one parameter, a savepoint that
knows when SQLite has already rolled the whole transaction back, and text read
at C speed on a connection that decodes it in Python."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from datasette_factcheck.desk import queue as triage
from datasette_factcheck.store.sql import IN_MANY, in_many, many, savepoint, text_as_str


@pytest.fixture
def numbers_conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY, word TEXT)")
    conn.executemany("INSERT INTO numbers VALUES (?, ?)", [(n, f"w{n}") for n in range(10_000)])
    yield conn
    conn.close()


def test_many_values_in_one_parameter_beyond_the_bound_variable_limit(numbers_conn):
    wanted = list(range(0, 10_000, 2))  # 5,000 values: more than SQLite's old 999-variable limit
    found = numbers_conn.execute(f"SELECT count(*) FROM numbers WHERE n {IN_MANY}", [many(wanted)]).fetchone()
    assert found == (5_000,)


def test_many_values_with_a_named_parameter_and_text(numbers_conn):
    sql = f"SELECT n FROM numbers WHERE word {in_many(':words')} ORDER BY n"
    assert numbers_conn.execute(
        sql, {"words": many(["w3", "w1", "nope", "w'); DROP TABLE numbers; --"])}
    ).fetchall() == [
        (1,),
        (3,),
    ]


def test_a_savepoint_keeps_its_writes(numbers_conn):
    with savepoint(numbers_conn, "step"):
        numbers_conn.execute("DELETE FROM numbers WHERE n < 10")
    assert numbers_conn.execute("SELECT count(*) FROM numbers").fetchone() == (9_990,)
    assert not numbers_conn.in_transaction


def test_a_savepoint_undoes_its_writes_inside_the_callers_transaction(numbers_conn):
    numbers_conn.execute("BEGIN")
    numbers_conn.execute("DELETE FROM numbers WHERE n = 0")
    with pytest.raises(ValueError), savepoint(numbers_conn, "step"):
        numbers_conn.execute("DELETE FROM numbers")
        raise ValueError("refused")
    assert numbers_conn.in_transaction  # the caller's transaction goes on, its own write kept
    numbers_conn.execute("COMMIT")
    assert numbers_conn.execute("SELECT count(*) FROM numbers").fetchone() == (9_999,)


def test_a_savepoint_whose_transaction_sqlite_rolled_back_raises_the_first_error(numbers_conn):
    """As after a full disk: the transaction is gone, so there is no savepoint to
    roll back to. The caller sees the error that happened, not "no such savepoint"."""
    numbers_conn.execute("BEGIN")
    numbers_conn.execute("DELETE FROM numbers WHERE n = 0")
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"), savepoint(numbers_conn, "step"):
        numbers_conn.execute("ROLLBACK")  # what SQLite does itself on SQLITE_FULL
        raise sqlite3.OperationalError("database or disk is full")
    assert not numbers_conn.in_transaction
    assert numbers_conn.execute("SELECT count(*) FROM numbers").fetchone() == (10_000,)


def test_a_queue_filter_of_two_clusters_is_looked_up_by_their_index(seeded_db_path):
    """The queue writes a filter's few values out (sql.in_values), so SQLite
    looks each cluster up; behind json_each it walked every claim in queue order
    (0.2 ms against 80 ms on 39,000 claims)."""
    conn = sqlite3.connect(seeded_db_path)
    try:
        clusters = [row[0] for row in conn.execute("SELECT DISTINCT cluster_id FROM claims LIMIT 2")]
        sql, params = triage.page_query(triage.QueueFilters.from_params({"cluster": clusters}))
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        conn.close()
    assert any("USING INDEX idx_claims_cluster" in step for step in plan), plan


def replacing(data: bytes) -> str:
    """A text_factory as Datasette's: what is not UTF-8 replaced, not refused."""
    return str(data, "utf-8", "replace")


@pytest.fixture
def text_conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (n INTEGER, v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(1, "plain"), (2, "Ünïcödé 😀"), (3, "a\x00b"), (4, None)])
    return conn


def recorded_read(conn: sqlite3.Connection, sql: str) -> tuple[Callable[[], list], list]:
    """A read of ``sql`` and the list of the text factories it ran under, one a call."""
    factories: list = []

    def read() -> list:
        factories.append(conn.text_factory)
        return conn.execute(sql).fetchall()

    return read, factories


def test_text_as_str_reads_text_in_c_and_gives_the_connection_back_as_it_was(text_conn):
    text_conn.text_factory = replacing
    read, factories = recorded_read(text_conn, "SELECT v FROM t ORDER BY n")
    assert text_as_str(text_conn, read) == [("plain",), ("Ünïcödé 😀",), ("a\x00b",), (None,)]
    assert factories == [str]  # one read, decoded by the module itself
    assert text_conn.text_factory is replacing


def test_text_that_is_not_utf8_is_read_again_as_the_connection_reads_it(text_conn):
    text_conn.execute("INSERT INTO t VALUES (5, CAST(x'41c328ff42' AS TEXT))")
    text_conn.text_factory = replacing
    read, factories = recorded_read(text_conn, "SELECT v FROM t WHERE n = 5")
    assert text_as_str(text_conn, read) == [("A\ufffd(\ufffdB",)]
    assert factories == [str, replacing]
    assert text_conn.text_factory is replacing
    # A connection that refuses such text still refuses it: text_as_str reads as it would.
    text_conn.text_factory = str
    with pytest.raises(sqlite3.OperationalError, match="Could not decode to UTF-8"):
        text_as_str(text_conn, read)


def test_text_as_str_lets_other_errors_through_and_restores_the_connection(text_conn):
    text_conn.text_factory = replacing
    read, factories = recorded_read(text_conn, "SELECT * FROM missing_table")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        text_as_str(text_conn, read)
    assert factories == [str]  # not read again
    assert text_conn.text_factory is replacing
