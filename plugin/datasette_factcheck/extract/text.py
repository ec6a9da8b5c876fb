"""What every annotation rule reads: a sentence's words computed once (``Sentence``), fast
regexes gated on their first characters, and quoted speech."""

from __future__ import annotations

import re

try:  # the parser behind re.compile: what a pattern's first character can be
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse


def word_set(*words: str) -> frozenset[str]:
    """The words of space-separated strings, as a set a sentence's words are checked against.

    A sentence's words are split at hyphens ("pre-tax" is "pre" and "tax"), so a
    hyphenated word here could never be found: ValueError, gate on one of its parts."""
    found = frozenset(" ".join(words).split())
    compounds = sorted(word for word in found if "-" in word)
    if compounds:
        raise ValueError(f"a sentence's words never hold {', '.join(compounds)}: list a part of each instead")
    return found


# A name as written: capitalised words, a body's "of", "for" and "and" between them
# ("National Association of Purchasing Management-Chicago"). Here, below names.py and
# speakers.py, so both read it.
NAME_PATTERN = r"[A-Z][\w&’'.-]*(?: (?:of |for |and |& )?[A-Z][\w&’'.-]*){0,7}"


# English function words, and a tweet's furniture ("rt", "via"): they say nothing of a claim.
# A matching query drops them; the reasons an editor reads never quote them as the words
# that made a claim check-worthy.
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

# Sentence adverbs and connectives: they open a sentence ("However, ...", "Actually Smith
# ...") and say how it goes on, never who speaks (``speakers.NOT_CLAIMANT_WORDS``) nor what
# in it is worth checking (the wording's reason, ``score.model.UNQUOTED_WORDS``).
SENTENCE_ADVERBS = word_set(
    "yet however meanwhile also now then still instead indeed nevertheless moreover furthermore thus",
    "therefore hence overall separately elsewhere actually even already really currently recently",
    "apparently certainly clearly simply obviously basically literally anyway",
)


# (first characters, pattern text, flags) of each regex compiled by ``starting_with``:
# the tests check that each finds exactly what its plain pattern finds.
GUARDED_PATTERNS: list[tuple[str, str, int]] = []


def starting_with(first: str, pattern: str, flags: int = 0) -> re.Pattern:
    """``pattern`` compiled behind a lookahead for the characters a match can start with.

    Python's regex engine otherwise tries every branch at every position of the
    text; the lookahead lets it skip to the next possible start. Same matches,
    2 to 5 times faster on these patterns, which run on most sentences loaded.
    ``first`` is a character-class body listing every possible first character.
    """
    GUARDED_PATTERNS.append((first, pattern, flags))
    return re.compile(f"(?=[{first}])(?:{pattern})", flags)


def first_characters(pattern: str) -> str | None:
    """Every character a match of ``pattern`` (case-sensitive) can start with, or None
    when that is not a short list: a class such as ``\\w`` or ``.`` first, or a
    pattern that can match the empty string, or one with case-insensitive parts.
    ``Caseless`` hands them to ``starting_with``: derived, they cannot leave a branch out."""
    try:
        parsed = _sre_parse.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:  # "(?i)": each letter's other case starts one too
            return None
        found, can_be_empty = _first_of(parsed)
    except (AttributeError, TypeError):  # another Python's parser: search unguarded
        return None
    return "".join(sorted(found)) if found and not can_be_empty else None


def _first_of(items) -> tuple[set[str] | None, bool]:
    """(the first characters of a parsed sequence or None when unknown, whether it can
    match the empty string)."""
    found: set[str] = set()
    for op, argument in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero width: the next item starts the match
        if op is _sre.LITERAL:
            return found | {chr(argument)}, False
        if op is _sre.IN:
            members = _class_members(argument)
            return (None if members is None else found | members), False
        if op is _sre.SUBPATTERN:
            if argument[1] & re.IGNORECASE:  # "(?i:...)"
                return None, False
            alternatives = [argument[3]]
        elif op is _sre.BRANCH:
            alternatives = argument[1]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            alternatives = [argument[2]]
        else:
            return None, False
        can_be_empty = op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and argument[0] == 0
        for alternative in alternatives:
            first, empty = _first_of(alternative)
            if first is None:
                return None, False
            found |= first
            can_be_empty = can_be_empty or empty
        if not can_be_empty:
            return found, False
    return found, True


def _class_members(items) -> set[str] | None:
    """The characters of a parsed class of literals and ranges, or None (``\\d``, ``[^x]``)."""
    members: set[str] = set()
    for op, argument in items:
        if op is _sre.LITERAL:
            members.add(chr(argument))
        elif op is _sre.RANGE and argument[1] - argument[0] < 128:
            members.update(map(chr, range(argument[0], argument[1] + 1)))
        else:
            return None
    return members


# Every ``Caseless`` pattern: the tests check that each finds what its plain pattern finds.
CASELESS_PATTERNS: list[Caseless] = []


