"""A newsroom model that weighs meaning: what a sentence means moves its score, so a
ruling reaches claims in other words (``newsroom_fit``, with the [semantic] extra).

The test extras install the extra; these tests run the real MiniLM model."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from datasette_factcheck.extract import meaning
from datasette_factcheck.load.run import load_paths
from datasette_factcheck.score import newsroom_choice, newsroom_fit
from datasette_factcheck.score.fit import Decision, annotated_claim
from datasette_factcheck.score.model import (
    MEANING,
    MEANING_MODEL,
    Model,
    add_meaning,
    default_model,
    margin,
    score_claim,
)
from datasette_factcheck.score.newsroom import keep_model
from datasette_factcheck.score.scoring import scoring_for
from support.helpers import SEEDS

NOW = "2026-11-28T00:00:00+00:00"

# A desk that takes up what ministers say about hospital waiting and sets weather aside.
WAITING = [
    "The health minister said waiting lists had fallen by a third since the spring.",
    "Hospital waiting times are now the shortest in a decade, the government claims.",
    "Patients wait twice as long for surgery as they did in 2019, the opposition says.",
    "The minister insisted that no patient waits more than 18 weeks for treatment.",
    "Ambulance response times have doubled in the last two years, unions warned.",
    "The health secretary claimed cancer referrals are seen faster than ever before.",
    "Labour says a million more people are waiting for an operation than last year.",
    "The trust said emergency waits had improved in every month of the year.",
]
WEATHER = [
    "Rain is expected across the north of the country on Tuesday afternoon.",
    "The weekend will be bright and breezy with sunny spells in the south.",
    "Temperatures will dip below freezing overnight in rural areas.",
    "A band of cloud will move east, bringing showers to coastal towns.",
    "Fog may linger in valleys until late morning on Thursday.",
    "Winds will ease by the evening as high pressure builds.",
    "Light snow could fall on higher ground over the hills tonight.",
    "Friday looks mostly dry, though a stray shower is possible.",
]
UNSEEN_WAITING = "People are queueing longer than ever to see a GP, the shadow health secretary says."
UNSEEN_WEATHER = "Drizzle will clear by lunchtime, leaving a mild and cloudy afternoon."

pytestmark = pytest.mark.skipif(not meaning.available(), reason="the [semantic] extra is not installed")


def decisions() -> list[Decision]:
    return [Decision(text, True) for text in WAITING] + [Decision(text, False) for text in WEATHER]


def meaning_model(weights: list[float]) -> Model:
    base = default_model()
    extra = {f"{MEANING}{place}": weight for place, weight in enumerate(weights)}
    return Model(base.bias, {**base.weights, **extra}, dict(base.priors), {MEANING_MODEL: meaning.MODEL})


def test_a_model_weighs_meaning_only_when_it_has_meaning_weights():
    assert not default_model().weighs_meaning
    assert meaning_model([0.5] * meaning.WIDTH).weighs_meaning


def test_the_meaning_term_is_the_vector_times_the_weights():
    weights = [0.0] * meaning.WIDTH
    weights[0], weights[1] = 2.0, -1.0
    model = meaning_model(weights)
    claim = annotated_claim(UNSEEN_WAITING)
    without = margin(claim, model)
    assert without == pytest.approx(margin(claim, default_model()))  # no vector, no term
    claim.meaning = [0.5, 0.25] + [0.3] * (meaning.WIDTH - 2)
    assert margin(claim, model) == pytest.approx(without + 2.0 * 0.5 - 1.0 * 0.25)


def test_add_meaning_gives_vectors_only_to_a_model_that_weighs_meaning():
    claims = [annotated_claim(UNSEEN_WAITING), annotated_claim(UNSEEN_WEATHER)]
    add_meaning(claims, default_model())
    assert [claim.meaning for claim in claims] == [None, None]
    add_meaning(claims, meaning_model([0.1] * meaning.WIDTH))
    assert [len(claim.meaning) for claim in claims] == [meaning.WIDTH] * 2
    assert sum(v * v for v in claims[0].meaning) == pytest.approx(1.0, abs=1e-4)  # unit length


def test_a_strong_pull_towards_claims_the_desk_took_up_is_a_reason():
    model = newsroom_fit.adapt(default_model(), decisions(), c=3.0, with_meaning=True)
    claim = annotated_claim(UNSEEN_WAITING)
    add_meaning([claim], model)
    term = margin(claim, model) - margin(annotated_claim(UNSEEN_WAITING), model)
    _, reasons = score_claim(claim, model)
    assert ("like claims this desk took up" in reasons) == (term >= 1.0)


def test_rulings_reach_claims_in_other_words_through_meaning():
    base = default_model()
    wording = newsroom_fit.adapt(base, decisions(), c=1.0)
    both = newsroom_fit.adapt(base, decisions(), c=1.0, with_meaning=True)
    assert both.weighs_meaning and not wording.weighs_meaning
    assert len([f for f in both.weights if f.startswith(MEANING)]) == meaning.WIDTH
    gaps = {}
    for name, model in {"base": base, "wording": wording, "both": both}.items():
        health, weather = annotated_claim(UNSEEN_WAITING), annotated_claim(UNSEEN_WEATHER)
        add_meaning([health, weather], model)
        gaps[name] = margin(health, model) - margin(weather, model)
    assert gaps["both"] > gaps["wording"] > gaps["base"] - 1e-9


def test_a_model_that_weighs_meaning_survives_storing():
    model = newsroom_fit.adapt(default_model(), decisions(), c=1.0, with_meaning=True)
    again = Model.from_bytes(model.to_bytes())
    assert again.weighs_meaning and again.meta["weighs_meaning"] is True


def test_choose_tries_meaning_when_the_extra_is_there():
    groups = [f"a{i % 5}" for i in range(16)]
    model, choice = newsroom_choice.choose(default_model(), decisions(), groups, meaning_available=True)
    assert set(choice.aps) == {c.name for c in newsroom_fit.candidates(True)}
    assert model.weighs_meaning == (choice.chosen is not None and choice.chosen.with_meaning)
    _, without = newsroom_choice.choose(default_model(), decisions(), groups, meaning_available=False)
    assert set(without.aps) == {str(c) for c in newsroom_fit.STRENGTHS}


def test_the_loader_scores_with_the_vectors_of_a_model_that_weighs_meaning(tmp_path: Path):
    path = tmp_path / "desk.db"
    assert not load_paths(path, [SEEDS]).problems
    model = newsroom_fit.adapt(default_model(), decisions(), c=3.0, with_meaning=True)
    conn = sqlite3.connect(path)
    keep_model(conn, NOW, decisions(), model)
    scoring = scoring_for(conn)
    conn.close()
    assert scoring.model.weighs_meaning
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "waiting.txt").write_text(UNSEEN_WAITING + "\n")
    assert not load_paths(path, [tmp_path / "more"]).problems
    conn = sqlite3.connect(path)
    stored = conn.execute("SELECT checkworthiness FROM claims WHERE text = ?", [UNSEEN_WAITING]).fetchone()[0]
    conn.close()
    claim = annotated_claim(UNSEEN_WAITING)
    without_vector = score_claim(claim, scoring.model)[0]
    add_meaning([claim], scoring.model)
    assert stored == pytest.approx(score_claim(claim, scoring.model)[0], abs=1e-6)
    assert stored != pytest.approx(without_vector, abs=1e-6)


def test_vectors_of_another_sentence_model_are_not_given():
    model = meaning_model([0.1] * meaning.WIDTH)
    model.meta[MEANING_MODEL] = "some other sentence model"
    claims = [annotated_claim(UNSEEN_WAITING)]
    add_meaning(claims, model)
    assert claims[0].meaning is None  # scored by its other weights, not by vectors it never learned
    assert newsroom_fit.adapt(default_model(), decisions(), with_meaning=True).meta[MEANING_MODEL] == meaning.MODEL


def test_each_text_gets_its_own_vector_whatever_batch_or_session_runs_it():
    # Texts of many lengths, more than one batch a session: the batches run side by
    # side (one session a core) and come back sorted by length; each vector must
    # still land on its own text, and be the vector the text has on its own.
    texts = [f"{WAITING[i % len(WAITING)]} {'again ' * (i % 7)}".strip() for i in range(meaning.BATCH * 3 + 5)]
    vectors = meaning.embed(texts)
    for i in (0, 1, meaning.BATCH + 2, len(texts) - 1):
        alone = meaning.embed([texts[i]])[0]
        assert float(vectors[i] @ alone) == pytest.approx(1.0, abs=1e-5)
    assert vectors.shape == (len(texts), meaning.WIDTH)
    assert float(vectors[0] @ vectors[1]) < 0.999  # different texts, different vectors
