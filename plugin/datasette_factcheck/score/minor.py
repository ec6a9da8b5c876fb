"""Lines a desk reads plainly: checkable, rarely what it takes up first (tier C).

The priority guidelines' third tier, "checkable but minor": how a law or scheme
works, when something was founded, who someone is (``background``), and an
arrest, a charge, a trial or a sentence reported plainly (``court_report``). Each
is a regex gated on the sentence's words, as the other editorial signals are.
"""

from __future__ import annotations

from ..extract.claims import Claim
from ..extract.text import Caseless, Sentence, word_set

# Without one of these words no background line matches: the scorer tests them before calling.
BACKGROUND_WORDS = word_set(
    "founded born established formed launched known ended began died aged under law act bill rules",
    "requires allows means history",
    "illegal offence crime compulsory mandatory fine fines fined",  # what a law makes of an act
)
_BACKGROUND_RE = Caseless(
    # not "created": "22 million jobs were created in his time" is a claim, no founding
    r"\b(?:was|were) (?:founded|born|established|set up|formed|launched) (?:in|by)\b"
    r"|\bbest known (?:for|as)\b|\bwhich (?:ended|began|started) in\b|\bdied (?:aged|at the age)\b|\baged \d+\b"
    r"|\bunder the (?:[\w-]+ ){0,5}(?:act|law|rules|regulations|scheme|treaty)\b"
    r"|\bthe (?:law|act|bill|rules?|scheme|system) (?:requires|allows|means|gives|bans|makes|lets)\b"
    # what a law makes of an act, and its penalty: "would make it illegal to sell cigarettes to
    # anyone under 18", "it will be an offence to", "faces a fine of up to £200"
    r"|\b(?:(?:make|makes|making|made) it|it (?:is|will be|would be|becomes|became))"
    r" (?:illegal|an offence|a criminal offence|a crime|compulsory|mandatory) (?:for [\w’' -]{1,40}? )?to\b"
    r"|\b(?:face|faces|facing|risk|risks) (?:a fine|fines|a maximum (?:fine|penalty|sentence))\b"
    r"|\b(?:could|can|will|would|may) be fined (?:up to|a maximum)\b",
)


# A launch or a founding after "since" dates what the sentence counts: "has sold 10 million
# since the player was launched in 2001" is a company's figure, no background line.
_SINCE_FOUNDED_RE = Caseless(
    r"\bsince (?:[\w'-]+ ){1,4}?(?:was|were) (?:founded|established|set up|formed|created|launched) in\b"
)


def background(claim: Claim) -> bool:
    """A background line: how a law or scheme works, when something was founded,
    who someone is: checkable, rarely what a desk takes up."""
    sentence = claim.sentence or Sentence(claim.text)
    if sentence.words.isdisjoint(BACKGROUND_WORDS):
        return False
    found = _BACKGROUND_RE.search(sentence.text)
    if found is None:
        return False
    dating = "since" in sentence.words and _SINCE_FOUNDED_RE.search(sentence.text)
    if dating and dating.start() < found.start() < dating.end():
        return _BACKGROUND_RE.search(sentence.text[dating.end() :]) is not None  # another background part
    return True


# What the police and the courts did to someone, stated as done: the record of a case,
# not an allegation someone makes ("prosecutors allege", "was accused of" stay the desk's).
# (tested before calling too, as BACKGROUND_WORDS are)
COURT_WORDS = word_set(
    "arrested charged jailed sentenced convicted acquitted remanded bailed fined cleared guilty",
    "bail court trial arrests ordered",
)
_COURT_RE = Caseless(
    r"\b(?:was|were|has been|have been|had been|is being|are being|being) (?:later |also |subsequently )?"
    r"(?:arrested|charged with|jailed|sentenced|convicted|acquitted|remanded|bailed|fined"
    r"|cleared(?! (?:to|for)\b)"  # "was subsequently cleared", not "was cleared to play"
    r"|found (?:not )?guilty|released on bail|ordered (?:by [\w' ]{1,40}?court )?to pay)\b"
    r"|, (?:jailed|sentenced) (?:for|to) (?:life|\d|[a-z]+ (?:years?|months?|weeks?))"  # "Wang, jailed for 12 years"
    r"|\bplead(?:ed|s)? (?:not )?guilty\b|\bno arrests\b|\bon bail\b|\b(?:went|goes|go|stand|stood) on trial\b"
    r"|\b(?:appeared|appears|appear|due to appear|is due) (?:in|at|before) (?:[\w'-]+ ){0,3}?court\b"
)


def court_report(claim: Claim) -> bool:
    """An arrest, a charge, a trial, a verdict or a sentence reported plainly: the
    guidelines' "an arrest or court date reported plainly", checkable but minor."""
    sentence = claim.sentence or Sentence(claim.text)
    return not sentence.words.isdisjoint(COURT_WORDS) and _COURT_RE.search(sentence.text) is not None