class Caseless:
    """A case-insensitive regex, searched at a third of the cost.

    Python's engine compares each character of a case-insensitive pattern through
    the case tables, and tries every branch at every position: a long alternation
    costs about 100,000 instructions a sentence. ASCII text (nearly every sentence)
    is searched lower-cased by the pattern compiled case-sensitive instead. Same
    matches at the same offsets: lower-casing ASCII changes no length and no word
    boundary. A match's spans are the text's, but its groups are lower-cased: read
    what matched from the text itself. Other text is searched as before.
    """

    __slots__ = ("pattern", "_plain", "_folded")

    def __init__(self, pattern: str) -> None:
        if pattern != pattern.lower():  # an upper-case letter would never match lower-cased text
            raise ValueError(f"a caseless pattern is written in lower case: {pattern!r}")
        self.pattern = pattern
        first = first_characters(pattern)
        self._plain = starting_with(re.escape(first), pattern) if first else re.compile(pattern)
        self._folded = re.compile(pattern, re.I)
        CASELESS_PATTERNS.append(self)

    def search(self, text: str) -> re.Match[str] | None:
        if text.isascii():
            return self._plain.search(text.lower())
        return self._folded.search(text)


# A word, or a number with its unit ("25%", "$1.2bn", "5 per cent"). The branches start
# with different characters, so their order changes nothing but speed: words are commoner.
_TOKEN_RE = starting_with("a-z$£€\\d", r"[a-z]+(?:'[a-z]+)?|[$£€]?\d[\d,.]*(?:%| ?per ?cent\b|bn\b|m\b|k\b)?")


class Sentence:
    """A claim's text with what every rule looks at, computed once.

    Most rules are regexes that would otherwise scan every sentence; each is
    first gated on its trigger words being in ``words`` (a set lookup), which
    keeps annotation cheap enough for loading millions of sentences.
    """

    __slots__ = ("text", "tokens", "words", "has_quote", "_unquoted")

    def __init__(self, text: str):
        self.text = text
        # Words and numbers in order, lower-cased: the rules look words up in the
        # set, the check-worthiness model reads the sequence. One pass for both.
        self.tokens: list[str] = _TOKEN_RE.findall(text.lower().replace("’", "'"))
        self.words = frozenset(self.tokens)
        self.has_quote = '"' in text or "“" in text
        self._unquoted: str | None = None

    @property
    def has_digit(self) -> bool:
        """Whether the text has a digit (what ``\\d`` matches), from the tokens: each digit
        is in a number token, and a number token, unlike a word, does not start with "a"
        to "z": it sorts before "a" ("$", ASCII digits) or from "{" on ("£", "€", other digits)."""
        tokens = self.tokens
        return bool(tokens) and (min(tokens) < "a" or max(tokens) >= "{")

    @property
    def unquoted(self) -> str:
        if self._unquoted is None:
            self._unquoted = strip_quotes(self.text) if self.has_quote else self.text
        return self._unquoted

    # The loader's hot paths call ``words.isdisjoint`` themselves: a Python method call
    # for each lookup costs more than the lookup.
    def mentions(self, vocabulary: frozenset[str]) -> bool:
        return not self.words.isdisjoint(vocabulary)


ASIDE_WORDS = frozenset(("who", "whose"))  # callers test them first: most sentences have none
_ASIDE_ABOUT_SOMEONE_RE = re.compile(r", (?:who|whose) [^,;:\"“”]+,")


def without_asides(text: str) -> str:
    """``text`` with each clause set off about someone blanked, offsets kept: "Paul Okoro,
    who pledged to end corruption when he took office, said the talks had failed" neither
    promises nor says "pledged". Only for a sentence whose words hold ``ASIDE_WORDS``."""
    return _ASIDE_ABOUT_SOMEONE_RE.sub(_blank_inside_commas, text)


def _blank_inside_commas(match: re.Match[str]) -> str:
    return "," + " " * (len(match.group()) - 2) + ","


# --- quotes ----------------------------------------------------------------

QUOTE_RE = re.compile(r"[\"“]([^\"“”]+)[\"”]")
# A quoted fragment introduced by an article or preposition is a borrowed
# phrase ("could result in a “serious conflict”"), not someone's direct speech.
_FRAGMENT_LEAD_RE = re.compile(r"\b(?:a|an|the|in|of|as|for|with)\s*$", re.I)
DIRECT_SPEECH_MIN_WORDS = 5


def quoted_spans(text: str) -> list[str]:
    """The texts inside quotation marks, straight or curly."""
    if '"' not in text and "“" not in text:  # most sentences: skip the regex
        return []
    return [m.group(1).strip() for m in QUOTE_RE.finditer(text)]


def has_direct_speech(text: str) -> bool:
    """True when a quoted span reads as someone's words, not a borrowed phrase."""
    if '"' not in text and "“" not in text:
        return False
    for match in QUOTE_RE.finditer(text):
        if len(match.group(1).split()) < DIRECT_SPEECH_MIN_WORDS:
            continue
        if not _FRAGMENT_LEAD_RE.search(text[: match.start()]):
            return True
    return False


def strip_quotes(text: str) -> str:
    """The text with quoted spans blanked out, offsets kept."""
    return QUOTE_RE.sub(lambda m: " " * len(m.group()), text)
