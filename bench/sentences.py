"""Benchmark the sentence splitter against a naive regex baseline.

Run from the project root:  python bench/sentences.py

Speed: ~1 MB of news-like text built deterministically from the seed
articles and the hand-labelled gold paragraphs, timed best of 5 on one core.
Accuracy: boundary precision/recall/F1 on the gold paragraphs of
tests/support/sentence_gold.py (GOLD and the known-HARD cases together).
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugin"), str(ROOT / "tests")]

from datasette_factcheck.extract.sentences import sentence_spans  # noqa: E402
from support.sentence_gold import GOLD, HARD  # noqa: E402

TARGET_BYTES = 1_000_000
NAMES = ["Healey", "Lammy", "Austin", "Pistorius", "Lecornu", "Crosetto"]
_NAIVE = re.compile(r"(?<=[.!?])\s+")


def naive_split(text: str) -> list[str]:
    """The baseline: split after every . ! or ? followed by whitespace."""
    return _NAIVE.split(text)


def naive_ends(text: str) -> list[int]:
    """Sentence end offsets found by the baseline."""
    return [m.start() for m in _NAIVE.finditer(text)]


def splitter_ends(text: str) -> list[int]:
    """Sentence end offsets found by ``sentence_spans``."""
    return [end for _, end in sentence_spans(text)]


def build_corpus() -> str:
    """About 1 MB of paragraphs: seeds and gold, shuffled, names varied."""
    seeds = [p for f in sorted((ROOT / "seeds").glob("*.txt")) for p in f.read_text().splitlines()]
    pool = [p for p in seeds if p.strip()] + [" ".join(p) for p in GOLD + HARD]
    rng = random.Random(0)
    paragraphs: list[str] = []
    size = 0
    while size < TARGET_BYTES:
        rng.shuffle(pool)
        name = rng.choice(NAMES)
        for paragraph in pool:
            paragraphs.append(paragraph.replace("Healey", name))
            size += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def best_time(func: Callable[[str], list], text: str, repeat: int = 5) -> tuple[float, int]:
    """Best wall time of ``func(text)`` over ``repeat`` runs, and its output size."""
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        count = len(func(text))
        best = min(best, time.perf_counter() - began)
    return best, count


def boundary_scores(ends: Callable[[str], list[int]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of sentence boundaries inside gold paragraphs.

    A paragraph's final end is excluded: every splitter gets it for free.
    """
    true_positive = predicted = expected = 0
    for sentences in GOLD + HARD:
        text = " ".join(sentences)
        gold = set(_cumulative_ends(sentences)[:-1])
        found = {end for end in ends(text) if end < len(text)}
        true_positive += len(gold & found)
        predicted += len(found)
        expected += len(gold)
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _cumulative_ends(sentences: list[str]) -> list[int]:
    """End offsets of ``sentences`` once joined with single spaces."""
    ends, offset = [], 0
    for sentence in sentences:
        offset += len(sentence)
        ends.append(offset)
        offset += 1
    return ends


def pin_to_one_core() -> None:
    """Measure single-core speed, as the project target is stated per core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main() -> None:
    pin_to_one_core()
    text = build_corpus()
    print(
        f"corpus: {len(text.encode()):,} bytes; gold: {sum(map(len, GOLD))} sentences"
        f" + {sum(map(len, HARD))} in known-hard cases"
    )
    rows = [
        ("sentence_spans", sentence_spans, splitter_ends),
        ("naive re.split", naive_split, naive_ends),
    ]
    rates = []
    for label, func, ends in rows:
        seconds, count = best_time(func, text)
        precision, recall, f1 = boundary_scores(ends)
        rates.append(count / seconds)
        print(
            f"{label:15} {count:7,} sentences in {seconds * 1000:6.1f} ms = "
            f"{count / seconds:9,.0f} sentences/s | "
            f"P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"
        )
    print(f"speed ratio (sentence_spans / naive): {rates[0] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
