"""Published fact-checks read from what publishers put out: ClaimReview JSON and
JSON-LD (one, a list, a schema.org DataFeed, a @graph), JSONL or CSV records, and
HTML pages carrying ClaimReview JSON-LD.

Each reader gives ``Parsed``: the fact-checks it could read and one line per
record it could not, so a bad record never stops the others.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .factcheck_ratings import verdict_for, verdict_for_scale

# The columns of a JSONL/CSV record, as design.md names them; only claim is required.
RECORD_FIELDS = ("id", "claim", "claimant", "rating", "url", "publisher", "published", "title", "summary")
MAX_TEXT = 20_000  # characters of one field; longer is not a fact-check but a page


@dataclass(frozen=True)
class FactCheck:
    """One published fact-check, in the columns of ``factchecks`` (less source and loaded_at)."""

    id: str
    claim: str
    claimant: str | None = None
    rating: str | None = None
    verdict: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    summary: str | None = None


@dataclass
class Parsed:
    factchecks: list[FactCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class BadRecord(ValueError):
    """Why one record is not a fact-check; ``str()`` is the reason."""


def factcheck_id(url: str | None, claim: str) -> str:
    """A stable id for a record without one: from its url and claim."""
    digest = hashlib.sha1(f"{url or ''}\n{claim}".encode()).hexdigest()[:20]
    return f"fc-{digest}"


def _text(value: Any, name: str) -> str | None:
    """A field's value as one trimmed line of text (None when empty)."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadRecord(f"{name} is not text")
    value = " ".join(value.split())
    if len(value) > MAX_TEXT:
        raise BadRecord(f"{name} is longer than {MAX_TEXT:,} characters")
    return value or None


_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d", "%d/%m/%Y")


def iso_date(value: str | None) -> str | None:
    """``value`` as an ISO date where it reads as one, else None."""
    if not value:
        return None
    if match := _ISO_DATE.match(value):
        return match[1]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _http(url: str | None) -> str | None:
    # Links are made only from http(s) URLs: anything else is not kept.
    return url if url and url.lower().startswith(("http://", "https://")) else None


def make_factcheck(values: dict[str, Any]) -> FactCheck:
    """A FactCheck from a record's fields (``RECORD_FIELDS``); BadRecord if it has no claim."""
    fields = {name: _text(values.get(name), name) for name in RECORD_FIELDS}
    claim = fields["claim"]
    if not claim:
        raise BadRecord("no claim")
    url = _http(fields["url"])
    rating = fields["rating"]
    verdict = values.get("verdict") or verdict_for(rating)
    return FactCheck(
        id=fields["id"] or factcheck_id(url, claim),
        claim=claim,
        claimant=fields["claimant"],
        rating=rating,
        verdict=verdict,
        publisher=fields["publisher"],
        url=url,
        published=iso_date(fields["published"]),
        title=fields["title"],
        summary=fields["summary"],
    )


# --- ClaimReview ----------------------------------------------------------------------------


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def claim_reviews(node: Any) -> Iterator[dict]:
    """Every ClaimReview object in a JSON-LD document: on its own, in a list, in a @graph,
    in a DataFeed's ``dataFeedElement`` (directly or in ``item``), wherever nested."""
    if isinstance(node, list):
        for item in node:
            yield from claim_reviews(item)
    elif isinstance(node, dict):
        if "ClaimReview" in _types(node):
            yield node
            return
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from claim_reviews(value)


