"""What the check-worthiness model looks at in an annotated claim.

Two kinds of feature, both plain strings so that a model is a dict of weights:

- lexical: the claim's words, word pairs and word stems ("w:percent", "b:rose by",
  "p:incr"), numbers folded into their shape ("<pct>", "<money>", "<year>", "<num>").
  They carry most of what debate transcripts teach, but an editor cannot read them
  one by one, so reasons group them ("wording fact-checkers check: ...").
- named: what the annotator found (sourcing, kind, figures, hedges, questions,
  opinion) and a few signals news prose needs (sports results, sport and arts
  topics, legal and economic vocabulary), each with a reason an editor reads.

Pure Python and cheap: the loader scores every sentence it extracts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..extract.annotate import (
    OPINION_WORDS,
    SPORTS_RESULT_WORDS,
    has_opinion_marker,
    is_question,
    is_sports_result,
    opinion_markers,
)
from ..extract.claims import Claim
from ..extract.text import Sentence, word_set
from ..vocab import KINDS, SOURCINGS

_YEAR_RE = re.compile(r"(?:19|20)\d\d(?:s)?$")
STEM_LENGTH = 4  # a word's first letters: "increase", "increased", "increasing" share "p:incr"
CHAR_SIZES = (3, 4, 5)


def _number_shape(token: str) -> str:
    """A number token folded into what it measures: the value never generalises."""
    token = token.rstrip(",.")  # "in 2004, up from": the comma ends the clause, not the number
    if token[0] in "$£€" or token.endswith(("bn", "m", "k")):
        return "<money>"
    if token.endswith(("%", "cent")):
        return "<pct>"
    return "<year>" if _YEAR_RE.match(token) else "<num>"


def tokens(sentence: Sentence) -> list[str]:
    """The sentence's lower-cased words and number shapes, in order. A word token starts
    with "a" to "z" and a number token never does (``text.Sentence``): a comparison, not
    a method call, tells them apart."""
    words = sentence.tokens
    # Most sentences hold no number: min() and max() in C say so without a loop in Python.
    if not words or ("a" <= min(words) and max(words) < "{"):
        return list(words)
    return [token if "a" <= token < "{" else _number_shape(token) for token in words]


def token_features(token: str) -> list[str]:
    """A word's own features: itself, its stem and its letter triples to fives
    ("c: ta", "c:tax", "c:taxe"), which carry a word the training never saw by its parts."""
    if token[0] == "<":
        return ["w:" + token]  # a number's shape: its letters mean nothing
    padded = f" {token} "
    features = ["w:" + token]
    if len(token) > STEM_LENGTH:
        features.append("p:" + token[:STEM_LENGTH])
    for size in CHAR_SIZES:
        features.extend("c:" + padded[i : i + size] for i in range(len(padded) - size + 1))
    return features


def lexical_counts(sentence: Sentence) -> dict[str, int]:
    """Lexical features of a sentence with their counts: a word's own features once per
    distinct word (a word repeated in a rambling sentence counts once), word pairs
    ("b:first second") once per occurrence.

    The model weighs them by count over the square root of the total (see
    ``checkworthy.Model``): a long sentence does not outscore a short one by length alone.
    """
    words = tokens(sentence)
    counts: dict[str, int] = {}
    for first, second in zip(["<s>", *words], words, strict=False):
        pair = f"b:{first} {second}"
        counts[pair] = counts.get(pair, 0) + 1
    for word in set(words):
        for feature in token_features(word):
            counts[feature] = counts.get(feature, 0) + 1
    return counts


# --- named features --------------------------------------------------------------------------

# Vocabularies that generalise beyond the training debates; each counts as one feature,
# so a word the debates never used still weighs what its group weighs.
_LEGAL_WORDS = word_set(
    "arrested charged convicted jailed sentenced sued lawsuit court courts judge ruled ruling guilty",
    "trial prosecution prosecutors fined fine fraud investigation inquiry probe police illegal banned",
    "ban breach breached accused allegations alleged offence offences penalty regulator watchdog",
)
_ECONOMY_WORDS = word_set(
    "economy economic growth inflation unemployment jobs job wages pay prices price profits profit",
    "losses loss revenue revenues sales shares deficit debt budget tax taxes spending exports imports",
    "trade gdp interest rates pension pensions benefits funding cost costs billion million investment",
    "earnings market markets bank banks",
)
_HARM_WORDS = word_set("killed died deaths dead injured wounded victims attack attacks disease outbreak cancer")
_SECURITY_WORDS = word_set(
    "virus viruses hackers hacker hacked trojan worm spam phishing spyware malware privacy vulnerable"
)
_GOVERNMENT_WORDS = word_set(
    "government minister ministers ministry parliament commission committee council law laws act",
    "bill legislation mps congress senate official officials policy agency department",
)
# Sport and the arts: news sections whose figures (scores, box office, chart places)
# the guidelines of fact-checking desks leave aside. A word of the first vocabulary
# marks the topic; with a second word, of either vocabulary, the topic is plain. The
# second vocabulary alone marks nothing: politics also wins, shows and stars.
_SPORT_WORDS = word_set(
    "match matches striker midfielder defender goalkeeper keeper coach cup league premiership championship",
    "champion champions tournament seed seeded semi squad fixture injury medal olympic olympics athlete",
    "athletics sprinter marathon tennis football rugby cricket golf boxing wicket innings scrum flanker",
    "winger wimbledon fifa uefa lap prix stadium referee sport sports club clubs season captain player players",
)
_SPORT_CONTEXT_WORDS = word_set(
    "win won beat beaten victory defeat final finals title race team teams fans goal goals tries"
)
_ARTS_WORDS = word_set(
    "film films movie movies album albums song songs band bands singer rapper actor actress actors oscar",
    "oscars bafta grammy grammys nominated nominations chart charts comedy drama sitcom soap episode festival",
    "concert gig novel theatre musical hollywood studio documentary screenplay soundtrack artist artists",
    "gallery exhibition painting cinema premiere sequel singles",
)
_ARTS_CONTEXT_WORDS = word_set("award awards star stars show series music tour fans author box office nomination")
STRONG_TOPIC_WORDS = 2


def _length_feature(text: str) -> str:
    words = text.count(" ") + 1
    if words < 15:
        return "length:<8" if words < 8 else "length:<15"
    return "length:<25" if words < 25 else "length:<40" if words < 40 else "length:40+"


_CATEGORY_FEATURES = {c: "figure:" + c for c in ("quantity", "vague", "date", "score", "age")}


def _figure_features(figure_kinds: dict[str, str]) -> list[str]:
    if not figure_kinds:
        return []
    categories = set(figure_kinds.values())
    features = [_CATEGORY_FEATURES.get(c) or "figure:" + c for c in categories]
    if "quantity" in categories:
        quantities = [figure for figure, category in figure_kinds.items() if category == "quantity"]
        if any(figure[0] in "$£€" or figure.endswith(("bn", "m", "illion")) for figure in quantities):
            features.append("figure:money")
        if any(figure.endswith(("%", "cent")) for figure in quantities):
            features.append("figure:percent")
    return features


def _vocabulary_features(words: frozenset[str]) -> list[str]:
    grouped = _GROUPED_WORDS.intersection(words)  # in C: most sentences hold few such words
    if not grouped:
        return []
    groups = list(map(_WORD_GROUPS.__getitem__, grouped))
    features = list({feature for group in groups for feature in group if feature[0] == "v"})
    for name, feature, strong_feature in _TOPIC_FEATURES:
        topical = [group for group in groups if name in group]
        if any(feature in group for group in topical):
            features.append(feature)
            if len(topical) >= STRONG_TOPIC_WORDS:
                features.append(strong_feature)
    return features


def _word_groups() -> dict[str, tuple[str, ...]]:
    """Word -> the vocabulary features it raises and the topics it counts towards
    ("vocabulary:legal", "topic:sport" for a topic word, "sport" for any word of the topic)."""
    groups: dict[str, list[str]] = {}
    for name, vocabulary in _VOCABULARIES:
        for word in vocabulary:
            groups.setdefault(word, []).append("vocabulary:" + name)
    for name, vocabulary, context in _TOPICS:
        for word in vocabulary:
            groups.setdefault(word, []).extend(["topic:" + name, name])
        for word in context - vocabulary:
            groups.setdefault(word, []).append(name)
    return {word: tuple(names) for word, names in groups.items()}


_VOCABULARIES = (
    ("legal", _LEGAL_WORDS),
    ("economy", _ECONOMY_WORDS),
    ("harm", _HARM_WORDS),
    ("security", _SECURITY_WORDS),
    ("government", _GOVERNMENT_WORDS),
)
_VOCABULARY_OF = {f"vocabulary:{name}": words for name, words in _VOCABULARIES}
VOCABULARY_FEATURES = frozenset(_VOCABULARY_OF)  # those whose reason quotes the sentence's words
_TOPICS = (("sport", _SPORT_WORDS, _SPORT_CONTEXT_WORDS), ("arts", _ARTS_WORDS, _ARTS_CONTEXT_WORDS))
_TOPIC_FEATURES = tuple((name, "topic:" + name, f"topic:{name}, strongly") for name, _, _ in _TOPICS)
_WORD_GROUPS = _word_groups()
_GROUPED_WORDS = frozenset(_WORD_GROUPS)
_SOURCING_FEATURES = {s: "sourcing:" + s for s in SOURCINGS}
_KIND_FEATURES = {k: "kind:" + k for k in KINDS}


def named_features(claim: Claim) -> list[str]:
    """The annotator's findings and news signals as feature names."""
    sentence = claim.sentence or Sentence(claim.text)
    features = [
        _SOURCING_FEATURES.get(claim.sourcing) or f"sourcing:{claim.sourcing}",
        _KIND_FEATURES.get(claim.kind) or f"kind:{claim.kind}",
        _length_feature(claim.text),
    ]
    # Each test is first made here when a call would cost more than it (most sentences
    # hold no figure, no question mark, no opinion word).
    if claim.figure_kinds or claim.figures:
        features += _figure_features(_figure_kinds(claim))
    features += _vocabulary_features(sentence.words)
    if claim.hedges:
        features.append("hedged")
    if "?" in claim.text and is_question(claim.text):
        features.append("question")
    if not sentence.words.isdisjoint(OPINION_WORDS) and has_opinion_marker(sentence):
        features.append("opinion")
    if claim.claimant:
        features.append("claimant")
    if not sentence.words.isdisjoint(SPORTS_RESULT_WORDS) and is_sports_result(sentence):
        features.append("sports result")
    features += [_ARTICLE_FEATURES[topic] for topic in claim.article_topics]
    return features


