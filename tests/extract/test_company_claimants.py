"""A company named by one word ("Google", "Apple") or described by its trade ("the UK's
biggest supermarket") is who "the company", "the firm" and "it" mean; and what a firm
says of its own trading is a figure of record."""

from __future__ import annotations

import pytest

from datasette_factcheck.extract.names import lone_subject
from datasette_factcheck.score.editorial import priority
from datasette_factcheck.score.fit import annotated_claim
from datasette_factcheck.score.wording import contestable
from support.articles import annotated


def test_the_company_is_the_subject_of_its_own_sentence_not_a_body_named_before():
    *_, claim = annotated(
        "The FA said ticket prices had risen by 40% since 1998.",
        "Google handles more than 200 million searches a day, the company said.",
    )
    assert claim.claimant == "Google"


def test_a_one_word_company_that_opened_a_sentence_is_the_firm_that_speaks_after():
    _, firm, pronoun = annotated(
        "Apple has unveiled a cheaper version of its iPod music player.",
        "The firm said the iPod mini would sell for $199.",
        "It said it had sold 6 million iPods since 2001.",
    )
    assert (firm.claimant, pronoun.claimant) == ("Apple", "Apple")


@pytest.mark.parametrize(
    "first, second, claimant",
    [
        pytest.param(
            "Tesco has reported a 20% rise in half-year profits to £1bn.",
            "The UK's biggest supermarket said sales had grown by 12% in the six months to August.",
            "Tesco",
            id="a firm described by its trade is the story's firm",
        ),
        pytest.param(
            "Tesco has reported a 20% rise in half-year profits to £1bn.",
            "The World Bank said global growth would slow to 3.2% next year.",
            "The World Bank",
            id="a body whose name ends in a trade word is itself",
        ),
        pytest.param(
            "Lloyds TSB said bad debts had doubled, blaming a rise in personal insolvencies.",
            "It said one in ten of its customers was struggling to repay loans.",
            "Lloyds TSB",
            id="a name with a word of three capitals is a body that 'it' names",
        ),
        pytest.param(
            "JK Rowling said the book had sold 2 million copies in a day.",
            "She said it was the fastest-selling book in history.",
            "JK Rowling",
            id="two capitals are a person's initials",
        ),
    ],
)
def test_who_the_second_sentence_names(first, second, claimant):
    assert annotated(first, second)[1].claimant == claimant


@pytest.mark.parametrize(
    "opening",
    [
        "Profit rose 5% to £20m in the year to March, the firm said.",
        "Passenger numbers rose 2.1% to 8.8 million in January, the company said.",
        "Analysts expected profits of £18m, the company said.",
        "January was its busiest month, the company said.",
        "Traffic has fallen by 5% since the charge was introduced, the company said.",
        "Lending has doubled in two years, the bank said.",
    ],
)
def test_a_measure_people_or_a_time_opening_the_sentence_is_no_company(opening):
    _, claim = annotated("Rover Group is to cut 2,000 jobs at its Longbridge plant.", opening)
    assert claim.claimant == "Rover Group"


@pytest.mark.parametrize(
    "text, subject",
    [
        ("Google handles more than 200 million searches a day.", "Google"),
        ("Microsoft, which is launching its own service, said prices would fall.", "Microsoft"),
        ("Vodafone has 150 million customers.", "Vodafone"),
        ("Passenger numbers rose 2.1%.", None),
        ("Sales jumped 5% in May.", None),
        ("However, prices rose.", None),
        ("The firm said prices rose.", None),
        ("Critics said prices rose.", None),
    ],
)
def test_lone_subject_is_one_word_a_company_may_be(text, subject):
    assert lone_subject(text) == subject


def test_a_person_met_before_is_no_company():
    _, claim = annotated(
        "Tesco boss Terry Leahy has promised to cut prices.",
        "Leahy has cut prices every week this year, the company said.",
    )
    assert claim.claimant != "Leahy"


@pytest.mark.parametrize(
    "text, claimant",
    [
        ("Rival Sainsbury's said its sales had fallen for the fourth quarter in a row.", "Sainsbury's"),
        ("General Motors Co said on Wednesday it would cut 4,000 salaried jobs.", "General Motors Co"),
        ("GM Chief Executive Mary Barra said the company would cut 4,000 jobs.", "Mary Barra"),
        # whose someone is, is no part of their name
        ("Tesco's Terry Leahy said prices had fallen 5% in a year.", "Terry Leahy"),
        ("Plaid Cymru's Elfyn Llwyd said Wales had lost 20,000 manufacturing jobs.", "Elfyn Llwyd"),
        ("St John's Ambulance said it had trained 5,000 volunteers.", "St John's Ambulance"),
    ],
)
def test_a_firms_name_is_whole_and_a_bosss_is_only_theirs(text, claimant):
    (claim,) = annotated(text)
    assert claim.claimant == claimant


# --- what a firm says of its trading --------------------------------------------------------


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("Tesco has reported a 20% rise in half-year profits.", "The UK's biggest supermarket said sales grew 12%."),
        (
            "Microsoft has cut the price of its Xbox console by 20%.",
            "The company said sales had doubled since the cut.",
        ),
        ("Microsoft has cut the price of its Xbox console by 20%.", "It added that 20 million consoles had been sold."),
        # a name with a word of three capitals is a firm's, not a person's, wherever it is read
        ("Lloyds TSB said bad debts had doubled.", "It said its customers had risen by 5% to 15 million."),
    ],
)
def test_a_firm_reporting_its_own_trading_is_a_figure_of_record(paragraphs):
    *_, claim = annotated(*paragraphs)
    assert claim.claimant and priority(claim).tier == "B"


def test_a_firm_comparing_itself_with_others_is_a_claim_with_a_stake():
    *_, claim = annotated(
        "The FA said ticket prices had risen by 40% since 1998.",
        "Google handles more than 200 million searches a day, more than all its rivals together, the company said.",
    )
    assert (claim.claimant, priority(claim).tier) == ("Google", "A")


@pytest.mark.parametrize(
    "text",
    [
        "Sony chief executive Howard Stringer said the PSP would outsell the Nintendo DS by Christmas.",
        "The union said its members outnumbered the management's by ten to one.",
        "Fund manager Anna Pryce said her fund had outperformed the index for five years.",
    ],
)
def test_outselling_or_outnumbering_another_is_a_comparison_with_others(text):
    assert "a comparison with others" in contestable(annotated_claim(text))


def test_a_company_boss_saying_his_product_will_outsell_a_rivals_is_tier_a():
    (claim,) = annotated("Sony chief executive Howard Stringer said the PSP would outsell the Nintendo DS.")
    assert priority(claim).tier == "A"
