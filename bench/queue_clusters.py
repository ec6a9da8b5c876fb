"""The queue with clusters of thousands, at 800k and 3M claims, and the review sheet.

    python bench/queue_clusters.py [--sizes 800000 3000000] [--cluster-size 2000] [--rebuild]
                                   [--only queue|sheet]

Databases come from bench/cluster_corpus.py (direct SQL, a quarter of the
claims copies of sentences repeated 2,000 times, the top of the queue all
large clusters), cached in --cache (default /tmp/factcheck-bench) so a rerun
only measures; --rebuild makes them again. Each is served by Datasette with
this plugin on loopback, and in the same run, side by side:
- the queue page p50 (one row per cluster, the default), with every copy
  (``_copies=1``), and plain Datasette's claims table with the same filter,
  sort and facets on status and verdict;
- the cluster badge for one page: counting every member of the page's
  clusters (what 0.2.0 did on each page) against reading the stored counts;
- the review sheet (every claim) in rows/s, the desk's download and the
  command line, against the sqlite3 shell writing the same query's rows to
  CSV (``sheet`` says what each side does).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx2
from datasette.app import Datasette

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_corpus import cached  # noqa: E402
from loopback import served  # noqa: E402
from scale import PLAIN_TABLE, QUEUE  # noqa: E402
from scale import p50 as scale_p50  # noqa: E402

from datasette_factcheck.desk import claim_page as claims
from datasette_factcheck.desk import queue as triage
from datasette_factcheck.desk.export import sheet_page_query  # noqa: E402
from datasette_factcheck.store import clusters as cluster_store  # noqa: E402
from datasette_factcheck.store.sql import IN_MANY, many  # noqa: E402

SECRET = "bench-secret-not-for-production"
REPEATS = 15
PLAIN_REPEATS = 5
# The badge as 0.2.0 counted it: every live member of each cluster on the page.
COUNTED_SPREAD = f"""SELECT cluster_id, count(*), count(DISTINCT article_id) FROM claims
    WHERE cluster_id {IN_MANY} AND superseded_at IS NULL GROUP BY cluster_id"""


def p50(http: httpx2.Client, path: str, repeats: int = REPEATS) -> float:
    http.get(path)  # warm: the first request reads the pages from disk
    return scale_p50(http, path, repeats)


def client(base: str) -> httpx2.Client:
    cookie = Datasette(secret=SECRET).sign({"a": {"id": "root"}}, "actor")
    return httpx2.Client(base_url=base, timeout=600, cookies={"ds_actor": cookie})


def badge_ms(db_path: Path) -> tuple[float, float, int]:
    """One queue page's badge, counted (0.2.0) and read from claim_clusters, in-process."""
    conn = sqlite3.connect(db_path)
    page = claims.queue_page(conn, triage.QueueFilters(), None)
    ids = [row["cluster_id"] for row in page["claims"]]
    timed = []
    for run in (
        lambda: conn.execute(COUNTED_SPREAD, [many(set(ids))]).fetchall(),
        lambda: cluster_store.spread(conn, ids),
    ):
        run()
        start = time.perf_counter()
        for _ in range(5):
            run()
        timed.append((time.perf_counter() - start) / 5 * 1000)
    biggest = max((row["cluster"] or {}).get("copies", 1) for row in page["claims"])
    conn.close()
    return timed[0], timed[1], biggest


def measure(db_path: Path) -> dict:
    counted, stored, biggest = badge_ms(db_path)
    with served(db_path, env={"DATASETTE_SECRET": SECRET}, options=["--root"]) as base, client(base) as http:
        return {
            "claims": sqlite3.connect(db_path).execute("SELECT count(*) FROM claims").fetchone()[0],
            "biggest": biggest,
            "queue": p50(http, QUEUE),
            "copies": p50(http, QUEUE + "?_copies=1"),
            "plain": p50(http, PLAIN_TABLE, PLAIN_REPEATS),
            "counted": counted,
            "stored": stored,
        }


SHEET_REPEATS = 3


def timed_pipe(command: list[str]) -> tuple[float, int]:
    """Seconds ``command`` takes to write its output into a pipe this process
    reads (as ``subprocess.run`` reads it), and the lines it wrote."""
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, check=True).stdout
    return time.perf_counter() - start, out.count(b"\n")


def timed_download(http: httpx2.Client, path: str) -> tuple[float, int]:
    """Seconds the download takes, read as bytes from the socket (no decoding:
    the shell's side is not decoded either), and the lines it held."""
    start = time.perf_counter()
    lines = 0
    with http.stream("GET", path) as response:
        assert response.status_code == 200, (path, response.status_code)
        for chunk in response.iter_raw(1 << 20):
            lines += chunk.count(b"\n")
    return time.perf_counter() - start, lines


def shell_command(db_path: Path, query: tuple[str, list]) -> list[str]:
    """The sqlite3 shell writing ``query`` as CSV with a header (parameters
    inlined: the shell takes none; here they are vocabulary values)."""
    sql, params = query
    for value in params:
        sql = sql.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    return ["sqlite3", "-csv", "-header", str(db_path), sql]


