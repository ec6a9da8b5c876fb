"""Who may read the desk with the shipped datasette.yaml: nobody without a
login. A stranger is sent to the login page for pages and refused for data;
a viewer reads everything and changes nothing; the home page leads an editor
to the queue in one click. Opening a public view is an opt-in (README).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
import pytest_asyncio
from datasette_auth_passwords.utils import hash_password

from support.helpers import cookies, make_datasette, shipped_config
from support.webtools import ALICE, MALLORY, VERA, claim_id_like, claim_url, dump, read, save

SECRET_NOTE = "desk-only note 7f3a"
PASSWORD = "a viewer's password"


@pytest_asyncio.fixture
async def desk(db_path):
    """The shipped config over the seeds, with one claim carrying a note, an
    assignee and a history entry (what a stranger must never read)."""
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, "97 NATO special operations")
    response = await save(ds, ALICE, cid, {"note": SECRET_NOTE, "assignee": "alice", "status": "in_progress"})
    assert response.status_code == 200
    return ds, cid


def _pages(cid: str) -> list[str]:
    return [
        "/",
        "/factcheck",
        "/factcheck/-/factcheck",
        claim_url(cid),
        "/factcheck/-/factcheck/dashboard",
        "/factcheck/claims",
        f"/factcheck/claims/{cid}",
        "/factcheck/claim_events",
        "/factcheck/articles",
    ]


def _data(cid: str) -> list[str]:
    return [
        "/factcheck/-/factcheck.json",
        claim_url(cid) + ".json",
        "/factcheck/-/factcheck/dashboard.json",
        "/factcheck/-/factcheck/export.csv?status=all",
        "/factcheck/-/factcheck/claimreview.json",
        "/factcheck/claims.json?_col=note",
        "/factcheck/claims.csv",
        f"/factcheck/claims/{cid}.json",
        "/factcheck/claim_events.json",
        "/factcheck/-/query.json?sql=select+note+from+claims",
    ]


@pytest.mark.asyncio
async def test_a_stranger_is_sent_to_log_in_for_every_page(desk):
    ds, cid = desk
    for path in _pages(cid):
        response = await ds.client.get(path)
        back = "" if path == "/" else f"?next={quote(path, safe='/')}"  # brought back there after logging in
        assert (response.status_code, response.headers.get("location")) == (302, f"/-/login{back}"), path
        assert SECRET_NOTE not in response.text, path
    login = await ds.client.get("/-/login")
    assert login.status_code == 200 and "Log in" in login.text


@pytest.mark.asyncio
async def test_a_used_root_link_says_so_instead_of_asking_for_a_login(desk):
    ds, _ = desk
    first = await ds.client.get(f"/-/auth-token?token={ds._root_token}")
    assert first.status_code == 302 and "ds_actor" in first.cookies
    again = await ds.client.get("/-/auth-token?token=anything")
    assert again.status_code == 403 and "Root token has already been used" in again.text


@pytest.mark.asyncio
async def test_a_stranger_is_refused_every_piece_of_data(desk):
    ds, cid = desk
    for path in _data(cid):
        response = await ds.client.get(path)
        assert response.status_code == 403, (path, response.status_code)
        assert SECRET_NOTE not in response.text and "alice" not in response.text, path


@pytest.mark.asyncio
async def test_a_logged_in_actor_without_a_role_gets_a_403_not_the_login_page(desk):
    ds, cid = desk
    for path in _pages(cid):
        response = await read(ds, path, MALLORY)
        assert response.status_code == 403, path
        assert SECRET_NOTE not in response.text, path


@pytest.mark.asyncio
async def test_a_viewer_reads_every_page_and_piece_of_data(desk):
    ds, cid = desk
    for path in _pages(cid) + _data(cid):
        response = await read(ds, path)
        assert response.status_code == 200, (path, response.status_code)
    assert SECRET_NOTE in (await read(ds, "/factcheck/claims.json?_col=note")).text
    page = (await read(ds, claim_url(cid))).text
    assert SECRET_NOTE in page
    assert 'class="fc-review-form"' not in page
    assert "You can read this review; only editors can change it." in page


@pytest.mark.asyncio
async def test_a_viewer_changes_nothing(desk, db_path):
    ds, cid = desk
    before = dump(db_path)
    as_viewer = cookies(ds, VERA)
    attempts = [
        await ds.client.post(claim_url(cid), json={"note": "viewer"}, cookies=as_viewer),
        await ds.client.post(claim_url(cid), data={"note": "viewer"}, cookies=as_viewer),
        await ds.client.post(
            "/factcheck/-/factcheck/bulk", json={"ids": [cid], "set": {"status": "done"}}, cookies=as_viewer
        ),
        await ds.client.post(
            f"/factcheck/claims/{cid}/-/update", json={"update": {"note": "viewer"}}, cookies=as_viewer
        ),
    ]
    assert [response.status_code for response in attempts] == [403, 403, 403, 403]
    assert "you do not have permission to review claims" in attempts[0].json()["error"]
    queue = (await read(ds, "/factcheck/-/factcheck")).text
    assert "fc-bulk-form" not in queue and 'name="ids"' not in queue
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_the_viewer_account_logs_in_from_the_shipped_config(db_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_VIEWER_PASSWORD_HASH", hash_password(PASSWORD))
    ds = await make_datasette(db_path)
    refused = await ds.client.post("/-/login", data={"username": "viewer", "password": "wrong"})
    assert "Invalid username or password" in refused.text
    response = await ds.client.post("/-/login", data={"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302
    actor = ds.unsign(response.cookies["ds_actor"], "actor")["a"]
    assert actor == {"id": "viewer", "name": "Viewer", "roles": ["viewer"]}
    queue = await ds.client.get("/factcheck/-/factcheck", cookies={"ds_actor": response.cookies["ds_actor"]})
    assert queue.status_code == 200 and "fc-bulk-form" not in queue.text


@pytest.mark.asyncio
async def test_home_page_leads_to_the_queue_with_its_work_views(desk):
    ds, _ = desk
    page = (await read(ds, "/", ALICE)).text
    assert '<a class="fc-home-queue" href="/factcheck/-/factcheck">Open the triage queue</a>' in page
    # Alice holds the claim she assigned herself: "Mine" counts it.
    assert (
        'href="/factcheck/-/factcheck?status=unreviewed&amp;status=in_progress&amp;status=needs_second_review'
        '&amp;assignee=alice">Mine <span class="fc-view-count">1</span>' in page
    )
    assert "Mine <span" not in (await read(ds, "/", None)).text  # a stranger is not even shown the page


@pytest.mark.asyncio
async def test_a_public_view_is_an_opt_in_and_its_read_only_page_links_the_login(db_path):
    config = shipped_config()
    del config["allow"]  # what README's "open a read-only public view" does
    ds = await make_datasette(db_path, config=config)
    cid = claim_id_like(db_path, "97 NATO special operations")
    page = await ds.client.get(claim_url(cid))
    assert page.status_code == 200
    assert 'You can read this review; editors <a href="/-/login">log in</a> to change it.' in page.text
    assert (await ds.client.post(claim_url(cid), json={"note": "x"})).status_code == 403
