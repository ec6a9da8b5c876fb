"""One article's claims, as a load extracts them: the extraction hooks, then scoring.

The claims of ``factcheck_extract_claims`` and ``factcheck_extra_claims``, a sentence met
twice kept once, annotated, then scored: by the scorer hook, or by the built-in scorer
called directly when no plugin answers it. The load's workers run this (``run.claim_rows``)
and so does ``datasette factcheck train``, so a model is trained on what a load would see.
"""

from __future__ import annotations

import functools

from pluggy import HookRelay

from ..extract.claims import Claim, annotate_claims, normalise_text
from ..records import Article
from ..score.model import Model, add_context, score_claim
from ..score.scoring import BUILT_IN_PLUGIN, Scorer, Scoring, built_in_scoring


def annotated_claims(article: Article, hook: HookRelay) -> list[Claim]:
    """Run the extraction hooks: extract, add extras, annotate."""
    claims = list(hook.factcheck_extract_claims(article=article) or [])
    for extra in hook.factcheck_extra_claims(article=article, claims=list(claims)):
        claims.extend(extra or [])
    claims = _dedupe(claims)
    annotate_claims(article, claims)
    return claims


def score_with_hook(hook: HookRelay, claim: Claim, article: Article, model: Model | None) -> tuple[float, list[str]]:
    """The scorer hook's answer, clamped to 0..1."""
    score, reasons = hook.factcheck_score_claim(claim=claim, article=article, model=model)
    return min(max(float(score), 0.0), 1.0), list(reasons)


def claim_scorer(hook: HookRelay) -> Scorer:
    """``score_with_hook`` for ``hook``, or the built-in scorer called directly when
    no plugin answers the hook: a pluggy call per claim cost a fifth of scoring."""
    if all(impl.plugin_name == BUILT_IN_PLUGIN for impl in hook.factcheck_score_claim.get_hookimpls()):
        return _built_in_score
    return functools.partial(score_with_hook, hook)


def _built_in_score(claim: Claim, article: Article, model: Model | None) -> tuple[float, list[str]]:
    return score_claim(claim, model)


def extract_article(article: Article, hook: HookRelay, scoring: Scoring | None = None) -> list[Claim]:
    """Extract, annotate and score (with ``scoring``'s model; default the shipped one)."""
    scoring = scoring or built_in_scoring()
    claims = annotated_claims(article, hook)
    score, model, label = claim_scorer(hook), scoring.model, scoring.label
    add_context(claims, model)
    for claim in claims:
        claim.checkworthiness, claim.reasons = score(claim, article, model)
        claim.scored_by = label
    return claims


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen: set[str] = set()
    unique = []
    for claim in claims:
        key = normalise_text(claim.text)
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique
