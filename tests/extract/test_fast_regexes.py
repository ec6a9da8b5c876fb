"""The annotator's lookahead-guarded regexes find exactly what their plain patterns find.

``extract.text.starting_with`` puts a lookahead for a match's possible first
characters in front of a pattern, for speed. A first character left out of
that list would silently drop figures, hedges or opinion words: these tests
compare every guarded regex with its plain pattern, on real sentences and on
generated text made of the characters and words the patterns look for.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasette_factcheck.extract.claims import split_claims
from datasette_factcheck.extract.text import GUARDED_PATTERNS
from datasette_factcheck.ingest.read import discover, read_articles
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
