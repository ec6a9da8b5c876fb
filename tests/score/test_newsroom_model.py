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

from datasette_factcheck.desk.review import bulk_update
from datasette_factcheck.extract import meaning
from datasette_factcheck.extract.claims import claim_id
from datasette_factcheck.load.extraction import annotated_claims, score_with_hook
from datasette_factcheck.load.run import load_paths
from datasette_factcheck.load.workers import HookSource
from datasette_factcheck.score import newsroom_choice, newsroom_fit
from datasette_factcheck.score.fit import Decision, annotated_claim
from datasette_factcheck.score.model import default_model, margin
from datasette_factcheck.score.newsroom import MIN_DECISIONS, open_articles, rescore_claims
from datasette_factcheck.score.scoring import BUILT_IN_LABEL, built_in_scoring, latest_model
from support.helpers import SEEDS, registered_plugin

# The day decisions are recorded; train stamps its model with the frozen
# clock (conftest's ``clock`` fixture), never with the calendar.
NOW = "2026-11-28T00:00:00+00:00"


def label(now: str, decisions: int = 20) -> str:
    """The label of a newsroom model that replaced the built-in one."""
    return f"newsroom model 1 ({now[:10]}, {decisions} decisions)"


def kept_label(now: str, decisions: int = 20) -> str:
    """The label when training kept the built-in model (``decide_without_pattern``:
    rulings in no order a correction can learn)."""
    return f"{BUILT_IN_LABEL} (kept by training 1, {now[:10]}, {decisions} decisions)"


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


def decide_without_pattern(path: Path, taken_up: int, refused: int) -> None:
    """Editors take up and refuse claims in the order of their ids (hashes of the
    text): rulings no correction can learn from."""
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM claims ORDER BY id")]
    bulk_update(conn, ids[:taken_up], {"status": "in_progress"}, "alice", NOW)
    bulk_update(conn, ids[taken_up : taken_up + refused], {"status": "not_checkable"}, "alice", NOW)
    conn.commit()
    conn.close()


def test_train_keeps_the_built_in_model_when_the_decisions_do_not_beat_it(db_path, clock):
    decide_without_pattern(db_path, 12, 8)
    result = run("train", str(db_path))
    assert result.exit_code == 0, result.output
    assert "12 claims taken up, 8 not checkable" in result.output
    assert "kept the built-in model: the decisions did not beat it" in result.output
    assert "Cross-validated by article (2 folds), log loss: built-in " in result.output
    assert "; average precision: built-in " in result.output
    ((trained_at, decisions, taken_up, refused),) = rows(
        db_path, "SELECT trained_at, decisions, checkworthy, not_checkable FROM factcheck_models"
    )
    assert (decisions, taken_up, refused, trained_at) == (20, 12, 8, clock)
    conn = sqlite3.connect(db_path)
    stored = latest_model(conn)
    conn.close()
    assert stored.kept_built_in and stored.label == kept_label(clock)
    meta = stored.model.meta
    assert meta["kept"] == "built-in" and meta["chosen_strength"] is None
    assert meta["cv_grouped_by"] == "article" and 0 < meta["cv_base_ap"] < 1
    losses = meta["cv_log_loss_by_strength"]
    assert min(losses.values()) >= meta["cv_base_log_loss"] - newsroom_choice.MIN_LOSS_GAIN
    assert set(meta["cv_ap_by_strength"]) == {c.name for c in newsroom_fit.candidates(meaning.available())}


def test_rescore_changes_scores_only_of_open_claims_and_nothing_of_reviews(db_path, clock):
    decide_without_pattern(db_path, 12, 8)
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
    assert labels == [(kept_label(clock),)]
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
    decide_without_pattern(db_path, 12, 8)
    assert run("train", str(db_path)).exit_code == 0
    article = tmp_path / "new.txt"
    article.write_text(
        "The ministry said 4,000 troops were sent to the border last week.\n\n"
        "Officials said unemployment rose by 3 percent in 2024.\n"
    )
    summary = load_paths(db_path, [article])
    assert not summary.problems
    assert rows(db_path, "SELECT DISTINCT scored_by FROM claims WHERE article_id = 'new'") == [(kept_label(clock),)]


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


