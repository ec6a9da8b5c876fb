"""Names in news prose: where a person's or a body's name begins and ends ("Education
Secretary Charles Clarke" is "Charles Clarke", "the Bank of England" stays whole), whom a
sentence names, and whether a claimant reads as a person or a body. What an article has met
so far is ``memory.ArticleMemory``'s."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .speakers import NEVER_ALONE, NOT_CLAIMANT_WORDS, PARTY_LABELS
from .text import NAME_PATTERN

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
    Broadcaster Publisher Lender Carrier Operator Firm Rival""".split()
)


# The first name is consumed and the surname only looked at, so overlapping pairs are
# all seen: "Secretary John Healey" gives "Secretary John" (dropped: a title) and "John
# Healey". The capital comes before its lookbehind: a pattern that begins with a
# character class lets the regex engine skip to the next capital in C, where a leading
# lookahead is tried at every character (twice the cost).
# A middle initial may stand between ("George W Bush", "Michael J. Fox").
FULL_NAME_RE = re.compile(r"([A-Z](?<![\w’'][A-Z])[a-z]+) (?=(?:[A-Z]\.? )?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b)")
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
    Spokesman Spokeswoman MP Chairman Chairwoman Director Executive""".split()
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


# Titles that are surnames too: "Justin King said", "Mervyn King"; a title when a name
# follows ("Saudi King Fahd").
_ALSO_SURNAMES = frozenset(("King", "Judge"))
_CAPITAL_NEXT_RE = re.compile(r" [A-Z]")


def people_named(text: str) -> Iterator[tuple[int, str, str]]:
    """(where, first name, surname) of each "Firstname Lastname" the text names a person
    by: not a title ("Secretary John"), a place or a body ("Downing Street"), or part of a
    longer name ("Bank Holiday Monday")."""
    for match in FULL_NAME_RE.finditer(text):
        first, last = match.groups()
        if first in TITLE_WORDS or first in _NOT_FIRST_NAMES or last in _NOT_SURNAMES:
            continue
        if last in TITLE_WORDS and (last not in _ALSO_SURNAMES or _CAPITAL_NEXT_RE.match(text, match.end(2))):
            continue
        if not _inside_longer_name(text, match.start(), match.end(2)):
            yield match.start(), first, last


# Titles only a person bears: "Mr Smith" is someone "he" may name, never "it".
PERSONAL_TITLES = "Mr Mrs Ms Miss Dr Sir Lord Lady Prof Professor".split()
PERSONAL_TITLE_RE = re.compile(rf"\b(?P<title>{'|'.join(PERSONAL_TITLES)})\b\.? (?P<surname>[A-Z][\w’'-]*)")


# The head word of a body whose name goes on after "of", "for" or "and": "the Bank of England",
# "the Department for Work and Pensions", "the National Association of Purchasing Management".
_BODY_HEADS = frozenset(
    """Association Authority Bank Board Bureau Chamber Commission Committee Confederation Council Department
    Federation Foundation Fund Institute Institution League Ministry Office Organisation Organization
    Society Union Agency Academy Trust""".split()
)
# Words that end a company's or a party's name, never a person's: "Acme Holdings", "Labour Party".
_COMPANY_WORDS = frozenset(
    """Group Holdings plc PLC Plc Inc Ltd Corp Corporation Co LLC Company Airways Airlines Motors Industries
    Systems Party""".split()
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
# A word of three capitals or more is no person's ("Lloyds TSB"; "JK Rowling" is one).
_INITIALS_WORD_RE = re.compile(r"\b[A-Z]{3,}\b")
_WORD_RE = re.compile(r"\w+")


# The name a sentence opens with.
_OPENING_NAME_RE = re.compile(rf"(?:The )?{NAME_PATTERN}")


def opening_name(text: str) -> str | None:
    """The capitalised words ``text`` opens with ("Rover Group", "The Bank of England"), or None."""
    opening = _OPENING_NAME_RE.match(text)
    return opening.group() if opening else None


# What a sentence opening with one word says of it as the subject of its verb: "Google
# handles", "Apple has unveiled", "Microsoft, which is launching ...,". Present tenses only
# from a list: most words ending in "s" after a capital are a plural ("Passenger numbers").
_LONE_SUBJECT_RE = re.compile(
    r"([A-Z][a-z][\w&-]*)(?:,| (?:has|had|is|was|will|would|could|can|may|said|says|[a-z]+ed"
    r"|plans|expects|wants|hopes|employs|owns|makes|sells|controls|handles|runs|operates|supplies|serves)\b)"
)
# What a sentence opens with that is measured, not a company: "Profit rose 5%, the firm said".
_MEASURES = frozenset(
    """sales profit profits revenue revenues turnover earnings losses shares output demand growth trading
    spending investment inflation unemployment borrowing debt income production prices costs trade
    business exports imports figures data traffic advertising lending employment attendance membership
    capacity productivity occupancy footfall volume volumes usage circulation readership audience
    bookings orders subscriptions""".split()
)


def lone_subject(text: str) -> str | None:
    """The single word ``text`` opens with as the subject of its verb, when it may be a
    company ("Google handles 200 million searches a day"): not an opener, a pronoun, people
    named by what they are ("Analysts"), a time or a measure ("Profit rose"). Whether it is
    someone met before is the caller's to ask."""
    subject = _LONE_SUBJECT_RE.match(text)
    if subject is None:
        return None
    word = subject.group(1)
    lowered = word.lower()
    if lowered in NEVER_ALONE or lowered in _MEASURES or word in _NOT_NAME_WORDS:
        return None
    return word


