"""The queue's one number: check-worthiness first, then the desk's priority.

The queue orders claims by the stored ``claims.checkworthiness`` (0..1, shown as
0-100), highest first, then by claim id. That one number answers two questions
kept apart until here:

1. Is the claim worth checking at all? The check-worthiness model's margin
   (``checkworthy.margin``: its log-odds), learned from CheckThat! debates.
2. Which check-worthy claim first? The editorial priority (``editorial.priority``):
   tier A, a claim made by someone with a stake, gains up to ``ROLE_STAKE`` points
   (a speaker whose role is written) or ``OTHER_STAKE`` (a named speaker, a leak), in
   proportion to how check-worthy the model already finds it (so a minister's
   remark the model finds unchecked does not jump the queue); a figure of record in the publisher's voice or
   a routine release loses ``RELEASE_POINTS``; a background line ``BACKGROUND_POINTS``;
   and a claim outside tier A rises only slowly above ``NO_STAKE_CAP``, under the
   claims with a stake.
   A court report (an arrest or a sentence reported plainly) is tier C but loses
   nothing: the news labels find most of them check-worthy, and a penalty cost
   check-worthy AP on news_dev (0.662 to 0.653 at 0.6 points) for tier A AP 0.007.

The sum is spread onto 0..1 by a logistic centred at ``CENTRE`` with width
``WIDTH``, placed high so that the top of a large corpus does not crowd at 100:
on the 26,000 real sentences of bench/spread.py the first claim shows 82, the
10th 58, the 50th 27, the top 1 in 100 12 and the top 1 in 10 6 (the top 50 span
55 points). Nothing realistic reaches 100. Claims with the same score (copies of
one sentence) are in the order of their claim id.
The weights were set from the desk's guidelines and checked on the news
development set (``bench/rank.py`` prints both questions' figures).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .editorial import Priority

# (points, the margin at which a tier A claim gains half of them): a speaker whose
# role is written (a minister, a union) gains more, and sooner, than a named
# speaker without one or a leak. A named speaker's gate at 2 raised news_dev's tier A
# AP (0.284 to 0.313) but let learning from the desk lose on a split (bench/newsroom.py:
# worst -0.0097 against +0.0019 at 3, beyond the -0.005 it must never pass): kept at 3.
ROLE_STAKE = (5.0, 2.0)
OTHER_STAKE = (4.0, 3.0)
RELEASE_POINTS = 0.5
BACKGROUND_POINTS = 1.0
CENTRE = 8.0
WIDTH = 2.5
SCORE_DIGITS = 6  # enough that only copies of one sentence tie
# A claim nobody with a stake makes (tiers B and C) is held under those somebody does:
# above NO_STAKE_CAP its value rises at NO_STAKE_PACE of its margin's pace, so a
# figure of record the model is sure of sits under a minister's figure it finds likely,
# and the order among such claims is kept. Among claims already that likely to be
# check-worthy the order moves little average precision. On news_dev: check-worthy AP
# 0.667 to 0.663, tier A AP 0.284 to 0.323, NDCG 0.799 to 0.810. A cap of 2 at a pace
# of 0.3 ranked tier A higher still (0.344) but let learning from the desk lose 0.0058
# AP on a split (bench/newsroom.py; the bound is -0.005); at 0.5 its worst is -0.0011.
NO_STAKE_CAP = 2.0
NO_STAKE_PACE = 0.5


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -500 else 0.0


def order_value(margin: float, found: Priority) -> float:
    """Check-worthiness margin plus the priority's points: the queue's order, unscaled."""
    value = margin
    if found.tier == "A":
        points, gate = ROLE_STAKE if found.role else OTHER_STAKE
        value += points * _logistic(margin - gate)
    if found.release:
        value -= RELEASE_POINTS
    if found.background:
        value -= BACKGROUND_POINTS
    if found.tier != "A" and value > NO_STAKE_CAP:
        value = NO_STAKE_CAP + (value - NO_STAKE_CAP) * NO_STAKE_PACE
    return value


def queue_score(margin: float, found: Priority) -> float:
    """The stored score, 0..1: ``order_value`` spread so that the top reads apart."""
    return round(_logistic((order_value(margin, found) - CENTRE) / WIDTH), SCORE_DIGITS)
