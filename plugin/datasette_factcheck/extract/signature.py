"""What clustering compares of a claim: its ``Signature``, a pure function of the text.

A sentence normalised as an editor reads a copy (case, whitespace, quotes and dashes:
``normalised``, ``exact_key``), its stemmed content words, the five-word shingles of
what it quotes and its numbers, and the keys it is filed under: the exact-repeat key,
then a few sketch keys (the lowest-hashed content words and shingles). ``cluster``
compares signatures that share a key.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from functools import lru_cache
from typing import NamedTuple

from .claims import normalise_text
from .text import DIRECT_SPEECH_MIN_WORDS, quoted_spans

SKETCH_SIZE = 2
SHINGLE_WORDS = 5
MIN_TOKENS = 5
# On the seed articles same-claim pairs score 0.83 and 0.39, the closest
# different-claim pair 0.26 (tests/test_extract_seeds.py holds both sides).
JACCARD_THRESHOLD = 0.35
QUOTE_CONTAINMENT_THRESHOLD = 0.6
STORED_SIGNATURES_CACHED = 20_000  # a few KB each
CACHED_TEXT_MAX = 1_000  # characters
_TOKEN_TAG = 1 << 32
_SHINGLE_TAG = 2 << 32
# Exact-repeat keys are negative (sketch keys never are): 62 bits of a hash of
# the normalised text, so two different sentences share one about once in
# 10^12 pairs at a few million claims.
_EXACT_BITS = (1 << 62) - 1

# What a copy-edit changes without changing the sentence: curly and straight
# quotes, the dashes, case and runs of whitespace.
_SAME_AS = {
    "'": "\u2018\u2019\u201a\u201b\u2032\u00b4`",
    '"': "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb",
    "-": "\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
}
_SAME_CHARACTERS = str.maketrans({char: plain for plain, chars in _SAME_AS.items() for char in chars})
# The same mapping as (character, plain) pairs: for text that is not ASCII, where
# str.translate looks every character up in a dict (several times slower) and a regex
# tries its class at every character; ``in`` scans for one character in C, and most
# sentences hold none or one of these.
_SAME_PAIRS = tuple((char, plain) for plain, chars in _SAME_AS.items() for char in chars)

STOPWORDS = frozenset(
    """the and for that with was were are has have had this from but not his her its their they them
    been will would could should can may might into about over after before than then also said says
    say told who which what when where while there here our out more most some such any all one two
    being very just only other these those both each few many much own same under until during since
    because through against between onto upon per via off did does doing she him you your yours we us
    it's he's she's is be as at by on of to in an or if so no""".split()
)
_WORD_RE = re.compile(r"[a-z0-9]+")
_WORD_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
# Every other ASCII character as a space: on ASCII text, translate and split give the
# words _WORD_RE finds at half its cost (the regex engine starts a match at each word).
_SPACE_BUT_WORDS = str.maketrans({chr(c): chr(c) if chr(c) in _WORD_CHARACTERS else " " for c in range(128)})
_SUFFIXES = ("ing", "ed", "es", "s")  # a stem is the word without one of these


def _stem(word: str) -> str:
    """``word`` without its last "ing", "ed", "es" or "s", if longer than four letters.

    As ``re.sub(r"(?:ing|ed|es|s)$", "", word)`` did, at a tenth of the cost: the
    leftmost match is the longest of these endings, and a word has no newline for
    ``$`` to stop before."""
    if len(word) > 4 and word.endswith(_SUFFIXES):
        if word.endswith("ing"):
            return word[:-3]
        return word[:-2] if word.endswith(("ed", "es")) else word[:-1]
    return word


def _lowered(text: str) -> str:
    return text.lower().replace("’", "'").replace("'s ", " ")


def _words(text: str) -> list[str]:
    lowered = _lowered(text)
    if lowered.isascii():
        return lowered.translate(_SPACE_BUT_WORDS).split()
    return _WORD_RE.findall(lowered)


def normalised(text: str) -> str:
    """``text`` as two printings of one sentence both read: lower case, one
    kind of quote and of dash, single spaces. Wider than
    ``extract.normalise_text``, which must keep claim ids as 0.1.0 made them
    (case and dashes are part of a claim's id, not of its cluster)."""
    # Of the characters mapped, ASCII has only the backtick: a plain replace
    # is a tenth of translate's cost, and most news text is ASCII. (No plain
    # character is itself mapped, so the order of the substitutions is free.)
    if text.isascii():
        return " ".join(text.replace("`", "'").lower().split())
    for char, plain in _SAME_PAIRS:
        if char in text:
            text = text.replace(char, plain)
    return " ".join(text.lower().split())


def exact_key(text: str) -> int:
    """The exact-repeat key of ``text`` (negative): equal for every copy of a
    sentence that differs only in case, whitespace, quotes or dashes."""
    digest = hashlib.blake2b(_claim_normalised(text).encode(), digest_size=8).digest()
    return -1 - (int.from_bytes(digest, "big") & _EXACT_BITS)


def _claim_normalised(text: str) -> str:
    """``normalised(text)``. An ASCII claim's text is taken from ``normalise_text``, which
    the loader has just computed for the claim's id and keeps cached: on ASCII,
    lower-casing and replacing the backtick commute with collapsing whitespace."""
    if text.isascii():
        return normalise_text(text).replace("`", "'")
    return normalised(text)


def is_exact_key(key: int) -> bool:
    return key < 0


def _hash(value: str) -> int:
    return zlib.crc32(value.encode())


