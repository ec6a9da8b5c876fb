"""The Add page, ``/<db>/-/factcheck/add``: editors paste URLs or an article's text, the load
runs in the background, the page shows its progress and one line per URL with links to the
new articles' claims. Pages come from the news site on 127.0.0.1 (fixture_site.py).

Datasette runs with the shipped datasette.yaml (factcheck-load for root and editors), with
no delay between requests to the one test host.
"""

from __future__ import annotations

import pytest
import sqlite_utils
from datasette.database import Database

from datasette_factcheck.ingest.pages import web_id
from datasette_factcheck.load.jobs import MAX_URLS
from support.addtools import ADD, EDITOR, OTHER_EDITOR, TEXT, add_urls, config, finished, submit
from support.helpers import cookies, make_datasette, shipped_config

VIEWER = {"id": "vera", "roles": ["viewer"]}
LOGGED_IN = {"id": "mallory"}  # no role
ROOT = {"id": "root"}


@pytest.mark.asyncio
async def test_an_editor_pastes_two_urls_and_gets_a_line_and_the_claims_of_each(site, db_copy):
    ds = await make_datasette(db_copy, config=config())
    urls = [site.url("/news/flood-defences.html"), site.url("/news/hospital-waiting-list.html")]
    posted = await submit(ds, EDITOR, data={"urls": "\n".join(urls) + "\n", "limit": "10"})
    assert posted.status_code == 302
    job_id = posted.headers["location"].split("job=")[1]

    job = await finished(ds, EDITOR, job_id)

    assert job["state"] == "done" and job["total"] == job["done"] == 4
    assert [(r["input"], r["ok"]) for r in job["results"]] == [(url, True) for url in urls]
    assert all(r["line"].startswith("new article: ") for r in job["results"])
    flood = job["results"][0]["articles"][0]
    assert (flood["id"], flood["status"]) == (web_id(urls[0]), "new") and flood["claims"] > 3
    assert flood["queue_url"] == f"/factcheck/-/factcheck?article={flood['id']}"
    page = await ds.client.get(f"{ADD}?job={job_id}", cookies=cookies(ds, EDITOR))
    assert page.status_code == 200
    assert "Council to spend £12m on flood defences after winter storms" in page.text
    assert f'href="{flood["queue_url"]}"' in page.text and "new article: " in page.text
    queue = await ds.client.get(flood["queue_url"], cookies=cookies(ds, EDITOR))
    assert "340 homes" in queue.text


@pytest.mark.asyncio
async def test_a_feed_and_a_bad_url_each_get_their_line(site, db_copy):
    ds = await make_datasette(db_copy, config=config())
    job = await add_urls(ds, EDITOR, site.url("/feed.xml"), site.url("/gone"), "ftp://example.org/a")
    feed, gone, ftp = job["results"]
    assert (feed["ok"], feed["line"]) == (True, "feed: 3 articles (3 new, 0 updated, 0 unchanged)")
    assert len(feed["articles"]) == 3
    assert (gone["ok"], gone["line"]) == (False, "gone (HTTP 410): the page was removed")
    assert (ftp["ok"], ftp["line"]) == (False, "not an http(s) URL")


@pytest.mark.asyncio
async def test_adding_a_url_again_changes_nothing_and_asks_the_site_conditionally(site, db_copy):
    ds = await make_datasette(db_copy, config=config())
    url = site.url("/news/bridge-closures.html")
    await add_urls(ds, EDITOR, url)
    site.log.clear()
    job = await add_urls(ds, EDITOR, url)
    (result,) = job["results"]
    assert result["line"] == "unchanged since it was last loaded"
    assert result["articles"][0]["status"] == "unchanged"
    (hit,) = site.hits()
    assert hit.status == 304 and hit.headers["if-none-match"]


@pytest.mark.asyncio
async def test_a_pasted_article_loads_once_with_its_title(db_copy):
    ds = await make_datasette(db_copy, config=config())
    body = {"title": "Airfield homes plan approved", "text": TEXT, "url": "https://www.example.org/news/airfield"}
    answer = await submit(ds, EDITOR, json=body)
    job = await finished(ds, EDITOR, answer.json()["job"]["id"])
    (result,) = job["results"]
    assert (result["input"], result["ok"], result["line"]) == (
        "pasted: Airfield homes plan approved",
        True,
        "new article",
    )
    stored = sqlite_utils.Database(db_copy)["articles"].get(web_id(body["url"]))
    assert (stored["title"], stored["url"], stored["source"]) == (
        "Airfield homes plan approved",
        body["url"],
        "pasted on the Add page by alice",
    )
    again = await finished(ds, EDITOR, (await submit(ds, EDITOR, json=body)).json()["job"]["id"])
    assert again["results"][0]["line"] == "unchanged article"


