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
- newsroom learning: half of news_dev's articles given as decisions to ``fit``,
  average precision on the other half, beside the base model's (both ways round).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sklearn.metrics import average_precision_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hand_set_rules  # noqa: E402

from datasette_factcheck.checkworthy import Model, default_model, score_claim
from datasette_factcheck.checkworthy_fit import Decision, annotated_claim, fit
from datasette_factcheck.extract import Claim

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
SETS = {
    "ct24_dev": ("ct24_dev.csv", lambda row: row["checkworthy"] == "1"),
    "ct24_devtest": ("ct24_devtest.csv", lambda row: row["checkworthy"] == "1"),
    "news_dev": ("news_dev.csv", lambda row: row["checkworthy"] == "1"),
    "claimbuster_dev": ("claimbuster_dev.csv", lambda row: row["verdict"] == "1"),
}
SPEED_ROUNDS = 15

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


def newsroom_learning(news: Labelled, base: Model) -> None:
    """Fit with one half of the articles as decisions; rank the other half."""
    for given in (0, 1):
        decisions = [Decision(c.text, label) for c, label, row in news if article_half(row["article"]) == given]
        held_out = [item for item in news if article_half(item[2]["article"]) != given]
        start = time.perf_counter()
        model = fit(decisions)
        before = average_precision(lambda c: score_claim(c, base), held_out)
        after = average_precision(lambda c, fitted=model: score_claim(c, fitted), held_out)
        print(
            f"  half {given} as {len(decisions)} decisions -> other half ({len(held_out)} sentences): "
            f"AP {before:.3f} base, {after:.3f} with decisions (fit {time.perf_counter() - start:.0f}s)"
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
    if not args.no_newsroom:
        print("newsroom learning (news_dev, half the articles as decisions):")
        newsroom_learning(sets["news_dev"], model)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
