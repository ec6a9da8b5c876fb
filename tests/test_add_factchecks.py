"""The Add page takes published fact-checks too (``kind``: "factchecks"): a pasted URL of a
fact-check page, feed or sitemap is imported as import-factchecks imports it, through the
same guarded Fetcher; and claims added on the page as articles are matched after they are
written, as load matches them. Pages come from the news site on 127.0.0.1 (fixture_site.py).
"""

from __future__ import annotations

import sqlite3

import pytest
import test_add_page as add_page
from test_add_page import ADD, EDITOR, config, finished, submit

from conftest import cookies, make_datasette
from fixture_site import news_site

site = pytest.fixture(news_site, name="site")
db_copy = add_page.db_copy  # the Add page tests' fixture: a copy of the seeded database

TROOPS = "British soldiers have secretly been on the ground in Ukraine throughout the war."
MACRON = "Emmanuel Macron said France would not rule out sending troops to Ukraine."
INTERFLEX = "Britain has trained more than 42,000 Ukrainian soldiers on its own soil since 2022."
# A fact-check page on what the fixture article /news/uk-troops-ukraine.html repeats.
INTERFLEX_PAGE = (
    '<!doctype html><html><head><script type="application/ld+json">{"@context": "https://schema.org", '
    '"@type": "ClaimReview", "url": "@BASE@/factchecks/interflex.html", "claimReviewed": "' + INTERFLEX + '", '
    '"author": {"@type": "Organization", "name": "Ledger Checks"}, "datePublished": "2024-11-02", '
    '"reviewRating": {"@type": "Rating", "alternateName": "True"}}</script></head><body></body></html>'
)


async def add(ds, body: dict) -> dict:
    answer = await submit(ds, EDITOR, json=body)
    assert answer.status_code == 202, answer.text
    return await finished(ds, EDITOR, answer.json()["job"]["id"])


