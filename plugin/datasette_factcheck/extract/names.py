"""Names in news prose: where a person's or a body's name begins and ends ("Education
Secretary Charles Clarke" is "Charles Clarke", "the Bank of England" stays whole), and
``ArticleMemory``, the names an article has met so far, for the surnames and pronouns after."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .speakers import NOT_CLAIMANT_WORDS, PARTY_LABELS, role_before, role_in_subject, role_of_name
from .text import Sentence, word_set

# Words written before a name that are no part of it: titles and posts ("Chancellor Gordon
# Brown", "Manager Luis Ferreira"), nationalities, and a firm's trade ("Carmaker Motorworks").
# A body's name keeps them ("the Home Office", "British Airways"): see ``capitalised_tail``.
TITLE_WORDS = frozenset(
    """British Defense Defence Minister Secretary President Prime Foreign Chancellor Senator Sen. Rep.
    Gov. Governor General Gen. Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Kremlin Chief Deputy Home State Vice
    Commander Spokesman Spokeswoman Ambassador Admiral Colonel Col. Lt. Sgt. Former Ex Interior Finance
    French Russian German Ukrainian American Estonian Polish Italian Spanish Chinese Israeli Iranian
    Pentagon White House Army Navy Lord Lady Sir King Queen Pope Premier Leader Mayor MP
    Manager Coach Captain Chairman Chairwoman Boss Judge Detective Inspector Superintendent Treasury
    Regulator Watchdog Carmaker Retailer Grocer Airline Insurer Brewer Drugmaker Chipmaker Supermarket
    Broadcaster Publisher Lender Carrier Operator Firm""".split()
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
    if not before or before.group(1) in TITLE_WORDS or before.group(1) in _NOT_FIRST_NAMES:
        return False
    # "Labour's John Prescott" is a politician of a party; "Conservative Party Conference" a body
    return before.group(1) not in PARTY_LABELS or text[start : text.find(" ", start)] in _NOT_SURNAMES


# Titles only a person bears: "Mr Smith" is someone "he" may name, never "it".
PERSONAL_TITLES = "Mr Mrs Ms Miss Dr Sir Lord Lady Prof Professor".split()
PERSONAL_TITLE_RE = re.compile(rf"\b(?P<title>{'|'.join(PERSONAL_TITLES)})\b\.? (?P<surname>[A-Z][\w’'-]*)")
_TITLES = word_set(" ".join(PERSONAL_TITLES).lower())
_HIM_RE = re.compile(r"\bhim\b")
_ASIDE_RE = re.compile(r"(?P<aside>(?:the|a|an|former) [^,;:()\"“”]{2,60}),")
_PLURAL_NAME_RE = re.compile(r"[^s'’]s$")  # "The Conservatives", "Lib Dems"; not "Sainsbury's", "Tesco"
# The pronoun a title gives its bearer; "Dr" and "Professor" say nothing of it.
PRONOUN_OF_TITLE = {"Mr": "he", "Sir": "he", "Lord": "he", "Mrs": "she", "Ms": "she", "Miss": "she", "Lady": "she"}


@dataclass
class ArticleMemory:
    """What earlier sentences of the same article named."""

    last_person: str | None = None
    last_media: str | None = None
    last_body: str | None = None  # the last organisation that spoke or opened a sentence: "it said"
    # Every organisation that spoke or opened a sentence, latest last: "the company said" is
    # the latest that is no party, union or government, looked for only when asked.
    bodies: list[str] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # surname -> full name
    roles: dict[str, str] = field(default_factory=dict)  # surname -> role met before the name
    pronouns: dict[str, str] = field(default_factory=dict)  # surname -> "he" or "she", as a title said
    # The office written before a name, in its last word and last two ("minister", "prime
    # minister") -> the name; None once two people held it ("the minister" is then anyone).
    offices: dict[str, str | None] = field(default_factory=dict)
    # A pronoun names the last speaker only while that is safe: no other person
    # named since (in earlier sentences, or before the pronoun in its own: see
    # ``meet_names``), and the speaker named in this paragraph or the sentence before.
    others_since: bool = False
    speaker_paragraph: int = -1
    speaker_sentence: int = -1
    # Who said the sentence just before, person or body: a quotation standing alone after
    # it goes on with their words (``quote_speaker``).
    last_claimant: str | None = None
    claimant_sentence: int = -1
    body_paragraph: int = -1
    body_sentence: int = -1
    # Sentences that said nothing attributed, since the last body spoke: (text, paragraph,
    # sentence), read for the body they open with only when "it" asks.
    openings: list[tuple[str, int, int]] = field(default_factory=list)
    paragraph: int = 0
    sentence: int = 0

    def next_sentence(self, paragraph: int) -> None:
        """Move on to the next sentence, in paragraph ``paragraph``."""
        self.sentence += 1
        self.paragraph = paragraph

    def remember(self, claimant: str | None, is_media: bool, title: str | None = None, post: bool = False) -> None:
        """Note a claimant. People (a name, a surname met before, one written with a
        ``title``, "Mr Smith", or a ``post`` one person holds, "the chancellor") answer
        "he" or "she" (only the one their title says, when it says: ``PRONOUN_OF_TITLE``);
        bodies, and a single word that is no one met before ("Microsoft"), answer "it"
        and "the company"."""
        if not claimant or is_media:
            self.last_media = claimant if is_media else self.last_media
            return
        self.last_claimant, self.claimant_sentence = claimant, self.sentence
        words = claimant.split()
        person = post or title is not None or claimant in self.people or is_full_name(claimant)
        if not person:
            self._meet_body(claimant, self.paragraph, self.sentence)
            self.openings.clear()  # what opened earlier sentences is older than this
            return
        self.last_person = claimant
        if not post:  # a post's last word ("spokesman") is no surname
            self.people.setdefault(words[-1], claimant)
        if title in PRONOUN_OF_TITLE:
            self.pronouns[words[-1]] = PRONOUN_OF_TITLE[title]
        self.others_since = False
        self.speaker_paragraph, self.speaker_sentence = self.paragraph, self.sentence

    def meet_subject(self, text: str, named_at: int) -> None:
        """A sentence that attributes nothing and names one person other than the last
        speaker, at ``named_at`` (``meet_names``): when it opens with them ("Mr Brown
        visited a school in Leeds", "Chancellor Gordon Brown arrived"), "he" in the next
        sentence is them, as if they had spoken; not when "him" brings in another ("Mr
        Blair disagreed with him")."""
        if _HIM_RE.search(text):
            return
        opening = opening_name(text)
        if not opening or named_at >= len(opening) or is_body(opening):
            return
        words = opening.split()
        title = next((word for word in words if word in PRONOUN_OF_TITLE), None)
        self.remember(self.people.get(words[-1], words[-1]), False, title=title)

    def pronoun_speaker(self, pronoun: str, rival_before: bool = False) -> str | None:
        """The last speaker when ``pronoun`` ("he" or "she") can only mean them, else None.

        ``rival_before``: the pronoun's own sentence names someone else before it
        ("After meeting Tony Blair, he said"): "he" may then be either. "She" is never
        someone met as "Mr Smith", nor "he" "Ms Smith"."""
        if rival_before or self.others_since or not self.last_person:
            return None
        pronoun = pronoun.lower()
        if self.pronouns.get(self.last_person.rsplit(" ", 1)[-1], pronoun) != pronoun:
            return None
        return self.last_person if self._nearby(self.speaker_paragraph, self.speaker_sentence) else None

    def met_rivals(self) -> None:
        """A sentence named people other than the last speaker (``meet_names``): "he" in
        the sentences after may mean them, until someone speaks again (``remember``)."""
        self.others_since = True

    def meet_body(self, text: str) -> None:
        """Note the organisation a sentence opens with ("Rover Group is to cut 2,000 jobs"):
        "the company said" later is it, though it said nothing here. Only noted: the
        opening is read when "it" or "the company" asks (most articles never do)."""
        self.openings.append((text, self.paragraph, self.sentence))

    def _read_openings(self) -> None:
        """The latest of the sentences noted since the last body spoke that opens with a body."""
        for text, paragraph, sentence in reversed(self.openings):
            opening = opening_name(text)
            if opening and is_body(opening):
                self._meet_body(opening, paragraph, sentence)
                break
        self.openings.clear()

    def _meet_body(self, body: str, paragraph: int, sentence: int) -> None:
        self.last_body = body
        self.body_paragraph, self.body_sentence = paragraph, sentence
        self.bodies.append(body)

    def body_speaker(self, described: bool = False, firm: bool = False) -> str | None:
        """The last organisation that spoke or opened a sentence, when "it" can only mean
        it (named in this paragraph or the sentence before); when ``described`` ("the
        group"), wherever before; when a ``firm`` ("the company", "the bank"), the last
        that is no party, union or government, wherever before: a story's firm is "the
        firm" throughout, whoever spoke since."""
        if self.openings:
            self._read_openings()
        if firm:  # a union or a party is never "the company"
            return next((body for body in reversed(self.bodies) if role_of_name(body) is None), None)
        nearby = described or self._nearby(self.body_paragraph, self.body_sentence)
        return self.last_body if nearby else None

    def group_speaker(self) -> str | None:
        """The organisation of the sentence just before, when "they" can only mean it: its
        name is plural ("The Conservatives say ... They say"). From further back "they" may
        be anyone ("Critics disagreed"), and a singular name is rarely "they"."""
        if self.openings:
            self._read_openings()
        near = self.body_sentence == self.sentence - 1
        return self.last_body if near and self.last_body and _PLURAL_NAME_RE.search(self.last_body) else None

    def _nearby(self, paragraph: int, sentence: int) -> bool:
        return paragraph == self.paragraph or sentence == self.sentence - 1

    def role_of(self, claimant: str) -> str | None:
        """The role met before the claimant's name earlier in the article, or None."""
        return self.roles.get(claimant.rsplit(" ", 1)[-1]) if self.roles else None

    def meet_names(self, sentence: Sentence) -> list[int]:
        """File every "Firstname Lastname" the text mentions, so a later bare
        surname ("Healey refused...") resolves to the full name, with the role
        written before it ("Chancellor Gordon Brown"). Returns where the text names
        someone other than the last speaker: a rival for "he" only before the pronoun
        ("He said the cuts were Tony Blair's idea" is still the last speaker's), and
        in the sentences after (``met_rivals``)."""
        text, rivals = sentence.text, []
        for match in FULL_NAME_RE.finditer(text):
            first, last = match.groups()
            if first in TITLE_WORDS or last in TITLE_WORDS or first in _NOT_FIRST_NAMES or last in _NOT_SURNAMES:
                continue
            if not _inside_longer_name(text, match.start(), match.end(2)):
                full = self.people.setdefault(last, f"{first} {last}")
                if full != self.last_person:
                    rivals.append(match.start())
                role = role_before(text, match.start())
                if role:
                    self.roles.setdefault(last, role)
                    self._hold_office(text[: match.start()], full)
                elif text.startswith(", ", match.end(2)):  # "Gordon Brown, the chancellor, arrived"
                    self._meet_aside(text, match.end(2) + 2, last)
        if not sentence.words.isdisjoint(_TITLES):  # most sentences: no title, no regex
            rivals += self._titled_rivals(text)
        return rivals

    def _meet_aside(self, text: str, start: int, surname: str) -> None:
        """File the role an aside after a name gives it ("Gordon Brown, the chancellor,",
        "Jane Doe, a Labour councillor,"), as one written before the name is: "Mr Brown
        said" later is the chancellor's. Only an aside that describes ("the", "a"), not a
        clause ("who attacked the Conservatives") or a list of names."""
        aside = _ASIDE_RE.match(text, start)
        role = role_in_subject(aside.group("aside")) if aside else None
        if role:
            self.roles.setdefault(surname, role)

    def _titled_rivals(self, text: str) -> list[int]:
        """Where the text names someone by title and surname who is not the last speaker."""
        speaker = self.last_person.rsplit(" ", 1)[-1] if self.last_person else None
        return [m.start() for m in PERSONAL_TITLE_RE.finditer(text) if m.group("surname") != speaker]

    def _hold_office(self, before: str, name: str) -> None:
        """File the office written just before ``name`` ("Prime Minister Robert Lyle"), so
        that "the prime minister" later names them."""
        words = before.replace(",", " ").split()[-2:]
        if words and words[-1] in PARTY_LABELS:  # a party is no office: "Labour" is not its member
            return
        words = [word.lower() for word in words]
        for office in {" ".join(words), words[-1]} if words else ():
            self.offices[office] = name if self.offices.get(office, name) == name else None

    def office_holder(self, phrase: str) -> str | None:
        """Who holds the office a phrase names ("the prime minister", "its chief
        executive"), when one person was named with it earlier in the article."""
        if not self.offices:
            return None
        return self.offices.get(_OFFICE_OPENER_RE.sub("", phrase.lower()))

    def quote_speaker(self) -> str | None:
        """Who said the sentence just before: a sentence that is all quotation goes on
        with their words ('Mr Howard told the BBC: "Crime has doubled."' then '"We will put
        5,000 more police on the streets."'). From further back it may be anyone's."""
        return self.last_claimant if self.claimant_sentence == self.sentence - 1 else None

    def known_person_in(self, text: str) -> str | None:
        """The first person met before whose surname the text names."""
        for word in _CAPITALISED_WORD_RE.findall(text):
            if word in self.people:
                return self.people[word]
        return None


_OFFICE_OPENER_RE = re.compile(r"^(?:the|its|his|her|their) ")
_CAPITALISED_WORD_RE = re.compile(r"\b[A-Z][\w’'-]+")


# The head word of a body whose name goes on after "of", "for" or "and": "the Bank of England",
# "the Department for Work and Pensions", "the National Association of Purchasing Management".
_BODY_HEADS = frozenset(
    """Association Authority Bank Board Bureau Chamber Commission Committee Confederation Council Department
    Federation Foundation Fund Institute Institution League Ministry Office Organisation Organization
    Society Union Agency Academy Trust""".split()
)
# Words that end a company's or a party's name, never a person's: "Acme Holdings", "Labour Party".
_COMPANY_WORDS = frozenset(
    """Group Holdings plc PLC Inc Ltd Corp Corporation Company Airways Airlines Motors Industries Systems
    Party""".split()
)
# States' and public institutions' words, and what a leak or a document calls itself.
_INSTITUTION_WORDS = frozenset(
    """Government Parliament Congress Senate Kremlin Pentagon Army Military Forces Navy Police Court
    University NATO UN EU Document Report Source Sources""".split()
)
_BODY_ENDS = _BODY_HEADS | _COMPANY_WORDS | {"House", "Consortium"}
# What only a body's name holds (``is_body``): "The" before it ("The Fire Brigades Union"),
# initials ("CML", "TUC"), a body's head word ("Bank of England"), a company's ("Acme
# Holdings plc") or an institution's ("UK Ministry of Defence", "the Kremlin", "the White
# House"), in any case. Looked up word by word: a case-insensitive alternation of them tried
# at every position costs several times as much, and ``is_body`` runs on most claimants.
_BODY_WORDS_LOWER = frozenset(word.lower() for word in _BODY_HEADS | _COMPANY_WORDS | _INSTITUTION_WORDS)
_INITIALS_RE = re.compile(r"[A-Z&]{2,}")
_WORD_RE = re.compile(r"\w+")


# A name as written: capitalised words, a body's "of", "for" and "and" between them
# ("National Association of Purchasing Management-Chicago").
NAME_PATTERN = r"[A-Z][\w&’'.-]*(?: (?:of |for |and |& )?[A-Z][\w&’'.-]*){0,7}"
# The name a sentence opens with.
_OPENING_NAME_RE = re.compile(rf"(?:The )?{NAME_PATTERN}")


def opening_name(text: str) -> str | None:
    """The capitalised words ``text`` opens with ("Rover Group", "The Bank of England"), or None."""
    opening = _OPENING_NAME_RE.match(text)
    return opening.group() if opening else None


def is_body(claimant: str) -> bool:
    """Whether a claimant is plainly an organisation by its own words; a single word
    ("Oracle") is not plain, and ``ArticleMemory.remember`` decides it by what came before."""
    if claimant.startswith("The ") or _INITIALS_RE.fullmatch(claimant):
        return True
    lowered = claimant.lower()
    return not _BODY_WORDS_LOWER.isdisjoint(_WORD_RE.findall(lowered)) or "white house" in lowered


def is_full_name(claimant: str) -> bool:
    """Whether a claimant reads as a person's full name: two words or more, and no body's
    ("Tom Reed", not "British Airways"). A single word may be either (``is_body``)."""
    return " " in claimant and not is_body(claimant)


# Sentence openers and conjunctions are capitalised but never part of a name ("But Kelly said").
_NOT_NAME_WORDS = frozenset(
    """But And So Yet Or Nor However Meanwhile Also Now Then Still Instead Indeed Earlier Later Last
    When While If Although Though Because As After Before Since During On In At By For From With""".split()
)
MAX_NAME_WORDS = 8  # a longer run of capitalised words is a title, a list or debris, not who said it


def capitalised_tail(phrase: str) -> str | None:
    """The run of capitalised words ending the phrase, titles and openers dropped.

    Walks back from the end and slices once: linear in the phrase, however long
    a run of capitalised words or initials it ends with.
    """
    words = (_TRAILING_BRACKET_RE.sub("", phrase) if phrase.endswith(")") else phrase).split()
    start = _body_start(words, _run_start(words, len(words)))
    # A title opens a person's name ("Chancellor Gordon Brown"), but is part of a body's
    # ("the Home Office", "British Retail Consortium", "the White House").
    body = bool(words) and words[-1] in _BODY_ENDS
    while len(words) - start > 1 and (words[start] in _NOT_NAME_WORDS or (words[start] in TITLE_WORDS and not body)):
        start += 1
    run = words[start:]
    if not run or len(run) > MAX_NAME_WORDS or run[0] in _NOT_NAME_WORDS:
        return None
    # "Education Secretary Charles Clarke": the name is what follows the last office,
    # when that leaves a first name and a surname ("British Retail Consortium" stays whole).
    for at in range(len(run) - 3, -1, -1):
        if run[at] in _OFFICES and run[-1] not in _NOT_SURNAMES:
            return " ".join(run[at + 1 :])
        # "Lib Dem Phil Willis": the party is their role, not their name
        if run[at] in PARTY_LABELS and is_full_name(" ".join(run[at + 1 :])):
            return " ".join(run[at + 1 :])
    return " ".join(run)


# "the Institute of Public Policy Research (IPPR)": the initials after a name are not a word of it.
_TRAILING_BRACKET_RE = re.compile(r"\s*\([^()]*\)\s*$")
_NAME_JOINS = frozenset(("of", "for", "and", "&"))


def _run_start(words: list[str], end: int) -> int:
    """Where the run of capitalised words ending at ``end`` begins."""
    start = end
    while start > 0 and words[start - 1][:1].isupper():
        start -= 1
    return start


def _body_start(words: list[str], start: int) -> int:
    """Where a body's name begins when the capitalised run at ``start`` is the end of one
    ("England" of "Bank of England"): back over "of", "for", "and" to a run holding a
    body's head word; ``start`` itself when there is none."""
    begins, at = start, start
    while at >= 2 and words[at - 1] in _NAME_JOINS and words[at - 2][:1].isupper():
        at = _run_start(words, at - 1)
        if not _BODY_HEADS.isdisjoint(words[at:begins]):
            begins = at
    return begins
