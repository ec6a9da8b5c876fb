"""Who makes a claim: outer attributions ("According to X, ..."), the
subject of a speech verb, pronouns and "the British daily" resolved through ``ArticleMemory``
to what earlier sentences named; how it is sourced (``sourcing``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from .claimant_role import Speaking, claimant_role, is_post
from .memory import ArticleMemory
from .names import PERSONAL_TITLE_RE, capitalised_tail, is_full_name, opening_name
from .sourcing import LEAK_RE, MEDIA_BOSS_RE, MEDIA_WORDS_RE, sourcing_of
from .speakers import clean_claimant, post_speaker, role_in_subject
from .text import ASIDE_WORDS, NAME_PATTERN, QUOTE_RE, Sentence, starting_with, without_asides, word_set

# --- attribution -----------------------------------------------------------

# Present-tense forms that double as plural nouns ("member states", "reports")
# are left out: they would make a subject of whatever precedes them.
SPEECH_VERBS = (
    "said|says|say|told|tells|suggested|suggests|warned|warns|stated|insisted|insists"
    "|noted|argued|argues|claimed|revealed|reveals|reported|announced"
    "|added|confirmed|denied|explained|wrote|writes|tweeted"
    "|posted|expressed|admitted|admits|acknowledged|alleged|disclosed|showed"
    "|estimated|predicted|believes|believed|accused|pledged|promised"
)
_VERB_RE = re.compile(
    rf"\b(?:has |have |had |also |repeatedly |previously |reportedly |once |later )*(?P<verb>{SPEECH_VERBS})\b"
)
_ACCORDING_RE = re.compile(r"\baccording to (?P<src>[^,;:]{2,80}?)(?:,|;|:|$| that\b)", re.I)
_TRAILING_RE = re.compile(
    rf"[,:]\s*[\"”]?\s*(?P<src>[^,\"“”]{{1,60}}?)\s+(?:has |have |had )?(?:{SPEECH_VERBS})"
    r"(?:\s+(?:on|in|at)\s+\w+)?\s*[.!?]?[\"”]?\s*$"
)
# "..., said John Smith, the shadow chancellor." The verb before the speaker, ending the
# sentence, and what the aside after the name says of them.
_INVERTED_VERB = rf"[,\"”]\s*(?:also\s+)?(?:{SPEECH_VERBS})\s+"
_INVERTED_NAME = r"[^,.;:!?\"“”]{2,60}?"
_INVERTED_TAIL = r"(?:,\s*(?P<aside>[^;:\"“”]{2,80}?))?\s*[.!?]?[\"”]?\s*$"
_INVERTED_RE = re.compile(rf"{_INVERTED_VERB}(?P<src>{_INVERTED_NAME}){_INVERTED_TAIL}")
# US style abbreviates a title with a full stop ("said Sen. Ken Marlow, D-Ohio."): tried only
# when a sentence holds one, as the pattern above runs on every sentence with a speech verb.
_US_TITLE_WORDS = word_set("sen rep gov")
_INVERTED_TITLED_RE = re.compile(rf"{_INVERTED_VERB}(?P<src>(?:Sen|Rep|Gov)\.\s{_INVERTED_NAME}){_INVERTED_TAIL}")
# "John Smith, the shadow chancellor, said": a name, an aside, then the verb. A clause
# about them ("who pledged to end corruption when he took office last year") runs longer
# and may hold commas of its own.
_NAME_ASIDE_RE = re.compile(
    r"(?P<src>[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*){0,3}),\s"
    r"(?P<aside>(?:who|whose)\s[^;:()\"“”]{2,140}?|[^,;:()\"“”]{2,60}),\s*$"
)
# Verbs that frame a claim only after a name written just before them: "Yukos claims its
# downfall was...", "The ACF blames the slump on a 2011 directive", "The Conservatives claim Labour
# has". Elsewhere "claims" is a noun ("insurance claims rose") and "blamed" a passive ("the
# crash was blamed on").
_STANCE_WORDS = word_set(
    "claim claims maintain maintains insist blame blames blamed blaming claiming insisting arguing warning saying"
)
# "Rover Group is to cut 2,000 jobs, blaming the strong pound": the claim is the subject's.
_PARTICIPLE_RE = re.compile(r", (?:blaming|claiming|insisting|arguing|warning|saying) ")
# The name just before the main verb, after a few words describing it: "Mobile phone
# operator TeleNet has defended a rise, saying ..." is TeleNet's.
_NAMED_SUBJECT_RE = re.compile(
    r"(?:[\w’'-]+ ){0,4}?(?P<name>[A-Z][\w’'&.-]*(?: (?:of |for |and )?[A-Z][\w’'&.-]*)*)"
    r" (?:has|have|had|is|was|were|are|will|would|[a-z]+ed)\b"
)
_STANCE_RE = re.compile(
    # not a possessive: "Mr Reid's claims were disputed" is no claim of Mr Reid's making
    rf"(?P<src>{NAME_PATTERN})(?<!['’]s)\s(?:also\s|still\s|now\s)?"
    r"(?:(?:claims?|maintains?|insist)\s(?:that\s)?(?:[\w’'-]+\s){0,4}?(?:was|were|is|are|had|has|have|would|will|could|did)\b"
    r"|(?:blames?|blamed)\s(?:[\w’'-]+\s){1,6}?(?:on|for)\b)"
)
_SET_OFF_NAME_RE = re.compile(
    r"^(?P<post>[^,;:()\"“”]{2,60}), (?P<src>(?:(?:Sir|Dame|Dr|Lord|Lady|Professor) )?[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){1,2}),"
    r"\s*$"
)
_DESCRIBED_ASIDE_RE = re.compile(r"(?P<src>(?:The|A|An) [\w’'-]+(?: [\w’'-]+){0,3}), [^;:()\"“”]{2,140}?,\s*$")
_QUOTED_AS_RE = re.compile(r"(?P<media>[A-Z][\w.’' ]{1,40}?) quoted (?P<src>[A-Z][\w’' ]{1,40}?) as saying")
_SUBJECT_STOP_RE = starting_with(
    ',;:()–—"“”twab', r"[,;:()–—\"“”]|\bthat\b|\bwhich\b|\bwho\b|\band\b(?!\s[A-Z])|\bbut\b"
)

_SPEECH_VERB_WORDS = frozenset(SPEECH_VERBS.split("|"))
_MEDIA_ALIAS_RE = re.compile(
    r"^(?:the )?(?:British |French |German |US |American |Russian )?(?:daily|newspaper|paper|broadcaster|outlet)$", re.I
)
_PRONOUN_RE = re.compile(r"^(?:he|she)$", re.I)
# What stands for the organisation named last: "It said", "the company added", and a firm
# described by its trade ("the UK's biggest supermarket", "the Japanese electronics giant"),
# whose trade word is no name's ("the World Bank" is one).
_BODY_PRONOUN_RE = re.compile(
    r"^(?:[Ii]t|[Tt]he (?:[\w’'-]+ ){0,3}?(?:company|firm|bank|airline|retailer|carmaker|supermarket|giant"
    r"|chain|maker|manufacturer|insurer|lender|operator|carrier)|[Tt]he group)$"
)


@dataclass
class Attribution:
    claimant: str | None
    sourcing: str
    reported: bool  # an attribution verb or phrase frames the claim
    role: str | None = None  # the speaker's role (speakers.ROLES), when written


# Compiled once: re.sub with a pattern string looks it up in re's cache on every call.
_DOUBLED_THE_RE = re.compile(r"^(?:the\s+)+(?=The\b)")
_INDEFINITE_RE = re.compile(r"^(?:a|an)\s+")


def _clean_source(phrase: str) -> str:
    phrase = _DOUBLED_THE_RE.sub("", phrase.strip())
    return _INDEFINITE_RE.sub("", phrase).strip(" .,’'")


_PARENTHETICAL_RE = re.compile(r"\s[–—]\s[^–—]*\s[–—]\s|\([^()]*\)")


# Words that come between a speaker and the speech verb without being either.
_BEFORE_VERB_WORDS = frozenset(
    "has have had earlier later also yesterday today then now once again already himself herself itself themselves".split()
)


def _subject_before(text: str, end: int) -> str:
    """The words before a verb, back to the nearest clause boundary."""
    # "the defense minister of Estonia – one of Kiev’s ... – has": skip the aside.
    before = _PARENTHETICAL_RE.sub(" ", text[:end])
    stops = list(_SUBJECT_STOP_RE.finditer(before))
    start = stops[-1].end() if stops else 0
    words = before[start:].split()
    # "Putin previously warned", "Juninho had earlier told": not "Kelly"
    while words and words[-1].islower() and (words[-1].endswith("ly") or words[-1] in _BEFORE_VERB_WORDS):
        words.pop()
    return " ".join(words)


class Source(NamedTuple):
    """Where a sentence says its claim comes from, as written."""

    phrase: str | None  # the words naming the source
    via_media: bool = False  # through a medium ("told the BBC")
    aside: str | None = None  # what an aside beside the name says of them ("the shadow chancellor")
    to_parliament: bool = False  # said in parliament ("told MPs", "told the Commons")


# Only a member speaks in the chamber ("he told the Commons"), and one named without a role who
# "told MPs" is, in the news, nearly always an MP or a minister (a witness is named with theirs).
_TO_PARLIAMENT_RE = re.compile(
    r"\s*(?:MPs|peers|the (?:House of )?(?:Commons|Lords)|the House|parliament|Parliament)\b"
)


def _find_source(sentence: Sentence) -> Source:
    """The phrase naming a sentence's source, how it came, and the aside about it."""
    text, unquoted = sentence.text, sentence.unquoted
    quoted_as = "quoted" in sentence.words and _QUOTED_AS_RE.search(unquoted)
    if quoted_as:
        return Source(quoted_as.group("src"), True)
    according = "according" in sentence.words and _ACCORDING_RE.search(unquoted)
    if according:
        return Source(_speaker_before(unquoted, according.start()) or according.group("src"))
    if sentence.words.isdisjoint(_SPEECH_VERB_WORDS):
        return _stance_source(sentence)
    # ", John Smith said." ends the sentence: the verb is among its last three words.
    trailing = not _SPEECH_VERB_WORDS.isdisjoint(sentence.tokens[-3:]) and _TRAILING_RE.search(text)
    if trailing and not QUOTE_RE.search(trailing.group("src")):
        return Source(trailing.group("src"))
    inverted = _INVERTED_RE.search(text)
    if inverted is None and not sentence.words.isdisjoint(_US_TITLE_WORDS):
        inverted = _INVERTED_TITLED_RE.search(text)
    if inverted and _names_someone(inverted.group("src")):
        return Source(inverted.group("src"), aside=inverted.group("aside"))
    # not a verb in an aside: "Gordon Brown, who has promised to cut taxes, said ..."
    verb = _VERB_RE.search(unquoted if sentence.words.isdisjoint(ASIDE_WORDS) else without_asides(unquoted))
    if verb:
        told = verb.group("verb") in ("told", "tells")
        told_media = told and bool(MEDIA_WORDS_RE.search(unquoted[verb.end() : verb.end() + 40]))
        to_parliament = told and _TO_PARLIAMENT_RE.match(unquoted, verb.end()) is not None
        subject = _subject_before(unquoted, verb.start())
        if capitalised_tail(subject):
            return Source(subject, told_media, to_parliament=to_parliament)
        # "The group's chairman, Sir Andrew Green, accused": the name set off after the post,
        # also when the post ends in a place ("The Labour MP for Vauxhall, Kate Hoey, said")
        named = not subject and _SET_OFF_NAME_RE.search(unquoted, 0, verb.start())
        if named and is_full_name(named.group("src")):
            return Source(named.group("src"), told_media, named.group("post"))
        aside = _NAME_ASIDE_RE.search(unquoted[: verb.start()])
        if aside:
            return Source(aside.group("src"), told_media, aside.group("aside"))
        if named:
            return Source(named.group("src"), told_media, named.group("post"))
        # "The chancellor, speaking in Leeds, said": a post or a firm by its trade, then an
        # aside, which may name others ("who attacked the prime minister"): not read for a role
        described = not subject and _DESCRIBED_ASIDE_RE.match(unquoted, 0, verb.start())
        return Source(described.group("src") if described else subject, told_media)
    return _stance_source(sentence)


