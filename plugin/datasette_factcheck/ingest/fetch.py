"""A polite HTTP client for articles, feeds and sitemaps: bytes, or one line saying why not.

Polite by default, as a newsroom's tool should be on other people's servers: a User-Agent
naming the tool and its version, robots.txt honoured (RFC 9309, with its Crawl-delay), at
most ``per_host`` requests at once to a host and ``delay`` seconds between their starts,
timeouts, a size cap, a bounded number of redirects, and retries with backoff on 429 and
5xx (Retry-After honoured up to a limit). Conditional requests (ETag / Last-Modified) let a
re-poll cost the server a 304. Reading one answer (its status, the size cap, gzip) is
``fetch_answer``'s.

Standard library only (http.client), every connection through ``fetch_guard``: no Datasette, no click. ``Fetcher.get`` is safe to call from
several threads at once; each host's limits hold across them.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from ..links import safe_url
from . import fetch_guard
from .fetch_answer import Busy, Fetched, FetchProblem, Redirect, Validators, read_answer
from .fetch_guard import Connector, PinnedConnection, Refused, Resolver, checked_address
from .pacing import Deadline, HostGate, host_key

PRODUCT = "datasette-factcheck"
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309's floor: read this much of robots.txt, ignore the rest
MAX_CRAWL_DELAY = 30.0  # a robots.txt asking more is honoured only up to this


def user_agent() -> str:
    """``datasette-factcheck/VERSION (+homepage)``: who is asking, so a site can tell and block."""
    try:
        tool_version = version(PRODUCT)
    except PackageNotFoundError:  # running from a checkout that was never installed
        tool_version = "dev"
    return f"{PRODUCT}/{tool_version} (editorial fact-checking; Python http.client)"


@dataclass(frozen=True)
class FetchOptions:
    """How politely and how far to fetch. The defaults suit other people's servers."""

    user_agent: str = field(default_factory=user_agent)
    per_host: int = 2  # requests at once to one host
    delay: float = 1.0  # seconds between the starts of two requests to one host
    timeout: float = 20.0  # seconds for one request, all of it: connect, headers and body
    max_bytes: int = 10_000_000  # of one answer, decompressed
    max_redirects: int = 5
    retries: int = 2  # after the first attempt, on 429 and 5xx
    backoff: float = 2.0  # seconds before the first retry; doubles each time
    max_retry_after: float = 120.0  # a server asking to wait longer gets a problem line instead
    # Hosts on loopback, private, link-local or reserved addresses (fetch_guard). Off by
    # default, on the command line as on the Add page: on, anyone who can make the tool
    # fetch a URL could make it read its own network (cloud metadata, admin pages). A
    # newsroom fetching its own intranet turns it on (--allow-private, or the fetch setting).
    allow_private: bool = False


# --- the client --------------------------------------------------------------------------


class Fetcher:
    """Fetches URLs politely; one per load, shared by its threads. Every connection goes
    through ``fetch_guard`` (the page, its redirects, robots.txt and its redirects):
    ``resolver`` and ``connector`` default to that module's ``resolve`` and ``connect``."""

    def __init__(self, options: FetchOptions | None = None, resolver: Resolver | None = None,
                 connector: Connector | None = None):  # fmt: skip
        self.options = options or FetchOptions()
        # Looked up at each call, so a test's resolver stands in for every Fetcher made after it.
        self._resolver = resolver or (lambda host, port: fetch_guard.resolve(host, port))
        self._connector = connector or (lambda address, port, timeout: fetch_guard.connect(address, port, timeout))
        self._lock = threading.Lock()
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, _Robots] = {}

    def get(self, url: str, validators: Validators | None = None) -> Fetched:
        """Fetch ``url`` (an http(s) URL), following redirects; raises FetchProblem."""
        chain = [url]
        while True:
            self._check_robots(chain[-1])
            answer = self._attempts(chain[-1], validators)
            if not isinstance(answer, Redirect):
                return answer
            chain.append(_redirect_target(chain, answer.location, self.options.max_redirects))

    # --- robots.txt -----------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        robots = self._robots_for(url)
        robots.ready.wait()
        if robots.problem:
            raise FetchProblem(robots.problem)
        if not robots.parser.can_fetch(self.options.user_agent, url):
            raise FetchProblem(f"robots.txt of {urlsplit(url).netloc} does not allow {PRODUCT} to fetch it")

    def _robots_for(self, url: str) -> _Robots:
        """The host's rules, read once: the first thread to ask reads them, others wait."""
        key = host_key(url)
        with self._lock:
            robots = self._robots.get(key)
            first = robots is None
            if first:
                robots = self._robots[key] = _Robots()
        if first:
            try:
                robots.read(self, key)
            finally:
                robots.ready.set()
        return robots

    def _gate(self, url: str) -> HostGate:
        key = host_key(url)
        with self._lock:
            if key not in self._gates:
                self._gates[key] = HostGate(self.options.per_host, self.options.delay)
            return self._gates[key]

    def slow_down(self, url: str, delay: float) -> None:
        """Space this host's requests at least ``delay`` seconds apart (its Crawl-delay)."""
        gate = self._gate(url)
        gate.delay = max(gate.delay, min(delay, MAX_CRAWL_DELAY))

    # --- attempts and retries -------------------------------------------------------------

    def _attempts(self, url: str, validators: Validators | None, max_bytes: int | None = None,
                  truncate: bool = False) -> Fetched | Redirect:  # fmt: skip
        """One request, retried with backoff while the server answers 429 or 5xx."""
        wait = self.options.backoff
        for attempt in range(self.options.retries + 1):
            answer = self._once(url, validators, max_bytes or self.options.max_bytes, truncate)
            if not isinstance(answer, Busy):
                return answer
            if attempt == self.options.retries:
                raise FetchProblem(answer.give_up(attempt + 1), answer.status)
            pause = answer.retry_after if answer.retry_after is not None else wait
            if pause > self.options.max_retry_after:
                raise FetchProblem(
                    f"{answer.what()}; the server asks to wait {pause:.0f} s, try again later", answer.status
                )
            time.sleep(pause)
            wait *= 2
        raise AssertionError("unreachable")

    def _once(self, url: str, validators: Validators | None, max_bytes: int,
              truncate: bool) -> Fetched | Redirect | Busy:  # fmt: skip
        headers = {
            "User-Agent": self.options.user_agent, "Accept-Encoding": "gzip",
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
            **(validators.headers() if validators else {}),
        }  # fmt: skip
        with self._gate(url):
            connection = self._connection(url)  # refused here, before any connection is attempted
            with Deadline(connection, self.options.timeout) as deadline:
                try:
                    connection.request("GET", _target(url), headers=headers)
                    with connection.getresponse() as response:
                        answer = read_answer(response, url, validators, max_bytes, truncate)
                    if deadline.passed:  # the socket was shut mid-body: what was read is cut short
                        raise FetchProblem(_timed_out(url, self.options.timeout))
                    return answer
                except (OSError, http.client.HTTPException) as error:
                    if deadline.passed:
                        raise FetchProblem(_timed_out(url, self.options.timeout)) from None
                    raise FetchProblem(_network_reason(error, url, self.options.timeout)) from None
                finally:
                    connection.close()

    def _connection(self, url: str) -> PinnedConnection:
        """A connection to ``url``'s host at its checked address; FetchProblem if refused."""
        parts = urlsplit(url)
        try:
            host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
            address = checked_address(host, port, self._resolver, self.options.allow_private)
        except Refused as refused:
            raise FetchProblem(f"refused, {refused}") from None
        except ValueError as error:  # a port out of range, a malformed IPv6 literal
            raise FetchProblem(f"not a valid URL ({error})") from None
        except (OSError, UnicodeError):
            raise FetchProblem(f"cannot reach host {parts.netloc} (no such host)") from None
        return PinnedConnection(host, port, address, self._connector, self.options.timeout, parts.scheme == "https")


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _timed_out(url: str, seconds: float) -> str:
    return f"no answer from {urlsplit(url).netloc} within {seconds:g} s (timed out)"


