"""The lexical stage of many texts at once: FTS5's own bm25, scored as one sparse product.

A MATCH query scores every fact-check sharing a word with its text, one text at a time:
a millisecond and a half each over 14k fact-checks, most of a load's matching pass. A
batch's words are few (a load's claims share them), so their posting lists are read from
the index once (fts5vocab), and each text's scores are a row of a sparse product. The
formula is fts5_aux.c's, term for term, with the index's own counts (rows, tokens per row,
rows per term), so the candidates and their bm25 are the MATCH query's to the last bits
of a double; near ties (TIE_DIGITS) go to the lower rowid, as in ``matching``'s ORDER BY.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

# fts5_aux.c's constants: term frequency saturation, length normalisation, and the idf
# given a term in more than half the rows (its log would be negative).
K1 = 1.2
B = 0.75
IDF_FLOOR = 1e-6
CHUNK = 256  # texts scored in one product
# Scores are ordered to this many decimals, then by rowid: a sum of the same terms in
# another order may differ in its last bit, and a text's candidates must not depend on
# whether it was searched alone or in a batch (matching's ORDER BY rounds the same).
TIE_DIGITS = 9
MIN_TEXTS = 32  # fewer are as quick one MATCH query each (reading the sizes costs ~40 ms)

Ranked = list[tuple[int, float]]  # (rowid, bm25: negative, lower is better), best first
_TOKENIZE = re.compile(r"tokenize\s*=\s*'([^']*)'", re.IGNORECASE)


def _tokenizer(conn: sqlite3.Connection, index: str) -> str:
    """The tokenize option ``index`` was made with (FTS5's default when it has none)."""
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).fetchone()
    found = _TOKENIZE.search(sql[0] if sql else "")
    return found.group(1) if found else "unicode61"


def tokens_of(terms: Sequence[str], tokenizer: str) -> dict[str, list[str]]:
    """Each of ``terms`` as the index's tokenizer reads it (a list: a term may be none,
    one or several tokens), by the tokenizer itself in a scratch in-memory index."""
    scratch = sqlite3.connect(":memory:")
    try:
        quoted = tokenizer.replace("'", "''")
        scratch.execute(f"CREATE VIRTUAL TABLE t USING fts5(w, tokenize='{quoted}')")
        scratch.executemany("INSERT INTO t (rowid, w) VALUES (?, ?)", enumerate(terms))
        scratch.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        tokens: dict[str, list[str]] = {term: [] for term in terms}
        for token, row in scratch.execute("SELECT term, doc FROM v ORDER BY doc, col, offset"):
            tokens[terms[row]].append(token)
        return tokens
    finally:
        scratch.close()


def _varint(blob: bytes, at: int) -> tuple[int, int]:
    """SQLite's varint at ``at`` (big-endian, seven bits a byte): its value and the next offset."""
    value = 0
    for step in range(8):
        byte = blob[at + step]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + step + 1
    return (value << 8) | blob[at + 8], at + 9


def _row_size(blob: bytes) -> int:
    """Tokens in a row, all columns: the sum of its docsize record's varints."""
    total, at = 0, 0
    while at < len(blob):
        size, at = _varint(blob, at)
        total += size
    return total


@dataclass
class _Postings:
    """What bm25 reads of the index for a batch's tokens."""

    rowids: np.ndarray  # every row of the index, ascending
    lengths: np.ndarray  # tokens in each row
    columns: dict[str, int]  # a token found in the index -> its column in ``weights``
    weights: sparse.csr_matrix  # tokens x rows: idf x saturated frequency (fts5_aux.c)