# A local desk that takes up its council's bin collections and sets aside national
# statistics releases: the opposite of what the debates taught, in every article.
BINS = [
    "The council says bin collections in {town} will move to {day}s from next month.",
    "Recycling bins in {town} will be emptied every {day} by the council's new contractor.",
]
RELEASES = [
    "National output rose by {n}% in the third quarter, official figures showed.",
    "Inflation fell to {n}% in {month}, the statistics office said.",
]
TOWNS = ["Ashford", "Bexley", "Crawley", "Dover", "Epsom", "Fareham", "Gosport", "Hythe", "Ilford", "Jarrow"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "April", "May", "June", "July"]


def _local_desk(tmp_path: Path) -> Path:
    """A database of ten local articles, each with two bin notes (taken up) and
    two national releases (set not checkable), the decisions recorded."""
    folder = tmp_path / "local"
    folder.mkdir()
    taken, refused = [], []
    for i, town in enumerate(TOWNS):
        bins = [t.format(town=town, day=DAYS[(i + k) % 5]) for k, t in enumerate(BINS)]
        releases = [t.format(n=f"{i % 4 + 1}.{k + 2}", month=MONTHS[(i + k) % 5]) for k, t in enumerate(RELEASES)]
        (folder / f"local-{i:02d}.txt").write_text("\n\n".join(bins + releases) + "\n")
        taken += bins
        refused += releases
    path = tmp_path / "local.db"
    assert not load_paths(path, [folder]).problems
    conn = sqlite3.connect(path)
    ids = dict(conn.execute("SELECT text, id FROM claims"))
    bulk_update(conn, [ids[t] for t in taken], {"status": "in_progress"}, "alice", NOW)
    bulk_update(conn, [ids[t] for t in refused], {"status": "not_checkable"}, "alice", NOW)
    conn.commit()
    conn.close()
    return path


def test_train_replaces_the_built_in_model_when_the_decisions_beat_it_by_article(tmp_path, clock):
    path = _local_desk(tmp_path)
    result = run("train", str(path))
    assert result.exit_code == 0, result.output
    assert "replaced the built-in model (strength " in result.output
    assert "Cross-validated by article (5 folds)" in result.output
    conn = sqlite3.connect(path)
    stored = latest_model(conn)
    conn.close()
    meta = stored.model.meta
    assert not stored.kept_built_in and stored.label == label(clock, stored.decisions)
    assert meta["kept"] == "newsroom" and meta["chosen"] in meta["cv_ap_by_strength"]
    losses = meta["cv_log_loss_by_strength"]
    assert losses[meta["chosen"]] < meta["cv_base_log_loss"] - newsroom_choice.MIN_LOSS_GAIN
    assert losses[meta["chosen"]] == min(losses.values())
    unseen_bin = annotated_claim("The council says bin collections in Kendal will move to Mondays from next month.")
    unseen_release = annotated_claim("National output rose by 0.7% in the second quarter, official figures showed.")
    before = margin(unseen_bin, default_model()) - margin(unseen_release, default_model())
    after = margin(unseen_bin, stored.model) - margin(unseen_release, stored.model)
    assert after > before


def test_cross_validation_never_splits_an_article():
    groups = [f"article-{i // 3}" for i in range(30)]
    folds = newsroom_choice.group_folds(groups)
    assert sorted(row for fold in folds for row in fold) == list(range(30))
    for fold in folds:
        assert {groups[row] for row in fold}.isdisjoint(
            {groups[r] for other in folds if other is not fold for r in other}
        )
    assert folds == newsroom_choice.group_folds(groups)  # the same decisions, the same folds


