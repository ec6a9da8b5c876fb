"""Load + extract throughput beside a bare sqlite-utils insert, and score quality.

    python bench/load.py [--articles 20000] [--rounds 3]

1. Writes a synthetic corpus (bench/corpus.py) of N articles x 20 sentences.
2. Times the project's loader end to end (read, clean, split, annotate,
   score, cluster, write with FTS and indexes) into a new database.
3. Times a bare sqlite-utils ``insert_all`` of the very claim rows the loader
   wrote, into a new database with no indexes or FTS: the baseline.
4. Times plain sqlite3 writing the loader's rows into the factcheck schema
   (indexes, FTS, counts) with no extraction at all: the floor for any loader
   with this schema, since SQLite has one writer.
5. Prints the CPU per sentence of the writer and of the extraction workers.
6. Reports average precision of the check-worthiness score on
   ../shared/eval/claimbuster_dev.csv (check-worthy sentences against the rest).
All timings come from the same run on the same machine, so read the ratios. With
--rounds N, steps 2-4 run N times in turn and the best of each is compared (as timeit
takes the best): the floor alone moves by a fifth between runs on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import sqlite_utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

from datasette_factcheck.load.extraction import extract_article  # noqa: E402
from datasette_factcheck.load.plugins import standalone_plugin_manager  # noqa: E402
from datasette_factcheck.load.run import LOAD_CACHE_KIB, default_workers, load_paths  # noqa: E402
from datasette_factcheck.records import Article  # noqa: E402
from datasette_factcheck.store import counts  # noqa: E402
from datasette_factcheck.store.rows import ARTICLE_COLUMNS, INSERT_CLAIM_SQL, INSERTED_CLAIM_COLUMNS, insert_sql  # noqa: E402
from datasette_factcheck.store.schema import drop_queue_indexes, ensure_queue_indexes, index_new_rows, migrate  # noqa: E402
from datasette_factcheck.store.writers import writing_as  # noqa: E402

CLAIMBUSTER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "claimbuster_dev.csv"


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def time_loader(corpus: Path, db_path: Path, workers: int | None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of this process, CPU seconds of the extraction workers)."""
    main_cpu, workers_cpu = _cpu_seconds(resource.RUSAGE_SELF), _cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    summary = load_paths(db_path, [corpus], workers=workers)
    elapsed = time.perf_counter() - start
    assert not summary.problems, summary.problems[:3]
    print(f"  {summary}")
    # The pool's workers have exited and been waited for by now, so RUSAGE_CHILDREN holds them.
    return (
        elapsed,
        _cpu_seconds(resource.RUSAGE_SELF) - main_cpu,
        _cpu_seconds(resource.RUSAGE_CHILDREN) - workers_cpu,
    )


def time_bare_insert(db_path: Path, target: Path) -> tuple[float, int]:
    rows = list(sqlite_utils.Database(db_path)["claims"].rows)
    start = time.perf_counter()
    sqlite_utils.Database(target)["claims"].insert_all(rows, pk="id")
    return time.perf_counter() - start, len(rows)


def time_schema_floor(db_path: Path, target: Path) -> float:
    """The SQLite work alone: the loader's own rows (articles, claims, cluster
    keys) put into a new database with the factcheck schema by plain sqlite3
    ``executemany``, in one transaction, full-text indexes and counts built
    set-wise and queue indexes at the end, as a large load does, with the
    loader's page cache. No Python extraction or clustering: what one writing
    process cannot go below."""
    source = sqlite3.connect(db_path)
    articles = source.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles").fetchall()
    claims = source.execute(f"SELECT {', '.join(INSERTED_CLAIM_COLUMNS)} FROM claims").fetchall()
    keys = source.execute("SELECT key, claim_id FROM claim_cluster_keys ORDER BY key").fetchall()
    db = sqlite_utils.Database(target)
    db.enable_wal()
    db.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")  # as the loader's connection has
    migrate(db)
    drop_queue_indexes(db)
    conn = db.conn
    start = time.perf_counter()
    with db.atomic(), writing_as(conn, "load"):
        conn.executemany(insert_sql("articles", ARTICLE_COLUMNS), articles)
        conn.executemany(INSERT_CLAIM_SQL, claims)
        conn.executemany("INSERT INTO claim_cluster_keys (key, claim_id) VALUES (?, ?)", keys)
        index_new_rows(db, "claims", ["text"], 0)
        index_new_rows(db, "articles", ["title", "body"], 0)
        conn.execute(counts.add_claims_sql())
    ensure_queue_indexes(db)
    return time.perf_counter() - start


def average_precision(scored: list[tuple[float, bool]]) -> float:
    hits, total = 0, 0.0
    for rank, (_, positive) in enumerate(sorted(scored, key=lambda s: -s[0]), start=1):
        if positive:
            hits += 1
            total += hits / rank
    return total / max(hits, 1)


