"""``datasette factcheck ...``: a thin click layer over the library."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from .load import load_paths

PROGRESS_MIN_BYTES = 2_000_000  # smaller inputs finish before a bar would help


@click.group(name="factcheck")
def factcheck() -> None:
    """Editorial fact-checking: load articles, export reviews."""


def _plugin_hook():
    # Datasette's plugin manager, so installed plugins' extractors and scorers run.
    from datasette.plugins import pm

    return pm.hook


def _input_size(paths: tuple[str, ...]) -> int:
    total = 0
    for path in map(Path, paths):
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return total


def _check_database_path(db: str) -> None:
    folder = Path(db).resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"cannot create database {db}: folder {folder} does not exist")
    if Path(db).is_dir():
        raise click.ClickException(f"database {db} is a folder; give a file name such as factcheck.db")


@factcheck.command()
@click.argument("db", type=click.Path(dir_okay=True))
@click.argument("paths", nargs=-1, required=True)
def load(db: str, paths: tuple[str, ...]) -> None:
    """Load articles from PATHS (.txt, .jsonl, .csv files or folders) into DB.

    Safe to repeat: unchanged articles are skipped, edited ones updated in
    place without losing reviews.
    """
    _check_database_path(db)
    size = _input_size(paths)
    with click.progressbar(length=size, label="Loading", file=None if size >= PROGRESS_MIN_BYTES else _Null()) as bar:
        try:
            summary = load_paths(db, paths, hook=_plugin_hook(), progress=bar.update)
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"cannot write to database {db}: {error}")
    for problem in summary.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(str(summary))
    if summary.problems:
        raise SystemExit(1)


class _Null:
    """A file that swallows the progress bar for small inputs."""

    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
