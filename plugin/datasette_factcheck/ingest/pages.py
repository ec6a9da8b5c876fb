"""What web pages, feeds and sitemaps hold: articles with their metadata, and the URLs they list.

- An HTML page becomes an ``Article`` by trafilatura: its main text without the page's
  furniture (navigation, ads, related links, comments, cookie banners), and its title,
  author, date, site name and canonical URL (from JSON-LD, OpenGraph and meta tags). Its id
  comes from the canonical URL, so it stays the same however the page was reached.
- A feed (RSS, Atom, RDF) is read by feedparser; a sitemap (or sitemap index) by a small XML
  read. Both give ``Listed`` URLs with what the listing says of them.

``bench/fetch.py`` measured the choices: feedparser over trafilatura's feed reader (which
gives links only, counts the channel's own link as an article, and cannot tell a malformed
feed from an empty one), and our XML read over trafilatura's sitemap reader (which tells
child sitemaps from pages by their file name and drops lastmod). Neither of trafilatura's
readers accepts a URL whose host is an IP address.

No Datasette, no click, no network: bytes in, records out.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from time import struct_time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..links import safe_url
from ..records import MAX_ARTICLE_CHARS, Article, LoadProblem
from .clean import clean_text, iso_date
from .titles import headline

WEB_ID_PREFIX = "web-"
MIN_WORDS = 20  # fewer words than this outside the furniture is no article (a video page, a section front)
MAX_LISTED = 50_000  # a sitemap holds at most 50,000 URLs (sitemaps.org)
# Query parameters that only say where a click came from: the same article, whatever they hold.
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign|ito)$", re.I)
_FIRST_TAG = re.compile(rb"<([A-Za-z][\w.:-]*)")
_JOB_TITLE = re.compile(
    r"\b(?:correspondent|editor|reporter|writer|columnist|journalist|staff|contributor|producer)s?\b", re.I
)
_FEED_ROOTS = {b"rss", b"feed", b"rdf"}
_SITEMAP_ROOTS = {b"urlset", b"sitemapindex"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Dates only from what the page states (JSON-LD, meta tags, <time>): htmldate's extensive
# search guesses from any date in the text, and took a footer's "© 2025" for 1 January 2025.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


# --- URLs and ids -----------------------------------------------------------------------------


def normalise_url(url: str) -> str:
    """``url`` as one article's address: scheme and host in lower case, default port,
    fragment and tracking parameters (utm_*, fbclid...) dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:  # out of range: the address is kept as written (fetching it fails on its own line)
        port, host = None, parts.netloc.lower()
    netloc = host if port in (None, default) else f"{host}:{port}"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(_TRACKING.match(name) for name, _ in pairs):  # rebuilt only when needed: it re-encodes
        query = urlencode([(name, value) for name, value in pairs if not _TRACKING.match(name)])
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def web_id(url: str) -> str:
    """The article id of a page at ``url``: the same for every spelling of its address."""
    return WEB_ID_PREFIX + hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()[:16]


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return re.sub(r"^(?:www|m|amp|mobile)\.", "", host)


def _host_names(url: str) -> set[str]:
    """How a site is named after its address: host, host and port, host without www."""
    parts = urlsplit(url)
    return {(parts.hostname or "").lower(), parts.netloc.lower(), _site(url)}


def canonical_url(stated: str | None, fetched: str | None) -> str | None:
    """The page's own canonical URL when it may be believed, else the address it came from.

    A page fetched from one site may not name another site's URL as its own: it would
    replace that site's article (and supersede its reviewed claims) on the next load."""
    stated = safe_url(stated)
    if fetched is None:
        return normalise_url(stated) if stated else None
    if stated and _site(stated) == _site(fetched):
        return normalise_url(stated)
    return normalise_url(fetched)


# --- what a body is -------------------------------------------------------------------------


def kind_of(content_type: str, data: bytes) -> str | None:
    """ "feed", "sitemap" or "html" for what ``data`` is, else None. The first element
    decides over the Content-Type header: feeds are often served as text/html or text/xml."""
    match = _FIRST_TAG.search(data[:4096])
    root = match[1].rsplit(b":", 1)[-1].lower() if match else b""
    if root in _FEED_ROOTS:
        return "feed"
    if root in _SITEMAP_ROOTS:
        return "sitemap"
    if content_type in _HTML_TYPES or root == b"html" or (not content_type and root in (b"!doctype", b"head", b"body")):
        return "html"
    return None


# --- pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """An article a feed or sitemap lists, with what the listing says of it."""

    url: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date
    updated: str | None = None  # ISO timestamp (UTC): when the listing says it last changed


