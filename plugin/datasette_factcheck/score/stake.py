"""Who says a claim, and whether they have a stake in it: the desk's first editorial signal.

``speaker_role``: the role that gives the speaker a stake (a minister, an MP, a party, a mayor,
a chief executive, a union, a campaign, a spokesperson, a government body).
``named_speaker``: someone identifiable says it, without a role written.
``private_person``: a witness, a victim or a vox pop, named by their age or by what
they are to the story: no stake, however named.
``observer``: an economist or an analyst commenting on others' figures: no stake either.
Record keepers (statistics offices,
trade bodies, lenders) speak for the record, not for themselves.
"""

from __future__ import annotations

import re

from ..extract.claims import Claim
from ..extract.names import is_full_name
from ..extract.speakers import STAKE_WORDS, role_in_subject, role_of_name
from ..extract.text import NAME_PATTERN, Sentence, word_set
from ..vocab import NAMED_PERSON

SPEECH_WORDS = word_set(
    "said says told tells warned warns stated insisted insists claimed claims argued argues announced added",
    "confirmed denied admitted accused pledged promised vowed according revealed stressed",
    "accuses alleges alleged blames blamed pledges pledging promises promising vows",
)
_ATTRIBUTION_RE = re.compile(
    r"(?=[sthwicadrpvb])\b(?:said|says|told|tells|warned|warns|stated|insisted|insists|claimed|claims|argued|argues"
    r"|announced|added|confirmed|denied|admitted|accused|accuses|alleges|alleged|blames|blamed|pledged|pledges"
    r"|pledging|promised|promises|promising|vowed|vows|revealed|stressed)\b"
    r"|(?=a)\baccording to (?P<source>[^,;:]{2,60})"
)
SUBJECT_CHARS = 80  # how far before a speech verb its subject is looked for
_QUOTED_RE = re.compile(r"[\"“][^\"“”]*[\"”]")


def speaker_role(claim: Claim) -> str | None:
    """The role that gives who says the claim a stake (``speakers.ROLES``), or None.

    The annotator's finding first (a role written before the claimant's name
    anywhere earlier in the article); else the claimant's own words ("the Fire
    Brigades Union"); else the subject of the sentence's attribution ("the
    government said", "Tory leader Michael Howard said"). A sentence without an
    attribution has no speaker, so no role. The head of a keeper of records ("Ann Cole,
    director general of the Council of Mortgage Lenders") speaks for its figures, with
    no boss's stake in them: a named speaker, no role.
    """
    if claim.claimant_role:
        return _unless_keeper(claim.claimant_role, claim)
    sentence = claim.sentence or Sentence(claim.text)
    if STAKE_WORDS.isdisjoint(sentence.words) or sentence.words.isdisjoint(SPEECH_WORDS):
        return None
    if claim.claimant and claim.sourcing == NAMED_PERSON:
        role = role_of_name(claim.claimant)
        if role:
            return _unless_keeper(role, claim)
    text = _QUOTED_RE.sub(" ", sentence.text) if sentence.has_quote else sentence.text
    for match in _ATTRIBUTION_RE.finditer(text):
        subject = match.group("source") or text[max(0, match.start() - SUBJECT_CHARS) : match.start()]
        role = role_in_subject(subject.rsplit(".", 1)[-1])
        if role:
            return _unless_keeper(role, claim)
    return None


# The organisation a post heads: "director general of the CML", "CML director general".
_POST_OF_RE = re.compile(
    rf"\b(?:director[- ]general|chief executive|chairman|chairwoman|president|head) of (?:the )?"
    rf"(?P<after>{NAME_PATTERN})"
    r"|(?P<before>[A-Z][\w&’'-]*(?: [A-Z][\w&’'-]*){0,4})(?:['’]s)? (?:director[- ]general|chief executive"
    r"|chairman|chairwoman|president)\b"
)


def _unless_keeper(role: str, claim: Claim) -> str | None:
    """``role``, unless it is a boss's and the post heads a keeper of records."""
    if role != "chief executive":
        return role
    text = (claim.sentence or Sentence(claim.text)).text
    heads = (post.group("after") or post.group("before") for post in _POST_OF_RE.finditer(text))
    return None if any(record_keeper(body) for body in heads) else role


