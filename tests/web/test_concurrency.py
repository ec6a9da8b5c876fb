"""20 concurrent editors over loopback on 50 shared claims: no lost update.

A real Datasette server (subprocess, shipped datasette.yaml, loopback only)
serves a factcheck database. 20 editors, each on its own keep-alive
connection and signed in as a different actor, make ``FACTCHECK_WRITES``
review writes each (CI 50, bench/fuzz.py 500) on 50 shared claims. Every write
sends the version its editor last saw (from a GET of the claim's JSON, its own
last save, or the ``current`` of a 409) and a note unique to that write.

Then: every answer was 200 or 409; claim_events holds exactly one event per
accepted write (its note, its actor) and none for a refused one; each
accepted write was based on the version just before it; replaying the events
onto the initial state gives exactly the final claims; versions = initial +
events.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from datasette.app import Datasette

from support.helpers import ROOT, SEEDS, random_review

sys.path.insert(0, str(ROOT / "bench"))
import loopback  # noqa: E402
from corpus import write_corpus  # noqa: E402
from loopback import Connection  # noqa: E402

from datasette_factcheck.load.run import load_paths  # noqa: E402

EDITORS = 20
CLAIMS = 50
WRITES = int(os.environ.get("FACTCHECK_WRITES", "50"))
SECRET = "test-concurrency-secret"
FIELDS = ("status", "verdict", "note", "evidence", "assignee")


@pytest.fixture
def served(tmp_path):
    """(port, database path) of a running Datasette; always stopped afterwards."""
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 10)
    db = tmp_path / "factcheck.db"
    assert not load_paths(db, [SEEDS, corpus], workers=1).problems
    with loopback.served(db, env={"DATASETTE_SECRET": SECRET}, log_path=tmp_path / "server.log") as base:
        yield int(base.rsplit(":", 1)[1]), db


async def editor(number: int, port: int, claim_ids: list[str], log: list[dict]) -> None:
    rng = random.Random(number)
    actor = {"id": f"editor-{number:02d}", "roles": ["editor"]}
    cookie = Datasette(secret=SECRET).sign({"a": actor}, "actor")
    seen: dict[str, int] = {}  # claim id -> the version this editor last saw
    async with Connection(port, cookie) as http:
        for write in range(WRITES):
            claim_id = rng.choice(claim_ids)
            url = f"/factcheck/-/factcheck/claims/{claim_id}"
            if claim_id not in seen:
                status, body = await http.request("GET", url + ".json")
                assert status == 200, (status, body[:300])
                seen[claim_id] = json.loads(body)["claim"]["version"]
            note = f"{actor['id']} write {write}"
            review = random_review(rng, note)
            sent_version = seen[claim_id]
            if write % 4 == 3:  # a form post, answered in JSON
                form = {
                    **{k: v for k, v in review.items() if k != "evidence"},
                    "verdict": review["verdict"] or "",
                    "assignee": review.get("assignee") or "",
                    "evidence": "\n".join(review.get("evidence", [])),
                    "version": str(sent_version),
                }
                status, body = await http.request(
                    "POST", url + "?_format=json", urlencode(form).encode(), "application/x-www-form-urlencoded"
                )
            else:
                status, body = await http.request(
                    "POST", url, json.dumps({**review, "version": sent_version}).encode(), "application/json"
                )
            answer = json.loads(body) if body.startswith(b"{") else {"raw": body[:300]}
            log.append(
                {
                    "editor": actor["id"],
                    "claim": claim_id,
                    "note": note,
                    "version": sent_version,
                    "status": status,
                    "answer": answer,
                }
            )
            if status == 200:
                seen[claim_id] = answer["claim"]["version"]
            elif status == 409:
                seen[claim_id] = answer["current"]["version"]


def read_claims(db: Path, ids: list[str]) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(f"SELECT * FROM claims WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall()
        return {row["id"]: {**dict(row), "evidence": json.loads(row["evidence"])} for row in rows}
    finally:
        conn.close()


def test_concurrent_editors_lose_no_update(served):
    port, db = served
    conn = sqlite3.connect(db)
    claim_ids = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM claims WHERE superseded_at IS NULL ORDER BY checkworthiness DESC, id LIMIT ?", [CLAIMS]
        )
    ]
    last_event = conn.execute("SELECT coalesce(max(id), 0) FROM claim_events").fetchone()[0]
    conn.close()
    assert len(claim_ids) == CLAIMS
    initial = read_claims(db, claim_ids)

    log: list[dict] = []
    started = time.monotonic()

    async def run() -> None:
        await asyncio.gather(*(editor(n, port, claim_ids, log) for n in range(EDITORS)))

    asyncio.run(run())
    elapsed = time.monotonic() - started

    statuses = Counter(entry["status"] for entry in log)
    accepted = [entry for entry in log if entry["status"] == 200]
    refused = [entry for entry in log if entry["status"] == 409]
    assert len(log) == EDITORS * WRITES
    assert set(statuses) <= {200, 409}, {s: [e["answer"] for e in log if e["status"] == s][:3] for s in statuses}
    assert len(accepted) + len(refused) == EDITORS * WRITES

    conn = sqlite3.connect(db)
    events = conn.execute(
        "SELECT id, claim_id, actor, action, changes FROM claim_events WHERE id > ? ORDER BY id", [last_event]
    ).fetchall()
    conn.close()
    final = read_claims(db, claim_ids)

    # One event per accepted write, with its note and its actor; none for a refused one.
    by_note = {
        json.loads(changes)["note"][1]: (claim_id, actor, action) for _, claim_id, actor, action, changes in events
    }
    assert len(events) == len(accepted) == len(by_note)
    for entry in accepted:
        assert by_note.get(entry["note"]) == (entry["claim"], entry["editor"], "review"), entry
    assert not any(entry["note"] in by_note for entry in refused)
    assert all(entry["answer"]["current"]["version"] != entry["version"] for entry in refused)

    # Each accepted write was based on the state just before it, and replaying the
    # events onto the initial state gives the final state exactly: no lost update.
    sent = {entry["note"]: entry["version"] for entry in accepted}
    replayed = {cid: {field: initial[cid][field] for field in FIELDS} for cid in claim_ids}
    count = Counter()
    lost = 0
    for _, claim_id, _, _, changes in events:
        changes = json.loads(changes)
        if sent[changes["note"][1]] != initial[claim_id]["version"] + count[claim_id]:
            lost += 1
        for field, (old, new) in changes.items():
            if replayed[claim_id][field] != old:
                lost += 1
            replayed[claim_id][field] = new
        count[claim_id] += 1
    for cid in claim_ids:
        assert {field: final[cid][field] for field in FIELDS} == replayed[cid], cid
        assert final[cid]["version"] == initial[cid]["version"] + count[cid], cid
    print(
        f"\nFIGURES concurrency editors={EDITORS} claims={CLAIMS} writes={len(log)} accepted={len(accepted)} "
        f"conflicts_409={len(refused)} events={len(events)} lost_updates={lost} "
        f"seconds={elapsed:.1f} writes_per_second={len(log) / elapsed:.0f}"
    )
    assert lost == 0
    assert refused, "20 editors on 50 claims should collide at least once"
