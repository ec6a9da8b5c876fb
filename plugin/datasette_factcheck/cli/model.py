"""``datasette factcheck train`` and ``rescore``: a thin click layer over ``score.newsroom``."""

from __future__ import annotations

import click
import sqlite_utils

from .. import clock, vocab
from ..extract.claims import claim_id
from ..load.extraction import annotated_claims, score_with_hook
from ..score import newsroom_choice, newsroom_fit
from ..score.newsroom import MIN_DECISIONS, MIN_EACH, NotEnoughDecisions, open_articles, rescore_claims, train
from ..score.scoring import scoring_for
from ..score.stored_model import DamagedModel
from ..store import foreign_triggers
from ..store.schema import migrate
from .group import DATASETTE_HOOKS, factcheck, open_claims_database

RESCORE_BAR_MIN = 100  # articles: fewer re-score in a moment, with no bar to flash


def _writable(db: str) -> sqlite_utils.Database:
    database = sqlite_utils.Database(open_claims_database(db, writable=True))
    migrate(database)  # a database loaded by an older version gets the models table
    try:
        foreign_triggers.check(database.conn)
    except foreign_triggers.ForeignTriggers as error:
        raise click.ClickException(str(error)) from None
    return database


def _train_help() -> str:
    """train's --help, its figures read from the rule itself so the text cannot drift from it."""
    strengths = ", ".join(str(c) for c in newsroom_fit.STRENGTHS)
    shares = " or ".join(f"{share:g}" for share in newsroom_fit.MEANING_SHARES)
    return f"""Learn from DB's review decisions, and keep the shipped
    check-worthiness model unless they beat it.

    A decision is a claim editors took up (in_progress, needs_second_review or
    done: check-worthy) or set not_checkable (not). At least {MIN_DECISIONS} are
    needed, {MIN_EACH} of each kind.

    train learns a correction to the shipped model: with the [semantic] extra
    installed, to its wording weights and to what each claim means (one weight
    per place of its MiniLM vector), fitted loosely (strength
    {newsroom_fit.MEANING_STRENGTH}) and kept at a share of {shares}; without it, to the
    wording weights alone at strengths {strengths}, kept at {newsroom_fit.WORDING_SHARE:g}. It
    measures each as it would be kept by cross-validation on the decisions
    grouped by article (up to {newsroom_choice.FOLDS} folds, no more than there are articles, dealt
    {newsroom_choice.REPEATS} times; an article is never split between learning and measuring). A
    correction by meaning replaces the shipped model when it predicts the
    decisions it did not see better, by more than {newsroom_choice.MIN_LOSS_GAIN} in log loss, than
    the shipped model with its bias moved (the best share wins; the smaller on
    a tie); one of the wording alone only when it beats the shipped model by
    more than {newsroom_choice.MIN_AP_GAIN} in average precision and on every held-out fold. What
    replaces it keeps the shipped bias. Otherwise
    the shipped model is kept. Either way it prints the figures and stores the
    result in DB: later loads score with it, and `datasette factcheck rescore
    DB` scores the open claims already there again.
    """


@factcheck.command(
    name="train",
    short_help="Learn from DB's review decisions; keep the shipped model unless they beat it.",
    help=_train_help(),
)
@click.argument("db", type=click.Path(dir_okay=False))
def train_command(db: str) -> None:
    database = _writable(db)
    now = clock.now_iso()
    try:
        stored = train(database.conn, now)
    except (NotEnoughDecisions, DamagedModel) as error:
        raise click.ClickException(str(error))
    click.echo(
        f"trained {stored.label}: {stored.checkworthy:,} claims taken up, {stored.not_checkable:,} not checkable; "
        f"{stored.summary()}; run `datasette factcheck rescore {db}` to re-score open claims"
    )


@factcheck.command(
    name="rescore",
    short_help="Re-score DB's open claims with the model train kept.",
    help=f"""Score DB's open claims ({" and ".join(vocab.OPEN_STATUSES)}) again with the
    model `datasette factcheck train` kept last (the shipped one until then),
    or with an installed plugin's scorer.

    Only the score, its reasons and scored_by change: reviews, versions and
    history are untouched. A damaged stored model stops it with one line (run
    train again, which writes a new one).
    """,
)
@click.argument("db", type=click.Path(dir_okay=False))
def rescore_command(db: str) -> None:
    database = _writable(db)
    hook = DATASETTE_HOOKS.relay()
    try:
        scoring = scoring_for(database.conn, hook)
    except DamagedModel as error:  # re-scoring every claim with the wrong model: stop instead
        raise click.ClickException(str(error)) from None
    articles = open_articles(database.conn)
    with click.progressbar(length=len(articles), label="Re-scoring", hidden=len(articles) < RESCORE_BAR_MIN) as bar:
        count = rescore_claims(
            database.conn,
            scoring,
            annotate=lambda article: annotated_claims(article, hook),
            score=lambda claim, article, model: score_with_hook(hook, claim, article, model),
            claim_id=claim_id,
            progress=bar.update,
            articles=articles,
        )
    click.echo(f"re-scored {count:,} open claims with the {scoring.label}")
