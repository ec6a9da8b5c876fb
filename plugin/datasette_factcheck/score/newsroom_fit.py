"""Correct the shipped check-worthiness model with a newsroom's own decisions.

The shipped model was fitted on some 23,000 debate sentences; a newsroom has a
few hundred rulings on its own news. Refitting on both lets those rulings move
every shared weight at once, and on news_dev's article halves that lowered the
other half's average precision as often as it raised it. So ``adapt`` keeps
the shipped model as the starting point and learns only a correction:

    margin' = margin of the shipped model + bias shift + sum of wording corrections

a logistic regression on the decisions alone, with the shipped model's margins
as fixed offsets and an L2 pull of every correction towards zero. That is a fit
of base data and decisions together under a Gaussian prior centred on the
shipped weights (what the base data taught), in seconds rather than minutes.
The corrections go to the wording the shipped model already knows (words, word
pairs, stems and letter groups, scaled as the model scales them), which is
where a newsroom's news differs from debates, and, with the [semantic] extra
installed, to what a sentence means: one weight per place of its MiniLM vector
(extract/meaning.py), so that a ruling on "the minister said waiting lists had
halved" also moves "hospital queues are twice as short, the health secretary
claims", which shares no word pair with it. The named signals (kind,
sourcing, figures, topics) keep their weights and editorial priors: letting a
few hundred rulings move them lowered held-out AP on every split tried.
A model that weighs meaning needs each claim's vector to score it
(``model.add_meaning``): a heavier scorer, kept only when it wins.

How far the decisions may move it is chosen by ``choose``: cross-validation
grouped by article on the decisions themselves (a newsroom's rulings on one
article say a lot about its other sentences, so a fold never splits an
article). With the [semantic] extra the candidates are the strengths of
``MEANING_STRENGTHS`` on wording and meaning together; without it, those of
``STRENGTHS`` on the wording alone. Each is fitted on four folds and predicts
the fifth, over ``REPEATS`` deals of the articles into folds.

A correction by meaning is measured by its log loss on the decisions it did
not see, beside the same for the shipped model with only its bias moved
(``BIAS_ONLY``: news and debates take up claims at different rates, and that
alone changes no claim's place); it passes when it lowers that loss by more
than ``MIN_LOSS_GAIN``. Log loss counts every decision, where the average
precision of a few hundred hangs on a few dozen taken up: on 50 splits of two
labelled sets (bench/newsroom.py) the cross-validated average precision chose
against the held-out result about as often as for it.
A correction of the wording alone moves the order too little for that: chosen
by log loss it lost up to 0.023 AP on held-out halves. It passes only when its
out-of-fold order beats the shipped model's AP by more than ``MIN_AP_GAIN`` and
on every held-out fold, each measured on its own (on those splits: never).
The best passing candidate replaces the shipped model; when none passes the
shipped model is kept. Both figures are reported and stored with the meta.

What replaces it is the shipped model plus ``KEPT_SHARE`` of the correction
fitted on every decision, and without its bias shift. Cross-validation says
whether the decisions carry something the shipped model lacks; it does not see
how the top of another set of articles reorders, and a full correction swapped
claims there enough to lower held-out AP by up to 0.048 on news_dev's halves
(7 of 50 splits by more than 0.005). Half the correction kept +0.021 of the
+0.023 mean gain there and no such split (worst -0.004), and on CheckThat! dev-test
+0.014 of +0.019, none worse (bench/newsroom.py). A share fitted by
cross-validation came out near the whole and did not help; a looser strength (10)
among the candidates gained more on dev-test and lost more on news. The bias shift only says how much of its
queue a desk takes up, yet through the gate of the stake points (``order_value``)
it changes the order: moved alone it lowered held-out AP on 18 of those 50 splits.

The result is an ordinary ``Model``: scored, stored and explained as the
shipped one is. Needs numpy and scipy, as fitting does.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .editorial import priority
from .features import lexical_counts
from .fit import Decision, annotated_claim, logistic_regression
from .model import MEANING, MEANING_MODEL, Model, margin
from .priority import order_value

# How far the decisions may move a wording weight (inverse L2 strength): the
# default when no choice is made (``adapt``), and the candidates ``choose`` tries,
# on the wording alone and on wording and meaning together.
NEWSROOM_C = 1.0
STRENGTHS = (0.3, 1.0, 3.0)
MEANING_STRENGTHS = (1.0, 3.0)
WITH_MEANING = " with meaning"  # how a candidate on wording and meaning is named
# The bias moves little: a newsroom that takes up most of what it reviews has not
# found all its claims check-worthy, it has reviewed the top of the queue.
NEWSROOM_BIAS_C = 0.1
FOLDS = 5
REPEATS = 3  # deals of the articles into folds: the figures are their means
# How much a candidate on meaning must lower the out-of-fold log loss (per decision,
# in nats) below the shipped model's with its bias moved, and how much one on the
# wording alone must raise the out-of-fold AP, before it replaces the shipped model.
MIN_LOSS_GAIN = 0.002
MIN_AP_GAIN = 0.005
FORMAT_NOTE = "the built-in model corrected by the newsroom's decisions"
# How much of the chosen correction the kept model takes (see above): all of its
# direction, half of its reach.
KEPT_SHARE = 0.5


def _wording(counts_of_claim: dict[str, int], known: dict[str, float]) -> dict[str, float]:
    """The claim's wording features the model knows, each scaled as the model scales it."""
    counts = {feature: n for feature, n in counts_of_claim.items() if feature in known}
    total = sum(counts.values())
    scale = 1.0 / math.sqrt(total) if total else 0.0
    return {feature: n * scale for feature, n in sorted(counts.items())}


