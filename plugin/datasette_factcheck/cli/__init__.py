"""The ``datasette factcheck`` commands: a thin click layer over load/, match/, score/ and desk/.

Rule: click only here; each command parses its input, calls the library and reports.
"""

from __future__ import annotations

from . import articles, factchecks, model  # noqa: F401  (each registers its commands on the group)
from .group import factcheck

__all__ = ["factcheck"]
