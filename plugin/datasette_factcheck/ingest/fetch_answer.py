"""What a server answered, read within limits: a page, 304, a redirect, busy, or one line why not.

The words a fetch is reported in (``Fetched``, ``Validators``, ``FetchProblem``), and one
HTTP response read into them; ``fetch`` decides whom to ask, when, and whether to follow
or retry. A body over the size cap is refused as soon as that is known (its Content-Length,
the bytes so far, or gzip's output), so a huge answer costs no more than the cap.
"""

from __future__ import annotations

import http.client
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from .. import clock

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 65536


@dataclass(frozen=True)
class Validators:
    """What a previous answer said about its version, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}


@dataclass
class Fetched:
    """An answer: 200 with its body, or 304 (not modified since ``Validators``) without."""

    url: str  # after redirects
    status: int
    content_type: str  # lower case, without parameters
    body: bytes
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchProblem(Exception):
    """Why a URL gave nothing to read; ``str()`` is one line for the user. ``status`` is
    the HTTP status that refused it, if one did."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


@dataclass
class Redirect:
    """A 3xx: the fetcher follows ``location`` if it may."""

    location: str | None


@dataclass
class Busy:
    """A 429 or 5xx: the fetcher retries, after ``retry_after`` seconds if the server said."""

    status: int
    retry_after: float | None

    def what(self) -> str:
        return f"too many requests (HTTP {self.status})" if self.status == 429 else f"server error (HTTP {self.status})"

    def give_up(self, attempts: int) -> str:
        return f"{self.what()} after {attempts} attempt{'s' * (attempts != 1)}; try again later"


def read_answer(
    response: http.client.HTTPResponse, url: str, validators: Validators | None, max_bytes: int, truncate: bool
) -> Fetched | Redirect | Busy:
    """What the server said: a page, 304, a redirect, busy (retry), or a FetchProblem."""
    status, headers = response.status, response.headers
    if status == 304 and validators:
        return Fetched(url, 304, "", b"", validators)
    if status in (301, 302, 303, 307, 308):
        return Redirect(headers.get("Location"))
    if status in RETRY_STATUSES:
        return Busy(status, _retry_after(headers.get("Retry-After")))
    if not 200 <= status < 300:
        raise FetchProblem(_status_reason(status, response.reason), status)
    body = _read_capped(response, max_bytes, None if truncate else _declared_length(headers), truncate)
    if headers.get("Content-Encoding", "").strip().lower() in ("gzip", "x-gzip"):
        body = gunzip_capped(body, max_bytes)
    return Fetched(
        url=url, status=status, body=body,
        content_type=headers.get_content_type() if headers.get("Content-Type") else "",
        validators=Validators(headers.get("ETag"), headers.get("Last-Modified")),
    )  # fmt: skip


def _status_reason(status: int, reason: object) -> str:
    if status == 404:
        return "not found (HTTP 404)"
    if status == 410:
        return "gone (HTTP 410): the page was removed"
    words = f" {reason}" if isinstance(reason, str) and reason else ""
    return f"refused (HTTP {status}{words})" if status < 500 else f"server error (HTTP {status}{words})"


def _declared_length(headers: object) -> int | None:
    try:
        return int(headers.get("Content-Length"))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None


def _read_capped(response: http.client.HTTPResponse, max_bytes: int, declared: int | None,
                 truncate: bool = False) -> bytes:  # fmt: skip
    """The body, refused as soon as it is known to be over ``max_bytes`` (or, with
    ``truncate``, cut there: robots.txt). ``read1`` returns what has arrived, so the
    request's deadline is checked however slowly it comes."""
    if declared is not None and declared > max_bytes:
        raise FetchProblem(_too_large(declared, max_bytes, declared=True))
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                break
            raise FetchProblem(_too_large(size, max_bytes))
        chunks.append(chunk)
    return b"".join(chunks)


def gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data, refusing more than ``max_bytes`` out (a small bomb is a big page)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise FetchProblem(f"the compressed answer is damaged ({error})") from None
    if len(out) > max_bytes:
        raise FetchProblem(_too_large(len(out), max_bytes))
    return out


def _too_large(size: int, limit: int, declared: bool = False) -> str:
    said = f" (its Content-Length says {size / 1_000_000:.1f} MB)" if declared else ""
    return f"too large: over the {limit / 1_000_000:g} MB limit for one page{said}"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - clock.utc_now().timestamp())
    except (TypeError, ValueError, IndexError):
        return None
