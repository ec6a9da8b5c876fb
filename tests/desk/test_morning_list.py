"""The queue an editor opens on a morning's news: claims a desk takes up first at the top.

Six articles written for this test (tests/fixtures/morning: fictional people, the shapes of
a news day: a political row over crime figures, retail sales, school reforms, a regulator's
broadband figures, a football report, a box-office story) are loaded as the loader loads
any file, and the queue is read page by page as the desk reads it. Each labelled sentence
is one of the priority guidelines' kinds: a desk claim (someone with a stake asserts
something checkable: a minister's, an opposition spokesman's, a company boss's figure, an
accusation), a figure of record (a release, a trade body's survey, a company's own trading, a
market price), or a minor line (background, a law described, a court report, trivia records,
sports results).
"""

from __future__ import annotations

import sqlite3
import statistics

import pytest

from datasette_factcheck.desk import queue as triage
from datasette_factcheck.load.run import load_paths
from support.helpers import FIXTURES

DESK = [
    "Speaking at a rally in Birmingham, Mrs Hale said violent crime had risen by 83%",
    "Mr Ancell said overall crime had fallen by 30% since 1997",
    "The prime minister told MPs that results at the first academies had improved by 25%",
    "He said clothing sales had fallen 8%",
    "Conservative leader Margaret Hale has accused the government",
    "She said the Tories would recruit 5,000 extra police officers",
    "But teaching unions said the academies had cost £25m each",
    "He claimed that the number of police officers on the streets had actually fallen",
    "The company has been accused by suppliers",
    "But rival operators accused Linktel",
    "Communications Minister Stephen Hollis said the UK now had the most competitive",
    "Its chief executive Anna Berg said Linktel had delivered the fastest growth",
    "He added that Labour had broken its promise to cut class sizes.",
]
RECORD = [
    "Figures published by the Home Office in January showed",
    "The number of homes with broadband in the UK has doubled in the past year, according to regulator",
    "There are now more than six million broadband connections, Ofcom said",
    "UK retail sales grew at their slowest pace for a year",
    "Like-for-like sales rose 0.1%",
    "Total sales, which include new stores, were up 4.6%.",
    "The survey, which interviews 40,000 people a year",
    "The Bank of England is expected to keep interest rates on hold",
    "There are currently 17 academies in England",
    "The BRC's figures are based on a survey of 60 retailers.",
    "Shares in Freshway closed 3p higher",
    # a company's own trading, reported by the company: its record (the guidelines' tier B)
    "Freshway, the UK's biggest retailer, said its sales had risen 11%",
    "Linktel, which controls most of the UK's phone lines, said its own broadband customers",
]
MINOR = [
    "The first academies opened in 2002 under the Learning and Skills Act 2000.",
    "The first broadband services in the UK were launched in 2000.",
    "Under the Police Reform Act 2002",
    "Police in Manchester arrested two men",
    "Animated film The Lantern has taken a record $70.7m",
    "The film beat the previous record for an animated opening",
    "It became the biggest November opening of all time",
    "It was the club's 10th consecutive league win, a club record.",
    "Rovers moved nine points clear at the top of the Premiership",
    "A crowd of 41,965 watched the game.",
]


@pytest.fixture(scope="module")
def queue(tmp_path_factory) -> list[dict]:
    """The default queue of the six articles, in order, read a page of 10 at a time."""
    path = tmp_path_factory.mktemp("morning") / "morning.db"
    load_paths(path, [FIXTURES / "morning"])
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    filters, rows, after = triage.QueueFilters.from_params({}), [], None
    try:
        while True:
            page = [dict(row) for row in conn.execute(*triage.page_query(filters, after, limit=10))]
            rows += page
            if len(page) < 10:
                return rows
            after = (page[-1]["checkworthiness"], page[-1]["id"])
    finally:
        conn.close()


def ranks(queue: list[dict], openings: list[str]) -> list[int]:
    """The queue rank (from 1) of the claim opening with each text: each must be there once."""
    found = []
    for opening in openings:
        matches = [rank for rank, row in enumerate(queue, 1) if row["text"].startswith(opening)]
        assert len(matches) == 1, (opening, matches)
        found += matches
    return found


def test_the_top_of_the_queue_is_what_a_desk_takes_up(queue):
    top = {row["text"] for row in queue[:5]}
    assert all(any(text.startswith(opening) for opening in DESK) for text in top), top


def test_every_desk_claim_is_above_every_minor_line(queue):
    assert max(ranks(queue, DESK)) < min(ranks(queue, MINOR))


def test_desk_claims_come_before_figures_of_record(queue):
    desk, record = ranks(queue, DESK), ranks(queue, RECORD)
    assert statistics.median(desk) < statistics.median(record) / 2
    assert min(record) > 5  # a release is never among the first five


def test_figures_of_record_come_before_minor_lines(queue):
    assert statistics.median(ranks(queue, RECORD)) < statistics.median(ranks(queue, MINOR))


@pytest.mark.parametrize(
    "opening, claimant",
    [
        ("The prime minister told MPs", "Robert Lyle"),  # named with the office earlier
        ("Mr Ancell said overall crime had fallen", "David Ancell"),  # not the survey he cites
        ("Freshway, the UK's biggest retailer, said", "Freshway"),  # not "Christmas" after the verb
        ("He said clothing sales had fallen 8%", "Simon Pryce"),
        ("Figures published by the Home Office in January", "Home Office"),  # not "January"
        ("Manager Luis Ferreira said", "Luis Ferreira"),
    ],
)
def test_who_makes_each_claim(queue, opening, claimant):
    (row,) = [row for row in queue if row["text"].startswith(opening)]
    assert row["claimant"] == claimant
