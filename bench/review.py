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
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

from datasette.app import Datasette  # noqa: E402

from datasette_factcheck.load import load_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-not-for-production"
POOL = 2000  # distinct claims written to: enough that clients rarely collide


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(folder: Path) -> tuple[Path, list[str]]:
    corpus = folder / "corpus.jsonl"
    write_corpus(corpus, 500)
    db_path = folder / "factcheck.db"
    load_paths(db_path, [ROOT / "seeds", corpus])
    ids = [row[0] for row in sqlite3.connect(db_path).execute(f"SELECT id FROM claims LIMIT {POOL}")]
    return db_path, ids


def serve(db_path: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        ["datasette", "serve", str(db_path), "-c", str(ROOT / "datasette.yaml"), "-p", str(port), "--root"],
        env={**os.environ, "DATASETTE_SECRET": SECRET}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/-/versions.json").status_code == 200:
                return server
        except httpx2.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("Datasette did not start within 30 seconds")


class KeepAliveClient:
    """A minimal HTTP/1.1 client on one keep-alive connection.

    Deliberately lean: the load generator shares the machine's two cores
    with the server, so every cycle it spends is one the server cannot.
    """

    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie

    async def __aenter__(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc):
        self.writer.close()

    async def post_json(self, path: str, payload: dict) -> int:
        body = json.dumps(payload).encode()
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: application/json\r\n"
                f"Cookie: ds_actor={self.cookie}\r\nContent-Length: {len(body)}\r\n\r\n")
        self.writer.write(head.encode() + body)
        status = int((await self.reader.readline()).split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            while (size := int(await self.reader.readline(), 16)) > 0:
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            await self.reader.readexactly(int(headers.get("content-length", 0)))
        return status


async def run_clients(port: int, cookie: str, ids: list[str], total: int, clients: int, request_for) -> tuple[list[float], int]:
    """Send ``total`` writes from ``clients`` concurrent connections; returns latencies and accepted count."""
    latencies: list[float] = []
    accepted = 0
    counter = iter(range(total))

    async def client(number: int) -> None:
        nonlocal accepted
        rng = random.Random(number)
        async with KeepAliveClient(port, cookie) as http:
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


def measure(label, db_path, port, cookie, ids, args, request_for) -> None:
    before = events(db_path)
    start = time.perf_counter()
    latencies, accepted = asyncio.run(run_clients(port, cookie, ids, args.requests, args.clients, request_for))
    elapsed = time.perf_counter() - start
    written = events(db_path) - before
    latencies.sort()
    p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]
    print(f"{label:34}{args.requests / elapsed:>10,.0f}{p50 * 1000:>9.1f}{p99 * 1000:>9.1f}{accepted:>10,}{written:>10,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path, ids = build_database(Path(tmp))
        port = free_port()
        server = serve(db_path, port)
        try:
            cookie = Datasette(secret=SECRET).sign({"a": {"id": "root"}}, "actor")
            print(f"{args.clients} concurrent clients, {args.requests:,} writes each way, {len(ids):,} claims")
            print(f"{'':34}{'writes/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'accepted':>10}{'events':>10}")
            measure("factcheck review route", db_path, port, cookie, ids, args,
                    lambda cid, i: (f"/factcheck/-/factcheck/claims/{cid}", {"status": "in_progress", "note": f"bench note {i}"}))
            measure("Datasette JSON update API", db_path, port, cookie, ids, args,
                    lambda cid, i: (f"/factcheck/claims/{cid}/-/update", {"update": {"note": f"api note {i}"}}))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
