"""How a migration step runs: the sqlite-utils Migrations of the plugin, ``step`` to append
one, and the SQL helpers the steps were written with. The steps themselves are in
``migrations_0_1.py``, ``migrations_0_2.py`` and ``migrations_0_3.py``, by the release that
added them; ``migrations.py`` runs them in order."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence

import sqlite_utils

migrations = sqlite_utils.Migrations("datasette-factcheck")
# Every step's SQL by name, in the order the steps run.
STEPS: dict[str, str] = {}


def step(name: str, sql: str) -> None:
    """Append a migration that runs ``sql``."""
    STEPS[name] = sql
    migrations(name=name)(lambda db: run_script(db, sql))


def run_script(db: sqlite_utils.Database, sql: str) -> None:
    """Run each statement of ``sql`` in the migration's transaction.

    Not ``Database.executescript``: inside a transaction it finds where each
    statement ends by testing every prefix of the text, one character longer
    each time, which made nine tenths of setting up a new database.
    """
    for statement in statements(sql):
        db.execute(statement)


def statements(sql: str) -> Iterator[str]:
    """The statements of ``sql``, each stripped. A statement can only end at a
    semicolon, so only there is it tested for being complete: one inside a
    string, a comment or a trigger's body does not end it."""
    start, end = 0, sql.find(";")
    while end != -1:
        candidate = sql[start : end + 1]
        if sqlite3.complete_statement(candidate):
            yield candidate.strip()
            start = end + 1
        end = sql.find(";", end + 1)
    if rest := sql[start:].strip():
        yield rest


def vocabulary_trigger_sql(vocabularies: Mapping[str, Sequence[str]]) -> str:
    """SQL that replaces the triggers refusing values outside ``vocabularies``.

    For migrations, which pass a copy of the vocabularies written out in the
    step itself. A trigger rather than CHECK constraints because RAISE carries
    a message naming the field and the allowed values, which Datasette's
    write API and the SQL pages pass on to the user unchanged. One CASE, and
    ``CASE x WHEN 'a' ...`` rather than ``x NOT IN ('a', ...)``: a trigger runs
    once per row, and SQLite builds a temporary index for every IN list each
    time it does (five times the cost of the insert; the loader runs it for
    every claim).
    """
    checks = _vocabulary_checks(vocabularies)
    return f"""
DROP TRIGGER IF EXISTS claims_vocabulary_insert;
DROP TRIGGER IF EXISTS claims_vocabulary_update;
CREATE TRIGGER claims_vocabulary_insert BEFORE INSERT ON claims
BEGIN
    {checks}
END;
CREATE TRIGGER claims_vocabulary_update BEFORE UPDATE OF status, verdict, kind, sourcing, evidence ON claims
BEGIN
    {checks}
END;"""


def _vocabulary_checks(vocabularies: Mapping[str, Sequence[str]]) -> str:
    rules = []
    for name, values in vocabularies.items():
        outside = _none_of(f"NEW.{name}", values)
        # verdict alone may be empty (no ruling yet).
        condition = f"NEW.{name} IS NOT NULL AND {outside}" if name == "verdict" else f"NEW.{name} IS NULL OR {outside}"
        rules.append((condition, f"{name} must be one of {', '.join(values)}"))
    rules += [
        (
            "NEW.status = 'done' AND NEW.verdict IS NULL",
            f"verdict is required when status is done: set one of {', '.join(vocabularies['verdict'])}",
        ),
        (
            "NEW.status = 'not_checkable' AND NEW.verdict IS NOT NULL",
            "verdict must be empty when status is not_checkable",
        ),
        # '[]' (every claim as loaded) is an array: no need to parse it.
        (
            "NEW.evidence IS NULL OR (NEW.evidence != '[]' AND (NOT json_valid(NEW.evidence) OR json_type(NEW.evidence) != 'array'))",
            'evidence must be a JSON array of links or references, such as ["https://..."]',
        ),
    ]
    cases = "\n        ".join(f"WHEN {condition} THEN RAISE(ABORT, '{message}')" for condition, message in rules)
    return f"SELECT CASE\n        {cases}\n    END;"


def _none_of(expression: str, values: Sequence[str]) -> str:
    """True when ``expression`` (not NULL) is none of ``values``."""
    return f"(CASE {expression} {' '.join(f'WHEN {_quote(value)} THEN 0' for value in values)} ELSE 1 END)"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# The indexes that keep the queue in order, as fast_queue_and_counts created
# them. The loader may drop them for a large load and build them once at the
# end (several times faster than row by row), and schema.migrate re-creates
# any that a killed load left missing, with this same text. Never edit it: a
# change to the queue indexes is a new step, with a new constant that
# schema.py then uses.
QUEUE_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_claims_rank ON claims (checkworthiness DESC, id) WHERE superseded_at IS NULL",
    "CREATE INDEX IF NOT EXISTS idx_claims_open ON claims (checkworthiness DESC, id) "
    "WHERE superseded_at IS NULL AND status IN ('unreviewed', 'in_progress')",
    "CREATE INDEX IF NOT EXISTS idx_claims_status ON claims (status, checkworthiness DESC, id) "
    "WHERE superseded_at IS NULL",
)


# The indexes the step cluster_counts_and_heads made on claims for clusters,
# with the same definitions. Like QUEUE_INDEX_SQL, a large load drops them and
# builds them once at the end (the rank index alone was a fifth of the
# insert's cost, and the head indexes took a write at a random place for each
# head marked), and schema.migrate re-creates any that a killed load left
# missing, with this text. Never edit it: a change to these indexes is a new
# step, with a new constant that schema.py then uses.
CLUSTER_RANK_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_claims_cluster_rank ON claims "
    "(cluster_id, status, checkworthiness DESC, id, article_id) WHERE superseded_at IS NULL"
)
CLUSTER_HEADS_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS idx_claims_cluster_heads ON claims (cluster_id) WHERE cluster_head = 1"
)
CLUSTER_INDEX_SQL = (
    CLUSTER_RANK_INDEX_SQL,
    CLUSTER_HEADS_INDEX_SQL,
    "CREATE INDEX IF NOT EXISTS idx_claims_heads ON claims (checkworthiness DESC, id) "
    "WHERE cluster_head = 1 AND superseded_at IS NULL",
    "CREATE INDEX IF NOT EXISTS idx_claims_heads_open ON claims (checkworthiness DESC, id) "
    "WHERE cluster_head = 1 AND superseded_at IS NULL AND status IN ('unreviewed', 'in_progress')",
    "CREATE INDEX IF NOT EXISTS idx_claims_heads_status ON claims (status, checkworthiness DESC, id) "
    "WHERE cluster_head = 1 AND superseded_at IS NULL",
)
