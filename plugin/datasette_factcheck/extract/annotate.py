"""Annotate one claim sentence: kind, claimant, sourcing, figures, hedges.

Rule-based and fast (a few compiled regexes per sentence), because the
loader runs it on every sentence of every article. The rules follow how news
prose attributes: an outer attribution ("According to X, ...", "..., X has
reported.") names who makes the claim; otherwise the subject of the first
speech verb does. ``ArticleMemory`` carries what earlier sentences named, so
"he added" resolves to the last speaker and "the British daily" to the last
outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .speakers import NOT_CLAIMANT_WORDS, clean_claimant, role_before


def word_set(*words: str) -> frozenset[str]:
    """The words of space-separated strings, as a set a sentence's words are checked against."""
    return frozenset(" ".join(words).split())


# (first characters, pattern text, flags) of each regex compiled by ``_starting_with``:
# the tests check that each finds exactly what its plain pattern finds.
GUARDED_PATTERNS: list[tuple[str, str, int]] = []


def _starting_with(first: str, pattern: str, flags: int = 0) -> re.Pattern:
    """``pattern`` compiled behind a lookahead for the characters a match can start with.

    Python's regex engine otherwise tries every branch at every position of the
    text; the lookahead lets it skip to the next possible start. Same matches,
    2 to 5 times faster on these patterns, which run on most sentences loaded.
    ``first`` is a character-class body listing every possible first character.
    """
    GUARDED_PATTERNS.append((first, pattern, flags))
    return re.compile(f"(?=[{first}])(?:{pattern})", flags)


# A word, or a number with its unit ("25%", "$1.2bn", "5 per cent"). The branches start
# with different characters, so their order changes nothing but speed: words are commoner.
_TOKEN_RE = _starting_with("a-z$£€\\d", r"[a-z]+(?:'[a-z]+)?|[$£€]?\d[\d,.]*(?:%| ?per ?cent\b|bn\b|m\b|k\b)?")


class Sentence:
    """A claim's text with what every rule looks at, computed once.

    Most rules are regexes that would otherwise scan every sentence; each is
    first gated on its trigger words being in ``words`` (a set lookup), which
    keeps annotation cheap enough for loading millions of sentences.
    """

    __slots__ = ("text", "tokens", "words", "has_quote", "_unquoted")

    def __init__(self, text: str):
        self.text = text
        # Words and numbers in order, lower-cased: the rules look words up in the
        # set, the check-worthiness model reads the sequence. One pass for both.
        self.tokens: list[str] = _TOKEN_RE.findall(text.lower().replace("’", "'"))
        self.words = frozenset(self.tokens)
        self.has_quote = '"' in text or "“" in text
        self._unquoted: str | None = None

    @property
    def unquoted(self) -> str:
        if self._unquoted is None:
            self._unquoted = strip_quotes(self.text) if self.has_quote else self.text
        return self._unquoted

    def mentions(self, vocabulary: frozenset[str]) -> bool:
        return not self.words.isdisjoint(vocabulary)


# --- figures -------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)"
)
# Three regexes, each run only when the sentence can match it (a digit, a
# number word, a vague-quantity word): most sentences skip at least two.
# In the first, alternation order matters: a date is taken before its year.
_DIGIT_FIGURE_RE = _starting_with(
    "0-9$£€JFMASOND",
    rf"(?P<date>\b{_MONTH}\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d\d\b"
    # A day without its year ("on 25 December", "the March 15 deadline") is a date too.
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?![\w.])|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b)"
    # A year, or a decade ("the 1990s"); a full stop after it ends the sentence, it is no decimal point.
    r"|(?P<year>\b(?:19|20)\d\d(?:s\b|\b)(?![\d,%]|\.\d))"
    # "Mrs Hassan, 59, ...": an age, biography rather than a statistic.
    r"|(?P<age>(?<=[a-z], )\d\d(?=,))"
    # "beat him 6-4 6-3", "won 5-0": a result (a "score" only in a sports result, see find_figures).
    r"|(?P<score>(?<![\w.,-])\d{1,2}-\d{1,2}(?![\w%-]|\.\d| ?per ?cent))"
    # Glued to letters ("3G", "W800", "SCH-V770", "MP3") a number is a product or model code.
    r"|(?<![\w.,])(?<![A-Za-z]-)(?P<quantity>[$£€]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per ?cent\b|million\b|billion\b|trillion\b|bn\b|m\b|k\b))?)(?![\w£$€])",
)
_WORD_FIGURE_RE = _starting_with("tfsenhmb", rf"\b{_NUMBER_WORD}(?:[ -]{_NUMBER_WORD})*\b", re.I)
_VAGUE_FIGURE_RE = _starting_with(
    "thdmbslgru",
    r"\b(?P<magnitude>(?:tens|hundreds|thousands|dozens|millions|billions) of (?:thousands|millions|billions)?)"
    r"|\b(?:small|large|significant|growing|record|unknown) number\b|\bhandful\b",
    re.I,
)
_DIGIT_RE = re.compile(r"\d")
_NUMBER_WORDS = word_set(_NUMBER_WORD.strip("(?:)").replace("|", " "))
_SMALL_NUMBER_WORDS = word_set("two three four five six seven eight nine ten")
_VAGUE_WORDS = word_set("tens hundreds thousands dozens millions billions number handful")