def test_choose_keeps_the_built_in_model_when_decisions_agree_with_it():
    base = default_model()
    decisions = [Decision(text, True) for text in POTHOLES] + [Decision(text, False) for text in WEATHER]
    groups = [f"a{i % 5}" for i in range(len(decisions))]
    model, choice = newsroom_choice.choose(base, decisions, groups)
    # The built-in model already ranks these perfectly: no wording correction can beat
    # its average precision, so the strict rule keeps it.
    assert choice.base_ap == 1.0 and choice.kept_built_in
    assert model.weights == base.weights and model.meta["kept"] == "built-in"
    assert choice.folds == 5


def test_average_precision():
    assert newsroom_choice.average_precision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx((1 + 2 / 3) / 2)
    assert newsroom_choice.average_precision([0, 0], [0.2, 0.1]) == 0.0


def test_rescore_reports_each_open_article_once_for_its_progress_bar(db_path):
    hook = HookSource("datasette.plugins:pm").relay()
    decide_without_pattern(db_path, 1, 1)  # a closed claim is not re-scored; its article still is
    conn = sqlite3.connect(db_path)
    steps: list[int] = []
    count = rescore_claims(
        conn,
        built_in_scoring(),
        annotate=lambda article: annotated_claims(article, hook),
        score=lambda claim, article, model: score_with_hook(hook, claim, article, model),
        claim_id=claim_id,
        progress=steps.append,
    )
    articles = open_articles(conn)
    conn.close()
    assert len(articles) == 2 and steps == [1, 1] and count > 0


@pytest.mark.parametrize("share", [newsroom_fit.WORDING_SHARE, *newsroom_fit.MEANING_SHARES])
def test_a_kept_correction_is_its_share_of_the_mean_of_the_cross_validated_fits_with_the_shipped_bias(share):
    import numpy as np

    base = default_model()
    decisions = _decisions()
    candidate = newsroom_fit.Candidate(3.0, share=share)
    prepared = newsroom_fit.prepare(base, decisions)
    halves = [np.arange(0, len(decisions), 2), np.arange(1, len(decisions), 2)]
    own = [newsroom_fit.fit_correction(prepared, rows, candidate)[0] for rows in halves]
    other = newsroom_fit.fit_correction(prepared, halves[0], newsroom_fit.Candidate(0.3))[0]
    fits = {(3.0, False, tuple(halves[0])): own[0], (3.0, False, tuple(halves[1])): own[1], (0.3, False, ()): other}
    kept = newsroom_choice._kept(prepared, candidate, fits)
    assert kept.bias == base.bias
    moved = [f for f, column in prepared.columns.items() if own[0][column] != own[1][column]]
    assert moved  # the two fits differ, so the mean is neither
    for feature in prepared.columns:
        column = prepared.columns[feature]
        part = (own[0][column] + own[1][column]) / 2 * share  # the other candidate's fit is not in it
        assert kept.weights[feature] - base.weights[feature] == pytest.approx(part)
    assert kept.meta["kept_share"] == share and kept.meta["bias_moved"] is False
    assert kept.meta["kept_mean_of_fits"] == 2


def test_with_meaning_train_weighs_shares_of_one_loose_fit_and_without_it_the_wording_at_half():
    with_meaning = newsroom_fit.candidates(meaning_available=True)
    assert {(c.strength, c.with_meaning) for c in with_meaning} == {(newsroom_fit.MEANING_STRENGTH, True)}
    assert [c.share for c in with_meaning] == list(newsroom_fit.MEANING_SHARES)
    assert max(newsroom_fit.MEANING_SHARES) <= 0.25  # a loose fit kept whole overfits a few hundred rulings
    wording = newsroom_fit.candidates(meaning_available=False)
    assert [c.strength for c in wording] == list(newsroom_fit.STRENGTHS)
    assert {c.share for c in wording} == {newsroom_fit.WORDING_SHARE} and not any(c.with_meaning for c in wording)
    assert with_meaning[1].name == f"{newsroom_fit.MEANING_STRENGTH} with meaning x{newsroom_fit.MEANING_SHARES[1]:g}"
