"""How the date prior of matching (match/timing.py) was chosen: MAP@5 on the CheckThat!
2022 2A train and dev splits for a few shapes of it, in process, lexical and full. devtest
is not read here: bench/matching.py prints it for the shipped prior.

    python bench/matching_dates.py [--eval DIR] [--db MATCH.DB] [--full]

--db: a database `import-factchecks` filled with the Snopes fact-checks (bench/matching.py
makes one); without it one is made. --full: the second stage's shapes too (the tweets'
vectors computed once and reused).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "bench"))

from matching import EVAL, cli, read_queries, scores, write_factchecks  # noqa: E402

from datasette_factcheck.match import matching, semantic, timing  # noqa: E402

CHOOSE = ("train", "dev")


def flat(before: int, after: int, boost: float) -> Callable[[date | None, date | None], float]:
    def factor(claimed: date | None, published: date | None) -> float:
        if claimed is None or published is None:
            return 1.0
        return 1.0 + boost if -before <= (published - claimed).days <= after else 1.0

    return factor


def decaying(before: int, after: int, boost: float, decay: int) -> Callable[[date | None, date | None], float]:
    """Flat in the window, then down to no boost over ``decay`` days after it."""

    def factor(claimed: date | None, published: date | None) -> float:
        if claimed is None or published is None:
            return 1.0
        days = (published - claimed).days
        if days < -before:
            return 1.0
        return 1.0 + boost * max(0.0, min(1.0, 1 - (days - after) / decay))

    return factor


def figures(conn, queries, relevant, second: bool) -> list[dict[str, float]]:
    row = []
    for split in CHOOSE:
        texts = [q["text"] for q in queries[split]]
        found = matching.search_many(conn, texts, 5, 0, second, [timing.claim_date(text) for text in texts])
        row.append(scores({q["id"]: [m.factcheck_id for m in ms] for q, ms in zip(queries[split], found)}, relevant))
    return row


def show(name: str, row: list[dict[str, float]]) -> None:
    cells = " / ".join(f"{s['MAP@5']:.4f}" for s in row)
    print(f"  {name:52} MAP@5 {cells}   P@1 " + " / ".join(f"{s['P@1']:.4f}" for s in row), flush=True)


def lexical_shapes() -> list[tuple[str, Callable, int]]:
    shapes: list[tuple[str, Callable, int]] = [("no prior", lambda a, b: 1.0, timing.DEPTH)]
    for before, after in ((0, 14), (3, 14), (3, 30), (7, 30), (3, 60), (7, 90)):
        for boost in (0.1, 0.2, 0.3, 0.5, 0.75, 1.0):
            shapes.append((f"flat -{before}..+{after} days, x{1 + boost}", flat(before, after, boost), timing.DEPTH))
    for decay in (30, 90, 365):
        for boost in (0.2, 0.3):
            shapes.append((f"-3..+30 x{1 + boost}, then down over {decay} days", decaying(3, 30, boost, decay), 20))
    for depth in (6, 10, 50):
        shapes.append((f"flat -3..+30 x1.25, first {depth}", flat(3, 30, 0.25), depth))
    return shapes


def full_shapes() -> list[tuple[str, Callable, Callable]]:
    """(name, factor, blend): the prior on the whole blend, or on its bm25 share alone."""
    plain = semantic.blended

    def on_bm25(conn, vector, candidates, factors=None):
        factors = factors or {}
        return plain(conn, vector, [(rowid, rank * factors.get(rowid, 1.0)) for rowid, rank in candidates])

    shapes = [("no prior", lambda a, b: 1.0, plain)]
    for boost in (0.05, 0.1, 0.15, 0.25):
        shapes.append((f"blend x{1 + boost}, 0..+14", flat(0, 14, boost), plain))
    for boost in (0.5, 1.0, 2.0):
        shapes.append((f"its bm25 share x{1 + boost}, 0..+14", flat(0, 14, boost), on_bm25))
    shapes.append(("blend x1.1, -3..+30", flat(3, 30, 0.1), plain))
    return shapes


def run(conn: sqlite3.Connection, eval_dir: Path, full: bool) -> None:
    queries, relevant = read_queries(eval_dir)
    dated = {s: sum(bool(timing.claim_date(q["text"])) for q in queries[s]) for s in CHOOSE}
    print("tweets with a dated signature: " + " / ".join(f"{dated[s]} of {len(queries[s])}" for s in CHOOSE))
    factor, depth, blended = timing.factor, timing.DEPTH, semantic.blended
    print("\nlexical stage, train / dev:")
    for name, shape, deep in lexical_shapes():
        timing.factor, timing.DEPTH = shape, deep
        show(name, figures(conn, queries, relevant, False))
    timing.factor, timing.DEPTH = factor, depth
    if full:
        embed, cache = semantic.embed, {}

        def cached(texts, *rest):
            missing = [t for t in texts if t not in cache]
            cache.update(zip(missing, embed(missing, *rest) if missing else []))
            return [cache[t] for t in texts]

        semantic.embed = cached
        print("\nfull pipeline (the prior in the blend of the first 50), train / dev:")
        for name, shape, blend in full_shapes():
            semantic.blended = blend
            timing.factor = shape
            show(name, figures(conn, queries, relevant, True))
        semantic.embed, semantic.blended, timing.factor = embed, blended, factor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "match.db"
        if not args.db:
            cli("import-factchecks", str(db), str(write_factchecks(Path(tmp), args.eval)))
        run(sqlite3.connect(db), args.eval, args.full)


if __name__ == "__main__":
    main()