@dataclass
class Prepared:
    """The decisions as the fit sees them, annotated and scored by the base model once."""

    base: Model
    decisions: Sequence[Decision]
    offsets: Any  # numpy: the base model's margin of each decision
    matrix: Any  # scipy CSR: each decision's wording features, scaled
    labels: Any
    columns: dict[str, int]
    priorities: list = field(default_factory=list)
    wording_and_meaning: Any = None  # scipy CSR: the wording columns, then each decision's vector

    def design(self, with_meaning: bool) -> Any:
        """The columns a candidate learns from: the wording, and the meaning too."""
        return self.wording_and_meaning if with_meaning else self.matrix

    def log_loss(self, margins: Any) -> float:
        """Mean log loss of ``margins`` against the decisions."""
        import numpy as np

        return float(np.mean(np.logaddexp(0, -(2 * self.labels - 1) * margins)))


@dataclass(frozen=True)
class Candidate:
    """One correction ``choose`` tries: how far the decisions may move the weights,
    and whether meaning is among them."""

    strength: float
    with_meaning: bool = False

    @property
    def name(self) -> str:
        return f"{self.strength}{WITH_MEANING if self.with_meaning else ''}"


# The shipped model with its bias moved alone: what a candidate must beat. The
# wording may hardly move at all (an L2 pull a million times that of strength 1).
BIAS_ONLY = Candidate(1e-6)


def candidates(meaning_available: bool) -> list[Candidate]:
    """What ``choose`` tries: wording and meaning when the extra is installed, else
    the wording alone (measured: wording and meaning did better at every strength)."""
    if meaning_available:
        return [Candidate(c, True) for c in MEANING_STRENGTHS]
    return [Candidate(c) for c in STRENGTHS]


@dataclass(frozen=True)
class Measured:
    """A candidate's cross-validated figures, each the mean over the deals."""

    loss: float  # log loss of its out-of-fold margins
    ap: float  # average precision of its out-of-fold order
    won: float  # share of held-out folds whose own AP it raised


