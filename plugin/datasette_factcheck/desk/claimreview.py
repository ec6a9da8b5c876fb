"""ClaimReview JSON-LD for the desk's done claims, as schema.org and Google's fact-check markup
guidance describe it; the export streams it like the sheet (``export.Export``)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from ..extract.names import is_body
from ..extract.sourcing import LEAK_RE, MEDIA_WORDS_RE
from ..links import safe_url
from ..records import read_json_list
from ..vocab import DONE, VERDICT_LABELS, VERDICT_RATINGS
from . import queue as triage
from .export import PAGE_SIZE, Export

SCHEMA_ORG = "https://schema.org"


def claimreview_filters(filters: triage.QueueFilters) -> triage.QueueFilters:
    """The same filters with status forced to done: only finished reviews are published."""
    return replace(filters, values={**filters.values, "status": [DONE]})


# --- ClaimReview -----------------------------------------------------------------

# Who a claimant is, for itemReviewed.author. The annotator resolves a
# person's surname to the full name it met earlier, so a one-word claimant is
# nearly always a state, an outlet or a body ("Russia", "BBC", "Leaks").
_ACRONYM_RE = re.compile(r"\b[A-Z]{2,}\b")
_BODY_SIGNALS = (LEAK_RE, MEDIA_WORDS_RE, _ACRONYM_RE, re.compile(r"^the ", re.I))


def claimant_type(claimant: str) -> str:
    """ "Organization" when the claimant looks like an outlet, leak or institution, else "Person"."""
    body = len(claimant.split()) == 1 or is_body(claimant) or any(p.search(claimant) for p in _BODY_SIGNALS)
    return "Organization" if body else "Person"


@dataclass(frozen=True)
class ClaimReviewSettings:
    """The plugin settings the JSON-LD needs (``plugins: datasette-factcheck:``).

    ``review_url`` holds ``{id}`` where the claim id goes, e.g.
    "https://example.org/fact-checks/{id}".
    """

    organisation: str | None = None
    organisation_url: str | None = None
    review_url: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> ClaimReviewSettings:
        config = config or {}
        return cls(config.get("organisation"), config.get("organisation_url"), config.get("review_url"))


def _compact(item: dict) -> dict:
    """Leave out the parts we do not know, rather than publish nulls."""
    return {key: value for key, value in item.items() if value not in (None, "", {})}


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _rating(verdict: str | None) -> dict:
    # misleading and unproven are not points on the true-false scale: label only.
    rating = {"@type": "Rating", "alternateName": VERDICT_LABELS.get(verdict or "", verdict)}
    if verdict in VERDICT_RATINGS:
        rating.update(ratingValue=VERDICT_RATINGS[verdict], bestRating=5, worstRating=1)
    return rating


def _appearance(row: Mapping[str, Any]) -> dict | None:
    publisher = _compact({"@type": "Organization", "name": row["outlet"]}) if row["outlet"] else None
    url = safe_url(row["url"])  # a publisher's page turns it into a link
    if not (url or row["article_title"] or publisher):
        return None
    return _compact({"@type": "CreativeWork", "url": url, "headline": row["article_title"], "publisher": publisher})


def _item_reviewed(row: Mapping[str, Any]) -> dict:
    claimant = row["claimant"]
    author = {"@type": claimant_type(claimant), "name": claimant} if claimant else None
    return _compact(
        {
            "@type": "Claim",
            "author": author,
            "datePublished": _date(row["published"]),
            "appearance": _appearance(row),
        }
    )


def _earlier_check(factcheck: Mapping[str, Any]) -> dict:
    """A published fact-check the review used, as the ClaimReview its publisher put out."""
    publisher = factcheck.get("publisher")
    rating = factcheck.get("rating")
    return _compact(
        {
            "@type": "ClaimReview",
            "url": safe_url(factcheck.get("url")),
            "claimReviewed": factcheck.get("claim"),
            "author": {"@type": "Organization", "name": publisher} if publisher else None,
            "datePublished": _date(factcheck.get("published")),
            "reviewRating": {"@type": "Rating", "alternateName": rating} if rating else None,
        }
    )


def _based_on(row: Mapping[str, Any]) -> list[dict] | None:
    """The earlier fact-checks the editor used (``used_factchecks``, JSON from
    ClaimReviewExport's query), each with a URL; None when there are none."""
    stored = row["used_factchecks"] if "used_factchecks" in row.keys() else None
    used = [_earlier_check(item) for item in read_json_list(stored)]
    return [item for item in used if "url" in item] or None


def claimreview_item(row: Mapping[str, Any], settings: ClaimReviewSettings) -> dict:
    """One done claim as a self-contained ClaimReview object.

    ``isBasedOn`` names the published fact-checks the verdict was taken from (the editor
    pressed "use this verdict", which puts the fact-check's URL in the evidence). Of
    schema.org's properties for another work, isBasedOn ("a resource from which this
    work is derived") says that the review adopts the earlier check's finding;
    ``citation`` would only say it is mentioned, as any evidence link is.
    """
    author = _compact({"@type": "Organization", "name": settings.organisation, "url": settings.organisation_url})
    return _compact(
        {
            "@context": SCHEMA_ORG,
            "@type": "ClaimReview",
            "url": (settings.review_url or "").replace("{id}", quote(row["id"], safe="")) or None,
            "claimReviewed": row["text"],
            "datePublished": _date(row["reviewed_at"]),
            "author": author if "name" in author else None,
            "reviewRating": _rating(row["verdict"]),
            "itemReviewed": _item_reviewed(row),
            "isBasedOn": _based_on(row),
        }
    )


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def embeddable_json(value: Any) -> str:
    """JSON safe to paste into an HTML <script> element: <, > and & escaped."""
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_SAFE)