@pytest.mark.asyncio
@pytest.mark.parametrize("actor", [VIEWER, LOGGED_IN])
async def test_a_viewer_or_an_actor_without_a_role_gets_403(db_copy, actor):
    ds = await make_datasette(db_copy, config=config())
    assert (await ds.client.get(ADD, cookies=cookies(ds, actor))).status_code == 403
    assert (await submit(ds, actor, data={"urls": "https://example.org/a"})).status_code == 403
    assert (await submit(ds, actor, json={"urls": ["https://example.org/a"]})).status_code == 403


@pytest.mark.asyncio
async def test_a_stranger_gets_403_and_a_page_sends_them_to_log_in(db_copy):
    ds = await make_datasette(db_copy, config=config())
    assert (await ds.client.post(ADD, json={"urls": ["https://example.org/a"]})).status_code == 403
    assert (await ds.client.post(ADD, data={"urls": "https://example.org/a"})).status_code == 403
    assert (await ds.client.get(f"{ADD}.json?job=x")).status_code == 403
    page = await ds.client.get(ADD)
    assert (page.status_code, page.headers.get("location")) == (302, "/-/login?next=/factcheck/-/factcheck/add")


@pytest.mark.asyncio
@pytest.mark.parametrize("actor", [EDITOR, ROOT])
async def test_root_and_editors_get_the_form(db_copy, actor):
    ds = await make_datasette(db_copy, config=config())
    page = await ds.client.get(ADD, cookies=cookies(ds, actor))
    assert page.status_code == 200
    assert 'name="urls"' in page.text and 'name="title"' in page.text and 'name="text"' in page.text


@pytest.mark.asyncio
async def test_a_job_is_seen_only_by_the_actor_who_started_it(db_copy):
    ds = await make_datasette(db_copy, config=config())
    answer = await submit(ds, EDITOR, json={"title": "Airfield homes plan approved", "text": TEXT})
    job_id = answer.json()["job"]["id"]
    await finished(ds, EDITOR, job_id)
    other = await ds.client.get(f"{ADD}.json?job={job_id}", cookies=cookies(ds, OTHER_EDITOR))
    assert other.status_code == 404


@pytest.mark.asyncio
@pytest.mark.parametrize("body, message", [
    ({}, "paste one or more URLs"),
    ({"urls": "   \n  "}, "paste one or more URLs"),
    ({"urls": [f"https://example.org/{n}" for n in range(MAX_URLS + 1)]}, f"the limit is {MAX_URLS}"),
    ({"urls": ["https://example.org/a"], "limit": 0}, "limit must be a whole number from 1 to"),
    ({"urls": ["https://example.org/a"], "limit": "many"}, "limit must be a whole number"),
    ({"urls": 7}, "urls must be text"),
    ({"title": "Only a title"}, "needs both its title and its text"),
    ({"title": "T", "text": TEXT, "url": "javascript:alert(1)"}, "must be an http(s) address"),
])  # fmt: skip
async def test_a_submission_that_cannot_run_is_a_400_that_says_why(db_copy, body, message):
    ds = await make_datasette(db_copy, config=config())
    answer = await submit(ds, EDITOR, json=body)
    assert answer.status_code == 400 and message in answer.json()["error"]
    form = await submit(ds, EDITOR, data={"urls": "\n".join(f"https://e.org/{n}" for n in range(MAX_URLS + 1))})
    assert form.status_code == 400 and f"the limit is {MAX_URLS}" in form.text and 'name="urls"' in form.text


@pytest.mark.asyncio
async def test_a_database_served_read_only_refuses_to_add(db_copy):
    ds = await make_datasette(config=config())
    ds.add_database(Database(ds, path=str(db_copy), is_mutable=False), name="factcheck")
    answer = await submit(ds, ROOT, json={"title": "Airfield", "text": TEXT})
    assert answer.status_code == 400 and "read-only" in answer.json()["error"]


@pytest.mark.asyncio
async def test_the_add_page_refuses_local_and_private_addresses_by_default(site, db_copy):
    shipped = shipped_config()
    shipped["plugins"]["datasette-factcheck"]["fetch"] = {"delay": 0}
    ds = await make_datasette(db_copy, config=shipped)
    job = await add_urls(ds, EDITOR, site.url("/news/flood-defences.html"), "http://[::1]/admin", "http://10.0.0.8/")
    assert [result["line"] for result in job["results"]] == [
        "refused, private address",
        "refused, private address",
        "refused, private address",
    ]
    assert site.log == []  # not even robots.txt was asked for
