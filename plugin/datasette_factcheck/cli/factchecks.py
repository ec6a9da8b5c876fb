"""``datasette factcheck import-factchecks`` and ``match``: a thin click layer over
factcheck_sources, factcheck_store and matching."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click
import sqlite_utils

from ..ingest.fetch import Fetcher, FetchOptions
from ..load.run import loading_database
from ..match import claim_matches, matching, semantic, timing
from ..match import importer as factcheck_import
from ..match.records import json_lines
from ..match.sources import read_sources
from ..match.store import ImportSummary
from ..store.schema import migrate
from .group import check_database_path, factcheck, fetch_options, open_claims_database, report_problems

MATCH_BAR_MIN = 2_000  # claims: fewer are matched before a bar would help


def matching_pass(conn: sqlite3.Connection, count: int, run, label: str = "Matching") -> int:
    """Run ``run(progress)`` under its own progress bar of ``count`` claims."""
    with click.progressbar(length=count, label=label, hidden=count < MATCH_BAR_MIN) as bar:
        matched = run(bar.update)
    conn.commit()
    return matched


@factcheck.command(name="import-factchecks", short_help="Import published fact-checks (ClaimReview) into DB.")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@fetch_options
def import_factchecks(db: str, paths: tuple[str, ...], limit: int | None, **politeness: float) -> None:
    """Import published fact-checks into DB, to match claims against.

    \b
    PATH_OR_URL is a file, a folder of them, or an http(s) URL:
      .json/.jsonld  ClaimReview JSON-LD: one, a list, or a schema.org DataFeed
                     (dataFeedElement[].item); or records as below
      .jsonl         One record (or ClaimReview) per line
      .csv           Records with a header: id, claim, claimant, rating, url,
                     publisher, published, title, summary (only claim required)
      .html          A fact-check page with ClaimReview JSON-LD
      URL            Such a page, a ClaimReview feed, an RSS/Atom feed or a
                     sitemap of fact-check pages, fetched politely as load does

    Safe to repeat: a fact-check is known by its id (else its url and claim);
    a changed one is updated, the rest left alone. Ratings stay in the
    publisher's words; those that say one of the desk's verdicts get it too.
    The claims' matches ("Checked before") are then brought up to date. A bad
    record or source is one error line and the rest are still imported; exit
    status 1 if any failed.
    """
    check_database_path(db)
    summary = ImportSummary()
    options = FetchOptions(**politeness)
    try:
        with loading_database(db) as database:
            migrate(database)
            reads = _read_all(list(paths), Fetcher(options), limit)
            _store_all(database.conn, reads, summary)
            affected = summary.changed_ids
            _store_vectors(database.conn, affected)
            matching_pass(
                database.conn,
                claim_matches.count_live_claims(database.conn),
                lambda progress: factcheck_import.rematch(database.conn, affected, progress),
            )
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"cannot write to database {db}: {error}") from error
    report_problems(summary.problems)
    click.echo(str(summary))
    if summary.problems:
        raise SystemExit(1)


def _read_all(paths: list[str], fetcher: Fetcher, limit: int | None) -> list:
    hidden = not sys.stdout.isatty()
    with click.progressbar(length=len(paths), label="Reading", hidden=hidden) as bar:
        reader = read_sources(paths, fetcher, progress=bar.update, limit=limit)
        return list(reader)


def _store_all(conn: sqlite3.Connection, reads: list, summary: ImportSummary) -> None:
    total = sum(len(read.parsed.factchecks) for read in reads)
    with click.progressbar(length=total, label="Importing", hidden=total < MATCH_BAR_MIN) as bar:
        factcheck_import.store_reads(conn, reads, summary, bar.update)


def _store_vectors(conn: sqlite3.Connection, changed: list[str]) -> None:
    """The second stage's vectors of new and changed fact-checks, and of any still without
    one, when the extra is installed."""
    ids = factcheck_import.vector_ids(conn, changed)
    if ids:
        with click.progressbar(length=len(ids), label="Vectors", hidden=len(ids) < MATCH_BAR_MIN) as bar:
            factcheck_import.store_vectors(conn, ids, bar.update)


# --- match ---------------------------------------------------------------------------------


@factcheck.command(
    name="match", short_help="The published fact-checks and desk rulings closest to texts; --refresh redoes DB's."
)
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("texts", nargs=-1, metavar="[TEXT...]")
@click.option(
    "--input",
    "input_",
    type=click.Path(dir_okay=False, allow_dash=True),
    help=(
        "Texts to match: JSONL {id, text, date}, or CSV id,text,date when the name ends in .csv; - reads JSONL "
        "from stdin (date optional, ISO)"
    ),
)
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=100),
    default=matching.LIMIT,
    show_default=True,
    help="Most matches shown for each text",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: {id, matches: [...]}")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help=(
        f"Least score shown [default: {matching.THRESHOLD}; re-ranked by meaning, a cosine of {semantic.MIN_COSINE}, "
        "and a threshold given applies to the blended score]"
    ),
)
@click.option("--lexical", is_flag=True, help="The first (lexical) stage alone, even with the [semantic] extra")
@click.option(
    "--refresh",
    is_flag=True,
    help=(
        f"Redo the stored matches of every claim in DB, up to {matching.LIMIT} each at the default thresholds "
        "(after fact-checks were changed outside import-factchecks)"
    ),
)
def match_command(
    db: str,
    texts: tuple[str, ...],
    input_: str | None,
    limit: int,
    as_json: bool,
    threshold: float | None,
    lexical: bool,
    refresh: bool,
) -> None:
    """The published fact-checks and this desk's own rulings closest to each
    TEXT (or each text of --input), best first.

    Prints each text's matches with their score, rating and link, or with
    --json one JSON object per line. DB is only read, unless --refresh.

    A fact-check published on or up to 14 days after a text's date ranks
    higher: the date of a post's signature in the text ("— Name (@handle)
    May 3, 2017"), or an --input record's date (YYYY-MM-DD).

    With --refresh, redo the stored matches of every claim in DB (the claim
    page's "Checked before"); they are otherwise kept current by load,
    import-factchecks and reviews.
    """
    if not (texts or input_ or refresh):
        raise click.UsageError("give TEXT..., --input FILE or --refresh")
    conn = _matching_database(db, refresh)
    if refresh:
        count = matching_pass(conn, claim_matches.count_live_claims(conn), lambda p: claim_matches.refresh_all(conn, p))
        found = conn.execute("SELECT count(DISTINCT claim_id) FROM claim_matches").fetchone()[0]
        click.echo(f"matched {count:,} claims: {found:,} have an earlier check")
    second = False if lexical else matching.uses_second_stage(conn)
    queries = [(str(number), text, timing.claim_date(text)) for number, text in enumerate(texts, 1)]
    failed = False
    if input_:
        queries_in, problems = _read_queries(input_)
        queries += queries_in
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        failed = bool(problems)
    # All the texts at once: the second stage's vectors are computed in batches.
    ranked = matching.search_many(conn, [q[1] for q in queries], limit, threshold, second, [q[2] for q in queries])
    for (query_id, text, _), matches in zip(queries, ranked):
        found = matching.described(conn, matches)
        click.echo(
            json.dumps({"id": query_id, "matches": found}, ensure_ascii=False)
            if as_json
            else _readable(query_id, text, found)
        )
    if failed:
        raise SystemExit(1)


def _matching_database(db: str, writable: bool) -> sqlite3.Connection:
    """DB's connection; a database from before fact-checks is brought up to date when
    written, else refused with the command that fills it."""
    conn = open_claims_database(db, writable=writable)
    if writable:
        migrate(sqlite_utils.Database(conn))
    elif not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'factchecks'").fetchone():
        raise click.ClickException(
            f"database {db} has no fact-checks: add them with `datasette factcheck import-factchecks`"
        )
    return conn


def _readable(query_id: str, text: str, found: list[dict]) -> str:
    lines = [f"{query_id}: {_short(text, 100)}"]
    for rank, item in enumerate(found, 1):
        what = (
            f"fact-check {item['factcheck_id']}"
            if item["factcheck_id"]
            else f"ruling on claim {item['ruled_claim_id']}"
        )
        lines.append(
            f"  {rank}. {item['score']:.2f} {item['rating'] or 'no rating'}: {_short(item['claim'] or '', 90)}"
        )
        lines.append(f"     {what}{' ' + item['url'] if item['url'] else ''}")
    if not found:
        lines.append("  no earlier check")
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


Query = tuple[str, str, date | None]  # id, text, the claim's date (timing.claim_date)


def _read_queries(path: str) -> tuple[list[Query], list[str]]:
    """(id, text, date) from JSONL or CSV (by suffix; "-" is JSONL on stdin), and the bad lines."""
    try:
        data = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {path}: {error}") from error
    rows = _csv_queries(data, path) if path.endswith(".csv") else _jsonl_queries(data, path)
    queries, problems = [], []
    for item in rows:
        (problems if isinstance(item, str) else queries).append(item)
    return queries, problems


def _query(where: str, query_id: str, text: str, given: object) -> Query | str:
    """A record's query, or why its ``date`` (optional) is refused."""
    if given in (None, "") or timing.parse(given):
        return query_id, text, timing.claim_date(text, given or None)
    return f"{where} (id {query_id}): date {given!r} is not a date (YYYY-MM-DD)"


def _jsonl_queries(data: str, path: str) -> Iterator[Query | str]:
    for item in json_lines(data, path):
        if isinstance(item, str):
            yield item
            continue
        number, value = item
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            yield f"{path} line {number}: no text"
            continue
        yield _query(f"{path} line {number}", str(value.get("id", number)), value["text"], value.get("date"))


def _csv_queries(data: str, path: str) -> Iterator[Query | str]:
    reader = csv.DictReader(data.splitlines())
    if "text" not in (reader.fieldnames or []):
        yield f"{path}: no text column (expected id,text)"
        return
    for row in reader:
        if not row.get("text"):
            yield f"{path} line {reader.line_num}: no text"
            continue
        yield _query(
            f"{path} line {reader.line_num}", str(row.get("id") or reader.line_num), row["text"], row.get("date")
        )


def match_new_claims(conn: sqlite3.Connection):
    """Before a load: a function that matches, after it, the claims the load added."""
    last = claim_matches.last_claim_rowid(conn) if _has_claims(conn) else 0

    def after() -> None:
        if claim_matches.anything_to_match(conn):
            count = claim_matches.count_claims_after(conn, last)
            matching_pass(conn, count, lambda progress: claim_matches.match_claims_after(conn, last, progress))

    return after


def _has_claims(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims'").fetchone())
