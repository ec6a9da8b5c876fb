"""A web page's headline and its site's name, apart.

Pages title themselves for browser tabs and search results: "Budget row
deepens | Example News", the site's name after a separator, and often put
the same suffix in og:title. The desk wants the headline an article carries
("Budget row deepens") and the site as the outlet. The page states its
headline in several places (og:title, the JSON-LD ``headline``, the ``h1``,
the ``<title>``); a suffix is cut where it names the site, or where cutting
it makes the title agree with another of those places.

No Datasette, no click, no network: bytes in, strings out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

# What sites put between the headline and their name.
_SEPARATORS = (" | ", " - ", " – ", " — ", " · ", " :: ", " // ", " « ", " » ")
_MAX_SITE_WORDS = 6  # longer than this after a separator is part of the headline, not a site's name
_MAX_JSON_LD = 200_000  # characters of one JSON-LD block read; more is no article's metadata


@dataclass(frozen=True)
class Headline:
    title: str | None
    site: str | None


def headline(data: bytes, title: str | None, site: str | None) -> Headline:
    """The headline and the site name of the page ``data``. ``title`` and
    ``site`` are what trafilatura read (its title may carry the suffix)."""
    stated = _stated(data)
    site = site or stated.pop("site", None)
    candidates = [
        text for text in (stated.get("og"), stated.get("jsonld"), stated.get("h1"), title, stated.get("title")) if text
    ]
    if not candidates:
        return Headline(None, site)
    if site:
        candidates = [_without_site(text, site) for text in candidates]
    agreed = _agreed(candidates)
    if agreed:
        return Headline(agreed[0], site or agreed[1])
    return Headline(candidates[0], site)


def _without_site(text: str, site: str) -> str:
    """``text`` without the site's name before or after a separator."""
    folded = site.casefold()
    for separator in _SEPARATORS:
        head, found, tail = text.rpartition(separator)
        if found and head and tail.strip().casefold() == folded:
            return head.strip()
        head, found, tail = text.partition(separator)
        if found and tail and head.strip().casefold() == folded:
            return tail.strip()
    return text


def _agreed(candidates: list[str]) -> tuple[str, str | None] | None:
    """The headline two candidates agree on, as (headline, site): first where
    one is the other with a site's name after a separator (the site is that
    name), else where two are the same (site None)."""
    pairs = [(text, other) for number, text in enumerate(candidates) for other in candidates[number + 1 :]]
    for text, other in pairs:
        for longer, shorter in ((text, other), (other, text)):
            suffix = _suffix_after(longer, shorter)
            if suffix:
                return shorter, suffix
    for text, other in pairs:
        if text.casefold() == other.casefold():
            return text, None
    return None


def _suffix_after(longer: str, shorter: str) -> str | None:
    """The site name in ``longer`` when it is ``shorter``, a separator and a short name."""
    if not longer.casefold().startswith(shorter.casefold()):
        return None
    rest = longer[len(shorter) :]
    for separator in _SEPARATORS:
        if rest.startswith(separator):
            name = rest[len(separator) :].strip()
            if name and len(name.split()) <= _MAX_SITE_WORDS:
                return name
    return None


def _stated(data: bytes) -> dict[str, str]:
    """og:title, og:site_name, the JSON-LD headline, the first h1 and the
    <title>, as one-line text, where the page has them."""
    from lxml import etree, html

    try:
        tree = html.fromstring(data)
    except (etree.ParserError, ValueError):
        return {}
    found = {
        "og": _first(tree.xpath('//meta[@property="og:title"]/@content')),
        "site": _first(tree.xpath('//meta[@property="og:site_name"]/@content')),
        "jsonld": _first(_json_ld_headlines(tree.xpath('//script[@type="application/ld+json"]/text()'))),
        "h1": _first(element.text_content() for element in tree.xpath("//h1")),
        "title": _first(element.text_content() for element in tree.xpath("//title")),
    }
    return {name: value for name, value in found.items() if value}


def _first(values) -> str | None:
    for value in values:
        text = " ".join(str(value).split())
        if text:
            return text
    return None


def _json_ld_headlines(blocks: list[str]) -> Iterator[str]:
    for block in blocks:
        try:
            value = json.loads(block[:_MAX_JSON_LD])
        except ValueError:
            continue
        yield from _headlines_in(value)


def _headlines_in(value: object, depth: int = 0) -> Iterator[str]:
    """Every ``headline`` in a JSON-LD value: a list, an ``@graph``, or an item."""
    if depth > 5:
        return
    if isinstance(value, list):
        for item in value:
            yield from _headlines_in(item, depth + 1)
    elif isinstance(value, dict):
        if isinstance(value.get("headline"), str):
            yield value["headline"]
        yield from _headlines_in(value.get("@graph"), depth + 1)
