"""Learning from a newsroom's decisions never hurts: what ``train`` does, measured.

    python bench/newsroom.py [--splits 50] [--only wording|"with meaning"] [--sweep | --dev] [--shares 0.1 0.2]

For each of ``--splits`` random splits of a labelled set into two halves by group
(news_dev by article; CheckThat! 2024 dev-test by stretch of debate), the labels
of one half are given to ``newsroom_choice.choose`` as editors' decisions (grouped
by article for its cross-validation, as ``train`` groups them), and the queue's
order (``checkworthy.score_claim``) is measured on the other half: average
precision with the model ``choose`` kept beside the shipped model's, in the same
run. Two rules side by side: ``train`` correcting the wording alone, and (with
the [semantic] extra) wording and meaning. Printed: one row per split (for each
rule, what it kept, AP after and the gain over AP before) and a summary per set
and rule (mean gain, the worst split, how often the decisions replaced the
shipped model).

``--sweep`` measures instead, on the same splits, corrections by wording and
meaning fitted at each of ``SWEEP_STRENGTHS`` and kept at each of ``SWEEP_SHARES``
with no choice made (how ``MEANING_STRENGTH`` and ``MEANING_SHARES`` were chosen):
mean gain, worst split and splits worse than -0.005, per set. ``--dev`` measures the
rules on CheckThat! 2024 dev instead, which chose nothing in them. ``--shares``
measures the rule with meaning choosing among other shares than ``MEANING_SHARES``
(``--shares 0.1 0.2`` is the rule before 0.15 was the largest).

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

from datasette_factcheck.extract import meaning  # noqa: E402
from datasette_factcheck.score import newsroom_fit  # noqa: E402
from datasette_factcheck.score.fit import Decision, annotated_claim  # noqa: E402
from datasette_factcheck.score.model import default_model, score_claim  # noqa: E402
from datasette_factcheck.score.newsroom_choice import average_precision, choose  # noqa: E402
from datasette_factcheck.score.newsroom_fit import Candidate, corrected_model, fit_correction, prepare  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
STRETCH = 250  # consecutive sentence ids of a debate counted as one group
SWEEP_STRENGTHS = (3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
SWEEP_SHARES = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 1.0)


def _news(row: dict) -> str:
    return row["article"]


def _debate(row: dict) -> str:
    return f"stretch {int(row['sentence_id']) // STRETCH}"


SETS = {
    "news_dev (by article)": ("news_dev.csv", _news),
    "ct24_devtest (by debate stretch)": ("ct24_devtest.csv", _debate),
}
# Used to choose neither train's rule nor its figures, though it is part of the shipped
# model's training data (bench/train_checkworthy.py): learning has little to add there,
# and must not take away.
UNTUNED = {"ct24_dev (by debate stretch)": ("ct24_dev.csv", _debate)}


def load(file_name: str, group_of) -> list[tuple[str, object, bool, str]]:
    """(text, annotated claim, label, group) of each sentence; each claim carries its
    sentence vector when the [semantic] extra is installed (a model that does not
    weigh meaning ignores it), computed once rather than per split."""
    with (EVAL / file_name).open(newline="") as f:
        items = [
            (row["text"], annotated_claim(row["text"]), row["checkworthy"] == "1", group_of(row))
            for row in csv.DictReader(f)
        ]
    if meaning.available():
        for (_, claim, *_), vector in zip(items, meaning.embed([item[0] for item in items]), strict=True):
            claim.meaning = vector.tolist()
    return items


def remember_vectors() -> None:
    """Each sentence is embedded once, not again in every split's ``choose``: the
    same vectors, a tenth of the time (``train`` embeds its decisions once anyway)."""
    import numpy as np

    embed, known = meaning.embed, {}

    def remembered(texts: list[str], *rest) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            known.update(zip(missing, embed(missing, *rest), strict=True))
        return np.array([known[text] for text in texts])

    meaning.embed = remembered


def _split(items, groups: list[str], seed: int) -> tuple[list, list]:
    """The decided half and the held-out half of ``seed``'s split, by group."""
    given = set(random.Random(seed).sample(groups, len(groups) // 2))
    return [item for item in items if item[3] in given], [item for item in items if item[3] not in given]


def one_split(items, seed: int, base, with_meaning: bool) -> tuple[float, float, object]:
    decided, held_out = _split(items, sorted({item[3] for item in items}), seed)
    decisions = [Decision(text, label) for text, _, label, _ in decided]
    model, choice = choose(base, decisions, [group for *_, group in decided], meaning_available=with_meaning)
    labels = [label for _, _, label, _ in held_out]
    before = average_precision(labels, [score_claim(claim, base)[0] for _, claim, _, _ in held_out])
    after = average_precision(labels, [score_claim(claim, model)[0] for _, claim, _, _ in held_out])
    return before, after, choice


RULES = {"wording": False, "with meaning": True}  # what train may correct; the second needs [semantic]


def run_set(name: str, items, splits: int, base, rules: dict[str, bool]) -> None:
    groups = sorted({item[3] for item in items})
    print(f"\n{name}: {len(items)} sentences, {len(groups)} groups; decisions on half the groups, AP on the other half")
    print(f"{'split':>5s} {'decisions':>9s} {'AP before':>9s}" + "".join(f" {rule:>28s}" for rule in rules))
    gains = {rule: [] for rule in rules}
    replaced = dict.fromkeys(rules, 0)
    start = time.perf_counter()
    for seed in range(splits):
        cells = []
        for rule, with_meaning in rules.items():
            before, after, choice = one_split(items, seed, base, with_meaning)
            gains[rule].append(after - before)
            replaced[rule] += not choice.kept_built_in
            kept = "built-in" if choice.kept_built_in else choice.chosen.name
            cells.append(f"{kept:>16s} {after:5.3f} {after - before:+6.3f}")
        count = len(_split(items, groups, seed)[0])
        print(f"{seed:5d} {count:9d} {before:9.3f}" + "".join(f" {cell:>28s}" for cell in cells))
    for rule in rules:
        print(
            f"{name}, {rule}: mean gain {statistics.mean(gains[rule]):+.4f}, worst split {min(gains[rule]):+.4f}, "
            f"best {max(gains[rule]):+.4f}; decisions replaced the shipped model in {replaced[rule]} of {splits} splits"
        )
    print(f"({time.perf_counter() - start:.0f}s)")


def sweep_gains(items, seed: int, base) -> dict[tuple[float, float], float]:
    """(strength, share) -> held-out AP gain of that fit kept at that share, on one split."""
    import numpy as np

    decided, held_out = _split(items, sorted({item[3] for item in items}), seed)
    prepared = prepare(base, [Decision(text, label) for text, _, label, _ in decided], True)
    labels = [label for _, _, label, _ in held_out]
    before = average_precision(labels, [score_claim(claim, base)[0] for _, claim, _, _ in held_out])
    gains = {}
    for strength in SWEEP_STRENGTHS:
        candidate = Candidate(strength, True)
        corrections, _shift = fit_correction(prepared, np.arange(len(decided)), candidate)
        for share in SWEEP_SHARES:
            model = corrected_model(prepared, corrections * share, 0.0, candidate)
            after = average_precision(labels, [score_claim(claim, model)[0] for _, claim, _, _ in held_out])
            gains[strength, share] = after - before
    return gains


def sweep(splits: int, base) -> None:
    """Each strength and share's mean gain, worst split and splits worse than -0.005, per set."""
    table = {}
    for file_name, group_of in SETS.values():
        items = load(file_name, group_of)
        per_split = [sweep_gains(items, seed, base) for seed in range(splits)]
        for key in per_split[0]:
            gains = [split[key] for split in per_split]
            table.setdefault(key, []).append(
                f"{statistics.mean(gains):+.4f} {min(gains):+.4f} {sum(g < -0.005 for g in gains):3d}"
            )
    print(f"{'strength':>8s} {'share':>5s}" + "".join(f" {name[:24]:>24s}" for name in SETS))
    for (strength, share), cells in table.items():
        print(f"{strength:8g} {share:5g}" + "".join(f" {cell:>24s}" for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--splits", type=int, default=50)
    parser.add_argument("--only", choices=sorted(RULES), help="measure one rule (default: both, side by side)")
    parser.add_argument("--sweep", action="store_true", help="fixed strengths and shares, no choice (needs [semantic])")
    parser.add_argument("--dev", action="store_true", help="measure CheckThat! dev instead (chose nothing in the rule)")
    parser.add_argument("--shares", type=float, nargs="+", help="the shares train's rule with meaning chooses among")
    args = parser.parse_args()
    if args.shares:
        newsroom_fit.MEANING_SHARES = tuple(args.shares)  # read by newsroom_fit.candidates at each choice
    if args.sweep:
        if not meaning.available():
            raise SystemExit("--sweep needs the [semantic] extra: pip install -e '.[semantic]'")
        remember_vectors()
        sweep(args.splits, default_model())
        return
    rules = {args.only: RULES[args.only]} if args.only else dict(RULES)
    if not meaning.available():
        print("the [semantic] extra is not installed: measuring the wording rule alone")
        rules = {rule: with_meaning for rule, with_meaning in rules.items() if not with_meaning}
    if meaning.available():
        remember_vectors()
    base = default_model()
    for name, (file_name, group_of) in (UNTUNED if args.dev else SETS).items():
        run_set(name, load(file_name, group_of), args.splits, base, rules)


if __name__ == "__main__":
    main()
