"""Hostile input against the web routes and the exports (issue: security).

Each test reproduces one finding through the public surface (HTTP in-process,
the CLI) and fails without its fix: links only from http(s) URLs, JSON-LD
safe to embed, spreadsheet formulas neutralised, NUL and huge numbers
refused with a 400, revocation honoured at once, pages that render whatever
root's write API left in the tables, and the security headers.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette import hookimpl
from datasette.cli import cli
from datasette.permissions import PermissionSQL

from support.helpers import cookies, make_datasette, registered_plugin
from support.webtools import (
    ALICE,
    CLAIMREVIEW_URL,
    CSV_URL,
    NATO_TEXT,
    QUEUE_URL,
    ROOT_ACTOR,
    bulk,
    claim_id_like,
    claim_url,
    dump,
    review_in_file,
    save,
)

NOW = "2024-12-21T10:00:00+00:00"


def sql(path: Path, statement: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def review(path: Path, claim_id: str, **fields) -> None:
    review_in_file(path, claim_id, NOW, **fields)


def article_of(path: Path, claim_id: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT article_id FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    finally:
        conn.close()


# --- links only from http(s) URLs ------------------------------------------------------

UNSAFE_URLS = [
    "javascript:alert(1)",
    "  JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>x</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("url", UNSAFE_URLS)
async def test_an_unsafe_article_url_never_becomes_a_link(db_path, url):
    cid = claim_id_like(db_path, NATO_TEXT)
    # As a database written before the loader dropped such urls would hold it.
    sql(db_path, "UPDATE articles SET url = ? WHERE id = ?", (url, article_of(db_path, cid)))
    review(db_path, cid, status="done", verdict="unproven")
    ds = await make_datasette(db_path)
    page = (await ds.client.get(claim_url(cid), cookies=cookies(ds, ALICE))).text
    assert "original</a>" not in page
    assert 'href="javascript' not in page.lower() and 'href="  javascript' not in page.lower()
    items = (await ds.client.get(CLAIMREVIEW_URL, cookies=cookies(ds, ALICE))).json()
    assert items and "url" not in items[0]["itemReviewed"].get("appearance", {})


@pytest.mark.asyncio
async def test_an_http_article_url_is_still_a_link(db_path):
    cid = claim_id_like(db_path, NATO_TEXT)
    sql(db_path, "UPDATE articles SET url = ? WHERE id = ?", ("https://news.example/a?b=1", article_of(db_path, cid)))
    review(db_path, cid, status="done", verdict="unproven")
    ds = await make_datasette(db_path)
    page = (await ds.client.get(claim_url(cid), cookies=cookies(ds, ALICE))).text
    assert 'href="https://news.example/a?b=1"' in page
    items = (await ds.client.get(CLAIMREVIEW_URL, cookies=cookies(ds, ALICE))).json()
    assert items[0]["itemReviewed"]["appearance"]["url"] == "https://news.example/a?b=1"


# --- ClaimReview safe to paste into <script type="application/ld+json"> ---------------------


@pytest.mark.asyncio
async def test_claimreview_json_ld_is_safe_to_embed(db_path):
    cid = claim_id_like(db_path, NATO_TEXT)
    hostile = "</script><script>alert(1)</script> & more"
    sql(db_path, "UPDATE claims SET claimant = ? WHERE id = ?", (hostile, cid))
    review(db_path, cid, status="done", verdict="false")
    ds = await make_datasette(db_path)
    body = (await ds.client.get(CLAIMREVIEW_URL, cookies=cookies(ds, ALICE))).text
    assert "<" not in body and ">" not in body and "&" not in body
    assert "\\u003c/script\\u003e" in body and "\\u0026" in body
    assert json.loads(body)[0]["itemReviewed"]["author"]["name"] == hostile  # same data


# --- spreadsheet formulas ------------------------------------------------------------------


@pytest.mark.asyncio
async def test_review_sheet_neutralises_formulas_in_the_web_and_the_cli_alike(db_path):
    cid = claim_id_like(db_path, NATO_TEXT)
    review(
        db_path,
        cid,
        status="in_progress",
        note='=HYPERLINK("https://evil.example","x")',
        evidence=["+cmd|' /C calc'!A0", "https://ok.example"],
        assignee="@sam",
    )
    sql(
        db_path,
        "UPDATE articles SET outlet = ?, title = ? WHERE id = ?",
        ("-2+3", "\tTabbed title", article_of(db_path, cid)),
    )
    ds = await make_datasette(db_path)
    web = (await ds.client.get(f"{CSV_URL}?status=all", cookies=cookies(ds, ALICE))).content
    text = web.decode("utf-8")
    for cell in ["'=HYPERLINK(", "'+cmd|", "'@sam", "'-2+3", "'\tTabbed title"]:
        assert cell in text, cell
    for raw in [",=HYPERLINK(", ',"=HYPERLINK(', ",@sam", ",-2+3"]:
        assert raw not in text, raw
    result = CliRunner().invoke(
        cli,
        ["factcheck", "export", str(db_path), "--status", "all", "--base-url", "http://localhost"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert result.stdout_bytes == web


# --- NUL in a filter -------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("url", [QUEUE_URL, QUEUE_URL + ".json", CSV_URL, CLAIMREVIEW_URL])
@pytest.mark.parametrize("query", ["q=a%00b", "outlet=x%00y"])
async def test_nul_in_a_filter_is_a_400_before_any_byte(db_path, url, query):
    ds = await make_datasette(db_path)
    response = await ds.client.get(f"{url}?{query}", cookies=cookies(ds, ALICE))
    if url == QUEUE_URL:  # the page redirects back with the message shown
        assert response.status_code == 302
        return
    assert response.status_code == 400, response.text[:200]
    assert "NUL" in response.text


# --- huge numbers ----------------------------------------------------------------------------

HUGE = "9" * 5000


@pytest.mark.asyncio
@pytest.mark.parametrize("field", ["version", "note", "status", "apply_to_cluster"])
async def test_a_5000_digit_number_in_a_review_is_a_400_naming_the_field(db_path, field):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    before = dump(db_path)
    body = f'{{"{field}": {HUGE}}}'
    response = await ds.client.post(
        claim_url(cid), content=body, headers={"content-type": "application/json"}, cookies=cookies(ds, ALICE)
    )
    assert response.status_code == 400
    assert field in response.json()["error"]
    assert dump(db_path) == before


@pytest.mark.asyncio
async def test_a_5000_digit_form_version_is_a_400_naming_it(db_path):
    ds = await make_datasette(db_path)
    cid = claim_id_like(db_path, NATO_TEXT)
    response = await ds.client.post(
        claim_url(cid), data={"status": "in_progress", "version": HUGE}, cookies=cookies(ds, ALICE)
    )
    assert response.status_code == 400
    assert "version must be a whole number" in response.text


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    ids=["ids", "set"],
    argvalues=[
        f'{{"ids": [{HUGE}], "set": {{"status": "in_progress"}}}}',
        f'{{"ids": ["x"], "set": {{"assignee": {HUGE}}}}}',
    ],
)
async def test_a_5000_digit_number_in_bulk_is_a_400(db_path, body):
    ds = await make_datasette(db_path)
    response = await ds.client.post(
        "/factcheck/-/factcheck/bulk",
        content=body,
        headers={"content-type": "application/json"},
        cookies=cookies(ds, ALICE),
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "ids item 1" in error or "assignee" in error


# --- revocation takes effect at once ---------------------------------------------------------


class Grants:
    """A permission plugin that keeps its grants in a set, like one keeping them in a table."""

    editors = {"carol"}

    @hookimpl
    def permission_resources_sql(self, datasette, actor, action):
        if action == "factcheck-review" and actor and actor.get("id") in self.editors:
            # At database level: more specific than datasette.yaml's instance-wide rule.
            return PermissionSQL(sql="SELECT 'factcheck' AS parent, NULL AS child, 1 AS allow, 'granted' AS reason")
        return None


@pytest.mark.asyncio
async def test_a_revoked_editor_cannot_save_the_next_review(db_path):
    grants = Grants()
    carol = {"id": "carol", "roles": ["viewer"]}  # the shipped config lets only logged-in roles read
    with registered_plugin(grants, "test-grants"):
        ds = await make_datasette(db_path)
        cid = claim_id_like(db_path, NATO_TEXT)
        assert (await save(ds, carol, cid, {"status": "in_progress"})).status_code == 200
        grants.editors = set()
        response = await save(ds, carol, cid, {"status": "needs_second_review"})
        assert response.status_code == 403
        assert (await bulk(ds, carol, {"ids": [cid], "set": {"status": "done"}})).status_code == 403


# --- pages render whatever the tables hold -------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("changes", ["not json", '["a list"]', '{"status": "done"}', "null"])
async def test_a_malformed_history_row_does_not_break_the_claim_page(db_path, changes):
    cid = claim_id_like(db_path, NATO_TEXT)
    sql(
        db_path,
        "INSERT INTO claim_events (claim_id, at, actor, action, changes) VALUES (?, ?, 'x', 'api', ?)",
        (cid, NOW, changes),
    )
    ds = await make_datasette(db_path)
    for url in (claim_url(cid), claim_url(cid) + ".json"):
        response = await ds.client.get(url, cookies=cookies(ds, ALICE))
        assert response.status_code == 200, response.text[:300]
    assert "unreadable record" in (await ds.client.get(claim_url(cid), cookies=cookies(ds, ALICE))).text


@pytest.mark.asyncio
async def test_a_deleted_article_leaves_its_claims_readable_and_counted(db_path):
    cid = claim_id_like(db_path, NATO_TEXT)
    article_id = article_of(db_path, cid)
    sql(db_path, "DELETE FROM articles WHERE id = ?", (article_id,))
    ds = await make_datasette(db_path)
    page = await ds.client.get(claim_url(cid), cookies=cookies(ds, ALICE))
    assert page.status_code == 200
    assert "no longer in the database" in page.text
    queue = (await ds.client.get(QUEUE_URL + ".json?status=all&_copies=1", cookies=cookies(ds, ALICE))).json()
    assert queue["next"] is None  # the seeds' claims fit one page
    assert queue["total"] == len(queue["claims"])
    assert cid in {claim["id"] for claim in queue["claims"]}
    sheet = (await ds.client.get(f"{CSV_URL}?status=all", cookies=cookies(ds, ALICE))).text
    assert cid in sheet
    assert (await ds.client.get("/factcheck/-/factcheck/dashboard", cookies=cookies(ds, ALICE))).status_code == 200


# --- headers ---------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "url", [QUEUE_URL, QUEUE_URL + ".json", "/factcheck/-/factcheck/dashboard", CSV_URL, CLAIMREVIEW_URL, "claim"]
)
async def test_plugin_pages_are_never_framed_or_sniffed(db_path, url):
    ds = await make_datasette(db_path)
    if url == "claim":
        url = claim_url(claim_id_like(db_path, NATO_TEXT))
    response = await ds.client.get(url, cookies=cookies(ds, ROOT_ACTOR))
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
