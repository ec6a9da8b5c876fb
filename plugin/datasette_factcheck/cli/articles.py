"""``load`` and ``export``: articles in, the desk's reviews out."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import BinaryIO

import click
import sqlite_utils

from .. import vocab
from ..desk import claimreview
from ..desk import export as export_
from ..desk import queue as triage
from ..errors import LoadError
from ..ingest.fetch import Fetcher, FetchOptions
from ..ingest.read import discover, file_size
from ..ingest.urls import WebProgress, is_url
from ..links import safe_url
from ..load.run import Loader, loading_database
from ..load.urls import load_urls
from ..records import LoadSummary
from .factchecks import match_new_claims
from .group import DATASETTE_HOOKS, check_database_path, factcheck, fetch_options, open_claims_database, report_problems

PROGRESS_MIN_BYTES = 2_000_000  # smaller inputs finish before a bar would help


def _input_size(paths: tuple[str, ...]) -> int:
    """Bytes to read, for the progress bar: the files the load will read, as it finds them."""
    files, _ = discover(paths)
    return sum(map(file_size, files))


@factcheck.command(short_help="Load articles into DB from files, folders and web addresses.")
@click.argument("db", type=click.Path(dir_okay=True))
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@fetch_options
@click.option(
    "--no-match",
    is_flag=True,
    help="Do not match the new claims against published fact-checks and the desk's rulings (`match DB --refresh` does it later)",
)
def load(db: str, paths: tuple[str, ...], limit: int | None, no_match: bool, **politeness: float) -> None:
    """Load articles into DB from files, folders and web addresses.

    PATH_OR_URL is a .txt, .jsonl, .csv or .html file, a folder of them
    (searched recursively), or an http(s) URL of an article, an RSS/Atom feed
    or a sitemap (a feed or sitemap brings in each article it lists). Web pages
    are fetched politely: robots.txt honoured, a few requests at once per host,
    conditional requests when a page is asked for again.

    \b
    File formats:
      .txt    One article per file; its id is the file name without .txt.
              An optional first line gives the date, author and outlet:
                date 2024-12-20 Authored by Dave DeCamp via AntiWar.com,
              A short first line that reads as a headline is the title.
      .jsonl  One JSON object per line with the fields id, title, outlet,
              author, published, url, body. Only body is required; without
              an id, an article is <file stem>-<line number>.
      .csv    A header line naming those same fields (in any order; only
              body is required), then one article per row.
      .html   One article page; its text and metadata are read from it.

    Safe to repeat: unchanged articles are skipped; an edited one is updated in
    place, its claims keep their ids and reviews, and claims that vanished are
    marked superseded (superseded_at), never deleted. The new claims are then matched against
    published fact-checks and the desk's rulings (unless --no-match).

    A bad file, record or page is one error line naming it, and the rest still
    load. The summary's "files with problems" counts the files that loaded in
    part and those that loaded nothing; any of them, or a page that failed,
    makes the exit status 1.
    """
    check_database_path(db)
    urls = [path for path in paths if is_url(path)]
    files = [path for path in paths if not is_url(path)]
    try:
        with loading_database(db) as database:
            before = match_new_claims(database.conn) if not no_match else None
            summary = _load_files(database, files)
            if urls:
                _load_urls(database, urls, FetchOptions(**politeness), limit, summary)
            if before is not None:
                before()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"cannot write to database {db}: {error}") from error
    except LoadError as error:
        raise click.ClickException(str(error)) from error
    _report(summary)


def _load_files(database: sqlite_utils.Database, files: list[str]) -> LoadSummary:
    if not files:
        return LoadSummary()
    size = _input_size(tuple(files))
    with click.progressbar(length=size, label="Loading", hidden=size < PROGRESS_MIN_BYTES) as bar:
        return Loader(database, hook=DATASETTE_HOOKS, progress=bar.update).load(files)


def _load_urls(
    database: sqlite_utils.Database, urls: list[str], options: FetchOptions, limit: int | None, summary: LoadSummary
) -> None:
    """One bar across fetching and loading: two steps a page, a listing adding its pages."""
    # Inline extraction: fetching is the slow part, and no worker process is forked from a
    # process whose fetch threads may hold locks.
    loader = Loader(database, hook=DATASETTE_HOOKS, workers=1)
    with click.progressbar(length=0, label="Fetching and loading", hidden=not sys.stdout.isatty()) as bar:
        progress = WebProgress(grow=lambda steps: setattr(bar, "length", bar.length + steps), advance=bar.update)
        load_urls(loader, urls, Fetcher(options), limit, summary, progress)


def _report(summary: LoadSummary) -> None:
    report_problems(summary.problems)
    # Warnings go with the summary on stdout: stderr is for what failed (exit status 1).
    for warning in summary.warnings:
        click.echo(f"warning: {warning}")
    click.echo(str(summary))
    if summary.problems:
        raise SystemExit(1)


# --- export ------------------------------------------------------------------------

# Vocabulary filters take the values the queue's query string does ("all" statuses, "none" verdict).
_CHOICE_FILTERS = {
    "status": (*vocab.STATUSES, vocab.ALL_STATUSES),
    "verdict": (*vocab.VERDICTS, vocab.NONE),
    "kind": vocab.KINDS,
    "sourcing": vocab.SOURCINGS,
    "checked": tuple(triage.CHECKED),
}


_FILTER_HELP = {
    "status": (
        f"Claims with this status (default: the open ones, {' and '.join(vocab.OPEN_STATUSES)}, as in the queue; "
        f"{vocab.ALL_STATUSES}: every status; claimreview: done only, whatever this says)"
    ),
    "verdict": f"Claims with this verdict ({vocab.NONE}: no verdict yet)",
    "claimant": "Claims whose claimant is exactly this",
    "outlet": "Claims from articles of this outlet",
    "article": "Claims of this article id",
    "assignee": f"Claims assigned to this editor ({vocab.NONE}: nobody assigned)",
    "cluster": "Claims of this cluster id",
    "checked": "yes: claims checked before (by a published fact-check or the desk's own ruling); no: the others",
}


def _filter_options(command):
    """--status, --verdict, ...: one repeatable option per queue filter (several values: any of them)."""
    for name in reversed(triage.FILTERS):
        choice = _CHOICE_FILTERS.get(name)
        command = click.option(
            f"--{name}",
            name,
            multiple=True,
            type=click.Choice(choice) if choice else str,
            help=_FILTER_HELP.get(name, f"Claims with this {name}") + " (repeatable)",
        )(command)
    return command


def _plugin_settings(config_path: str | None) -> dict:
    """``plugins: datasette-factcheck:`` from a datasette.yaml, $env values resolved."""
    if not config_path:
        return {}
    import yaml
    from datasette.utils import resolve_env_secrets

    try:
        config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise click.ClickException(f"cannot read config {config_path}: {error}")
    if not isinstance(config, dict):
        raise click.ClickException(f"config {config_path} is not a YAML mapping")
    settings = (config.get("plugins") or {}).get("datasette-factcheck") or {}
    return resolve_env_secrets(settings, os.environ)


def _build_export(format_: str, filters: triage.QueueFilters, bom: bool, settings: dict) -> export_.Export:
    if format_ == vocab.SHEET_FORMAT:
        base_url = settings.get("base_url")
        if base_url and not safe_url(base_url):
            raise click.UsageError(
                f"base_url must be an http(s) address such as https://desk.example.org (got {base_url!r})"
            )
        return export_.SheetExport(filters, bom=bom, base_url=(base_url or "").strip().rstrip("/"))
    review_settings = claimreview.ClaimReviewSettings.from_config(settings)
    if not review_settings.review_url:
        raise click.UsageError(
            "claimreview needs --review-url (or review_url in --config), e.g. https://example.org/fact-checks/{id}"
        )
    return claimreview.ClaimReviewExport(filters, review_settings)


@factcheck.command(name="export", short_help="Export DB's reviews: the review sheet (CSV) or ClaimReview JSON-LD.")
@click.argument("db", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "format_",
    type=click.Choice(vocab.EXPORT_FORMATS),
    default=vocab.SHEET_FORMAT,
    show_default=True,
    help="csv: the review sheet; claimreview: schema.org ClaimReview JSON-LD of done claims",
)
@_filter_options
@click.option("--q", default="", help="Full-text search in the claims' text, as the queue's search box")
@click.option("--bom", is_flag=True, help="Start the CSV with a UTF-8 BOM, for spreadsheet programs (csv)")
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="datasette.yaml to read the settings under plugins: datasette-factcheck: from (base_url, organisation, organisation_url, review_url); the options below win",
)
@click.option("--organisation", help="Reviewing organisation's name (claimreview)")
@click.option("--organisation-url", help="Reviewing organisation's URL (claimreview)")
@click.option("--review-url", help="Review URL pattern with {id} (claimreview)")
@click.option("--base-url", help="The desk's address, put before each claim page in the sheet (csv)")
@click.option("-o", "--output", type=click.File("wb", lazy=True), default="-", help="Output file (default: stdout)")
def export_command(
    db: str,
    format_: str,
    q: str,
    bom: bool,
    config_path: str | None,
    output: BinaryIO,
    **options: tuple[str, ...] | str | None,
) -> None:
    """Export DB's claims as the review sheet (CSV) or ClaimReview JSON-LD.

    Same filters, same defaults and the same bytes as the web exports
    /<db>/-/factcheck/export.csv and claimreview.json. Several filters narrow
    together; a filter given several times takes any of its values.

    The sheet has one row per claim, in the queue's order, streamed whatever
    the size. Its claim page column is each claim's page on the desk,
    /DB/-/factcheck/claims/ID (DB being the file's name without its
    extension), after the desk's address from --base-url or base_url in
    --config (a path alone without either).

    ClaimReview is a JSON array of the done claims that pass the filters; it
    needs --review-url (or review_url in --config), and never holds notes.
    """
    overrides = {key: options.pop(key) for key in ("organisation", "organisation_url", "review_url", "base_url")}
    settings = {**_plugin_settings(config_path), **{k: v for k, v in overrides.items() if v is not None}}
    filters = triage.QueueFilters.from_params({**options, "q": [q]})
    export = _build_export(format_, filters, bom, settings)
    conn = open_claims_database(db)
    try:
        export_.map_for_export(conn)
        for chunk in export_.iter_export(conn, export):
            output.write(chunk.encode("utf-8"))  # bytes: no newline translation, the web's exact bytes
    except sqlite3.Error as error:
        raise click.ClickException(f"cannot read database {db}: {error}")
    finally:
        conn.close()
