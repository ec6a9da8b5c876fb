"""The schema's own guards, straight through SQL: what every writer that
bypasses the plugin (the sqlite3 shell, datasette-write, another program) meets."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from datasette_factcheck.store.schema import migrate, migrations

GOOD = {"kind": "statistic", "sourcing": "leak", "status": "unreviewed", "verdict": None, "evidence": "[]"}
INSERT = """INSERT INTO claims (id, article_id, position, text, kind, sourcing, status, verdict, evidence)
            VALUES ('c1', 'a1', 0, 'text', :kind, :sourcing, :status, :verdict, :evidence)"""


BAD_VALUES = [
    ({"kind": "rumour"}, "kind must be one of statistic, quote,"),
    ({"kind": None}, "kind must be one of"),
    ({"sourcing": "tea leaves"}, "sourcing must be one of leak,"),
    ({"status": "banana"}, "status must be one of unreviewed,"),
    ({"status": None}, "status must be one of"),
    ({"verdict": "banana"}, "verdict must be one of true,"),
    ({"status": "done"}, "verdict is required when status is done"),
    ({"status": "not_checkable", "verdict": "false"}, "verdict must be empty when status is not_checkable"),
    ({"evidence": "not json"}, "evidence must be a JSON array"),
    ({"evidence": '{"url": "x"}'}, "evidence must be a JSON array"),
    ({"kind": 1}, "kind must be one of"),
]


@pytest.mark.parametrize("values, message", BAD_VALUES)
def test_an_insert_outside_the_vocabularies_is_refused_with_a_message(fresh_conn, values, message):
    with pytest.raises(sqlite3.IntegrityError, match=message):
        fresh_conn.execute(INSERT, {**GOOD, **values})
    assert fresh_conn.execute("SELECT count(*) FROM claims").fetchone() == (0,)


@pytest.mark.parametrize("values, message", BAD_VALUES)
def test_an_update_outside_the_vocabularies_is_refused_with_a_message(fresh_conn, values, message):
    fresh_conn.execute(INSERT, GOOD)
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    with pytest.raises(sqlite3.IntegrityError, match=message):
        fresh_conn.execute(f"UPDATE claims SET {assignments} WHERE id = 'c1'", values)
    assert fresh_conn.execute("SELECT kind, sourcing, status, verdict, evidence FROM claims").fetchone() == tuple(
        GOOD.values()
    )


@pytest.mark.parametrize(
    "values",
    [
        GOOD,
        {**GOOD, "status": "done", "verdict": "mostly_false"},
        {**GOOD, "status": "not_checkable"},
        {**GOOD, "evidence": '["https://x"]'},
    ],
)
def test_values_inside_the_vocabularies_are_stored(fresh_conn, values):
    fresh_conn.execute(INSERT, values)
    assert fresh_conn.execute("SELECT kind, sourcing, status, verdict, evidence FROM claims").fetchone() == tuple(
        values.values()
    )


OLD_STYLE = """CREATE TRIGGER claims_vocabulary_insert BEFORE INSERT ON claims
BEGIN
    SELECT CASE WHEN NEW.kind IS NULL OR NEW.kind NOT IN ('statistic') THEN RAISE(ABORT, 'old trigger') END;
END"""


def test_a_database_made_before_gets_the_faster_triggers(tmp_path):
    db = sqlite_utils.Database(tmp_path / "factcheck.db")
    migrations.apply(db, stop_before="cheaper_vocabulary_triggers")
    db.execute("DROP TRIGGER claims_vocabulary_insert")
    db.execute(OLD_STYLE)
    migrate(db)
    triggers = [sql for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE name LIKE 'claims_vocabulary_%'")]
    assert len(triggers) == 2 and not any(" IN (" in sql for sql in triggers)
    db.execute("INSERT INTO articles (id, body, content_hash, loaded_at) VALUES ('a1', 'body', 'h', 'now')")
    with pytest.raises(sqlite3.IntegrityError, match="kind must be one of statistic, quote,"):
        db.execute(INSERT, {**GOOD, "kind": "rumour"})
