"""The triage queue, exports and dashboard at a million claims.

    python bench/scale.py [--claims 1000000]

Builds databases of about 10k, 100k and --claims claims with the project's own
loader (synthetic corpus, bench/corpus.py), serves each with Datasette on
loopback, and measures in the same run, side by side:
- the queue page p50 against plain Datasette's claims table page with the same
  filter, sort and facets on status and verdict;
- export.csv rows/s (unfiltered and filtered) against the sqlite3 command-line
  tool running the same query to CSV, and against Datasette's ``_stream=1``;
- the dashboard p50; the queue p50 at each size (flat is the goal).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import SENTENCES_PER_ARTICLE, write_corpus  # noqa: E402
from loopback import served  # noqa: E402

from datasette_factcheck import triage  # noqa: E402
from datasette_factcheck.export import sheet_page_query  # noqa: E402
from datasette_factcheck.load import load_paths  # noqa: E402

QUEUE = "/factcheck/-/factcheck"
PLAIN_TABLE = (
    "/factcheck/claims?status__in=unreviewed,in_progress&superseded_at__isnull=1"
    "&_sort_desc=checkworthiness&_facet=status&_facet=verdict"
)
FILTERED = {"sourcing": ["leak"], "status": ["all"]}
REPEATS = 15


def build(folder: Path, claims: int) -> Path:
    articles = max(1, round(claims / (SENTENCES_PER_ARTICLE * 0.97)))  # ~3% of sentences are too short
    corpus = folder / f"corpus-{claims}.jsonl"
    write_corpus(corpus, articles)
    db_path = folder / f"{claims}" / "factcheck.db"
    db_path.parent.mkdir()
    start = time.perf_counter()
    load_paths(db_path, [corpus])
    count = sqlite3.connect(db_path).execute("SELECT count(*) FROM claims").fetchone()[0]
    print(f"built {count:,} claims in {time.perf_counter() - start:.0f} s")
    corpus.unlink()
    return db_path


def p50(http: httpx2.Client, path: str, repeats: int = REPEATS) -> float:
    """The median time of ``repeats`` GETs of ``path``, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = http.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code, response.text[:200])
    return statistics.median(times) * 1000


def rows_per_second(http: httpx2.Client, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    rows = 0
    with http.stream("GET", path) as response:
        assert response.status_code == 200, (path, response.status_code)
        for chunk in response.iter_text():
            rows += chunk.count("\n")
    return rows / (time.perf_counter() - start), rows


def sqlite3_tool(db_path: Path, filters: dict) -> tuple[float, int] | None:
    """The same query as the sheet, run by the sqlite3 shell to CSV."""
    if not shutil.which("sqlite3"):
        return None
    sql, params = sheet_page_query(triage.QueueFilters.from_params(filters), None, 10**9)
    for value in params:  # the shell takes no parameters: inline them (vocabulary values only)
        sql = sql.replace("?", "'" + str(value).replace("'", "''") + "'", 1)
    start = time.perf_counter()
    out = subprocess.run(["sqlite3", "-csv", "-header", str(db_path), sql], capture_output=True, check=True).stdout
    return out.count(b"\n") / (time.perf_counter() - start), out.count(b"\n")


def measure_queue(db_path: Path) -> float:
    with served(db_path) as base, httpx2.Client(base_url=base, timeout=600) as http:
        return p50(http, QUEUE)


def measure_all(db_path: Path) -> None:
    with served(db_path) as base, httpx2.Client(base_url=base, timeout=600) as http:
        _print_pages(http)
        _print_exports(http, db_path)


def _print_pages(http) -> None:
    queue_ms, plain_ms = p50(http, QUEUE), p50(http, PLAIN_TABLE)
    leak_ms = p50(http, QUEUE + "?sourcing=leak")
    plain_leak_ms = p50(http, PLAIN_TABLE + "&sourcing=leak")
    dashboard_ms = p50(http, QUEUE + "/dashboard")
    print(f"{'page (p50 of ' + str(REPEATS) + ')':44}{'factcheck':>12}{'plain Datasette':>17}{'ratio':>8}")
    print(f"{'open queue, facets status+verdict':44}{queue_ms:>10.1f}ms{plain_ms:>15.1f}ms{plain_ms / queue_ms:>7.0f}x")
    print(f"{'  + sourcing=leak':44}{leak_ms:>10.1f}ms{plain_leak_ms:>15.1f}ms{plain_leak_ms / leak_ms:>7.0f}x")
    print(f"{'dashboard':44}{dashboard_ms:>10.1f}ms")


def _print_exports(http, db_path: Path) -> None:
    print(f"{'CSV export (rows/s)':44}{'factcheck':>12}{'sqlite3 tool':>14}{'ratio':>8}{'_stream=1':>12}")
    for label, filters, table_filter in (
        ("all claims", {"status": ["all"]}, ""),
        ("sourcing=leak", FILTERED, "&sourcing=leak"),
    ):
        ours, rows = rows_per_second(
            http, f"{QUEUE}/export.csv?{triage.QueueFilters.from_params(filters).query_string()}"
        )
        tool = sqlite3_tool(db_path, filters)
        stream, stream_rows = rows_per_second(
            http,
            "/factcheck/claims.csv?_stream=1&_size=max&superseded_at__isnull=1&_sort_desc=checkworthiness"
            + table_filter,
        )
        tool_text = f"{tool[0]:>14,.0f}{ours / tool[0]:>7.2f}x" if tool else f"{'(no sqlite3)':>14}{'':>8}"
        print(
            f"{label + f' ({rows - 1:,} rows)':44}{ours:>12,.0f}{tool_text}{stream:>12,.0f}  ({stream_rows - 1:,} rows via _stream)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sizes = sorted({10_000, 100_000, args.claims})
        paths = {size: build(Path(tmp), size) for size in sizes}
        print(f"{'queue p50 by size':44}" + "".join(f"{size:>12,}" for size in sizes))
        print(f"{'':44}" + "".join(f"{measure_queue(paths[size]):>10.1f}ms" for size in sizes))
        measure_all(paths[args.claims])


if __name__ == "__main__":
    main()