# Bodies whose figures are the routine of record: statistics offices, trade bodies, lenders.
# Their head words name one as a claimant ("the Council of Mortgage Lenders") or, in lower
# case, as the subject of a speech verb ("the lenders' association said").
KEEPER_HEADS = (
    "Office Bureau Association Council Institute Institution Consortium Federation Confederation Society Chambers Registry"
    " Statistics Index Survey"
    # regulators and public agencies count what they oversee: "the Civil Aviation Authority said
    # passenger numbers rose 6%", "the International Energy Agency"
    " Authority Agency"
).split()
# Trade bodies, property and price indices, pollsters publish figures as routine too (not
# Nielsen: a surname too, and a minister named so would lose her stake). Looked up word by
# word: ``record_keeper`` runs on most claimants, where an alternation of fifty names would be
# tried at every word.
_KEEPER_WORDS = frozenset(
    KEEPER_HEADS
    + "Nationwide Halifax CML ONS BRC CBI Eurostat OECD IMF UN WHO WTO Unicef UNICEF".split()
    + "SMMT RICS BCC Rightmove Zoopla Kantar Moneyfacts NIESR YouGov Ipsos Gallup BLS OPEC".split()
)
_KEEPER_PHRASE_RE = re.compile(r"\b(?:United Nations|World Bank|World Health Organi[sz]ation)\b")
_NAME_WORD_RE = re.compile(r"\w+")


def record_keeper(name: str) -> bool:
    """Whether a claimant is a keeper of records: a statistics office, a trade body, a
    lender, a price index, a pollster, an international body's statisticians."""
    words = _NAME_WORD_RE.findall(name)
    if not _KEEPER_WORDS.isdisjoint(words):
        return True
    return ("United" in words or "World" in words) and _KEEPER_PHRASE_RE.search(name) is not None


_PERSON_SPEAKS_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.? [A-Z]|\b(?:he|she) (?:also |is |was |has |had )?(?:said|says|added|argues"
    r"|argued|claimed|claims|told|warned|insisted|denied|believes|admitted|promised|promises|promising|pledged"
    r"|pledges|pledging|vowed|vows|accused|blamed)\b"
)


_PERSON_WORDS = word_set("mr mrs ms dr sir lord lady he she")


# A name with the person's age beside it ("Mr Okafor, 62, said", "Jane Smith, aged 34,"):
# news gives the age of a witness, a victim or a defendant, people without a stake.
# Found in two steps, the age first: a pattern opening with ", " is scanned for in C, where
# one opening with a capital is tried at every capital of the sentence.
_AGE_RE = re.compile(r", (?:aged )?\d{1,3},(?=\s)")  # not "In Paris, 2,000 people"
_NAME_BEFORE_RE = re.compile(r"\b[A-Z][\w’'-]+$")


# Someone named by what they are to the story, not by an office: a vox pop's shopper,
# fan or commuter ("Durham student Amy Porter said", "Jane Smith, a local
# resident, said"). Gated on the words: a sentence rarely holds one.
_PRIVATE_WORDS = word_set(
    "student fan resident shopper pensioner viewer listener customer passenger witness neighbour",
    "mother father parent grandmother grandfather commuter motorist tourist holidaymaker bystander onlooker",
)
_PRIVATE_RE = re.compile(
    r"\b(?i:student|fan|resident|shopper|pensioner|viewer|listener|customer|passenger|witness|neighbour|mother"
    r"|father|parent|grandmother|grandfather|commuter|motorist|tourist|holidaymaker|bystander|onlooker)s? [A-Z]"
    r"|[A-Z][\w’'-]+, (?:an? |the )?(?:[\w-]+ ){0,2}?(?:student|fan|resident|shopper|pensioner|viewer|listener"
    r"|customer|passenger|witness|neighbour|mother|father|parent|grandmother|grandfather|commuter|motorist"
    r"|tourist|holidaymaker|bystander|onlooker)\b"
)


def private_person(claim: Claim) -> bool:
    """The sentence names someone by their age or by what they are to the story (a
    student, a shopper, a neighbour): a private person, whose word is no claim with a
    stake however named (``named_speaker``)."""
    text = claim.text
    if any(_NAME_BEFORE_RE.search(text, 0, age.start()) for age in _AGE_RE.finditer(text)):
        return True
    sentence = claim.sentence or Sentence(text)
    return not sentence.words.isdisjoint(_PRIVATE_WORDS) and _PRIVATE_RE.search(text) is not None


