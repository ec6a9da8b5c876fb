"""The Add page under load and hostile input (issue 22, items 2 and 4): jobs on their own
threads, a cap on what waits, bodies of the wrong type, and a paste that must not rewrite a
stored article. Pages come from the news site on 127.0.0.1 (fixture_site.py)."""

from __future__ import annotations

import asyncio

import pytest
import sqlite_utils
from test_add_page import ADD, EDITOR, OTHER_EDITOR, TEXT, add_urls, config, finished, submit

from conftest import cookies, make_datasette
from datasette_factcheck.web import add
from fixture_site import news_site

site = pytest.fixture(news_site, name="site")


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["title", "text", "url"])
@pytest.mark.parametrize("value", [{"a": 1}, ["x", "y"], 42, True])
async def test_a_json_field_that_is_not_text_is_a_400_naming_it(db_path, name, value):
    ds = await make_datasette(db_path, config=config())
    body = {"title": "Airfield homes", "text": TEXT, "url": "https://news.example/airfield", name: value}
    answer = await submit(ds, EDITOR, json=body)
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(f"{name} must be text, not ")


@pytest.mark.asyncio
async def test_a_paste_never_rewrites_the_article_stored_at_its_url(site, db_path):
    ds = await make_datasette(db_path, config=config())
    url = site.url("/news/flood-defences.html")
    fetched = await add_urls(ds, EDITOR, url)
    article_id = fetched["results"][0]["articles"][0]["id"]
    db = sqlite_utils.Database(db_path)
    before = db.execute("SELECT title, body, content_hash FROM articles WHERE id = ?", [article_id]).fetchone()

    answer = await submit(ds, EDITOR, json={"title": "Taken over", "text": TEXT, "url": url})
    job = await finished(ds, EDITOR, answer.json()["job"]["id"])
    [result] = job["results"]
    assert not result["ok"] and "already stored and is kept as it is" in result["line"]
    assert [(a["id"], a["status"]) for a in result["articles"]] == [(article_id, "kept")]
    assert result["articles"][0]["queue_url"].endswith(f"?article={article_id}")
    assert db.execute("SELECT title, body, content_hash FROM articles WHERE id = ?", [article_id]).fetchone() == before

    page = await ds.client.get(f"{ADD}?job={job['id']}", cookies=cookies(ds, EDITOR))
    assert "already stored" in page.text and f"article={article_id}" in page.text

    new = await submit(ds, EDITOR, json={"title": "Taken over", "text": TEXT})  # without the URL: a new article
    assert (await finished(ds, EDITOR, new.json()["job"]["id"]))["results"][0]["articles"][0]["status"] == "new"
    assert db.execute("SELECT title FROM articles WHERE id = ?", [article_id]).fetchone() == before[:1]


async def _holding(news, count: int = 1) -> None:
    """Until ``count`` requests wait on the site's /hold page (a job is running and stuck)."""
    for _ in range(400):
        if news.holding >= count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError("no job reached the held page")


@pytest.mark.asyncio
async def test_waiting_jobs_are_capped_per_editor_and_in_all(site, db_path, monkeypatch):
    monkeypatch.setattr(add, "MAX_WAITING_PER_EDITOR", 2)
    monkeypatch.setattr(add, "MAX_WAITING", 3)
    ds = await make_datasette(db_path, config=config())
    held = {"urls": [site.url("/hold")]}
    try:
        assert (await submit(ds, EDITOR, json=held)).status_code == 202
        await _holding(site)
        assert (await submit(ds, EDITOR, json=held)).status_code == 202
        third = await submit(ds, EDITOR, json=held)
        assert third.status_code == 429
        assert third.json()["error"] == "2 jobs already waiting for you; add more when one has finished"
        form = await submit(ds, EDITOR, data={"urls": site.url("/hold")})
        assert form.status_code == 429 and "2 jobs already waiting" in form.text
        assert (await submit(ds, OTHER_EDITOR, json=held)).status_code == 202
        everyone = await submit(ds, {"id": "carol", "roles": ["editor"]}, json=held)
        assert everyone.status_code == 429 and everyone.json()["error"].startswith("3 jobs already waiting;")
    finally:
        site.release.set()
    for job in list(add._jobs.values()):
        await finished(ds, job.actor and {"id": job.actor, "roles": ["editor"]}, job.id)


@pytest.mark.asyncio
async def test_the_desk_answers_while_jobs_wait_on_a_stuck_site(site, db_path, monkeypatch):
    monkeypatch.setattr(add, "MAX_WAITING_PER_EDITOR", 10)
    ds = await make_datasette(db_path, config=config())
    try:
        for _ in range(8):  # more than the threads Datasette's default executor has on a small machine
            assert (await submit(ds, EDITOR, json={"urls": [site.url("/hold")]})).status_code == 202
        await _holding(site)
        static = await asyncio.wait_for(ds.client.get("/-/static/app.css"), 20)  # a hang guard, not a timing
        assert static.status_code == 200
        queue = await asyncio.wait_for(ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, EDITOR)), 20)
        assert queue.status_code == 200
        assert site.holding == 1  # one job at a time: the others wait on the jobs' own thread
    finally:
        site.release.set()
