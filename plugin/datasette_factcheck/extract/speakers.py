"""Who says a claim: names that can be a claimant, and the speaker's role.

Three jobs for the annotator and the editorial priority:

- ``clean_claimant``: a pronoun, a determiner or a sentence adverb ("It", "Yet
  Britain", "However") is never stored as who makes a claim.
- ``post_speaker``: a speaker named by a post alone ("the chancellor", "a Treasury
  spokesman"), with no holder named earlier, is stored as the post.
- ``role_before`` / ``role_in``: the role that gives a speaker a stake in what
  they say (a minister, an MP, a party, a mayor, a chief executive, a union, a campaign,
  a spokesperson, a government body), found in the words before a name
  ("Chancellor Gordon Brown", "Tory leader Michael Howard") or in the claimant
  itself ("the Fire Brigades Union", "the Conservatives").

Pure regexes, run only where a name or an attribution was found.
"""

from __future__ import annotations

import re

from .text import NAME_PATTERN, SENTENCE_ADVERBS, word_set

# Words that open a sentence or stand for a noun: capitalised at the start of a
# sentence, never a name. Compared case-insensitively.
NOT_CLAIMANT_WORDS = SENTENCE_ADVERBS | word_set(
    "it its this that these those they them he she him her we us i you there here who what which",
    "but and so or nor today yesterday tomorrow last earlier later some many most others another both",
    "all each one the a an such if when while although though because as after before since during on",
    "in at by for from with according critics",
)

# People named by what they are, capitalised only because they open a sentence ("Analysts
# said", "Police said"): alone, never a claimant; the start of a name they may be ("Police
# Scotland"), so they are not stripped from one.
COMMON_SUBJECTS = frozenset(
    """analysts officials police experts economists doctors residents witnesses scientists researchers
    campaigners activists ministers sources observers investors traders shoppers voters parents teachers
    workers staff unions firms companies banks lawyers prosecutors investigators authorities rescuers
    medics officers troops soldiers locals fans students users consumers customers executives insiders
    diplomats protesters opponents supporters members commentators pollsters""".split()
)
# When, not who: a phrase's last capitalised word may be a date ("figures published in January").
# Not "May": a surname too ("Mrs May said").
_TIME_WORDS = frozenset(
    """january february march april june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday christmas easter""".split()
)
NEVER_ALONE = NOT_CLAIMANT_WORDS | COMMON_SUBJECTS | _TIME_WORDS

ROLES = (
    "minister",
    "opposition",
    "MP",
    "party",
    "mayor",
    "chief executive",
    "union",
    "campaign",
    "spokesperson",
    "government",
)

# A role written before a name, or as the head of the subject: the last one before
# the name wins ("former BA chief executive Rod Eddington": chief executive).
_ROLE_RE = re.compile(
    r"\b(?:(?P<opposition>shadow(?: [a-z]+){1,2}|opposition(?: [a-z]+)?)"
    # a party's spokesman on a subject is a frontbench politician: "Lib Dem Treasury spokesman"
    r"|(?P<party>(?:tory|conservative|lib dem|liberal democrat|labour|party|snp|ukip|republican|democratic)"
    r"(?: [a-z]+){0,2}? (?:leader|(?:co-)?chairman|spokesman|spokeswoman|candidate|challenger|nominee)|candidate)"
    r"|(?P<minister>(?:prime|foreign|home|defen[cs]e|finance|trade|health|education|culture|interior|deputy|junior"
    r"|economy|energy|environment|transport|industry|treasury|europe|agriculture)? ?ministers?|chancellor"
    r"|(?:home|foreign|defen[cs]e|education|health|culture|trade|transport|environment|treasury|work and pensions"
    r"|northern ireland|scottish|welsh|chief) secretary|secretary of state|premier|taoiseach|president"
    r"|leader of the (?:house|commons|lords)|(?:attorney|solicitor) general"
    # a European commissioner holds a portfolio as a minister does; not "police commissioner"
    r"|(?:(?:eu|european)(?: [a-z]+){0,2}|trade|competition|economic|monetary|budget|farm|agriculture|energy"
    r"|environment|justice) commissioner)"
    # A chair of a parliament's committee is a member of it, not a company's chairman.
    r"|(?P<MP>mps?|meps?|senators?|congress(?:wo)?man|lawmakers?|peers?|backbenchers?|councillors?"
    r"|(?:chair(?:man|woman)?|member) of the (?:commons|lords|house|senate|congressional|parliamentary|select)"
    r" (?:[\w-]+ ){0,4}?committee)"
    r"|(?P<mayor>mayor)"
    # a director general heads a corporation or a lobby ("BBC director general", the CBI's)
    r"|(?P<executive>chief executive|chief exec|ceo|chairman|chairwoman|boss|managing director|finance director"
    r"|director[- ]general"
    r"|chief financial officer|founder)"
    r"|(?P<union>general secretary|union leader|(?<!european )(?<!soviet )(?<!african )union)"
    r"|(?P<spokesperson>spokes(?:man|woman|person))"
    r"|(?P<campaign>campaigners?|activists?|pressure group|lobby group))\b",
    re.I,
)
_GROUP_ROLES = {"executive": "chief executive"}
# The head word of every role ("minister" in "prime minister", "executive" in "chief
# executive"): a name with none just before it, or a sentence with none, has no role.
ROLE_WORDS = frozenset(
    """shadow opposition candidate challenger nominee leader chairman minister ministers chancellor secretary premier taoiseach
    president general mayor commissioner mp mps mep meps senator senators congressman congresswoman lawmaker lawmakers peer peers
    backbencher backbenchers councillor councillors executive exec ceo chairwoman boss director officer
    founder union spokesman spokeswoman spokesperson campaigner campaigners activist activists group""".split()
)
ROLE_WINDOW = 60  # characters before a name searched for its role
_US_MEMBER_TITLES = frozenset(("Sen.", "Rep."))  # "Sen. Ken Marlow": a senator, US style
# A party written just before a name, as a politician is introduced: "Lib Dem Phil Willis",
# "Conservative Tim Yeo", "Labour's John Prescott", "Republican John McCain". Not part of
# the name, and a party role.
PARTY_LABELS = frozenset(
    """Labour Labour's Labour’s Conservative Tory Tory's Tory’s Dem Democrat Democratic Republican SNP Ukip UKIP
    Unionist Nationalist""".split()
)

