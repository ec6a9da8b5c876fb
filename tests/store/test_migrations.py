"""Migrations are fixed text: a database that ran a step keeps what a new one gets.

A database records which steps it ran by name, never their text, so a step
whose SQL followed the code (vocab.py, counts.py, helpers) would leave older
databases behind silently. These tests pin every step's text, check that no
step follows the code it was once generated from, and upgrade databases
made at every earlier step, and one made by 0.1.0, to a fresh one's schema.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from datasette.app import Datasette

from datasette_factcheck import vocab
from datasette_factcheck.desk.review import save_review
from datasette_factcheck.desk.review_input import parse_review
from datasette_factcheck.load.run import load_paths
from datasette_factcheck.store import clusters as cluster_store
from datasette_factcheck.store import counts, schema
from datasette_factcheck.store.migrations import QUEUE_INDEX_SQL, STEPS, statements, vocabulary_trigger_sql
from datasette_factcheck.store.schema import drop_queue_indexes, migrate, migrations, needs_migration, open_statuses_sql
from support.helpers import DATA, check_integrity

OLD_DB = DATA / "factcheck-0.1.0.db"  # made by tests/data/make_0_1_0_db.py

# The sha256 of each step's SQL, pinned when the step was committed: other
# databases (released ones, development ones) may have run that text.
PINNED = {
    "create_tables": "a97175e13ae8f585b634810e322b10153a52fbdae5d07b52007063b0a9d64b79",
    "fast_queue_and_counts": "6ba3ef3c259ceb89034c79952a6abb8234faf14f8475c8a2bff1f04ddaa9559b",
    "cheaper_vocabulary_triggers": "a1ebf87020f429970c9bbd6319ff9c4aa24233cf630f6dcef8d2a66331fb9b1a",
    "frozen_vocabulary_triggers": "2a0565f4a03d389c817ee838d7e6baa197081bc8ab8d3c7e83b02bcc9d0fa5fd",
    "writer_marker_guard": "7b59ae17450e6f5fc10d84e3b9dde70725d6361f153e7027795e8ce617901d49",
    "history_records_version": "d969a19a78a0c73e1085c3e9c1a2b28e027464f4e500131c477f073c4d622977",
    "fetch_log": "c714736b375f3088bd2618afb646cbe947ab84ce7e4633d5649d992be2fe76db",
    "newsroom_models": "9143928d4325f93da3b74887afa3399a1c058db706d9b8ef617c505295c4b82e",
    # Published fact-checks and matching (issue 24)
    "match_factchecks": "2e72c73185324cf651f8f089323eaffcfd74cc646db35773efbd1235b9d53824",
    "match_factcheck_vectors": "2f8bfd1be81a4b599da20165d4c27776ff40167d8c52e5564f74412c41c522f4",
    # cluster: repeats as one item, cluster counts and heads kept in the database
    "cluster_counts_and_heads": "d844dae62339ab2b8cf3d132e18a8438760c8adf08edd8f62d7d2dff7fe51960",
}


def _digest(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


def schema_of(conn: sqlite3.Connection) -> set[tuple[str, str, str, str]]:
    """Every schema object, its SQL with runs of whitespace made one space."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%'")
    return {(kind, name, table, " ".join((sql or "").split())) for kind, name, table, sql in rows}


def fresh_schema() -> set[tuple[str, str, str, str]]:
    db = sqlite_utils.Database(memory=True)
    migrate(db)
    return schema_of(db.conn)


def executed_sql() -> dict[str, list[str]]:
    """What each step executes, step after step, on a new database."""
    db = sqlite_utils.Database(memory=True)
    migrations.ensure_migrations_table(db)
    executed: dict[str, list[str]] = {}
    for migration in migrations.pending(db):
        executed[migration.name] = statements = []
        db.conn.set_trace_callback(statements.append)
        migration.fn(db)
        db.conn.set_trace_callback(None)
    return executed


# --- every step is fixed text ----------------------------------------------


