"""Clean article text: scraper debris, embedded tweets, paragraphs, .txt headers and titles.

``clean_text`` turns a raw body into paragraphs separated by one blank line, with ad
placeholders and "Read more" links removed and the credits of embedded tweets cut out
(their text is returned as spans). ``clean_txt`` does the same for a whole ``.txt`` file,
first taking off an optional header line ("date 2024-12-20 Authored by X via Y") and a
headline. ``iso_date`` normalises the dates found in headers and record fields.

Standard library only. Cleaning runs for every article of every load, so it sticks to str
methods and a few compiled regexes applied to whole texts, with cheap substring tests to
skip the ones a text does not need.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

# --- patterns -------------------------------------------------------------------------------

_SP = r"[^\S\n]"  # whitespace within a line, non-breaking spaces included
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_ODD_CHARS = "\r\u2028\u2029\x85\x0b\x0c\ufeff"
_ODD_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_DEBRIS_HINTS = ("d box", "D BOX", "d Box", "ead more", "EAD MORE", "ead More")
# Whole debris lines: an ad placeholder, or "Read more" alone or before a link's title. The
# match starts at the newline before the line (one is prepended to the text): a literal first
# character lets the regex engine jump from line to line instead of trying every position.
_DEBRIS_LINE = re.compile(
    rf"\n{_SP}*(?:(?i:article{_SP}+ad{_SP}+box){_SP}*(?=\n|\Z)"
    rf"|(?i:read{_SP}+more){_SP}*(?P<colon>[:»›>.…]*)(?P<rest>[^\n]*))"
)
_GLUED_READ_MORE = re.compile(r"(?:Read more|READ MORE)(?=[A-Z0-9\"“‘'(])")  # "Read moreAccording"
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
_TWEET_LINK = r"(?:pic\.twitter\.com/\w+|https?://t\.co/\w+)"
_TWEET_LINKS = re.compile(_TWEET_LINK)
_TWEET_DATE = rf"(?:{_MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\.?,?\s+\d{{4}})"
_TWEET_BYLINE = r"[-—–]+\s*[^()]{1,80}?\s*\(@\w{1,30}\)"
# An embedded tweet's credit: its links then "— Name (@handle) date", or links ending the
# paragraph, or the attribution alone (the date then required, to stay clear of prose).
_CREDIT = re.compile(
    rf"{_TWEET_LINK}(?:\s+{_TWEET_LINK})*(?:\s*{_TWEET_BYLINE}(?:\s*{_TWEET_DATE})?|\s*$)"
    rf"|{_TWEET_BYLINE}\s*{_TWEET_DATE}"
)
_SIGNATURE_DATE = re.compile(rf"{_TWEET_BYLINE}\s*({_TWEET_DATE})")
_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
# A headline that asks or exclaims, or quotes someone whole: '"We will not back down."'.
_ASKING_OR_QUOTING = re.compile(r"[?!][\"'”’»)\]]*$|^[\"“‘'][^\"“”]+[.?!]?[\"”’']$")
_SENTENCE_IN_LINE = re.compile(r"[a-z]{2}[.!?](?:\s|$)")  # not initials, not "AntiWar.com"
_HEADER_DATE = re.compile(r"date:?\s+(\d{4}-\d\d-\d\d)(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?(?=[\s,;]|$)", re.I)
_HEADER_BYLINE = re.compile(r"(?:(?:authored\s+by|by)\s+(?P<author>.+?))?(?:\s*\bvia\s+(?P<outlet>.+))?", re.I)
_NAME_LINKS = set("and & de del da di du van von der den le la al bin".split())  # lower-case in names
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
# A weekday, "20th", "Dec.", and "Sept" (strptime knows "Sep").
_DATE_NOISE = re.compile(r"^[A-Za-z]+day,?\s+|(?<=\d)(?:st|nd|rd|th)\b|\.|(?<=\bSep)t\b")
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%Y/%m/%d")


# --- text -----------------------------------------------------------------------------------


def clean_text(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """Clean an article body: scraper debris out, paragraphs separated by one blank line.

    Returns the body and the (start, end) offsets in it of the text of embedded tweets,
    whose credits ("pic.twitter.com/... — Name (@handle) date") are removed.
    """
    return _assemble(_paragraphs(_scrub(raw)))


def clean_txt(raw: str) -> tuple[dict[str, str | None], str, list[tuple[int, int]]]:
    """Clean a whole ``.txt`` article: its fields (``title``, and ``published``, ``author``
    and ``outlet`` when it has a header line), its body and tweet spans as ``clean_text``."""
    header, text = _split_header(_scrub(raw))
    title, text = _split_title(text)
    body, spans = _assemble(_paragraphs(text))
    return {**header, "title": title}, body, spans


def _scrub(raw: str) -> str:
    """Normalise newlines and remove scraper debris; the line structure is kept."""
    text = raw
    if any(char in text for char in _ODD_CHARS):
        text = _ODD_NEWLINES.sub("\n", text).replace("\ufeff", "")
    if not any(hint in text for hint in _DEBRIS_HINTS):
        return text
    text = _DEBRIS_LINE.sub(_debris_line, "\n" + text)[1:].replace("ARTICLE AD BOX", " ")
    # A space, not nothing: the marker may sit between two sentences ("war.Read moreThe").
    return _GLUED_READ_MORE.sub(" ", text)


def _debris_line(match: re.Match[str]) -> str:
    rest = (match["rest"] or "").strip()
    if not rest:
        return ""  # an ad placeholder or a bare "Read more"
    if not match["colon"]:
        return match[0]  # prose that starts with "read more", or a glued marker handled later
    return "" if _is_headline(rest, min_words=1) else "\n" + rest  # "Read more: <other story>"


def _split_header(text: str) -> tuple[dict[str, str | None], str]:
    """Metadata from a first line like "date 2024-12-20 Authored by X via Y," and the rest."""
    line, _, rest = text.lstrip().partition("\n")
    header = _parse_header(line)
    return (header, rest) if header else ({}, text)


def _parse_header(line: str) -> dict[str, str | None] | None:
    line = " ".join(line.split()).rstrip(" ,;:.")
    if not line or len(line) >= 200 or _SENTENCE_IN_LINE.search(line):
        return None
    dated = _HEADER_DATE.match(line)
    byline = _HEADER_BYLINE.fullmatch(line[dated.end() :].lstrip(" ,;:") if dated else line)
    author = byline["author"].strip(" ,;:") if byline and byline["author"] else None
    if author and not _looks_like_name(author):
        author = None  # "By the end of the year..." is a sentence, not a byline
    if not dated and not author:
        return None
    outlet = byline["outlet"].strip(" ,;:") if byline and byline["outlet"] else None
    return {"published": iso_date(dated[1]) if dated else None, "author": author, "outlet": outlet}


def _looks_like_name(text: str) -> bool:
    words = text.replace(",", " ").split()
    return 0 < len(words) <= 12 and all(word[0].isupper() or word.lower() in _NAME_LINKS for word in words)


def _split_title(text: str) -> tuple[str | None, str]:
    """A first line that reads as a headline, and the text after it."""
    text = text.strip()
    line, _, rest = text.partition("\n")
    # In text with blank lines the headline must be a paragraph of its own: the first line
    # of a wrapped paragraph lacks a full stop too.
    has_blank_lines = bool(_BLANK_LINES.search(text))
    own_paragraph = has_blank_lines and bool(_BLANK_LINES.match("\n" + rest))
    title = " ".join(line.split())
    if not rest.strip() or (has_blank_lines and not own_paragraph):
        return None, text
    # A paragraph of its own may be a headline that asks or quotes ("Could Yukos be a
    # blessing in disguise?"); a line of a one-line-per-paragraph text may not: it is as
    # likely the article's first sentence.
    if _is_headline(title) or (own_paragraph and _is_question_or_quote_headline(title)):
        return title, rest
    return None, text


def _is_question_or_quote_headline(line: str) -> bool:
    words = len(line.split())
    return 3 <= words <= 20 and bool(_ASKING_OR_QUOTING.search(line)) and not _mentions_tweet(line)


def _is_headline(line: str, min_words: int = 3) -> bool:
    words = len(line.split())
    return min_words <= words <= 30 and not _SENTENCE_END.search(line) and not _mentions_tweet(line)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs, whitespace collapsed: split on blank lines when there are any (a single
    newline is then line wrapping), else one per line, as scrapers often write them."""
    text = text.strip()
    parts = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    # Testing whether a text needs collapsing costs about as much as collapsing it.
    return [collapsed for collapsed in (" ".join(part.split()) for part in parts) if collapsed]


