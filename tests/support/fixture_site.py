"""A news site on 127.0.0.1 for the tests of loading from the web: no test touches the internet.

It serves ``tests/fixtures/web/`` (pages written to look like real news pages, a feed, a
sitemap, robots.txt) with ETag and Last-Modified, answers conditional requests with 304,
and has the bad cases a newsroom meets: a slow endpoint, a 404, a 410, a redirect loop, an
over-size page, a server that fails before it answers. Every request is logged, so a test
can assert what was asked and how.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from support import helpers

FIXTURES = helpers.FIXTURES / "web"
LAST_MODIFIED = "Mon, 20 Jan 2025 10:00:00 GMT"
TYPES = {
    ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".png": "image/png",
    ".xml": "application/xml",
}  # fmt: skip
FEED_TYPES = {
    "feed.xml": "application/rss+xml",
    "feed-updated.xml": "application/rss+xml",
    "broken-feed.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
}


@dataclass
class Hit:
    """One request the site answered."""

    method: str
    path: str  # with its query string
    status: int
    headers: dict[str, str]  # names in lower case
    arrived: float  # time.monotonic() when the request arrived


@dataclass
class Site:
    """The running site: its base URL, what it serves where, and the requests it got."""

    base: str = ""
    files: dict[str, str] = field(default_factory=dict)  # path -> fixture file, to swap a page's content
    texts: dict[str, str] = field(default_factory=dict)  # path -> text served there (@BASE@ filled in)
    log: list[Hit] = field(default_factory=list)
    slow_seconds: float = 5.0
    huge_bytes: int = 3_000_000
    failures: dict[str, int] = field(default_factory=dict)  # path -> answers still to fail (503 or 429)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)  # lets /hold requests answer
    holding: int = 0  # /hold requests waiting for release

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str | None = None) -> list[Hit]:
        """The requests (for ``path``, query included, if given), robots.txt left out."""
        with self.lock:
            return [hit for hit in self.log if hit.path != "/robots.txt" and (path is None or hit.path == path)]

    def page(self, name: str) -> str:
        """A fixture file's text as served (its @BASE@ filled in)."""
        return (FIXTURES / name).read_text(encoding="utf-8").replace("@BASE@", self.base)


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet: the site keeps its own log
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:  # the client hung up (a fetch past its deadline or size cap): not the site's fault
            pass

    def do_GET(self) -> None:
        arrived = time.monotonic()
        path = urlsplit(self.path).path
        special = _SPECIAL.get(path) or (_gzipped if path.startswith("/gzipped/") else None)
        status, headers, body = special(self) if special else self._file(path)
        self._send(status, headers, body, arrived)

    def _send(self, status: int, headers: dict[str, str], body: bytes, arrived: float) -> None:
        with self.site.lock:
            request_headers = {k.lower(): v for k, v in self.headers.items()}
            self.site.log.append(Hit("GET", self.path, status, request_headers, arrived))
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: an over-size page
            pass

    def _file(self, path: str) -> tuple[int, dict[str, str], bytes]:
        name = self.site.files.get(path, path.lstrip("/"))
        file = (FIXTURES / name).resolve()
        if path in self.site.texts:
            body = self.site.texts[path].encode()
        elif not name or FIXTURES not in file.parents or not file.is_file():
            return 404, {"Content-Type": "text/html"}, b"<html><body><h1>Page not found</h1></body></html>"
        else:
            body = file.read_bytes()
        if file.suffix in (".html", ".xml", ".txt"):
            body = body.replace(b"@BASE@", self.site.base.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {
            "Content-Type": FEED_TYPES.get(file.name, TYPES.get(file.suffix, "application/octet-stream")),
            "ETag": etag,
            "Last-Modified": LAST_MODIFIED,
        }
        if self._not_modified(etag):
            return 304, {"ETag": etag, "Last-Modified": LAST_MODIFIED}, b""
        return 200, headers, body

    def _not_modified(self, etag: str) -> bool:
        if "If-None-Match" in self.headers:
            return self.headers["If-None-Match"] == etag
        return self.headers.get("If-Modified-Since") == LAST_MODIFIED


def _slow(handler: _Handler) -> tuple[int, dict[str, str], bytes]:
    time.sleep(handler.site.slow_seconds)
    return handler._file("/news/bridge-closures.html")


def _hold(handler: _Handler) -> tuple[int, dict[str, str], bytes]:
    """Waits until the test sets site.release: how many wait at once is how many were let in."""
    with handler.site.lock:
        handler.site.holding += 1
    handler.site.release.wait(30)
    with handler.site.lock:
        handler.site.holding -= 1
    return handler._file("/news/bridge-closures.html")


def _gzipped(handler: _Handler) -> tuple[int, dict[str, str], bytes]:
    """/gzipped/NAME: the fixture NAME sent with Content-Encoding: gzip."""
    status, headers, body = handler._file(urlsplit(handler.path).path.removeprefix("/gzipped"))
    return status, {**headers, "Content-Encoding": "gzip"}, gzip.compress(body)


def _huge(handler: _Handler) -> tuple[int, dict[str, str], bytes]:
    filler = b"<p>" + b"Lorem ipsum dolor sit amet. " * 40 + b"</p>\n"
    body = (
        b"<html><body><article>" + filler * (handler.site.huge_bytes // len(filler) + 1) + b"</article></body></html>"
    )
    return 200, {"Content-Type": "text/html"}, body


def _failing_then(status: int, extra: dict[str, str]):
    """Fails with ``status`` as many times as site.failures says, then serves an article."""

    def answer(handler: _Handler) -> tuple[int, dict[str, str], bytes]:
        path = urlsplit(handler.path).path
        with handler.site.lock:
            left = handler.site.failures.get(path, 0)
            handler.site.failures[path] = max(0, left - 1)
        if left:
            return status, {"Content-Type": "text/html", **extra}, b"<html><body>Try again later</body></html>"
        return handler._file("/news/flood-defences.html")

    return answer


def _redirect(to: str):
    return lambda handler: (302, {"Location": to, "Content-Type": "text/html"}, b"")


_SPECIAL = {
    "/slow": _slow,
    "/hold": _hold,
    "/huge.html": _huge,
    "/gone": lambda handler: (410, {"Content-Type": "text/html"}, b"<html><body>Gone</body></html>"),
    "/loop/a": _redirect("/loop/b"),
    "/loop/b": _redirect("/loop/a"),
    "/moved": _redirect("/news/bridge-closures.html"),
    "/sitemap-pages": lambda handler: handler._file("/sitemap-pages.xml"),
    "/flaky": _failing_then(503, {}),
    "/busy": _failing_then(429, {"Retry-After": "0"}),
}


@contextmanager
def serving() -> Iterator[Site]:
    """The site on a free port of 127.0.0.1, for as long as the block runs."""
    site = Site()
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fixture-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def news_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """The news site, fresh for each test (its log empty, its pages as written). A test
    module makes it a fixture: ``site = pytest.fixture(news_site, name="site")``."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")  # a proxy in the environment must not see these
    with serving() as running:
        yield running


def closed_port_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 where nothing listens: an unreachable host without the internet."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
