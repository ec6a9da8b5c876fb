"""Who makes a claim and how it is sourced: outer attributions ("According to X, ..."), the
subject of a speech verb, pronouns and "the British daily" resolved through ``ArticleMemory``
to what earlier sentences named, and the sourcing (named person, official, leak, media...)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..vocab import ANONYMOUS, LEAK, MEDIA_REPORT, NAMED_PERSON, OFFICIAL_DOCUMENT, SOCIAL_MEDIA, UNATTRIBUTED
from .speakers import NOT_CLAIMANT_WORDS, clean_claimant, role_before, role_in_subject
from .text import QUOTE_RE, Caseless, Sentence, starting_with, word_set

# --- attribution -----------------------------------------------------------

# Present-tense forms that double as plural nouns ("member states", "reports")
# are left out: they would make a subject of whatever precedes them.
SPEECH_VERBS = (
    "said|says|told|tells|suggested|suggests|warned|warns|stated|insisted|insists"
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
_INVERTED_RE = re.compile(
    rf"[,\"”]\s*(?:also\s+)?(?:{SPEECH_VERBS})\s+(?P<src>[^,.;:!?\"“”]{{2,60}}?)"
    r"(?:,\s*(?P<aside>[^;:\"“”]{2,80}?))?\s*[.!?]?[\"”]?\s*$"
)
# "John Smith, the shadow chancellor, said": a name, an aside, then the verb.
_NAME_ASIDE_RE = re.compile(r"(?P<src>[A-Z][\w’'.-]*(?:\s[A-Z][\w’'.-]*){0,3}),\s(?P<aside>[^,;:()\"“”]{2,60}),\s*$")
_QUOTED_AS_RE = re.compile(r"(?P<media>[A-Z][\w.’' ]{1,40}?) quoted (?P<src>[A-Z][\w’' ]{1,40}?) as saying")
_SUBJECT_STOP_RE = starting_with(',;:()–—"“”twab', r"[,;:()–—\"“”]|\bthat\b|\bwhich\b|\bwho\b|\band\b|\bbut\b")

_SPEECH_VERB_WORDS = frozenset(SPEECH_VERBS.split("|"))
_LEAK_WORDS = word_set("leak leaks leaked")
_ANONYMOUS_WORDS = word_set("unnamed anonymous unidentified sources familiar anonymity")
_OFFICIAL_WORDS = word_set("court official ministry department government pentagon census")
_SOCIAL_WORDS = word_set("tweeted posted wrote")
LEAK_RE = re.compile(r"\bleak(?:s|ed)?\b", re.I)
# "buildings that don't leak energy": the verb, not a leak as a source.
_LEAK_VERB_RE = re.compile(
    r"(?:\b(?:to|not|will|would|could|can|may|might|must|should|they|we|you|it|that|which)|n[’']t)\s+leak\b", re.I
)
ANONYMOUS_RE = Caseless(
    r"\b(?:unnamed|anonymous|unidentified) (?:sources?|officials?|people)\b|\bsources (?:said|say|told|familiar)"
    r"|\bpeople familiar with\b|\bon condition of anonymity\b|\bciting (?:unnamed |anonymous )?sources\b",
)
OFFICIAL_RE = Caseless(
    r"\b(?:court (?:filing|documents?|records?)|official (?:documents?|figures|data|statistics|report)"
    r"|(?:ministry|department|government|pentagon|census) (?:figures|data|report|statement|documents?))\b",
)
SOCIAL_RE = re.compile(
    r"\b(?:tweeted|posted on (?:X|Twitter|Facebook|Instagram|Telegram|social media)|wrote on (?:X|Twitter|Facebook|Telegram))\b"
)
MEDIA_WORDS_RE = Caseless(
    r"\b(?:newspaper|daily|paper|broadcaster|outlet|agency|magazine|channel|tabloid|network|times|post|news|bbc|cnn|reuters|guardian|telegraph|journal|monde|spiegel|bloomberg|politico|axios|associated press|afp)\b",
)
_MEDIA_ALIAS_RE = re.compile(
    r"^(?:the )?(?:British |French |German |US |American |Russian )?(?:daily|newspaper|paper|broadcaster|outlet)$", re.I
)
_PRONOUN_RE = re.compile(r"^(?:he|she)$", re.I)
TITLE_WORDS = frozenset(
    """British Defense Defence Minister Secretary President Prime Foreign Chancellor Senator Sen. Rep.
    Gov. Governor General Gen. Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Kremlin Chief Deputy Home State Vice
    Commander Spokesman Spokeswoman Ambassador Admiral Colonel Col. Lt. Sgt. Former Ex Interior Finance
    French Russian German Ukrainian American Estonian Polish Italian Spanish Chinese Israeli Iranian
    Pentagon White House Army Navy Lord Lady Sir King Queen Pope Premier Leader Mayor MP""".split()
)


# The first name is consumed and the surname only looked at, so overlapping pairs are
# all seen: "Secretary John Healey" gives "Secretary John" (dropped: a title) and "John
# Healey". The capital comes before its lookbehind: a pattern that begins with a
# character class lets the regex engine skip to the next capital in C, where a leading
# lookahead is tried at every character (twice the cost).
FULL_NAME_RE = re.compile(r"([A-Z](?<![\w’'][A-Z])[a-z]+) (?=([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b)")
_NOT_FIRST_NAMES = frozenset(
    {"The", "A", "An", "In", "On", "At", "As", "But", "And", "When", "During", "Since", "Last", "Earlier"}
) | {word.capitalize() for word in NOT_CLAIMANT_WORDS}


# The second word of a place or a body, never a surname: "Downing Street", "Labour Party".
_NOT_SURNAMES = frozenset(
    """Street Road Avenue Square Lane Park Palace Bridge Airport Station Stadium Hall House Court Castle
    Abbey Cathedral Church Hospital University College School Centre Center Island Islands River Valley
    City County Council Office Party Union Bank Group Company Corporation Commission Committee Agency""".split()
)


# Titles that are an office held, written before the holder's name: not a nationality
# or a place ("British", "Home", "White House"), which begin the names of bodies too.
_OFFICES = frozenset(
    """Minister Secretary President Chancellor Governor Senator Leader Mayor Premier Commander Ambassador
    Spokesman Spokeswoman MP Chairman Chairwoman Director""".split()
)


_CAPITALISED_BEFORE_RE = re.compile(r"(?:^|\s)\(?([A-Z][\w’'-]*)\s$")


def _inside_longer_name(text: str, start: int, end: int) -> bool:
    """True when two capitalised words are part of a longer one or of an
    expansion in brackets ("HSDPA (High Speed Downlink Packet Access)"):
    a product or an organisation, not a person."""
    if text[end : end + 1] == " " and text[end + 1 : end + 2].isupper():
        return True
    if text[start - 1 : start] == "(":
        return True
    before = _CAPITALISED_BEFORE_RE.search(text[max(0, start - 30) : start])
    return bool(before) and before.group(1) not in TITLE_WORDS and before.group(1) not in _NOT_FIRST_NAMES


@dataclass
class ArticleMemory:
    """What earlier sentences of the same article named."""

    last_person: str | None = None
    last_media: str | None = None
    people: dict[str, str] = field(default_factory=dict)  # surname -> full name
    roles: dict[str, str] = field(default_factory=dict)  # surname -> role met before the name
    # A pronoun names the last speaker only while that is safe: no other person
    # named since, and the speaker named in this paragraph or the sentence before.
    others_since: bool = False
    speaker_paragraph: int = -1
    speaker_sentence: int = -1
    paragraph: int = 0
    sentence: int = 0

    def next_sentence(self, paragraph: int) -> None:
        """Move on to the next sentence, in paragraph ``paragraph``."""
        self.sentence += 1
        self.paragraph = paragraph

    def remember(self, claimant: str | None, is_media: bool) -> None:
        """Note a claimant; only people (a name, or a surname met before) answer "he"."""
        if not claimant or is_media:
            self.last_media = claimant if is_media else self.last_media
            return
        words = claimant.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words):
            self.people.setdefault(words[-1], claimant)
        if len(words) >= 2 or claimant in self.people:
            self.last_person = claimant
            self.people.setdefault(words[-1], claimant)
            self.others_since = False
            self.speaker_paragraph, self.speaker_sentence = self.paragraph, self.sentence

    def pronoun_speaker(self) -> str | None:
        """The last speaker when "he" or "she" can only mean them, else None."""
        nearby = self.speaker_paragraph == self.paragraph or self.speaker_sentence == self.sentence - 1
        return self.last_person if nearby and not self.others_since else None

    def role_of(self, claimant: str) -> str | None:
        """The role met before the claimant's name earlier in the article, or None."""
        return self.roles.get(claimant.rsplit(" ", 1)[-1]) if self.roles else None

    def meet_names(self, text: str) -> None:
        """File every "Firstname Lastname" the text mentions, so a later bare
        surname ("Healey refused...") resolves to the full name, with the role
        written before it ("Chancellor Gordon Brown")."""
        for match in FULL_NAME_RE.finditer(text):
            first, last = match.groups()
            if first in TITLE_WORDS or last in TITLE_WORDS or first in _NOT_FIRST_NAMES or last in _NOT_SURNAMES:
                continue
            if not _inside_longer_name(text, match.start(), match.end(2)):
                full = self.people.setdefault(last, f"{first} {last}")
                if full != self.last_person:
                    self.others_since = True
                role = role_before(text, match.start())
                if role:
                    self.roles.setdefault(last, role)

    def known_person_in(self, text: str) -> str | None:
        """The first person met before whose surname the text names."""
        for word in re.findall(r"\b[A-Z][\w’'-]+", text):
            if word in self.people:
                return self.people[word]
        return None


