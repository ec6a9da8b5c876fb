"""Every connection the fetcher opens goes through fetch_guard (issue 22, item 1 and 2).

No test touches the internet or a real private host. The network is played by two small
pieces: a resolver stub (names mapped to addresses) and a connector that counts and
records each dial and only ever dials 127.0.0.1; a "public" address is routed to the news
site on 127.0.0.1 or refused without being dialled. The real ``fetch_guard.connect`` does
the dialling to 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.ingest import fetch_guard
from datasette_factcheck.ingest.fetch import ROBOTS_MAX_BYTES, Fetcher, FetchOptions
from datasette_factcheck.ingest.fetch_answer import FetchProblem
from datasette_factcheck.ingest.fetch_guard import is_refused
from support import fixture_site

PUBLIC = "93.184.216.34"  # a global address: routed to 127.0.0.1 by the Network below, never dialled
PUBLIC6 = "2606:2800:220:1:248:1893:25c8:1946"


class Network:
    """Names to addresses, and the dials made: a public address goes to the local port
    ``route_to`` (the news site), 127.0.0.1 is dialled as asked, anything else is refused
    without dialling."""

    def __init__(self, names: dict[str, list[str]] | None = None, route_to: int | None = None):
        self.names = names or {}
        self.route_to = route_to
        self.lookups: list[tuple[str, list[str]]] = []
        self.dials: list[tuple[str, int]] = []

    def resolve(self, host: str, port: int) -> list[str]:
        answer = self.names[host]
        answer = answer.pop(0) if isinstance(answer[0], list) else answer  # a list of answers, one per lookup
        self.lookups.append((host, answer))
        return answer

    def connect(self, address: str, port: int, timeout: float) -> socket.socket:
        self.dials.append((address, port))
        if address == "127.0.0.1":
            return fetch_guard.connect(address, port, timeout)
        if address in (PUBLIC, PUBLIC6) and self.route_to:
            return fetch_guard.connect("127.0.0.1", self.route_to, timeout)
        raise ConnectionRefusedError(f"the test network does not dial {address}")


def fetcher(network: Network, **options) -> Fetcher:
    chosen = {"delay": 0, "timeout": 2, "backoff": 0.01, "retries": 0, **options}
    return Fetcher(FetchOptions(**chosen), resolver=network.resolve, connector=network.connect)


def port_of(site) -> int:
    return int(site.base.rsplit(":", 1)[1])


# --- which addresses are refused --------------------------------------------------------------

REFUSED = [
    "127.0.0.1", "127.8.9.10", "10.0.0.8", "172.16.5.4", "192.168.1.1", "169.254.169.254",  # loopback, private, metadata
    "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255",  # CGNAT, unspecified...
    "::1", "::", "fe80::1", "ff02::1", "fec0::1", "fc00::1", "fd12:3456::1",  # IPv6 loopback ... ULA
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.1",  # IPv4-mapped, IPv4-compatible
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::8.8.8.8",  # NAT64, local-use NAT64
    "2002:7f00:1::1", "2002:a00:1::", "2002:a9fe:a9fe::1",  # 6to4 around a private IPv4 address
    "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1",  # Teredo
]  # fmt: skip
ALLOWED = [PUBLIC, "8.8.8.8", PUBLIC6, "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_every_private_form_is_refused(address):
    assert is_refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_and_their_carriers_are_not(address):
    assert not is_refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", REFUSED)
def test_a_private_literal_is_refused_in_one_line_before_any_connection(address):
    network = Network()
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchProblem) as raised:
        fetcher(network).get(f"http://{host}/")
    assert str(raised.value) == "refused, private address"
    assert network.dials == []


def test_the_command_line_says_one_line_per_refused_url(tmp_path, monkeypatch):
    network = Network()
    monkeypatch.setattr(fetch_guard, "connect", network.connect)
    urls = ["http://[64:ff9b::7f00:1]/", "http://[::ffff:169.254.169.254]/latest/meta-data/"]
    result = CliRunner().invoke(cli, ["factcheck", "load", str(tmp_path / "f.db"), *urls, "--delay", "0"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {url}: refused, private address" for url in urls]
    assert result.output.count("--allow-private") == 1  # once, after the errors: what to do
    assert network.dials == []


# --- names: resolved once, every answer checked, the checked address dialled --------------------


def test_a_name_on_loopback_is_fetched_with_allow_private_and_keeps_its_host_header(site):
    network = Network({"news.test": ["127.0.0.1"]})
    answer = fetcher(network, allow_private=True).get(f"http://news.test:{port_of(site)}/news/flood-defences.html")
    assert answer.status == 200 and b"flood" in answer.body.lower()
    assert {hit.headers["host"] for hit in site.log} == {f"news.test:{port_of(site)}"}
    assert network.dials == [("127.0.0.1", port_of(site))] * 2  # robots.txt, then the page


def test_a_name_on_loopback_is_refused_by_default_without_dialling(site):
    network = Network({"news.test": ["127.0.0.1"]})
    with pytest.raises(FetchProblem, match=r"^refused, private address \(127\.0\.0\.1\)$"):
        fetcher(network).get(f"http://news.test:{port_of(site)}/news/flood-defences.html")
    assert network.dials == [] and site.log == []


def test_one_private_answer_among_public_ones_refuses_the_name(site):
    network = Network({"news.test": [PUBLIC, "10.1.2.3"]}, route_to=port_of(site))
    with pytest.raises(FetchProblem, match=r"refused, private address \(10\.1\.2\.3\)"):
        fetcher(network).get("http://news.test/news/flood-defences.html")
    assert network.dials == [] and site.log == []


def test_a_public_name_is_fetched_at_the_address_checked(site):
    network = Network({"news.test": [PUBLIC]}, route_to=port_of(site))
    answer = fetcher(network).get("http://news.test/news/flood-defences.html")
    assert answer.status == 200
    assert network.dials == [(PUBLIC, 80), (PUBLIC, 80)]
    assert {hit.headers["host"] for hit in site.log} == {"news.test"}


def test_dns_rebinding_never_reaches_the_internal_page(site):
    # Public to the first lookup, loopback after: each connection is made to the address
    # its own lookup returned and checked, so the loopback answer is refused, never dialled.
    network = Network({"news.test": [[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]]}, route_to=port_of(site))
    with pytest.raises(FetchProblem, match=r"^refused, private address \(127\.0\.0\.1\)$"):
        fetcher(network).get("http://news.test/private-admin")
    assert network.dials == [(PUBLIC, 80)]  # robots.txt only
    assert [hit.path for hit in site.log] == ["/robots.txt"]


def test_a_redirect_to_a_private_address_is_refused(site, monkeypatch):
    monkeypatch.setitem(fixture_site._SPECIAL, "/to-metadata", fixture_site._redirect("http://169.254.169.254/latest/"))
    network = Network({"news.test": [PUBLIC]}, route_to=port_of(site))
    with pytest.raises(FetchProblem, match=r"^refused, private address$"):
        fetcher(network).get("http://news.test/to-metadata")
    assert [address for address, _ in network.dials] == [PUBLIC, PUBLIC]


@pytest.mark.parametrize("allow_private", [False, True])
def test_robots_txt_and_its_redirects_go_through_the_guard(site, monkeypatch, allow_private):
    internal = f"http://127.0.0.1:{port_of(site)}/internal-service"
    monkeypatch.setitem(fixture_site._SPECIAL, "/robots.txt", fixture_site._redirect(internal))
    network = Network({"news.test": [PUBLIC]}, route_to=port_of(site))
    if allow_private:  # the intranet switch on: the redirect is followed (a 404 there: no rules)
        assert fetcher(network, allow_private=True).get("http://news.test/news/flood-defences.html").status == 200
        assert "/internal-service" in [hit.path for hit in site.log]
        return
    with pytest.raises(FetchProblem, match=r"^refused, private address$"):
        fetcher(network).get("http://news.test/news/flood-defences.html")
    assert [hit.path for hit in site.log] == ["/robots.txt"]
    assert network.dials == [(PUBLIC, 80)]


# --- a total deadline, and robots.txt read up to 500 KiB --------------------------------------


@contextmanager
def dripping(headers_too: bool = False) -> Iterator[int]:
    """A server on 127.0.0.1 that sends one byte every 0.5 s (robots.txt: a quick 404)."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            request = conn.recv(65536)
            if request.startswith(b"GET /robots.txt"):
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                return
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
            if not headers_too:
                conn.sendall(head)
            for byte in head if headers_too else b"<" * 100000:
                if stop.wait(0.5):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:  # the client gave up
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        server.close()


@pytest.mark.parametrize("headers_too", [False, True])
def test_a_server_that_drips_bytes_is_cut_off_at_the_deadline(headers_too):
    with dripping(headers_too) as port:
        with pytest.raises(FetchProblem) as raised:
            fetcher(Network(), allow_private=True, timeout=1.5).get(f"http://127.0.0.1:{port}/page")
    assert str(raised.value) == f"no answer from 127.0.0.1:{port} within 1.5 s (timed out)"


def test_robots_txt_is_read_up_to_500_kib_and_the_rest_ignored(site):
    rules = "User-agent: *\nDisallow: /early\n"
    padding = "# " + "x" * 78 + "\n"
    site.texts["/robots.txt"] = rules + padding * (ROBOTS_MAX_BYTES // len(padding) + 10) + "Disallow: /news/\n"
    quick = fetcher(Network(), allow_private=True)
    assert quick.get(site.url("/news/flood-defences.html")).status == 200  # the rule past 500 KiB is ignored
    with pytest.raises(FetchProblem, match="does not allow"):
        quick.get(site.url("/early"))