def _stance_source(sentence: Sentence) -> Source:
    """The name before a verb that frames a claim only there ("Yukos claims its downfall was")."""
    if sentence.words.isdisjoint(_STANCE_WORDS):
        return Source(None)
    stance = _STANCE_RE.search(sentence.unquoted)
    if stance:
        return Source(stance.group("src"))
    participle = _PARTICIPLE_RE.search(sentence.unquoted)
    if participle is None:
        return Source(None)
    named = _NAMED_SUBJECT_RE.match(sentence.unquoted, 0, participle.start())
    return Source(named.group("name") if named else opening_name(sentence.text))


def _speaker_before(text: str, end: int) -> str | None:
    """Someone who says a claim while citing a source: the subject of a speech verb before
    "according to" ("Mr Clarke said crime had fallen 30%, according to the survey"), when
    it is a person or a body with a role; the claim is theirs, the source what they cite.
    Not a document ("Figures showed sales rose, according to the BRC")."""
    verb = _VERB_RE.search(text, 0, end)
    if verb is None:
        return None
    subject = _subject_before(text, verb.start())
    person = _PRONOUN_RE.match(subject) or PERSONAL_TITLE_RE.search(subject) or role_in_subject(subject)
    return subject if person else None


# A clause runs on after an inverted verb ("said its sales had risen 11% over Christmas"),
# a speaker's name and aside never hold a verb like these or a figure.
_CLAUSE_WORDS = frozenset("had has have was were is are would will could been be".split())