@dataclass
class Attribution:
    claimant: str | None
    sourcing: str
    reported: bool  # an attribution verb or phrase frames the claim
    role: str | None = None  # the speaker's role (speakers.ROLES), when written


# Sentence openers and conjunctions are capitalised but never part of a name ("But Kelly said").
_NOT_NAME_WORDS = frozenset(
    """But And So Yet Or Nor However Meanwhile Also Now Then Still Instead Indeed Earlier Later Last
    When While If Although Though Because As After Before Since During On In At By For From With""".split()
)
MAX_NAME_WORDS = 8  # a longer run of capitalised words is a title, a list or debris, not who said it


def _capitalised_tail(phrase: str) -> str | None:
    """The run of capitalised words ending the phrase, titles and openers dropped.

    Walks back from the end and slices once: linear in the phrase, however long
    a run of capitalised words or initials it ends with.
    """
    words = phrase.split()
    start = len(words)
    while start > 0 and words[start - 1][:1].isupper():
        start -= 1
    while len(words) - start > 1 and (words[start] in TITLE_WORDS or words[start] in _NOT_NAME_WORDS):
        start += 1
    run = words[start:]
    if not run or len(run) > MAX_NAME_WORDS or run[0] in _NOT_NAME_WORDS:
        return None
    # "Education Secretary Charles Clarke": the name is what follows the last office,
    # when that leaves a first name and a surname ("British Retail Consortium" stays whole).
    for at in range(len(run) - 3, -1, -1):
        if run[at] in _OFFICES and run[-1] not in _NOT_SURNAMES:
            return " ".join(run[at + 1 :])
    return " ".join(run)


