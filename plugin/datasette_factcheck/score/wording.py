"""Contestable wording: what in a claim's words a fact-checker would test, in the desk's words.

``contestable`` names it: a comparison over time, with others or with forecasts, a record,
a cause, a promise, a policy change, a contested claim, a denial, an accusation. Each
label is a regex run only when one of its trigger words is in the sentence: the loader
scores every sentence, and most have none. ``editorial.priority`` reads the labels.
"""

from __future__ import annotations

from ..extract.claims import Claim
from ..extract.text import ASIDE_WORDS, Caseless, Sentence, without_asides, word_set

# A verb of pressure in any tense: "drives", "pushed", "forcing", "drove".
_PRESSING = r"(?:(?:driv|push|forc)(?:e|es|ed|ing)|drove)"
# What makes a record with "since", "ever" or "for a decade": "the shortest since records
# began", "the fastest for ten years".
_SUPERLATIVE_WORDS = (
    "highest lowest biggest largest smallest worst best shortest longest fastest slowest strongest weakest"
    " cheapest greatest sharpest steepest fewest"
)
# What follows "more than" when it bounds a number rather than compares: "more than 300
# million copies", "less than half", "fewer than a dozen".
_BOUND_NUMBER = (
    r"(?:[£$€]?\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|half|a (?:third|quarter|half|dozen|fifth|tenth|hundred"
    r"|thousand|million|billion))\b|dozens|hundreds|thousands|millions|billions|double|twice|treble|triple)"
)
# A figure read against what the market forecast: "than (economists had) expected", "beating
# City forecasts". Also ``editorial.routine_release``'s, for a department's or a firm's figures.
FORECAST = r"(?:expected|forecast|predicted|anticipated)\b"
AGAINST_FORECASTS = (
    r"\b(?:beat|beaten|beating|beats|missed|missing|ahead of|short of|in line with) (?:[\w’'-]+ ){0,2}?"
    r"(?:forecasts?|expectations)\b"
)
_SUPERLATIVE = "(?:" + "|".join(_SUPERLATIVE_WORDS.split()) + ")"

