"""Tests for the news-prose sentence splitter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasette_factcheck.extract.sentences import sentence_spans, split_sentences
from support.helpers import SEEDS
from support.sentence_gold import GOLD, HARD

# (text, expected sentences) for each rule the splitter must get right.
RULES = {
    "title-and-state-in-name": (
        "Sen. Elizabeth Warren, D-Mass., said the bill would pass. It did not.",
        ["Sen. Elizabeth Warren, D-Mass., said the bill would pass.", "It did not."],
    ),
    "date-abbreviations-then-state-ends": (
        "The meeting was held on Wed. Oct. 4 in Sacramento, Calif. Officials attended.",
        [
            "The meeting was held on Wed. Oct. 4 in Sacramento, Calif.",
            "Officials attended.",
        ],
    ),
    "country-initialisms-inside": (
        "Relations between the U.S. and the U.K. remain close.",
        ["Relations between the U.S. and the U.K. remain close."],
    ),
    "mr-with-and-without-period": (
        "Mr Van de Vijver said it was over. Mr. Smith agreed.",
        ["Mr Van de Vijver said it was over.", "Mr. Smith agreed."],
    ),
    "initials": ("J. R. R. Tolkien wrote it.", ["J. R. R. Tolkien wrote it."]),
    "decimal": (
        "It rose 3.5 per cent. Then it fell.",
        ["It rose 3.5 per cent.", "Then it fell."],
    ),
    "money": (
        "The deal was worth $1.2bn. It closed.",
        ["The deal was worth $1.2bn.", "It closed."],
    ),
    "closing-straight-quote": (
        'He said: "It is over." Then he left.',
        ['He said: "It is over."', "Then he left."],
    ),
    "closing-curly-quote": (
        "“It is over.” Then he left.",
        ["“It is over.”", "Then he left."],
    ),
    "question-and-exclamation": (
        "Was it worth it? Nobody can say! The war goes on.",
        ["Was it worth it?", "Nobody can say!", "The war goes on."],
    ),
    "ellipsis-before-capital": (
        "He paused... Then he spoke. It went … Then on.",
        ["He paused...", "Then he spoke.", "It went …", "Then on."],
    ),
    "ellipsis-before-lower-case": ("It went on … and on.", ["It went on … and on."]),
    "comma-straight-quote": (
        '"We need more recruits," Healey said.',
        ['"We need more recruits," Healey said.'],
    ),
    "comma-curly-quote": (
        "“We need more recruits,” Healey said.",
        ["“We need more recruits,” Healey said."],
    ),
    "ellipsis-in-brackets": (
        "“The plan [...] Is working,” he said. The law (…) Requires it.",
        ["“The plan [...] Is working,” he said.", "The law (…) Requires it."],
    ),
    "editorial-brackets": (
        "“We [need to] make it easier. We [need to] act.”",
        ["“We [need to] make it easier.", "We [need to] act.”"],
    ),
    "url-and-email": (
        "See example.com/a.b or mail a.b@example.com now. Done.",
        ["See example.com/a.b or mail a.b@example.com now.", "Done."],
    ),
    "eg-ie": (
        "Some, e.g. Texas, refused. Others, i.e. Ohio, agreed.",
        ["Some, e.g. Texas, refused.", "Others, i.e. Ohio, agreed."],
    ),
    "period-before-lower-case": (
        "It costs approx. three dollars.",
        ["It costs approx. three dollars."],
    ),
    "question-before-lower-case": ('"Really?" he asked.', ['"Really?" he asked.']),
    "number-prefix": (
        "They met at No. 10 Downing Street. No. The deal failed.",
        ["They met at No. 10 Downing Street.", "No.", "The deal failed."],
    ),
    "initialism-before-name": (
        "U.S. President Joe Biden met Apple Inc. Chief Executive Tim Cook.",
        ["U.S. President Joe Biden met Apple Inc. Chief Executive Tim Cook."],
    ),
    "initialism-ends-before-starter": (
        "Sanctions were imposed by the U.S. The move angered Moscow.",
        ["Sanctions were imposed by the U.S.", "The move angered Moscow."],
    ),
    "time-of-day": (
        "The vote is at 9 a.m. Tuesday. Results come at 6 p.m. The count takes hours.",
        ["The vote is at 9 a.m. Tuesday.", "Results come at 6 p.m.", "The count takes hours."],
    ),
    "state-before-title": (
        "Calif. Gov. Gavin Newsom signed it.",
        ["Calif. Gov. Gavin Newsom signed it."],
    ),
    "quoted-question-then-speaker": (
        '"Why?" Healey asked. Nobody answered.',
        ['"Why?" Healey asked.', "Nobody answered."],
    ),
    "url-after-sentence": (
        "He spoke to Putin. pic.twitter.com/yqf5xVomib — Daniel",
        ["He spoke to Putin.", "pic.twitter.com/yqf5xVomib — Daniel"],
    ),
}


@pytest.mark.parametrize("text, expected", RULES.values(), ids=RULES.keys())
def test_rule(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("title", "Mr Mrs Ms Dr Prof Gen Col Lt Sgt Rep Sen Gov St".split())
@pytest.mark.parametrize("follower", ["Smith", "Louis", "4"])
def test_title_never_ends_sentence(title: str, follower: str) -> None:
    text = f"It was {title}. {follower} who spoke."
    assert split_sentences(text) == [text]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \t\n \n"])
def test_blank_input_has_no_sentences(text: str) -> None:
    assert sentence_spans(text) == []
    assert split_sentences(text) == []


def test_every_newline_is_a_boundary() -> None:
    text = "  First line without stop\nSecond line. Third  \n\n\n  Fourth line\r\nFifth"
    assert split_sentences(text) == [
        "First line without stop",
        "Second line.",
        "Third",
        "Fourth line",
        "Fifth",
    ]


def test_spans_are_offsets_of_stripped_sentences() -> None:
    text = '  He said: "It is over."   Then he left.\n\nMr. Smith stayed.  '
    spans = sentence_spans(text)
    assert spans == [(2, 24), (27, 40), (42, 59)]
    assert [text[a:b] for a, b in spans] == split_sentences(text)


@pytest.mark.parametrize("sentences", GOLD, ids=lambda p: p[0][:40])
def test_gold_paragraph(sentences: list[str]) -> None:
    assert split_sentences(" ".join(sentences)) == sentences


@pytest.mark.xfail(strict=True, reason="documented limitation")
@pytest.mark.parametrize("sentences", HARD, ids=lambda p: p[0][:40])
def test_hard_paragraph_known_limitation(sentences: list[str]) -> None:
    assert split_sentences(" ".join(sentences)) == sentences


def test_gold_has_enough_sentences() -> None:
    assert sum(map(len, GOLD)) >= 60


@pytest.fixture(scope="module")
def seed_sentences() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 2
    return [s for path in paths for s in split_sentences(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(
    "sentence",
    [
        "The Discord leaks revealed that as of March 2023, 97 NATO special operations "
        "soldiers were inside Ukraine, including 50 British soldiers.",
        '"We [need to] make it easier to the Ukrainians to access and we [need to] work '
        'with the Ukrainians to help them motivate and mobilize more recruits," Healey said.',
        'They are the ones fighting."',
        "This is the time to step up further in Ukraine on every front.”",
        "Moreover, according to the British daily, the country has deployed a “small "
        "number” of troops to Ukraine to “help with medical training.”",
        "During his trip to Kiev, Healey insisted that “Russia is failing to win,” adding "
        "that “we can put a lot more pressure” on Moscow.",
        "Even the defense minister of Estonia – one of Kiev’s most ardent supporters – has "
        "expressed little appetite for such a deployment.",
        "Defense Secretary John Healey told the British daily he’s not ruling out sending "
        "instructors to train Kiev’s forces",
    ],
)
def test_seed_sentence_comes_out_whole(seed_sentences: list[str], sentence: str) -> None:
    assert sentence in seed_sentences


def test_seed_sentence_count(seed_sentences: list[str]) -> None:
    assert len(seed_sentences) == 35


@given(st.text(alphabet=st.sampled_from(list('aZ. ?!…"”’)([]\n\t,3')), max_size=60))
def test_spans_are_ordered_stripped_and_cover_all_text(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        piece = text[start:end]
        assert previous_end <= start < end
        assert piece == piece.strip() and "\n" not in piece
        assert not text[previous_end:start].strip()  # only whitespace is dropped
        previous_end = end
    assert not text[previous_end:].strip()
