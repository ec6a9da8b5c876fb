"""``ArticleMemory``: the names an article has met so far, for the surnames, pronouns, posts
and "the company" of the sentences after."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .names import (
    PERSONAL_TITLE_RE,
    PERSONAL_TITLES,
    is_body,
    is_full_name,
    lone_subject,
    opening_name,
    people_named,
)
from .speakers import PARTY_LABELS, role_before, role_in_subject, role_of_name
from .text import Sentence, word_set

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
            opening = self.opening_body(text)
            if opening:
                self._meet_body(opening, paragraph, sentence)
                break
        self.openings.clear()

    def opening_body(self, text: str) -> str | None:
        """The organisation ``text`` opens with: a body by its name ("Rover Group is to
        cut"), or one word no one met before as the subject ("Apple has unveiled")."""
        opening = opening_name(text)
        if opening and is_body(opening):
            return opening
        lone = lone_subject(text)
        return lone if lone and lone not in self.people else None

    def _meet_body(self, body: str, paragraph: int, sentence: int) -> None:
        self.last_body = body
        self.body_paragraph, self.body_sentence = paragraph, sentence
        self.bodies.append(body)

    def body_speaker(self, described: bool = False, firm: bool = False, text: str = "") -> str | None:
        """The one-word subject the sentence ``text`` opens with ("Google handles 200 million
        searches a day, the company said"); else the last organisation that spoke or opened a
        sentence, when "it" can only mean it (named in this paragraph or the sentence
        before); when ``described`` ("the group"), wherever before; when a ``firm`` ("the
        company", "the bank"), the last that is no party, union or government, wherever
        before: a story's firm is "the firm" throughout, whoever spoke since."""
        # only a one-word subject: an acronym opening its own sentence is as often a product's
        own = lone_subject(text) if text else None
        if own and own not in self.people and not (firm and role_of_name(own)):
            return own
        if self.openings:
            self._read_openings()
        if firm:  # a union or a party is never "the company"
            return next((body for body in reversed(self.bodies) if role_of_name(body) is None), None)
        nearby = described or self._nearby(self.body_paragraph, self.body_sentence)
        return self.last_body if nearby else None

    def group_speaker(self, text: str = "") -> str | None:
        """The plural organisation the sentence ``text`` opens with ("The Lib Dems want a
        local income tax, which they say would ..."); else the organisation of the sentence
        just before, when "they" can only mean it: its name is plural ("The Conservatives
        say ... They say"). From further back "they" may be anyone ("Critics disagreed"),
        and a singular name is rarely "they"."""
        own = opening_name(text) if text else None
        if own and is_body(own) and _PLURAL_NAME_RE.search(own):
            return own
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
        for start, first, last in people_named(text):
            full = self.people.setdefault(last, f"{first} {last}")
            if full != self.last_person:
                rivals.append(start)
            role = role_before(text, start)
            end = text.index(last, start + len(first)) + len(last)  # past a middle initial too
            if role:
                self.roles.setdefault(last, role)
                self._hold_office(text[:start], full)
            elif text.startswith(", ", end):  # "Gordon Brown, the chancellor, arrived"
                self._meet_aside(text, end + 2, last)
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
