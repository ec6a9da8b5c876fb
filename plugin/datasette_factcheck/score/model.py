"""The learned check-worthiness model: scoring, reasons, serialisation, the shipped default.

A model is logistic regression over the features of ``checkworthy_features``:

    score = logistic(bias + sum of named weights + lexical sum / sqrt(lexical count))

where the lexical sum and count run over the in-vocabulary lexical features of the
claim's distinct words and word pairs. Named weights are the
learned weight plus an editorial prior (``PRIORS``): a fixed offset for signals the
training debates cannot teach (sports results, sport and arts topics, leaks,
unnamed sources, legal and security matters), set from the desk's guidelines and
checked on the news development set.

Scoring is pure Python (dict lookups, a per-word cache): the loader scores every
sentence. Fitting lives in ``checkworthy_fit`` and needs numpy and scipy.
"""

from __future__ import annotations

import gzip
import json
import math
import operator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import Any, NamedTuple

from ..extract.claims import Claim
from ..extract.text import SENTENCE_ADVERBS, STOP_WORDS, Sentence, word_set
from .editorial import priority, priority_reasons
from .features import (
    REASONS,
    VOCABULARY_FEATURES,
    article_topics,
    named_features,
    reason_text,
    token_features,
    tokens,
    unquoted_by,
)
from .priority import queue_score

FORMAT = "datasette-factcheck/checkworthiness-model/1"
DEFAULT_MODEL_FILE = "checkworthy_model.json.gz"
MAX_REASONS = 5
MAX_WORDING_EXAMPLES = 3
NEGATIVE_REASON_WEIGHT = 1.0  # a signal that lowers the score at least this much is named too
WORD_CACHE_SIZE = 100_000  # distinct words whose lexical weight is remembered
WEIGHT_DIGITS = 5
# A newsroom model trained with the [semantic] extra may weigh what a sentence means:
# one weight per place of its vector (extract/meaning.py), named MEANING + the place.
MEANING = "meaning:"
MEANING_REASON = 1.0  # a pull at least this strong towards claims the desk took up is named
MEANING_MODEL = "meaning_model"  # the meta key naming the sentence model the weights read
# Words the wording's reason never quotes: function words, and the adverbs and
# connectives that weigh in debates ("actually", "even", "according") but tell an
# editor nothing about what to check.
UNQUOTED_WORDS = (
    STOP_WORDS
    | SENTENCE_ADVERBS
    | word_set(
        "according ever mr mrs ms",
        # a sentence's words are lower-cased with a plain apostrophe ("didn't", "we're")
        "didn't doesn't don't isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't couldn't",
        "shouldn't can't mustn't needn't ain't",
    )
    | {
        f"{head}'{tail}"
        for head in "i you we they he she it that there what who here let".split()
        for tail in "s re ve ll d m".split()
    }
)

# Editorial priors: offsets added to named features' learned weights. The debates a
# model learns from have (almost) no sports reports, arts pages, leaks or unnamed
# sources; these say what a news desk's guidelines say about them.
PRIORS: dict[str, float] = {
    "sourcing:leak": 2.5,
    "sourcing:anonymous": 1.5,
    "vocabulary:legal": 1.0,
    "vocabulary:security": 1.0,
    "sports result": -2.0,
    "topic:sport": -1.0,
    "topic:sport, strongly": -1.0,
    "topic:arts": -1.0,
    "topic:arts, strongly": -1.0,
    "article:sport": -1.0,
    "article:arts": -1.0,
}