def article_from_html(
    data: bytes, *, source: str, fetched_url: str | None = None, fallback_id: str | None = None,
    listed: Listed | None = None,
) -> Article | LoadProblem:  # fmt: skip
    """The article in an HTML page, or why there is none.

    ``fetched_url``: where the page came from (None for a saved file). The id is
    ``web-`` and a hash of the canonical URL; a saved page without one takes ``fallback_id``.
    What the page leaves out (author, date), the feed entry ``listed`` may give."""
    document = _extract(data, fetched_url)
    if isinstance(document, str):
        return LoadProblem(source, document)
    # The headline without the site's name that tab titles carry ("... | Example News"); the site is the outlet.
    sitename = _one_line(document.sitename)
    # trafilatura names a site by its host when the page does not; a name the page states wins over that.
    guessed = sitename is not None and fetched_url is not None and sitename.lower() in _host_names(fetched_url)
    named = headline(data, _one_line(document.title), None if guessed else sitename)
    title = named.title or (listed.title if listed else None)
    body, spans = clean_text(_without_title(document.text or "", title))
    if len(body) > MAX_ARTICLE_CHARS:
        return LoadProblem(
            source, f"the article text is over {MAX_ARTICLE_CHARS:,} characters, the limit for one article"
        )
    words = len(body.split())
    if words < MIN_WORDS:
        return LoadProblem(
            source, f"no article text in the page ({words} words besides its headline, navigation, ads and comments)"
        )
    url = canonical_url(document.url, fetched_url)
    return Article(
        id=web_id(url) if url else (fallback_id or ""), body=body, source=source, social_spans=spans, title=title,
        outlet=named.site or sitename, author=_author(document.author) or (listed.author if listed else None),
        published=iso_date(document.date or "") or (listed.published if listed else None), url=url,
    )  # fmt: skip


def _extract(data: bytes, url: str | None):
    """trafilatura's document for the page, or why it gave none."""
    import trafilatura  # imported here: a second to load, and only HTML needs it

    try:
        document = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, favor_precision=True,
            date_extraction_params=_DATE_PARAMS,
        )  # fmt: skip
    except Exception as error:  # noqa: BLE001 - lxml and trafilatura raise many kinds on broken markup
        return f"cannot read the page as HTML ({type(error).__name__}: {error})"
    if document is None:
        return "no article text in the page (trafilatura found no main text)"
    return document


def _without_title(text: str, title: str | None) -> str:
    """The text without a first line that repeats the headline (it is the title, not a claim)."""
    first, _, rest = text.partition("\n")
    return rest if title and " ".join(first.split()) == title else text


def _author(value: str | None) -> str | None:
    """The names in a byline, without the job titles trafilatura keeps ("Jo Bloggs; Health editor")."""
    names = [name for name in (value or "").split(";") if not _JOB_TITLE.search(name)]
    return _one_line("; ".join(name.strip() for name in names))


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


# --- feeds ----------------------------------------------------------------------------------


def read_feed(data: bytes, url: str) -> list[Listed] | str:
    """The articles an RSS, Atom or RDF feed lists, newest first as feeds put them, or why
    it is unreadable. A feed with a flaw feedparser reads past still gives its entries."""
    import feedparser

    # A stream, never bytes or text: feedparser treats a string that names a file or URL as one to open.
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url})
    if parsed.bozo and not parsed.entries:
        return f"malformed feed ({_bozo_reason(parsed.get('bozo_exception'))})"
    listed = (_listed(entry) for entry in parsed.entries[:MAX_LISTED])
    return [item for item in listed if item is not None]


def _listed(entry: dict) -> Listed | None:
    url = safe_url(entry.get("link"))
    if url is None:
        return None
    # dict.get: feedparser's own answers a missing updated_parsed with published_parsed, and warns.
    published, updated = dict.get(entry, "published_parsed"), dict.get(entry, "updated_parsed")
    return Listed(
        url=url, title=_one_line(entry.get("title")), author=_one_line(entry.get("author")),
        published=_date(published or updated), updated=_stamp(updated or published),
    )  # fmt: skip


def _bozo_reason(error: object) -> str:
    if hasattr(error, "getMessage") and hasattr(error, "getLineNumber"):  # the XML parser's own error
        return f"{error.getMessage()} at line {error.getLineNumber()}"
    return " ".join(str(error or "not a feed").split())


def _date(value: struct_time | None) -> str | None:
    return datetime(*value[:3]).date().isoformat() if value else None


def _stamp(value: struct_time | None) -> str | None:
    return datetime(*value[:6], tzinfo=timezone.utc).isoformat() if value else None


# --- sitemaps -------------------------------------------------------------------------------


@dataclass
class Sitemap:
    """A sitemap's pages, newest first where it dates them, or an index's child sitemaps."""

    pages: list[Listed]
    sitemaps: list[str]


def read_sitemap(data: bytes) -> Sitemap | str:
    """The URLs a sitemap (``<urlset>``) or sitemap index (``<sitemapindex>``) lists, or why
    it is unreadable. Entities are never resolved and nothing is fetched by the parser."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return f"malformed sitemap ({error})"
    entries = [_sitemap_entry(child) for child in root[:MAX_LISTED] if isinstance(child.tag, str)]
    entries = [entry for entry in entries if entry]
    if etree.QName(root).localname == "sitemapindex":
        return Sitemap([], [entry.url for entry in entries])
    # Newest first, undated last: a --limit takes the latest news.
    entries.sort(key=lambda entry: entry.updated or "", reverse=True)
    return Sitemap(entries, [])


def _sitemap_entry(element) -> Listed | None:
    fields = {_local(child.tag): (child.text or "").strip() for child in element if isinstance(child.tag, str)}
    url = safe_url(fields.get("loc"))
    if url is None:
        return None
    # lastmod is when the page last changed, not when it was published: it only says what is new.
    return Listed(url=url, updated=_utc(fields.get("lastmod")))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _utc(value: str | None) -> str | None:
    """A W3C datetime (2025-01-20, or with a time and zone) as an ISO timestamp in UTC."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()
