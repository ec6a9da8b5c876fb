"""``datasette factcheck train`` and ``rescore``: a thin click layer over ``newsroom_model``."""

from __future__ import annotations

import click
import sqlite_utils

from .. import clock
from ..extract.claims import claim_id
from ..load.run import annotated_claims, score_with_hook
from ..score.newsroom import NotEnoughDecisions, rescore_claims, train
from ..score.scoring import scoring_for
from ..score.stored_model import DamagedModel
from ..store import foreign_triggers
from ..store.schema import migrate
from .group import DATASETTE_HOOKS, factcheck, open_claims_database


def _writable(db: str) -> sqlite_utils.Database:
    database = sqlite_utils.Database(open_claims_database(db, writable=True))
    migrate(database)  # a database loaded by an older version gets the models table
    try:
        foreign_triggers.check(database.conn)
    except foreign_triggers.ForeignTriggers as error:
        raise click.ClickException(str(error)) from None
    return database


@factcheck.command(name="train", short_help="Fit DB's own check-worthiness model on its editors' decisions.")
@click.argument("db", type=click.Path(dir_okay=False))
def train_command(db: str) -> None:
    """Correct the shipped check-worthiness model with DB's own review
    decisions, as far as cross-validation by article says they help, and keep
    it in DB; when they do not beat the shipped model, keep that and say so.

    A decision is a claim editors took up (in progress, second review, done:
    check-worthy) or set not_checkable (not). Loads into DB then score with
    this model; run `datasette factcheck rescore DB` to re-score the open
    claims already there.
    """
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


@factcheck.command(name="rescore", short_help="Re-score DB's open claims with its model.")
@click.argument("db", type=click.Path(dir_okay=False))
def rescore_command(db: str) -> None:
    """Score the open claims (unreviewed, in progress) again with DB's own model
    (or the built-in one). Reviews, versions and history are untouched."""
    database = _writable(db)
    hook = DATASETTE_HOOKS.relay()
    try:
        scoring = scoring_for(database.conn, hook)
    except DamagedModel as error:  # re-scoring every claim with the wrong model: stop instead
        raise click.ClickException(str(error)) from None
    count = rescore_claims(
        database.conn,
        scoring,
        annotate=lambda article: annotated_claims(article, hook),
        score=lambda claim, article, model: score_with_hook(hook, claim, article, model),
        claim_id=claim_id,
    )
    click.echo(f"re-scored {count:,} open claims with the {scoring.label}")