# Organisations that speak with a stake, named as the claimant itself.
_ORGANISATION_RE = re.compile(
    r"(?P<party>\b(?:Labour|Conservatives?|Tor(?:y|ies)|Lib Dems?|Liberal Democrats?|Republicans?|Democrats?|SNP"
    r"|Ukip|UKIP|Plaid Cymru|Sinn Fein|[A-Z][a-z]+ Party)\b)"
    r"|(?P<union>\b(?<!European )(?<!Soviet )(?<!African )Union\b|\b(?:TUC|Unison|Amicus|RMT|GMB|NUT|NASUWT|Aslef|PCS|CWU"
    r"|FBU|TGWU|Usdaw|UCU|Teamsters|AFL-CIO|BMA|RCN|NAHT)\b"
    # the professions' unions, named in full
    r"|\b(?:British Medical Association|Royal College of Nursing|Police Federation)\b)"
    r"|(?P<government>\b(?:[Gg]overnment|Ministry|Treasury|Downing Street|No\.? 10|Number 10|White House|Kremlin|Pentagon"
    r"|Home Office|Foreign Office|Administration|Cabinet|Washington|Beijing|Moscow|Tehran)\b)"
    r"|(?P<campaign>\b(?:[Cc]ampaign|[Ll]obby|Friends of the Earth|Greenpeace|Amnesty|Liberty|[Cc]harity)\b)"
)
# Lower-case heads of a subject that speak with a stake ("the government said",
# "ministers warned", "the union claimed").
_STAKE_SUBJECT_RE = re.compile(
    r"\b(?:the (?P<government>government|ministry|administration|treasury)|(?P<minister>ministers)"
    r"|the (?P<party>party|opposition)|(?P<union>unions?)|(?P<campaign>campaigners|activists))\b"  # "teaching unions"
)


def clean_claimant(name: str | None) -> str | None:
    """``name`` without the sentence openers before it; None when what is left is a
    pronoun, a determiner or an adverb ("It", "However"), not who says something."""
    if not name:
        return None
    words = name.split()
    # "The" stays: it begins names ("The Times", "The Fire Brigades Union").
    while len(words) > 1 and words[0] != "The" and words[0].lower().strip("’'") in NOT_CLAIMANT_WORDS:
        words.pop(0)
    if not words or (len(words) == 1 and words[0].lower() in NEVER_ALONE):
        return None
    return " ".join(words)


def _group_role(match: re.Match) -> str:
    group = match.lastgroup or ""
    if group == "minister" and _company_president(match):
        return "chief executive"
    if group == "minister" and (body := _presided_body(match)) is not None:
        return role_of_name(body)
    if group == "spokesperson" and _government_spokesperson(match):
        return "government"
    return _GROUP_ROLES.get(group, group)


