"""The Add page's work: URLs an editor pasted, or an article's text, loaded in the background.

A submission is of one ``kind``: "articles" (pages, feeds and sitemaps of news, loaded as
``load`` does, their new claims then matched against earlier checks as ``load``'s matching
pass does) or "factchecks" (published fact-check pages with ClaimReview JSON-LD, or feeds
and sitemaps of them, imported as ``import-factchecks`` does). The editor says which: the
same URL shape (a page, a feed, a sitemap) can be either.

A ``Job`` is what one submission asked for and how far it has got: steps done of steps
known (two a page, as on the command line), then one result per URL: a line an editor
reads, the articles it brought (new, updated or unchanged, with their live claims) and
what failed. ``run`` does the work, synchronously, on its own connection to the database
file: the web layer runs it in a thread and reads the job as it changes.

Jobs run one at a time per process: two loaders writing one SQLite file would only wait
for each other. No Datasette, no click.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlite_utils
from pluggy import HookRelay

from ..errors import Invalid, LoadError
from ..ingest.clean import clean_text
from ..ingest.fetch import Fetcher, FetchOptions
from ..ingest.pages import web_id
from ..ingest.urls import Outcome, WebProgress
from ..links import safe_url
from ..match import claim_matches
from ..match.importer import import_factchecks
from ..records import MAX_ARTICLE_CHARS, Article, LoadSummary
from .run import Loader, content_hash
from .urls import load_urls

KINDS = ("articles", "factchecks")  # what the URLs are: news to check, or published fact-checks
MAX_URLS = 50  # per submission: a feed or sitemap is the way to bring in more
BUSY_TIMEOUT_MS = 30_000  # the desk's review saves share the file; wait for them rather than fail
_ONE_AT_A_TIME = threading.Lock()


class AddError(Invalid):
    """A submission that cannot be run; the message says what to fix."""


@dataclass(frozen=True)
class Pasted:
    """An article's text pasted with its title (and, if known, where it was published)."""

    title: str
    text: str
    url: str | None = None


@dataclass
class AddedArticle:
    id: str
    title: str | None
    status: str  # "new", "updated", "unchanged", or "kept" (a paste that would have rewritten it)
    claims: int  # live claims


@dataclass
class InputResult:
    """What one URL (or the pasted text) gave."""

    input: str
    ok: bool
    line: str
    articles: list[AddedArticle] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    factchecks: int = 0  # fact-checks it brought in (new, updated or unchanged), for kind "factchecks"


@dataclass
class Job:
    database: str
    actor: str | None
    urls: list[str]
    pasted: Pasted | None = None
    limit: int | None = None
    kind: str = "articles"
    id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    state: str = "queued"  # queued, running, done, failed
    total: int = 0
    done: int = 0
    results: list[InputResult] = field(default_factory=list)
    error: str | None = None
    checked_before: int = 0  # the new claims matched to an earlier fact-check or ruling

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def as_json(self) -> dict:
        keys = ("id", "database", "kind", "state", "total", "done", "results", "error", "checked_before")
        return {key: value for key, value in asdict(self).items() if key in keys}


