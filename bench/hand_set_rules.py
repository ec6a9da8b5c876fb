"""The hand-set check-worthiness rules the plugin scored with before the learned model.

Kept here, outside the package, so that bench/rank.py can measure the learned
model beside them in the same run. A sum of hand-set weights passed through a
logistic curve, so every point of the score traces back to a reason.
"""

from __future__ import annotations

import math
import re

from datasette_factcheck.extract.annotate import is_question, opinion_markers
from datasette_factcheck.extract.claims import Claim
from datasette_factcheck.extract.text import Sentence, word_set

BIAS = -1.2

SOURCING_WEIGHTS = {
    "leak": (2.6, "source: leak"),
    "anonymous": (2.2, "source: unnamed sources"),
    "social_media": (0.9, "source: social media post"),
    "media_report": (0.8, "source: media report"),
    "official_document": (0.7, "source: official document"),
    "named_person": (0.4, "source: named person"),
    "unattributed": (0.0, None),
}
KIND_WEIGHTS = {
    "statistic": 1.0,
    "event": 0.5,
    "reported": 0.4,
    "quote": 0.1,
    "prediction": -0.4,
    "opinion": -0.3,  # the opinion markers themselves weigh in below
}
QUANTITY_WEIGHT = 1.1
VAGUE_FIGURE_WEIGHT = 0.6
DATE_WEIGHT = 0.25
HEDGE_WEIGHT = 0.45
SCARE_QUOTE_WEIGHT = 0.35
FACT_WORD_WEIGHT = 0.35
QUESTION_WEIGHT = -1.8
OPINION_WEIGHT = -0.7
FIRST_PERSON_WEIGHT = -0.5
SHORT_WEIGHT = -1.0
BOILERPLATE_WEIGHT = -4.0
MAX_REASONS = 5

# Words that mark a checkable change, comparison or record.
_FACT_WORDS = word_set(
    "percent cent increase increased decrease decreased rose fell doubled tripled cut raised record highest",
    "lowest largest biggest smallest most least first deployed killed voted spent budget deficit unemployment",
    "taxes tax jobs million billion average rate since",
)
_BOILERPLATE_WORDS = word_set("subscribe newsletter sign click follow rights cookie advertisement")
_FIRST_PERSON_RE = re.compile(r"^(?:I|I'm|I've|We|We're|Let me|Thank you|Well)\b")
_BOILERPLATE_RE = re.compile(
    r"\b(?:subscribe|newsletter|sign up|click here|follow us|all rights reserved|cookie|advertisement)\b|©",
    re.I,
)
_SCARE_QUOTE_RE = re.compile(r"[\"“]\s*\w+(?:\s+\w+)?\s*[\"”]")


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _signals(claim, sentence: Sentence) -> list[tuple[float, str | None]]:
    """(weight, reason) pairs; a reason of None moves the score silently."""
    signals: list[tuple[float, str | None]] = [SOURCING_WEIGHTS.get(claim.sourcing, (0.0, None))]
    signals.append(
        (KIND_WEIGHTS.get(claim.kind, 0.0), f"kind: {claim.kind}" if claim.kind in ("opinion", "prediction") else None)
    )
    signals.extend(_figure_signals(claim))
    if claim.hedges:
        signals.append((HEDGE_WEIGHT, "hedged: " + ", ".join(claim.hedges[:2])))
    if sentence.has_quote and _SCARE_QUOTE_RE.search(sentence.text):
        signals.append((SCARE_QUOTE_WEIGHT, "word in quotation marks"))
    if sentence.mentions(_FACT_WORDS):
        signals.append((FACT_WORD_WEIGHT, None))
    signals.extend(_negative_signals(sentence))
    return signals


def _figure_signals(claim) -> list[tuple[float, str | None]]:
    # A custom extractor may give figures without categories: count them as quantities.
    kinds = claim.figure_kinds or {figure: "quantity" for figure in claim.figures or ()}
    by_kind: dict[str, list[str]] = {}
    for figure, kind in kinds.items():
        by_kind.setdefault(kind, []).append(figure)
    signals: list[tuple[float, str | None]] = []
    if "quantity" in by_kind:
        signals.append((QUANTITY_WEIGHT, "figure: " + ", ".join(by_kind["quantity"][:3])))
    if "vague" in by_kind:
        signals.append((VAGUE_FIGURE_WEIGHT, "vague figure: " + ", ".join(by_kind["vague"][:2])))
    if "date" in by_kind:
        signals.append((DATE_WEIGHT, "date: " + ", ".join(by_kind["date"][:2])))
    return signals


def _negative_signals(sentence: Sentence) -> list[tuple[float, str | None]]:
    text = sentence.text
    signals: list[tuple[float, str | None]] = []
    if is_question(text):
        signals.append((QUESTION_WEIGHT, "question"))
    markers = opinion_markers(sentence)
    if markers:
        signals.append((OPINION_WEIGHT, "opinion: " + ", ".join(markers[:2])))
    if _FIRST_PERSON_RE.match(text):
        signals.append((FIRST_PERSON_WEIGHT, None))
    if len(text.split()) < 8:
        signals.append((SHORT_WEIGHT, "short"))
    if (sentence.mentions(_BOILERPLATE_WORDS) or "©" in text) and _BOILERPLATE_RE.search(text):
        signals.append((BOILERPLATE_WEIGHT, "boilerplate"))
    return signals


def score_claim(claim: Claim) -> tuple[float, list[str]]:
    """(checkworthiness in 0..1, reasons strongest first) for an annotated claim."""
    signals = _signals(claim, claim.sentence or Sentence(claim.text))
    score = _logistic(BIAS + sum(weight for weight, _ in signals))
    ranked = sorted((s for s in signals if s[1]), key=lambda s: -abs(s[0]))
    return round(score, 4), [reason for _, reason in ranked[:MAX_REASONS]]
