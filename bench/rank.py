"""How well check-worthiness scores rank, beside the old hand-set rules, in one run.

    python bench/rank.py [--model FILE] [--no-newsroom]

Every sentence of ../shared/eval is annotated as the loader annotates a claim, then
scored by each scorer. Printed side by side:

- average precision (sklearn's average_precision_score) on CheckThat! 2024 dev and
  dev-test, news_dev (BBC, read from ../shared/eval, never copied) and claimbuster_dev
  (check-worthy factual sentences against the rest; overlaps the ClaimBuster-derived
  training data, so it flatters learned models);
- scoring speed: claims per CPU second on one core (best of 15 passes), features of
  an annotated claim to (score, reasons), the model's word cache warm as in a long load;
- the desk's priority on news_dev (tiers A/B/C of news_dev_priority.csv): the queue's
  order (``score_claim``) beside the check-worthiness probability alone: AP of tier A
  against the rest, NDCG with gains A 3, B 2, C 1, not check-worthy 0, and each tier's
  median rank of 400;
- newsroom learning: some of news_dev's articles given as editors' decisions to
  ``newsroom_fit.adapt`` at its default strength (``train`` chooses the strength and
  may keep the shipped model: bench/newsroom.py measures that), average precision
  on the other articles beside the base model's: the two fixed halves (with the old
  full refit beside), then 20 random splits at 50%, 25% and 10% of the articles.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sklearn.metrics import average_precision_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hand_set_rules  # noqa: E402

from datasette_factcheck.extract.claims import Claim
from datasette_factcheck.score.fit import Decision, annotated_claim, fit
from datasette_factcheck.score.model import Model, default_model, probability, score_claim
from datasette_factcheck.score.newsroom_fit import adapt

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
SETS = {
    "ct24_dev": ("ct24_dev.csv", lambda row: row["checkworthy"] == "1"),
    "ct24_devtest": ("ct24_devtest.csv", lambda row: row["checkworthy"] == "1"),
    "news_dev": ("news_dev.csv", lambda row: row["checkworthy"] == "1"),
    "claimbuster_dev": ("claimbuster_dev.csv", lambda row: row["verdict"] == "1"),
}
SPEED_ROUNDS = 15
RANDOM_SPLITS = 20
DECISION_SHARES = (0.5, 0.25, 0.1)

Scorer = Callable[[Claim], tuple[float, list[str]]]
Labelled = list[tuple[Claim, bool, dict]]


def load_sets() -> dict[str, Labelled]:
    sets = {}
    for name, (file_name, label) in SETS.items():
        with (EVAL / file_name).open(newline="") as f:
            sets[name] = [(annotated_claim(row["text"]), label(row), row) for row in csv.DictReader(f)]
    return sets


def average_precision(scorer: Scorer, labelled: Labelled) -> float:
    return average_precision_score([label for _, label, _ in labelled], [scorer(c)[0] for c, _, _ in labelled])


def claims_per_second(scorer: Scorer, claims: list[Claim]) -> float:
    """The best of SPEED_ROUNDS passes, as timeit reports: on a shared machine the
    slower passes measure the neighbours."""
    scorer(claims[0])  # load a model before timing
    best = float("inf")
    for _ in range(SPEED_ROUNDS):
        start = time.process_time()
        for claim in claims:
            scorer(claim)
        best = min(best, time.process_time() - start)
    return len(claims) / best


def article_half(article: str) -> int:
    """0 or 1, fixed by the article's slug: the same split in every run."""
    return hashlib.sha1(article.encode()).digest()[0] % 2


def _split_ap(news: Labelled, given: set[str], models: dict[str, Model]) -> tuple[int, dict[str, float]]:
    """(decisions, AP on the articles not given) for each model."""
    held_out = [item for item in news if item[2]["article"] not in given]
    return len(news) - len(held_out), {
        name: average_precision(lambda c, m=model: score_claim(c, m), held_out) for name, model in models.items()
    }


def _decisions(news: Labelled, given: set[str]) -> list[Decision]:
    return [Decision(c.text, label) for c, label, row in news if row["article"] in given]


def newsroom_learning(news: Labelled, base: Model) -> None:
    """Decisions on some of news_dev's articles; AP on the rest, base model beside.

    The two fixed halves, both ways round, also with the full refit (``fit``) that
    ``train`` used before; then RANDOM_SPLITS random splits at each share of articles."""
    articles = sorted({row["article"] for _, _, row in news})
    for half in (0, 1):
        given = {a for a in articles if article_half(a) == half}
        start = time.perf_counter()
        models = {"base": base, "adapted (train)": adapt(base, _decisions(news, given))}
        adapted_seconds = time.perf_counter() - start
        models["refit"] = fit(_decisions(news, given))
        count, aps = _split_ap(news, given, models)
        shown = ", ".join(f"{name} {ap:.3f}" for name, ap in aps.items())
        print(f"  half {half} as {count} decisions -> AP on the other half: {shown} (adapt {adapted_seconds:.1f}s)")
    for share in DECISION_SHARES:
        rises = []
        for seed in range(RANDOM_SPLITS):
            given = set(random.Random(seed).sample(articles, round(len(articles) * share)))
            _, aps = _split_ap(news, given, {"base": base, "adapted": adapt(base, _decisions(news, given))})
            rises.append(aps["adapted"] - aps["base"])
        print(
            f"  {share:.0%} of articles as decisions, {RANDOM_SPLITS} random splits: AP rise mean "
            f"{statistics.mean(rises):+.3f}, min {min(rises):+.3f}, max {max(rises):+.3f}; "
            f"rose in {sum(r > 0 for r in rises)} of {RANDOM_SPLITS}",
            flush=True,
        )


TIER_GAINS = {"A": 3, "B": 2, "C": 1}


def _ndcg(gains: list[int], scores: list[float]) -> float:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    found = sum((2 ** gains[i] - 1) / math.log2(rank + 2) for rank, i in enumerate(order))
    best = sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(sorted(gains, reverse=True)))
    return found / best


def priority_order(news: Labelled, model: Model) -> None:
    """The desk's second question on news_dev: tiers A > B > C > not check-worthy."""
    with (EVAL / "news_dev_priority.csv").open(newline="") as f:
        tiers = {row["id"]: row["tier"] for row in csv.DictReader(f)}
    rows_tier = [tiers.get(row["id"], "-") for _, _, row in news]
    gains = [TIER_GAINS.get(tier, 0) for tier in rows_tier]
    orders = {
        "probability alone": [probability(claim, model) for claim, _, _ in news],
        "the queue's score": [score_claim(claim, model)[0] for claim, _, _ in news],
    }
    for name, scores in orders.items():
        rank = {i: r + 1 for r, i in enumerate(sorted(range(len(scores)), key=lambda i: -scores[i]))}
        medians = ", ".join(
            f"{tier} {statistics.median(rank[i] for i, t in enumerate(rows_tier) if t == tier):.0f}"
            for tier in ("A", "B", "C", "-")
        )
        tier_a = average_precision_score([tier == "A" for tier in rows_tier], scores)
        print(
            f"  {name:18s} check-worthy AP {average_precision_score([g > 0 for g in gains], scores):.3f}, "
            f"tier A AP {tier_a:.3f}, NDCG {_ndcg(gains, scores):.3f}; median rank by tier: {medians} (- = not)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a model file (default: the shipped one)")
    parser.add_argument("--no-newsroom", action="store_true", help="skip the newsroom-learning fits")
    args = parser.parse_args()
    model = Model.from_bytes(args.model.read_bytes()) if args.model else default_model()
    sets = load_sets()
    scorers: dict[str, Scorer] = {
        "hand-set rules (old score.py)": hand_set_rules.score_claim,
        "learned (checkworthy.py)": lambda claim: score_claim(claim, model),
    }
    all_claims = [claim for labelled in sets.values() for claim, _, _ in labelled]
    print(f"{'scorer':28s}" + "".join(f"{name:>17s}" for name in sets) + f"{'claims/s':>11s}")
    for name, scorer in scorers.items():
        aps = "".join(f"{average_precision(scorer, labelled):17.3f}" for labelled in sets.values())
        print(f"{name:28s}{aps}{claims_per_second(scorer, all_claims):11,.0f}", flush=True)
    print("the desk's priority on news_dev (tiers A > B > C > not check-worthy):")
    priority_order(sets["news_dev"], model)
    if not args.no_newsroom:
        print("newsroom learning (news_dev, decisions on some articles, AP on the others):")
        newsroom_learning(sets["news_dev"], model)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
