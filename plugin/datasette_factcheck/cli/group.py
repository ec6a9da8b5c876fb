"""The ``datasette factcheck`` group and what its commands share: database checks, fetch options,
error reporting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from ..ingest.fetch import MAX_CRAWL_DELAY, FetchOptions
from ..ingest.fetch_answer import RETRY_STATUSES
from ..load.workers import HookSource


@click.group(name="factcheck")
def factcheck() -> None:
    """Editorial fact-checking: load articles, rank and match their claims,
    learn from the desk's decisions, export its reviews.

    Serve the database with `datasette serve DB -c datasette.yaml -m
    metadata.yml`; the triage queue is /<db>/-/factcheck.
    """


# Datasette's plugin manager, so installed plugins' extractors and scorers run, in the
# worker processes too (a spawned worker imports it, and with it the installed plugins).
DATASETTE_HOOKS = HookSource("datasette.plugins:pm")


def check_database_path(db: str) -> None:
    folder = Path(db).resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot create database {db}: folder {folder} does not exist")
    if Path(db).is_dir():
        raise click.ClickException(f"database {db} is a folder; give a file name such as factcheck.db")


_DEFAULTS = FetchOptions()
_RETRIED_CODES = [str(code) for code in sorted(RETRY_STATUSES)]
_RETRIED = f"{', '.join(_RETRIED_CODES[:-1])} or {_RETRIED_CODES[-1]}"  # "429, 500, ... or 504", for --retries


# The politeness options with a default: (flag, type, help). Each default is FetchOptions'
# field of the flag's name, so the dataclass stays the one place that sets them.
_DEFAULTED_FETCH_OPTIONS = (
    ("--per-host", click.IntRange(min=1), "Requests at once to one host"),
    (
        "--delay",
        click.FloatRange(min=0),
        "Seconds between the starts of two requests to one host "
        f"(more if robots.txt's Crawl-delay asks, up to {MAX_CRAWL_DELAY:g} s)",
    ),
    ("--timeout", click.FloatRange(min=0.1), "Seconds for one whole request: connecting, headers and body"),
    ("--max-bytes", click.IntRange(min=1), "Largest answer read, in bytes (after decompressing)"),
    (
        "--retries",
        click.IntRange(min=0),
        f"Retries when a server answers {_RETRIED}: after {_DEFAULTS.backoff:g} s, doubling each time, "
        f"or the server's Retry-After up to {_DEFAULTS.max_retry_after:g} s",
    ),
)


def _defaulted_option(flag: str, kind: click.ParamType, help_text: str):
    default = getattr(_DEFAULTS, flag.removeprefix("--").replace("-", "_"))
    return click.option(flag, type=kind, default=default, show_default=True, help=help_text)


def fetch_options(command):
    """The politeness options of ``load`` for URLs, with FetchOptions' defaults."""
    options = [
        click.option(
            "--limit", type=click.IntRange(min=1), help="At most N pages from each feed or sitemap (newest first)"
        ),
        *(_defaulted_option(*option) for option in _DEFAULTED_FETCH_OPTIONS),
        click.option(
            "--allow-private",
            is_flag=True,
            help="Also fetch from loopback, private, link-local and reserved addresses, refused otherwise (a newsroom's own intranet)",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


PRIVATE_HINT = (
    "note: addresses on this machine or its network are refused; "
    "if you mean to fetch from your own intranet, run the command again with --allow-private"
)


def report_problems(problems: list) -> None:
    """Each problem as an error line, then, once, what to do about refused private addresses."""
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if any("refused, private address" in str(problem) for problem in problems):
        click.echo(PRIVATE_HINT, err=True)


def open_claims_database(db: str, writable: bool = False) -> sqlite3.Connection:
    """A connection to a database that holds claims (read-only unless ``writable``), or a ClickException."""
    if not Path(db).is_file():
        raise click.ClickException(f"database {db} does not exist")
    mode = "rw" if writable else "ro"  # an export never writes
    conn = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode={mode}", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        conn.close()
        raise click.ClickException(f"cannot read database {db}: {error}")
    if not {"claims", "articles"} <= tables:
        conn.close()
        raise click.ClickException(f"database {db} has no claims: load articles with `datasette factcheck load`")
    return conn