# The claim's matched fact-checks whose URL is one of its evidence items, best match
# first, as a JSON array. Evidence a write elsewhere left as other JSON, or not JSON at
# all, counts as none rather than failing the export.
_USED_FACTCHECKS = """SELECT json_group_array(json(used)) FROM (
    SELECT json_object('url', f.url, 'claim', f.claim, 'publisher', f.publisher, 'rating', f.rating,
        'published', f.published) AS used
    FROM claim_matches m JOIN factchecks f ON f.id = m.factcheck_id
    WHERE m.claim_id = page.id AND f.url IN (
        SELECT trim(value) FROM json_each(CASE WHEN json_valid(page.evidence) THEN page.evidence ELSE '[]' END))
    ORDER BY m.rank)"""


class ClaimReviewExport(Export):
    """A JSON array of ClaimReview objects, one per line, for done claims only.

    An array of self-contained objects (each with its own @context) rather
    than one @graph: any item can be pasted as is into the review page's
    <script type="application/ld+json">, the form Google's fact-check markup
    guidance shows, and the array streams without knowing its length.
    """

    content_type = "application/ld+json; charset=utf-8"

    def __init__(self, filters: triage.QueueFilters, settings: ClaimReviewSettings, page_size: int = PAGE_SIZE):
        super().__init__(claimreview_filters(filters), page_size)
        self.settings = settings
        self._separator = "\n"
        self.has_factchecks = True  # bind() says whether the database has the fact-check tables

    def bind(self, conn: sqlite3.Connection) -> None:
        found = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('claim_matches', 'factchecks')"
        ).fetchone()[0]
        self.has_factchecks = found == 2  # a database from before fact-checks (served immutable) has none

    def next_query(self) -> tuple[str, list] | None:
        """The sheet's page query, each claim with the fact-checks it used (``used_factchecks``)."""
        query = super().next_query()
        if query is None or not self.has_factchecks:
            return query
        sql, params = query
        wrapped = f"SELECT page.*, ({_USED_FACTCHECKS}) AS used_factchecks FROM ({sql}) page ORDER BY page.checkworthiness DESC, page.id"
        return wrapped, params

    def head(self) -> str:
        return "["

    def render(self, rows: Sequence[Mapping[str, Any]]) -> str:
        parts = []
        for row in rows:
            parts.append(self._separator + embeddable_json(claimreview_item(row, self.settings)))
            self._separator = ",\n"
        return "".join(parts)

    def tail(self) -> str:
        return "\n]\n"