def rows(db, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.mark.asyncio
async def test_a_sitemap_and_a_feed_of_fact_checks_are_imported_and_match_the_claims_that_repeat_them(site, db_copy):
    ds = await make_datasette(db_copy, config=config())
    job = await add(
        ds, {"kind": "factchecks", "urls": [site.url("/sitemap-factchecks.xml"), site.url("/factchecks/feed.json")]}
    )
    assert job["state"] == "done" and job["kind"] == "factchecks"
    sitemap, feed = job["results"]
    assert (sitemap["ok"], sitemap["factchecks"]) == (True, 2)
    assert sitemap["line"] == "fact-checks: 2 new, 0 updated, 0 unchanged; 1 bad records; 1 sources failed"
    assert sitemap["problems"] == [f"{site.url('/factchecks/none.html')}: no ClaimReview JSON-LD on the page"]
    assert (feed["ok"], feed["factchecks"], feed["articles"]) == (True, 2, [])
    stored = dict(rows(db_copy, "SELECT claim, publisher || ' / ' || rating FROM factchecks"))
    assert stored[TROOPS] == "Ledger Checks / Missing context"
    assert "Drinking hot water cures the flu." in stored
    # no article was added: fact-checks are not news to check
    assert rows(db_copy, "SELECT count(*) FROM articles WHERE url LIKE ?", (site.url("/%"),)) == [(0,)]
    # the seed claim on Macron and troops is now matched to the published check
    matched = rows(
        db_copy,
        "SELECT c.text FROM claim_matches m JOIN claims c ON c.id = m.claim_id "
        "JOIN factchecks f ON f.id = m.factcheck_id WHERE f.claim = ?",
        (MACRON,),
    )
    assert any("Macron" in text for (text,) in matched), matched
    page = await ds.client.get(f"{ADD}?job={job['id']}", cookies=cookies(ds, EDITOR))
    assert "fact-checks: 2 new" in page.text and 'href="/factcheck/-/factcheck/factchecks"' in page.text
    # the same URL again: unchanged, nothing rewritten
    again = await add(ds, {"kind": "factchecks", "urls": [site.url("/factchecks/troops.html")]})
    assert again["results"][0]["line"] == "fact-checks: 0 new, 0 updated, 1 unchanged; 0 bad records"


@pytest.mark.asyncio
async def test_a_form_with_the_fact_checks_choice_imports_a_page_and_a_bad_one_gets_its_line(site, db_copy):
    ds = await make_datasette(db_copy, config=config())
    form = {"kind": "factchecks", "urls": f"{site.url('/factchecks/troops.html')}\n{site.url('/factchecks/none.html')}"}
    posted = await submit(ds, EDITOR, data=form)
    assert posted.status_code == 302
    job = await finished(ds, EDITOR, posted.headers["location"].split("job=")[1])
    troops, none = job["results"]
    assert (troops["ok"], troops["factchecks"]) == (True, 1)
    assert (none["ok"], none["line"]) == (False, "no ClaimReview JSON-LD on the page")
    assert rows(db_copy, "SELECT url FROM factchecks") == [(site.url("/factchecks/troops.html"),)]


@pytest.mark.asyncio
async def test_the_add_page_says_how_to_choose_between_articles_and_fact_checks(db_copy):
    ds = await make_datasette(db_copy, config=config())
    page = await ds.client.get(ADD, cookies=cookies(ds, EDITOR))
    assert 'name="kind" value="articles" checked' in page.text
    assert 'name="kind" value="factchecks"' in page.text and "ClaimReview" in page.text


@pytest.mark.asyncio
async def test_claims_added_as_articles_are_matched_after_they_are_written(site, db_copy):
    ds = await make_datasette(db_copy, config=config())
    site.texts["/factchecks/interflex.html"] = INTERFLEX_PAGE.replace("@BASE@", site.base)
    await add(ds, {"kind": "factchecks", "urls": [site.url("/factchecks/interflex.html")]})
    job = await add(ds, {"urls": [site.url("/news/uk-troops-ukraine.html")]})
    assert job["state"] == "done" and job["kind"] == "articles"
    article = job["results"][0]["articles"][0]["id"]
    matched = rows(
        db_copy,
        "SELECT c.text FROM claim_matches m JOIN claims c ON c.id = m.claim_id "
        "JOIN factchecks f ON f.id = m.factcheck_id WHERE c.article_id = ? AND f.claim = ? AND m.rank = 1",
        (article, INTERFLEX),
    )
    assert any(text.startswith("Britain has already trained more than 42,000") for (text,) in matched), matched
    assert job["checked_before"] >= len(matched)
    page = await ds.client.get(f"{ADD}?job={job['id']}", cookies=cookies(ds, EDITOR))
    assert "checked before" in page.text and 'href="/factcheck/-/factcheck?checked=yes"' in page.text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body, message",
    [
        (
            {"kind": "claims", "urls": ["https://example.org/a"]},
            "kind must be one of articles, factchecks (got 'claims')",
        ),
        ({"kind": ["factchecks"], "urls": ["https://example.org/a"]}, "kind must be text, not a list"),
        (
            {"kind": "factchecks", "title": "T", "text": "Some text."},
            "a pasted text is added as an article: choose articles, or paste the fact-check's URL",
        ),
    ],
)
async def test_a_bad_kind_is_refused_in_one_line(db_copy, body, message):
    ds = await make_datasette(db_copy, config=config())
    answer = await submit(ds, EDITOR, json=body)
    assert answer.status_code == 400
    assert answer.json()["error"] == message


@pytest.mark.asyncio
async def test_fact_check_urls_go_through_the_guard_unless_the_config_allows_private_addresses(site, db_copy):
    guarded = config()
    guarded["plugins"]["datasette-factcheck"]["fetch"]["allow_private"] = False
    ds = await make_datasette(db_copy, config=guarded)
    job = await add(ds, {"kind": "factchecks", "urls": [site.url("/factchecks/troops.html")]})
    (result,) = job["results"]
    assert result["ok"] is False and "refused, private address" in result["line"]
    assert site.hits() == [] and rows(db_copy, "SELECT count(*) FROM factchecks") == [(0,)]