def _name(value: Any) -> Any:
    """A schema.org Thing's name (an Organization, a Person), or the value when it is text."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value.get("name") if isinstance(value, dict) else value


def _rating(review: dict) -> tuple[Any, str | None]:
    rating = review.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if not isinstance(rating, dict):
        return _name(rating), None
    words = rating.get("alternateName") or rating.get("name")
    if words:
        return words, None
    value = rating.get("ratingValue")
    return value, verdict_for_scale(value, rating.get("bestRating"), rating.get("worstRating"))


def from_claim_review(review: dict) -> FactCheck:
    """A FactCheck from one ClaimReview object; BadRecord if it has no claimReviewed."""
    item = review.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    rating, scale_verdict = _rating(review)
    values = {
        "id": review.get("identifier") if isinstance(review.get("identifier"), str) else None,
        "claim": review.get("claimReviewed") or item.get("name") or item.get("text"),
        "claimant": _name(item.get("author")),
        "rating": rating,
        "url": review.get("url") or review.get("@id"),
        "publisher": _name(review.get("author")) or _name(review.get("publisher")),
        "published": review.get("datePublished"),
        "title": review.get("headline") or review.get("name"),
        "summary": review.get("description") or review.get("reviewBody"),
    }
    if not values["claim"]:
        raise BadRecord("no claim (claimReviewed)")
    if scale_verdict:
        values["verdict"] = scale_verdict
    return make_factcheck(values)


def _add(parsed: Parsed, where: str, make, value) -> None:
    try:
        parsed.factchecks.append(make(value))
    except BadRecord as error:
        parsed.problems.append(f"{where}: {error}")


def read_json(data: str, source: str) -> Parsed:
    """Fact-checks from a JSON/JSON-LD document of ClaimReviews, or of records."""
    parsed = Parsed()
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        parsed.problems.append(f"{source}: not JSON ({error.msg}, line {error.lineno})")
        return parsed
    reviews = list(claim_reviews(document))
    if reviews:
        for number, review in enumerate(reviews, 1):
            _add(parsed, f"{source} ClaimReview {number}", from_claim_review, review)
        return parsed
    records = document if isinstance(document, list) else [document]
    for number, record in enumerate(records, 1):
        _add(parsed, f"{source} record {number}", _record, record)
    return parsed


def _record(value: Any) -> FactCheck:
    if not isinstance(value, dict):
        raise BadRecord("not a JSON object")
    if "ClaimReview" in _types(value):
        return from_claim_review(value)
    return make_factcheck(value)


def json_lines(data: str, source: str) -> Iterator[tuple[int, Any] | str]:
    """Each non-blank line of JSON-lines text read: (its line number, its value),
    or one problem line naming ``source`` and the line where it is not JSON."""
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield f"{source} line {number}: not JSON ({error.msg})"


def read_jsonl(data: str, source: str) -> Parsed:
    """Fact-checks from JSON lines: records, or ClaimReview objects."""
    parsed = Parsed()
    for item in json_lines(data, source):
        if isinstance(item, str):
            parsed.problems.append(item)
        else:
            number, value = item
            _add(parsed, f"{source} line {number}", _record, value)
    return parsed


def read_csv(data: str, source: str) -> Parsed:
    """Fact-checks from CSV with a header naming RECORD_FIELDS (claim required)."""
    parsed = Parsed()
    reader = csv.DictReader(io.StringIO(data))
    if "claim" not in (reader.fieldnames or []):
        parsed.problems.append(f"{source}: no claim column in the header (columns: {', '.join(RECORD_FIELDS)})")
        return parsed
    for row in reader:
        _add(parsed, f"{source} line {reader.line_num}", make_factcheck, row)
    return parsed


_JSON_LD = re.compile(
    rb"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def read_html(data: bytes, source: str) -> Parsed:
    """Fact-checks from the ClaimReview JSON-LD of an HTML page."""
    parsed = Parsed()
    found = 0
    for block in _JSON_LD.findall(data):
        try:
            document = json.loads(block.decode("utf-8", "replace"))
        except json.JSONDecodeError:
            continue  # a broken block of some other markup; the page may have a good one
        for review in claim_reviews(document):
            found += 1
            _add(parsed, f"{source} ClaimReview {found}", from_claim_review, review)
    if not found:
        parsed.problems.append(f"{source}: no ClaimReview JSON-LD on the page")
    return parsed


def read_bytes(data: bytes, source: str, kind: str) -> Parsed:
    """Fact-checks from ``data`` of ``kind`` ("json", "jsonl", "csv", "html")."""
    if kind == "html":
        return read_html(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Parsed(problems=[f"{source}: not UTF-8 text (byte {error.start})"])
    readers = {"json": read_json, "jsonl": read_jsonl, "csv": read_csv}
    return readers[kind](text, source)