@dataclass
class Model:
    """Weights of a check-worthiness model; build one with ``checkworthy_fit.fit``."""

    bias: float
    weights: dict[str, float]  # learned: named features and in-vocabulary lexical ones
    priors: dict[str, float] = field(default_factory=lambda: dict(PRIORS))
    meta: dict[str, Any] = field(default_factory=dict)  # how it was trained, for people

    def __post_init__(self) -> None:
        self._named = dict(self.weights)  # named features' weights with their priors
        for feature, prior in self.priors.items():
            self._named[feature] = self._named.get(feature, 0.0) + prior
        # Pairs keyed by tuple: zip() gives them so, no string to build per pair.
        self._pairs = {tuple(f[2:].split(" ", 1)): w for f, w in self.weights.items() if f.startswith("b:")}
        self._word_weights: dict[str, float] = {}
        self._word_counts: dict[str, int] = {}
        # The cached words a reason may quote (``_wording_examples``), with their weights.
        self._quotable: dict[str, float] = {}
        self._meaning = meaning_weights(self.weights)

    @property
    def weighs_meaning(self) -> bool:
        """Whether scoring adds a term for the claim's sentence vector (``add_meaning``)."""
        return self._meaning is not None

    def word_weight(self, word: str) -> tuple[float, int]:
        """(sum of weights, count) of a word's in-vocabulary lexical features."""
        weights = self.weights
        found = [weights[f] for f in token_features(word) if f in weights]
        return sum(found), len(found)

    def cached_words(self, words: list[str]) -> tuple[list[float], int]:
        """``word_weight`` of each of ``words`` (distinct): the weights in their order and
        the sum of the counts, from a bounded cache.

        The loader scores every sentence and news reuses a small vocabulary, so
        nearly every word is a hit: the lookups are mapped in C, and only a miss (a
        KeyError) looks for the words not met yet.
        """
        weight_of, count_of = self._word_weights, self._word_counts
        try:
            weights = list(map(weight_of.__getitem__, words))
        except KeyError:
            self._remember(words)
            weights = list(map(weight_of.__getitem__, words))
        return weights, sum(map(count_of.__getitem__, words))

    def _remember(self, words: list[str]) -> None:
        """Put the words not in the cache into it; start afresh when it would overflow."""
        weight_of, count_of, quotable = self._word_weights, self._word_counts, self._quotable
        missing = set(words).difference(weight_of)
        if len(weight_of) + len(missing) > WORD_CACHE_SIZE:
            weight_of.clear()  # a bounded cache: rare words come and go
            count_of.clear()
            quotable.clear()
            missing = set(words)
        for word in missing:
            weight_of[word], count_of[word] = self.word_weight(word)
            if _quotable(word, weight_of[word]):
                quotable[word] = weight_of[word]

    def to_bytes(self) -> bytes:
        """JSON, gzip-compressed: no code, readable by anything."""
        document = {
            "format": FORMAT,
            "bias": round(self.bias, WEIGHT_DIGITS),
            "priors": self.priors,
            "meta": self.meta,
            "weights": {f: round(w, WEIGHT_DIGITS) for f, w in sorted(self.weights.items())},
        }
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return gzip.compress(text.encode(), mtime=0)  # mtime 0: same model, same bytes

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        """A model from ``to_bytes``; gzip or plain JSON."""
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        document = json.loads(data)
        if document.get("format") != FORMAT:
            raise ValueError(f"not a check-worthiness model (format {document.get('format')!r}, expected {FORMAT!r})")
        return cls(
            document["bias"], document["weights"], _with_new_priors(document["priors"]), document.get("meta", {})
        )


def _with_new_priors(priors: dict[str, float]) -> dict[str, float]:
    """A model file's priors, and this version's for signals added since it was made
    (``article:sport``): training never sees those, so the prior is all they weigh."""
    return {**{feature: prior for feature, prior in PRIORS.items() if feature not in priors}, **priors}


def meaning_weights(weights: dict[str, float]) -> list[float] | None:
    """The meaning weights in the order of the vector's places, or None when the model
    has none; ValueError when their names are not the places 0, 1, 2 ... in full."""
    named = {f[len(MEANING) :]: w for f, w in weights.items() if f.startswith(MEANING)}
    if not named:
        return None
    places = [str(place) for place in range(len(named))]
    if sorted(named) != sorted(places):
        raise ValueError(f"its meaning weights are not the places 0 to {len(named) - 1} of a sentence vector")
    return [named[place] for place in places]


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The model shipped in the package (trained by bench/train_checkworthy.py), loaded once."""
    data = resources.files("datasette_factcheck").joinpath("data", DEFAULT_MODEL_FILE).read_bytes()
    return Model.from_bytes(data)


def add_context(claims: list[Claim], model: Model, article_claims: list[Claim] | None = None) -> None:
    """What scoring reads beyond each sentence, for claims of one article: the article's
    topic, read from all its claims (``article_claims``, default ``claims``), and each
    sentence's vector when ``model`` weighs meaning."""
    topics = article_topics(claims if article_claims is None else article_claims)
    for claim in claims:
        claim.article_topics = topics
    add_meaning(claims, model)


