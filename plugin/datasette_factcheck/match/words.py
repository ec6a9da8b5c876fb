"""The words of a matching query: English stop words (``text.STOP_WORDS``) dropped, since
they match nearly every fact-check, cost the most to look up (their lists are longest) and
say nothing about the claim; a tweet's links and tags read as words."""

import re
from functools import lru_cache

from ..extract.text import STOP_WORDS

# A social media post's furniture, which says nothing of its claim and matches fact-checks
# on other things: links (a t.co link glued to a hashtag ends at the "#") and picture links
# glued to the word before them. An embedded post's signature, "— Name (@handle) December
# 13, 2018", stays: its author is often the claimant a fact-check names (dropping it cost
# 4 points of train MAP@5).
_LINK = re.compile(r"(?:https?://|www\.)[^\s#—–]+|pic\.twitter\.com/\w+", re.IGNORECASE)
_TAG = re.compile(r"[#@](\w+)")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])")


def without_links(text: str) -> str:
    """``text`` with its links (web addresses, a post's picture links) made spaces."""
    return _LINK.sub(" ", text)


def plain_text(text: str) -> str:
    """``text`` without a post's links, and its hashtags and handles as words
    ("#GunControl" as "Gun Control", "@HillaryClinton" as "Hillary Clinton"), so that both
    stages see the claim a post makes (train MAP@5 0.837 to 0.860 lexical, 0.892 to 0.907
    re-ranked; dev 0.916 to 0.933 and 0.956 to 0.965)."""
    return _TAG.sub(lambda tag: " " + _CAMEL.sub(" ", tag.group(1)) + " ", without_links(text))


def hashtags(text: str) -> list[str]:
    """The hashtags of ``text`` that ``plain_text`` splits into words, as their author wrote
    them, lower case ("#DraftOurDaughters" as "draftourdaughters"): a fact-check naming a
    hashtag has it as one word, which the split words do not find (train / dev MAP@5 of the
    lexical stage 0.8675 / 0.9461 to 0.8685 / 0.9487: bench/matching.py)."""
    tags = (tag.lower() for tag in _HASHTAG.findall(without_links(text)) if _CAMEL.search(tag))
    return list(dict.fromkeys(tags))


WORD = re.compile(r"[^\W_]+")
_SUFFIX = re.compile(r"(?:ings?|ed|es|s|ly)$")


def stem(word: str) -> str:
    """A light stem, for coverage alone: "soldiers" and "soldier", "leaked" and "leaks"."""
    return _SUFFIX.sub("", word) if len(word) > 4 else word


# A load's matching pass reads the same fact-checks' claims for claim after claim (the
# candidates' coverage): their words are stemmed once (the pass 8-15% faster, paired).
CHECKED_CACHE = 32_768


@lru_cache(maxsize=CHECKED_CACHE)
def checked_words(checked: str) -> frozenset[str]:
    """A checked claim's words less stop words, as ``stem``s."""
    return frozenset(stem(w) for w in WORD.findall(checked.lower()) if w not in STOP_WORDS)


def coverage(checked: str, query_stems: set[str]) -> float:
    """The share of a checked claim's words (less stop words) that the query has (``stem``s)."""
    words = checked_words(checked)
    return len(words & query_stems) / len(words) if words else 0.0