_DIGIT_CATEGORIES = {"date": "date", "year": "date", "age": "age", "quantity": "quantity"}


def _figure_matches(sentence: Sentence) -> list[tuple[int, str, str]]:
    """(offset, figure, category) for every figure, unordered."""
    text, found = sentence.text, []
    if _DIGIT_RE.search(text):
        # "5-0" is a match result in a sports report, elsewhere a range ("aged 18-24").
        score = "score" if is_sports_result(sentence) else "quantity"
        for m in _DIGIT_FIGURE_RE.finditer(text):
            found.append((m.start(), m.group(), _DIGIT_CATEGORIES.get(m.lastgroup, score)))
    if sentence.mentions(_NUMBER_WORDS):
        # "two", "five": in prose as often a way of speaking as a statistic.
        found += [
            (m.start(), m.group(), "vague" if m.group().lower() in _SMALL_NUMBER_WORDS else "quantity")
            for m in _WORD_FIGURE_RE.finditer(text)
        ]
    if sentence.mentions(_VAGUE_WORDS):
        # "tens of thousands" is a statistic; "a small number" is not.
        found += [
            (m.start(), m.group(), "quantity" if m.group("magnitude") else "vague")
            for m in _VAGUE_FIGURE_RE.finditer(text)
        ]
    return found


def find_figures(sentence: Sentence) -> dict[str, str]:
    """The figures and dates in the sentence, in order: figure -> category.

    Categories: "quantity" (makes a statistic), "vague" ("a small number"),
    "score" (a sports result: "6-4"), "age" ("Mrs Hassan, 59,"),
    "date" (a date or a year).
    """
    figures: dict[str, str] = {}
    for _, figure, category in sorted(_figure_matches(sentence)):
        figure = figure.strip().rstrip(",.")
        if figure:
            figures.setdefault(figure, category)
    return figures


_SCORE_RE = re.compile(r"(?<![\w.,-])\d{1,2}-\d{1,2}(?![\w%-]|\.\d)")
_RESULT_WORDS = word_set(
    "beat beats beaten won win wins lost lose loses defeat defeated draw drew drawn victory thrashed edged",
    "trailed trailing led lead leads scored score sets halftime",
)
_SETS_RE = re.compile(r"\b(?:straight|three|four|five)[ -]sets?\b|\btie-?break", re.I)
_SETS_WORDS = word_set("sets set tie break tiebreak")


def is_sports_result(sentence: Sentence) -> bool:
    """A match result ("beat him 6-4 6-3", "won 2-1", "a straight sets defeat"):
    its numbers are a score, not a statistic a fact-checker would check."""
    text = sentence.text
    if sentence.mentions(_SETS_WORDS) and _SETS_RE.search(text):
        return True
    return "-" in text and sentence.mentions(_RESULT_WORDS) and _SCORE_RE.search(text) is not None


# --- quotes ----------------------------------------------------------------

_QUOTE_RE = re.compile(r"[\"“]([^\"“”]+)[\"”]")
# A quoted fragment introduced by an article or preposition is a borrowed
# phrase ("could result in a “serious conflict”"), not someone's direct speech.
_FRAGMENT_LEAD_RE = re.compile(r"\b(?:a|an|the|in|of|as|for|with)\s*$", re.I)
DIRECT_SPEECH_MIN_WORDS = 5


def quoted_spans(text: str) -> list[str]:
    """The texts inside quotation marks, straight or curly."""
    if '"' not in text and "“" not in text:  # most sentences: skip the regex
        return []
    return [m.group(1).strip() for m in _QUOTE_RE.finditer(text)]


def has_direct_speech(text: str) -> bool:
    """True when a quoted span reads as someone's words, not a borrowed phrase."""
    if '"' not in text and "“" not in text:
        return False
    for match in _QUOTE_RE.finditer(text):
        if len(match.group(1).split()) < DIRECT_SPEECH_MIN_WORDS:
            continue
        if not _FRAGMENT_LEAD_RE.search(text[: match.start()]):
            return True
    return False