# The prime minister's office, named by its door: "No 10 said".
_NUMBER_TEN_RE = re.compile(r"\b(?:No\.?|Number) 10$")


def is_body(claimant: str) -> bool:
    """Whether a claimant is plainly an organisation by its own words; a single word
    ("Oracle") is not plain, and ``ArticleMemory.remember`` decides it by what came before."""
    if claimant.startswith("The ") or _INITIALS_RE.fullmatch(claimant) or _NUMBER_TEN_RE.match(claimant):
        return True
    lowered = claimant.lower()
    return not _BODY_WORDS_LOWER.isdisjoint(_WORD_RE.findall(lowered)) or "white house" in lowered


def is_full_name(claimant: str) -> bool:
    """Whether a claimant reads as a person's full name: two words or more, no body's
    ("Tom Reed", not "British Airways") and no word of three capitals ("Lloyds TSB"; "JK
    Rowling" is a person). A single word may be either (``is_body``). Most names are
    title-cased, which istitle() says in C before any search."""
    if " " not in claimant or is_body(claimant):
        return False
    return claimant.istitle() or not _INITIALS_WORD_RE.search(claimant)


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
    number_ten = _NUMBER_TEN_RE.search(phrase) if phrase.endswith("10") else None
    if number_ten:  # the prime minister's office
        return number_ten.group()
    words = (_TRAILING_BRACKET_RE.sub("", phrase) if phrase.endswith(")") else phrase).split()
    if words and words[-1] in _LOWER_CASE_HEADS and len(words) > 1 and words[-2][:1].isupper():
        # "the Public and Commercial Services union", "the Scottish National party": a
        # body's name written with its head word in lower case, as many papers do
        if not words[-2].endswith(_POSSESSIVES):  # "Mr Kennedy's party" names no party
            words[-1] = words[-1].capitalize()
    # A title opens a person's name ("Chancellor Gordon Brown"), but is part of a body's
    # ("the Home Office", "British Retail Consortium", "the White House").
    body = bool(words) and words[-1] in _BODY_ENDS
    start = _body_start(words, _run_start(words, len(words)), body)
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
        # "Lib Dem Phil Willis": the party is their role, not their name; and whose they are
        # is no part of it ("Plaid Cymru's Elfyn Llwyd", "Tesco's Terry Leahy")
        if (run[at] in PARTY_LABELS or run[at].endswith(_POSSESSIVES)) and is_full_name(" ".join(run[at + 1 :])):
            return " ".join(run[at + 1 :])
    return " ".join(run)


_POSSESSIVES = ("'s", "’s")
_LOWER_CASE_HEADS = frozenset(("union", "party"))
# "the Institute of Public Policy Research (IPPR)": the initials after a name are not a word of it.
_TRAILING_BRACKET_RE = re.compile(r"\s*\([^()]*\)\s*$")
_NAME_JOINS = frozenset(("of", "for", "and", "&"))


def _run_start(words: list[str], end: int) -> int:
    """Where the run of capitalised words ending at ``end`` begins."""
    start = end
    while start > 0 and words[start - 1][:1].isupper():
        start -= 1
    return start


def _body_start(words: list[str], start: int, headed: bool) -> int:
    """Where a body's name begins when the capitalised run at ``start`` is the end of one
    ("England" of "Bank of England"): back over "of", "for", "and" to a run holding a
    body's head word, or to the first run when the name ends with one ("Transport and
    General Workers Union", ``headed``); ``start`` itself when there is none."""
    begins, at = start, start
    while at >= 2 and words[at - 1] in _NAME_JOINS and words[at - 2][:1].isupper():
        at = _run_start(words, at - 1)
        if headed or not _BODY_HEADS.isdisjoint(words[at:begins]):
            begins = at
    return begins
