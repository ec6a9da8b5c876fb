"""The database schema, as sqlite-utils migrations of fixed SQL text.

A database records the names of the steps it has run, never their text, so a
step must not change once committed: a database made before would keep the
old text while a new one got the new, and nothing would notice. Hence every
step is SQL written out here, built from nothing that can change elsewhere:
table names, vocabularies and queue conditions are spelled out rather than
taken from vocab.py, counts.py or writers.py. tests/test_migrations.py pins
each step's text.

To change the schema, append a step with ``step(name, sql)`` to the newest release's
``migrations_<release>.py`` (a new release gets a new module, imported below). A change to a
vocabulary in vocab.py is a step too: append one like
``frozen_vocabulary_triggers`` with the new lists written out (a test fails
until the newest step's lists equal vocab.py's).

Applied by ``schema.migrate``, from ``datasette factcheck load`` and at
Datasette startup.
"""

from __future__ import annotations

from . import migrations_0_1, migrations_0_2, migrations_0_3  # noqa: F401  (each appends its steps, in this order)
from .migration_steps import (
    CLUSTER_HEADS_INDEX_SQL,
    CLUSTER_INDEX_SQL,
    CLUSTER_RANK_INDEX_SQL,
    QUEUE_INDEX_SQL,
    STEPS,
    migrations,
    run_script,
    statements,
    step,
    vocabulary_trigger_sql,
)

__all__ = [
    "CLUSTER_HEADS_INDEX_SQL",
    "CLUSTER_INDEX_SQL",
    "CLUSTER_RANK_INDEX_SQL",
    "QUEUE_INDEX_SQL",
    "STEPS",
    "migrations",
    "run_script",
    "statements",
    "step",
    "vocabulary_trigger_sql",
]
