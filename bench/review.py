"""Review writes over HTTP: the plugin's review route beside Datasette's own
JSON update API, on the same database, in the same run.

    python bench/review.py [--requests 4000] [--clients 20]

Serves Datasette (with this plugin) on loopback, then 20 concurrent clients
each save reviews of random claims: first through
``POST /<db>/-/factcheck/claims/<id>`` (validation, version bump, history row,
events, hook), then through Datasette's ``POST /<db>/claims/<id>/-/update``.
Prints writes/s, p50 and p99 latency for each, and checks that every accepted
write left exactly one claim_events row.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402
from datasette.app import Datasette  # noqa: E402
from loopback import Connection, served  # noqa: E402

from datasette_factcheck.load.run import load_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-not-for-production"
POOL = 2000  # distinct claims written to: enough that clients rarely collide


def build_database(folder: Path) -> tuple[Path, list[str]]:
    corpus = folder / "corpus.jsonl"
    write_corpus(corpus, 500)
    db_path = folder / "factcheck.db"
    load_paths(db_path, [ROOT / "seeds", corpus])
    ids = [row[0] for row in sqlite3.connect(db_path).execute(f"SELECT id FROM claims LIMIT {POOL}")]
    return db_path, ids


async def run_clients(
    port: int, cookie: str, ids: list[str], total: int, clients: int, request_for
) -> tuple[list[float], int]:
    """Send ``total`` writes from ``clients`` concurrent connections; returns latencies and accepted count."""
    latencies: list[float] = []
    accepted = 0
    counter = iter(range(total))

    async def client(number: int) -> None:
        nonlocal accepted
        rng = random.Random(number)
        async with Connection(port, cookie) as http:
            for i in counter:
                path, payload = request_for(rng.choice(ids), i)
                start = time.perf_counter()
                status = await http.post_json(path, payload)
                latencies.append(time.perf_counter() - start)
                accepted += status == 200

    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, accepted


def events(db_path: Path) -> int:
    return sqlite3.connect(db_path).execute("SELECT count(*) FROM claim_events").fetchone()[0]


def measure(label, db_path, port, cookie, ids, args, request_for) -> float:
    before = events(db_path)
    start = time.perf_counter()
    latencies, accepted = asyncio.run(run_clients(port, cookie, ids, args.requests, args.clients, request_for))
    elapsed = time.perf_counter() - start
    written = events(db_path) - before
    latencies.sort()
    p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"{label:34}{args.requests / elapsed:>10,.0f}{p50 * 1000:>9.1f}{p99 * 1000:>9.1f}{accepted:>10,}{written:>10,}"
    )
    return args.requests / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path, ids = build_database(Path(tmp))
        with served(db_path, env={"DATASETTE_SECRET": SECRET}, options=["--root"]) as base:
            port = int(base.rsplit(":", 1)[1])
            cookie = Datasette(secret=SECRET).sign({"a": {"id": "root"}}, "actor")
            print(f"{args.clients} concurrent clients, {args.requests:,} writes each way, {len(ids):,} claims")
            print(f"{'':34}{'writes/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'accepted':>10}{'events':>10}")
            ours = measure(
                "factcheck review route",
                db_path,
                port,
                cookie,
                ids,
                args,
                lambda cid, i: (
                    f"/factcheck/-/factcheck/claims/{cid}",
                    {"status": "in_progress", "note": f"bench note {i}"},
                ),
            )
            theirs = measure(
                "Datasette JSON update API",
                db_path,
                port,
                cookie,
                ids,
                args,
                lambda cid, i: (f"/factcheck/claims/{cid}/-/update", {"update": {"note": f"api note {i}"}}),
            )
            print(f"review route / JSON update API: {ours / theirs:.1f}x the writes per second")


if __name__ == "__main__":
    main()