def _clean_source(phrase: str) -> str:
    phrase = re.sub(r"^(?:the\s+)+(?=The\b)", "", phrase.strip())
    return re.sub(r"^(?:a|an)\s+", "", phrase).strip(" .,’'")


_PARENTHETICAL_RE = re.compile(r"\s[–—]\s[^–—]*\s[–—]\s|\([^()]*\)")


# Words that come between a speaker and the speech verb without being either.
_BEFORE_VERB_WORDS = frozenset("has have had earlier later also yesterday today then now once again already".split())


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


def _find_source(sentence: Sentence) -> Source:
    """The phrase naming a sentence's source, how it came, and the aside about it."""
    text, unquoted = sentence.text, sentence.unquoted
    quoted_as = "quoted" in sentence.words and _QUOTED_AS_RE.search(unquoted)
    if quoted_as:
        return Source(quoted_as.group("src"), True)
    according = "according" in sentence.words and _ACCORDING_RE.search(unquoted)
    if according:
        return Source(according.group("src"))
    if not sentence.mentions(_SPEECH_VERB_WORDS):
        return Source(None)
    trailing = _TRAILING_RE.search(text)
    if trailing and not QUOTE_RE.search(trailing.group("src")):
        return Source(trailing.group("src"))
    inverted = _INVERTED_RE.search(text)
    if inverted and _names_someone(inverted.group("src")):
        return Source(inverted.group("src"), aside=inverted.group("aside"))
    verb = _VERB_RE.search(unquoted)
    if verb:
        told_media = verb.group("verb") in ("told", "tells") and bool(
            MEDIA_WORDS_RE.search(unquoted[verb.end() : verb.end() + 40])
        )
        subject = _subject_before(unquoted, verb.start())
        aside = None if _capitalised_tail(subject) else _NAME_ASIDE_RE.search(unquoted[: verb.start()])
        if aside:
            return Source(aside.group("src"), told_media, aside.group("aside"))
        return Source(subject, told_media)
    return Source(None)


