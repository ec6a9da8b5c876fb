"""The built-in extractor and scorer, registered as ordinary hook implementations.

``trylast`` so that any installed plugin answering the same hook replaces them.
"""

from __future__ import annotations

from .checkworthy import score_claim
from .extract import split_claims
from .hookspecs import hookimpl


@hookimpl(trylast=True)
def factcheck_extract_claims(article):
    return split_claims(article)


@hookimpl(trylast=True)
def factcheck_score_claim(claim, article, model):
    return score_claim(claim, model)
