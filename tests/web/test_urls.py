"""The desk's one URL builder (web/urls.py) and its one view decorator
(web/toolkit.desk_view), against a real Datasette serving a copy of the seeded
database: base_url honoured, a database of any name reached by its
tilde-encoded route, claim ids quoted one way and read back, and the
decorator's 404, 403, JSON and HTML answers."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from urllib.parse import quote

import pytest
from datasette import Forbidden, NotFound, Response
from datasette.app import Datasette
from datasette.utils import PrefixedUrlString
from datasette.utils.asgi import Request

from datasette_factcheck.web.toolkit import SECURITY_HEADERS, desk_view
from datasette_factcheck.web.urls import DeskUrls, with_query
from support.helpers import cookies, make_datasette, shipped_config
from support.webtools import ALICE, MALLORY, ROOT_ACTOR, VERA


def _first_claim_id(ds: Datasette, name: str) -> str:
    conn = ds.get_database(name).connect()
    try:
        return conn.execute("SELECT id FROM claims ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.asyncio
async def test_every_address_of_the_desk_from_one_builder(db_path):
    urls = DeskUrls(await make_datasette(db_path))
    assert urls.queue("factcheck") == "/factcheck/-/factcheck"
    assert urls.queue("factcheck", "status=done&verdict=false", "json") == (
        "/factcheck/-/factcheck.json?status=done&verdict=false"
    )
    assert urls.queue("factcheck", checked="yes", assignee=None) == "/factcheck/-/factcheck?checked=yes"
    assert urls.claim("factcheck", "1f3a") == "/factcheck/-/factcheck/claims/1f3a"
    assert urls.claim("factcheck", "1f3a", "status=all", "json") == "/factcheck/-/factcheck/claims/1f3a.json?status=all"
    # Slashes, spaces, "?", "#" and "~" in an id stay inside its path segment, tilde-encoded as Datasette's rows are.
    assert urls.claim("factcheck", "a/b c?#~+") == "/factcheck/-/factcheck/claims/a~2Fb+c~3F~23~7E~2B"
    assert urls.claims("factcheck") + "{id}" == "/factcheck/-/factcheck/claims/{id}"
    assert urls.bulk("factcheck") == "/factcheck/-/factcheck/bulk"
    assert urls.dashboard("factcheck", "json") == "/factcheck/-/factcheck/dashboard.json"
    assert urls.add("factcheck", format="json", job="j 1") == "/factcheck/-/factcheck/add.json?job=j+1"
    assert urls.factchecks("factcheck", "q=a%20b") == "/factcheck/-/factcheck/factchecks?q=a%20b"
    assert urls.export_csv("factcheck", "status=done", bom="1") == "/factcheck/-/factcheck/export.csv?status=done&bom=1"
    assert urls.claimreview("factcheck") == "/factcheck/-/factcheck/claimreview.json"
    with pytest.raises(ValueError, match="page must be one of bulk, dashboard, add, factchecks"):
        urls.page("factcheck", "settings")


def test_a_query_is_kept_as_given_and_parameters_are_encoded():
    assert with_query("/p") == "/p"
    assert with_query("/p", "") == "/p"
    assert with_query("/p", {"status": ["done", "false"], "q": None}) == "/p?status=done&status=false"
    assert with_query("/p", "a=1", b="x y&z") == "/p?a=1&b=x+y%26z"


@pytest.mark.asyncio
async def test_base_url_is_honoured_in_the_builder_and_the_pages_links(db_path):
    ds = Datasette([str(db_path)], config=shipped_config(), settings={"base_url": "/news/"})
    ds.root_enabled = True
    await ds.invoke_startup()
    urls = DeskUrls(ds)
    assert urls.queue("factcheck") == "/news/factcheck/-/factcheck"
    cid = _first_claim_id(ds, "factcheck")
    assert urls.claim("factcheck", cid) == f"/news/factcheck/-/factcheck/claims/{cid}"
    page = await ds.client.get(PrefixedUrlString(urls.queue("factcheck")), cookies=cookies(ds, ROOT_ACTOR))
    assert page.status_code == 200
    links = set(re.findall(r'href="(/[^"?#]*-/factcheck[^"?#]*)', page.text))
    assert links and all(link.startswith("/news/factcheck/-/factcheck") for link in links)
    assert "/news/factcheck/-/factcheck/dashboard" in links and "/news/factcheck/-/factcheck/export.csv" in links
    claim_link = next(link for link in links if "/claims/" in link)
    opened = await ds.client.get(PrefixedUrlString(claim_link), cookies=cookies(ds, ROOT_ACTOR))
    assert opened.status_code == 200 and "Review claim" in opened.text


@pytest.mark.asyncio
async def test_a_database_whose_name_needs_encoding_is_reached_by_every_built_address(tmp_path, seeded_db_path):
    shutil.copy(seeded_db_path, tmp_path / "my.desk.db")
    ds = await make_datasette(tmp_path / "my.desk.db")
    urls, me = DeskUrls(ds), cookies(ds, ROOT_ACTOR)
    assert urls.queue("my.desk") == "/my~2Edesk/-/factcheck"  # Datasette's own tilde encoding
    cid = _first_claim_id(ds, "my.desk")
    for path in (
        urls.queue("my.desk"),
        urls.queue("my.desk", format="json"),
        urls.claim("my.desk", cid),
        urls.claim("my.desk", cid, format="json"),
        urls.dashboard("my.desk"),
        urls.factchecks("my.desk", format="json"),
        urls.export_csv("my.desk"),
    ):
        response = await ds.client.get(PrefixedUrlString(path), cookies=me)
        assert response.status_code == 200, path
    # The name as it is, as the views built it before, still opens the desk.
    assert (await ds.client.get("/my.desk/-/factcheck.json", cookies=me)).json()["ok"] is True
    # The row action on Datasette's own claims table leads to the same claim page.
    row = await ds.client.get(f"/my~2Edesk/claims/{cid}", cookies=me)
    assert urls.claim("my.desk", cid) in row.text


@pytest.mark.asyncio
async def test_a_claim_id_is_read_back_from_its_encoded_path_segment(db_path):
    ds = await make_datasette(db_path)
    root = cookies(ds, ROOT_ACTOR)
    cid = _first_claim_id(ds, "factcheck")
    every_char_escaped = "".join(f"~{ord(char):02X}" for char in cid)
    response = await ds.client.get(f"/factcheck/-/factcheck/claims/{every_char_escaped}.json", cookies=root)
    assert response.status_code == 200
    assert response.json()["claim"]["id"] == cid
    urls = DeskUrls(ds)
    missing = await ds.client.get(PrefixedUrlString(urls.claim("factcheck", "no/such id")), cookies=root)
    assert missing.status_code == 404 and "No claim with id no/such id" in missing.text
    # A percent-encoded link (a hand-made one) is sent by Datasette to the same tilde-encoded address.
    redirected = await ds.client.get(f"/factcheck/-/factcheck/claims/{quote('no/such id', safe='')}", cookies=root)
    assert redirected.status_code == 302
    followed = await ds.client.get(redirected.headers["location"], cookies=root)
    assert followed.status_code == 404 and "No claim with id no/such id" in followed.text


# --- the decorator ------------------------------------------------------------------------


@desk_view("factcheck_factchecks.html", html=lambda request, datasette, db, data: _with_total(data))
async def _listing(request: Request, datasette: Datasette, db) -> dict | Response:
    if request.args.get("raw"):
        return Response.text("as it is", status=202)
    return {"q": "", "factchecks": [], "seen": db.name}


async def _with_total(data: dict) -> dict:
    return {**data, "total": 0}


@desk_view(check_view=False, action=("factcheck-review", "you may not review here"))
async def _review_only(request: Request, datasette: Datasette, db) -> dict:
    return {"database_seen": db.name}


def _request(path: str, actor: dict | None, database: str = "factcheck") -> Request:
    request = Request.fake(path, url_vars={"database": database})
    request.scope["actor"] = actor
    return request


@pytest.mark.asyncio
async def test_the_decorator_answers_json_html_or_the_views_own_response(db_path):
    ds = await make_datasette(db_path)
    as_json = await _listing(_request("/factcheck/-/factcheck/x?_format=json", VERA), ds)
    assert as_json.status == 200 and as_json.headers["X-Frame-Options"] == SECURITY_HEADERS["X-Frame-Options"]
    assert json.loads(as_json.body) == {"ok": True, "q": "", "factchecks": [], "seen": "factcheck"}
    page = await _listing(_request("/factcheck/-/factcheck/x", VERA), ds)
    assert page.status == 200 and page.content_type.startswith("text/html")
    assert "Published fact-checks" in page.body and 'href="/factcheck/-/factcheck/dashboard"' in page.body
    raw = await _listing(_request("/factcheck/-/factcheck/x?raw=1", VERA), ds)
    assert (raw.status, raw.body) == (202, "as it is")
    assert set(SECURITY_HEADERS) <= set(raw.headers)


@pytest.mark.asyncio
async def test_the_decorator_refuses_with_404_and_403(db_path, tmp_path):
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    ds = await make_datasette(db_path, plain)
    with pytest.raises(NotFound, match="Database not found: nowhere"):
        await _listing(_request("/nowhere/-/factcheck/x", VERA, "nowhere"), ds)
    with pytest.raises(NotFound, match="Database plain has no claims"):
        await _listing(_request("/plain/-/factcheck/x", ROOT_ACTOR, "plain"), ds)
    with pytest.raises(Forbidden):
        await _listing(_request("/factcheck/-/factcheck/x", MALLORY), ds)
    # The action's own refusal, and a reviewer let through without the view check.
    with pytest.raises(Forbidden, match="you may not review here"):
        await _review_only(_request("/factcheck/-/factcheck/y", VERA), ds)
    allowed = await _review_only(_request("/factcheck/-/factcheck/y", ALICE), ds)
    assert allowed.status == 200 and json.loads(allowed.body) == {"ok": True, "database_seen": "factcheck"}