# Those paid to comment on others' figures: "Ian Shepherdson, chief economist at High Frequency
# Economics, said", "Analyst Jane Doe of Numis said", "said economists at Capital Economics",
# and firms that sell reports on a market: "estate agents Knight Frank said prices in London
# had risen", "according to market research firm Screen Digest", "market researcher TNS".
# Their figure is the market's record, not a claim they gain by: the guidelines' stake is a
# minister's, a party's, a boss's about their own firm. Found from the trade's word, where the
# sentence has one: a pattern searched through the sentence for a dozen trades cost a
# tenth of extraction's instruction budget per sentence.
_OBSERVER_WORDS = word_set(
    "economist economists analyst analysts strategist strategists forecaster forecasters pollster pollsters",
    "agent agents consultancy research researcher researchers",
)
# After the trade's word: the name, or where they work ("Analyst Jane Doe", "economists at
# Barclays", "research firm Gartner", "estate agents Knight Frank").
_TRADE_THEN_NAME_RE = re.compile(r"\w+(?: (?:firm|group|company|house|consultancy)s?)? (?:(?:at|with|of|from) )?[A-Z]")
# Before it: a name set off by a comma ("Jane Doe, chief UK economist", "Jo Hale, an estate agent").
_NAME_THEN_TRADE_RE = re.compile(r"[A-Z][\w’'-]+, (?:an? |the )?(?:[\w-]+ ){0,3}$")


def observer(claim: Claim) -> bool:
    """The sentence's speaker is an economist or an analyst, named by that trade ("Ian
    Shepherdson, chief economist at High Frequency Economics, said"): a commentator on
    others' figures, with no stake in them, however named (``named_speaker``)."""
    sentence = claim.sentence or Sentence(claim.text)
    if sentence.words.isdisjoint(_OBSERVER_WORDS):
        return False
    trades = _OBSERVER_WORDS.intersection(sentence.words)
    text = sentence.unquoted
    lowered = text.lower()
    for trade in trades:
        at = lowered.find(trade)
        while at != -1:
            if _TRADE_THEN_NAME_RE.match(text, at) or _NAME_THEN_TRADE_RE.search(text, max(0, at - 60), at):
                return True
            at = lowered.find(trade, at + len(trade))
    return False


# The company itself speaking of its own: "Freshway said its sales", "said that their
# orders", "Its sales fell 3%, the retailer said", "Passenger numbers rose, the company said",
# "Chelsea have reported record losses", "Tesco said sales rose 5%".
_COMPANY_VOICE_WORDS = word_set(
    "it its their company firm group retailer airline carrier operator chain maker reported posted announced",
    "said says added",
)
_COMPANY_VOICE_RE = re.compile(
    r"\b(?:said|says|reported|reports|announced|added) (?:that )?(?:its|their) "
    r"|^(?:Its|Their) |^It (?:said|says|added|reported)\b"
    r"|\b[Tt]he (?:company|firm|group|retailer|airline|carrier|operator|chain|maker) (?:said|says|reported|added)\b"
    r"|\b(?:reported|posted|announced) (?:an? )?(?:record |annual |quarterly |half-year |full-year |pre-tax )*"
    r"(?:profits?|loss(?:es)?|sales|revenues?|turnover|earnings)\b"
    # a firm named by its trade: "The UK's biggest supermarket said sales had grown by 12%"
    r"|\b(?:said|says|added) (?:that )?(?:[\w-]+ ){0,2}?(?:profits?|loss(?:es)?|sales|revenues?|turnover|earnings)\b"
)


def company_voice(claim: Claim) -> bool:
    """The company itself speaks of its own ("Freshway said its sales had risen", "Passenger
    numbers rose 2.1%, the company said"), not a person: what a boss says of the firm is
    a claim with a stake, what the firm reports of its trading is its record."""
    sentence = claim.sentence or Sentence(claim.text)
    if sentence.words.isdisjoint(_COMPANY_VOICE_WORDS):
        return False
    if claim.claimant and is_full_name(claim.claimant):  # a person ("Tom Reed said its sales")
        return False
    unquoted = sentence.unquoted
    if not sentence.words.isdisjoint(_PERSON_WORDS) and _PERSON_SPEAKS_RE.search(unquoted):
        return False
    return _COMPANY_VOICE_RE.search(unquoted) is not None


def named_speaker(claim: Claim) -> bool:
    """Someone identifiable says it: a named claimant that is no outlet, record
    keeper or leak, or a person by title or pronoun ("Mr Brown", "he said"); not a
    private person named by their age, nor an economist or an analyst."""
    if private_person(claim) or observer(claim):
        return False
    if claim.claimant and claim.sourcing == NAMED_PERSON and not record_keeper(claim.claimant):
        return True
    sentence = claim.sentence or Sentence(claim.text)
    return (
        not sentence.words.isdisjoint(_PERSON_WORDS)
        and not sentence.words.isdisjoint(SPEECH_WORDS)
        and _PERSON_SPEAKS_RE.search(sentence.unquoted) is not None
    )