def _assemble(paragraphs: list[str]) -> tuple[str, list[tuple[int, int]]]:
    body = "\n\n".join(paragraphs)
    if not _mentions_tweet(body):
        return body, []  # the common case: no tweet, no per-paragraph work
    blocks = _cut_credits(paragraphs)
    spans, offset = [], 0
    for text, is_tweet in blocks:
        if is_tweet:
            spans.append((offset, offset + len(text)))
        offset += len(text) + 2
    return "\n\n".join(text for text, _ in blocks), spans


def _cut_credits(paragraphs: list[str]) -> list[tuple[str, bool]]:
    """Split paragraphs at tweet credits into (text, is_tweet) blocks, credits removed."""
    blocks: list[tuple[str, bool]] = []
    for paragraph in paragraphs:
        if not _mentions_tweet(paragraph):
            blocks.append((paragraph, False))  # spare ordinary paragraphs the costly regex
            continue
        start = 0
        for credit in _CREDIT.finditer(paragraph):
            tweet = _without_links(paragraph[start : credit.start()])
            if tweet:
                blocks.append((tweet, True))
            elif start == 0 and blocks:  # a credit on a line of its own: the tweet is above
                blocks[-1] = (blocks[-1][0], True)
            start = credit.end()
        rest = _without_links(paragraph[start:])
        if rest:
            blocks.append((rest, False))
    return blocks


def _mentions_tweet(text: str) -> bool:
    return "twitter.com/" in text or "t.co/" in text or "(@" in text


def _without_links(text: str) -> str:
    return " ".join(_TWEET_LINKS.sub("", text).split())


def signature_date(text: str) -> str | None:
    """ISO date of the last post signature in ``text`` ("— Name (@handle) May 3, 2017", as
    an embedded post is credited): when the post was made. None without one, or when its
    date is no date (February 30)."""
    if "(@" not in text:
        return None  # most texts: spare them the regex
    dates = _SIGNATURE_DATE.findall(text)
    return iso_date(dates[-1]) if dates else None


def iso_date(value: str) -> str | None:
    """ISO ``YYYY-MM-DD`` for a date or datetime in ISO, RFC 2822 or common English forms."""
    text = " ".join(value.split())
    iso = _ISO_DATE.match(text)
    if iso:
        try:
            return date(*map(int, iso.groups())).isoformat()
        except ValueError:
            return None
    plain = _DATE_NOISE.sub("", text)
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(plain, form).date().isoformat()
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