def new_job(database: str, actor: str | None, urls_text: str = "", pasted: Pasted | None = None,
            limit: int | None = None, kind: str = "articles") -> Job:  # fmt: skip
    """A job for what was submitted, or AddError if there is nothing to do or too much."""
    urls = list(dict.fromkeys(line.strip() for line in urls_text.splitlines() if line.strip()))
    if kind not in KINDS:
        raise AddError(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")
    if len(urls) > MAX_URLS:
        raise AddError(f"{len(urls)} URLs at once; the limit is {MAX_URLS} (a feed or sitemap brings in more)")
    if pasted is not None and kind == "factchecks":
        raise AddError("a pasted text is added as an article: choose articles, or paste the fact-check's URL")
    if pasted is not None:
        _check_pasted(pasted)
    if not urls and pasted is None:
        raise AddError("paste one or more URLs (one per line), or an article's title and text")
    return Job(database, actor, urls, pasted, limit, kind)


def _check_pasted(pasted: Pasted) -> None:
    if not pasted.title.strip() or not pasted.text.strip():
        raise AddError("a pasted article needs both its title and its text")
    if len(pasted.text) > MAX_ARTICLE_CHARS:
        raise AddError(f"the pasted text is over {MAX_ARTICLE_CHARS:,} characters, the limit for one article")
    if pasted.url and safe_url(pasted.url) is None:
        raise AddError("the article's URL must be an http(s) address")


# --- running ---------------------------------------------------------------------------------


def run(job: Job, db_path: str | Path, hook: HookRelay, options: FetchOptions) -> None:
    """Do the job: each URL, then the pasted text, each loaded on its own so each has its result."""
    with _ONE_AT_A_TIME:
        job.state = "running"
        try:
            _run(job, db_path, hook, options)
        except (sqlite3.Error, LoadError) as error:
            job.error = f"the load stopped: {error}; what was loaded before is saved"
            job.state = "failed"
            return
        except Exception as error:  # noqa: BLE001 - a job that fails must end as failed, never stay "running"
            job.error = f"the load stopped ({type(error).__name__}: {error}); what was loaded before is saved"
            job.state = "failed"
            return
        job.state = "done"


def _run(job: Job, db_path: str | Path, hook: HookRelay, options: FetchOptions) -> None:
    db = sqlite_utils.Database(db_path)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        loader = Loader(db, hook=hook, workers=1)  # inline: no process forked from a web server (and migrates)
        fetcher = Fetcher(options)
        progress = WebProgress(grow=lambda steps: _grow(job, steps), advance=lambda steps: _advance(job, steps))
        if job.kind == "factchecks":
            for url in job.urls:
                job.results.append(_import_url(db.conn, fetcher, url, job.limit, progress))
            return
        last = claim_matches.last_claim_rowid(db.conn)
        for url in job.urls:
            job.results.append(_load_url(loader, fetcher, url, job.limit, progress))
        if job.pasted is not None:
            job.results.append(_load_pasted(loader, job.pasted, job.actor, progress))
        job.checked_before = _match_new_claims(db.conn, last, progress)
    finally:
        db.close()


def _match_new_claims(conn: sqlite3.Connection, last: int, progress: WebProgress) -> int:
    """load's matching pass over the claims added after rowid ``last``; how many of them
    have an earlier check."""
    if not claim_matches.anything_to_match(conn):
        return 0
    progress.grow(1)
    claim_matches.match_claims_after(conn, last)
    conn.commit()
    progress.advance(1)
    sql = "SELECT count(DISTINCT m.claim_id) FROM claim_matches m JOIN claims c ON c.id = m.claim_id WHERE c.rowid > ?"
    return conn.execute(sql, (last,)).fetchone()[0]


def _import_url(conn: sqlite3.Connection, fetcher: Fetcher, url: str, limit: int | None,
                progress: WebProgress) -> InputResult:  # fmt: skip
    """One fact-check URL through import-factchecks' code: a page, or a feed or sitemap of them."""
    progress.grow(1)

    def page_read(done: int) -> None:  # a feed or sitemap adds the pages it lists as it goes
        progress.grow(done)
        progress.advance(done)

    summary = import_factchecks(conn, [url], fetcher, limit, page_read)
    progress.advance(1)
    brought = summary.new + summary.updated + summary.unchanged
    line = str(summary) if brought else (summary.problems[0].removeprefix(f"{url}: ") if summary.problems else
                                         "no fact-checks found")  # fmt: skip
    return InputResult(url, bool(brought), line, problems=summary.problems if brought else [], factchecks=brought)


def _grow(job: Job, steps: int) -> None:
    job.total += steps


def _advance(job: Job, steps: int) -> None:
    job.done += steps


def _load_url(loader: Loader, fetcher: Fetcher, url: str, limit: int | None, progress: WebProgress) -> InputResult:
    statuses: dict[str, str] = {}
    watch = lambda article: statuses.setdefault(article.id, _status(loader.db, article))  # noqa: E731
    summary, walk = load_urls(loader, [url], fetcher, limit, progress=progress, watch=watch)
    articles = _added(loader.db, walk.outcomes[url].article_ids, statuses)
    ok, line = _line(walk.outcomes[url], summary)
    return InputResult(url, ok, line, articles, [str(problem) for problem in summary.problems])


def _load_pasted(loader: Loader, pasted: Pasted, actor: str | None, progress: WebProgress) -> InputResult:
    progress.grow(1)
    article = pasted_article(pasted, actor)
    status = _status(loader.db, article)
    if status == "updated" and article.url:
        # The URL names an article already stored (fetched, or pasted before): a paste never
        # rewrites it. The line links to it; without the URL the paste is a new article.
        progress.advance(1)
        kept = _added(loader.db, [article.id], {article.id: "kept"})
        line = "an article with this URL is already stored and is kept as it is; paste without the URL to add this text as a new article"
        return InputResult(f"pasted: {pasted.title}", False, line, kept)
    summary = loader.load_items([(article.source, article)], progress=lambda chars: progress.advance(1))
    articles = _added(loader.db, [article.id], {article.id: status})
    line = f"{status} article" if articles else "not loaded"
    return InputResult(f"pasted: {pasted.title}", bool(articles), line, articles, [str(p) for p in summary.problems])


def pasted_article(pasted: Pasted, actor: str | None) -> Article:
    """The pasted text as an article: its id from its URL if it has one (so it is the same
    article as the page), else from its title and text (so pasting it again changes nothing)."""
    body, spans = clean_text(pasted.text)
    title = " ".join(pasted.title.split())
    url = safe_url(pasted.url) if pasted.url else None
    digest = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()[:16]
    source = f"pasted on the Add page by {actor}" if actor else "pasted on the Add page"
    return Article(id=web_id(url) if url else f"pasted-{digest}", body=body, source=source, title=title, url=url,
                   social_spans=spans)  # fmt: skip


# --- reporting --------------------------------------------------------------------------------


def _status(db: sqlite_utils.Database, article: Article) -> str:
    """What loading ``article`` will do, asked before it is written."""
    row = db.execute("SELECT content_hash FROM articles WHERE id = ?", [article.id]).fetchone()
    if row is None:
        return "new"
    return "unchanged" if row[0] == content_hash(article) else "updated"


def _added(db: sqlite_utils.Database, ids: list[str], statuses: dict[str, str]) -> list[AddedArticle]:
    """The articles now stored among ``ids``, each with its live claims."""
    added = []
    for article_id in dict.fromkeys(ids):
        row = db.execute(
            "SELECT title, (SELECT count(*) FROM claims WHERE article_id = a.id AND superseded_at IS NULL) "
            "FROM articles a WHERE id = ?", [article_id],
        ).fetchone()  # fmt: skip
        if row is not None:
            added.append(AddedArticle(article_id, row[0], statuses.get(article_id, "unchanged"), row[1]))
    return added


def _line(outcome: Outcome, summary: LoadSummary) -> tuple[bool, str]:
    """(whether it loaded, one line): the reason it failed, or what it brought."""
    loaded = summary.articles_new + summary.articles_updated + summary.articles_unchanged
    if outcome.kind is None and not loaded:
        if outcome.not_modified:
            return True, "not changed since it was last fetched"
        return False, summary.problems[0].reason if summary.problems else "nothing to load"
    counts = (f"{summary.articles_new} new, {summary.articles_updated} updated, "
              f"{summary.articles_unchanged} unchanged")  # fmt: skip
    if outcome.kind in ("feed", "sitemap"):
        failed = f"; {len(summary.problems)} failed" if summary.problems else ""
        return True, f"{outcome.kind}: {loaded} article{'s' * (loaded != 1)} ({counts}){failed}"
    if summary.articles_new:
        line = f"new article: {summary.claims_new} claims"
    elif summary.articles_updated:
        line = (f"updated article, reviews kept: {summary.claims_new} new claims, "
                f"{summary.claims_superseded} superseded")  # fmt: skip
    else:
        line = "unchanged since it was last loaded"
    return not summary.problems, line
