"""What the domain refuses, by kind. Each carries a one-line message for the
person who sent the request and no HTTP status: the web layer alone decides
how a kind is answered (``web.toolkit.http_status``), and the CLI prints the
message.
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """A request the domain refuses; ``message`` says what and why, in one line."""

    current: dict[str, Any] | None = None  # a conflict's current values

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(Refused):
    """The input itself is wrong: a field's type, its vocabulary or its size."""


class NotAllowed(Refused):
    """The actor may not do this."""


class Unknown(Refused):
    """The request names something that does not exist (a claim id)."""


class Stale(Refused):
    """The thing changed since the request was made; ``current`` holds it as it is now."""

    def __init__(self, message: str, current: dict[str, Any]):
        super().__init__(message)
        self.current = current


class Busy(Refused):
    """Too much is already waiting (jobs, login attempts): try again later."""


class LoadError(Exception):
    """A load that cannot start or go on; the message is for the person running it."""
