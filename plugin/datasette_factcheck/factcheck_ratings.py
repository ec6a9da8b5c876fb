"""Publishers' ratings in this desk's verdicts: the one vocabulary table.

A fact-check keeps its rating in the publisher's words ("Pants on Fire!",
"Four Pinocchios", "Missing context"); ``verdict_for`` gives the desk's verdict
where the rating says the same thing, else None. Ratings are compared in a
normal form: lower case, punctuation and hyphens as spaces.
"""

from __future__ import annotations

import re

from .vocab import VERDICT_RATINGS

# The desk's verdict for each rating, in normal form. A rating not here has no
# verdict: better none than a wrong one.
RATING_VERDICTS: dict[str, str] = {
    # true
    "true": "true",
    "correct": "true",
    "accurate": "true",
    "correct attribution": "true",
    "verified": "true",
    "geppetto checkmark": "true",
    # mostly true
    "mostly true": "mostly_true",
    "mostly correct": "mostly_true",
    "mostly accurate": "mostly_true",
    "largely accurate": "mostly_true",
    "largely true": "mostly_true",
    "one pinocchio": "mostly_true",
    # half true
    "half true": "half_true",
    "mixture": "half_true",
    "mixed": "half_true",
    "partly true": "half_true",
    "partly false": "half_true",
    "partially true": "half_true",
    "partially false": "half_true",
    "half right": "half_true",
    "two pinocchios": "half_true",
    # mostly false
    "mostly false": "mostly_false",
    "mostly inaccurate": "mostly_false",
    "largely false": "mostly_false",
    "largely inaccurate": "mostly_false",
    "three pinocchios": "mostly_false",
    # false
    "false": "false",
    "pants on fire": "false",
    "four pinocchios": "false",
    "incorrect": "false",
    "inaccurate": "false",
    "wrong": "false",
    "fake": "false",
    "fake news": "false",
    "fabricated": "false",
    "hoax": "false",
    "not true": "false",
    "untrue": "false",
    "altered": "false",
    "altered photo": "false",
    "altered video": "false",
    "scam": "false",
    "baseless": "false",
    # misleading
    "misleading": "misleading",
    "missing context": "misleading",
    "needs context": "misleading",
    "lacks context": "misleading",
    "out of context": "misleading",
    "miscaptioned": "misleading",
    "misattributed": "misleading",
    "exaggerated": "misleading",
    "exaggeration": "misleading",
    "distorts the facts": "misleading",
    "cherry picks": "misleading",
    "spins the facts": "misleading",
    "partly misleading": "misleading",
    # unproven
    "unproven": "unproven",
    "unverified": "unproven",
    "unsupported": "unproven",
    "unsubstantiated": "unproven",
    "no evidence": "unproven",
    "not proven": "unproven",
    "insufficient evidence": "unproven",
    "research in progress": "unproven",
    "cannot be verified": "unproven",
    "can t be verified": "unproven",
}

# ClaimReview's numeric scale as this desk exports it: 5 true .. 1 false.
SCALE_VERDICTS = {rating: verdict for verdict, rating in VERDICT_RATINGS.items()}

_NOT_WORD = re.compile(r"[^\w]+")
# A rating often goes on after its word: "False. The photo was taken in 2015."
_FIRST_CLAUSE = re.compile(r"[.:;,(\u2013\u2014]| - ")


def normal_rating(rating: str) -> str:
    """``rating`` in lower case with runs of punctuation, hyphens and spaces as one space."""
    return _NOT_WORD.sub(" ", rating.lower()).replace("_", " ").strip()


def verdict_for(rating: str | None) -> str | None:
    """The desk's verdict for a publisher's ``rating``, or None where it does not map."""
    if not rating:
        return None
    whole = RATING_VERDICTS.get(normal_rating(rating))
    if whole:
        return whole
    return RATING_VERDICTS.get(normal_rating(_FIRST_CLAUSE.split(rating, maxsplit=1)[0]))


def verdict_for_scale(value: object, best: object, worst: object) -> str | None:
    """The verdict for a numeric ``ratingValue`` on a 1 (worst) to 5 (best) scale, else None."""
    try:
        number, top, bottom = float(str(value)), float(str(best or 5)), float(str(worst or 1))
    except ValueError:
        return None
    if (top, bottom) != (5.0, 1.0) or not number.is_integer():
        return None
    return SCALE_VERDICTS.get(int(number))