class _Robots:
    """One host's robots.txt, or why the host may not be fetched at all."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.parser = RobotFileParser()
        self.problem: str | None = None

    def read(self, fetcher: Fetcher, host: str) -> None:
        url = host + "/robots.txt"
        try:
            answer = _follow(fetcher, url, ROBOTS_MAX_BYTES)
        except FetchProblem as problem:
            # RFC 9309: robots.txt unreachable or failing means assume everything is disallowed.
            if problem.status is None:
                self.problem = str(problem)  # the host is unreachable: the page would be too
            elif problem.status < 500:  # 4xx: the site has no rules, everything is allowed
                self.parser.parse([])
            else:
                self.problem = (
                    f"cannot read robots.txt ({problem}), and until it answers nothing on the host is fetched"
                )
            return
        self.parser.parse(answer.body.decode("utf-8", "replace").splitlines())
        delay = self.parser.crawl_delay(fetcher.options.user_agent)
        if delay:
            fetcher.slow_down(url, float(delay))


def _follow(fetcher: Fetcher, url: str, max_bytes: int) -> Fetched:
    """robots.txt itself: redirects followed (up to the limit), no robots check."""
    chain = [url]
    while True:
        answer = fetcher._attempts(chain[-1], None, max_bytes, truncate=True)
        if not isinstance(answer, Redirect):
            return answer
        chain.append(_redirect_target(chain, answer.location, fetcher.options.max_redirects))


def _redirect_target(chain: list[str], location: str | None, limit: int) -> str:
    """Where a redirect leads, if it may be followed: an http(s) URL not met before."""
    if not location:
        raise FetchProblem("a redirect without a Location")
    target = safe_url(urljoin(chain[-1], location.strip()))
    if target is None:
        raise FetchProblem(f"redirects to an address that is not http(s) ({location.strip()[:80]})")
    if target in chain:
        loop = " -> ".join(urlsplit(u).path or "/" for u in [*chain[chain.index(target) :], target])
        raise FetchProblem(f"redirect loop ({loop})")
    if len(chain) > limit:
        raise FetchProblem(f"more than {limit} redirects")
    return target


def _network_reason(error: BaseException, url: str, timeout: float) -> str:
    """One line for a failure below HTTP: no such host, refused, timed out, TLS."""
    host = urlsplit(url).netloc
    if isinstance(error, (TimeoutError, socket.timeout)):
        return _timed_out(url, timeout)
    if isinstance(error, socket.gaierror):
        return f"cannot reach host {host} (no such host)"
    if isinstance(error, ConnectionRefusedError):
        return f"cannot reach host {host} (connection refused)"
    if isinstance(error, ssl.SSLError):
        return f"secure connection to {host} failed ({getattr(error, 'reason', None) or error})"
    if isinstance(error, (http.client.HTTPException, ConnectionError)):
        return f"the connection to {host} broke off ({type(error).__name__})"
    detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"cannot reach host {host} ({str(detail).lower()})"