def _names_someone(phrase: str) -> bool:
    """Whether a phrase after an inverted verb is a speaker ("John Smith", "a Treasury
    spokesman"), not the rest of a clause ("said to be worth £5m", "said its sales had
    risen 11% over Christmas")."""
    words = phrase.split()
    if any(word in _CLAUSE_WORDS or word[:1].isdigit() for word in words):
        return False
    return capitalised_tail(phrase) is not None or role_in_subject(phrase) is not None


# A document as the subject ("Figures published by the Home Office showed"): a release,
# whose publisher speaks with no stake in it, whatever the publisher's role elsewhere.
_DOCUMENT_RE = re.compile(
    r"(?:the )?(?:(?:latest|new|official|monthly|quarterly|annual|government) )*"
    r"(?:figures|data|statistics|survey|report|study|index|research|poll)\b",
    re.I,
)
# Who put out the figures a subject names: "Figures published by the Home Office in January".
_AGENT_RE = re.compile(
    r"\b(?:published|released|compiled|issued|commissioned|conducted|produced|carried out) by (?:the )?"
    r"(?P<agent>[A-Z][\w’'&.-]*(?:\s(?:(?:of|for|and|&)\s)?[A-Z][\w’'&.-]*)*)"
)


def _resolve(
    phrase: str, memory: ArticleMemory, sentence: Sentence, rivals: list[int]
) -> tuple[str | None, bool, bool]:
    """(claimant, is_media, is_leak) for a source phrase of ``sentence``, which names
    people other than the last speaker at ``rivals``."""
    agent = " by " in phrase and _AGENT_RE.search(phrase)
    phrase = _clean_source(agent.group("agent") if agent else phrase)
    if not phrase:
        return None, False, False
    if LEAK_RE.search(phrase):
        return phrase, False, True
    if _PRONOUN_RE.match(phrase):
        return memory.pronoun_speaker(phrase, rival_before=_named_before_pronoun(sentence, rivals)), False, False
    lowered = phrase.lower()
    if _BODY_PRONOUN_RE.match(phrase):
        firm = lowered not in ("it", "the group")
        opening = _opening(sentence, lowered)
        return memory.body_speaker(described=lowered != "it", firm=firm, text=opening), False, False
    if lowered == "they":
        return memory.group_speaker(text=_opening(sentence, lowered)), False, False
    holder = memory.office_holder(phrase)
    if holder:  # "the prime minister", named with the office earlier: "Prime Minister Robert Lyle"
        return holder, False, False
    if _MEDIA_ALIAS_RE.match(phrase):
        return memory.last_media or phrase, True, False
    is_media = bool(MEDIA_WORDS_RE.search(phrase))
    if is_media and phrase.count(" ") > 1:  # an outlet's boss: "BBC director general Mark Thompson"
        is_media = not MEDIA_BOSS_RE.search(phrase)
    name = capitalised_tail(phrase)
    if is_media:  # "Empire magazine" names one; "the magazine" is the last one named, or none
        named = name or (phrase if any(word[:1].isupper() for word in phrase.split()) else None)
        return named or memory.last_media, True, False
    if name is None:  # "the chancellor", with no holder named before: the post is who says it
        return post_speaker(phrase), False, False
    return memory.people.get(name, name), False, False