# --- the article's topic ---------------------------------------------------------------------

# A sentence of a sports report or an arts page need not name its topic ("Bevan was twice
# held up short as Wales hammered away"); the article around it does. An article is of a topic when
# ARTICLE_TOPIC_SENTENCES of its sentences or more use the topic's own words and
# ARTICLE_TOPIC_SHARE of them its own or its context's (a match result counts for sport):
# a politics story that mentions the Olympics once is not a sports report, nor is one in
# which a minister, an MP, a party or a government speaks (the cost of a stadium).
ARTICLE_TOPIC_SENTENCES = 2
ARTICLE_TOPIC_SHARE = 0.4
_ARTICLE_FEATURES = {name: "article:" + name for name, _, _ in _TOPICS}
# (topic, its own words, its own and its context's)
_ARTICLE_TOPICS = tuple((name, vocabulary, vocabulary | context) for name, vocabulary, context in _TOPICS)
_PUBLIC_ROLES = frozenset(("minister", "opposition", "MP", "party", "mayor", "government"))


def article_topics(claims: list[Claim]) -> frozenset[str]:
    """The topics ("sport", "arts") of the article whose sentences ``claims`` are."""
    if any(claim.claimant_role in _PUBLIC_ROLES for claim in claims):
        return frozenset()
    sentences = [claim.sentence or Sentence(claim.text) for claim in claims]
    found = set()
    for name, vocabulary, either in _ARTICLE_TOPICS:
        if sum(not vocabulary.isdisjoint(s.words) for s in sentences) < ARTICLE_TOPIC_SENTENCES:
            continue
        near = sum(not either.isdisjoint(s.words) or (name == "sport" and is_sports_result(s)) for s in sentences)
        if near >= ARTICLE_TOPIC_SHARE * len(sentences):
            found.add(name)
    return frozenset(found)


