"""Editorial signals: what a fact-check desk looks at to decide which claim first.

The check-worthiness model answers "is this worth checking at all?". These
signals answer the desk's second question, "which first?" (see
``../shared/eval/priority_guidelines.md`` and the model card):

- ``speaker_role`` (in ``stake``): who says it. A named person or organisation with a stake
  (a minister, an MP, a party, a mayor, a chief executive, a union, a campaign, a
  spokesperson, a government body).
- ``contestable`` (in ``wording``): wording a fact-checker would test: a comparison over time or
  against others or forecasts, a record, a change of rank, a cause, a promise, an accusation.
- ``routine_release``: a figure of record in the publisher's own voice or a
  routine release ("figures from X showed", "according to the index");
  ``company_results``: a company reporting its own trading, a figure of record too.
- ``background`` and ``court_report`` (in ``minor``): a background line (how a law
  works, when a firm was founded, a biography), an arrest or a sentence reported plainly.

``tier`` combines them into the guideline's tiers: "A" a claim with a stake,
"B" a figure of record, "C" checkable but minor. Each signal is a cheap
function of what the annotator already found (claimant, role, kind, figures)
and a regex gated on the sentence's words: the loader scores every sentence.
"""

from __future__ import annotations

from typing import NamedTuple

from ..extract.claims import Claim
from ..extract.text import Caseless, Sentence, word_set
from ..vocab import LEAK, STATISTIC
from .features import named_features
from .minor import BACKGROUND_WORDS, COURT_WORDS, background, court_report
from .stake import (
    KEEPER_HEADS,
    SPEECH_WORDS,
    company_voice,
    named_speaker,
    private_person,
    record_keeper,
    speaker_role,
)
from .wording import AGAINST_FORECASTS, CONTESTABLE_WORDS, FORECAST, bounded_number, contestable

# --- figures of record ------------------------------------------------------------------

_RELEASE_WORDS = word_set(
    "figures data statistics survey index report study poll research official monthly quarterly",
    "seasonally annual pre full half results regulator watchdog",  # pre-tax, full-year, half-year
    "expected forecast forecasts expectations",
)
_RELEASE_RE = Caseless(
    r"\b(?:figures|data|statistics|survey|index|report|study|poll|research)"
    r" (?:from|by|published|released|compiled|showed|shows|show|found|finds|suggests|suggested|revealed)\b"
    r"|\baccording to (?:the |its |their |new |latest |official |recent )*(?:[\w’'-]+ ){0,2}"
    r"(?:figures|data|index|survey|report|statistics|study|poll)\b"
    r"|\bofficial (?:figures|data|statistics)\b|\b(?:monthly|quarterly|seasonally adjusted|annual results)\b"
    r"|\b(?:pre-tax|full-year|half-year|annual|quarterly) (?:profits?|losses|sales|results|revenues?)\b"
    # a regulator's market figures, a body's yearly report: "according to regulator Ofcom"
    r"|\baccording to (?:the )?(?:[\w-]+ )?(?:regulator|watchdog)\b"
    r"|\bin (?:its|their) (?:annual|latest|monthly|quarterly) (?:report|survey|review|figures)\b"
    # a figure read against the market's forecasts, as a data release or results are: "fell
    # more than expected", "a bigger fall than forecast", "beating City forecasts"
    rf"|\bthan (?:[\w’'-]+ ){{0,3}}?{FORECAST}|{AGAINST_FORECASTS}",
)
_KEEPER_NOUN_RE = Caseless(rf"\b(?:{'|'.join(head.lower() for head in KEEPER_HEADS)}|trade body|lenders)\b")


def routine_release(claim: Claim) -> bool:
    """A figure of record: stated in the publisher's own voice (a statistic nobody is
    quoted for) or from a routine release ("figures from X showed", "according to
    the index", a trade body's monthly survey, a company's annual results)."""
    sentence = claim.sentence or Sentence(claim.text)
    if not sentence.words.isdisjoint(_RELEASE_WORDS) and _RELEASE_RE.search(sentence.text):
        return True
    if claim.claimant and (record_keeper(claim.claimant) or _department_statistics(claim.claimant, sentence)):
        return True
    # The paper's own voice, or a keeper of records named by what it is ("the lenders'
    # association said"); not a figure someone is reported saying ("Critics said it cost £2bn").
    if claim.kind != STATISTIC or claim.claimant:
        return False
    return sentence.words.isdisjoint(SPEECH_WORDS) or _KEEPER_NOUN_RE.search(sentence.unquoted) is not None


# A department's periodic statistics ("US unemployment fell to 5.4% in September, the Labor
# Department said"): its statisticians' release, as a statistics office's is. Not what a
# department says of its own service ("The Department of Health said 95% of patients were
# seen within four hours"), which speaks for the government: no measure of the economy.
_ECONOMY_MEASURES = word_set(
    "unemployment jobless payrolls inflation gdp economy growth output exports imports deficit surplus starts orders",
)
_PERIOD_RE = Caseless(
    r"\b(?:in|for|during) (?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|the (?:first|second|third|fourth|last) quarter)\b|\blast (?:month|week|quarter)\b"
    r"|\b(?:the (?:month|week|quarter|year) to|seasonally adjusted|annual rate)\b"
)


def _department_statistics(claimant: str, sentence: Sentence) -> bool:
    return (
        "Department" in claimant
        and not sentence.words.isdisjoint(_ECONOMY_MEASURES)
        and _PERIOD_RE.search(sentence.text) is not None
    )