def _opening(sentence: Sentence, pronoun: str) -> str:
    """The sentence, for the subject it opens with ("Google handles 200 million searches a
    day, the company said"); none when the pronoun opens it ("It said ...")."""
    return "" if sentence.text[: len(pronoun)].lower() == pronoun else sentence.text


_PRONOUN_WORD_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")


def _named_before_pronoun(sentence: Sentence, rivals: list[int]) -> bool:
    """Whether someone else is named, outside quotes, before the sentence's "he" or
    "she": a name in the speaker's own words or after the pronoun is who they talk about."""
    if not rivals:
        return False
    unquoted = sentence.unquoted
    pronoun = _PRONOUN_WORD_RE.search(unquoted)
    end = pronoun.start() if pronoun else len(unquoted)
    return any(at < end and unquoted[at] != " " for at in rivals)


# A quoted span this short is a name, a nickname or a term ("dubbed the "McLibel Two"",
# a "boring" life), not someone's words: it names no speaker.
SPEECH_QUOTE_WORDS = 4


def quotes_speech(text: str) -> bool:
    """Whether ``text`` quotes someone's words: a quoted span of SPEECH_QUOTE_WORDS words or
    more, or a quote left open (a quotation running on over several sentences)."""
    marks = text.count('"') + text.count("“") + text.count("”")
    return marks % 2 == 1 or any(len(span.split()) >= SPEECH_QUOTE_WORDS for span in QUOTE_RE.findall(text))


