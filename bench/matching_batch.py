"""The load's matching pass with its lexical stage one MATCH query a text and as a batch.

    python bench/matching_batch.py [--db FILE] [--rounds 4]

A database holding the 14,231 CheckThat! 2022 fact-checks (with vectors when the
[semantic] extra is installed) and the claims of 100 synthetic articles (bench/corpus.py),
built with the project's own commands unless --db names one already built (kept in
/tmp/factcheck-bench/matching_pass.db). Then, in one process, alternating rounds after a
warm-up: the pass (``match_claims_after``, dated as in a load) with one FTS5 MATCH query
a text (``bm25.MIN_TEXTS`` out of reach: the way before) and with the batch scored as one
product (match/bm25.py), in claims a second, for the lexical stage alone and the full
pipeline; and the matches each kept, which must be the same. Then the search the other
way: the claims that 1,000 fact-checks an import adds may enter (``claim_matches.
_claims_like``, the claims of the database searched for each fact-check's text), both ways,
in seconds, and the claims found, which must be the same. ``--db`` may name a database
with more claims (bench/corpus.py articles loaded with ``load --no-match``).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus  # noqa: E402
from matching import EVAL, cli, write_factchecks  # noqa: E402

from datasette_factcheck.match import bm25, claim_matches, matching  # noqa: E402

DEFAULT_DB = Path("/tmp/factcheck-bench/matching_pass.db")
WAYS = {"a query a text": 10**9, "batch": bm25.MIN_TEXTS}


def build(db: Path) -> None:
    """The fact-checks imported, then 100 articles loaded without matching."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder, corpus = Path(tmp), Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus / "articles.jsonl", 100)
        for step in (
            ("import-factchecks", str(db), str(write_factchecks(folder, EVAL))),
            ("load", str(db), str(corpus), "--no-match"),
        ):
            done = cli(*step)
            if done.returncode:
                raise SystemExit(f"{step[0]} failed: {done.stderr.strip()}")


def one_pass(conn: sqlite3.Connection, min_texts: int) -> tuple[float, tuple]:
    """Seconds for the pass, and (matches kept, their scores' sum)."""
    bm25.MIN_TEXTS = min_texts
    start = time.perf_counter()
    claim_matches.match_claims_after(conn, 0)
    conn.commit()
    seconds = time.perf_counter() - start
    return seconds, conn.execute("SELECT count(*), round(sum(score), 4) FROM claim_matches").fetchone()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db)
    conn = sqlite3.connect(args.db)
    claims = claim_matches.count_live_claims(conn)
    print(f"{claims:,} claims, {conn.execute('SELECT count(*) FROM factchecks').fetchone()[0]:,} fact-checks")
    stages = {"lexical stage alone": False, "full pipeline": True}
    if not matching.uses_second_stage(conn):
        stages.pop("full pipeline")
    for name, second in stages.items():
        matching.uses_second_stage = lambda conn, second=second: second
        one_pass(conn, 10**9)  # warm-up: the model loaded, the pages read
        rates, kept = {way: [] for way in WAYS}, {}
        for _ in range(args.rounds):
            for way, min_texts in WAYS.items():
                seconds, kept[way] = one_pass(conn, min_texts)
                rates[way].append(claims / seconds)
        shown = " | ".join(f"{way}: " + ", ".join(f"{r:,.0f}" for r in rates[way]) for way in WAYS)
        ratio = sum(rates["batch"]) / sum(rates["a query a text"])
        same = "same matches" if len(set(kept.values())) == 1 else f"MATCHES DIFFER: {kept}"
        print(f"{name}, claims/s: {shown} ({ratio:.2f}x); {same}")
    reverse_search(conn, args.rounds)


def reverse_search(conn: sqlite3.Connection, rounds: int, count: int = 1_000) -> None:
    """Seconds to find the claims ``count`` fact-checks may enter, each way."""
    texts = [
        " ".join(filter(None, row))
        for row in conn.execute("SELECT claim, title, summary FROM factchecks ORDER BY rowid LIMIT ?", (count,))
    ]
    seconds, found = {way: [] for way in WAYS}, {}
    for _ in range(rounds):
        for way, min_texts in WAYS.items():
            bm25.MIN_TEXTS = min_texts
            start = time.perf_counter()
            found[way] = claim_matches._claims_like(conn, texts)
            seconds[way].append(time.perf_counter() - start)
    shown = " | ".join(f"{way}: " + ", ".join(f"{s:.2f}" for s in seconds[way]) for way in WAYS)
    ratio = sum(seconds["batch"]) / sum(seconds["a query a text"])
    same = (
        f"the same {len(found['batch']):,} claims" if len(set(map(frozenset, found.values()))) == 1 else "CLAIMS DIFFER"
    )
    print(f"claims {len(texts):,} new fact-checks may enter, seconds: {shown} ({ratio:.2f}x); {same}")


if __name__ == "__main__":
    main()
