"""Shared helpers for the web tests (test_web_*.py): the actors, the seed claims
they act on, and ways to call the plugin's routes and read the database back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from datasette_factcheck.desk.review import save_review
from datasette_factcheck.desk.review_input import parse_review
from support.helpers import cookies

ANONYMOUS = None
MALLORY = {"id": "mallory"}  # logged in, with no role: may read nothing of the desk
VERA = {"id": "vera", "roles": ["viewer"]}  # reads the desk, changes nothing
ALICE = {"id": "alice", "roles": ["editor"]}
BOB = {"id": "bob", "roles": ["editor"]}
ROOT_ACTOR = {"id": "root"}
ACTORS = {"anonymous": ANONYMOUS, "mallory": MALLORY, "vera": VERA, "alice": ALICE, "root": ROOT_ACTOR}

NATO_TEXT = "97 NATO special operations"
RECRUITS_TEXT = "motivate and mobilize more recruits"
ARTICLE_A = "000_c0d474dec84a8582"
ARTICLE_B = "003_7c462d476a23d359"
QUEUE_URL = "/factcheck/-/factcheck"
CSV_URL = "/factcheck/-/factcheck/export.csv"
CLAIMREVIEW_URL = "/factcheck/-/factcheck/claimreview.json"


def dump(path: Path) -> dict:
    """Every row of claims and claim_events, in full, in a stable order."""
    conn = sqlite3.connect(path)
    try:
        return {
            "claims": conn.execute("SELECT * FROM claims ORDER BY id").fetchall(),
            "claim_events": conn.execute("SELECT * FROM claim_events ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


def claim_id_like(path: Path, text: str, article_id: str | None = None) -> str:
    db = sqlite_utils.Database(path)
    sql = "SELECT id FROM claims WHERE text LIKE ? AND superseded_at IS NULL"
    params = [f"%{text}%"]
    if article_id:
        sql += " AND article_id = ?"
        params.append(article_id)
    rows = list(db.query(sql, params))
    assert len(rows) == 1, (text, article_id, rows)
    return rows[0]["id"]


def live_ids(path: Path, where: str = "1", params: tuple = ()) -> list[str]:
    """Live claim ids matching ``where``, in queue order (most check-worthy first)."""
    conn = sqlite3.connect(path)
    try:
        sql = f"SELECT id FROM claims WHERE superseded_at IS NULL AND {where} ORDER BY checkworthiness DESC, id"
        return [row[0] for row in conn.execute(sql, params)]
    finally:
        conn.close()


def review_in_file(path: Path, claim_id: str, at: str, **fields) -> None:
    """Save a review of ``claim_id`` as alice at ``at`` through the domain, on
    the file itself (no request): the state a test then reads through the web."""
    conn = sqlite3.connect(path)
    try:
        save_review(conn, claim_id, parse_review(fields, from_form=False), "alice", at)
        conn.commit()
    finally:
        conn.close()


def claim(path: Path, claim_id: str) -> dict:
    return sqlite_utils.Database(path)["claims"].get(claim_id)


def events(path: Path, claim_id: str | None = None) -> list[dict]:
    db = sqlite_utils.Database(path)
    if claim_id is None:
        return list(db.query("SELECT * FROM claim_events ORDER BY id"))
    return list(db.query("SELECT * FROM claim_events WHERE claim_id = ? ORDER BY id", [claim_id]))


def claim_url(claim_id: str) -> str:
    return f"/factcheck/-/factcheck/claims/{claim_id}"


async def read(ds, path: str, actor: dict | None = VERA, **kwargs):
    """GET ``path`` as ``actor`` (a viewer unless told): the shipped config is private."""
    return await ds.client.get(path, cookies=cookies(ds, actor), **kwargs)


async def save(ds, actor, claim_id, body: dict, **kwargs):
    return await ds.client.post(claim_url(claim_id), json=body, cookies=cookies(ds, actor), **kwargs)


def two_claims(path: Path) -> dict:
    return {"cid": claim_id_like(path, NATO_TEXT), "other": claim_id_like(path, "Storm Shadow")}


async def bulk(ds, actor, body):
    return await ds.client.post("/factcheck/-/factcheck/bulk", json=body, cookies=cookies(ds, actor))
