"""Plain records passed between ingest, extraction and loading, and what a load reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


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