def _passes(candidate: Candidate, measured: Measured, baseline: Measured, base_ap: float) -> bool:
    """Whether a candidate beats the shipped model. Meaning moves the order enough for
    log loss to tell (``MIN_LOSS_GAIN``); the wording alone does not, and chosen so it
    lost up to 0.023 AP on held-out halves (bench/newsroom.py), so it must raise the
    out-of-fold AP by ``MIN_AP_GAIN`` and on every held-out fold."""
    if candidate.with_meaning:
        return measured.loss < baseline.loss - MIN_LOSS_GAIN
    return measured.ap > base_ap + MIN_AP_GAIN and measured.won >= 1.0


def prepare(base: Model, decisions: Sequence[Decision], meaning_available: bool = False) -> Prepared:
    """The decisions annotated, scored by ``base`` and laid out for fitting; their
    sentence vectors too when ``meaning_available`` (the [semantic] extra)."""
    import numpy as np
    from scipy import sparse

    claims = [annotated_claim(d.text, d.kind, d.sourcing, d.claimant) for d in decisions]
    offsets = np.array([margin(claim, base) for claim in claims])
    wording = [_wording(lexical_counts(claim.sentence), base.weights) for claim in claims]
    columns = {feature: n for n, feature in enumerate(sorted({f for row in wording for f in row}))}
    indptr, indices, data = [0], [], []
    for row in wording:
        indices += [columns[feature] for feature in row]
        data += list(row.values())
        indptr.append(len(indices))
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(wording), len(columns)))
    labels = np.array([float(d.checkworthy) for d in decisions])
    prepared = Prepared(base, decisions, offsets, matrix, labels, columns, [priority(claim) for claim in claims])
    prepared.wording_and_meaning = _with_meaning(matrix, [d.text for d in decisions], meaning_available)
    return prepared


def _with_meaning(matrix: Any, texts: list[str], meaning_available: bool) -> Any:
    """The wording columns and the texts' sentence vectors beside them, or None."""
    if not (meaning_available and texts):
        return None
    from scipy import sparse

    from ..extract.meaning import embed

    return sparse.hstack([matrix, sparse.csr_matrix(embed(texts).astype("float64"))]).tocsr()


def _fit(prepared: Prepared, rows: Any, candidate: Candidate) -> tuple[Any, float]:
    """(corrections, bias shift) learned from the decisions in ``rows``."""
    import numpy as np

    design = prepared.design(candidate.with_meaning)
    return logistic_regression(
        design[rows], prepared.labels[rows], np.ones(len(rows)), prepared.offsets[rows], candidate.strength,
        NEWSROOM_BIAS_C,
    )  # fmt: skip


def _model(prepared: Prepared, corrections: Any, shift: float, candidate: Candidate) -> Model:
    weights = dict(prepared.base.weights)
    for feature, column in prepared.columns.items():
        weights[feature] += float(corrections[column])
    for place, weight in enumerate(corrections[len(prepared.columns) :]):  # the meaning columns, if any
        weights[f"{MEANING}{place}"] = float(weight)
    c = candidate.strength
    meta = {
        "adapted_from": FORMAT_NOTE,
        "base_sentences": prepared.base.meta.get("base_sentences"),
        "decisions": len(prepared.decisions),
        "newsroom_c": c,
        "newsroom_bias_c": NEWSROOM_BIAS_C,
        "corrected_features": len(prepared.columns),
        "weighs_meaning": candidate.with_meaning,
    }
    if candidate.with_meaning:
        from ..extract.meaning import MODEL as SENTENCE_MODEL

        meta[MEANING_MODEL] = SENTENCE_MODEL
    return Model(prepared.base.bias + shift, weights, dict(prepared.base.priors), meta)