# A company's trading: what it reports of it is its record ("a company's reported results",
# tier B in the guidelines), however it compares with last year or with forecasts.
_RESULTS_WORDS = word_set(
    "sales profit profits revenue revenues turnover earnings losses customers subscribers passengers",
    "passenger orders deliveries output volumes shipments sold",
)
_PLAIN_RESULTS = frozenset(
    ("a comparison over time", "a comparison with others", "a comparison with forecasts", "a record")
)


def company_results(claim: Claim, wording: list[str]) -> bool:
    """A company reporting its own trading ("Freshway said its sales had risen 11%",
    "Passenger numbers rose 2.1%, the company said"): a figure of record, as a
    statistics office's is. Not when it blames, promises or denies (``wording``): that
    is a claim with a stake."""
    sentence = claim.sentence or Sentence(claim.text)
    if sentence.words.isdisjoint(_RESULTS_WORDS) or not _PLAIN_RESULTS.issuperset(wording):
        return False
    return company_voice(claim)


# --- the tiers -----------------------------------------------------------------------------


class Priority(NamedTuple):
    """The desk's reading of a claim: its tier and the signals behind it."""

    tier: str  # "A" a claim with a stake, "B" a figure of record, "C" checkable but minor
    role: str | None
    wording: list[str]
    figure: bool
    release: bool
    background: bool
    named_speaker: bool = False
    leak: bool = False
    court: bool = False  # an arrest, a charge, a trial or a sentence reported plainly


# A sentence about sport or the arts, or one of a sports report or an arts story.
_PASTIMES = frozenset(("topic:sport", "topic:arts", "article:sport", "article:arts"))


def priority(claim: Claim, features: list[str] | None = None) -> Priority:
    """Tier A: someone with a stake asserts something checkable and contestable (a
    figure, a comparison, a record, a cause, a promise, an accusation), or
    anyone alleges wrongdoing against a named party. Tier B: a figure of record (a
    statistic or routine release). Tier C: the rest, background lines and court
    reports included (``minor``), whoever is named in them, unless someone with a role
    reports the case.

    In sport and the arts only someone with a role (a minister, a party, a chief
    executive) or an allegation makes tier A: a captain's hopes and a studio's takings
    are no claims a news desk takes up first, a minister's stadium costs are.

    ``features``: the claim's ``features.named_features`` when the scorer has them
    (whether it is a question, an opinion, a figure, its topic), found again otherwise."""
    features = named_features(claim) if features is None else features
    opinion = "opinion" in features or "question" in features
    pastime = not _PASTIMES.isdisjoint(features)
    role = speaker_role(claim)
    # the signals' words tested here first: most sentences have none, and a call costs more
    words = (claim.sentence or Sentence(claim.text)).words
    figure = "figure:quantity" in features or ("than" in words and bounded_number(claim))
    wording = contestable(claim) if not words.isdisjoint(CONTESTABLE_WORDS) else []
    release = not role and routine_release(claim)
    back = not words.isdisjoint(BACKGROUND_WORDS) and background(claim)
    court = role is None and not words.isdisjoint(COURT_WORDS) and court_report(claim)
    minor = back or court
    speaker = False
    tier = "C"
    # A leak or an allegation puts a claim against a named party: the desk takes it up,
    # whatever opinion words the allegation holds ("is alleged to have said it should").
    # Not one against a private person named by their age ("Mr Keane, 31, was arrested
    # following an alleged assault"): that is a court report, read plainly.
    alleged = ("an accusation" in wording or "a denial" in wording) and not private_person(claim)
    accusation = alleged or claim.sourcing == LEAK
    if not minor and (accusation or not opinion):
        stated = not opinion and not release and (figure or bool(wording))
        if stated and role is None:
            speaker = named_speaker(claim)
            # looked for only here, where it decides a tier: the loader scores every sentence
            if speaker and company_results(claim, wording):
                release, speaker, stated = True, False, False
        if accusation or (stated and (role is not None or (speaker and not pastime))):
            tier = "A"
    if tier == "C" and not minor and (figure or release):
        tier = "B"
    return Priority(tier, role, wording, figure, release, back, speaker, claim.sourcing == LEAK, court)


_ROLE_WORDS = {
    "minister": "a minister",
    "opposition": "the opposition",
    "MP": "an MP",
    "party": "a party",
    "mayor": "a mayor",
    "chief executive": "a company boss",
    "union": "a union",
    "campaign": "a campaign",
    "spokesperson": "a spokesperson",
    "government": "a government",
}


_SETTLED = frozenset(("an accusation", "a denial"))


def priority_reasons(found: Priority) -> list[str]:
    """The priority in the desk's words, strongest first: "a minister's figure",
    "a comparison over time", "a figure of record", "a background line"."""
    reasons: list[str] = []
    what = "figure" if found.figure else "accusation" if "an accusation" in found.wording else "claim"
    if found.tier == "A" and found.role:
        reasons.append(f"{_ROLE_WORDS.get(found.role, found.role)}'s {what}")
    elif found.tier == "A" and found.leak:
        reasons.append(f"a leaked {what}")
    elif found.tier == "A" and found.named_speaker:
        reasons.append(f"a named speaker's {what}")
    # A court's record settles what was alleged: "a court report" says it, not "an accusation".
    reasons.extend([w for w in found.wording if w not in _SETTLED] if found.court else found.wording)
    if found.background:
        reasons.append("a background line")
    elif found.court:
        reasons.append("a court report")
    elif found.tier == "B" and found.release:
        reasons.append("a figure of record")
    return reasons
