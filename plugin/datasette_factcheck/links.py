"""What may become a link: only http(s) URLs, anywhere the plugin makes one.

A stored ``url`` or evidence item comes from loaded files and editors'
input. ``javascript:``, ``data:`` and the like run script when clicked, so
every page, export and the loader ask ``safe_url`` before a value is
rendered as ``href`` or published as a URL. Standard library only.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Control characters and spaces inside a URL are how scheme checks are
# usually slipped past ("java\tscript:"); a real link never has them.
_UNSAFE_CHARS_RE = re.compile(r"[\x00-\x20\x7f]")
SCHEMES = ("http", "https")


def safe_url(value: object) -> str | None:
    """``value`` as an http(s) URL with a host, surrounding space removed; else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or _UNSAFE_CHARS_RE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        return None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        return None
    return url
