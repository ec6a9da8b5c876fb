"""Annotate one claim sentence: its figures, hedges, opinion words and kind.

Rule-based and fast (a few compiled regexes per sentence), because the loader
runs it on every sentence of every article. Who makes the claim and how it is
sourced are ``attribution.py``'s; what every rule reads is ``text.py``'s.
"""

from __future__ import annotations

import re

from ..vocab import EVENT, LEAK, OPINION, PREDICTION, QUOTE, REPORTED, STATISTIC
from .attribution import Attribution
from .text import Sentence, has_direct_speech, starting_with, word_set

# --- figures -------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)"
)
# Three regexes, each run only when the sentence can match it (a digit, a
# number word, a vague-quantity word): most sentences skip at least two.
# In the first, alternation order matters: a date is taken before its year.
_DIGIT_FIGURE_RE = starting_with(
    "0-9$£€JFMASOND",
    rf"(?P<date>\b{_MONTH}\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d\d\b"
    # A day without its year ("on 25 December", "the March 15 deadline") is a date too.
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?![\w.])|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b)"
    # A year, or a decade ("the 1990s"); a full stop after it ends the sentence, it is no decimal point.
    r"|(?P<year>\b(?:19|20)\d\d(?:s\b|\b)(?![\d,%]|\.\d))"
    # "Mrs Okonjo, 47, ...": an age, biography rather than a statistic.
    r"|(?P<age>(?<=[a-z], )\d\d(?=,))"
    # "beat him 6-4 6-3", "won 5-0": a result (a "score" only in a sports result, see find_figures).
    r"|(?P<score>(?<![\w.,-])\d{1,2}-\d{1,2}(?![\w%-]|\.\d| ?per ?cent))"
    # Glued to letters ("3G", "W800", "SCH-V770", "MP3") a number is a product or model code.
    r"|(?<![\w.,])(?<![A-Za-z]-)(?P<quantity>[$£€]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per ?cent\b|million\b|billion\b|trillion\b|bn\b|m\b|k\b))?)(?![\w£$€])",
)
_WORD_FIGURE_RE = starting_with("tfsenhmb", rf"\b{_NUMBER_WORD}(?:[ -]{_NUMBER_WORD})*\b", re.I)
_VAGUE_FIGURE_RE = starting_with(
    "thdmbslgru",
    r"\b(?P<magnitude>(?:tens|hundreds|thousands|dozens|millions|billions) of (?:thousands|millions|billions)?)"
    r"|\b(?:small|large|significant|growing|record|unknown) number\b|\bhandful\b",
    re.I,
)
# A share of a whole in words ("a third of", "two-thirds", "half of all firms", "one in
# four"): a statistic, as a percentage is. A lone "third" or "half" is an order or a
# part of something ("a third term", "the first half of the year"), so a share is
# written with its count, or "half of", or as a change ("had fallen by a third since",
# "cut by half."): "by" it, then a stop or a word that goes on about the change, not a
# noun ("by a third party").
_SHARE = r"(?:third|quarter|fifth|sixth|eighth|tenth|twentieth|hundredth)s?"
_COUNT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
# Searched in the lower-cased text (the same offsets), compiled case-sensitive: a
# case-insensitive alternation costs several times as much (text.Caseless).
_SHARE_RE = starting_with(
    "aofhtsen",
    rf"\b{_COUNT_WORD}[ -]{_SHARE}\b|\b(?:a {_SHARE}|(?<!first )(?<!second )(?<!other )half)(?= of\b)"
    rf"|(?<=\bby )(?:a {_SHARE}|half)(?=[,.;:)]|$| (?:in|on|since|from|over|compared|to|than|last|this"
    r"|between|and|after|before|as|while|during|within|under|year|a year|each|every)\b)"
    rf"|\b{_COUNT_WORD} (?:in|out of) (?:{_COUNT_WORD}|ten|twenty|a hundred|a thousand)\b",
)
_SHARE_WORDS = word_set(
    "half third thirds quarter quarters fifth fifths sixth sixths eighth eighths tenth tenths twentieth",
    "twentieths hundredth hundredths",
)
_RATIO_WORDS = word_set("in out")  # "one in four", "nine out of ten"
_COUNT_WORDS = word_set(_COUNT_WORD.strip("(?:)").replace("|", " "))
_NUMBER_WORDS = word_set(_NUMBER_WORD.strip("(?:)").replace("|", " "))
_SMALL_NUMBER_WORDS = word_set("two three four five six seven eight nine ten")
_VAGUE_WORDS = word_set("tens hundreds thousands dozens millions billions number handful")


_DIGIT_CATEGORIES = {"date": "date", "year": "date", "age": "age", "quantity": "quantity"}


def _figure_matches(sentence: Sentence) -> list[tuple[int, str, str]]:
    """(offset, figure, category) for every figure, unordered."""
    text, found = sentence.text, []
    digits: list[re.Match] = []
    if sentence.has_digit:
        # "5-0" is a match result in a sports report, elsewhere a range ("aged 18-24").
        score = "score" if is_sports_result(sentence) else "quantity"
        digits = list(_DIGIT_FIGURE_RE.finditer(text))
        found += [(m.start(), m.group(), _DIGIT_CATEGORIES.get(m.lastgroup, score)) for m in digits]
    shares = _shares(sentence)
    if not sentence.words.isdisjoint(_NUMBER_WORDS):
        # "two", "five": in prose as often a way of speaking as a statistic. Where a figure
        # already stands, a number word inside it ("5 billion", "two-thirds", "one in
        # four") is a part of that figure, not one of its own.
        taken = [m.span() for m in digits] + [(start, end) for start, end, _ in shares]
        found += [
            (m.start(), m.group(), "vague" if m.group().lower() in _SMALL_NUMBER_WORDS else "quantity")
            for m in _WORD_FIGURE_RE.finditer(text)
            if not any(start <= m.start() < end for start, end in taken)
        ]
    found += [(start, text[start:end], category) for start, end, category in shares]
    if not sentence.words.isdisjoint(_VAGUE_WORDS):
        # "tens of thousands" is a statistic; "a small number" is not.
        found += [
            (m.start(), m.group(), "quantity" if m.group("magnitude") else "vague")
            for m in _VAGUE_FIGURE_RE.finditer(text)
        ]
    return found


def _shares(sentence: Sentence) -> list[tuple[int, int, str]]:
    """(start, end, "quantity") of each share of a whole written in words, looked for
    only where one can be: a share's word ("thirds"), or a count word with "in" or
    "out" ("one in four", "nine out of ten")."""
    ratio = not sentence.words.isdisjoint(_COUNT_WORDS) and not sentence.words.isdisjoint(_RATIO_WORDS)
    if not (ratio or not sentence.words.isdisjoint(_SHARE_WORDS)):
        return []
    text = sentence.text
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter that lower-cases to two: read as written
        lowered = text
    return [(m.start(), m.end(), "quantity") for m in _SHARE_RE.finditer(lowered)]


def find_figures(sentence: Sentence) -> dict[str, str]:
    """The figures and dates in the sentence, in order: figure -> category.

    Categories: "quantity" (makes a statistic), "vague" ("a small number"),
    "score" (a sports result: "6-4"), "age" ("Mrs Okonjo, 47,"),
    "date" (a date or a year).
    """
    figures: dict[str, str] = {}
    for _, figure, category in sorted(_figure_matches(sentence)):
        figure = figure.strip().rstrip(",.")
        if figure:
            figures.setdefault(figure, category)
    return figures


_SCORE_RE = re.compile(r"(?<![\w.,-])\d{1,2}-\d{1,2}(?![\w%-]|\.\d)")
_RESULT_WORDS = word_set(
    "beat beats beaten won win wins lost lose loses defeat defeated draw drew drawn victory thrashed edged",
    "trailed trailing led lead leads scored score sets halftime",
)
_SETS_RE = re.compile(r"\b(?:straight|three|four|five)[ -]sets?\b|\btie-?break", re.I)
_SETS_WORDS = word_set("sets set tie break tiebreak")
SPORTS_RESULT_WORDS = _SETS_WORDS | _RESULT_WORDS  # without one, no result: callers test them first


