"""The heavier scorer that was tried (heavy_scorer.py) beside the default one.

    python bench/heavy_eval.py [--dir DIR] [--threads 1] [--rescore 0.2 ...]

Needs onnxruntime and tokenizers, and the files bench/train_heavy.py writes (build/heavy/).
Prints average precision on the four sets of ../shared/eval (as bench/rank.py reads
them) for the default scorer, the heavy logit alone, and the two combined
(``heavy.combined_margin``) on every sentence; with --rescore, also the combination as
it would be used, on the given share of each set ranked highest by the default scorer
(the rest keep the default margin). Then speed: heavy sentences/s (best of 3 passes,
CPU time, batched, one onnxruntime thread) beside the default scorer's claims/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heavy_scorer as heavy  # noqa: E402
from rank import Labelled, average_precision, claims_per_second, load_sets  # noqa: E402

from datasette_factcheck.score.model import default_model, margin, score_claim

SPEED_ROUNDS = 3


def table_row(name: str, scores: dict[str, dict[str, float]], sets: dict[str, Labelled]) -> str:
    """AP of ``scores`` (set -> text -> score) on each set, via rank.average_precision."""
    cells = "".join(f"{average_precision(lambda c, s=scores[n]: (s[c.text], []), sets[n]):17.3f}" for n in sets)
    return f"{name:34s}{cells}"


def rescored(default: dict[str, float], combined: dict[str, float], share: float) -> dict[str, float]:
    """Combined margins for the top ``share`` by default margin, default margins for the rest."""
    ranked = sorted(default, key=default.__getitem__, reverse=True)
    chosen = set(ranked[: round(len(ranked) * share)])
    return {text: combined[text] if text in chosen else default[text] for text in default}


def sentences_per_second(scorer: heavy.HeavyScorer, texts: list[str]) -> float:
    scorer.logits(texts[:32])  # warm the session before timing
    best = float("inf")
    for _ in range(SPEED_ROUNDS):
        start = time.process_time()
        scorer.logits(texts)
        best = min(best, time.process_time() - start)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, help="the heavy files (default: build/heavy/)")
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    parser.add_argument("--rescore", type=float, action="append", help="share re-scored (repeatable)")
    args = parser.parse_args()
    directory = args.dir or heavy.data_dir()
    if not heavy.available(directory):
        sys.exit(
            f"heavy scorer unavailable in {directory}: pip install onnxruntime tokenizers, run bench/train_heavy.py (or give --dir)"
        )
    model = default_model()
    sets = load_sets()
    scorer = heavy.HeavyScorer(directory, threads=args.threads)
    default, logits, combined = {}, {}, {}
    for name, labelled in sets.items():
        texts = [claim.text for claim, _, _ in labelled]
        default[name] = {claim.text: margin(claim, model) for claim, _, _ in labelled}
        logits[name] = dict(zip(texts, scorer.logits(texts)))
        combined[name] = {t: heavy.combined_margin(default[name][t], logits[name][t], directory) for t in texts}
    print(f"{'scorer':34s}" + "".join(f"{name:>17s}" for name in sets))
    print(table_row("default (checkworthy.py)", default, sets))
    print(table_row("heavy logit alone", logits, sets))
    print(table_row("combined (all sentences)", combined, sets))
    for share in args.rescore or ():
        mixed = {name: rescored(default[name], combined[name], share) for name in sets}
        print(table_row(f"combined on top {share:.0%} by default", mixed, sets))
    all_claims = [claim for labelled in sets.values() for claim, _, _ in labelled]
    all_texts = [claim.text for claim in all_claims]
    heavy_speed = sentences_per_second(scorer, all_texts)
    default_speed = claims_per_second(lambda claim: score_claim(claim, model), all_claims)
    size = (directory / heavy.MODEL_FILE).stat().st_size / 1e6
    print(
        f"speed on {len(all_texts)} sentences: heavy {heavy_speed:,.0f} sentences/s "
        f"({args.threads} thread(s), batches of {heavy.BATCH_SIZE}, {size:.1f} MB model); "
        f"default {default_speed:,.0f} claims/s"
    )


if __name__ == "__main__":
    main()
