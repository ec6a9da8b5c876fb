"""The one clock the package reads: every timestamp it stores comes from here.

Tests freeze it (``tests/conftest.py``'s ``clock`` fixture) so that no test
depends on the calendar; nothing else calls ``datetime.now``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

# Swapped by tests for a fixed instant; a function, not a value, so a long
# load still stamps each batch with the time it was written.
source: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # noqa: E731


def utc_now() -> datetime:
    """Now, in UTC, as an aware datetime."""
    return source()


def now_iso() -> str:
    """Now as the ISO-8601 text every stored timestamp uses (seconds, with its offset)."""
    return utc_now().isoformat(timespec="seconds")
