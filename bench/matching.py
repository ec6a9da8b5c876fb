"""Has this been checked? Matching measured on CheckThat! 2022 Task 2A (English), read
from ../shared/eval/checkthat22_2a (never shipped): 14,231 Snopes fact-checks, and tweets
that repeat them (train / dev / devtest).

The fact-checks go in through `datasette factcheck import-factchecks` and the tweets
through `datasette factcheck match --json`, as a user would run them. Printed: MAP@5, P@1
and recall@5 on dev and devtest for the shipped matcher beside the baseline (BM25 over
the fact-check's claim alone, every word of the tweet: roughly the lab's BM25 baseline),
queries a second, the import's time, and the load's matching pass with the fact-checks
present beside `load --no-match`.

    python bench/matching.py [--eval DIR] [--articles 100] [--tune] [--ablate]

--tune prints MAP@5 on train and dev for bm25 column weights (how WEIGHTS was chosen).
MAP@5, P@1 and recall@5 of train, dev and devtest are printed in process, lexical and full,
with and without the date prior (match/timing.py: a post signature's date), with batched
queries a second of each (paired, alternating rounds); the load's matching pass likewise.
--ablate adds MAP@5 with and without a post's hashtags read as one word (words.hashtags).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "bench"))

import sqlite_utils  # noqa: E402
from corpus import write_corpus  # noqa: E402

from datasette_factcheck.match import claim_matches, matching, semantic, timing  # noqa: E402
from datasette_factcheck.match.records import read_jsonl  # noqa: E402
from datasette_factcheck.match.store import ImportSummary, store  # noqa: E402
from datasette_factcheck.store.schema import migrate  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "checkthat22_2a"
SPLITS = ("dev", "devtest")


def cli(*args: str) -> subprocess.CompletedProcess:
    """`datasette factcheck ARGS` with this tree's package first on the path."""
    env = {"PYTHONPATH": str(ROOT / "plugin"), "PATH": "/usr/bin:/bin:" + str(Path(sys.executable).parent)}
    command = [sys.executable, "-m", "datasette", "factcheck", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def write_factchecks(folder: Path, eval_dir: Path) -> Path:
    """The Snopes fact-checks as import-factchecks records (subtitle as summary)."""
    target = folder / "snopes.jsonl"
    with target.open("w") as out:
        for line in (eval_dir / "verified_claims.jsonl").open():
            record = json.loads(line)
            fields = {"id": record["id"], "claim": record["claim"], "title": record.get("title")}
            fields |= {"summary": record.get("subtitle"), "published": record.get("date"), "publisher": "Snopes"}
            out.write(json.dumps(fields) + "\n")
    return target


def read_queries(eval_dir: Path) -> tuple[dict[str, list[dict]], dict[str, set[str]]]:
    queries: dict[str, list[dict]] = {}
    for row in csv.DictReader((eval_dir / "queries.csv").open()):
        queries.setdefault(row["split"], []).append({"id": row["query_id"], "text": row["text"]})
    relevant: dict[str, set[str]] = {}
    for row in csv.DictReader((eval_dir / "qrels.csv").open()):
        relevant.setdefault(row["query_id"], set()).add(row["claim_id"])
    return queries, relevant


def scores(ranked: dict[str, list[str]], relevant: dict[str, set[str]]) -> dict[str, float]:
    """MAP@5, P@1 and recall@5 of ``ranked`` (query id -> fact-check ids, best first)."""
    total_ap = total_p1 = total_recall = 0.0
    for query_id, found in ranked.items():
        wanted = relevant[query_id]
        hits, precision_sum = 0, 0.0
        for rank, item in enumerate(found[:5], 1):
            if item in wanted:
                hits += 1
                precision_sum += hits / rank
        total_ap += precision_sum / min(len(wanted), 5)
        total_p1 += bool(found) and found[0] in wanted
        total_recall += len(set(found[:5]) & wanted) / len(wanted)
    count = len(ranked)
    return {"MAP@5": total_ap / count, "P@1": total_p1 / count, "R@5": total_recall / count}


def run_match_cli(
    db: Path, folder: Path, split: str, queries: list[dict], *extra: str
) -> tuple[dict[str, list[str]], float]:
    """Rank with `match --json` (no threshold: MAP counts the top 5); queries a second."""
    path = folder / f"{split}.jsonl"
    path.write_text("".join(json.dumps(query) + "\n" for query in queries))
    start = time.perf_counter()
    result = cli("match", str(db), "--input", str(path), "--json", "--threshold", "0", "--limit", "5", *extra)
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(result.stderr)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return {line["id"]: [m["factcheck_id"] for m in line["matches"]] for line in lines}, len(queries) / elapsed


BASELINE_SQL = """
SELECT factchecks.id FROM factchecks_fts JOIN factchecks ON factchecks.rowid = factchecks_fts.rowid
WHERE factchecks_fts MATCH ? ORDER BY bm25(factchecks_fts, 1.0, 0.0, 0.0) LIMIT 5
"""


def run_baseline(conn: sqlite3.Connection, queries: list[dict]) -> tuple[dict[str, list[str]], float]:
    """BM25 over the claim column alone, every word of the query (stop words kept)."""
    ranked = {}
    start = time.perf_counter()
    for query in queries:
        words = dict.fromkeys(matching.WORD.findall(query["text"].lower()))
        fts = " OR ".join(f'"{word}"' for word in words)
        ranked[query["id"]] = (
            [row[0] for row in conn.execute(BASELINE_SQL, ("{claim} : (" + fts + ")",))] if fts else []
        )
    return ranked, len(queries) / (time.perf_counter() - start)


def records_rate(folder: Path, factchecks: Path) -> float:
    """Records a second read from the file and written (import-factchecks' own work, no
    vectors, no process start)."""
    database = sqlite_utils.Database(folder / "records-only.db")
    migrate(database)
    start = time.perf_counter()
    parsed = read_jsonl(factchecks.read_text(), str(factchecks))
    store(database.conn, parsed.factchecks, str(factchecks), "bench", ImportSummary())
    return len(parsed.factchecks) / (time.perf_counter() - start)


def in_process_rate(conn: sqlite3.Connection, queries: list[dict], second: bool) -> float:
    start = time.perf_counter()
    for query in queries:
        matching.search(conn, query["text"], limit=5, second_stage=second)
    return len(queries) / (time.perf_counter() - start)


def tune(conn: sqlite3.Connection, queries: dict[str, list[dict]], relevant: dict[str, set[str]]) -> None:
    """MAP@5 on train and dev for bm25 column weights (claim, title, summary)."""
    # One text at a time, so every search is the SQL query (the batch reads no weights).
    original = matching._SEARCH["factchecks_fts"]
    for weights in [(1.0, 1.0, 1.0), (1.0, 1.0, 0.5), (2.0, 1.0, 1.0), (1.0, 2.0, 1.0), (1.0, 0.5, 0.5)]:
        matching._SEARCH["factchecks_fts"] = original.replace(
            "bm25(factchecks_fts)", f"bm25(factchecks_fts, {', '.join(map(str, weights))})"
        )
        row = []
        for split in ("train", "dev"):
            found = {q["id"]: matching.search(conn, q["text"], threshold=0, second_stage=False) for q in queries[split]}
            ranked = {query_id: [m.factcheck_id for m in matches] for query_id, matches in found.items()}
            row.append(f"{split} MAP@5 {scores(ranked, relevant)['MAP@5']:.4f}")
        print(f"  weights {weights}: " + ", ".join(row))
    matching._SEARCH["factchecks_fts"] = original


def in_process(
    conn: sqlite3.Connection, queries: list[dict], relevant: dict[str, set[str]], second: bool, dated: bool = True
) -> tuple[dict[str, float], float]:
    """Scores of ``queries`` searched together (as `match` does), and queries a second."""
    texts = [query["text"] for query in queries]
    start = time.perf_counter()
    found = matching.search_many(conn, texts, 5, 0, second, [timing.claim_date(t) for t in texts] if dated else None)
    speed = len(texts) / (time.perf_counter() - start)
    return scores({q["id"]: [m.factcheck_id for m in ms] for q, ms in zip(queries, found)}, relevant), speed


def map_in_process(conn: sqlite3.Connection, queries: list[dict], relevant: dict[str, set[str]], second: bool) -> float:
    return in_process(conn, queries, relevant, second)[0]["MAP@5"]


def date_table(conn: sqlite3.Connection, queries: dict[str, list[dict]], relevant, full: bool) -> None:
    """MAP@5 / P@1 / R@5 without and with the date prior, side by side; then batched queries
    a second over every split, three alternating rounds each."""
    stages = [("lexical", False)] + ([("full", True)] if full else [])
    print("\nIn process, without | with the date prior (a post signature's date), MAP@5 / P@1 / R@5:")
    for name, second in stages:
        for split in ("train", *SPLITS):
            cells = []
            for dated in (False, True):
                s = in_process(conn, queries[split], relevant, second, dated)[0]
                cells.append(f"{s['MAP@5']:.4f} / {s['P@1']:.4f} / {s['R@5']:.4f}")
            print(f"  {name:8} {split:8} {cells[0]}  |  {cells[1]}")
    every = [q for split in ("train", *SPLITS) for q in queries[split]]
    for name, second in stages:
        speeds: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(3):
            for dated in (False, True):
                speeds[dated].append(in_process(conn, every, relevant, second, dated)[1])
        shown = {dated: ", ".join(f"{v:,.0f}" for v in values) for dated, values in speeds.items()}
        ratio = sum(speeds[True]) / sum(speeds[False])
        print(f"  {name:8} batched queries/s, {len(every)} tweets: {shown[False]} | {shown[True]} ({ratio:.2f}x)")


def ablate_hashtags(conn: sqlite3.Connection, queries: dict[str, list[dict]], relevant, full: bool) -> None:
    """MAP@5 on train, dev and devtest with and without hashtags read as one word as well."""
    stages = [("lexical", False)] + ([("full", True)] if full else [])
    hashtags = matching.hashtags
    print("\nMAP@5 in process (train / dev / devtest), a post's hashtags as one word as well or not:")
    for name, second in stages:
        for label, read in (("without", lambda text: []), ("with", hashtags)):
            matching.hashtags = read
            row = " / ".join(f"{map_in_process(conn, queries[s], relevant, second):.4f}" for s in ("train", *SPLITS))
            print(f"  {name:8} {label:8} {row}")
    matching.hashtags = hashtags


def bench_load(folder: Path, imported_db: Path, articles: int) -> None:
    """`load` and `load --no-match` of the same synthetic corpus into databases holding the
    14k fact-checks, paired; and the matching pass alone, in claims a second."""
    corpus = folder / "corpus"
    corpus.mkdir()
    write_corpus(corpus / "articles.jsonl", articles)
    times = {}
    for label, extra in (("load --no-match", ("--no-match",)), ("load", ())):
        db = folder / f"load-{len(times)}.db"
        shutil.copy(imported_db, db)  # the 14k fact-checks (and vectors) imported above
        start = time.perf_counter()
        loaded = cli("load", str(db), str(corpus), *extra)
        times[label] = time.perf_counter() - start
        assert loaded.returncode == 0, loaded.stderr
    conn = sqlite3.connect(db)
    claims = claim_matches.count_live_claims(conn)
    ratio = times["load"] / times["load --no-match"]
    print(f"\nload of {articles:,} articles ({claims:,} claims) with 14,231 fact-checks present:")
    print(f"  load --no-match {times['load --no-match']:.2f} s, load {times['load']:.2f} s ({ratio:.2f}x)")
    stages = [("lexical stage alone", False)] + ([("full pipeline", True)] if matching.uses_second_stage(conn) else [])
    original, embed, claim_date = matching.uses_second_stage, semantic.embed, timing.claim_date
    embedded: list[str] = []  # the texts the pass re-ranked (worth_reranking)
    semantic.embed = lambda texts, *rest: embedded.extend(texts) or embed(texts, *rest)
    print("  matching pass, claims/s without | with the date prior (the article's published), alternating:")
    for name, second in stages:
        matching.uses_second_stage = lambda conn, second=second: second
        rates: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(2):
            for dated in (False, True):
                timing.claim_date = claim_date if dated else lambda text, given=None: None
                start = time.perf_counter()
                claim_matches.match_claims_after(conn, 0)
                conn.commit()
                rates[dated].append(claims / (time.perf_counter() - start))
        kept = conn.execute("SELECT count(DISTINCT claim_id) FROM claim_matches").fetchone()[0]
        shown = {dated: ", ".join(f"{v:,.0f}" for v in values) for dated, values in rates.items()}
        print(f"    {name}: {shown[False]} | {shown[True]}; {kept:,} claims matched (with)")
    if embedded:
        print(f"  ({len(set(embedded)):,} distinct texts re-ranked by meaning)")
    matching.uses_second_stage, semantic.embed, timing.claim_date = original, embed, claim_date


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL)
    parser.add_argument("--articles", type=int, default=100, help="synthetic articles for the load bench (0: skip)")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument(
        "--ablate", action="store_true", help="MAP@5 with and without a post's hashtags as one word too"
    )
    args = parser.parse_args()
    queries, relevant = read_queries(args.eval)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        factchecks = write_factchecks(folder, args.eval)
        db = folder / "match.db"
        start = time.perf_counter()
        imported = cli("import-factchecks", str(db), str(factchecks))
        seconds = time.perf_counter() - start
        print(imported.stdout.strip().splitlines()[-1])
        print(f"import-factchecks: {seconds:.2f} s for 14,231 records (process start and any vectors included)")
        print(f"records alone (read and written, no vectors): {records_rate(folder, factchecks):,.0f} records/s")
        conn = sqlite3.connect(db)
        if args.tune:
            tune(conn, queries, relevant)
        print(f"\n{'split':8} {'matcher':28} {'MAP@5':>7} {'P@1':>7} {'R@5':>7} {'queries/s':>10}")
        second = matching.uses_second_stage(conn)
        for split in SPLITS:
            runs = [("baseline: BM25 claim only", *run_baseline(conn, queries[split]))]
            runs.append(("lexical stage alone", *run_match_cli(db, folder, split, queries[split], "--lexical")))
            if second:
                runs.append(("lexical + re-rank (full)", *run_match_cli(db, folder, split, queries[split])))
            for name, ranked, speed in runs:
                s = scores(ranked, relevant)
                print(f"{split:8} {name:28} {s['MAP@5']:7.4f} {s['P@1']:7.4f} {s['R@5']:7.4f} {speed:10,.0f}")
        if not second:
            print("(the [semantic] extra is not installed: no second stage)")
        print("(`match --json` reads a post signature's date; its queries/s include starting the process and model)")
        date_table(conn, queries, relevant, second)
        if args.ablate:
            ablate_hashtags(conn, queries, relevant, second)
        every = [q for split in SPLITS for q in queries[split]]
        print(f"\nmatch in process one text at a time (no date), over 14,231 fact-checks, {len(every)} tweets:")
        print(f"  lexical stage alone {in_process_rate(conn, every, False):,.0f} queries/s")
        if second:
            print(f"  full pipeline       {in_process_rate(conn, every, True):,.0f} queries/s")
        if args.articles:
            conn.close()
            bench_load(folder, db, args.articles)


if __name__ == "__main__":
    main()