def _all_quoted(unquoted: str) -> bool:
    """Whether a sentence is nothing but quotation: its ``unquoted`` text is blank or stops."""
    return not unquoted.strip(" .,;:!?–—-")


def attribute(sentence: Sentence, memory: ArticleMemory, from_social: bool = False) -> Attribution:
    """Who makes the claim, their role when written, and how we know of it."""
    rivals = memory.meet_names(sentence)
    phrase, via_media, aside, to_parliament = _find_source(sentence)
    claimant, is_media, is_leak = _resolve(phrase, memory, sentence, rivals) if phrase else (None, False, False)
    if rivals:  # most sentences name no one new
        memory.met_rivals()
    if claimant is None and sentence.has_quote and quotes_speech(sentence.text):
        unquoted = sentence.unquoted
        claimant = memory.known_person_in(unquoted) or (memory.quote_speaker() if _all_quoted(unquoted) else None)
    claimant = clean_claimant(claimant)
    title = PERSONAL_TITLE_RE.search(phrase or "") if claimant is not None else None
    # A post names no one ("the chancellor"): who says it, and whom "he" means next, but
    # no named person's sourcing.
    post = claimant is not None and is_post(claimant)
    memory.remember(claimant, is_media, title=title.group("title") if title else None, post=post)
    if claimant is None:
        memory.meet_body(sentence.text)
        if len(rivals) == 1:
            memory.meet_subject(sentence.text, rivals[0])
    sourcing = sourcing_of(sentence, None if post else claimant, is_leak, is_media or via_media, from_social)
    role = None
    # (most sentences name no one and cite nothing: no role to look for)
    if (claimant or phrase) and not is_media and not is_leak and not _DOCUMENT_RE.match(phrase or ""):
        role = claimant_role(Speaking(claimant, phrase, aside, post, to_parliament), sentence, memory)
    return Attribution(claimant, sourcing, reported=phrase is not None and not is_leak, role=role)
