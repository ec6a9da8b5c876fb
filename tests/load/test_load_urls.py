"""``datasette factcheck load`` with URLs: pages, feeds and sitemaps from the news site on
127.0.0.1, loaded idempotently, re-polled with conditional requests, every bad case one line."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.ingest import fetch, fetch_answer
from datasette_factcheck.ingest import pages as web_articles
from datasette_factcheck.ingest import urls as ingest_web
from datasette_factcheck.ingest.fetch import Fetcher, FetchOptions
from datasette_factcheck.ingest.urls import WebProgress
from datasette_factcheck.load import jobs as add_jobs
from datasette_factcheck.load.run import Loader
from datasette_factcheck.load.urls import load_urls
from support.fixture_site import closed_port_url
from support.helpers import SEEDS, check_integrity

QUICK = ["--delay", "0", "--timeout", "2", "--max-bytes", "1000000", "--allow-private"]  # the site is on 127.0.0.1
FEED_PAGES = ["flood-defences", "hospital-waiting-list", "uk-troops-ukraine"]


def load(db: Path, *inputs: str, options: list[str] = QUICK):
    result = CliRunner().invoke(cli, ["factcheck", "load", str(db), *map(str, inputs), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def articles(db: Path) -> dict[str, dict]:
    return {row["url"]: row for row in sqlite_utils.Database(db).query("SELECT * FROM articles")}


def dump(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                for table in ("articles", "claims", "claim_events", "claim_cluster_keys")}  # fmt: skip
    finally:
        conn.close()


def requested(site) -> list[str]:
    return [hit.path for hit in site.hits()]


def test_a_feed_brings_in_each_article_it_lists(site, tmp_path):
    result = load(tmp_path / "f.db", site.url("/feed.xml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("articles: 3 new, 0 updated, 0 unchanged; claims: ")
    stored = articles(tmp_path / "f.db")
    assert sorted(stored) == [site.url(f"/news/{name}.html") for name in sorted(FEED_PAGES)]
    flood = stored[site.url("/news/flood-defences.html")]
    assert (flood["title"], flood["author"], flood["published"], flood["outlet"]) == (
        "Council to spend £12m on flood defences after winter storms", "Priya Natarajan", "2025-01-14",
        "The Northern Ledger")  # fmt: skip
    assert flood["id"] == web_articles.web_id(flood["url"])
    assert "cookies" not in flood["body"] and "Advertisement" not in flood["body"]
    db = sqlite_utils.Database(tmp_path / "f.db")
    assert db.execute("SELECT count(*) FROM claims WHERE text LIKE '%340 homes%'").fetchone()[0] == 1
    check_integrity(tmp_path / "f.db")


def test_limit_caps_how_many_articles_a_feed_brings(site, tmp_path):
    result = load(tmp_path / "f.db", site.url("/feed.xml"), "--limit", "2")
    assert result.exit_code == 0, result.output
    assert len(articles(tmp_path / "f.db")) == 2
    assert not any("uk-troops-ukraine" in path for path in requested(site))  # the third was never asked for


def test_a_sitemap_index_brings_in_the_articles_of_its_sitemaps_newest_first(site, tmp_path):
    assert load(tmp_path / "one.db", site.url("/sitemap.xml"), "--limit", "1").exit_code == 0
    assert list(articles(tmp_path / "one.db")) == [site.url("/news/bridge-closures.html")]
    assert load(tmp_path / "all.db", site.url("/sitemap.xml")).exit_code == 0
    assert len(articles(tmp_path / "all.db")) == 4  # three from the news sitemap, one from the pages one


def test_loading_the_same_feed_again_changes_nothing_and_asks_only_if_it_changed(site, tmp_path):
    db = tmp_path / "f.db"
    load(db, site.url("/feed.xml"))
    before = dump(db)
    etag = next(hit for hit in site.hits("/feed.xml")).headers.get("if-none-match")
    assert etag is None  # the first time there is nothing to compare with
    site.log.clear()

    result = load(db, site.url("/feed.xml"))

    assert result.exit_code == 0, result.output
    assert dump(db) == before
    (poll,) = site.hits()  # the feed alone: none of its articles is asked for again
    assert (poll.path, poll.status) == ("/feed.xml", 304)
    assert poll.headers["if-none-match"].startswith('"') and poll.headers["if-modified-since"]


def test_a_feed_that_changed_brings_only_what_is_new(site, tmp_path):
    db = tmp_path / "f.db"
    load(db, site.url("/feed.xml"))
    site.files["/feed.xml"] = "feed-updated.xml"  # a week later: one new item on top
    site.log.clear()

    result = load(db, site.url("/feed.xml"))

    assert result.stdout.splitlines()[-1].startswith("articles: 1 new, 0 updated, 3 unchanged;")
    assert requested(site) == ["/feed.xml", "/news/bridge-closures.html?utm_source=rss&utm_medium=feed"]
    assert site.hits("/feed.xml")[0].status == 200 and "if-none-match" in site.hits("/feed.xml")[0].headers


def test_an_article_whose_page_changed_is_updated_and_keeps_its_reviews(site, tmp_path):
    db_path = tmp_path / "f.db"
    url = site.url("/news/flood-defences.html")
    load(db_path, url)
    db = sqlite_utils.Database(db_path)
    (kept,) = db.query("SELECT id, version FROM claims WHERE text LIKE '%340 homes%'")
    (gone,) = db.query("SELECT id, version FROM claims WHERE text LIKE '%£30 million%'")
    db["claims"].update(kept["id"], {"status": "done", "verdict": "true", "note": "council minutes", "version": 1})
    db["claims"].update(gone["id"], {"status": "in_progress", "note": "asked the opposition", "version": 1})
    page = site.page("news/flood-defences.html")
    site.texts["/news/flood-defences.html"] = page.replace(
        "<p>Opposition councillors said the plan did not go far enough and that £30 million would be needed to "
        "protect the whole valley.</p>",
        "<p>The council will publish the detailed plans in March.</p>",
    )
    site.log.clear()

    result = load(db_path, url)

    assert result.stdout.splitlines()[-1].startswith("articles: 0 new, 1 updated, 0 unchanged;")
    assert site.hits("/news/flood-defences.html")[0].headers["if-none-match"]  # asked conditionally, got 200
    assert (
        db["articles"].count == 1 and "detailed plans in March" in db["articles"].get(web_articles.web_id(url))["body"]
    )
    assert (db["claims"].get(kept["id"])["verdict"], db["claims"].get(kept["id"])["superseded_at"]) == ("true", None)
    vanished = db["claims"].get(gone["id"])
    assert vanished["superseded_at"] is not None and vanished["note"] == "asked the opposition"
    check_integrity(db_path)


def test_every_bad_case_gets_its_line_and_the_rest_still_loads(site, tmp_path):
    site.slow_seconds = 5
    unreachable = closed_port_url("/news/x.html")
    bad = {
        unreachable: "cannot reach host 127.0.0.1:",
        site.url("/no-such-story.html"): "not found (HTTP 404)",
        site.url("/gone"): "gone (HTTP 410)",
        site.url("/news/storm-video.html"): "no article text in the page",
        site.url("/chart.png"): "not an HTML page, a feed or a sitemap (it is image/png)",
        site.url("/huge.html"): "too large: over the 1 MB limit for one page",
        site.url("/loop/a"): "redirect loop (/loop/a -> /loop/b -> /loop/a)",
        site.url("/broken-feed.xml"): "malformed feed (not well-formed (invalid token) at line 6)",
        site.url("/private/embargoed.html"): "does not allow datasette-factcheck to fetch it",
        site.url("/slow"): "within 0.5 s (timed out)",
    }
    good = site.url("/news/bridge-closures.html")
    result = load(tmp_path / "f.db", *bad, good, options=[*QUICK, "--timeout", "0.5"])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == len(bad), errors
    for (url, reason), line in zip(bad.items(), errors, strict=True):
        assert line.startswith(f"error: {url}: ") and reason in line, line
    assert list(articles(tmp_path / "f.db")) == [good]
    assert result.stdout.splitlines()[-1].endswith(f"files failed: {len(bad)}")


def test_a_listed_page_that_fails_says_which_listing_named_it_and_the_listing_is_asked_again(site, tmp_path):
    feed = site.page("feed.xml").replace("/news/hospital-waiting-list.html", "/news/withdrawn.html")
    site.texts["/feed.xml"] = feed
    first = load(tmp_path / "f.db", site.url("/feed.xml"))
    assert first.stderr.splitlines() == [
        f"error: {site.url('/news/withdrawn.html?utm_source=rss&utm_medium=feed')}: not found (HTTP 404) "
        f"(listed in {site.url('/feed.xml')})"]  # fmt: skip
    site.log.clear()
    load(tmp_path / "f.db", site.url("/feed.xml"))
    # Not remembered, so not skipped: the failed entry is tried again, the loaded ones are not.
    assert "if-none-match" not in site.hits("/feed.xml")[0].headers
    assert requested(site) == ["/feed.xml", "/news/withdrawn.html?utm_source=rss&utm_medium=feed"]


def test_a_saved_page_and_the_same_page_fetched_are_one_article(site, tmp_path):
    saved = tmp_path / "saved" / "flood.html"
    saved.parent.mkdir()
    saved.write_text(site.page("news/flood-defences.html"))
    assert load(tmp_path / "f.db", saved.parent).exit_code == 0
    result = load(tmp_path / "f.db", site.url("/news/flood-defences.html?utm_source=twitter"))
    assert result.stdout.splitlines()[-1].startswith("articles: 0 new, 0 updated, 1 unchanged;")
    (stored,) = articles(tmp_path / "f.db").values()
    assert stored["id"] == web_articles.web_id(site.url("/news/flood-defences.html"))


def test_files_and_urls_in_one_load_share_one_summary(site, tmp_path):
    result = load(tmp_path / "f.db", str(SEEDS), site.url("/atom.xml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("articles: 4 new, 0 updated, 0 unchanged;")


def test_an_article_reached_twice_in_one_load_is_loaded_once(site, tmp_path):
    # The feed and the sitemap both list it, spelled differently: no duplicate-id error.
    result = load(tmp_path / "f.db", site.url("/feed.xml"), site.url("/sitemap-news.xml"))
    assert result.exit_code == 0, result.output
    assert len(articles(tmp_path / "f.db")) == 4
    assert len(site.hits("/news/flood-defences.html?utm_source=rss&utm_medium=feed")) == 1
    assert site.hits("/news/flood-defences.html") == []


def test_the_progress_covers_fetching_and_loading_and_ends_full(site, tmp_path):
    steps = {"total": 0, "done": 0}
    progress = WebProgress(grow=lambda n: steps.__setitem__("total", steps["total"] + n),
                           advance=lambda n: steps.__setitem__("done", steps["done"] + n))  # fmt: skip
    loader = Loader(sqlite_utils.Database(tmp_path / "f.db"), workers=1)
    urls = [site.url("/sitemap.xml"), site.url("/feed.xml"), site.url("/gone")]
    summary, _ = load_urls(loader, urls, Fetcher(FetchOptions(allow_private=True, delay=0)), progress=progress)
    assert summary.articles_new == 4
    # Two steps a page, one to fetch it and one to load it; listings add their pages as they are read.
    assert steps == {"total": 2 * (3 + 2 + 4 + 3), "done": 2 * (3 + 2 + 4 + 3)}


def test_load_help_names_urls_and_the_politeness_options():
    result = CliRunner().invoke(cli, ["factcheck", "load", "--help"])
    for option in ("--limit", "--per-host", "--delay", "--timeout", "--max-bytes", "--retries", "PATH_OR_URL"):
        assert option in result.output


@pytest.mark.parametrize("module", [fetch, fetch_answer, web_articles, ingest_web, add_jobs])
def test_the_web_modules_import_neither_datasette_nor_click(module):
    source = Path(module.__file__).read_text()
    assert not re.search(r"^\s*(import|from)\s+(datasette|click)\b", source, re.M)
