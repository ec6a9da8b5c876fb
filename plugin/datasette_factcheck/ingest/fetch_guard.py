"""The one way the fetcher opens a connection: resolve once, check every address, connect
to the checked address.

Server-side request forgery is a server reading its own network because a URL told it to:
cloud metadata, admin pages, the database port. Checking the name and then letting the
HTTP library resolve it again would let a name answer "public" to the check and
"loopback" to the connection (DNS rebinding), so the name is resolved here, once, every
address it returns is checked, and the socket is connected to that checked address; the
Host header and TLS (SNI and certificate) still use the name.

``resolve`` and ``connect`` are module functions so a test can stand in for the network's
resolver (names mapped to 127.0.0.1) and count connection attempts. No Datasette, no click.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
Connector = Callable[[str, int, float], socket.socket]

# IPv6 prefixes whose addresses carry an IPv4 address a gateway or tunnel would reach:
# judged by the IPv4 address they carry.
_CARRIERS_96 = (ipaddress.ip_network("64:ff9b::/96"),)  # NAT64, the last 32 bits
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215): a private network
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")  # 6to4, bits 16..48
_TEREDO = ipaddress.ip_network("2001::/32")  # a tunnel: its client address is obfuscated, never fetched
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # ::a.b.c.d, deprecated (RFC 4291); also :: and ::1
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class Refused(Exception):
    """The host is, or resolves to, an address this fetcher does not connect to."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system's resolver), as text."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to an address already checked."""
    return socket.create_connection((address, port), timeout=timeout)


def _not_public_v4(ip: ipaddress.IPv4Address) -> bool:
    return (
        not ip.is_global or ip in _CGNAT or ip.is_private or ip.is_loopback or ip.is_link_local
        or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )  # fmt: skip


def is_refused(ip: Address) -> bool:
    """Whether ``ip`` is private, loopback, link-local, CGNAT, multicast, reserved or
    unspecified, in either family, including IPv6 forms that carry such an IPv4 address."""
    if isinstance(ip, ipaddress.IPv4Address):
        return _not_public_v4(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        return _not_public_v4(ip.ipv4_mapped)
    if ip in _TEREDO or ip in _IPV4_COMPATIBLE or ip in _NAT64_LOCAL or ip in _SITE_LOCAL or ip in _UNIQUE_LOCAL:
        return True
    if any(ip in net for net in _CARRIERS_96):
        return _not_public_v4(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in _SIX_TO_FOUR:
        return _not_public_v4(ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF))
    return (
        not ip.is_global or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or ip.is_site_local
    )  # fmt: skip


def checked_address(host: str, port: int, resolver: Resolver, allow_private: bool) -> str:
    """The address to connect to for ``host``: resolved once, every answer checked (one
    bad answer refuses the host: the next lookup might return it). Raises Refused, or
    OSError (socket.gaierror) when the name does not resolve."""
    literal = _literal(host)
    addresses = [str(literal)] if literal is not None else resolver(host, port)
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    if not allow_private:
        for text in addresses:
            ip = ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone is no part of the address
            if is_refused(ip):
                raise Refused("private address" if literal is not None else f"private address ({ip})")
    return addresses[0]


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


class PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to a checked address, speaking to the host by its name."""

    def __init__(self, host: str, port: int, address: str, connector: Connector, timeout: float, tls: bool):
        super().__init__(host, port, timeout=timeout)
        self.default_port = 443 if tls else 80  # so the Host header omits the scheme's own port
        self.address = address
        self.connector = connector
        self.tls = tls

    def connect(self) -> None:
        sock = self.connector(self.address, self.port, self.timeout)
        if self.tls:
            context = ssl.create_default_context()  # certificate and hostname verified against the name
            sock = context.wrap_socket(sock, server_hostname=self.host)
        self.sock = sock
