"""The built-in extractor and scorer, registered as ordinary hook implementations.

``trylast`` so that any installed plugin answering the same hook replaces them.
"""

from __future__ import annotations

from ..extract.claims import split_claims
from ..hookspecs import hookimpl
from .model import score_claim


@hookimpl(trylast=True)
def factcheck_extract_claims(article):
    return split_claims(article)


@hookimpl(trylast=True)
def factcheck_score_claim(claim, article, model):
    return score_claim(claim, model)