def is_sports_result(sentence: Sentence) -> bool:
    """A match result ("beat him 6-4 6-3", "won 2-1", "a straight sets defeat"):
    its numbers are a score, not a statistic a fact-checker would check."""
    text = sentence.text
    if not sentence.words.isdisjoint(_SETS_WORDS) and _SETS_RE.search(text):
        return True
    return "-" in text and not sentence.words.isdisjoint(_RESULT_WORDS) and _SCORE_RE.search(text) is not None


# --- hedges, questions, opinion, prediction ------------------------------

_HEDGE_RE = starting_with(
    "abclmnprsuw",
    r"\b(?:suggested|suggests|could|may|might|reportedly|allegedly|apparently|appears? to|believed to"
    r"|likely|possibly|unconfirmed|purportedly|not ruling out|wouldn[’']t rule out|would not rule out"
    r"|not rule out|claimed|alleged|rumou?red|understood to)\b",
    re.I,
)
_OPINION_RE = starting_with(
    "iwsomfdtg",
    r"\b(?:I think|I believe|I feel|we need to|we must|we should|should|ought to|must|I hope|in my view"
    r"|in my opinion|frankly|shameful|disgraceful|wonderful|terrible|great)\b",
    re.I,
)
_PREDICTION_RE = starting_with(
    "wiagf", r"\b(?:will|won[’']t|is expected to|are expected to|is set to|going to|forecast)\b", re.I
)
HEDGE_WORDS = word_set(
    "suggested suggests could may might reportedly allegedly apparently appears appear believed likely",
    "possibly unconfirmed purportedly ruling rule claimed alleged rumored rumoured understood",
)
OPINION_WORDS = word_set(
    "think believe feel need must should ought hope view opinion frankly shameful",
    "disgraceful wonderful terrible great",
)
_PREDICTION_WORDS = word_set("will won't expected set going forecast")


def find_hedges(sentence: Sentence) -> list[str]:
    """Hedging words, each once, lower-cased."""
    hedges: list[str] = []
    if sentence.words.isdisjoint(HEDGE_WORDS):
        return hedges
    for match in _HEDGE_RE.finditer(sentence.text):
        if match.group() == "May" and match.start() > 0:
            continue  # the month, not the modal
        word = match.group().lower().replace("’", "'")
        if word not in hedges:
            hedges.append(word)
    return hedges


def opinion_markers(sentence: Sentence) -> list[str]:
    """Opinion words outside quotation marks ("should", "I think")."""
    if sentence.words.isdisjoint(OPINION_WORDS):
        return []
    return sorted({m.group().lower() for m in _OPINION_RE.finditer(sentence.unquoted)})


def has_opinion_marker(sentence: Sentence) -> bool:
    """Whether ``opinion_markers`` would find any: one regex search, no list."""
    return not sentence.words.isdisjoint(OPINION_WORDS) and _OPINION_RE.search(sentence.unquoted) is not None


def is_question(text: str) -> bool:
    return text.rstrip("\"”’' )").endswith("?")


def classify_kind(sentence: Sentence, attribution: Attribution, quantity: bool) -> str:
    """One of vocab.KINDS, by the precedence news editors use."""
    if has_direct_speech(sentence.text):
        return QUOTE
    if quantity:
        return STATISTIC
    if attribution.reported:
        return REPORTED
    if attribution.sourcing == LEAK:
        return EVENT
    if is_question(sentence.text) or opinion_markers(sentence):
        return OPINION
    if not sentence.words.isdisjoint(_PREDICTION_WORDS) and _PREDICTION_RE.search(sentence.unquoted):
        return PREDICTION
    return EVENT