# (desk's words, trigger words, regex): the regex runs only when a trigger word is there.
_CONTESTABLE: tuple[tuple[str, frozenset[str], Caseless], ...] = (
    (
        "a comparison over time",
        word_set(
            "rose risen fell fallen increased decreased declined grew grown soared plunged slumped jumped dropped",
            "climbed doubled tripled trebled halved up down compared since year than",  # year-on-year
            "improved worsened deteriorated worse",  # "waiting times have got worse since 1997"
        ),
        Caseless(
            r"\b(?:rose|risen|fell|fallen|increased|decreased|declined|grew|grown|soared|plunged|slumped|jumped"
            r"|dropped|climbed|doubled|tripled|trebled|halved|improved|worsened|deteriorated|(?:up|down) (?:from|on)"
            r"|compared (?:with|to)"
            r"|year-on-year|since (?:19|20)\d\d|than (?:last|a year|the previous|in (?:19|20)\d\d)"
            r"|(?:got|grown|become|became|getting) worse|(?:worse|better) since)\b"
        ),
    ),
    (
        "a comparison with others",
        word_set(
            "than twice outstripped outpaced overtook overtaken behind share",
            # "the PSP would outsell the Nintendo DS", "outnumbered", "outperforms"
            "outsell outsells outsold outselling outperform outperforms outperformed outnumber outnumbers",
            "outnumbered outspend outspent",
        ),
        Caseless(
            # "more jobs than any administration", "fewer beds than in 2010", "higher than in
            # France"; not a number's bound ("more than 10 million iPods", "less than half"),
            # nor the market's forecast ("fell more than expected": a figure of record's framing)
            r"\b(?:more|less|fewer|higher|lower|bigger|smaller|larger|faster|slower|cheaper|better|worse)"
            rf" (?:[\w-]+ ){{0,2}}?than\b(?! {_BOUND_NUMBER}| (?:[\w-]+ ){{0,2}}?{FORECAST})"
            r"|\btwice as\b|\bthan any\b|\b(?:outstripped|outpaced|overtook|overtaken|lagging behind)\b"
            r"|\bout(?:sell|sells|sold|selling|perform|performs|performed|number|numbers|numbered|spend|spent)\b"
            r"|\b(?:gain(?:ed|ing|s)?|los(?:t|ing|es)|won|increased|grew) (?:[\w-]+ )?(?:market )?share\b"
        ),
    ),
    (
        # A multiple of another's ("twice the cost of a normal school"): apart from the
        # pattern above, so that the common words it needs run only this small one.
        "a comparison with others",
        word_set(
            "twice times half any most least biggest largest best worst highest lowest fastest slowest cheapest",
        ),
        Caseless(
            r"\b(?:twice|(?:three|four|five|ten) times) (?:as|the)\b|\bhalf as\b"
            # a superlative among others: "the fastest growth of any operator", "the most
            # competitive market in the G7", "the biggest airline in Europe"
            r"|\b[a-z]+est (?:[\w-]+ ){0,3}?of any\b"
            r"|\bthe (?:(?:most|least) [a-z-]+|[a-z]+est|worst) (?:[a-z-]+ ){0,2}(?:in|of|among)"
            r" (?:the )?(?:world|europe|g7|g8|eu|oecd|country|industry|uk|us|britain|west|developed world"
            r"|(?:north |latin |south )?america|asia|africa|region|sector|market)\b"
        ),
    ),
    (
        # A figure read against what was forecast: a minister's "growth beat forecasts" is his
        # claim; a department's or a firm's "fell more than expected" is its release (the
        # publisher's framing of data against the market's forecasts, ``routine_release``).
        "a comparison with forecasts",
        word_set("expected forecast forecasts expectations predicted anticipated"),
        Caseless(rf"\bthan (?:[\w’'-]+ ){{0,3}}?{FORECAST}|{AGAINST_FORECASTS}"),
    ),
    (
        "a record",
        word_set("record first unprecedented time ever", _SUPERLATIVE_WORDS),  # all-time
        Caseless(
            # not a track record ("his record on the economy", "Labour's record", "a criminal
            # record") nor the music trade ("a record label"); "its record profits" is one
            # (the "r" before the lookbehinds: a pattern opening with a letter is skipped to in C)
            r"\br(?<!'s r)(?<!’s r)(?<!track r)(?<!criminal r)(?<!his r)(?<!her r)(?<!its r)(?<!our r)(?<!my r)"
            r"(?<!their r)ecord\b(?! (?:labels?|compan(?:y|ies)|deal|shop|store|collection|player|industry|producer)\b)"
            r"|\b(?:his|her|its|our|my|their) record (?!(?:on|of|as|in|is|was|has|and|for|at|over|since)\b)[a-z]+"
            rf"|\b{_SUPERLATIVE} (?:[\w-]+ ){{0,2}}?"
            # "the lowest for three years", "the biggest for a decade", "the highest for 15"
            r"(?:since|ever|on record|for \d+"
            r"|for (?:a|an|two|three|four|five|six|seven|eight|nine|ten|twenty|several|many)"
            r" (?:years?|months?|decades?|quarters?|generations?)\b)"
            rf"|\b{_SUPERLATIVE} (?:[\w-]+ ){{0,3}}?in (?:our |its |their )?history\b"
            rf"|\b{_SUPERLATIVE} (?:[\w-]+ ){{0,3}}?in (?:a generation|decades"
            r"|(?:\d+|[a-z]+) years)\b|\bthan at any (?:other )?time\b|\bthan ever(?: before)?\b"
            r"|\bfirst time\b|\ball-time\b|\bunprecedented\b"
            # "his firm had been the first to offer flat-rate roaming", "the first country to ban"
            r"|\bthe first (?:[\w-]+ ){0,2}?to (?:offer|launch|introduce|ban|cut|abolish|scrap|sell|provide|deliver"
            r"|reach|achieve|adopt|legalise|legalize)\b"
        ),
    ),
    (
        "a cause",
        word_set(
            "because due result caused causing led thanks blame blames blamed blaming responsible fuelled driven",
            # not "force" or "forces": in news mostly nouns ("armed forces"), and each trigger runs the regex
            "drive drives driving drove push pushes pushing pushed forcing forced",
        ),
        Caseless(
            r"\b(?:because|due to|as a result of|caused|causing|led to|thanks to|blame[sd]? (?:[\w'-]+ ){1,6}?on|blamed"
            r"|blaming (?:[\w'-]+ ){1,6}?(?:on|for)"
            # not a duty: "councils will be responsible for enforcing it"
            r"|responsible for(?! (?:enforcing|running|managing|overseeing|collecting|setting|delivering"
            r"|providing|maintaining|regulating|paying|funding)\b)|fuelled by"
            r"|driven by)\b"
            # what a policy or a firm does to prices or to others: "pushing up bills",
            # "driving airlines out of Britain", "forced thousands of firms out of business"
            rf"|\b{_PRESSING} (?:up|down) (?:the )?(?:[\w'-]+ )?"
            r"(?:prices?|costs?|bills?|rents?|inflation|rates?|wages?|demand|fares?)\b"
            rf"|\b{_PRESSING} (?:[\w'-]+ ){{1,3}}?out of \w+"
        ),
    ),
    (
        "a promise",
        word_set("pledge pledged pledges promise promised promises promising vowed vow guarantee guaranteed target"),
        Caseless(r"\b(?:pledge[sd]?|promis(?:e[sd]?|ing)|vow(?:ed|s)?|guarantee[sd]?|target)\b"),
    ),
    (
        # A commitment with a deadline is a promise, whatever the verb: "every secondary
        # school would have broadband by 2006", "we will halve child poverty by 2010".
        "a promise",
        word_set("by"),
        Caseless(r"\b(?:will|would|shall) (?:[\w’'-]+ ){1,8}?by (?:the end of )?(?:19|20)\d\d\b"),
    ),
    (
        # What a government, a party or a firm cuts, raises or scraps: what its rivals
        # and the people it touches contest ("ministers were planning to cut pensions").
        "a policy change",
        word_set(
            "cut cuts cutting slash slashed slashing scrap scrapped scrapping axe axed abolish abolished raise raising"
        ),
        Caseless(
            r"(?<!-)\b(?:cut(?:s|ting)?|slash(?:ed|ing)?|scrap(?:ped|ping)?|ax(?:e|ed)|abolish(?:ed|ing)?)"
            r" (?!short\b|off\b|(?:the |a )?ribbon\b)(?:[\w'-]+ ){0,3}?"
            r"(?:\w+s|tax\w*|spending|funding|pay|budget|rates?|scheme|plan|programme|service|aid|duty|vat|fees?)\b"
            r"|\brais(?:e|ing) (?:the )?(?:[\w'-]+ ){0,2}?(?:tax(?:es)?|rates?|prices?|fees?|duty|vat|charges?)\b"
        ),
    ),
    (
        # Apart from the pattern above for the same reason: "tax" and "spending" are common.
        "a policy change",
        word_set("tax spending job"),  # "tax rises", "spending cuts", "job cuts"
        Caseless(r"\b(?:tax|spending|job) (?:rises?|cuts?|increases?|hikes?|freeze)\b"),
    ),
    (
        # The writer's distance: "claimed", "insists" report what the paper does not vouch for.
        # A reported clause must follow ("claimed all four were"), not a prize ("claimed the title").
        "a contested claim",
        # "claim" itself after a plural subject: "The Tories claim waiting times have got worse"
        word_set("claimed claims claiming insisted insists insisting maintained maintains claim insist maintain"),
        Caseless(
            # not the noun: "asylum claims had fallen", "insurance claims rose"
            r"(?:\b(?:claim(?:ed|ing)|c(?<!asylum c)(?<!insurance c)(?<!benefit c)(?<!jobless c)(?<!expenses c)"
            r"(?<!compensation c)(?<!damages c)(?<!injury c)(?<!unemployment c)(?<!pay c)laims"
            r"|insist(?:ed|s|ing)|maintain(?:ed|s))|(?:\bthey|\bwe|s) (?:claim|insist|maintain))"
            r" (?:that )?(?:[\w'-]+ ){0,4}?(?:was|were|is|are|had|has|have|would|will|could|did)\b"
        ),
    ),
    (
        # A denial, or a rebuttal of another's figures ("had been grossly exaggerated").
        "a denial",
        # "the Tories' sums do not add up", "a £35bn black hole": a rival's figures disputed
        word_set("denied denies deny denying exaggerated exaggerating overstated add hole"),
        Caseless(
            r"\bden(?:ied|ies|y|ying)\b|\b(?:exaggerat(?:ed|ing)|overstated)\b"
            r"|\b(?:do|does|did|would)(?: not|n't) add up\b|[£$€]\d[\d.,]*(?:bn|m|billion|million)? black hole\b"
        ),
    ),
    (
        "an accusation",
        word_set(
            "accused accusing accusation accusations alleged allegation allegations misled misleading lied lying",
            "fraud wrongdoing corrupt corruption breach breached illegal illegally cover smear fabricated",  # cover-up
            "massaging fiddled fiddling rigged rigging",  # what is done to figures
            "profiteering gouging overcharging overcharged overcharge",  # what is done to customers
            "wasted squandered",  # what is done to public money: "wasted £2bn on consultants"
        ),
        Caseless(
            r"\b(?:accus(?:ed|ing|ations?)|alleg(?:ed|ations?)|misled|misleading|lied|lying|fraud|wrongdoing"
            r"|corrupt(?:ion)?|breach(?:ed)?|illegal(?! to\b)(?:ly)?|cover-up|smear|fabricated|massaging|fiddl(?:ed|ing)|rigg(?:ed|ing)"
            r"|profiteering|price gouging|overcharg(?:ing|ed|e))\b"
            r"|\b(?:wasted|squandered) (?:[\w'-]+ ){0,3}?(?:[£$€]|\d|(?:millions|billions) of\b)"
        ),
    ),
)


