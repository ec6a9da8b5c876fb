"""Has this been checked? The published fact-checks and the desk's own rulings closest
to a text.

First stage, lexical: SQLite FTS5 (porter stemming, bm25) over a fact-check's claim,
title and summary, and over the text of claims ruled on (claim_rulings_fts). The query
is the text's words less stop words and URLs, and a post's hashtags as written, any of
them (OR): bm25 weighs the rare ones; a batch of texts is scored at once, as FTS5 would
(bm25.py). Second stage (matching_semantic, the ``[semantic]``
extra, when the fact-checks have vectors): the first stage's best 50 fact-checks re-ranked
by meaning.

A match's ``score`` is 0..1: bm25 as ``x / (x + SCORE_HALF)`` in the first stage (its
first few boosted by their title's words in the text: ``boosted``), the blend in the second,
both times the date prior when the text has a date (timing). claim_matches keeps up to LIMIT
per claim that pass THRESHOLD (first stage) or semantic.MIN_COSINE (second), or share
COVERAGE of the checked claim's words, read without the boosts; both chosen on the
CheckThat! 2022 2A dev split (bench/matching.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ..extract.signature import normalised
from ..store.sql import IN_MANY, many
from ..vocab import VERDICT_LABELS
from . import bm25, semantic, timing
from .words import STOP_WORDS, WORD, coverage, hashtags, plain_text, stem, without_links

LIMIT = 5  # matches kept per claim
MAX_TERMS = 40  # query words; a long text's first 40 distinct ones say enough
# The bm25 that scores 0.5, and the least score kept in claim_matches: on the dev split,
# 95% of the correct first matches score above it, and 7 of the 29 seed-article claims
# (on British troops in Ukraine: no Snopes fact-check repeats them) reach it.
SCORE_HALF = 22.0
THRESHOLD = 0.5
COVERAGE = 0.6  # or this share of the checked claim's words in the text: see _kept
# Kept by the stages' own thresholds (claim_matches), a text is re-ranked by meaning (its
# vector computed) only when its lexical candidates come this close (worth_reranking).
# Chosen on the train and dev splits: 15 of the 887 tweets whose correct fact-check the
# second stage keeps fall short of it, and 9% of the news claims of bench/matching.py's
# load reach it (they are near no Snopes fact-check).
RERANK_FLOOR = THRESHOLD
RERANK_COVERAGE = 0.3
GATE_TOP = LIMIT + 1  # the candidates the lexical stage could keep
# A fact-check's title is a headline of the claim it checks, so a text having its words is
# likely that claim: the lexical stage's bm25 of its first GATE_TOP grows by up to this share
# with the share of the title's words the text has (see boosted). Chosen on the train and
# dev splits: MAP@5 0.860 to 0.868 and 0.933 to 0.946 (0.2 to 0.5 all gain on both).
TITLE_BOOST = 0.3

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Match:
    """A fact-check (``factcheck_id``) or a ruled claim (``ruled_claim_id``) and its score."""

    factcheck_id: str | None
    ruled_claim_id: str | None
    score: float


def query_terms(text: str, tags: Iterable[str] = ()) -> list[str]:
    """The distinct words of ``text`` worth searching for (no URL, no stop word), then
    ``tags`` (a post's ``hashtags``, read as one word each)."""
    words = WORD.findall(without_links(text).lower())
    kept = dict.fromkeys(w for w in words if w not in STOP_WORDS and (len(w) > 1 or w.isdigit()))
    return list(kept | dict.fromkeys(tags))[:MAX_TERMS]


def fts_query(text: str, terms: list[str] | None = None) -> str | None:
    """An FTS5 query for any of ``text``'s words (each quoted: no FTS syntax gets through);
    ``terms``, when the caller has them already, are ``query_terms(text)``."""
    terms = query_terms(text) if terms is None else terms
    return " OR ".join(f'"{term}"' for term in terms) if terms else None


def score_of(bm25: float) -> float:
    """bm25 (negative: better is lower) as a score in 0..1."""
    strength = max(0.0, -bm25)
    return round(strength / (strength + SCORE_HALF), 4)


# bm25 with claim, title and summary weighing the same (tuned on the train split: bench/
# matching.py --tune). The joins and highlight() run on the best few alone, after: in
# the same query they ran for every fact-check sharing a word.
# Near ties go to the lower rowid, as in bm25.ranked_many: a text's candidates are the
# same searched alone or in a batch.
_SEARCH = {
    index: f"SELECT rowid, bm25({index}) AS r FROM {index} WHERE {index} MATCH ? "
    f"ORDER BY round(r, {bm25.TIE_DIGITS}), rowid LIMIT ?"
    for index in ("factchecks_fts", "claim_rulings_fts", "claims_fts")
}
_FACTCHECK_ID = "SELECT id FROM factchecks WHERE rowid = ?"
_TITLES = f"SELECT rowid, title, published FROM factchecks WHERE rowid {IN_MANY}"
_RULING_ID = "SELECT id FROM claims WHERE rowid = ?"
_TEXT = {
    "factchecks_fts": "SELECT claim FROM factchecks WHERE rowid = ?",
    "claim_rulings_fts": "SELECT text FROM claims WHERE rowid = ?",
}


def _ranked(conn: sqlite3.Connection, index: str, query: str, limit: int) -> list[tuple[int, float]]:
    """(rowid, bm25) of the best ``limit`` in ``index``."""
    return conn.execute(_SEARCH[index], (query, limit)).fetchall()


def _kept(
    conn: sqlite3.Connection, index: str, scored: list[tuple[int, float]], threshold: float, stems: set[str], limit: int
) -> list[tuple[int, float]]:
    """The first ``limit`` of ``scored`` ((rowid, score), best first) that score at least
    ``threshold`` or share COVERAGE of their claim's words with the query: bm25 grows with
    the number of fact-checks (its idf), so with a few dozen imported even a word-for-word
    repeat scores low."""
    kept = []
    for rowid, score in scored:
        if score < threshold:
            checked = conn.execute(_TEXT[index], (rowid,)).fetchone()[0]
            if coverage(checked or "", stems) < COVERAGE:
                continue
        kept.append((rowid, score))
        if len(kept) == limit:
            break
    return kept


def uses_second_stage(conn: sqlite3.Connection) -> bool:
    """Whether searches re-rank by meaning: the [semantic] extra is installed and the
    fact-checks have vectors."""
    return semantic.available() and semantic.has_vectors(conn)


@dataclass
class _Query:
    """A text's lexical stage: its FTS query, its words' stems, its best fact-checks and
    the claims ruled on closest to it."""

    query: str
    stems: set[str]
    candidates: list[tuple[int, float]]  # (factchecks rowid, bm25), best first
    day: date | None = None  # the claim's date: the prior (timing) reorders the candidates
    rulings: list[tuple[int, float]] = field(default_factory=list)  # (claims rowid, bm25), best first


def ranked_many(conn: sqlite3.Connection, index: str, term_lists: list[list[str]], depth: int) -> list:
    """Each term list's (``query_terms``) best ``depth`` in ``index`` (one of _SEARCH's), as
    (rowid, bm25): scored together (bm25.ranked_many) when there are enough of them, else
    one query each."""
    many = len(term_lists) >= bm25.MIN_TEXTS
    together = bm25.ranked_many(conn, index, term_lists, depth) if many else [None] * len(term_lists)
    return [
        found if found is not None else _searched(conn, index, terms, depth)
        for found, terms in zip(together, term_lists, strict=True)
    ]


def _searched(conn: sqlite3.Connection, index: str, terms: list[str], depth: int) -> list[tuple[int, float]]:
    """The best ``depth`` of ``index`` for ``terms``, by FTS5 itself (none for no terms)."""
    return _ranked(conn, index, fts_query("", terms), depth) if terms else []


def _lexical_many(
    conn: sqlite3.Connection, texts: list[tuple[str, list[str], date | None]], depth: int, rulings: int
) -> list[_Query | None]:
    """The lexical stage of each (text, its hashtags, its date): None for a text with no
    word to search for; its best ``depth`` fact-checks and best ``rulings`` rulings."""
    terms = [query_terms(text, tags) for text, tags, _ in texts]  # the query and coverage read them
    deep = max(depth, timing.DEPTH) if any(day for *_, day in texts) else depth
    candidates = ranked_many(conn, "factchecks_fts", terms, deep)
    ruled = ranked_many(conn, "claim_rulings_fts", terms, rulings) if rulings else [[]] * len(texts)
    return [
        _Query(fts_query("", words), {stem(w) for w in words}, found[: deep if day else depth], day, ruling)
        if words
        else None
        for (_, _, day), words, found, ruling in zip(texts, terms, candidates, ruled)
    ]


def worth_reranking(conn: sqlite3.Connection, found: _Query) -> bool:
    """Whether the second stage may change what is kept for this text, so its vector is
    worth computing: its best candidate scores RERANK_FLOOR or one of the first GATE_TOP
    shares RERANK_COVERAGE of its claim's words. Most news claims have no fact-check that
    close, and the model costs several times the lexical stage."""
    if not found.candidates:
        return False
    if score_of(found.candidates[0][1]) >= RERANK_FLOOR:
        return True
    texts = (conn.execute(_TEXT["factchecks_fts"], (rowid,)).fetchone()[0] for rowid, _ in found.candidates[:GATE_TOP])
    return any(coverage(text or "", found.stems) >= RERANK_COVERAGE for text in texts)


def boosted(conn: sqlite3.Connection, found: _Query, limit: int) -> list[tuple[int, float, float]]:
    """(rowid, score, bm25's own score) of the first ``limit`` (at least GATE_TOP) of
    ``found``'s candidates, best first, their bm25 boosted by the share of their title's
    words the text has (TITLE_BOOST): bm25 weighs the rare words of a long text, the title
    says which of them the fact-check is about; and by the date prior (timing.factor)."""
    first = found.candidates[: max(limit, GATE_TOP, timing.DEPTH if found.day else 0)]
    # Title and date in one look-up: this runs for every claim of a load.
    rows = conn.execute(_TITLES, [many(rowid for rowid, _ in first)]) if first else []
    day = found.day
    read = {
        rowid: (title or "", timing.factor(day, timing.parse(published)) if day else 1.0)
        for rowid, title, published in rows
    }
    scored = []
    for rowid, rank in first:
        title, dated = read.get(rowid, ("", 1.0))
        scored.append(
            (rowid, score_of(rank * (1 + TITLE_BOOST * coverage(title, found.stems)) * dated), score_of(rank))
        )
    # The first ones alone may be kept, as without a date: the rest cost _kept a look-up each.
    return sorted(scored, key=lambda item: -item[1])[: max(limit, GATE_TOP)]


def _factchecks(
    conn: sqlite3.Connection, found: _Query, limit: int, threshold: float | None, vector
) -> list[tuple[int, float]]:
    """(rowid, score) of the fact-checks kept for ``found``: re-ranked by meaning when it
    has a ``vector``, else by bm25 and title (``boosted``)."""
    if vector is None:
        ranked = boosted(conn, found, limit)
        # What is kept is bm25's own call: the boost orders, it does not let more through.
        plain = [(rowid, own) for rowid, _, own in ranked]
        kept = _kept(conn, "factchecks_fts", plain, THRESHOLD if threshold is None else threshold, found.stems, limit)
        score = {rowid: boosted_score for rowid, boosted_score, _ in ranked}
        return [(rowid, score[rowid]) for rowid, _ in kept]
    dated = timing.factors(conn, found.day, [rowid for rowid, _ in found.candidates], timing.BLEND_BOOST)
    rescored = semantic.blended(conn, vector, found.candidates, dated)
    if threshold is not None:  # a threshold given applies to the blended score, less the date's share
        tested = [(rowid, blend / dated.get(rowid, 1.0)) for rowid, blend, _ in rescored]
    else:
        tested = [(rowid, 1.0 if cosine >= semantic.MIN_COSINE else 0.0) for rowid, _, cosine in rescored]
    kept = _kept(conn, "factchecks_fts", tested, 1.0 if threshold is None else threshold, found.stems, limit)
    # At most 1: ties at 1 keep the blend's order (_matches' sort is stable).
    score = {rowid: min(1.0, blend) for rowid, blend, _ in rescored}
    return [(rowid, score[rowid]) for rowid, _ in kept]


def _matches(conn: sqlite3.Connection, found: _Query, limit: int, threshold: float | None, vector) -> list[Match]:
    """The fact-checks and rulings kept for ``found``, best first."""
    matches = [
        Match(conn.execute(_FACTCHECK_ID, (rowid,)).fetchone()[0], None, round(score, 4))
        for rowid, score in _factchecks(conn, found, limit, threshold, vector)
    ]
    rulings = [(rowid, score_of(rank)) for rowid, rank in found.rulings[:limit]]
    ruling_threshold = THRESHOLD if threshold is None else threshold
    for rowid, score in _kept(conn, "claim_rulings_fts", rulings, ruling_threshold, found.stems, limit):
        matches.append(Match(None, conn.execute(_RULING_ID, (rowid,)).fetchone()[0], score))
    matches.sort(key=lambda match: -match.score)
    return matches[:limit]


def search_many(
    conn: sqlite3.Connection,
    texts: list[str],
    limit: int = LIMIT,
    threshold: float | None = None,
    second_stage: bool | None = None,
    dates: list[date | None] | None = None,
) -> list[list[Match]]:
    """For each of ``texts``, the fact-checks and rulings closest to it, best first: those
    scoring at least ``threshold`` (None: the stage's own, THRESHOLD or semantic.MIN_COSINE)
    or sharing COVERAGE of their claim's words. ``second_stage``: re-rank by meaning (None:
    when ``uses_second_stage``), with no ``threshold`` only the texts ``worth_reranking``;
    their vectors are computed together: batched, the model runs several times faster than
    one text at a time. ``dates``: each text's claim date (timing.claim_date), for the date
    prior; None, none. Texts are read as ``plain_text``; copies (equal ``normalised``: case,
    spacing, quotes and dashes, which neither stage reads, and the same date) once."""
    second = uses_second_stage(conn) if second_stage is None else second_stage
    depth = semantic.CANDIDATES if second else max(limit, GATE_TOP)
    plain = [plain_text(text or "") for text in texts]
    keys = [(normalised(text), day) for text, day in zip(plain, dates or [None] * len(texts))]
    distinct: dict[tuple, str] = {}  # (normalised, date) -> the first text saying it
    tags: dict[tuple, list[str]] = {}  # and its hashtags, as written
    for key, text, raw in zip(keys, plain, texts):
        if key not in distinct:
            distinct[key], tags[key] = text, hashtags(raw or "")
    texts_searched = [(text, tags[key], key[1]) for key, text in distinct.items()]
    found = dict(zip(distinct, _lexical_many(conn, texts_searched, depth, limit), strict=True))
    # With a threshold given the caller wants a ranking, and every text is re-ranked;
    # with the stages' own, only a text worth_reranking can keep what the model finds.
    rerank = [
        key
        for key, one in found.items()
        if second and one and one.candidates and (threshold is not None or worth_reranking(conn, one))
    ]
    vectors = dict(zip(rerank, semantic.embed([distinct[key] for key in rerank]))) if rerank else {}
    ranked = {key: _matches(conn, one, limit, threshold, vectors.get(key)) if one else [] for key, one in found.items()}
    return [ranked[key] for key in keys]


def search(
    conn: sqlite3.Connection,
    text: str,
    limit: int = LIMIT,
    threshold: float | None = None,
    second_stage: bool | None = None,
) -> list[Match]:
    """``search_many`` for one text."""
    return search_many(conn, [text], limit, threshold, second_stage)[0]


# --- what a match shows -------------------------------------------------------------------


def described(conn: sqlite3.Connection, matches: list[Match]) -> list[dict]:
    """``matches`` as ``match --json`` prints them: factcheck_id, ruled_claim_id, url, claim,
    rating (a ruling's: its verdict's label), score."""
    shown = []
    for match in matches:
        if match.factcheck_id:
            row = conn.execute(
                "SELECT url, claim, rating FROM factchecks WHERE id = ?", (match.factcheck_id,)
            ).fetchone()
            url, claim, rating = row or (None, None, None)
        else:
            row = conn.execute("SELECT text, verdict FROM claims WHERE id = ?", (match.ruled_claim_id,)).fetchone()
            url, (claim, verdict) = None, row or (None, None)
            rating = VERDICT_LABELS.get(verdict)
        shown.append(
            {
                "factcheck_id": match.factcheck_id,
                "ruled_claim_id": match.ruled_claim_id,
                "url": url,
                "claim": claim,
                "rating": rating,
                "score": match.score,
            }
        )
    return shown
