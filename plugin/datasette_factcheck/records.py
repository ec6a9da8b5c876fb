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
        return f"{self.source}: {self.reason}"