def _postings(conn: sqlite3.Connection, index: str, tokens: Sequence[str]) -> _Postings:
    sizes = conn.execute(f"SELECT id, sz FROM {index}_docsize ORDER BY id").fetchall()
    rowids = np.fromiter((rowid for rowid, _ in sizes), dtype=np.int64, count=len(sizes))
    lengths = np.fromiter((_row_size(blob) for _, blob in sizes), dtype=np.float64, count=len(sizes))
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{index}_instances USING fts5vocab(main, {index}, instance)")
    columns: dict[str, int] = {}
    token_of, row_of = [], []
    for token in tokens:
        rows = [row for (row,) in conn.execute(f"SELECT doc FROM temp.{index}_instances WHERE term = ?", (token,))]
        if rows:
            token_of.extend([columns.setdefault(token, len(columns))] * len(rows))
            row_of.extend(rows)
    position = np.searchsorted(rowids, np.asarray(row_of, dtype=np.int64))
    counts = sparse.csr_matrix(
        (np.ones(len(row_of)), (np.asarray(token_of, dtype=np.int64), position)), shape=(len(columns), len(rowids))
    )
    counts.sum_duplicates()  # an instance a row -> the token's count in that row
    return _Postings(rowids, lengths, columns, _weighted(counts, lengths))


def _weighted(counts: sparse.csr_matrix, lengths: np.ndarray) -> sparse.csr_matrix:
    """fts5_aux.c's per-term score of each row: idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))."""
    rows = len(lengths)
    average = lengths.sum() / rows if rows else 1.0
    hits = np.diff(counts.indptr)  # rows holding each token
    idf = np.log((rows - hits + 0.5) / (hits + 0.5))
    idf[idf <= 0] = IDF_FLOOR
    norm = K1 * (1 - B + B * lengths / average)
    frequency = counts.data
    weights = counts.copy()
    weights.data = np.repeat(idf, hits) * frequency * (K1 + 1) / (frequency + norm[counts.indices])
    return weights


def _best(scores: np.ndarray, rows: np.ndarray, depth: int) -> Ranked:
    """The first ``depth`` of ``rows`` (rowids) by their ``scores`` (to TIE_DIGITS), ties to
    the lower rowid, as (rowid, bm25)."""
    rounded = np.round(scores, TIE_DIGITS)
    if len(rows) > depth:  # those above the depth-th score, and all that tie with it
        least = -np.partition(-rounded, depth - 1)[depth - 1]
        kept = rounded >= least
        scores, rows, rounded = scores[kept], rows[kept], rounded[kept]
    order = np.lexsort((rows, -rounded))[:depth]
    return [(int(rows[n]), -float(scores[n])) for n in order]


def ranked_many(
    conn: sqlite3.Connection, index: str, term_lists: Sequence[Sequence[str]], depth: int
) -> list[Ranked | None]:
    """For each list of query terms (``matching.query_terms``), the best ``depth`` rows of
    ``index`` for any of them, (rowid, bm25) as ``SELECT rowid, bm25(index) ... MATCH '"a"
    OR "b"'`` finds them, in ``matching``'s order (bm25 to TIE_DIGITS, then rowid); None for
    a list with a term the tokenizer reads as other than one token (a phrase: its caller
    asks FTS5)."""
    tokens = tokens_of(sorted({term for terms in term_lists for term in terms}), _tokenizer(conn, index))
    single = [all(len(tokens[term]) == 1 for term in terms) for terms in term_lists]
    postings = _postings(
        conn, index, sorted({tokens[t][0] for terms in term_lists for t in terms if len(tokens[t]) == 1})
    )
    if not postings.columns:  # no row has any of the batch's tokens: nothing to score
        return [[] if alone else None for alone in single]
    text_of, column_of = [], []
    for n, terms in enumerate(term_lists):
        for term in terms if single[n] else ():
            if tokens[term][0] in postings.columns:  # a term no row has scores nothing
                text_of.append(n)
                column_of.append(postings.columns[tokens[term][0]])
    # Two terms with one token ("report", "reports") are two phrases to FTS5: both count.
    queries = sparse.csr_matrix(
        (np.ones(len(text_of)), (text_of, column_of)), shape=(len(term_lists), len(postings.columns))
    )
    ranked: list[Ranked | None] = []
    for start in range(0, len(term_lists), CHUNK):
        scores = (queries[start : start + CHUNK] @ postings.weights).tocsr()  # a row per text, sparse
        for n in range(scores.shape[0]):
            row = slice(scores.indptr[n], scores.indptr[n + 1])
            found = _best(scores.data[row], postings.rowids[scores.indices[row]], depth)
            ranked.append(found if single[start + n] else None)
    return ranked