def _government_spokesperson(match: re.Match) -> bool:
    """Whether the spokesman matched speaks for a government ("a Treasury spokesman", "the
    Downing Street spokeswoman"), by the words just before: as a party's speaks for the party."""
    before = match.string[max(0, match.start() - ROLE_WINDOW) : match.start()]
    named = [found for found in _ORGANISATION_RE.finditer(before) if found.lastgroup == "government"]
    rest = before[named[-1].end() :] if named else None  # "Office" of "Cabinet Office"
    return rest is not None and (not rest.strip() or _only_names(rest))


# What a president written after a capitalised word presides over: a state ("US President",
# "Iraqi president", "Zimbabwe President"), a union of states ("Commission president"), or
# else a company or a club ("Microsoft president Brad Smith", "Fifa president").
_STATES = frozenset(
    """US USA UK EU UN Vice Former Deputy Acting Interim Commission Council Parliament Assembly Senate Republic
    Afghanistan Algeria Argentina Armenia Azerbaijan Belarus Bolivia Brazil Bulgaria Chile China Colombia Congo
    Croatia Cuba Cyprus Ecuador Egypt Estonia Finland France Georgia Germany Ghana Greece Guinea Haiti Hungary
    Iceland India Indonesia Iran Iraq Ireland Israel Italy Kazakhstan Kenya Korea Kyrgyzstan Latvia Lebanon Liberia
    Libya Lithuania Macedonia Mexico Moldova Mozambique Nigeria Pakistan Peru Philippines Poland Portugal Romania
    Russia Rwanda Senegal Serbia Slovakia Slovenia Somalia Sudan Syria Taiwan Tajikistan Tanzania Tunisia Turkey
    Turkmenistan Uganda Ukraine Uruguay Uzbekistan Venezuela Yemen Zambia Zimbabwe Greek Swiss Thai Czech Dutch
    French""".split()
)
# Words of _STATES that are a body of a state or of a union of states, as the last word of
# what a president presides over; as a first word they may open a trade body's name
# ("the Council of Mortgage Lenders").
_STATE_BODIES = frozenset("Commission Council Parliament Assembly Senate Republic".split())
_DEMONYM_ENDINGS = ("an", "ese", "ish", "i")  # American, Chinese, British, Iraqi
_COMPANY_POSTS = frozenset(("club", "company", "firm", "bank", "group"))


def _company_president(match: re.Match) -> bool:
    """Whether the "president" matched heads a company or a club, by the word before it."""
    if match.group().lower() != "president":
        return False
    before = match.string[max(0, match.start() - ROLE_WINDOW) : match.start()].split()
    word = before[-1] if before else ""
    if word in _COMPANY_POSTS:
        return True
    # not a sentence's opening word: "The president said", "If President Vance said"
    if word.lower() in NOT_CLAIMANT_WORDS:
        return False
    return word[:1].isupper() and word.isalpha() and word not in _STATES and not word.endswith(_DEMONYM_ENDINGS)


# "president of the Association of Chief Police Officers", "president of the CBI": the head
# of a body, who speaks with the body's stake (a union's, or none written), not a head of state.
_PRESIDED_RE = re.compile(rf" of (?:the )?(?P<body>{NAME_PATTERN})")
# A firm's department: "vice-president of research at analysts Gartner", "president of sales".
_DEPARTMENT_RE = re.compile(r" of (?!the\b)[a-z]")


def _presided_body(match: re.Match) -> str | None:
    """The body a "president of ..." presides over, "" for a firm's department ("vice-president
    of research"), or None for a state ("president of France", "President of the United
    States", "president of the European Commission")."""
    if match.group().lower() != "president":
        return None
    if _DEPARTMENT_RE.match(match.string, match.end()):
        return ""
    body = _PRESIDED_RE.match(match.string, match.end())
    if body is None:
        return None
    name = body.group("body").rstrip(".")  # "..., said Jacques Chirac, president of France."
    words = name.split()
    # a state's own name first, or a union of states' body last ("the European Commission")
    first_is_state = words[0] in _STATES and words[0] not in _STATE_BODIES
    if first_is_state or words[-1] in _STATE_BODIES or words[0] == "United":
        return None
    return name


