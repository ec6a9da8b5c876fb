"""claim_matches kept current: each claim's closest fact-checks and rulings (``matching``),
redone for the claims a load adds, for those a fact-check import or a ruling may move,
and for every claim on ``match --refresh``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ..store.sql import IN_MANY, many, savepoint
from ..vocab import DONE
from . import timing
from .matching import LIMIT, Progress, query_terms, ranked_many, search_many
from .store import merge_index


def _claims_sql(condition: str) -> str:
    """Claims (id, text, their article's published) that are live and meet ``condition``."""
    published = "(SELECT published FROM articles WHERE articles.id = claims.article_id)"
    return f"SELECT id, text, {published} FROM claims WHERE superseded_at IS NULL AND {condition}"


# Claims searched together: enough for the batch's lexical stage (bm25.py) to run at
# full speed (1,000 as fast as 2,000 at once), few enough that the bar moves and a refresh
# of a million claims holds one chunk's candidates at a time.
SEARCH_CHUNK = 1_000


def match_claims(
    conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str | None]], progress: Progress | None = None
) -> int:
    """Redo claim_matches for the claims ``rows`` (id, text, article published), in one
    savepoint, SEARCH_CHUNK at a time, telling ``progress`` after each; how many. Claims
    of a chunk saying the same words on the same date (timing.claim_date) are searched once."""
    progress = progress or (lambda done: None)
    rows = list(rows)
    with savepoint(conn, "factcheck_match"):  # in the caller's transaction (a review) or its own
        for start in range(0, len(rows), SEARCH_CHUNK):
            chunk = rows[start : start + SEARCH_CHUNK]
            _write_matches(conn, chunk)
            progress(len(chunk))
    return len(rows)


def _write_matches(conn: sqlite3.Connection, rows: list[tuple[str, str, str | None]]) -> None:
    dates = [timing.claim_date(text or "", published) for _, text, published in rows]
    # One more than kept: a claim's own ruling may be among them, and it is dropped.
    found = search_many(conn, [text or "" for _, text, _ in rows], LIMIT + 1, dates=dates)
    for (claim_id, *_), matches in zip(rows, found):
        kept = [m for m in matches if m.ruled_claim_id != claim_id][:LIMIT]
        conn.execute("DELETE FROM claim_matches WHERE claim_id = ?", (claim_id,))
        conn.executemany(
            "INSERT INTO claim_matches (claim_id, factcheck_id, ruled_claim_id, score, rank) VALUES (?, ?, ?, ?, ?)",
            [(claim_id, m.factcheck_id, m.ruled_claim_id, m.score, rank) for rank, m in enumerate(kept, 1)],
        )


def anything_to_match(conn: sqlite3.Connection) -> bool:
    """Whether there is a fact-check or a ruling to match claims against."""
    return bool(
        conn.execute("SELECT 1 FROM factchecks LIMIT 1").fetchone()
        or conn.execute("SELECT 1 FROM claim_rulings_fts LIMIT 1").fetchone()
    )


def last_claim_rowid(conn: sqlite3.Connection) -> int:
    """The highest claim rowid: claims a load adds come after it."""
    return conn.execute("SELECT coalesce(max(rowid), 0) FROM claims").fetchone()[0]


def count_claims_after(conn: sqlite3.Connection, rowid: int) -> int:
    return conn.execute("SELECT count(*) FROM claims WHERE superseded_at IS NULL AND rowid > ?", (rowid,)).fetchone()[0]


def match_claims_after(conn: sqlite3.Connection, rowid: int, progress: Progress | None = None) -> int:
    """Match the claims added after ``rowid`` (by a load); how many."""
    if not anything_to_match(conn):
        return 0
    rows = conn.execute(_claims_sql("rowid > ?"), (rowid,)).fetchall()
    return match_claims(conn, rows, progress)


def count_live_claims(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM claims WHERE superseded_at IS NULL").fetchone()[0]


def refresh_all(conn: sqlite3.Connection, progress: Progress | None = None) -> int:
    """Redo every claim's matches (``match DB --refresh``); how many claims. The fact-checks'
    index is merged first: a database imported before imports merged it reads faster."""
    with savepoint(conn, "factcheck_refresh"):
        merge_index(conn)
        conn.execute("DELETE FROM claim_matches")
        rows = conn.execute(_claims_sql("1")).fetchall()
        return match_claims(conn, rows, progress)


# --- keeping matches current ---------------------------------------------------------------

REVERSE_CANDIDATES = 50  # claims re-matched for one fact-check or ruling that changed: a review saves quickly


def _claims_like(conn: sqlite3.Connection, texts: list[str]) -> set[str]:
    """The claims whose text is closest to any of ``texts``: those whose matches they may
    enter. Searched together: an import's new fact-checks may be thousands."""
    found = ranked_many(conn, "claims_fts", [query_terms(text) for text in texts], REVERSE_CANDIDATES)
    rowids = {rowid for ranked in found for rowid, _ in ranked}
    return {row[0] for row in conn.execute(f"SELECT id FROM claims WHERE rowid {IN_MANY}", [many(rowids)])}


def _rematch(conn: sqlite3.Connection, claim_ids: set[str], progress: Progress | None) -> int:
    rows = conn.execute(_claims_sql(f"id {IN_MANY} ORDER BY id"), [many(claim_ids)]).fetchall()
    return match_claims(conn, rows, progress)


def factchecks_changed(conn: sqlite3.Connection, ids: list[str], progress: Progress | None = None) -> int:
    """Redo the matches that fact-checks ``ids`` (new or changed) may enter or leave; how many
    claims. Past a tenth of the claims it is quicker to redo them all."""
    if not ids:
        return 0
    if len(ids) * 10 > count_live_claims(conn):
        return refresh_all(conn, progress)
    changed = [many(ids)]
    affected = {r[0] for r in conn.execute(f"SELECT claim_id FROM claim_matches WHERE factcheck_id {IN_MANY}", changed)}
    checked = conn.execute(f"SELECT claim, title, summary FROM factchecks WHERE id {IN_MANY}", changed)
    affected |= _claims_like(conn, [" ".join(filter(None, row)) for row in checked])
    return _rematch(conn, affected, progress)


def rulings_changed(conn: sqlite3.Connection, claim_ids: list[str]) -> int:
    """Redo the matches a change of ruling on ``claim_ids`` affects: claims like them, and
    claims matched to them. Runs inside the caller's transaction when there is one."""
    if not claim_ids:
        return 0
    ruled = [many(claim_ids)]
    affected = {r[0] for r in conn.execute(f"SELECT claim_id FROM claim_matches WHERE ruled_claim_id {IN_MANY}", ruled)}
    texts = [row[0] or "" for row in conn.execute(f"SELECT text FROM claims WHERE id {IN_MANY}", ruled)]
    affected |= _claims_like(conn, texts)
    return _rematch(conn, affected - set(claim_ids), None)


def is_ruling(status: str | None, verdict: str | None) -> bool:
    """Whether a claim with ``status`` and ``verdict`` is one of the desk's rulings."""
    return status == DONE and verdict is not None


def ruling_changed(claim: dict, changes: dict) -> bool:
    """Whether a review's ``changes`` (field -> (old, new)) to ``claim`` make it a ruling or
    stop it being one."""
    new = {name: change[1] for name, change in changes.items()}
    before = is_ruling(claim.get("status"), claim.get("verdict"))
    return before != is_ruling(new.get("status", claim.get("status")), new.get("verdict", claim.get("verdict")))
