"""The learned check-worthiness model: scores, reasons, fitting, serialisation, the hook."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys

import pytest

from datasette_factcheck.extract.text import STOP_WORDS
from datasette_factcheck.score import builtin
from datasette_factcheck.score import fit as checkworthy_fit
from datasette_factcheck.score.features import lexical_counts, named_features, tokens
from datasette_factcheck.score.fit import Decision, annotated_claim, base_examples, decision_from_row, fit
from datasette_factcheck.score.model import MAX_REASONS, Model, default_model, probability, score_claim
from support.helpers import ROOT

DISCORD = (
    "The Discord leaks revealed that as of March 2023, 97 NATO special operations soldiers "
    "were inside Ukraine, including 50 British soldiers."
)
STATISTIC = "Unemployment rose by 3 percent last year, the Office for National Statistics said."
TENNIS = "Henman beat Ljubicic 6-4 6-3 in the quarter-final of the Dubai Open."
QUESTION = "Should we not raise taxes on the rich?"


def score(text: str, model: Model | None = None) -> tuple[float, list[str]]:
    return score_claim(annotated_claim(text), model)


@pytest.fixture(scope="module")
def small_base() -> list[tuple[str, bool]]:
    """Every 40th shipped training sentence: enough to fit in a second."""
    return base_examples()[::40]


# --- features --------------------------------------------------------------------------------


def test_numbers_are_folded_into_their_shape():
    claim = annotated_claim("Profits rose 15% to £546m ($1.04bn) in 2004, up from 12 million.")
    assert tokens(claim.sentence) == [
        "profits",
        "rose",
        "<pct>",
        "to",
        "<money>",
        "<money>",
        "in",
        "<year>",
        "up",
        "from",
        "<num>",
        "million",
    ]


def test_a_repeated_word_counts_once_but_each_pair_as_often_as_it_occurs():
    counts = lexical_counts(annotated_claim("going to, going to, going to").sentence)
    assert counts["w:going"] == 1
    assert counts["b:going to"] == 3


@pytest.mark.parametrize(
    "text, feature",
    [
        (DISCORD, "sourcing:leak"),
        (TENNIS, "sports result"),
        ("Arsenal's striker scored twice as the club won the cup.", "topic:sport, strongly"),
        ("The film's sequel was nominated for an Oscar.", "topic:arts"),
        ("He was arrested and charged with fraud.", "vocabulary:legal"),
        (QUESTION, "question"),
    ],
)
def test_named_features(text, feature):
    assert feature in named_features(annotated_claim(text))


# --- scores and reasons ------------------------------------------------------------------------


def test_scores_rank_a_leaked_statistic_over_a_sports_result_and_a_question():
    leak, tennis, question = (score(text)[0] for text in (DISCORD, TENNIS, QUESTION))
    assert 0.0 <= min(leak, tennis, question) and max(leak, tennis, question) <= 1.0
    assert leak > 0.5 > 0.05 > max(tennis, question)
    leak, tennis, question = (probability(annotated_claim(text)) for text in (DISCORD, TENNIS, QUESTION))
    assert leak > 0.9 > 0.2 > max(tennis, question)


def test_reasons_name_what_raised_the_score():
    _, reasons = score(DISCORD)
    assert reasons[0] == "a leaked figure"
    assert "figure: 97, 50" in reasons
    assert any(r.startswith("words desks often check: '") for r in reasons)
    assert len(reasons) <= MAX_REASONS


def test_the_wording_reason_quotes_no_function_word():
    (wording,) = [r for r in score(DISCORD)[1] if r.startswith("words desks often check: ")]
    quoted = re.findall(r"'([^']+)'", wording)
    assert quoted and not set(quoted) & STOP_WORDS, wording
    assert "were" not in quoted  # the model weighs it; an editor reads nothing in it


@pytest.mark.parametrize(
    "text",
    [
        "According to the Times, which accompanied Healey on the trip, the defense chief is actually considering it.",
        "Even the defense minister of Estonia has expressed doubts about the deployment.",
        "We’re not the ones who didn't pay: they’ve spent a trillion dollars on the war.",
    ],
)
def test_the_wording_reason_quotes_no_sentence_adverb_or_contraction(text):
    # "according", "actually", "even" and "we're" weigh in the debates the model learned
    # from; an editor reads nothing in them, so the reason names the words that say what to check.
    (wording,) = [r for r in score(text)[1] if r.startswith("words desks often check: ")]
    quoted = {word.strip("'") for word in wording.split(": ", 1)[1].split(", ")}
    assert quoted and not quoted & {"according", "actually", "even", "we're", "didn't", "they've"}, wording


@pytest.mark.parametrize(
    "text",
    [
        "Mortgage rates rose sharply in October, pushing up prices in the housing market.",
        "The firm was accused of misleading investors in an inquiry by the court.",
        "Germany's exports are rising, with an increase of 8% in sales.",
        "The film is Tarantino's first for TV.",
    ],
)
def test_a_claims_reasons_quote_a_word_once_and_no_possessive(text):
    # "economy: 'market'" says 'market' already; the wording's reason quotes other words
    quoted = [
        word[1:-1] for reason in score(text)[1] if ": '" in reason for word in reason.split(": ", 1)[1].split(", ")
    ]
    assert quoted and len(quoted) == len(set(quoted)), quoted
    assert not [word for word in quoted if word.endswith("'s")], quoted


@pytest.mark.parametrize(
    "text, name",
    [
        ("Home Office minister Hazel Blears said recorded crime had fallen by 5%.", "hazel"),
        ('Lib Dem spokesman Ed Davey said: "The government has wasted £2bn on consultants."', "ed"),
        ('"Every contract was awarded on open commercial terms," Mr Assad said at his annual news briefing.', "assad"),
    ],
)
def test_the_wording_reason_quotes_no_name(text, name):
    # a name in lower case ('hazel', 'ed') reads as machine output, not as wording to check
    wording = [r for r in score(text)[1] if r.startswith("words desks often check: ")]
    assert wording and f"'{name}'" not in wording[0], wording


def test_reasons_name_what_pulled_a_score_down_hard():
    assert "a sports result" in score(TENNIS)[1]
    assert "a question" in score(QUESTION)[1]


def test_one_reason_for_a_figure_however_many_signals_it_raises():
    _, reasons = score(STATISTIC)
    assert [r for r in reasons if r.startswith("figure")] == ["figure: 3 percent"]


def test_the_default_model_is_loaded_once():
    assert default_model() is default_model()
    assert score(STATISTIC) == score(STATISTIC, default_model())


# --- serialisation -----------------------------------------------------------------------------


def test_a_model_round_trips_through_bytes_as_gzip_json():
    model = default_model()
    data = model.to_bytes()
    document = json.loads(gzip.decompress(data))
    assert document["format"].startswith("datasette-factcheck/checkworthiness-model/")
    again = Model.from_bytes(data)
    assert again.to_bytes() == data
    for text in (DISCORD, STATISTIC, TENNIS):
        assert score(text, again) == score(text, model)


def test_plain_json_is_read_too_and_anything_else_refused():
    plain = gzip.decompress(default_model().to_bytes())
    assert Model.from_bytes(plain).weights == default_model().weights
    with pytest.raises(ValueError, match="not a check-worthiness model"):
        Model.from_bytes(json.dumps({"format": "something else"}).encode())


# --- fitting -----------------------------------------------------------------------------------


_FIT_IN_A_FRESH_PROCESS = """
import hashlib, sys
from datasette_factcheck.score.fit import base_examples, fit
sys.stdout.write(hashlib.sha256(fit(base=base_examples()[::40]).to_bytes()).hexdigest())
"""


def test_fitting_is_deterministic_whatever_the_hash_seed():
    # Sets of features iterate in another order under another PYTHONHASHSEED.
    digests = {
        subprocess.run(
            [sys.executable, "-c", _FIT_IN_A_FRESH_PROCESS],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "OPENBLAS_NUM_THREADS": "1"},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_decisions_move_the_model(small_base):
    wording = "The county council approved the new parking permits for residents on Tuesday."
    decisions = [Decision(wording.replace("Tuesday", day), True) for day in ("Monday", "Friday", "Sunday")]
    decisions += [Decision("The team unveiled its new kit for the season on Tuesday.", False)]
    base = fit(base=small_base)
    newsroom = fit(decisions, base=small_base)
    assert newsroom.meta["decisions"] == 4
    assert probability(annotated_claim(wording), newsroom) > probability(annotated_claim(wording), base) + 0.1


def test_a_decision_can_overrule_an_editorial_prior(small_base):
    sports_desk = [Decision(f"United beat City {n}-0 in the cup final at Wembley.", True) for n in range(1, 7)]
    text = "Rovers beat County 3-1 in the cup final."
    assert score(text, fit(sports_desk, base=small_base))[0] > score(text, fit(base=small_base))[0]


def test_stored_annotations_of_a_decision_are_kept():
    claim = annotated_claim("He said the plan would cost jobs.", kind="quote", sourcing="anonymous", claimant="Aide")
    assert (claim.kind, claim.sourcing, claim.claimant) == ("quote", "anonymous", "Aide")


@pytest.mark.parametrize(
    "status, expected",
    [
        ("done", True),
        ("in_progress", True),
        ("needs_second_review", True),
        ("not_checkable", False),
        ("unreviewed", None),
        (None, None),
    ],
)
def test_decisions_from_claim_rows(status, expected):
    row = {"text": "Taxes rose.", "status": status, "kind": "event", "sourcing": "unattributed", "claimant": None}
    decision = decision_from_row(row)
    assert (decision.checkworthy if decision else None) == expected
    if decision:
        assert (decision.text, decision.kind, decision.sourcing) == ("Taxes rose.", "event", "unattributed")


def test_the_shipped_base_data_is_the_checkthat_train_and_dev_sentences():
    examples = base_examples()
    assert len(examples) == 22_500 + 1_032
    assert 0.2 < sum(label for _, label in examples) / len(examples) < 0.3


def test_the_shipped_model_was_fitted_without_decisions():
    assert default_model().meta["decisions"] == 0
    assert default_model().meta["base_sentences"] == len(base_examples())
    assert checkworthy_fit.DECISION_WEIGHT > 1


# --- the hook ----------------------------------------------------------------------------------


def test_the_built_in_hook_scores_with_the_model_it_is_given_else_the_shipped_one():
    claim = annotated_claim(DISCORD)  # not a figure of record, whose order has a ceiling
    certain = Model(bias=50.0, weights={}, priors={})
    assert builtin.factcheck_score_claim(claim, None, certain)[0] == 1.0
    assert builtin.factcheck_score_claim(claim, None, None) == score_claim(claim, default_model())


def test_the_model_and_its_base_data_are_package_data():
    pyproject = (ROOT / "pyproject.toml").read_text()
    package_data = pyproject.split("[tool.setuptools.package-data]", 1)[1].split("[", 2)[:2]
    assert '"data/*"' in "[".join(package_data)


def test_the_word_cache_is_bounded_and_changes_no_score(monkeypatch):
    texts = [DISCORD, STATISTIC, TENNIS, QUESTION, DISCORD]
    shipped = default_model()
    expected = [score(text, Model(shipped.bias, shipped.weights, shipped.priors)) for text in texts]
    monkeypatch.setattr("datasette_factcheck.score.model.WORD_CACHE_SIZE", 12)
    small = Model(shipped.bias, shipped.weights, shipped.priors)
    for text, scored in zip(texts, expected, strict=True):
        assert score(text, small) == scored
        words = set(tokens(annotated_claim(text).sentence))
        assert words <= small._word_weights.keys()  # the sentence's words were filled in
        assert len(small._word_weights) <= max(12, len(words))  # and the cache started afresh when full