# A number bounded ("no one waits more than six months", "fewer than a dozen", "less than
# half"): a figure to check however it is written, where the features see a vague word.
_BOUNDED_RE = Caseless(rf"\b(?:more|less|fewer) than {_BOUND_NUMBER}")
_BOUND_WORDS = word_set("more less fewer")


def bounded_number(claim: Claim) -> bool:
    """Whether the claim bounds a number ("more than six months"): a figure, for the tiers."""
    sentence = claim.sentence or Sentence(claim.text)
    words = sentence.words
    return "than" in words and not words.isdisjoint(_BOUND_WORDS) and _BOUNDED_RE.search(sentence.text) is not None


CONTESTABLE_WORDS = frozenset().union(*(triggers for _, triggers, _ in _CONTESTABLE))
# Each trigger word's patterns, in the table's order: a sentence has one or two trigger
# words, and looking up their patterns costs less than testing every label's triggers.
_PATTERNS_OF_WORD: dict[str, tuple[int, ...]] = {
    word: tuple(index for index, (_, triggers, _) in enumerate(_CONTESTABLE) if word in triggers)
    for word in CONTESTABLE_WORDS
}


def contestable(claim: Claim) -> list[str]:
    """What in the wording a fact-checker would test, in the desk's words
    ("a comparison over time", "a record", "an accusation"), in a fixed order."""
    sentence = claim.sentence or Sentence(claim.text)
    hits = CONTESTABLE_WORDS.intersection(sentence.words)  # most sentences: one or none
    if not hits:
        return []
    text = sentence.text
    if not sentence.words.isdisjoint(ASIDE_WORDS):  # what an aside says of someone is no claim
        text = without_asides(text)
    if len(hits) == 1:
        indices = _PATTERNS_OF_WORD[next(iter(hits))]
    else:
        indices = sorted({index for word in hits for index in _PATTERNS_OF_WORD[word]})
    found: list[str] = []
    for index in indices:
        label, _, pattern = _CONTESTABLE[index]
        if label not in found and pattern.search(text):
            found.append(label)
    return found
