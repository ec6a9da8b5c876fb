"""The annotator's fast regexes find exactly what their plain patterns find.

``extract.text.starting_with`` puts a lookahead for a match's possible first
characters in front of a pattern, for speed. A first character left out of
that list would silently drop figures, hedges or opinion words: these tests
compare every guarded regex with its plain pattern, on real sentences and on
generated text made of the characters and words the patterns look for. So do the
other fast forms: names found by a pattern that starts with a character class,
sentence candidates looked for only where one can start, and case-insensitive
patterns searched case by case in lower-cased ASCII text (``text.Caseless``).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import datasette_factcheck.score.editorial  # noqa: F401  (its caseless patterns are listed on import)
from datasette_factcheck.extract import sentences, signature
from datasette_factcheck.extract.claims import Claim, split_claims
from datasette_factcheck.extract.names import FULL_NAME_RE
from datasette_factcheck.extract.text import (
    CASELESS_PATTERNS,
    GUARDED_PATTERNS,
    Caseless,
    Sentence,
    first_characters,
    word_set,
)
from datasette_factcheck.ingest.read import discover, read_articles
from datasette_factcheck.score import features
from datasette_factcheck.score.stake import private_person
from support.helpers import ROOT

PAIRS = [
    pytest.param(re.compile(f"(?=[{first}])(?:{pattern})", flags), re.compile(pattern, flags), id=pattern[:40])
    for first, pattern, flags in GUARDED_PATTERNS
]

# Words and characters the patterns start with or contain, mixed with plain prose.
PIECES = [
    *"0123456789$£€,;:()–—\"“”'’- .%",
    *"January Feb Mar April May June July Aug Sept Oct November Dec".split(),
    *"two three Twenty fifteen hundred Thousand million billion".split(),
    *"tens hundreds of thousands dozens small Large number handful record".split(),
    *"suggested could may might reportedly allegedly appears to believed to likely not ruling out".split(),
    *"wouldn't rule out claimed rumoured understood to".split(),
    *"I think we must should ought to frankly shameful great in my view".split(),
    *"will won't is expected to are set to going to forecast".split(),
    *"that which who and but said the a per cent bn m k st nd th s".split(),
]


def _matches(pattern: re.Pattern, text: str) -> list[tuple]:
    return [(m.span(), m.lastgroup, m.groupdict()) for m in pattern.finditer(text)]


def _seed_sentences() -> list[str]:
    files, _ = discover([ROOT / "seeds"])
    return [claim.text for path in files for article in read_articles(path) for claim in split_claims(article)]


def test_every_guarded_regex_is_listed():
    assert len(GUARDED_PATTERNS) >= 7


@pytest.mark.parametrize("guarded, plain", PAIRS)
def test_guarded_regexes_match_the_seeds_as_their_plain_patterns(guarded, plain):
    sentences = _seed_sentences()
    assert sentences
    for text in sentences:
        assert _matches(guarded, text) == _matches(plain, text), text


@pytest.mark.parametrize("guarded, plain", PAIRS)
@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=30), glue=st.sampled_from([" ", "", ", "]))
def test_guarded_regexes_match_generated_text_as_their_plain_patterns(guarded, plain, pieces, glue):
    text = glue.join(pieces)
    assert _matches(guarded, text) == _matches(plain, text)


# --- other fast forms: each against the plain form it replaced --------------------------------

NAME_PIECES = [
    *"John Healey Secretary Gordon Brown Mr Smith-Jones Tolkien BBC The Times A W J.".split(),
    *"said the of and x9 Healey's O'Brien ’Kelly".split(),
    *" ,;:()\"“”'’-.\n",
]
# (a middle initial may stand between: "George W Bush")
FULL_NAME_LOOKAHEAD = re.compile(r"(?<![\w’'])(?=([A-Z][a-z]+) (?:[A-Z]\.? )?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b)")


def _names(pattern: re.Pattern, text: str) -> list[tuple]:
    return [(m.start(), m.groups(), m.end(2)) for m in pattern.finditer(text)]


def test_full_names_are_those_the_lookahead_pattern_found():
    for text in _seed_sentences():
        assert _names(FULL_NAME_RE, text) == _names(FULL_NAME_LOOKAHEAD, text), text


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(NAME_PIECES), max_size=30), glue=st.sampled_from([" ", ""]))
def test_full_names_in_generated_text_are_those_the_lookahead_pattern_found(pieces, glue):
    text = glue.join(pieces)
    assert _names(FULL_NAME_RE, text) == _names(FULL_NAME_LOOKAHEAD, text)


def _candidate_matches(matches) -> list[tuple]:
    return [(m.span(), m.groupdict(), m.span("close")) for m in matches]


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from([*PIECES, *".?!…\n", "...", "\n\n", "U.S.", "e.g."]), max_size=40),
    start=st.integers(0, 5),
)
def test_sentence_candidates_are_those_finditer_finds(pieces, start):
    text = " ".join(pieces)
    expected = _candidate_matches(sentences._CANDIDATE.finditer(text, start))
    assert _candidate_matches(sentences._candidates(text, start)) == expected


def test_sentence_candidates_of_the_seeds_are_those_finditer_finds():
    files, _ = discover([ROOT / "seeds"])
    for body in (article.body for path in files for article in read_articles(path)):
        expected = _candidate_matches(sentences._CANDIDATE.finditer(body, 0))
        assert _candidate_matches(sentences._candidates(body, 0)) == expected


CASELESS = [pytest.param(caseless, id=caseless.pattern[:40]) for caseless in CASELESS_PATTERNS]
CASELESS_PIECES = [
    *PIECES,
    *"Rose FELL Up from Compared With since 2004 than last More Than record First time because Due to".split(),
    *"pledged Denied accused Fraud figures from Data showed according to the official statistics".split(),
    *"Was Founded In best known for died aged 88 under the new Act the law requires İ ı K ſ é".split(),
]


def _spans(match: re.Match | None) -> tuple | None:
    return match and (match.span(), match.lastgroup, [match.span(g) for g in range(len(match.groups()) + 1)])


def test_every_caseless_regex_is_listed():
    assert len(CASELESS) >= 12


@pytest.mark.parametrize("caseless", CASELESS)
def test_caseless_regexes_match_the_seeds_as_their_plain_patterns(caseless):
    plain = re.compile(caseless.pattern, re.I)
    for text in _seed_sentences():
        assert _spans(caseless.search(text)) == _spans(plain.search(text)), text


@pytest.mark.parametrize("caseless", CASELESS)
@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(CASELESS_PIECES), max_size=30), glue=st.sampled_from([" ", "", ", "]))
def test_caseless_regexes_match_generated_text_as_their_plain_patterns(caseless, pieces, glue):
    text = glue.join(pieces)
    assert _spans(caseless.search(text)) == _spans(re.compile(caseless.pattern, re.I).search(text))


@pytest.mark.parametrize(
    "pattern, first",
    [
        (r"\b(?:tax|spending|job) (?:rises?|cuts?)", "jst"),
        (r"(?<!-)\b(?:cut(?:s|ting)?|ax(?:e|ed))", "ac"),
        (r"a?b|[x-z]", "abxyz"),  # an optional first item: what follows can start it too
        (r"(?:up|)\bon", "ou"),
        (r"\baged \d+|, (?:aged )?\d", ",a"),
        (r"\w+ said", None),  # a class of thousands: no guard
        (r"[^a]b", None),
        (r"x*", None),  # matches the empty string anywhere
        (r"(?:a|b)?", None),
        (r"(?i)ab", None),  # "A" starts a match too
        (r"c|(?i:ab)", None),
    ],
)
def test_first_characters_are_every_start_of_a_match(pattern, first):
    assert first_characters(pattern) == first


def test_every_caseless_regex_gets_a_guard():
    # A pattern the derivation gives up on is searched unguarded: still right, slower.
    assert [caseless.pattern for caseless in CASELESS_PATTERNS if first_characters(caseless.pattern) is None] == []


def test_a_caseless_pattern_must_be_written_in_lower_case():
    with pytest.raises(ValueError):
        Caseless(r"\bI think\b")


WORD_PIECES = [*CASELESS_PIECES, "Healey's", "it's ", "’s ", "1990s", "$1.2bn", "café", "naïve", "x_y", "\t", "٣"]


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from(WORD_PIECES), max_size=30), glue=st.sampled_from([" ", "", "-"]))
def test_cluster_words_are_those_the_word_regex_finds(pieces, glue):
    text = glue.join(pieces)
    assert signature._words(text) == re.findall(r"[a-z0-9]+", signature._lowered(text))


@settings(max_examples=500, deadline=None)
@given(word=st.text(alphabet="abdegins019", max_size=9))
def test_stems_are_those_the_suffix_regex_left(word):
    expected = re.sub(r"(?:ing|ed|es|s)$", "", word) if len(word) > 4 else word
    assert signature._stem(word) == expected


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from([*WORD_PIECES, "£5", "€", "€3", "$", "٣", "²", "zone", "{", "a"]), max_size=20))
def test_a_sentence_has_a_digit_when_the_digit_regex_finds_one(pieces):
    text = " ".join(pieces)
    assert Sentence(text).has_digit == (re.search(r"\d", text) is not None)


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from([*WORD_PIECES, "£5bn", "€3", "$4m", "12%", "2004", "{", "zz"]), max_size=20))
def test_the_numbers_of_a_signature_are_those_the_plain_filter_keeps(pieces):
    words = signature._words(" ".join(pieces))
    plain = signature._content_hashes([word for word in words if word < "a" and signature._stem(word).isdigit()])
    assert signature._number_hashes(words) == plain


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from([*WORD_PIECES, "£5bn", "€3", "$4m", "12%", "2004", "{", "zz"]), max_size=20))
def test_a_sentences_tokens_are_those_the_plain_shapes_give(pieces):
    sentence = Sentence(" ".join(pieces))
    plain = [token if "a" <= token < "{" else features._number_shape(token) for token in sentence.tokens]
    assert features.tokens(sentence) == plain


def test_a_word_gate_refuses_a_word_no_sentence_holds():
    # A sentence's words are split at hyphens: a gate on "pre-tax" would never open.
    assert "pre" in Sentence("Pre-tax profits rose.").words
    with pytest.raises(ValueError, match="pre-tax"):
        word_set("annual pre-tax results")


# The one-pattern reading of a name with an age beside it, which tried every capital.
AGED_PLAIN = re.compile(r"\b[A-Z][\w’'-]+, (?:aged )?\d{1,3},(?=\s)")
AGE_PIECES = ["Mr Davies", ", ", "60", "2,000", ",", " said", "aged ", "In Paris", "O'Neill", "-Smith", "x", " ", "(Jo"]


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(st.sampled_from(AGE_PIECES), max_size=14))
def test_a_private_person_is_found_as_the_plain_pattern_finds_one(pieces):
    text = "".join(pieces)
    claim = Claim(text, 0, len(text), 0)
    assert private_person(claim) is (AGED_PLAIN.search(text) is not None)
