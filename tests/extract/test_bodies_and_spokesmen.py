"""A government's spokesman speaks for the government, a body written with its head word in
lower case ("the Public and Commercial Services union") is named whole, and a post set off
by an aside ("The chancellor, speaking in Leeds, said") is who speaks."""

from __future__ import annotations

import pytest

from datasette_factcheck.extract.names import capitalised_tail
from datasette_factcheck.score.editorial import priority
from datasette_factcheck.score.fit import annotated_claim
from support.articles import annotated


@pytest.mark.parametrize(
    "text",
    [
        "A Treasury spokesman said borrowing had fallen by £5bn.",
        "A Cabinet Office spokesman said the plans would save £13bn over 50 years.",
        "A Downing Street spokeswoman said waiting times had halved since 1997.",
        "Home Office spokeswoman Jane Doe said removals had doubled.",
        "A White House spokesman said 2 million jobs had been created.",
    ],
)
def test_a_governments_spokesman_speaks_for_the_government(text):
    claim = annotated_claim(text)
    assert claim.claimant_role == "government"
    assert priority(claim).tier == "A"


@pytest.mark.parametrize(
    "text, role",
    [
        ("A BA spokesman said fares had fallen by 10%.", "spokesperson"),
        ("A Treasury official and a BA spokesman said fares fell 5%.", "spokesperson"),
        ("A Labour spokesman said taxes had risen 66 times.", "party"),
    ],
)
def test_another_spokesman_keeps_their_own_role(text, role):
    assert annotated_claim(text).claimant_role == role


@pytest.mark.parametrize(
    "phrase, name",
    [
        ("the Public and Commercial Services union", "Public and Commercial Services Union"),
        ("the Transport and General Workers Union", "Transport and General Workers Union"),
        ("the Scottish National party", "Scottish National Party"),
        ("the Labour party", "Labour Party"),
        # not a body's name: whose party, a union named by its trade, a firm and a person
        ("Mr Kennedy's party", None),
        ("the teachers union", None),
        ("Smith and Jones", "Jones"),
    ],
)
def test_a_bodys_head_word_in_lower_case_ends_its_name(phrase, name):
    assert capitalised_tail(phrase) == name


def test_a_union_written_in_lower_case_is_the_claimant():
    claim = annotated_claim("The Public and Commercial Services union (PCS) said 200,000 members would strike.")
    assert (claim.claimant, claim.claimant_role) == ("The Public and Commercial Services Union", "union")


def test_a_post_set_off_by_an_aside_is_who_speaks_and_whom_he_means_next():
    claim, pronoun = annotated(
        "The chancellor, who was speaking in Leeds, said growth had beaten his 3% target.",
        "He said borrowing had fallen by £5bn.",
    )
    assert (claim.claimant, claim.claimant_role) == ("The chancellor", "minister")
    assert pronoun.claimant == "The chancellor"


@pytest.mark.parametrize(
    "text",
    ["The man, who was 35, said he had lost £500.", "A witness, speaking after the trial, said the car was red."],
)
def test_someone_no_post_names_set_off_by_an_aside_is_no_claimant(text):
    assert annotated_claim(text).claimant is None
