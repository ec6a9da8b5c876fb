"""English stop words dropped from a matching query: they match nearly every fact-check,
cost the most to look up (their lists are longest) and say nothing about the claim.
The usual function words, and a tweet's furniture ("rt", "via")."""

import re

STOP_WORDS = frozenset(
    """
a about above after again against all am an and any are aren as at be because been before being below
between both but by can cannot could couldn did didn do does doesn doing don down during each few for
from further had hadn has hasn have haven having he her here hers herself him himself his how i if in
into is isn it its itself just ll let me more most mustn my myself no nor not now of off on once only or
other ought our ours ourselves out over own re same shan she should shouldn so some such than that the
their theirs them themselves then there these they this those through to too under until up us ve very
was wasn we were weren what when where which while who whom why will with won would wouldn you your
yours yourself yourselves s t d m o y rt via amp also get got just like one would could said says say
""".split()
)

# A social media post's furniture, which says nothing of its claim and matches fact-checks
# on other things: links (a t.co link glued to a hashtag ends at the "#") and picture links
# glued to the word before them. An embedded post's signature, "— Name (@handle) December
# 13, 2018", stays: its author is often the claimant a fact-check names (dropping it cost
# 4 points of train MAP@5).
_LINK = re.compile(r"(?:https?://|www\.)[^\s#—–]+|pic\.twitter\.com/\w+", re.IGNORECASE)
_TAG = re.compile(r"[#@](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])")


# What the sentence model should not read as the claim: an embedded post's signature (its
# author's name, handle and date, at the end: "— A (@b) May 1, 2016", a hyphen at times and
# a two-digit year), a retweet's "RT" and emoji. The lexical stage keeps the signature (above).
_SIGNATURE = re.compile(r"\s*(?:[—–][^—–]{0,80}?|\s-[^—–\-]{0,80}?)\s*\(@\w+\)\s*[A-Z][a-z]+\.? \d{1,2}, \d{2,4}\W*$")
_RETWEET = re.compile(r"^\s*RT\b:?|\bRT\s+(?=@)")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d\U000e0000-\U000e007f®™]")


def without_links(text: str) -> str:
    """``text`` with its links (web addresses, a post's picture links) made spaces."""
    return _LINK.sub(" ", text)


def plain_text(text: str) -> str:
    """``text`` without a post's links, and its hashtags and handles as words
    ("#GunControl" as "Gun Control", "@HillaryClinton" as "Hillary Clinton"), so that both
    stages see the claim a post makes (train MAP@5 0.837 to 0.860 lexical, 0.892 to 0.907
    re-ranked; dev 0.916 to 0.933 and 0.956 to 0.965)."""
    return _TAG.sub(lambda tag: " " + _CAMEL.sub(" ", tag.group(1)) + " ", without_links(text))


def claim_text(text: str) -> str:
    """``plain_text`` less a post's signature, "RT" and emoji, spaces collapsed: what the
    second stage embeds (see semantic.query_vectors)."""
    bare = _EMOJI.sub(" ", _RETWEET.sub(" ", _SIGNATURE.sub(" ", text)))
    return " ".join(plain_text(bare).split())
