"""Claim ids must not change between versions: a claim's id is derived from its
normalised text, and a reload finds the stored claim (and its review) by that id.

``normalise_text`` is written for speed with ``str.split`` and ``str.replace``.
These tests hold it to the definition every stored id was made with: curly
quotes straightened, each run of regex ``\\s`` whitespace one space, stripped,
lower-cased.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from datasette_factcheck.extract.claims import claim_id, normalise_text

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_SPACE_RE = re.compile(r"\s+")


def reference(text: str) -> str:
    return _SPACE_RE.sub(" ", text.translate(_QUOTES)).strip().lower()


WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if _SPACE_RE.fullmatch(chr(c)) or chr(c).isspace()]


def test_every_whitespace_character_is_folded_as_before():
    assert len(WHITESPACE) > 20  # Unicode spaces, not only ASCII ones
    for space in WHITESPACE:
        text = f"{space}97{space}{space}NATO “soldiers”{space}"
        assert normalise_text(text) == reference(text), repr(space)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*WHITESPACE[:40], *"“”‘’\"'", "97", "NATO", "Élysée", "ΣΊΣΥΦΟΣ", "a", "B"])))
def test_text_of_quotes_spaces_and_words_normalises_as_before(pieces):
    text = "".join(pieces)
    assert normalise_text(text) == reference(text)


def test_claim_ids_are_those_of_earlier_versions():
    # Computed by 0.1.0 (translate and regex): a reload must find the claims it stored.
    text = "“97 NATO special operations soldiers were inside Ukraine,”  the leak\u00a0said."
    assert claim_id("bbc-1", text) == "34062faa5d611eab"