def _names_someone(phrase: str) -> bool:
    """Whether a phrase after an inverted verb is a speaker ("John Smith", "a Treasury
    spokesman"), not the rest of a clause ("said to be worth £5m")."""
    return _capitalised_tail(phrase) is not None or role_in_subject(phrase) is not None


def _resolve(phrase: str, memory: ArticleMemory) -> tuple[str | None, bool, bool]:
    """(claimant, is_media, is_leak) for a source phrase."""
    phrase = _clean_source(phrase)
    if not phrase:
        return None, False, False
    if LEAK_RE.search(phrase):
        return phrase, False, True
    if _PRONOUN_RE.match(phrase):
        return memory.pronoun_speaker(), False, False
    if _MEDIA_ALIAS_RE.match(phrase):
        return memory.last_media or phrase, True, False
    is_media = bool(MEDIA_WORDS_RE.search(phrase))
    name = _capitalised_tail(phrase)
    if is_media:  # "Empire magazine" names one; "the magazine" is the last one named, or none
        named = name or (phrase if any(word[:1].isupper() for word in phrase.split()) else None)
        return named or memory.last_media, True, False
    return (memory.people.get(name, name) if name else None), False, False


# A quoted span this short is a name, a nickname or a term ("dubbed the "McLibel Two"",
# a "boring" life), not someone's words: it names no speaker.
SPEECH_QUOTE_WORDS = 4


def quotes_speech(text: str) -> bool:
    """Whether ``text`` quotes someone's words: a quoted span of SPEECH_QUOTE_WORDS words or
    more, or a quote left open (a quotation running on over several sentences)."""
    marks = text.count('"') + text.count("“") + text.count("”")
    return marks % 2 == 1 or any(len(span.split()) >= SPEECH_QUOTE_WORDS for span in QUOTE_RE.findall(text))


def attribute(sentence: Sentence, memory: ArticleMemory, from_social: bool = False) -> Attribution:
    """Who makes the claim, their role when written, and how we know of it."""
    memory.meet_names(sentence.text)
    phrase, via_media, aside = _find_source(sentence)
    claimant, is_media, is_leak = _resolve(phrase, memory) if phrase else (None, False, False)
    if claimant is None and sentence.has_quote and quotes_speech(sentence.text):
        claimant = memory.known_person_in(sentence.unquoted)
    claimant = clean_claimant(claimant)
    memory.remember(claimant, is_media)
    sourcing = _sourcing(sentence, claimant, is_leak, is_media or via_media, from_social)
    # The role met before the name earlier in the article, or written in an aside beside
    # it ("John Smith, the shadow chancellor,"); one written before the name in the
    # sentence itself is found when scoring (editorial.speaker_role).
    role = None
    if not is_media and not is_leak:
        role = memory.role_of(claimant) if claimant else None
        role = role or _role_written(phrase, aside, claimant, memory)
    return Attribution(claimant, sourcing, reported=phrase is not None and not is_leak, role=role)


def _role_written(phrase: str | None, aside: str | None, claimant: str | None, memory: ArticleMemory) -> str | None:
    """The role an aside gives the claimant, kept for later mentions of their surname;
    or, for a source with no name ("said a Treasury spokesman"), the phrase's own."""
    if aside:
        role = role_in_subject(aside)
        if role and claimant:
            memory.roles.setdefault(claimant.rsplit(" ", 1)[-1], role)
        return role
    return role_in_subject(phrase) if phrase and claimant is None else None


def _mentions_a_leak(text: str) -> bool:
    return bool(LEAK_RE.search(text)) and not _LEAK_VERB_RE.search(text)


def _sourcing(sentence: Sentence, claimant, is_leak: bool, via_media: bool, from_social: bool) -> str:
    """The strongest sourcing signal wins: a leak or unnamed sources matter
    more to an editor than the outlet that carried them."""
    text = sentence.text
    if is_leak or (not claimant and sentence.mentions(_LEAK_WORDS) and _mentions_a_leak(text)):
        return LEAK
    if sentence.mentions(_ANONYMOUS_WORDS) and ANONYMOUS_RE.search(text):
        return ANONYMOUS
    if from_social or (sentence.mentions(_SOCIAL_WORDS) and SOCIAL_RE.search(text)):
        return SOCIAL_MEDIA
    if via_media:
        return MEDIA_REPORT
    if sentence.mentions(_OFFICIAL_WORDS) and OFFICIAL_RE.search(text):
        return OFFICIAL_DOCUMENT
    return NAMED_PERSON if claimant else UNATTRIBUTED