def _figure_kinds(claim: Claim) -> dict[str, str]:
    # A custom extractor may give figures without categories: count them as quantities.
    return claim.figure_kinds or {figure: "quantity" for figure in claim.figures or ()}


# --- reasons ---------------------------------------------------------------------------------


def _figures_of(category: str) -> Callable[[Claim], str]:
    def reason(claim: Claim) -> str:
        figures = [f for f, c in _figure_kinds(claim).items() if c == category]
        return ", ".join(figures[:3])

    return reason


def _words_of(vocabulary: frozenset[str]) -> Callable[[Claim], str]:
    def reason(claim: Claim) -> str:
        words = (claim.sentence or Sentence(claim.text)).words & vocabulary
        return ", ".join(f"'{word}'" for word in sorted(words)[:3])

    return reason


# Named feature -> (label, details or None). A feature not listed moves the score silently.
REASONS: dict[str, tuple[str, Callable[[Claim], str] | None]] = {
    "sourcing:leak": ("a leak", None),
    "sourcing:anonymous": ("unnamed sources", None),
    "sourcing:social_media": ("a social media post", None),
    "sourcing:media_report": ("another outlet's report", None),
    "sourcing:official_document": ("an official document", None),
    "sourcing:named_person": ("a named speaker", None),
    "kind:statistic": ("a statistic", None),
    "kind:prediction": ("a prediction", None),
    "kind:opinion": ("an opinion", None),
    "figure:quantity": ("figure", _figures_of("quantity")),
    # Money and percentages read as their figures: one reason, not three saying the same.
    "figure:money": ("figure", _figures_of("quantity")),
    "figure:percent": ("figure", _figures_of("quantity")),
    "figure:vague": ("a vague figure", _figures_of("vague")),
    "figure:date": ("date", _figures_of("date")),
    "vocabulary:legal": ("law and courts", _words_of(_LEGAL_WORDS)),
    "vocabulary:economy": ("economy", _words_of(_ECONOMY_WORDS)),
    "vocabulary:harm": ("harm", _words_of(_HARM_WORDS)),
    "vocabulary:government": ("government", _words_of(_GOVERNMENT_WORDS)),
    "vocabulary:security": ("security", _words_of(_SECURITY_WORDS)),
    "hedged": ("hedged", lambda claim: ", ".join(claim.hedges[:2])),
    "sports result": ("a sports result", None),
    "topic:sport": ("sport", None),
    "topic:arts": ("arts and entertainment", None),
    "article:sport": ("in a sports report", None),
    "article:arts": ("in an arts story", None),
    "question": ("a question", None),
    "opinion": (
        "opinion words",
        lambda claim: ", ".join(f"'{m}'" for m in opinion_markers(claim.sentence or Sentence(claim.text))[:2]),
    ),
}


def _topics_of_words() -> dict[str, frozenset[str]]:
    topics: dict[str, set[str]] = {}
    for feature, vocabulary in _VOCABULARY_OF.items():
        for word in vocabulary:
            topics.setdefault(word, set()).add(feature)
    return {word: frozenset(features) for word, features in topics.items()}


_TOPICS_OF_WORD = _topics_of_words()  # "price" -> {"vocabulary:economy"}


def unquoted_by(topics: list[str], words: list[str]) -> list[str]:
    """``words`` that no reason of ``topics`` (``VOCABULARY_FEATURES``) stands for: "economy:
    'price'" says 'price', and another reason need not quote it again. One lookup for
    most words: few are in a vocabulary."""
    of_word = _TOPICS_OF_WORD
    return [word for word in words if word not in of_word or of_word[word].isdisjoint(topics)]


def reason_text(feature: str, claim: Claim) -> str | None:
    """What an editor reads for a named feature ("figure: 97, 50"), or None."""
    label, details = REASONS.get(feature, (None, None))
    if label is None:
        return None
    text = details(claim) if details else ""
    return f"{label}: {text}" if text else label