def strip_quotes(text: str) -> str:
    """The text with quoted spans blanked out, offsets kept."""
    return _QUOTE_RE.sub(lambda m: " " * len(m.group()), text)


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
_QUOTED_AS_RE = re.compile(r"(?P<media>[A-Z][\w.’' ]{1,40}?) quoted (?P<src>[A-Z][\w’' ]{1,40}?) as saying")
_SUBJECT_STOP_RE = _starting_with(',;:()–—"“”twab', r"[,;:()–—\"“”]|\bthat\b|\bwhich\b|\bwho\b|\band\b|\bbut\b")

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
ANONYMOUS_RE = re.compile(
    r"\b(?:unnamed|anonymous|unidentified) (?:sources?|officials?|people)\b|\bsources (?:said|say|told|familiar)"
    r"|\bpeople familiar with\b|\bon condition of anonymity\b|\bciting (?:unnamed |anonymous )?sources\b",
    re.I,
)
OFFICIAL_RE = re.compile(
    r"\b(?:court (?:filing|documents?|records?)|official (?:documents?|figures|data|statistics|report)"
    r"|(?:ministry|department|government|pentagon|census) (?:figures|data|report|statement|documents?))\b",
    re.I,
)
SOCIAL_RE = re.compile(
    r"\b(?:tweeted|posted on (?:X|Twitter|Facebook|Instagram|Telegram|social media)|wrote on (?:X|Twitter|Facebook|Telegram))\b"
)
MEDIA_WORDS_RE = re.compile(
    r"\b(?:newspaper|daily|paper|broadcaster|outlet|agency|magazine|channel|tabloid|network|times|post|news|bbc|cnn|reuters|guardian|telegraph|journal|monde|spiegel|bloomberg|politico|axios|associated press|afp)\b",
    re.I,
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


# A lookahead, so overlapping pairs are all seen: "Secretary John Healey" gives
# "Secretary John" (dropped: a title) and "John Healey".
_FULL_NAME_RE = _starting_with("A-Z", r"(?<![\w’'])(?=([A-Z][a-z]+) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b)")
_NOT_FIRST_NAMES = frozenset(
    {"The", "A", "An", "In", "On", "At", "As", "But", "And", "When", "During", "Since", "Last", "Earlier"}
) | {word.capitalize() for word in NOT_CLAIMANT_WORDS}


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
        for match in _FULL_NAME_RE.finditer(text):
            first, last = match.groups()
            if first in TITLE_WORDS or last in TITLE_WORDS or first in _NOT_FIRST_NAMES:
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
    return " ".join(run)


def _clean_source(phrase: str) -> str:
    phrase = re.sub(r"^(?:the\s+)+(?=The\b)", "", phrase.strip())
    return re.sub(r"^(?:a|an)\s+", "", phrase).strip(" .,’'")


_PARENTHETICAL_RE = re.compile(r"\s[–—]\s[^–—]*\s[–—]\s|\([^()]*\)")


def _subject_before(text: str, end: int) -> str:
    """The words before a verb, back to the nearest clause boundary."""
    # "the defense minister of Estonia – one of Kiev’s ... – has": skip the aside.
    before = _PARENTHETICAL_RE.sub(" ", text[:end])
    stops = list(_SUBJECT_STOP_RE.finditer(before))
    start = stops[-1].end() if stops else 0
    words = before[start:].split()
    while words and words[-1].endswith("ly") and words[-1].islower():  # "Putin previously warned", not "Kelly"
        words.pop()
    return " ".join(words)


def _find_source_phrase(sentence: Sentence) -> tuple[str | None, bool]:
    """(phrase naming the source, whether it came through a medium like 'told X')."""
    text, unquoted = sentence.text, sentence.unquoted
    quoted_as = "quoted" in sentence.words and _QUOTED_AS_RE.search(unquoted)
    if quoted_as:
        return quoted_as.group("src"), True
    according = "according" in sentence.words and _ACCORDING_RE.search(unquoted)
    if according:
        return according.group("src"), False
    if not sentence.mentions(_SPEECH_VERB_WORDS):
        return None, False
    trailing = _TRAILING_RE.search(text)
    if trailing and not _QUOTE_RE.search(trailing.group("src")):
        return trailing.group("src"), False
    verb = _VERB_RE.search(unquoted)
    if verb:
        told_media = verb.group("verb") in ("told", "tells") and bool(
            MEDIA_WORDS_RE.search(unquoted[verb.end() : verb.end() + 40])
        )
        return _subject_before(unquoted, verb.start()), told_media
    return None, False


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
    if is_media:
        return name or phrase, True, False
    return (memory.people.get(name, name) if name else None), False, False


def attribute(sentence: Sentence, memory: ArticleMemory, from_social: bool = False) -> Attribution:
    """Who makes the claim, their role when written, and how we know of it."""
    memory.meet_names(sentence.text)
    phrase, via_media = _find_source_phrase(sentence)
    claimant, is_media, is_leak = _resolve(phrase, memory) if phrase else (None, False, False)
    if claimant is None and sentence.has_quote:
        claimant = memory.known_person_in(sentence.unquoted)
    claimant = clean_claimant(claimant)
    memory.remember(claimant, is_media)
    sourcing = _sourcing(sentence, claimant, is_leak, is_media or via_media, from_social)
    # The role met before the name earlier in the article; a role written in the
    # sentence itself is found when scoring (editorial.speaker_role).
    role = memory.role_of(claimant) if claimant and not is_media and not is_leak else None
    return Attribution(claimant, sourcing, reported=phrase is not None and not is_leak, role=role)


def _mentions_a_leak(text: str) -> bool:
    return bool(LEAK_RE.search(text)) and not _LEAK_VERB_RE.search(text)


def _sourcing(sentence: Sentence, claimant, is_leak: bool, via_media: bool, from_social: bool) -> str:
    """The strongest sourcing signal wins: a leak or unnamed sources matter
    more to an editor than the outlet that carried them."""
    text = sentence.text
    if is_leak or (not claimant and sentence.mentions(_LEAK_WORDS) and _mentions_a_leak(text)):
        return "leak"
    if sentence.mentions(_ANONYMOUS_WORDS) and ANONYMOUS_RE.search(text):
        return "anonymous"
    if from_social or (sentence.mentions(_SOCIAL_WORDS) and SOCIAL_RE.search(text)):
        return "social_media"
    if via_media:
        return "media_report"
    if sentence.mentions(_OFFICIAL_WORDS) and OFFICIAL_RE.search(text):
        return "official_document"
    return "named_person" if claimant else "unattributed"


# --- hedges, questions, opinion, prediction ------------------------------

_HEDGE_RE = _starting_with(
    "abclmnprsuw",
    r"\b(?:suggested|suggests|could|may|might|reportedly|allegedly|apparently|appears? to|believed to"
    r"|likely|possibly|unconfirmed|purportedly|not ruling out|wouldn[’']t rule out|would not rule out"
    r"|not rule out|claimed|alleged|rumou?red|understood to)\b",
    re.I,
)
_OPINION_RE = _starting_with(
    "iwsomfdtg",
    r"\b(?:I think|I believe|I feel|we need to|we must|we should|should|ought to|must|I hope|in my view"
    r"|in my opinion|frankly|shameful|disgraceful|wonderful|terrible|great)\b",
    re.I,
)
_PREDICTION_RE = _starting_with(
    "wiagf", r"\b(?:will|won[’']t|is expected to|are expected to|is set to|going to|forecast)\b", re.I
)
_HEDGE_WORDS = word_set(
    "suggested suggests could may might reportedly allegedly apparently appears appear believed likely",
    "possibly unconfirmed purportedly ruling rule claimed alleged rumored rumoured understood",
)
_OPINION_WORDS = word_set(
    "think believe feel need must should ought hope view opinion frankly shameful",
    "disgraceful wonderful terrible great",
)
_PREDICTION_WORDS = word_set("will won't expected set going forecast")


def find_hedges(sentence: Sentence) -> list[str]:
    """Hedging words, each once, lower-cased."""
    hedges: list[str] = []
    if not sentence.mentions(_HEDGE_WORDS):
        return hedges
    for match in _HEDGE_RE.finditer(sentence.text):
        if match.group() == "May" and match.start() > 0:
            continue  # the month, not the modal
        word = match.group().lower().replace("’", "'")
        if word not in hedges:
            hedges.append(word)
    return hedges


def opinion_markers(sentence: Sentence) -> list[str]:
    """Opinion words outside quotation marks ("should", "I think")."""
    if not sentence.mentions(_OPINION_WORDS):
        return []
    return sorted({m.group().lower() for m in _OPINION_RE.finditer(sentence.unquoted)})


def has_opinion_marker(sentence: Sentence) -> bool:
    """Whether ``opinion_markers`` would find any: one regex search, no list."""
    return sentence.mentions(_OPINION_WORDS) and _OPINION_RE.search(sentence.unquoted) is not None


def is_question(text: str) -> bool:
    return text.rstrip("\"”’' )").endswith("?")


def classify_kind(sentence: Sentence, attribution: Attribution, quantity: bool) -> str:
    """One of vocab.KINDS, by the precedence news editors use."""
    if has_direct_speech(sentence.text):
        return "quote"
    if quantity:
        return "statistic"
    if attribution.reported:
        return "reported"
    if attribution.sourcing == "leak":
        return "event"
    if is_question(sentence.text) or opinion_markers(sentence):
        return "opinion"
    if sentence.mentions(_PREDICTION_WORDS) and _PREDICTION_RE.search(sentence.unquoted):
        return "prediction"
    return "event"
