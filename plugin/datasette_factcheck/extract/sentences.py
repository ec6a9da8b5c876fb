"""Split English news prose into sentences.

One compiled regex finds every *candidate* boundary: a run of terminal
punctuation (``.``, ``?``, ``!``, ``...``, ``…``), any closing quotes or
brackets, horizontal whitespace and a lookahead at the next token.  Periods
inside a token (``3.5``, ``$1.2bn``, ``example.com/a.b``, ``U.S.``) are never
candidates because no whitespace follows them.  Every newline is a hard
boundary, matched by the same regex.

Each candidate is then accepted or rejected by a few cheap string checks:
the case of the next word, and the word before the period looked up in small
frozensets of abbreviations.  Work per candidate is constant, so the cost is
one C-level regex scan of the text plus a little Python per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["sentence_spans", "split_sentences"]

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"

_CANDIDATE = re.compile(
    # The leading lookahead fails fast where no candidate starts (about 40% faster
    # than the bare alternation); ``_candidates`` only tries it where one does.
    r"(?=[.?!…\n])"
    r"(?:(?P<nl>\n\s*)"  # every newline is a hard boundary; swallow blank lines
    r"|(?P<punct>[.?!…]+)"
    r"(?P<close>[\"'”’»)\]}]*)"  # closing quotes/brackets stay with the sentence
    r"[^\S\n]+"  # horizontal whitespace only: a newline is matched above
    # The next token, and a lower-case word after it, looked at but not
    # consumed: the next token may itself end in a candidate ("J. R. R.").
    r"(?=(?P<next>\S+)(?:[^\S\n]+(?P<after>[a-z]+))?))"
)

# An initial or dotted initialism such as "J", "U.S", "J.R.R" or "a.m" (final
# period excluded).  A lone lower-case letter is more likely a word.
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
# A URL after a sentence ("...President Putin. pic.twitter.com/x") is not
# the lower-case word that would continue the sentence.
_URL = re.compile(r"https?:|www\.|[a-z][\w-]*(?:\.[\w-]+)+/")
# The part of the word before a period that names it: "D-Mass" -> "Mass",
# "ex-Gov" -> "Gov" (opening quotes and brackets are stripped afterwards).
_KEY_TAIL = re.compile(r"[^-–—/]*$")

# Titles before a name: never end a sentence ("Sen. Elizabeth Warren").
_TITLES = frozenset(
    "Mr Mrs Ms Messrs Mme Mlle Dr Prof Gen Gens Col Lt Sgt Cpl Pvt Capt Cmdr "
    "Adm Maj Brig Rep Reps Sen Sens Gov Atty Supt Det Insp Rev Fr Hon Rt Pres "
    "Amb Sec St Ste Mt Ft".split()
)
# Lower-case abbreviations that are always followed by more of the sentence.
_NEVER_FINAL = frozenset("e.g i.e cf vs v viz approx ca incl esp".split())
# Abbreviations that introduce a number: "No. 10", "pp. 4-5".  Only a number
# keeps them attached, so an interjection ("No. I won't.") still splits.
_NUMBER_PREFIXES = frozenset("No Nos Vol Fig Ch Art p pp para".split())
# Dates: "Wed. Oct. 4", "Sept. 11".  Attached to a number or another date.
_DATES = frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun".split()
)
# Place abbreviations usually close a clause ("Sacramento, Calif. Officials
# attended."), so they end a sentence before any capitalised word except a
# title that uses the place as an adjective ("Calif. Gov. Gavin Newsom").
_PLACES = frozenset(
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass "
    "Mich Minn Miss Mo Mont Neb Nev N.H N.J N.M N.Y N.C N.D Okla Ore Pa R.I "
    "S.C S.D Tenn Tex Vt Va Wash W.Va Wis Wyo D.C Ave Blvd Rd etc".split()
)
# Company and name suffixes.  Like initialisms ("U.S. President Joe Biden",
# "9 a.m. Tuesday") they often precede a capitalised word of the same
# sentence, so they end one only before a typical sentence opener.
_SUFFIXES = frozenset("Inc Ltd Co Corp Jr Sr Bros Esq Ph.D al".split())
_STARTERS = frozenset(
    "The A An This That These Those There Then Thus It Its He She They We I "
    "You His Her Their Our My But And Or So Yet Nor In On At For From By With "
    "Without Of To As After Before When While If Although Though Because "
    "Since Until Unless However Meanwhile Moreover Still Also Now Today "
    "Yesterday Some Many Most Several All Both Each Every Other Such What Why "
    "How Who Where Which Whether".split()
)
# "Why?" Healey asked.  -- a capitalised speaker then one of these verbs.
_SPEECH_VERBS = frozenset(
    "said says asked asks added adds replied wrote told tweeted shouted cried wondered demanded insisted".split()
)

# How far back (in characters) to look for an unclosed "[", and for the start
# of the word before a period.  Bounds keep long unbroken lines linear.
_BRACKET_REACH = 200
_WORD_REACH = 40

_TITLE, _NEVER, _NUMBER, _DATE, _PLACE, _SUFFIX = range(6)
_ABBREVIATIONS: dict[str, int] = {
    **{w: _SUFFIX for w in _SUFFIXES},
    **{w: _PLACE for w in _PLACES},
    **{w: _DATE for w in _DATES},
    **{w: _NUMBER for w in _NUMBER_PREFIXES},
    **{w: _NEVER for w in _NEVER_FINAL},
    **{w: _TITLE for w in _TITLES},
}


def _word_before(text: str, lo: int, i: int) -> str:
    """The abbreviation key of the token ending at ``i`` (``lo`` bounds it)."""
    lo = max(lo, i - _WORD_REACH)  # abbreviations are short: stay linear
    word = text[max(text.rfind(" ", lo, i) + 1, lo) : i]
    if not word.isprintable():  # a tab or no-break space inside the slice
        word = (word.split() or [""])[-1]
    return _KEY_TAIL.search(word).group().lstrip(_OPENERS)


def _next_word(token: str) -> tuple[str, str]:
    """First significant character of ``token`` and its bare word."""
    core = token.lstrip(_OPENERS + "-–—*•")
    return core[:1], core.rstrip(".,;:!?…" + _CLOSERS)


def _period_ends(key: str, first: str, word: str, token: str) -> bool:
    """Whether a period after ``key`` ends the sentence, given the next word."""
    kind = _ABBREVIATIONS.get(key)
    if kind is None:
        if not _INITIALISM.fullmatch(key):
            return True  # an ordinary word: "pass. It did not."
        kind = _SUFFIX  # initials and initialisms: "J. R. R. Tolkien"
    if kind in (_TITLE, _NEVER):
        return False
    if kind == _NUMBER:
        return not first.isdigit()
    if kind == _DATE:
        return not (first.isdigit() or word in _DATES)
    if kind == _PLACE:
        return not (first.isdigit() or word in _TITLES)
    # A starter followed by a period is an initial ("J. A. Smith"), not "A".
    return word in _STARTERS and not token.endswith(".")


def _is_boundary(text: str, m: re.Match[str], lo: int) -> bool:
    """Decide whether the punctuation candidate ``m`` ends a sentence.

    ``lo`` is the start of the sentence the candidate would end.
    """
    punct, close, token, after = m.group("punct", "close", "next", "after")
    first, word = _next_word(token)
    if first.islower() and not _URL.match(token):
        return False  # "approx. three", '"Really?" he asked'
    i = m.start()
    # Editorial brackets ("[...]", "[need to]") never contain a boundary.
    back = max(lo, i - _BRACKET_REACH)
    if text.rfind("[", back, i) > text.rfind("]", back, i):
        return False
    if punct == ".":
        return _period_ends(_word_before(text, lo, i), first, word, token)
    if "?" in punct or "!" in punct:
        return not (close and after in _SPEECH_VERBS and word not in _STARTERS)
    # An ellipsis: "(...)" marks an omission; otherwise a capital starts anew.
    return first.isupper() and not (i > lo and text[i - 1] == "(")


# A candidate's first character. A pattern that begins with a character class lets the
# regex engine skip to the next match in C; one that begins with a lookahead (as
# ``_CANDIDATE`` must, its branches being groups) is tried at every character.
_CANDIDATE_START = re.compile(r"[.?!…\n]")


def _candidates(text: str, pos: int) -> Iterator[re.Match[str]]:
    """``_CANDIDATE.finditer(text, pos)``, at half the cost on news paragraphs: the
    class finds where a candidate can start, the whole pattern is tried only there."""
    find, match = _CANDIDATE_START.search, _CANDIDATE.match
    start = find(text, pos)
    while start is not None:
        found = match(text, start.start())
        if found is None:
            start = find(text, start.start() + 1)
        else:  # never empty: the next search starts where this one ended, as finditer's
            yield found
            start = find(text, found.end())


def _rstrip_end(text: str, start: int, end: int) -> int:
    """``end`` moved left past trailing whitespace, but not before ``start``."""
    return start + len(text[start:end].rstrip())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of each sentence in ``text``.

    ``text[start:end]`` is the sentence without surrounding whitespace.
    Every newline ends a sentence.  Empty or whitespace-only input gives [].
    """
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _candidates(text, start):
        if m["nl"] is not None:
            end = _rstrip_end(text, start, m.start())
        elif _is_boundary(text, m, start):
            end = m.end("close")
        else:
            continue
        if end > start:
            spans.append((start, end))
        start = m.end()  # the next token: never whitespace
    end = _rstrip_end(text, start, len(text))
    if end > start:
        spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """Return the sentences of ``text``, each stripped of whitespace.

    Equivalent to slicing ``text`` with :func:`sentence_spans`.
    """
    return [text[start:end] for start, end in sentence_spans(text)]