def adapt(base: Model, decisions: Sequence[Decision], c: float = NEWSROOM_C, with_meaning: bool = False) -> Model:
    """``base`` with its bias and wording weights (and meaning: needs the
    [semantic] extra) corrected by ``decisions``, with no choice made."""
    import numpy as np

    candidate = Candidate(c, with_meaning)
    prepared = prepare(base, decisions, with_meaning)
    corrections, shift = _fit(prepared, np.arange(len(decisions)), candidate)
    return _model(prepared, corrections, shift, candidate)


def _kept(prepared: Prepared, chosen: Candidate) -> Model:
    """The model that replaces the shipped one: ``KEPT_SHARE`` of ``chosen``'s
    correction fitted on every decision, the shipped bias unmoved."""
    import numpy as np

    corrections, _shift = _fit(prepared, np.arange(len(prepared.decisions)), chosen)
    model = _model(prepared, corrections * KEPT_SHARE, 0.0, chosen)
    model.meta.update({"kept_share": KEPT_SHARE, "bias_moved": False})
    return model


def average_precision(labels: Sequence[float], scores: Sequence[float]) -> float:
    """Mean precision at each relevant item, best score first (ties in input order)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    found, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if labels[i]:
            found += 1
            total += found / rank
    return total / found if found else 0.0


def group_folds(groups: Sequence[str], folds: int = FOLDS, repeat: int = 0) -> list[list[int]]:
    """Row numbers in ``folds`` folds; every row of a group (an article) in the same
    fold. Groups are dealt out in the order of a hash of their name (and of
    ``repeat``, for another deal): the same decisions give the same folds in every run."""
    names = sorted(set(groups), key=lambda name: hashlib.sha1(f"{repeat}\x1f{name}".encode()).hexdigest())
    fold_of = {name: n % folds for n, name in enumerate(names)}
    out: list[list[int]] = [[] for _ in range(min(folds, len(names)))]
    for row, name in enumerate(groups):
        out[fold_of[name]].append(row)
    return out


def _order(prepared: Prepared, margins: Any) -> list[float]:
    """The queue's order values (``queue_order.order_value``) of all decisions."""
    return [order_value(float(m), found) for m, found in zip(margins, prepared.priorities, strict=True)]


@dataclass
class Choice:
    """What ``choose`` decided and the cross-validated figures behind it."""

    chosen: Candidate | None  # None: the shipped model is kept
    base_ap: float | None  # AP of the shipped model's order over all decisions
    aps: dict[str, float]  # candidate's name -> AP of its out-of-fold order
    won: dict[str, float]  # candidate's name -> share of held-out folds its AP did better on
    folds: int
    base_loss: float | None = None  # out-of-fold log loss of the shipped model, bias moved
    losses: dict[str, float] = field(default_factory=dict)  # candidate's name -> its out-of-fold log loss

    @property
    def kept_built_in(self) -> bool:
        return self.chosen is None

    @property
    def strength(self) -> float | None:
        return None if self.chosen is None else self.chosen.strength

    def as_meta(self) -> dict[str, Any]:
        return {
            "kept": "built-in" if self.kept_built_in else "newsroom",
            "cv_folds": self.folds,
            "cv_grouped_by": "article",
            "cv_base_ap": None if self.base_ap is None else round(self.base_ap, 4),
            "cv_ap_by_strength": {name: round(ap, 4) for name, ap in self.aps.items()},
            "cv_folds_won": {name: round(share, 2) for name, share in self.won.items()},
            "chosen_strength": self.strength,
            "chosen": None if self.chosen is None else self.chosen.name,
            "cv_base_log_loss": None if self.base_loss is None else round(self.base_loss, 4),
            "cv_log_loss_by_strength": {name: round(loss, 4) for name, loss in self.losses.items()},
            "min_loss_gain": MIN_LOSS_GAIN,
        }


