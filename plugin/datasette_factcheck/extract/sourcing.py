"""How a claim is sourced: a leak, unnamed sources, social media, a media report, an official
document, a named person, or nothing said; and the words that tell a leak or a medium."""

from __future__ import annotations

import re

from ..vocab import ANONYMOUS, LEAK, MEDIA_REPORT, NAMED_PERSON, OFFICIAL_DOCUMENT, SOCIAL_MEDIA, UNATTRIBUTED
from .text import Caseless, Sentence, word_set

_LEAK_WORDS = word_set("leak leaks leaked")
_ANONYMOUS_WORDS = word_set("unnamed anonymous unidentified sources familiar anonymity")
_OFFICIAL_WORDS = word_set("court official ministry department government pentagon census")
_SOCIAL_WORDS = word_set("tweeted posted wrote")
_SOURCING_WORDS = _LEAK_WORDS | _ANONYMOUS_WORDS | _OFFICIAL_WORDS | _SOCIAL_WORDS
LEAK_RE = re.compile(r"\bleak(?:s|ed)?\b", re.I)
# "buildings that don't leak energy": the verb, not a leak as a source.
_LEAK_VERB_RE = re.compile(
    r"(?:\b(?:to|not|will|would|could|can|may|might|must|should|they|we|you|it|that|which)|n[’']t)\s+leak\b", re.I
)
ANONYMOUS_RE = Caseless(
    r"\b(?:unnamed|anonymous|unidentified) (?:sources?|officials?|people)\b|\bsources (?:said|say|told|familiar)"
    r"|\bpeople familiar with\b|\bon condition of anonymity\b|\bciting (?:unnamed |anonymous )?sources\b",
)
OFFICIAL_RE = Caseless(
    r"\b(?:court (?:filing|documents?|records?)|official (?:documents?|figures|data|statistics|report)"
    r"|(?:ministry|department|government|pentagon|census) (?:figures|data|report|statement|documents?))\b",
)
SOCIAL_RE = re.compile(
    r"\b(?:tweeted|posted on (?:X|Twitter|Facebook|Instagram|Telegram|social media)|wrote on (?:X|Twitter|Facebook|Telegram))\b"
)
MEDIA_WORDS_RE = Caseless(
    r"\b(?:newspaper|daily|paper|broadcaster|outlet|agency|magazine|channel|tabloid|network|times|post|news|bbc|cnn|reuters|guardian|telegraph|journal|monde|spiegel|bloomberg|politico|axios|associated press|afp)\b",
)


# An outlet's boss speaks for the company, as any firm's does, not as the press reporting:
# "BBC director general Mark Thompson said the corporation had cut 4,000 jobs".
MEDIA_BOSS_RE = Caseless(
    r"\b(?:chief executive|director[- ]general|chairman|chairwoman|managing director|controller|boss|owner)\b"
)


def _mentions_a_leak(text: str) -> bool:
    return bool(LEAK_RE.search(text)) and not _LEAK_VERB_RE.search(text)


def sourcing_of(sentence: Sentence, claimant: str | None, is_leak: bool, via_media: bool, from_social: bool) -> str:
    """The strongest sourcing signal wins: a leak or unnamed sources matter
    more to an editor than the outlet that carried them."""
    if not (is_leak or via_media or from_social or not sentence.words.isdisjoint(_SOURCING_WORDS)):
        return NAMED_PERSON if claimant else UNATTRIBUTED  # most sentences: no signal's word
    text = sentence.text
    if is_leak or (not claimant and not sentence.words.isdisjoint(_LEAK_WORDS) and _mentions_a_leak(text)):
        return LEAK
    if not sentence.words.isdisjoint(_ANONYMOUS_WORDS) and ANONYMOUS_RE.search(text):
        return ANONYMOUS
    if from_social or (not sentence.words.isdisjoint(_SOCIAL_WORDS) and SOCIAL_RE.search(text)):
        return SOCIAL_MEDIA
    if via_media:
        return MEDIA_REPORT
    if not sentence.words.isdisjoint(_OFFICIAL_WORDS) and OFFICIAL_RE.search(text):
        return OFFICIAL_DOCUMENT
    return NAMED_PERSON if claimant else UNATTRIBUTED