def add_meaning(claims: list[Claim], model: Model) -> None:
    """Give each claim its sentence vector, in one batch, when ``model`` weighs meaning.

    Without the [semantic] extra the claims go without, and such a model scores them
    by everything else it knows: the meaning term is a correction, not the score."""
    if not (claims and model.weighs_meaning):
        return
    from ..extract import meaning

    # A model trained on another sentence model's vectors would read these as noise.
    same_vectors = model.meta.get(MEANING_MODEL) == meaning.MODEL and len(model._meaning) == meaning.WIDTH
    if same_vectors and meaning.available():
        for claim, vector in zip(claims, meaning.embed([claim.text for claim in claims]), strict=True):
            claim.meaning = vector.tolist()


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -500 else 0.0


Contributions = list[tuple[float, str]]


class Wording(NamedTuple):
    """Each distinct word of a sentence, and the model's words a reason may quote with
    their weights (``Model._quotable``)."""

    words: list[str]
    quotable: dict[str, float]


def _lexical(words: list[str], model: Model) -> tuple[float, int, Wording]:
    """(weight sum, in-vocabulary feature count, each distinct word's weight)."""
    unique = list(set(words))
    weights, count = model.cached_words(unique)
    # Pairs only add to the sum: map() keeps the per-pair work in C.
    pairs = [
        weight for weight in map(model._pairs.get, zip(["<s>", *words], words, strict=False)) if weight is not None
    ]
    return sum(weights) + sum(pairs), count + len(pairs), Wording(unique, model._quotable)


def score_claim(claim: Claim, model: Model | None = None) -> tuple[float, list[str]]:
    """(the queue's score in 0..1, reasons strongest first) for an annotated claim.

    The score puts the two questions in one number (see ``queue_order``):
    check-worthiness from ``model`` (default: the shipped one), then the
    desk's priority from the editorial signals. Reasons say, in the desk's
    words, who says it and what is contestable ("a minister's figure", "a
    comparison over time"), then what raised the check-worthiness.
    """
    model = model or default_model()
    before_logistic, features, named, wording, scale = _margin(claim, model)
    found = priority(claim, features)
    reasons = priority_reasons(found)[:MAX_REASONS]
    _add_reasons(reasons, claim, named, wording, scale)
    return queue_score(before_logistic, found), reasons


def probability(claim: Claim, model: Model | None = None) -> float:
    """The first question alone: how likely the claim is check-worthy (0..1)."""
    return _logistic(margin(claim, model))


def margin(claim: Claim, model: Model | None = None) -> float:
    """The model's score of an annotated claim before the logistic: bias, named
    weights and the wording's weights over the square root of their count."""
    return _margin(claim, model or default_model())[0]


def _margin(claim: Claim, model: Model) -> tuple[float, list[str], Contributions, Wording, float]:
    """(margin, named features, their contributions, the words' weights, the wording's scale)."""
    sentence = claim.sentence or Sentence(claim.text)
    features = named_features(claim)
    weights = list(map(model._named.get, features, repeat(0.0)))  # the lookups in C
    named = list(zip(weights, features, strict=True))
    if model._meaning is not None and claim.meaning is not None:
        named.append((sum(map(operator.mul, claim.meaning, model._meaning)), MEANING))
        weights.append(named[-1][0])
    lexical, count, wording = _lexical(tokens(sentence), model)
    scale = 1.0 / math.sqrt(count) if count else 0.0
    return model.bias + sum(weights) + lexical * scale, features, named, wording, scale