def test_every_step_is_pinned_sql_text():
    registered = [migration.name for migration in migrations.pending(sqlite_utils.Database(memory=True))]
    assert registered == list(STEPS), "every migration is a step(name, sql) of fixed text"
    for name, sql in STEPS.items():
        assert name in PINNED, f"pin the new step {name}: add {name!r}: {_digest(sql)!r} to PINNED"
        assert _digest(sql) == PINNED[name], (
            f"step {name} has changed: databases that ran it keep the old text, so append a new step instead"
        )


def test_no_step_follows_the_code_it_was_generated_from(monkeypatch):
    """A kind added to vocab.py, another open status or a renamed counts
    table changes no step's SQL: each is a new step of its own."""
    before = executed_sql()
    monkeypatch.setitem(vocab.VOCABULARIES, "kind", (*vocab.KINDS, "rumour"))
    monkeypatch.setattr(schema, "OPEN_STATUSES", (*vocab.OPEN_STATUSES, "needs_second_review"))
    monkeypatch.setattr(counts, "COUNTS_TABLE", "claim_totals")
    assert executed_sql() == before


def test_the_newest_vocabulary_step_installs_vocab_py():
    """Whoever changes a vocabulary in vocab.py must append a step for it."""
    db = sqlite_utils.Database(memory=True)
    migrate(db)
    installed = schema_of(db.conn)
    db.executescript(vocabulary_trigger_sql(vocab.VOCABULARIES))
    assert schema_of(db.conn) == installed, (
        "vocab.py's vocabularies differ from the ones the migrations install: append a step like "
        "frozen_vocabulary_triggers with the new lists written out"
    )


def test_the_queue_queries_repeat_the_open_index_condition():
    (open_index,) = [sql for sql in QUEUE_INDEX_SQL if " idx_claims_open " in sql]
    assert open_index.endswith(open_statuses_sql()), "OPEN_STATUSES changed: the index needs a new step"


# --- upgrades --------------------------------------------------------------


@pytest.mark.parametrize("next_step", list(STEPS), ids=lambda name: f"made-before-{name}")
def test_a_database_made_at_an_earlier_step_upgrades_to_the_fresh_schema(next_step):
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db, stop_before=next_step)
    assert needs_migration(db)
    migrate(db)
    assert not needs_migration(db)
    assert schema_of(db.conn) == fresh_schema()


def test_queue_indexes_a_killed_load_left_missing_come_back_as_the_migration_made_them():
    db = sqlite_utils.Database(memory=True)
    migrate(db)
    drop_queue_indexes(db)
    assert needs_migration(db)
    migrate(db)
    assert not needs_migration(db)
    assert schema_of(db.conn) == fresh_schema()


