"""How often and how long the fetcher talks to a server: each host's gate (requests at once,
seconds between starts) and each request's total deadline."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

from .fetch_guard import PinnedConnection


class HostGate:
    """At most ``slots`` requests at once to one host, starts ``delay`` seconds apart."""

    def __init__(self, slots: int, delay: float):
        self.slots = threading.BoundedSemaphore(max(1, slots))
        self.delay = delay
        self.lock = threading.Lock()
        self.next_start = 0.0

    def __enter__(self) -> HostGate:
        self.slots.acquire()
        with self.lock:  # book a start time, then wait for it outside the lock
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.delay
        time.sleep(start - now)
        return self

    def __exit__(self, *exc: object) -> None:
        self.slots.release()


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class Deadline:
    """The whole request within ``seconds``: when they pass, the connection's socket is
    shut, so a read that a server feeds one byte a second ends too (a socket timeout
    bounds only each read)."""

    def __init__(self, connection: PinnedConnection, seconds: float):
        self.connection = connection
        self.passed = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def _expire(self) -> None:
        self.passed = True
        sock = self.connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed
                pass

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
