"""Claims of a small article written in a test, annotated as the loader annotates them."""

from __future__ import annotations

from datasette_factcheck.extract.claims import Claim, annotate_claims
from datasette_factcheck.records import Article


def annotated(*paragraphs: str) -> list[Claim]:
    """Each text a paragraph of one article, its claims annotated in order."""
    claims = [Claim(text, 0, len(text), number) for number, text in enumerate(paragraphs)]
    annotate_claims(Article(id="a", body="\n\n".join(paragraphs), source="test"), claims)
    return claims
