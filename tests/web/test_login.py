"""Logins with the shipped datasette.yaml (issue 22 item 3, issue 26's login items): the
desk's own login page, failed logins limited, unknown accounts indistinguishable, back to the
page asked for, the password tool for root only, and the security headers on every answer."""

from __future__ import annotations

import threading
from urllib.parse import quote

import pytest
from datasette_auth_passwords.utils import hash_password

from datasette_factcheck.web import login
from datasette_factcheck.web.login_limits import FailureLimiter
from support.helpers import cookies, make_datasette, shipped_config
from support.webtools import ALICE, MALLORY

PASSWORD = "correct horse battery staple"
HEADERS = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.fixture(scope="module")
def editor_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def config(monkeypatch, editor_hash) -> dict:
    monkeypatch.setenv("FACTCHECK_EDITOR_PASSWORD_HASH", editor_hash)
    shipped = shipped_config()
    shipped["plugins"]["datasette-factcheck"]["login_help"] = "Ask Dana Reyes (desk@example.org) for an account."
    shipped["plugins"]["datasette-factcheck"]["login_limit"] = {"attempts": 3, "seconds": 60}
    return shipped


async def log_in(ds, username: str, password: str, next_path: str | None = None):
    data = {"username": username, "password": password, **({"next": next_path} if next_path else {})}
    return await ds.client.post("/-/login", data=data)


@pytest.mark.asyncio
async def test_a_stranger_comes_back_to_the_page_asked_for(db_path, config):
    ds = await make_datasette(db_path, config=config)
    asked = "/factcheck/-/factcheck?status=done&verdict=false"
    sent = await ds.client.get(asked)
    assert sent.status_code == 302 and sent.headers["location"] == f"/-/login?next={quote(asked, safe='/')}"
    page = await ds.client.get(sent.headers["location"])
    assert f'<input type="hidden" name="next" value="{asked.replace("&", "&amp;")}">' in page.text
    back = await log_in(ds, "editor", PASSWORD, asked)
    assert back.status_code == 302 and back.headers["location"] == asked
    queue = await ds.client.get(asked, cookies={"ds_actor": back.cookies["ds_actor"]})
    assert queue.status_code == 200


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "hostile", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/x\r\nSet-Cookie: a=b", "evil"]
)
async def test_next_never_leads_off_the_site(db_path, config, hostile):
    ds = await make_datasette(db_path, config=config)
    page = await ds.client.get(f"/-/login?next={quote(hostile, safe='')}")
    assert "evil" not in page.text and "Set-Cookie" not in page.text
    back = await log_in(ds, "editor", PASSWORD, hostile)
    assert back.status_code == 302 and back.headers["location"] == "/"


@pytest.mark.asyncio
async def test_the_login_page_says_what_the_desk_is_and_who_to_ask_in_the_desks_style(db_path, config):
    ds = await make_datasette(db_path, config=config)
    page = await ds.client.get("/-/login")
    assert page.status_code == 200
    assert "Log in to Fact-check desk" in page.text
    assert "Ask Dana Reyes (desk@example.org) for an account." in page.text
    assert "factcheck.css" in page.text and 'class="fc-login-form core"' in page.text
    # A stranger of a private desk is not told the names of its databases.
    assert "Triage queue" not in page.text and 'href="/factcheck' not in page.text


@pytest.mark.asyncio
async def test_failed_logins_are_limited_then_429_with_retry_after(db_path, config):
    ds = await make_datasette(db_path, config=config)
    for _ in range(3):
        refused = await log_in(ds, "editor", "wrong")
        assert refused.status_code == 200 and login.REFUSED in refused.text
    limited = await log_in(ds, "editor", PASSWORD)  # even the right password waits its turn
    assert limited.status_code == 429 and "ds_actor" not in limited.cookies
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert "Too many failed logins" in limited.text
    other = await log_in(ds, "viewer", "guess")  # the same address, another account: limited too
    assert other.status_code == 429


def test_the_limit_holds_per_account_and_per_address_and_ends_with_its_window():
    now = [1000.0]
    limiter = FailureLimiter(limit=2, window=60, now=lambda: now[0])
    limiter.failed("account:editor", "address:1.1.1.1")
    limiter.failed("account:editor", "address:2.2.2.2")
    assert limiter.retry_after("account:editor", "address:3.3.3.3") == 60  # one account from many places
    assert limiter.retry_after("account:viewer", "address:3.3.3.3") is None
    limiter.failed("account:a", "address:9.9.9.9")
    now[0] += 10
    limiter.failed("account:b", "address:9.9.9.9")
    assert limiter.retry_after("account:c", "address:9.9.9.9") == 50  # one place trying many accounts
    now[0] += 50
    assert limiter.retry_after("account:editor", "address:9.9.9.9") is None


@pytest.mark.asyncio
async def test_an_unknown_account_costs_the_same_hashing_and_gets_the_same_answer(db_path, config, monkeypatch):
    calls = []
    real = login.passwords.verify_password

    def counted(password, password_hash):
        calls.append((password_hash.split("$")[1], threading.current_thread().name))
        return real(password, password_hash)

    monkeypatch.setattr(login.passwords, "verify_password", counted)
    ds = await make_datasette(db_path, config=config)
    wrong = await log_in(ds, "editor", "wrong")
    unknown = await log_in(ds, "nobody", "wrong")
    assert (wrong.status_code, wrong.text) == (unknown.status_code, unknown.text)
    assert [iterations for iterations, _ in calls] == ["480000", "480000"]  # a full hash each time
    assert all(thread.startswith("factcheck-login") for _, thread in calls)  # never the event loop's


@pytest.mark.asyncio
async def test_the_password_tool_is_for_root_only(db_path, config):
    ds = await make_datasette(db_path, config=config)
    anonymous = await ds.client.post("/-/password-tool", data={"password": "x"})
    assert anonymous.status_code in (302, 403) and "pbkdf2_sha256$" not in anonymous.text
    assert (await ds.client.get("/-/password-tool")).status_code == 302  # a stranger is sent to log in
    for actor in (ALICE, MALLORY):
        answer = await ds.client.post("/-/password-tool", data={"password": "x"}, cookies=cookies(ds, actor))
        assert answer.status_code == 403 and "pbkdf2_sha256$" not in answer.text
    root = await ds.client.post("/-/password-tool", data={"password": "x"}, cookies=cookies(ds, {"id": "root"}))
    assert root.status_code == 200 and "pbkdf2_sha256$" in root.text


@pytest.mark.asyncio
async def test_every_answer_of_the_plugin_carries_the_security_headers(db_path, config):
    ds = await make_datasette(db_path, config=config)
    answers = [
        await ds.client.get("/-/login"),
        await log_in(ds, "editor", "wrong"),
        await ds.client.get("/factcheck/-/factcheck"),  # a stranger: sent to log in
        await ds.client.get("/factcheck/-/factcheck.json"),  # 403
        await ds.client.get("/factcheck/-/factcheck/claims/no-such-claim", cookies=cookies(ds, ALICE)),  # 404
        await ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, MALLORY)),  # 403 page
        await ds.client.get("/-/password-tool", cookies=cookies(ds, ALICE)),  # 403
        await ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, ALICE)),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 302, 403, 404, 403, 403, 200]
    for answer in answers:
        assert {name: answer.headers.get(name) for name in HEADERS} == HEADERS, answer.url
