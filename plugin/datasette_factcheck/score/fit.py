"""Fit a check-worthiness model on the shipped base data (and, to compare, decisions).

The base data (``data/checkworthy_base.csv.gz``) is the English training and
development sentences of the CheckThat! 2024 lab, task 1, derived from the
ClaimBuster dataset (CC BY 4.0; see NOTICE). ``fit()`` learns the shipped model
from it (``bench/train_checkworthy.py``). ``fit(decisions)`` refits on it plus a
newsroom's decisions, weighing ``DECISION_WEIGHT`` times a base sentence: kept so
``bench/rank.py`` can show it beside ``newsroom_fit.adapt``, which ``train`` uses.

Logistic regression with an L2 penalty, solved by L-BFGS over a sparse matrix:
deterministic, so the same data gives the same weights. Needs numpy and scipy,
imported only here: scoring does not.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..extract.claims import Claim, annotate_claims
from ..records import Article
from ..vocab import NOT_CHECKABLE, TAKEN_UP_STATUSES
from .features import lexical_counts, named_features
from .model import PRIORS, Model

BASE_DATA_FILE = "checkworthy_base.csv.gz"
C = 3.0  # inverse L2 strength; chosen on CheckThat! dev among 1, 3, 10
MIN_DOCUMENT_FREQUENCY = 2  # a lexical feature seen in one sentence only is noise
DECISION_WEIGHT = 2.0  # chosen on news_dev halves: 1-3 raise held-out AP on average, 10 lowers it
MAX_ITERATIONS = 500
# Named features the debates cannot teach: too rare there (a handful of sports
# results, leaks or arts sentences in 23,000) to weigh anything but noise. Only
# the priors and a newsroom's own decisions give them weight.
EDITORIAL_ONLY = frozenset(
    {
        "sourcing:leak",
        "sourcing:anonymous",
        "sports result",
        "figure:age",
        "figure:score",
        "vocabulary:security",
        "topic:sport",
        "topic:sport, strongly",
        "topic:arts",
        "topic:arts, strongly",
    }
)
TAKEN_UP = frozenset(TAKEN_UP_STATUSES)


@dataclass
class Decision:
    """An editor's ruling on a claim: checked it (True) or found it not checkable (False).

    ``kind``, ``sourcing`` and ``claimant`` are the stored annotations when known
    (they came from the claim's article, which a lone sentence no longer has);
    figures and hedges are found again in the text.
    """

    text: str
    checkworthy: bool
    kind: str | None = None
    sourcing: str | None = None
    claimant: str | None = None


def decision_from_row(row: Mapping[str, Any]) -> Decision | None:
    """A Decision from a ``claims`` row (``text``, ``status``, annotations), or None
    while the claim is unreviewed: taken up (in progress, second review, done)
    counts as check-worthy, ``not_checkable`` as not."""
    status = row.get("status")
    if status not in TAKEN_UP and status != NOT_CHECKABLE:
        return None
    return Decision(row["text"], status in TAKEN_UP, row.get("kind"), row.get("sourcing"), row.get("claimant"))


def base_examples() -> list[tuple[str, bool]]:
    """The shipped training sentences: (text, check-worthy)."""
    data = resources.files("datasette_factcheck").joinpath("data", BASE_DATA_FILE).read_bytes()
    rows = csv.DictReader(io.StringIO(gzip.decompress(data).decode()))
    return [(row["text"], row["checkworthy"] == "1") for row in rows]


def annotated_claim(
    text: str, kind: str | None = None, sourcing: str | None = None, claimant: str | None = None
) -> Claim:
    """A sentence annotated as the loader annotates a claim, stored annotations kept."""
    claim = Claim(text, 0, len(text), 0, kind=kind, sourcing=sourcing, claimant=claimant)
    annotate_claims(Article(id="sentence", body=text, source="training"), [claim])
    return claim


@dataclass
class _Example:
    claim: Claim
    label: bool
    weight: float
    editorial: bool  # may teach the editorial-only features


def _examples(base: Iterable[tuple[str, bool]], decisions: Sequence[Decision]) -> list[_Example]:
    examples = [_Example(annotated_claim(text), label, 1.0, False) for text, label in base]
    for d in decisions:
        claim = annotated_claim(d.text, d.kind, d.sourcing, d.claimant)
        examples.append(_Example(claim, bool(d.checkworthy), DECISION_WEIGHT, True))
    return examples


def _vocabulary(lexical: list[dict[str, int]], named: list[list[str]]) -> dict[str, int]:
    """Feature -> column: lexical features in enough sentences, then every named one."""
    frequency: dict[str, int] = {}
    for counts in lexical:
        for feature in counts:
            frequency[feature] = frequency.get(feature, 0) + 1
    kept = sorted(f for f, n in frequency.items() if n >= MIN_DOCUMENT_FREQUENCY)
    kept += sorted({f for features in named for f in features} - set(kept))
    return {feature: column for column, feature in enumerate(kept)}


def _row(counts: dict[str, int], named: list[str], vocabulary: dict[str, int], editorial: bool):
    """(columns, values) of one sentence, lexical counts scaled as Model scores them."""
    # Sorted: features come out of sets in an order that varies between runs, and the
    # order of a float sum changes its last bits, which L-BFGS would carry on.
    lexical = sorted((vocabulary[f], n) for f, n in counts.items() if f in vocabulary)
    total = sum(n for _, n in lexical)
    scale = 1.0 / math.sqrt(total) if total else 0.0
    columns = [column for column, _ in lexical]
    values = [n * scale for _, n in lexical]
    for feature in sorted(named):
        if editorial or feature not in EDITORIAL_ONLY:
            columns.append(vocabulary[feature])
            values.append(1.0)
    return columns, values


def _design(examples: list[_Example]):
    """(sparse matrix, labels, sample weights, prior offsets, vocabulary)."""
    import numpy as np
    from scipy import sparse

    lexical = [lexical_counts(e.claim.sentence) for e in examples]
    named = [named_features(e.claim) for e in examples]
    vocabulary = _vocabulary(lexical, named)
    indptr, indices, data = [0], [], []
    for e, counts, features in zip(examples, lexical, named, strict=True):
        columns, values = _row(counts, features, vocabulary, e.editorial)
        indices += columns
        data += values
        indptr.append(len(indices))
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(examples), len(vocabulary)))
    labels = np.array([e.label for e in examples], dtype=float)
    weights = np.array([e.weight for e in examples])
    # The priors are added to what the debates teach, not learned against: no offset on
    # base rows. A decision is scored with them, so decisions can overrule a prior.
    offsets = np.array(
        [
            sum(PRIORS.get(f, 0.0) for f in sorted(features)) if e.editorial else 0.0
            for e, features in zip(examples, named, strict=True)
        ]
    )
    return matrix, labels, weights, offsets, vocabulary


def logistic_regression(matrix, labels, weights, offsets, c: float, bias_c: float | None = None):
    """(coefficients, bias) minimising weighted log loss + ||w||^2 / (2c) (+ bias^2 / (2 bias_c)
    when ``bias_c`` is given; else the bias is free), offsets fixed."""
    import numpy as np
    from scipy.optimize import minimize

    signs = 2 * labels - 1
    n_features = matrix.shape[1]
    bias_pull = 0.0 if bias_c is None else 1.0 / bias_c

    def loss_and_gradient(params):
        coefficients, bias = params[:-1], params[-1]
        margins = signs * (matrix @ coefficients + bias + offsets)
        penalty = coefficients @ coefficients / (2 * c) + bias_pull * bias * bias / 2
        loss = weights @ np.logaddexp(0, -margins) + penalty
        slopes = -weights * signs * np.exp(-np.logaddexp(0, margins))  # d loss / d score
        gradient = np.append(matrix.T @ slopes + coefficients / c, slopes.sum() + bias_pull * bias)
        return loss, gradient

    result = minimize(
        loss_and_gradient, np.zeros(n_features + 1), jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITERATIONS}
    )
    return result.x[:-1], float(result.x[-1])


def fit(decisions: Sequence[Decision] = (), base: Iterable[tuple[str, bool]] | None = None) -> Model:
    """A model trained on the base data (the shipped one by default) plus ``decisions``."""
    examples = _examples(base_examples() if base is None else base, list(decisions))
    matrix, labels, weights, offsets, vocabulary = _design(examples)
    coefficients, bias = logistic_regression(matrix, labels, weights, offsets, C)
    learned = {feature: float(coefficients[column]) for feature, column in vocabulary.items()}
    meta = {
        "base_sentences": len(examples) - len(decisions),
        "decisions": len(decisions),
        "decision_weight": DECISION_WEIGHT,
        "c": C,
        "features": len(vocabulary),
    }
    return Model(bias, learned, dict(PRIORS), meta)
