"""The newsroom's own model: ``datasette factcheck train`` and ``rescore``, and
the loader scoring with the database's model.

``train`` corrects the shipped model with the decisions (``newsroom_fit``), in
seconds; bench/rank.py measures how much that raises held-out average precision.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from conftest import SEEDS, registered_plugin
from datasette_factcheck import newsroom_fit
from datasette_factcheck.checkworthy import default_model, margin
from datasette_factcheck.checkworthy_fit import Decision, annotated_claim
from datasette_factcheck.load import load_paths
from datasette_factcheck.newsroom_model import BUILT_IN_LABEL, MIN_DECISIONS, latest_model
from datasette_factcheck.review import bulk_update

# The day decisions are recorded; train stamps its model with the frozen
# clock (conftest's ``clock`` fixture), never with the calendar.
NOW = "2026-11-28T00:00:00+00:00"


def label(now: str, decisions: int = 20) -> str:
    return f"newsroom model 1 ({now[:10]}, {decisions} decisions)"


def decide(path: Path, taken_up: int, refused: int) -> None:
    """Editors take up the top ``taken_up`` claims and set the bottom ``refused`` not checkable."""
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM claims ORDER BY checkworthiness DESC, id")]
    if taken_up:
        bulk_update(conn, ids[:taken_up], {"status": "in_progress"}, "alice", NOW)
    if refused:
        bulk_update(conn, ids[-refused:], {"status": "not_checkable"}, "alice", NOW)
    conn.commit()
    conn.close()


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def run(*args: str):
    return CliRunner().invoke(cli, ["factcheck", *args])


def test_every_loaded_claim_says_the_built_in_model_scored_it(db_path):
    assert rows(db_path, "SELECT DISTINCT scored_by FROM claims") == [(BUILT_IN_LABEL,)]


@pytest.mark.parametrize("taken_up, refused", [(3, 2), (19, 1), (2, 20)])
def test_train_refuses_too_few_decisions_in_one_line(db_path, taken_up, refused):
    decide(db_path, taken_up, refused)
    result = run("train", str(db_path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    assert "too few review decisions" in line and str(MIN_DECISIONS) in line
    assert rows(db_path, "SELECT count(*) FROM factcheck_models") == [(0,)]


def test_train_keeps_the_model_with_when_and_how_many_decisions(db_path, clock):
    decide(db_path, 12, 8)
    result = run("train", str(db_path))
    assert result.exit_code == 0, result.output
    assert "newsroom model 1" in result.output and "12 claims taken up, 8 not checkable" in result.output
    ((trained_at, decisions, taken_up, refused),) = rows(
        db_path, "SELECT trained_at, decisions, checkworthy, not_checkable FROM factcheck_models"
    )
    assert (decisions, taken_up, refused, trained_at) == (20, 12, 8, clock)
    conn = sqlite3.connect(db_path)
    stored = latest_model(conn)
    conn.close()
    assert stored.model.meta["decisions"] == 20 and stored.model.meta["adapted_from"] == newsroom_fit.FORMAT_NOTE


def test_rescore_changes_scores_only_of_open_claims_and_nothing_of_reviews(db_path, clock):
    decide(db_path, 12, 8)
    assert run("train", str(db_path)).exit_code == 0
    review_columns = "id, status, verdict, note, evidence, assignee, reviewed_by, reviewed_at, version"
    reviews = rows(db_path, f"SELECT {review_columns} FROM claims ORDER BY id")
    history = rows(db_path, "SELECT * FROM claim_events ORDER BY id")
    counts = rows(db_path, "SELECT * FROM claim_counts WHERE n != 0 ORDER BY 1, 2, 3, 4, 5, 6")
    closed = rows(db_path, "SELECT id, checkworthiness, reasons, scored_by FROM claims WHERE status = 'not_checkable'")
    result = run("rescore", str(db_path))
    assert result.exit_code == 0, result.output
    assert "re-scored 21 open claims" in result.output
    assert rows(db_path, f"SELECT {review_columns} FROM claims ORDER BY id") == reviews
    assert rows(db_path, "SELECT * FROM claim_events ORDER BY id") == history
    assert rows(db_path, "SELECT * FROM claim_counts WHERE n != 0 ORDER BY 1, 2, 3, 4, 5, 6") == counts
    assert (
        rows(db_path, "SELECT id, checkworthiness, reasons, scored_by FROM claims WHERE status = 'not_checkable'")
        == closed
    )
    labels = rows(db_path, "SELECT DISTINCT scored_by FROM claims WHERE status IN ('unreviewed', 'in_progress')")
    assert labels == [(label(clock),)]
    for (reasons,) in rows(db_path, "SELECT reasons FROM claims"):
        assert isinstance(json.loads(reasons), list)
    # The queue's index follows the new scores: its order is the scores' order.
    ordered = rows(
        db_path,
        "SELECT checkworthiness FROM claims INDEXED BY idx_claims_open "
        "WHERE superseded_at IS NULL AND status IN ('unreviewed', 'in_progress') "
        "ORDER BY checkworthiness DESC, id",
    )
    assert [score for (score,) in ordered] == sorted((score for (score,) in ordered), reverse=True)


def test_the_loader_scores_with_the_databases_own_model(db_path, tmp_path, clock):
    decide(db_path, 12, 8)
    assert run("train", str(db_path)).exit_code == 0
    article = tmp_path / "new.txt"
    article.write_text(
        "The ministry said 4,000 troops were sent to the border last week.\n\n"
        "Officials said unemployment rose by 3 percent in 2024.\n"
    )
    summary = load_paths(db_path, [article])
    assert not summary.problems
    assert rows(db_path, "SELECT DISTINCT scored_by FROM claims WHERE article_id = 'new'") == [(label(clock),)]


def test_rescore_of_a_database_without_a_model_uses_the_built_in_one(db_path):
    before = rows(db_path, "SELECT id, checkworthiness, reasons FROM claims ORDER BY id")
    result = run("rescore", str(db_path))
    assert result.exit_code == 0 and "built-in model" in result.output
    assert rows(db_path, "SELECT id, checkworthiness, reasons FROM claims ORDER BY id") == before


@pytest.mark.parametrize("command", ["train", "rescore"])
def test_a_missing_database_is_one_line(tmp_path, command):
    result = run(command, str(tmp_path / "nope.db"))
    assert result.exit_code == 1 and "does not exist" in result.output and "Traceback" not in result.output


def test_a_plugin_scorer_still_replaces_the_built_in_one_and_is_named(tmp_path):
    from datasette import hookimpl

    received = []

    class Scorer:
        @hookimpl
        def factcheck_score_claim(self, claim, article, model):
            received.append(model)
            return 0.5, ["from the plugin"]

    with registered_plugin(Scorer(), "test-scorer"):
        path = tmp_path / "factcheck.db"
        result = CliRunner().invoke(cli, ["factcheck", "load", str(path), str(SEEDS)])
        assert result.exit_code == 0, result.output
    assert received and all(model is not None for model in received)
    assert rows(path, "SELECT DISTINCT checkworthiness, reasons FROM claims") == [(0.5, '["from the plugin"]')]
    ((label,),) = rows(path, "SELECT DISTINCT scored_by FROM claims")
    assert "test-scorer" in label


# A newsroom whose editors take up every claim about its council's road repairs
# (wording the debates barely have) and set aside its weather notes.
POTHOLES = [
    f"The council repaired {n} potholes on {road} last month, the highways report says."
    for n, road in [
        (120, "the A38"),
        (85, "Station Road"),
        (230, "the ring road"),
        (64, "High Street"),
        (150, "Mill Lane"),
    ]
] + [
    f"Pothole repairs on {road} cost the council {cost} this year."
    for road, cost in [
        ("the A38", "£2m"),
        ("Mill Lane", "£40,000"),
        ("the bypass", "£1.2m"),
        ("Church Street", "£300,000"),
        ("the high street", "£95,000"),
    ]
]
WEATHER = [
    f"It was a {mood} {day} in the town centre, with {sky} skies."
    for mood, day, sky in [
        ("bright", "Monday", "clear"),
        ("grey", "Tuesday", "cloudy"),
        ("wet", "Wednesday", "dark"),
        ("cold", "Thursday", "pale"),
        ("mild", "Friday", "blue"),
        ("windy", "Saturday", "stormy"),
        ("calm", "Sunday", "open"),
        ("warm", "morning", "hazy"),
        ("chilly", "evening", "low"),
        ("damp", "week", "leaden"),
    ]
]
HELD_OUT_POTHOLE = "Contractors filled 310 potholes on the A38 and Station Road, the council says."
HELD_OUT_OTHER = "Contractors painted 310 benches on the A38 and Station Road, the council says."


def _decisions() -> list[Decision]:
    return [Decision(text, True) for text in POTHOLES] + [Decision(text, False) for text in WEATHER]


def test_decisions_raise_the_wording_editors_take_up_against_the_same_sentence_without_it():
    base = default_model()
    adapted = newsroom_fit.adapt(base, _decisions())
    pothole, other = annotated_claim(HELD_OUT_POTHOLE), annotated_claim(HELD_OUT_OTHER)
    gap_before = margin(pothole, base) - margin(other, base)
    gap_after = margin(pothole, adapted) - margin(other, adapted)
    assert gap_after > gap_before + 0.05  # 20 rulings move a conservative model a little, reliably


def test_adapting_is_deterministic_and_keeps_the_named_signals_and_priors():
    base = default_model()
    first, second = newsroom_fit.adapt(base, _decisions()), newsroom_fit.adapt(base, _decisions())
    assert first.to_bytes() == second.to_bytes()
    named = [f for f in base.weights if not f.startswith(("w:", "b:", "p:", "c:"))]
    assert named and all(first.weights[f] == base.weights[f] for f in named)
    assert first.priors == base.priors
    changed = [f for f in base.weights if first.weights[f] != base.weights[f]]
    assert changed and all(f.startswith(("w:", "b:", "p:", "c:")) for f in changed)
