"""Turn an article into annotated claims.

A claim is a sentence of the body, except that a quotation running over
several sentences stays whole with its attribution ("We will look ... They
are the ones fighting," Healey said.), so an editor rules on what the speaker
said rather than on a fragment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..records import Article
from .annotate import HEDGE_WORDS, classify_kind, find_figures, find_hedges
from .attribution import attribute
from .memory import ArticleMemory
from .sentences import sentence_spans
from .text import Sentence

MIN_CLAIM_WORDS = 4
MAX_QUOTE_MERGE = 4  # sentences; an unclosed quote beyond that is a typo
CONTEXT_CHARS = 120  # each side; the claim page shows the whole paragraph


@dataclass
class Claim:
    """One claim of an article. Offsets are into ``Article.body``."""

    text: str
    start: int
    end: int
    paragraph: int
    context: str = ""
    kind: str | None = None
    claimant: str | None = None
    sourcing: str | None = None
    figures: list[str] | None = None
    hedges: list[str] = field(default_factory=list)
    checkworthiness: float | None = None
    reasons: list[str] | None = None
    scored_by: str | None = None  # which model scored it, for the claim page
    claimant_role: str | None = None  # speakers.ROLES: what gives the claimant a stake
    # figure -> "quantity" | "vague" | "date", as annotate.find_figures gives it
    figure_kinds: dict[str, str] = field(default_factory=dict)
    sentence: Sentence | None = field(default=None, repr=False, compare=False)
    # Its sentence vector (extract/meaning.py), set only when the scoring model weighs meaning.
    meaning: list[float] | None = field(default=None, repr=False, compare=False)
    # What its article is about when that says more than the sentence ("sport", "arts"):
    # set by the scorer from all the article's claims (score/features.article_topics).
    article_topics: frozenset[str] = field(default=frozenset(), repr=False, compare=False)


_CURLY_QUOTES = (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"))


@lru_cache(maxsize=4096)  # each claim's text is normalised twice: to dedupe it, then for its id
def normalise_text(text: str) -> str:
    """The form of a claim's text that its id is derived from: straight quotes,
    runs of whitespace as one space, no space at either end, lower case."""
    # str.replace and str.split rather than str.translate and a regex: the same
    # result (split() breaks at exactly the characters \s matches) seven to eight times
    # faster, and the loader normalises every sentence.
    if not text.isascii():
        for curly, straight in _CURLY_QUOTES:
            text = text.replace(curly, straight)
    return " ".join(text.split()).lower()


def claim_id(article_id: str, text: str) -> str:
    """Stable across reloads: the same sentence of the same article keeps its id."""
    digest = hashlib.sha1(f"{article_id}\x1f{normalise_text(text)}".encode()).hexdigest()
    return digest[:16]


def _quote_is_open(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def _merge_open_quotes(spans: list[tuple[int, int]], paragraph: str) -> Iterator[tuple[int, int]]:
    """Join a sentence that opens a quotation with the ones that close it."""
    i = 0
    while i < len(spans):
        start, end = spans[i]
        j = i
        while _quote_is_open(paragraph[start:end]) and j + 1 < len(spans) and j - i < MAX_QUOTE_MERGE:
            j += 1
            end = spans[j][1]
        if _quote_is_open(paragraph[start:end]):
            end, j = spans[i][1], i  # never closed: keep the sentence alone
        yield start, end
        i = j + 1


def _paragraphs(body: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for paragraph in body.split("\n\n"):
        yield offset, paragraph
        offset += len(paragraph) + 2


def _context(paragraph: str, start: int, end: int) -> str:
    """Neighbouring text of the paragraph, trimmed to whole words."""
    before = paragraph[max(0, start - CONTEXT_CHARS) : start]
    after = paragraph[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1]
    if end + CONTEXT_CHARS < len(paragraph):
        after = after.rsplit(" ", 1)[0] + "…"
    return f"{before}[[{paragraph[start:end]}]]{after}".strip()


def split_claims(article: Article) -> list[Claim]:
    """The claim-sized units of the body, unannotated."""
    claims: list[Claim] = []
    for number, (offset, paragraph) in enumerate(_paragraphs(article.body)):
        spans: Iterable[tuple[int, int]] = sentence_spans(paragraph)
        if '"' in paragraph or "“" in paragraph:  # most paragraphs open no quotation
            spans = _merge_open_quotes(spans, paragraph)
        for start, end in spans:
            text = paragraph[start:end]
            if len(text.split()) < MIN_CLAIM_WORDS:
                continue
            claims.append(Claim(text, offset + start, offset + end, number, _context(paragraph, start, end)))
    return claims


def _in_social_span(claim: Claim, spans: list[tuple[int, int]]) -> bool:
    return any(start <= claim.start and claim.end <= end + 1 for start, end in spans)


def annotate_claims(article: Article, claims: list[Claim]) -> None:
    """Fill in kind, claimant, sourcing, figures and hedges, in article order.

    Order matters: pronouns and "the newspaper" resolve against what earlier
    claims named. Annotations a custom extractor already set are kept.
    """
    memory = ArticleMemory()
    social = article.social_spans  # most articles embed no posts: no span to look through
    for claim in claims:
        memory.next_sentence(claim.paragraph)
        sentence = claim.sentence = Sentence(claim.text)
        attribution = attribute(sentence, memory, bool(social) and _in_social_span(claim, social))
        claim.figure_kinds = find_figures(sentence)
        quantity = "quantity" in claim.figure_kinds.values()
        if claim.figures is None:
            claim.figures = list(claim.figure_kinds)
        if not claim.hedges:  # most sentences hedge with none of the words: no call
            claim.hedges = find_hedges(sentence) if not sentence.words.isdisjoint(HEDGE_WORDS) else []
        if claim.claimant is None:
            claim.claimant = attribution.claimant
        if claim.claimant_role is None:
            claim.claimant_role = attribution.role
        if claim.sourcing is None:
            claim.sourcing = attribution.sourcing
        if claim.kind is None:
            claim.kind = classify_kind(sentence, attribution, quantity)
