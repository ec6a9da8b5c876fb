"""How many failed logins an account, or an address, may have in a window before it must wait.

Guessing passwords costs the guesser one request each; the limit makes it cost time
instead, per account (someone trying one editor's password from many addresses) and per
address (one machine trying many accounts). A success does not clear the count: it would
let a guesser who knows one password reset the limit of every account it tries.

``now`` is injected (a monotonic clock) so tests step through a window without waiting.
No Datasette, no click.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

DEFAULT_LIMIT = 10  # failed logins
DEFAULT_WINDOW = 60.0  # seconds
MAX_KEYS = 100_000  # keys remembered; the oldest are forgotten first (bounded memory under a spray)


class FailureLimiter:
    """Failed attempts per key within the last ``window`` seconds, at most ``limit``."""

    def __init__(self, limit: int = DEFAULT_LIMIT, window: float = DEFAULT_WINDOW,
                 now: Callable[[], float] = time.monotonic):  # fmt: skip
        self.limit = limit
        self.window = window
        self.now = now
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, *keys: str) -> int | None:
        """Seconds until every key may try again, or None if all may try now."""
        with self._lock:
            now = self.now()
            waits = [self._wait(key, now) for key in keys]
        longest = max((wait for wait in waits if wait is not None), default=None)
        return None if longest is None else max(1, math.ceil(longest))

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = self.now()
            for key in keys:
                times = self._failures.pop(key, None) or deque()
                times.append(now)
                self._failures[key] = times  # re-inserted: most recently failed last
            while len(self._failures) > MAX_KEYS:
                self._failures.pop(next(iter(self._failures)))

    def _wait(self, key: str, now: float) -> float | None:
        times = self._failures.get(key)
        if not times:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < self.limit:
            return None
        return times[len(times) - self.limit] + self.window - now
