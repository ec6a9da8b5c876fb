"""The role of a sentence's claimant: met before their name earlier in the article, written
in an aside beside it ("John Smith, the shadow chancellor,"), or shown by where they speak
("told the Commons", "his party", a party's conference). One written before the name in
the sentence itself is found when scoring (``score.stake.speaker_role``)."""

from __future__ import annotations

import re
from typing import NamedTuple

from .memory import ArticleMemory
from .names import is_body
from .speakers import PARTY_LABELS, POST_HEADS, post_speaker, role_in_subject, role_of_name
from .text import Sentence, word_set


class Speaking(NamedTuple):
    """Who the attribution found and how it wrote them."""

    claimant: str | None
    phrase: str | None  # the source as written ("Tory leader Michael Howard")
    aside: str | None  # what a comma sets beside the name ("the shadow chancellor")
    post: bool  # the claimant is a post, no name ("The chancellor")
    to_parliament: bool  # they "told MPs" or "told the Commons"


def claimant_role(speaking: Speaking, sentence: Sentence, memory: ArticleMemory) -> str | None:
    """The role that gives the claimant a stake, or None: met before their name in the
    article, written in an aside or in the phrase of a source with no name, the post's own,
    a body's own ("the Fire Brigades Union" a union, also when "it" says it), or shown by
    where they speak."""
    claimant, phrase, aside, post, to_parliament = speaking
    role = memory.role_of(claimant) if claimant else None
    role = role or _role_written(phrase, aside, claimant, memory)
    role = role or (role_in_subject(claimant) if post and claimant else None)
    role = role or (role_of_name(claimant) if claimant and is_body(claimant) else None)
    if role is None and claimant and (to_parliament or not sentence.words.isdisjoint(_OWN_SIDE_WORDS)):
        role = _role_in_context(claimant, phrase or "", sentence, to_parliament, memory)
    return role


# "Mr Kennedy said his party would scrap tuition fees", '"My government has cut crime," she said':
# who speaks of their own party or government is a politician of it, and so is who speaks at
# a party's conference ("Speaking at Labour's spring conference, Mr Blair said").
# Not "our government": a citizen's as much as a minister's.
_OWN_SIDE_WORDS = word_set("party party's party’s government conference convention rally")
_OWN_SIDE_RE = re.compile(
    r"\b(?:(?:[Hh]is|[Hh]er|[Mm]y|[Oo]ur) (?P<party>party)|(?:[Hh]is|[Hh]er|[Mm]y) (?P<minister>government))\b"
    # whose conference is read from the parties' own vocabulary (``_party_hosts``)
    r"|\b(?:at|to|told) (?:the |a |his |her )?(?P<host>[A-Z][\w-]*(?: [A-Z][\w-]*)?)(?:['’]s?)? (?:[a-z]+ ){0,2}"
    r"(?:conference|convention|rally)\b"
)


def _role_in_context(
    claimant: str, phrase: str, sentence: Sentence, to_parliament: bool, memory: ArticleMemory
) -> str | None:
    """The role a person nothing else gives one shows by what they say and where: "MP" when
    they "told MPs" or "told the Commons", a party's or a minister's when they speak of
    "his party" or "my government". Kept for the later mentions of their surname; None for a
    body or a role written in the phrase."""
    if is_body(claimant) or role_in_subject(phrase) is not None:
        return None
    own_side = _OWN_SIDE_RE.search(sentence.text)
    role = "MP" if to_parliament else None
    if own_side and own_side.lastgroup != "host":
        role = own_side.lastgroup
    elif own_side and _party_hosts(own_side.group("host")):
        role = "party"
    if role:
        memory.roles.setdefault(claimant.rsplit(" ", 1)[-1], role)
    return role


def _party_hosts(host: str) -> bool:
    """Whether a conference's host is a party ("Labour's spring conference", "the Tory party
    conference", "the Republican convention"), not a lobby's ("the CBI conference")."""
    return host in PARTY_LABELS or role_of_name(host) == "party"


def is_post(claimant: str) -> bool:
    """Whether a claimant is a post ("The chancellor"); its last word is tested first, as
    most claimants are names."""
    return claimant[claimant.rfind(" ") + 1 :].lower() in POST_HEADS and post_speaker(claimant) == claimant


def _role_written(phrase: str | None, aside: str | None, claimant: str | None, memory: ArticleMemory) -> str | None:
    """The role an aside gives the claimant, kept for later mentions of their surname;
    or, for a source with no name ("said a Treasury spokesman"), the phrase's own."""
    if aside:
        role = role_in_subject(aside)
        if role and claimant:
            memory.roles.setdefault(claimant.rsplit(" ", 1)[-1], role)
        return role
    return role_in_subject(phrase) if phrase and claimant is None else None