def _add_reasons(reasons: list[str], claim: Claim, named: Contributions, wording: Wording, scale: float) -> None:
    """Add to ``reasons`` (the priority's), up to MAX_REASONS in all, what moved the score
    most, in words, strongest first: the largest positive contributions (the wording counts
    as one) and the signals that pulled it down hard ("sports result", "question"). Only
    the reasons kept are put into words: the loader scores every sentence."""
    # Only features with a reason an editor reads: the rest move the score silently.
    candidates = [
        (abs(weight), feature)
        for weight, feature in named
        if feature in REASONS and (weight > 0 or weight <= -NEGATIVE_REASON_WEIGHT)
    ]
    if named and named[-1][1] == MEANING and named[-1][0] >= MEANING_REASON:  # the meaning comes last
        candidates.append(named[-1])
    examples = _wording_examples(wording)
    if examples:
        candidates.append((sum([weight for weight, _ in examples[:MAX_WORDING_EXAMPLES]]) * scale, ""))
    # "a leaked figure" says "a leak"; the priority's reason for a leak comes first.
    leaked = bool(reasons) and reasons[0].startswith("a leaked")
    wording_at, topics = None, []
    for _, feature in sorted(candidates, reverse=True):
        if len(reasons) >= MAX_REASONS:
            break
        if not feature:  # put into words last, without the words the topics quote
            wording_at = len(reasons)
            reasons.append("")
            continue
        text = "like claims this desk took up" if feature == MEANING else reason_text(feature, claim)
        if text and text not in reasons and not (leaked and text == "a leak"):
            reasons.append(text)
            if feature in VOCABULARY_FEATURES:
                topics.append(feature)
    if wording_at is not None:
        _word_the_wording(reasons, wording_at, examples, topics, claim.text)


def _word_the_wording(reasons: list[str], at: int, examples: Contributions, topics: list[str], text: str) -> None:
    """The wording's reason at ``at``: its strongest words no other reason quotes ("economy:
    'price'" already says 'price': ``topics`` are the vocabulary features of the reasons
    beside it) and that are no name in ``text``, or no reason when none is left."""
    words = [word for _, word in examples]
    if topics:
        words = unquoted_by(topics, words)
    quoted: list[str] = []
    for word in words:  # the strongest first, until enough are quoted: most are looked at once
        if word.capitalize() not in text or not _written_as_a_name(word, text):  # most: no capital
            quoted.append(f"'{word}'")
            if len(quoted) == MAX_WORDING_EXAMPLES:
                break
    if quoted:
        reasons[at] = "words desks often check: " + ", ".join(quoted)
    else:
        del reasons[at]


def _written_as_a_name(word: str, text: str) -> bool:
    """Whether ``text`` writes the word capitalised inside a sentence and never in lower case
    between spaces ("Mr Putin said", "Ed Davey"): a name, which quoted in lower case ('putin',
    'ed') reads as machine output, not as wording a desk checks."""
    at = text.find(word.capitalize(), 1)
    return at > 0 and text[at - 1] == " " and f" {word} " not in text


def _wording_examples(wording: Wording) -> Contributions:
    """The words that raised the score most, strongest first, a few more than a reason
    quotes (a topic's reason may quote some): those ``_quotable`` found worth quoting when
    the model first met them. Found by a set intersection in C: the loader scores every
    sentence, and only the few left are sorted."""
    quotable = wording.quotable
    raising = [(quotable[word], word) for word in quotable.keys() & wording.words]
    return sorted(raising, reverse=True)[: 2 * MAX_WORDING_EXAMPLES]


def _quotable(word: str, weight: float) -> bool:
    """Whether a reason may quote a word of this weight: it raises the score, and is no
    number shape, no possessive ("france's", "s's" of "M&S's") and none of
    ``UNQUOTED_WORDS`` ("were" and "actually" may weigh, but an editor reads nothing in them)."""
    return weight > 0 and word[0] != "<" and word not in UNQUOTED_WORDS and "'s" not in word