def _out_of_fold(prepared: Prepared, folds: list[list[int]], candidate: Candidate) -> Any | None:
    """Each decision's margin from a model fitted on the other folds, or None
    when a fold leaves only one kind of decision to learn from."""
    import numpy as np

    margins = prepared.offsets.copy()
    every = set(range(len(prepared.labels)))
    design = prepared.design(candidate.with_meaning)
    for rows in folds:
        train = np.array(sorted(every - set(rows)))
        if not 0 < prepared.labels[train].sum() < len(train):
            return None
        corrections, shift = _fit(prepared, train, candidate)
        margins[rows] = prepared.offsets[rows] + design[rows] @ corrections + shift
    return margins


def _fold_gains(labels: Any, before: list[float], after: list[float], folds: list[list[int]]) -> list[float]:
    """AP gain on each held-out fold that has both kinds of decision."""
    gains = []
    for rows in folds:
        fold_labels = labels[rows]
        if 0 < fold_labels.sum() < len(rows):
            gains.append(
                average_precision(fold_labels, [after[r] for r in rows])
                - average_precision(fold_labels, [before[r] for r in rows])
            )
    return gains


def _measure(prepared: Prepared, deals: list[list[list[int]]], before: list[float], candidate: Candidate):
    """The candidate's ``Measured`` figures, or None when some fold cannot be learned from."""
    losses, pooled, gains = [], [], []
    for folds in deals:
        margins = _out_of_fold(prepared, folds, candidate)
        if margins is None:
            return None
        after = _order(prepared, margins)
        losses.append(prepared.log_loss(margins))
        pooled.append(average_precision(prepared.labels, after))
        gains += _fold_gains(prepared.labels, before, after, folds)
    won = sum(gain > 0 for gain in gains) / len(gains) if gains else 0.0
    return Measured(sum(losses) / len(losses), sum(pooled) / len(pooled), won)


def cross_validate(prepared: Prepared, groups: Sequence[str]) -> Choice:
    """Each candidate's out-of-fold log loss and AP over article-grouped folds,
    beside the shipped model's; the best candidate that passes (``_passes``): the
    lowest loss among those on meaning, the highest AP among those on wording."""
    labels = prepared.labels
    deals = [group_folds(groups, repeat=repeat) for repeat in range(REPEATS)]
    baseline = None
    if len(deals[0]) >= 2 and 0 < labels.sum() < len(labels):
        before = _order(prepared, prepared.offsets)
        baseline = _measure(prepared, deals, before, BIAS_ONLY)
    if baseline is None:
        return Choice(None, None, {}, {}, len(deals[0]))
    choice = Choice(None, average_precision(labels, before), {}, {}, len(deals[0]), baseline.loss)
    passing = []
    for candidate in candidates(prepared.wording_and_meaning is not None):
        measured = _measure(prepared, deals, before, candidate)
        if measured is None:
            continue
        choice.aps[candidate.name], choice.won[candidate.name] = measured.ap, measured.won
        choice.losses[candidate.name] = measured.loss
        if _passes(candidate, measured, baseline, choice.base_ap):
            passing.append((measured.loss if candidate.with_meaning else -measured.ap, candidate.strength, candidate))
    if passing:
        choice.chosen = min(passing, key=lambda passed: passed[:2])[2]  # the best; the gentler on a tie
    return choice


def choose(
    base: Model, decisions: Sequence[Decision], groups: Sequence[str] | None = None, meaning_available: bool = False
) -> tuple[Model, Choice]:
    """The model to keep: ``base`` corrected by the decisions as cross-validation
    chose, or ``base`` itself when no candidate beats it. ``groups``: each
    decision's article (default: its own text, one per group). ``meaning_available``:
    try corrections by meaning too (the caller knows whether the extra is installed)."""
    prepared = prepare(base, decisions, meaning_available)
    choice = cross_validate(prepared, list(groups) if groups else [d.text for d in decisions])
    if choice.chosen is None:
        model = Model(base.bias, dict(base.weights), dict(base.priors), dict(base.meta))
    else:
        model = _kept(prepared, choice.chosen)
    model.meta.update(choice.as_meta())
    return model, choice
