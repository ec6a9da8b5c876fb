"""Whether a newsroom's decisions replace the shipped model, and how far they move it.

How far the decisions may move the shipped model (``newsroom_fit``) is chosen
by ``choose``: cross-validation grouped by article on the decisions themselves
(a newsroom's rulings on one article say a lot about its other sentences, so a
fold never splits an article). Each candidate is measured as it would be kept:
its share of a correction fitted on four folds, with the bias shift that goes
with that share, predicts the fifth, over ``REPEATS`` deals of the articles
into folds. With the [semantic] extra the candidates are shares
(``MEANING_SHARES``) of one loose fit on wording and meaning together; without
it, half of a fit on the wording alone at each of ``STRENGTHS``.

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
The best passing candidate replaces the shipped model (the smaller share on a
tie), as its share of the mean of the fits the cross-validation made for it
(``_kept``); when none passes the shipped model is kept. Both figures are
reported and stored with the meta.

Why a share of a loose fit: cross-validation on a couple of hundred decisions
says whether they carry something the shipped model lacks; it does not see how
the top of another set of articles reorders. A tight fit (strength 3) kept
whole swapped claims there enough to lower held-out AP by up to 0.048 on
news_dev's halves; kept at half it gained +0.021 there and +0.014 on CheckThat!
dev-test. A loose fit (strength 300) follows the decisions' own direction, and
a fifth of the mean of the cross-validation's fits of it gained more on both,
with no split below +0.002 (the table in the README, bench/newsroom.py). The
kept model leaves the shipped bias where it was: the bias only says how much of
its queue a desk takes up, yet through the gate of the stake points
(``order_value``) it changes the order: moved alone it lowered held-out AP on
18 of those 50 splits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .fit import Decision
from .model import Model
from .newsroom_fit import (
    BIAS_ONLY,
    Candidate,
    Prepared,
    bias_shift,
    candidates,
    corrected_model,
    fit_correction,
    prepare,
)
from .priority import order_value

FOLDS = 5
REPEATS = 3  # deals of the articles into folds: the figures are their means
# How much a candidate on meaning must lower the out-of-fold log loss (per decision,
# in nats) below the shipped model's with its bias moved, and how much one on the
# wording alone must raise the out-of-fold AP, before it replaces the shipped model.
MIN_LOSS_GAIN = 0.002
MIN_AP_GAIN = 0.005


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


def _kept(prepared: Prepared, chosen: Candidate, fits: dict) -> Model:
    """The model that replaces the shipped one: ``chosen.share`` of the mean of the
    corrections the cross-validation fitted for it (``fits``: one per fold of each
    deal, each on the other folds' articles), the shipped bias unmoved.

    The mean keeps the direction that held across subsets of the articles and
    averages away what a few of them pulled alone (bagging). On bench/newsroom.py's
    splits a fifth of it gained +0.026 on news_dev and +0.023 on CheckThat! dev-test
    with no split below +0.002; a fifth of one fit on every decision gained as much
    but lost 0.007 on one news split. The fits are made anyway, so it costs nothing."""
    import numpy as np

    own = [fit for (strength, meaning, _rows), fit in fits.items() if (strength, meaning) == chosen.fitted]
    model = corrected_model(prepared, np.mean(own, axis=0) * chosen.share, 0.0, chosen)
    model.meta.update({"kept_share": chosen.share, "bias_moved": False, "kept_mean_of_fits": len(own)})
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


def _out_of_fold(prepared: Prepared, folds: list[list[int]], candidate: Candidate, fits: dict) -> Any | None:
    """Each decision's margin from the candidate as it would be kept (its share of
    a correction fitted on the other folds, and the bias shift that goes with that
    share), or None when a fold leaves only one kind of decision to learn from.
    ``fits`` keeps each fold's fit for the candidates that differ only in share."""
    import numpy as np

    margins = prepared.offsets.copy()
    every = set(range(len(prepared.labels)))
    design = prepared.design(candidate.with_meaning)
    for rows in folds:
        train = np.array(sorted(every - set(rows)))
        if not 0 < prepared.labels[train].sum() < len(train):
            return None
        key = (*candidate.fitted, tuple(rows))
        if key not in fits:
            fits[key] = fit_correction(prepared, train, candidate)[0]
        moved = candidate.share * (design @ fits[key])
        shift = bias_shift(prepared.labels[train], prepared.offsets[train] + moved[train])
        margins[rows] = prepared.offsets[rows] + moved[rows] + shift
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


def _measure(prepared: Prepared, deals: list[list[list[int]]], before: list[float], candidate: Candidate, fits: dict):
    """The candidate's ``Measured`` figures, or None when some fold cannot be learned from."""
    losses, pooled, gains = [], [], []
    for folds in deals:
        margins = _out_of_fold(prepared, folds, candidate, fits)
        if margins is None:
            return None
        after = _order(prepared, margins)
        losses.append(prepared.log_loss(margins))
        pooled.append(average_precision(prepared.labels, after))
        gains += _fold_gains(prepared.labels, before, after, folds)
    won = sum(gain > 0 for gain in gains) / len(gains) if gains else 0.0
    return Measured(sum(losses) / len(losses), sum(pooled) / len(pooled), won)


def cross_validate(prepared: Prepared, groups: Sequence[str], fits: dict | None = None) -> Choice:
    """Each candidate's out-of-fold log loss and AP over article-grouped folds,
    beside the shipped model's; the best candidate that passes (``_passes``): the
    lowest loss among those on meaning, the highest AP among those on wording.
    ``fits`` receives each fold's fit (the kept model is their mean), shared by the
    candidates that differ only in share."""
    labels = prepared.labels
    deals = [group_folds(groups, repeat=repeat) for repeat in range(REPEATS)]
    baseline = None
    fits = {} if fits is None else fits
    if len(deals[0]) >= 2 and 0 < labels.sum() < len(labels):
        before = _order(prepared, prepared.offsets)
        baseline = _measure(prepared, deals, before, BIAS_ONLY, fits)
    if baseline is None:
        return Choice(None, None, {}, {}, len(deals[0]))
    choice = Choice(None, average_precision(labels, before), {}, {}, len(deals[0]), baseline.loss)
    passing = []
    for candidate in candidates(prepared.wording_and_meaning is not None):
        measured = _measure(prepared, deals, before, candidate, fits)
        if measured is None:
            continue
        choice.aps[candidate.name], choice.won[candidate.name] = measured.ap, measured.won
        choice.losses[candidate.name] = measured.loss
        if _passes(candidate, measured, baseline, choice.base_ap):
            passing.append((measured.loss if candidate.with_meaning else -measured.ap, candidate.share, candidate))
    if passing:
        choice.chosen = min(passing, key=lambda passed: passed[:2])[2]  # the best; the smaller share on a tie
    return choice


def choose(
    base: Model, decisions: Sequence[Decision], groups: Sequence[str] | None = None, meaning_available: bool = False
) -> tuple[Model, Choice]:
    """The model to keep: ``base`` corrected by the decisions as cross-validation
    chose, or ``base`` itself when no candidate beats it. ``groups``: each
    decision's article (default: its own text, one per group). ``meaning_available``:
    try corrections by meaning too (the caller knows whether the extra is installed)."""
    prepared = prepare(base, decisions, meaning_available)
    fits: dict = {}
    choice = cross_validate(prepared, list(groups) if groups else [d.text for d in decisions], fits)
    if choice.chosen is None:
        model = Model(base.bias, dict(base.weights), dict(base.priors), dict(base.meta))
    else:
        model = _kept(prepared, choice.chosen, fits)
    model.meta.update(choice.as_meta())
    return model, choice
