"""The polite HTTP client (fetch.py), against the news site on 127.0.0.1 (fixture_site.py).

Each test asserts on what the client answered and on what the site's log says it was
asked: the User-Agent, robots.txt first, conditional headers, retries, how many at once.
"""

from __future__ import annotations

import threading
import time

import pytest

from datasette_factcheck.ingest.fetch import Fetcher, FetchOptions, user_agent
from datasette_factcheck.ingest.fetch_answer import FetchProblem, Validators
from support.fixture_site import closed_port_url

# Fast for tests: no delay between requests, short timeouts, tiny backoff.
QUICK = FetchOptions(delay=0, timeout=1, backoff=0.01, max_bytes=1_000_000, allow_private=True)


def fetch(url: str, options: FetchOptions = QUICK, validators: Validators | None = None):
    return Fetcher(options).get(url, validators)


def problem(url: str, options: FetchOptions = QUICK) -> str:
    with pytest.raises(FetchProblem) as raised:
        fetch(url, options)
    reason = str(raised.value)
    assert "\n" not in reason and "Traceback" not in reason
    return reason


def test_a_page_comes_with_its_validators_and_the_tool_named_in_the_user_agent(site):
    answer = fetch(site.url("/news/uk-troops-ukraine.html"))
    assert (answer.status, answer.content_type) == (200, "text/html")
    assert b"Operation Interflex" in answer.body
    assert answer.validators.etag and answer.validators.last_modified
    agents = {hit.headers["user-agent"] for hit in site.log}
    assert agents == {user_agent()} and user_agent().startswith("datasette-factcheck/")


def test_robots_txt_is_read_first_once_per_host_and_obeyed(site):
    fetcher = Fetcher(QUICK)
    fetcher.get(site.url("/news/flood-defences.html"))
    fetcher.get(site.url("/news/bridge-closures.html"))
    with pytest.raises(FetchProblem, match="robots.txt of 127.0.0.1:[0-9]+ does not allow datasette-factcheck"):
        fetcher.get(site.url("/private/embargoed.html"))
    assert [hit.path for hit in site.log] == ["/robots.txt", "/news/flood-defences.html", "/news/bridge-closures.html"]


def test_a_conditional_request_gets_a_304_without_a_body(site):
    first = fetch(site.url("/feed.xml"))
    again = fetch(site.url("/feed.xml"), validators=first.validators)
    assert again.not_modified and again.body == b""
    sent = site.hits("/feed.xml")[-1].headers
    assert sent["if-none-match"] == first.validators.etag
    assert sent["if-modified-since"] == first.validators.last_modified


@pytest.mark.parametrize("path, reason", [
    ("/no-such-page.html", "not found (HTTP 404)"),
    ("/gone", "gone (HTTP 410): the page was removed"),
    ("/loop/a", "redirect loop (/loop/a -> /loop/b -> /loop/a)"),
    ("/huge.html", "too large: over the 1 MB limit for one page (its Content-Length says 3.0 MB)"),
])  # fmt: skip
def test_each_bad_answer_is_one_line(site, path, reason):
    assert problem(site.url(path)) == reason


def test_a_redirect_is_followed_and_the_final_url_kept(site):
    answer = fetch(site.url("/moved"))
    assert answer.url == site.url("/news/bridge-closures.html")
    assert [hit.path for hit in site.hits()] == ["/moved", "/news/bridge-closures.html"]


def test_redirects_are_limited(site):
    options = FetchOptions(allow_private=True, delay=0, timeout=1, max_redirects=0)
    assert problem(site.url("/moved"), options) == "more than 0 redirects"


def test_a_slow_server_times_out(site):
    site.slow_seconds = 3
    assert problem(site.url("/slow"), FetchOptions(allow_private=True, delay=0, timeout=0.3)) == (
        f"no answer from {site.base.removeprefix('http://')} within 0.3 s (timed out)"
    )


def test_an_unreachable_host_is_one_line():
    url = closed_port_url("/news/x.html")
    assert problem(url) == f"cannot reach host {url.split('/')[2]} (connection refused)"


def test_a_5xx_is_retried_with_backoff_until_it_answers(site):
    site.failures["/flaky"] = 2
    assert fetch(site.url("/flaky")).status == 200
    assert [hit.status for hit in site.hits("/flaky")] == [503, 503, 200]


def test_a_429_is_retried_as_often_as_allowed_then_reported(site):
    site.failures["/busy"] = 10
    options = FetchOptions(allow_private=True, delay=0, timeout=1, backoff=0.01, retries=2)
    assert problem(site.url("/busy"), options) == "too many requests (HTTP 429) after 3 attempts; try again later"
    assert [hit.status for hit in site.hits("/busy")] == [429, 429, 429]


def test_a_retry_after_beyond_the_limit_is_not_waited_for(site):
    site.failures["/busy"] = 1
    options = FetchOptions(
        allow_private=True, delay=0, timeout=1, max_retry_after=-1
    )  # any Retry-After (here 0 s) is too long
    assert "the server asks to wait 0 s" in problem(site.url("/busy"), options)
    assert len(site.hits("/busy")) == 1


def test_no_more_requests_at_once_to_a_host_than_allowed(site):
    fetcher = Fetcher(FetchOptions(delay=0, timeout=30, per_host=2, allow_private=True))
    fetcher.get(site.url("/robots.txt"))  # robots.txt read first, so only the held pages count
    threads = [threading.Thread(target=fetcher.get, args=(site.url("/hold"),)) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: site.holding == 2)
        time.sleep(0.3)  # room for a third request, were it let through
        assert site.holding == 2
    finally:
        site.release.set()
        for thread in threads:
            thread.join()
    assert [hit.status for hit in site.hits("/hold")] == [200] * 4


def test_requests_to_one_host_start_at_least_the_delay_apart(site):
    fetcher = Fetcher(FetchOptions(delay=0.2, timeout=5, allow_private=True))
    before = time.monotonic()
    for path in ("/news/flood-defences.html", "/news/bridge-closures.html", "/feed.xml"):
        fetcher.get(site.url(path))
    # The n-th request (robots.txt first) may not start before n delays have passed.
    arrivals = [hit.arrived - before for hit in site.log]
    assert len(arrivals) == 4
    assert all(arrived >= 0.2 * number for number, arrived in enumerate(arrivals))


def test_a_gzipped_answer_is_decompressed_within_the_size_cap(site):
    answer = fetch(site.url("/gzipped/sitemap-news.xml"))
    assert answer.body.startswith(b"<?xml") and b"<urlset" in answer.body
    assert site.hits()[-1].headers["accept-encoding"] == "gzip"
    with pytest.raises(FetchProblem, match="too large: over the 0.0002 MB limit"):
        fetch(site.url("/gzipped/sitemap-news.xml"), FetchOptions(allow_private=True, delay=0, max_bytes=200))


def wait_until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the site never saw the requests expected"
        time.sleep(0.01)