def role_before(text: str, start: int) -> str | None:
    """The role written just before a name at ``start`` ("Chancellor Gordon Brown",
    "BA chief executive Rod Eddington"), or None."""
    before = text[max(0, start - ROLE_WINDOW) : start].rstrip(" ,")
    last_word = before[before.rfind(" ") + 1 :]
    if last_word in PARTY_LABELS:
        return "party"
    if last_word in _US_MEMBER_TITLES:
        return "MP"
    if last_word.lower() not in ROLE_WORDS:  # most names: no regex
        return None
    window = text[max(0, start - ROLE_WINDOW) : start]
    matches = list(_ROLE_RE.finditer(window))
    found = matches[-1] if matches else None  # the last one is the nearest to the name
    if found is None or window[found.end() :].strip(" ,") and not _only_names(window[found.end() :]):
        return _post_of_organisation(before)
    return _group_role(found)


# A post named after its organisation ("Amicus national secretary", "Labour deputy leader"):
# the organisation's role, when it has one.
_ORGANISATION_POST_RE = re.compile(
    r"\b(?P<organisation>[A-Z][\w&’'-]*(?: [A-Z][\w&’'-]*){0,3}) (?:[a-z-]+ ){0,2}"
    r"(?:secretary|leader|president|chairman|chairwoman|spokesman|spokeswoman|spokesperson)$"
)


def _post_of_organisation(before: str) -> str | None:
    post = _ORGANISATION_POST_RE.search(before)
    return role_of_name(post.group("organisation")) if post else None


def _only_names(text: str) -> bool:
    """Capitalised words only ("BA", "Tesco's"): what stands between a role and a name."""
    words = text.replace(",", " ").split()
    return len(words) <= 3 and all(word[:1].isupper() for word in words)


# Words of the organisations and subjects below, lower-cased: the scorer runs their
# regexes only on a sentence that has one.
STAKE_WORDS = ROLE_WORDS | frozenset(
    """labour conservative conservatives tory tories dem dems democrats democrat republican republicans snp
    ukip plaid sinn party tuc unison amicus rmt gmb nut nasuwt aslef pcs cwu fbu tgwu usdaw ucu teamsters afl
    bma rcn naht medical nursing federation
    government ministry treasury downing kremlin pentagon administration cabinet washington beijing moscow tehran
    campaign lobby greenpeace amnesty charity unions""".split()
)


def role_of_name(name: str) -> str | None:
    """The role a claimant's own words give it ("the Fire Brigades Union": union,
    "Education Secretary Charles Clarke": minister), or None."""
    organisation = _ORGANISATION_RE.search(name)
    if organisation:
        return organisation.lastgroup
    titled = _ROLE_RE.search(name)
    return _group_role(titled) if titled else None


# The head word of a post one person holds: a speaker named by it alone ("the chancellor",
# "a Treasury spokesman") is stored as written, and "he" or "she" after may be them. Not a
# body ("the government") or a group ("ministers"), which speak as "it" and "they".
POST_HEADS = word_set(
    "minister chancellor secretary premier taoiseach president mayor commissioner mp mep senator congressman",
    "congresswoman lawmaker peer backbencher councillor executive ceo chairman chairwoman boss director officer",
    "founder spokesman spokeswoman spokesperson leader candidate general",
)
_POSSESSIVE_OPENERS = word_set("its his her their our my your")
_POST_OPENERS = word_set("the a an")
_WHEN_OPENERS = NOT_CLAIMANT_WORDS - _POST_OPENERS - _POSSESSIVE_OPENERS  # "Yesterday", "However"
MAX_POST_WORDS = 6  # "the prime minister's official spokesman"; a longer subject is a clause


def post_speaker(phrase: str) -> str | None:
    """A speaker named only by a post one person holds ("the chancellor", "Treasury
    spokesman", "the prime minister's official spokesman"), capitalised as a claimant
    opens, or None. Whose post "its chief executive" is, the phrase does not say: None."""
    words = phrase.split()
    while len(words) > 1 and words[0].lower() in _WHEN_OPENERS:
        words.pop(0)  # "Yesterday the chancellor": when, not who
    if not 2 <= len(words) <= MAX_POST_WORDS or words[-1].lower() not in POST_HEADS:
        return None
    if words[0].lower() in _POSSESSIVE_OPENERS or role_in_subject(phrase) is None:
        return None
    post = " ".join(words)
    return post[0].upper() + post[1:]


def role_in_subject(subject: str) -> str | None:
    """The role of a subject written without a name ("the government said",
    "Labour's shadow chancellor said", "union leaders claimed"), or None."""
    titled = _ROLE_RE.search(subject)
    if titled:
        return _group_role(titled)
    organisation = _ORGANISATION_RE.search(subject) or _STAKE_SUBJECT_RE.search(subject)
    return organisation.lastgroup if organisation else None
