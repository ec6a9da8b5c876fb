"""Plain records passed between ingest, extraction and loading."""

from __future__ import annotations

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
class LoadProblem:
    """A file (or one record of it) that could not be loaded.

    ``source`` names the file, with ``:LINE`` when one record is at fault;
    ``reason`` is one line a user can act on.
    """

    source: str
    reason: str

    def __str__(self) -> str:
        # One line whatever it quotes: file names and ids may hold line breaks.
        return f"{self.source}: {self.reason}".translate(_LINE_BREAKS_ESCAPED)


# Every character str.splitlines() breaks at, written as an escape instead.
_LINE_BREAKS_ESCAPED = str.maketrans(
    {char: repr(char)[1:-1] for char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
)