# word -> the hash of its stem, or NOT_CONTENT. News reuses a small vocabulary,
# so nearly every word is a hit; hashing here rather than comparing strings
# keeps signatures small to send between processes and quick to intersect.
# The hash is the one stored sketch keys were always made of.
NOT_CONTENT = -1
_TOKEN_HASHES: dict[str, int] = {}
_TOKEN_HASHES_MAX = 500_000  # then start afresh: bounded memory on any corpus


def _token_hash(word: str) -> int:
    found = _TOKEN_HASHES.get(word)
    if found is None:
        if len(_TOKEN_HASHES) >= _TOKEN_HASHES_MAX:
            _TOKEN_HASHES.clear()
        content = len(word) > 2 and word not in STOPWORDS
        found = _TOKEN_HASHES[word] = _hash(_stem(word)) if content else NOT_CONTENT
    return found


def _content_hashes(words: list[str]) -> frozenset[int]:
    # The cache's lookups mapped in C: this runs for every word of every claim
    # loaded, and nearly every word is a hit (None is a miss: look them all up again).
    found = frozenset(map(_TOKEN_HASHES.get, words))
    if None in found:
        found = frozenset(map(_token_hash, words))
    return found - {NOT_CONTENT} if NOT_CONTENT in found else found


_NO_SHINGLES: frozenset[int] = frozenset()
_NO_NUMBERS: frozenset[int] = frozenset()


def _number_hashes(words: list[str]) -> frozenset[int]:
    """The numbers among ``words``, stemmed as tokens are ("1990s" is the number 1990). A word
    of _WORD_RE sorts before "a" exactly when it starts with a digit: most sentences hold
    none, which min() says in C without a loop in Python."""
    if not words or min(words) >= "a":
        return _NO_NUMBERS
    return _content_hashes([word for word in words if word < "a" and _stem(word).isdigit()])


def quote_shingles(text: str) -> frozenset[int]:
    """Five-word shingles (hashed) of the direct speech quoted in ``text``."""
    shingles: set[int] = set()
    for span in quoted_spans(text):
        words = _words(span)
        if len(words) >= DIRECT_SPEECH_MIN_WORDS:
            shingles.update(
                _hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
            )
    return frozenset(shingles)


class Signature(NamedTuple):
    """What clustering compares; a pure function of the text, so it can be
    computed wherever the claim is extracted (worker processes included).

    A NamedTuple rather than a frozen dataclass: the one writer builds one for
    every claim it receives, and a tuple is built about 2.5 times faster."""

    tokens: frozenset[int]
    shingles: frozenset[int]
    numbers: frozenset[int]
    # The keys under which the claim is filed and looked up: its exact-repeat
    # key first, then its sketch keys.
    keys: tuple[int, ...]

    @classmethod
    def of(cls, text: str, with_keys: bool = True) -> Signature:
        """The signature of ``text``; stored candidates only need comparing, so
        their keys (a sort) can be skipped."""
        words = _words(text)
        # Stemmed content words: what two claims saying the same thing share.
        tokens = _content_hashes(words)
        # most sentences quote nobody: no call for them
        shingles = quote_shingles(text) if '"' in text or "“" in text else _NO_SHINGLES
        numbers = _number_hashes(words)
        if not with_keys:
            return cls(tokens, shingles, numbers, ())
        keys = [exact_key(text)]
        if len(tokens) >= MIN_TOKENS:
            keys += [_TOKEN_TAG | h for h in sorted(tokens)[:SKETCH_SIZE]]
        if shingles:
            keys += [_SHINGLE_TAG | h for h in sorted(shingles)[:SKETCH_SIZE]]
        return cls(tokens, shingles, numbers, tuple(keys))

    def __reduce__(self):
        # Signatures cross from the extraction workers to the one writer, which
        # unpickles every one: a single buffer of 64-bit ints unpickles several
        # times faster than three frozensets of int objects.
        sizes = (len(self.tokens), len(self.shingles), len(self.numbers))
        return _unpack, (array("q", (*sizes, *self.tokens, *self.shingles, *self.numbers, *self.keys)).tobytes(),)

    def same_claim_as(self, other: Signature) -> bool:
        if self.shingles and other.shingles:
            shared = len(self.shingles & other.shingles)
            if shared / min(len(self.shingles), len(other.shingles)) >= QUOTE_CONTAINMENT_THRESHOLD:
                return True
        tokens, other_tokens = self.tokens, other.tokens
        size, other_size = len(tokens), len(other_tokens)
        if size < MIN_TOKENS or other_size < MIN_TOKENS:
            return False
        # "123 people evacuated" and "456 people evacuated" are different claims.
        if self.numbers and other.numbers and self.numbers.isdisjoint(other.numbers):
            return False
        shared = len(tokens & other_tokens)
        return shared / (size + other_size - shared) >= JACCARD_THRESHOLD


def stored_signature(text: str) -> Signature:
    """The signature of a stored claim met as a candidate, without keys.

    Candidates are the first few claims filed under each key, so the same
    ones come back batch after batch; remembering them spares the one writer
    most of this work. Only sentence-sized texts are kept: memory stays bounded.
    """
    if len(text) > CACHED_TEXT_MAX:
        return Signature.of(text, with_keys=False)
    return _cached_signature(text)


@lru_cache(maxsize=STORED_SIGNATURES_CACHED)
def _cached_signature(text: str) -> Signature:
    return Signature.of(text, with_keys=False)


def _unpack(packed: bytes) -> Signature:
    values = array("q")
    values.frombytes(packed)
    tokens_end = 3 + values[0]
    shingles_end = tokens_end + values[1]
    numbers_end = shingles_end + values[2]
    return Signature(
        frozenset(values[3:tokens_end]),
        frozenset(values[tokens_end:shingles_end]),
        frozenset(values[shingles_end:numbers_end]),
        tuple(values[numbers_end:]),
    )
