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

Whether a correction replaces the shipped model, and how far it may move it, is
decided by ``newsroom_choice.choose``. The result is an ordinary ``Model``:
scored, stored and explained as the shipped one is. Needs numpy and scipy, as
fitting does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .editorial import priority
from .features import lexical_counts
from .fit import Decision, annotated_claim, logistic_regression
from .model import MEANING, MEANING_MODEL, Model, margin

# How far the decisions may move a wording weight (inverse L2 strength): the
# default when no choice is made (``adapt``), and the candidates ``choose`` tries
# on the wording alone, each kept at ``WORDING_SHARE``.
NEWSROOM_C = 1.0
STRENGTHS = (0.3, 1.0, 3.0)
WORDING_SHARE = 0.5
# With meaning, one loose fit (``MEANING_STRENGTH``: the decisions' own direction,
# hardly pulled towards zero) of which ``choose`` keeps one of ``MEANING_SHARES``.
# On 50 article-grouped splits of news_dev and of CheckThat! dev-test
# (bench/newsroom.py), each fit kept at a fixed share without a choice: strength 3
# at half gained +0.022 and +0.016 in held-out AP (worst split -0.004), strength 300
# at 0.15 +0.022 and +0.022 (worst -0.001); strengths 10, 30 and 100 kept at 0.4 lost
# over 0.01 on some news split. A fifth of one fit on every decision gained more on
# average (+0.026 and +0.025) but lost 0.007 on one news split, where the
# cross-validation favoured it as much as on any other; a fifth of the mean of the
# cross-validation's fits (``newsroom_choice._kept``) gained as much with no split
# below +0.002. The wording and the meaning both count: the meaning alone, or the
# wording alone, or the meaning's weight scaled to 0.3, gained less and lost more.
MEANING_STRENGTH = 300.0
MEANING_SHARES = (0.15, 0.2)
WITH_MEANING = " with meaning"  # how a candidate on wording and meaning is named
# The bias moves little: a newsroom that takes up most of what it reviews has not
# found all its claims check-worthy, it has reviewed the top of the queue.
NEWSROOM_BIAS_C = 0.1
FORMAT_NOTE = "the built-in model corrected by the newsroom's decisions"


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
    """One correction ``choose`` tries: how far the decisions may move the weights
    (``strength``), whether meaning is among them, and what share of the fitted
    correction the kept model takes."""

    strength: float
    with_meaning: bool = False
    share: float = 1.0

    @property
    def fitted(self) -> tuple[float, bool]:
        """What its fit depends on: candidates that differ only in share share their fits."""
        return self.strength, self.with_meaning

    @property
    def name(self) -> str:
        meaning = f"{WITH_MEANING} x{self.share:g}" if self.with_meaning else ""
        return f"{self.strength}{meaning}"


# The shipped model with its bias moved alone: what a candidate must beat. The
# wording may hardly move at all (an L2 pull a million times that of strength 1).
BIAS_ONLY = Candidate(1e-6)


def candidates(meaning_available: bool) -> list[Candidate]:
    """What ``choose`` tries: wording and meaning when the extra is installed, else
    the wording alone (measured: wording and meaning did better at every strength)."""
    if meaning_available:
        return [Candidate(MEANING_STRENGTH, True, share) for share in MEANING_SHARES]
    return [Candidate(c, False, WORDING_SHARE) for c in STRENGTHS]


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


def fit_correction(prepared: Prepared, rows: Any, candidate: Candidate) -> tuple[Any, float]:
    """(corrections, bias shift) learned from the decisions in ``rows``: the whole
    fitted correction, whatever share of it the candidate keeps."""
    import numpy as np

    design = prepared.design(candidate.with_meaning)
    return logistic_regression(
        design[rows], prepared.labels[rows], np.ones(len(rows)), prepared.offsets[rows], candidate.strength,
        NEWSROOM_BIAS_C,
    )  # fmt: skip


def bias_shift(labels: Any, margins: Any) -> float:
    """The bias shift that best fits ``labels`` to ``margins`` (pulled towards zero as
    a correction's is): the shift that goes with a share of a correction."""
    import numpy as np
    from scipy import sparse

    no_columns = sparse.csr_matrix((len(labels), 0))
    return logistic_regression(no_columns, labels, np.ones(len(labels)), margins, 1.0, NEWSROOM_BIAS_C)[1]


def corrected_model(prepared: Prepared, corrections: Any, shift: float, candidate: Candidate) -> Model:
    """The shipped model with ``corrections`` added to the weights they were fitted for
    (and the meaning weights they bring) and its bias moved by ``shift``."""
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
    corrections, shift = fit_correction(prepared, np.arange(len(decisions)), candidate)
    return corrected_model(prepared, corrections, shift, candidate)