def claimbuster_ap() -> tuple[float, float, int]:
    """(AP of our score, AP of a random ranking = base rate, sentences)."""
    hook = standalone_plugin_manager().hook
    scored = []
    with CLAIMBUSTER.open() as f:
        for row in csv.DictReader(f):
            claims = extract_article(Article(id=row["sentence_id"], body=row["text"], source="claimbuster"), hook)
            score = max((c.checkworthiness for c in claims), default=0.0)
            scored.append((score, row["verdict"] == "1"))
    base_rate = sum(p for _, p in scored) / len(scored)
    return average_precision(scored), base_rate, len(scored)


def print_cpu_budget(
    sentences: int, wall: float, main_cpu: float, workers_cpu: float, floor: float, workers: int
) -> None:
    """Where the load's CPU went: the writer (reads, clusters, writes SQLite)
    and the extraction workers. Their sum over the cores bounds the rate; with a
    core for each process (the writer and ``workers``), the busiest alone would."""
    micros = 1e6 / sentences
    total = main_cpu + workers_cpu
    cores = os.cpu_count() or 1
    print(
        f"CPU per sentence: writer process {main_cpu * micros:.1f} us, extraction workers "
        f"{workers_cpu * micros:.1f} us, total {total * micros:.1f} us "
        f"({total / wall:.2f} of {cores} cores busy); at this CPU cost {cores} fully busy cores "
        f"would load {sentences * cores / total:,.0f} sentences/s"
    )
    if workers < 2:
        return  # the loader extracted in its own process: nothing runs beside it
    slowest = max(main_cpu, workers_cpu / workers)
    print(
        f"with a core for each of the {workers + 1} processes (a bound, not a measurement): the busiest "
        f"({'the writer' if slowest == main_cpu else 'the workers'}) would take {slowest:.2f} s, "
        f"{slowest / floor:.2f}x the floor"
    )


class Round(NamedTuple):
    """One round's timings: loader (wall, writer CPU, workers' CPU), bare insert, floor."""

    loader: tuple[float, float, float]
    bare: float
    floor: float


def time_round(tmp: Path, number: int, workers: int | None) -> tuple[Round, int]:
    """Loader, bare insert and floor into new files, one after the other; (timings, claims)."""
    loaded = tmp / f"factcheck{number}.db"
    loader = time_loader(tmp / "corpus.jsonl", loaded, workers)
    bare, claims = time_bare_insert(loaded, tmp / f"bare{number}.db")
    return Round(loader, bare, time_schema_floor(loaded, tmp / f"floor{number}.db")), claims


def print_rounds(rounds: list[Round]) -> None:
    """Each round's ratio to the floor: on a shared machine the floor alone moves by a fifth."""
    for number, timing in enumerate(rounds, start=1):
        print(
            f"  round {number}: loader {timing.loader[0]:.2f} s, bare insert {timing.bare:.2f} s, floor "
            f"{timing.floor:.2f} s; loader / floor {timing.loader[0] / timing.floor:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=None, help="extraction processes (default: up to 2)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat all three; the best of each is compared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sentences = write_corpus(tmp / "corpus.jsonl", args.articles)
        print(f"corpus: {args.articles:,} articles, {sentences:,} sentences")
        timed = [time_round(tmp, number, args.workers) for number in range(args.rounds)]
    rounds, claims = [timing for timing, _ in timed], timed[0][1]
    (loader_s, main_cpu, workers_cpu), bare_s, floor_s = (
        min(r.loader for r in rounds),
        min(r.bare for r in rounds),
        min(r.floor for r in rounds),
    )
    if args.rounds > 1:
        print_rounds(rounds)
        print(f"best of {args.rounds} rounds:")
    print(f"{'':28}{'seconds':>10}{'sentences/s':>14}{'claims/s':>12}")
    print(
        f"{'factcheck load (all stages)':28}{loader_s:>10.2f}{sentences / loader_s:>14,.0f}{claims / loader_s:>12,.0f}"
    )
    print(f"{'bare sqlite-utils insert_all':28}{bare_s:>10.2f}{'':>14}{claims / bare_s:>12,.0f}")
    print(f"{'sqlite3, same rows + schema':28}{floor_s:>10.2f}{sentences / floor_s:>14,.0f}{claims / floor_s:>12,.0f}")
    print(
        f"loader time / bare insert time: {loader_s / bare_s:.2f}x; loader time / sqlite3 floor: {loader_s / floor_s:.2f}x"
    )
    print_cpu_budget(sentences, loader_s, main_cpu, workers_cpu, floor_s, args.workers or default_workers())
    if CLAIMBUSTER.exists():
        ap, base, n = claimbuster_ap()
        print(f"ClaimBuster dev ({n:,} sentences): average precision {ap:.3f} (random ranking: {base:.3f})")
    else:
        print(f"ClaimBuster dev set not found at {CLAIMBUSTER}: skipped")


if __name__ == "__main__":
    main()
