"""A newsroom's own check-worthiness model: the shipped model corrected by its
editors' decisions (``newsroom_fit``), kept in its database, used to score its claims.

Pure Python over a ``sqlite3.Connection`` (no Datasette, no click): the CLI's
``train`` and ``rescore`` commands and the loader call it.

A decision is a claim an editor took up (in progress, second review, done:
check-worthy) or set ``not_checkable`` (not). ``train`` refuses with
``NotEnoughDecisions`` below ``MIN_DECISIONS`` of them, or fewer than
``MIN_EACH`` on either side: a model moved by a handful of rulings would
reorder the whole queue on noise.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence

from ..extract import meaning
from ..extract.claims import Claim
from ..records import Article, json_list
from ..vocab import NOT_CHECKABLE, OPEN_STATUSES, TAKEN_UP_STATUSES
from .fit import Decision, decision_from_row
from .model import Model, add_context, default_model
from .newsroom_choice import choose
from .scoring import MODELS_TABLE, Annotator, Scorer, Scoring, StoredModel

MIN_DECISIONS = 20
MIN_EACH = 5


_DECIDED = ", ".join(f"'{status}'" for status in (*TAKEN_UP_STATUSES, NOT_CHECKABLE))
_SELECT_DECISIONS = f"""SELECT text, status, kind, sourcing, claimant, article_id FROM claims
    WHERE superseded_at IS NULL AND status IN ({_DECIDED})
    ORDER BY id"""
_INSERT_MODEL = f"""INSERT INTO {MODELS_TABLE} (trained_at, decisions, checkworthy, not_checkable, model)
    VALUES (?, ?, ?, ?, ?)"""
_OPEN = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
_SELECT_OPEN_ARTICLES = f"""SELECT DISTINCT article_id FROM claims
    WHERE superseded_at IS NULL AND status IN ({_OPEN}) ORDER BY article_id"""
_SELECT_OPEN_CLAIMS = f"""SELECT id, kind, sourcing, claimant FROM claims
    WHERE article_id = ? AND superseded_at IS NULL AND status IN ({_OPEN})"""
_UPDATE_SCORE = "UPDATE claims SET checkworthiness = ?, reasons = ?, scored_by = ? WHERE id = ?"


class NotEnoughDecisions(ValueError):
    """Too few editors' decisions to learn from; the message says how many more."""


def collect_decisions(conn: sqlite3.Connection) -> tuple[list[Decision], list[str]]:
    """The decisions and each one's article (what cross-validation groups by)."""
    columns = ("text", "status", "kind", "sourcing", "claimant")
    decisions, articles = [], []
    for row in conn.execute(_SELECT_DECISIONS):
        decision = decision_from_row(dict(zip(columns, row[:5])))
        if decision is not None:
            decisions.append(decision)
            articles.append(row[5])
    return decisions, articles


def check_enough(decisions: list[Decision]) -> None:
    taken_up = sum(decision.checkworthy for decision in decisions)
    refused = len(decisions) - taken_up
    if len(decisions) < MIN_DECISIONS or min(taken_up, refused) < MIN_EACH:
        raise NotEnoughDecisions(
            f"too few review decisions to learn from: {taken_up} claims taken up and {refused} set "
            f"not_checkable; at least {MIN_DECISIONS} in all and {MIN_EACH} of each are needed. "
            "Review more claims, then run train again"
        )


def train(conn: sqlite3.Connection, now: str, base: Model | None = None) -> StoredModel:
    """Correct ``base`` (the shipped model) with this database's decisions, as far
    as cross-validation by article says they help, and keep the result in it; when
    they do not beat ``base``, keep a record saying so (scoring then uses the
    built-in model). With the [semantic] extra, corrections by meaning are tried
    too. See ``newsroom_fit`` and ``newsroom_choice`` for how and why."""
    decisions, articles = collect_decisions(conn)
    check_enough(decisions)
    model, _ = choose(base or default_model(), decisions, articles, meaning_available=meaning.available())
    return keep_model(conn, now, decisions, model)


def keep_model(conn: sqlite3.Connection, now: str, decisions: list[Decision], model: Model) -> StoredModel:
    """Store ``model``, learned from ``decisions``, as the database's newest: later
    loads and ``rescore`` score with it."""
    taken_up = sum(decision.checkworthy for decision in decisions)
    with conn:
        cursor = conn.execute(
            _INSERT_MODEL, (now, len(decisions), taken_up, len(decisions) - taken_up, model.to_bytes())
        )
    return StoredModel(cursor.lastrowid, now, len(decisions), taken_up, len(decisions) - taken_up, model)


def _stored_article(conn: sqlite3.Connection, article_id: str) -> Article | None:
    row = conn.execute(
        "SELECT id, body, source, title, outlet, author, published, url FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if row is None:
        return None
    article_id, body, source, title, outlet, author, published, url = row
    return Article(article_id, body, source or "", title, outlet, author, published, url)


def _open_claims(
    conn: sqlite3.Connection, article: Article, annotated: list[Claim], claim_id: Callable[[str, str], str]
) -> Iterator[tuple[str, Claim]]:
    """The article's open claims among its claims ``annotated`` again from its body; the
    stored kind, sourcing and claimant are kept (the load saw the article's tweets and header)."""
    stored = {row[0]: row[1:] for row in conn.execute(_SELECT_OPEN_CLAIMS, [article.id])}
    for claim in annotated:
        cid = claim_id(article.id, claim.text)
        if cid in stored:
            claim.kind, claim.sourcing, claim.claimant = stored[cid]
            yield cid, claim


def open_articles(conn: sqlite3.Connection) -> list[str]:
    """The articles with open claims: what ``rescore_claims`` goes through, one by one."""
    return [row[0] for row in conn.execute(_SELECT_OPEN_ARTICLES)]


def rescore_claims(
    conn: sqlite3.Connection,
    scoring: Scoring,
    annotate: Annotator,
    score: Scorer,
    claim_id: Callable[[str, str], str],
    progress: Callable[[int], None] = lambda articles: None,
    articles: Sequence[str] | None = None,
) -> int:
    """Score every open claim again with ``model``; the number re-scored.

    ``score`` returns a clamped score and its reasons (``load.extraction.score_with_hook``).
    Only checkworthiness, reasons and scored_by change: no review field, no
    version, no history row (the triggers watch review fields only), and the
    queue's indexes follow the new scores. One transaction: all or nothing.
    ``articles``: the open ones when the caller has them already (``open_articles``);
    ``progress`` hears of each as it is done.
    """
    updates = []
    for article_id in open_articles(conn) if articles is None else articles:
        progress(1)  # an article a step: a model that weighs meaning takes milliseconds a claim
        article = _stored_article(conn, article_id)
        if article is None:
            continue  # a claim left without its article keeps its score
        annotated = annotate(article)
        claims = list(_open_claims(conn, article, annotated, claim_id))
        add_context([claim for _, claim in claims], scoring.model, article_claims=annotated)
        for cid, claim in claims:
            value, reasons = score(claim, article, scoring.model)
            updates.append((value, json_list(reasons), scoring.label, cid))
    with conn:
        conn.executemany(_UPDATE_SCORE, updates)
    return len(updates)