def sheet(db_path: Path) -> None:
    """The review sheet of every claim against the sqlite3 shell, both over
    the same rows in the same order (the sheet's rows, each claim joined to its
    article, as ``sheet_page_query`` writes them: one page of every row for the
    shell), each run SHEET_REPEATS times, alternating, in this run; medians.
    What each does:
    - export.csv: the desk's download, over loopback HTTP from ``datasette
      serve``, read as bytes by this process; keyset pages of PAGE_SIZE claims,
      each article read once per export rather than joined to every claim
      (desk/sheet_articles.py), each page formatted (labels, score out of 100,
      claim page, formulas made text);
    - ``datasette factcheck export``: the same sheet from the command line, a
      process writing to a pipe this process reads, Python's start-up included;
    - the sqlite3 shell: the query's rows as they are stored, written by
      ``sqlite3 -csv`` to a pipe this process reads.
    """
    parsed = triage.QueueFilters.from_params({"status": ["all"]})
    rows = sqlite3.connect(db_path).execute("SELECT count(*) FROM claims WHERE superseded_at IS NULL").fetchone()[0]
    shell = shell_command(db_path, sheet_page_query(parsed, None, 10**9)) if shutil.which("sqlite3") else None
    export = [sys.executable, "-m", "datasette", "factcheck", "export", str(db_path), "--status", "all"]
    runs: dict[str, list[float]] = {"web": [], "cli": [], "shell": []}
    with served(db_path, env={"DATASETTE_SECRET": SECRET}, options=["--root"]) as base, client(base) as http:
        path = f"{QUEUE}/export.csv?{parsed.query_string()}"
        timed_download(http, path)  # warm: the first pass reads the pages from disk
        for _ in range(SHEET_REPEATS):
            for name, run in (
                ("web", lambda: timed_download(http, path)),
                ("cli", lambda: timed_pipe(export)),
                ("shell", lambda: timed_pipe(shell) if shell else (0.0, 0)),
            ):
                seconds, lines = run()
                assert not seconds or lines >= rows + 1, (name, lines, rows)  # every row and the header
                runs[name].append(seconds)
    speed = {name: rows / statistics.median(times) if times[0] else 0.0 for name, times in runs.items()}
    print(f"\nreview sheet, every claim ({rows:,} rows), rows/s, median of {SHEET_REPEATS} alternating runs")
    for name, label in (
        ("web", "export.csv (datasette serve, loopback)"),
        ("cli", "datasette factcheck export, to a pipe"),
    ):
        ratio = f"   / sqlite3: {speed[name] / speed['shell']:.2f}x" if shell else ""
        print(f"{label:44}{speed[name]:>14,.0f}{ratio}")
    if shell:
        print(f"{'sqlite3 -csv, the same query, to a pipe':44}{speed['shell']:>14,.0f}")
    else:
        print("(no sqlite3 shell to compare)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[800_000, 3_000_000])
    parser.add_argument("--cluster-size", type=int, default=2000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/factcheck-bench"))
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--no-sheet", action="store_true", help="skip the review sheet")
    parser.add_argument("--only", choices=("queue", "sheet"), help="measure only the queue or only the sheet")
    args = parser.parse_args()
    paths = {size: cached(args.cache, size, args.cluster_size, args.rebuild) for size in args.sizes}
    if args.only == "sheet":  # on the first size, as the full run does
        sheet(paths[args.sizes[0]])
        return
    results = {size: measure(path) for size, path in paths.items()}
    width = 14
    print(
        f"\n{'p50, ms (' + str(REPEATS) + ' requests)':44}"
        + "".join(f"{r['claims']:>{width},}" for r in results.values())
    )
    rows = (
        ("largest cluster on the first page (copies)", "biggest", "{:>{w},}"),
        ("queue, one row per cluster (default)", "queue", "{:>{w}.1f}"),
        ("queue, every copy (_copies=1)", "copies", "{:>{w}.1f}"),
        ("plain Datasette claims table + 2 facets", "plain", "{:>{w}.1f}"),
    )
    for label, key, fmt in rows:
        print(f"{label:44}" + "".join(fmt.format(r[key], w=width) for r in results.values()))
    print(f"{'  plain / queue':44}" + "".join(f"{r['plain'] / r['queue']:>{width - 1}.0f}x" for r in results.values()))
    print(f"{'badge: count members (0.2.0), ms':44}" + "".join(f"{r['counted']:>{width}.2f}" for r in results.values()))
    print(f"{'badge: stored counts, ms':44}" + "".join(f"{r['stored']:>{width}.2f}" for r in results.values()))
    sizes = list(results)
    if len(sizes) > 1:
        first, last = results[sizes[0]], results[sizes[-1]]
        print(f"queue at {last['claims']:,} / at {first['claims']:,}: {last['queue'] / first['queue']:.2f}x")
    if not (args.no_sheet or args.only == "queue"):
        sheet(paths[sizes[0]])


if __name__ == "__main__":
    main()
