"""Plain records passed between ingest, extraction and loading, and what a load reports."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

# The longest article body read from any source: decimal megabytes, so "article is 6 MB"
# means what a user expects of 6,000,000 characters.
MAX_ARTICLE_CHARS = 5_000_000
# An article's own fields, as a JSONL or CSV record gives them, in the articles table's
# column order (store/rows.py's ArticleRow); load/run.content_hash reads them, id aside.
ARTICLE_FIELDS = ("id", "title", "outlet", "author", "published", "url", "body")


@dataclass
class Article:
    """One cleaned article, ready for claim extraction.

    ``body`` holds paragraphs separated by a blank line ("\\n\\n").
    ``social_spans`` are (start, end) offsets into ``body`` of text that came
    from an embedded social-media post (its credit line already removed), so
    the extractor can mark claims there as sourced from social media.
    """

    id: str
    body: str
    source: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    social_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class LoadNotice:
    """Something to tell the user about a file, or one record of it.

    ``source`` names the file, with ``:LINE`` when one record is meant;
    ``reason`` is one line a user can act on.
    """

    source: str
    reason: str

    def __str__(self) -> str:
        # One printable line whatever it quotes: file names, ids and URLs may hold
        # line breaks, terminal escapes or bytes that are not UTF-8.
        return _printable(f"{self.source}: {self.reason}")


@dataclass
class LoadProblem(LoadNotice):
    """A file, or one record of it, that could not be loaded."""


@dataclass
class LoadWarning(LoadNotice):
    """A record that loaded, but with something of it dropped (an unsafe url)."""


# Every character str.splitlines() breaks at and every other control character
# (an ESC starts a terminal escape sequence), written as an escape instead.
_CONTROLS_ESCAPED = str.maketrans(
    {char: repr(char)[1:-1] for char in map(chr, [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029])}
)
# Undecodable bytes of a file name, as Python's surrogateescape decoding keeps them.
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")


def _printable(text: str) -> str:
    text = _ESCAPED_BYTES.sub(lambda match: f"\\x{ord(match[0]) - 0xDC00:02x}", text)
    # Any other lone surrogate cannot be written to a UTF-8 terminal either.
    return text.translate(_CONTROLS_ESCAPED).encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class LoadSummary:
    """What one load did. Every problem and warning is one line naming its file."""

    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    claims_new: int = 0
    claims_kept: int = 0
    claims_superseded: int = 0
    problems: list[LoadProblem] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)  # loaded, with something dropped
    # The paths with a problem, and the files that gave an article now stored (new,
    # updated or unchanged): a file in both loaded in part, one only in the first, nothing.
    failed_paths: set[str] = field(default_factory=set)
    loaded_files: set[str] = field(default_factory=set)

    def refuse(self, path: str, problem: LoadProblem) -> None:
        self.problems.append(problem)
        self.failed_paths.add(path)

    @property
    def files_failed(self) -> int:
        """Files (and folders, and missing paths) that did not load whole."""
        return len(self.failed_paths)

    @property
    def files_loaded_in_part(self) -> int:
        """Failed files of which some records still loaded."""
        return len(self.failed_paths & self.loaded_files)

    def __str__(self) -> str:
        text = (
            f"articles: {self.articles_new} new, {self.articles_updated} updated, "
            f"{self.articles_unchanged} unchanged; claims: {self.claims_new} new, "
            f"{self.claims_kept} kept, {self.claims_superseded} superseded"
        )
        if self.warnings:
            text += f"; warnings: {len(self.warnings)}"
        if self.files_failed:
            part = self.files_loaded_in_part
            text += f"; files with problems: {part} loaded in part, {self.files_failed - part} loaded nothing"
        return text + f"; files failed: {self.files_failed}"


# What the loader reads: (the input it counts against, the article or what went wrong).
# The input is a file for files, a URL for pages: the summary counts inputs that failed.
Sourced = tuple[str, Article | LoadNotice]


_ONLY_STR = frozenset((str,))


def json_list(items: list) -> str:
    """``json.dumps(items)``, byte for byte, a few times faster for a list of strings:
    the C string encoder without the encoder object json.dumps sets up for every call,
    twice for every claim loaded."""
    if _ONLY_STR.issuperset(map(type, items)):  # in C, where all() of a generator is not
        return "[" + ", ".join(map(encode_basestring_ascii, items)) + "]"
    return json.dumps(items)  # a plugin's figures may be numbers


def read_json_list(stored: Any) -> list:
    """A JSON list column (figures, reasons, evidence) as a list, the one decoder every reader
    uses: empty for NULL or "", and anything else shown rather than refused, since Datasette's own
    write API can store anything there: text that is not JSON, or a JSON value that is not a
    list, comes back as one item."""
    if isinstance(stored, (bytes, bytearray)):
        stored = bytes(stored).decode("utf-8", errors="replace")  # a BLOB stored through the write API
    if stored is None or stored == "":
        return []
    try:
        value = json.loads(stored) if isinstance(stored, str) else stored
    except ValueError:
        return [stored]
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
