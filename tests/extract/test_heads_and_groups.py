"""Who heads what: an outlet's or a lobby's boss speaks as a boss, a keeper of records'
head for its figures, a European commissioner as a minister; and "they" in a sentence
that opens with a party is the party; an MP for a place, set off before the name, is the
name."""

from __future__ import annotations

import pytest

from datasette_factcheck.score.editorial import priority, priority_reasons
from datasette_factcheck.score.fit import annotated_claim
from datasette_factcheck.score.stake import speaker_role
from datasette_factcheck.vocab import NAMED_PERSON
from support.articles import annotated


def test_an_outlets_boss_speaks_for_the_company_not_as_the_press():
    claim = annotated_claim("BBC director general Mark Thompson said the corporation had cut 4,000 jobs since 2004.")
    assert (claim.claimant, claim.sourcing) == ("Mark Thompson", NAMED_PERSON)
    assert speaker_role(claim) == "chief executive"
    assert priority(claim).tier == "A"


def test_an_outlets_reporter_still_reports():
    claim = annotated_claim("BBC correspondent Nick Robinson said the vote was lost by 20 votes.")
    assert claim.sourcing != NAMED_PERSON


@pytest.mark.parametrize(
    "text",
    [
        "Ann Cole, director general of the Council of Mortgage Lenders, said lending had risen 2% in May.",
        "CML director general Ann Cole said lending rose 2% in May.",
        "Lending rose 2% in May, said Ann Cole, chairman of the Council of Mortgage Lenders.",
    ],
)
def test_the_head_of_a_keeper_of_records_speaks_for_its_figures_without_a_bosss_stake(text):
    claim = annotated_claim(text)
    assert speaker_role(claim) is None
    assert "a company boss's figure" not in priority_reasons(priority(claim))


@pytest.mark.parametrize(
    "text",
    [
        "EU telecoms commissioner Viviane Reding said roaming charges had fallen 20% since 2004.",
        "European internal market commissioner Ann Cole said prices had fallen 20% since 2004.",
    ],
)
def test_a_european_commissioner_with_any_portfolio_holds_office(text):
    assert speaker_role(annotated_claim(text)) == "minister"


def test_they_in_a_sentence_opening_with_a_party_is_the_party():
    (claim,) = annotated(
        "The Lib Dems want to replace council tax with a local income tax, which they say would leave"
        " seven in ten households better off."
    )
    assert claim.claimant == "The Lib Dems"
    assert priority(claim).tier == "A"


def test_they_after_a_measure_names_no_one():
    (claim,) = annotated("Passenger numbers rose 5% last year, they said.")
    assert claim.claimant is None


@pytest.mark.parametrize(
    "text, claimant",
    [
        ("The Labour MP for Vauxhall, Kate Hoey, said 300 post offices a year had closed since 1997.", "Kate Hoey"),
        ("The Tory MP for Henley, Boris Johnson, said crime had risen by 20% since 2001.", "Boris Johnson"),
        # a place set off before a name is still no speaker's post: the name speaks
        ("In London, Ken Livingstone said fares had risen 10% since 2003.", "Ken Livingstone"),
    ],
)
def test_a_post_ending_in_a_place_then_the_name_set_off_is_the_names(text, claimant):
    claim = annotated_claim(text)
    assert claim.claimant == claimant
    assert speaker_role(claim) == ("MP" if "MP" in text else None)
