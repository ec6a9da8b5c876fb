"""Learning from a newsroom's decisions never hurts: what ``train`` does, measured.

    python bench/newsroom.py [--splits 50]

For each of ``--splits`` random splits of a labelled set into two halves by group
(news_dev by article; CheckThat! 2024 dev-test by stretch of debate), the labels
of one half are given to ``newsroom_fit.choose`` as editors' decisions (grouped
by article for its cross-validation, as ``train`` groups them), and the queue's
order (``checkworthy.score_claim``) is measured on the other half: average
precision with the model ``choose`` kept beside the shipped model's, in the same
run. Printed: one row per split (kept or replaced, strength, AP before and after,
the gain) and a summary per set (mean gain, the worst split, how often the
decisions replaced the shipped model).

news_dev is read from ../shared/eval (BBC text: never copied, never shipped).
CheckThat! dev-test carries no debate ids: its sentence ids run in transcript
order, so a group is a stretch of STRETCH consecutive ids.
"""

from __future__ import annotations

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from datasette_factcheck.score.fit import Decision, annotated_claim  # noqa: E402
from datasette_factcheck.score.model import default_model, score_claim  # noqa: E402
from datasette_factcheck.score.newsroom_fit import average_precision, choose  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
STRETCH = 250  # consecutive sentence ids of a debate counted as one group


def _news(row: dict) -> str:
    return row["article"]


def _debate(row: dict) -> str:
    return f"stretch {int(row['sentence_id']) // STRETCH}"


SETS = {
    "news_dev (by article)": ("news_dev.csv", _news),
    "ct24_devtest (by debate stretch)": ("ct24_devtest.csv", _debate),
}


def load(file_name: str, group_of) -> list[tuple[str, object, bool, str]]:
    with (EVAL / file_name).open(newline="") as f:
        return [
            (row["text"], annotated_claim(row["text"]), row["checkworthy"] == "1", group_of(row))
            for row in csv.DictReader(f)
        ]


def one_split(items, given: set[str], base) -> tuple[float, float, object]:
    decided = [item for item in items if item[3] in given]
    held_out = [item for item in items if item[3] not in given]
    decisions = [Decision(text, label) for text, _, label, _ in decided]
    model, choice = choose(base, decisions, [group for *_, group in decided])
    labels = [label for _, _, label, _ in held_out]
    before = average_precision(labels, [score_claim(claim, base)[0] for _, claim, _, _ in held_out])
    after = average_precision(labels, [score_claim(claim, model)[0] for _, claim, _, _ in held_out])
    return before, after, choice


def run_set(name: str, items, splits: int, base) -> None:
    groups = sorted({item[3] for item in items})
    print(f"\n{name}: {len(items)} sentences, {len(groups)} groups; decisions on half the groups, AP on the other half")
    print(
        f"{'split':>5s} {'decisions':>9s} {'kept':>9s} {'strength':>8s} {'AP before':>9s} {'AP after':>8s} {'gain':>7s}"
    )
    gains, replaced, start = [], 0, time.perf_counter()
    for seed in range(splits):
        given = set(random.Random(seed).sample(groups, len(groups) // 2))
        before, after, choice = one_split(items, given, base)
        gains.append(after - before)
        replaced += not choice.kept_built_in
        count = sum(item[3] in given for item in items)
        kept = "built-in" if choice.kept_built_in else "newsroom"
        strength = "-" if choice.kept_built_in else f"{choice.strength:g}"
        print(f"{seed:5d} {count:9d} {kept:>9s} {strength:>8s} {before:9.3f} {after:8.3f} {after - before:+7.3f}")
    print(
        f"{name}: mean gain {statistics.mean(gains):+.4f}, worst split {min(gains):+.4f}, best {max(gains):+.4f}; "
        f"decisions replaced the shipped model in {replaced} of {splits} splits "
        f"({time.perf_counter() - start:.0f}s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", type=int, default=50)
    args = parser.parse_args()
    base = default_model()
    for name, (file_name, group_of) in SETS.items():
        run_set(name, load(file_name, group_of), args.splits, base)


if __name__ == "__main__":
    main()