def _columns_of_0_1_0(table: str) -> str:
    """The columns the table had in 0.1.0: later steps may add columns, never drop these."""
    conn = sqlite3.connect(f"{OLD_DB.as_uri()}?immutable=1", uri=True)  # never a -shm beside the data
    try:
        return ", ".join(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
    finally:
        conn.close()


def _contents(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT {_columns_of_0_1_0(table)} FROM {table} ORDER BY rowid").fetchall()
            for table in ("articles", "claims", "claim_events")
        }
    finally:
        conn.close()


@pytest.fixture
def old_db(tmp_path) -> Path:
    """A private copy of the database 0.1.0 made."""
    path = tmp_path / "factcheck.db"
    shutil.copy(OLD_DB, path)
    return path


def test_the_0_1_0_database_holds_what_the_upgrade_must_keep(old_db):
    contents = _contents(old_db)
    actions = {event[4] for event in contents["claim_events"]}
    assert actions == {"review", "cluster", "bulk", "api"}
    assert any(
        claim[12] is not None and claim[13] != "unreviewed" for claim in contents["claims"]
    )  # superseded, reviewed


@pytest.mark.asyncio
async def test_a_0_1_0_database_upgrades_at_datasette_startup(old_db):
    before = _contents(old_db)
    ds = Datasette([str(old_db)])
    await ds.invoke_startup()
    assert _contents(old_db) == before
    conn = sqlite3.connect(old_db, isolation_level=None)
    assert schema_of(conn) == fresh_schema()
    assert not needs_migration(sqlite_utils.Database(conn))
    # The plugin's own writes still carry their actor, and only their own event.
    (claim_id,) = conn.execute("SELECT id FROM claims WHERE status = 'unreviewed' ORDER BY id LIMIT 1").fetchone()
    save_review(
        conn, claim_id, parse_review({"note": "after the upgrade"}, from_form=False), "kim", "2025-02-01T00:00:00+00:00"
    )
    (event,) = conn.execute("SELECT actor, action FROM claim_events WHERE claim_id = ?", [claim_id]).fetchall()
    assert event == ("kim", "review")
    conn.close()
    check_integrity(old_db)


def test_a_0_1_0_database_upgrades_through_the_loader(old_db, tmp_path):
    before = _contents(old_db)
    article = {
        "id": "new-article",
        "title": "Troops",
        "outlet": "Example",
        "body": "The ministry said that 40 soldiers were sent to the border in March 2024.",
    }
    (tmp_path / "new.jsonl").write_text(json.dumps(article) + "\n")
    summary = load_paths(old_db, [tmp_path / "new.jsonl"])
    assert summary.articles_new == 1 and summary.claims_new >= 1 and not summary.problems
    after = _contents(old_db)
    for table, rows in before.items():
        assert after[table][: len(rows)] == rows, table
    assert schema_of(sqlite3.connect(old_db)) == fresh_schema()
    check_integrity(old_db)


def statements_by_every_prefix(sql: str) -> list[str]:
    """What Database.executescript runs inside a transaction: a statement ends at
    the first character where the stripped text so far is complete."""
    found, current = [], ""
    for char in sql:
        current += char
        if current.strip() and sqlite3.complete_statement(current.strip()):
            found.append(current.strip())
            current = ""
    return found + ([current.strip()] if current.strip() else [])


TRICKY_SQL = [
    "CREATE TABLE t (a TEXT DEFAULT 'x;y'); INSERT INTO t VALUES ('1;2');",
    "-- a comment; with a semicolon\nCREATE TABLE u (b); /* another; */ CREATE TABLE v (c)",
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END; SELECT 3;",
    '  SELECT "col;umn" FROM t;  \n\n',
    "",
]


@pytest.mark.parametrize("sql", [*STEPS.values(), *TRICKY_SQL], ids=[*STEPS, *map(repr, TRICKY_SQL)])
def test_migrations_run_the_statements_executescript_would(sql):
    assert list(statements(sql)) == statements_by_every_prefix(sql)


# --- cluster: exact repeats and cluster counts on a database made before ----


def test_an_upgrade_joins_exact_repeats_a_former_version_split_and_counts_every_cluster(old_db):
    conn = sqlite3.connect(old_db)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(claims)")]
    (original,) = conn.execute("SELECT id FROM claims WHERE superseded_at IS NULL ORDER BY id LIMIT 1").fetchone()
    # Two more copies of the sentence, as a former version could leave them: in clusters of their own,
    # one printed in upper case with a curly quote.
    for copy_id, change in (("split-copy-1", "text"), ("split-copy-2", "upper(replace(text, '''', '’'))")):
        values = ", ".join(
            {"id": f"'{copy_id}'", "cluster_id": f"'{copy_id}'", "text": change}.get(c, c) for c in columns
        )
        conn.execute(f"INSERT INTO claims ({', '.join(columns)}) SELECT {values} FROM claims WHERE id = ?", [original])
    conn.commit()
    conn.close()
    db = sqlite_utils.Database(old_db)
    migrate(db)
    assert not needs_migration(db)
    clusters = {
        row[0]
        for row in db.execute(
            "SELECT cluster_id FROM claims WHERE id IN (?, 'split-copy-1', 'split-copy-2')", [original]
        )
    }
    assert len(clusters) == 1
    assert cluster_store.mismatches(db.conn) == []
    assert db.execute("SELECT count(*) FROM claim_cluster_keys WHERE key < 0").fetchone()[0] == db["claims"].count
    db.close()
    check_integrity(old_db)
