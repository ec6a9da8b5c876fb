"""Annotation of news prose: cases from BBC articles that the rules got wrong."""

from __future__ import annotations

import string

import pytest

from datasette_factcheck.extract import attribution, names
from datasette_factcheck.extract.annotate import find_figures, is_sports_result
from datasette_factcheck.extract.claims import Claim, annotate_claims, split_claims
from datasette_factcheck.extract.text import Sentence
from datasette_factcheck.ingest.clean import clean_txt
from datasette_factcheck.records import Article


def annotated(*texts: str) -> list[Claim]:
    """The texts as consecutive claims of one article, annotated in order."""
    claims = [Claim(text, 0, len(text), 0) for text in texts]
    annotate_claims(Article(id="a", body=" ".join(texts), source="test"), claims)
    return claims


# --- figures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, code",
    [
        ("Operators are betting that 3G handsets will become popular this year.", "3G"),
        ("Sony Ericsson's W800 has a built-in music player.", "W800"),
        ("Samsung's SCH-V770 phone has a seven megapixel camera.", "SCH-V770"),
    ],
)
def test_product_and_model_codes_are_not_figures(text, code):
    (claim,) = annotated(text)
    assert not [figure for figure in claim.figures if figure in code]
    assert claim.kind != "statistic"


def test_a_real_quantity_beside_a_product_code_is_still_a_figure():
    (claim,) = annotated("The W800 sold 2.5 million units in 2005.")
    assert (claim.figure_kinds["2.5 million"], claim.figure_kinds["2005"]) == ("quantity", "date")
    assert not [figure for figure in claim.figures if "800" in figure]


@pytest.mark.parametrize(
    "text",
    [
        "Henman beat Ljubicic 6-4 6-3 7-6 (7-3) in the Dubai Open quarter-final.",
        "To make matters worse, Hallbrook Rovers were beaten 4-1 by Carrow City on Sunday.",
        "Third seed Marta Kovac slumped to a straight sets loss against an unseeded qualifier in the semi-final.",
    ],
)
def test_sports_results_are_no_statistics(text):
    (claim,) = annotated(text)
    assert is_sports_result(claim.sentence)
    assert "quantity" not in claim.figure_kinds.values()
    assert claim.kind != "statistic"


def test_a_range_outside_sport_stays_a_quantity():
    figures = find_figures(Sentence("Prices rose by 10-15% while the rent rose 3-4 times."))
    assert figures["15%"] == "quantity" and figures["3-4"] == "quantity"


@pytest.mark.parametrize(
    "text, figures",
    [
        ("The firm will sell 5 billion shares next year.", {"5 billion": "quantity"}),
        ("It raised £3 million, or two million euros, in May.", {"£3 million": "quantity", "two million": "quantity"}),
        ("A billion people watched the final.", {"billion": "quantity"}),
    ],
)
def test_a_number_word_inside_a_figure_is_no_figure_of_its_own(text, figures):
    assert find_figures(Sentence(text)) == figures


@pytest.mark.parametrize(
    "text, figures",
    [
        ("Funding for rural bus routes stood at about one-twentieth of the sum needed.", {"one-twentieth": "quantity"}),
        ("A third of pupils left school without five good GCSEs.", {"A third": "quantity", "five": "vague"}),
        ("Nearly half of all firms expect to cut jobs.", {"half": "quantity"}),
        ("Two-thirds of voters back the plan.", {"Two-thirds": "quantity"}),
        (
            "One in four voters said he should return, and nine out of ten did not.",
            {"One in four": "quantity", "nine out of ten": "quantity"},
        ),
        ("Three quarters of the money went to London.", {"Three quarters": "quantity"}),
        # a change by a share: "by", the share, then a stop or a word about the change
        ("Crossings had fallen by a third compared with last year.", {"a third": "quantity"}),
        ("The budget was cut by half.", {"half": "quantity"}),
    ],
)
def test_a_share_written_in_words_is_a_quantity(text, figures):
    (claim,) = annotated(text)
    assert claim.figure_kinds == figures
    assert claim.kind == "statistic"


@pytest.mark.parametrize(
    "text",
    [
        "He won a third term, and the first half of the season went well.",
        "The vote was held on the third of May.",
        "The second half of the match was delayed.",
        "The work was done by a third party.",
        "He was beaten by half a length.",
    ],
)
def test_an_order_or_a_part_is_no_share(text):
    assert find_figures(Sentence(text)) == {}


@pytest.mark.parametrize(
    "text, figure",
    [
        ("Quillpad was written by the Lantern Software Trust, set up by Orbix back in 1996.", "1996"),
        ("Priya Nair and Tom Okafor were convicted at a 1980s hearing.", "1980s"),
    ],
)
def test_a_year_ending_a_sentence_or_a_decade_is_a_date(text, figure):
    assert find_figures(Sentence(text)) == {figure: "date"}


def test_an_age_is_not_a_statistic():
    (claim,) = annotated("Mrs Okonjo, 47, who ran Relief Alliance projects in Sudan, was kidnapped in Khartoum.")
    assert claim.figure_kinds["47"] == "age"
    assert claim.kind != "statistic"


# --- claimants -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, claimant",
    [
        # A nickname or a term in quotes is no one's words: the sentence has no speaker.
        ('Priya Nair and Tom Okafor, dubbed the "Harbour Two", were convicted of trespass in 1999.', None),
        ('Priya Nair found the trial "boring" and left for Spain in 1998.', None),
        # Someone's words, quoted without a speech verb: the person the sentence names.
        ('Priya Nair was blunt: "We will appeal against this verdict in every court."', "Priya Nair"),
    ],
)
def test_only_quoted_words_make_a_named_person_the_claimant(text, claimant):
    (claim,) = annotated(text)
    assert claim.claimant == claimant


@pytest.mark.parametrize(
    "text, speech",
    [
        ('dubbed the "Harbour Two"', False),
        ("a “bit of a disaster” for them", True),
        ('"We will win this seat," he said', True),
        ('"The figures are wrong from start to finish.', True),  # a quotation running on
        ("no quotes at all", False),
    ],
)
def test_quotes_speech(text, speech):
    assert attribution.quotes_speech(text) is speech


@pytest.mark.parametrize(
    "texts, claimant",
    [
        # Words between the speaker and the verb are neither.
        (['Marcelo had earlier told the Evening Post: "The coach never gave me a fair run in the side."'], "Marcelo"),
        # A title written before the name is not part of it (the role is found apart).
        (
            ["Earlier, Health Secretary Alan Pryce told BBC News there were still two gaps in the plan."],
            "Alan Pryce",
        ),
        (["Bank of England Governor Mervyn King said rates would rise by 0.25%."], "Mervyn King"),
        # A nationality or a place begins a body's name: it stays whole.
        (["The British Retail Consortium said sales fell 2% in May."], "The British Retail Consortium"),
        (["The General Medical Council said 40 doctors were struck off."], "The General Medical Council"),
        # A place is no person: the quote is the man's the sentence names.
        (
            ['Former Fleet Street editor Gordon Felling has described the launch as a "complete and utter shambles".'],
            "Gordon Felling",
        ),
        # A medium called by a common noun is the last one named, or no claimant at all.
        (['Baywatch topped the list for its "mind-numbingly predictable scripts", according to the magazine.'], None),
        (
            ["Empire magazine said 40% of readers voted.", "Baywatch came first, according to the magazine."],
            "Empire magazine",
        ),
        # A body's name goes on after "of", "for" and "and"; initials in brackets are not part of it.
        (
            ["The National Federation of Timber Merchants said its index fell to 48.7."],
            "The National Federation of Timber Merchants",
        ),
        (["But the Department for Work and Pensions said 2,000 claims were late."], "Department for Work and Pensions"),
        (
            ["Local web panels might win back voters, says the Institute of Civic Media Studies (ICMS)."],
            "Institute of Civic Media Studies",
        ),
        (["Martin Hale himself has said voters think he is out of touch."], "Martin Hale"),
        # "claims" and "blames" frame a claim only after a name; elsewhere they are a noun or a passive.
        (["Veltra claims its collapse was revenge for its chairman's political links."], "Veltra"),
        (["The ACF blames the slump on a 2011 directive."], "The ACF"),
        (["Mr Verhoeven blames the strong franc for choking exports."], "Verhoeven"),
        (["Insurance claims rose 5% in the year to March."], None),
        (["The Conservatives claim Labour has wasted £20bn on consultants."], "The Conservatives"),
        # people named by what they are, capitalised only as the sentence's first word
        (["Analysts said profits would rise 5% next year."], None),
        (["Police said 3 men were arrested on Friday."], None),
        (["Police Scotland said 3 men were arrested on Friday."], "Police Scotland"),
        (["The crash was blamed on a signal failure."], None),
        # a title word opens a body's name as much as a person's: the body stays whole
        (["The Home Office said 300 officers had been recruited."], "The Home Office"),
        (["British Airways said 20 flights were cancelled."], "British Airways"),
        # a speaker citing a source makes the claim; the source is what they cite
        (
            ["Mr Clarke said overall crime had fallen by 30% since 1997, according to the British Crime Survey."],
            "Clarke",
        ),
        (["Sales rose 2% in May, according to the British Retail Consortium."], "British Retail Consortium"),
        (["Figures showed sales rose 2%, according to the BRC."], "BRC"),
        # the publisher of the figures a subject names, not the month they came out
        (["Figures published by the Home Office in January showed that crime rose 9%."], "Home Office"),
        (["Figures published in January showed that crime rose 9%."], None),
        # a clause after the verb is no speaker: the name before it says so
        (
            ["Tesco, the UK's biggest retailer, said its sales had risen 11% over Christmas, beating forecasts."],
            "Tesco",
        ),
        (['"We are thrilled," said NSX chief executive Maria Lund.'], "Maria Lund"),
        # "saying" frames a claim as the subject's: the name just before the main verb
        (
            ["Mobile phone operator TeleNet has defended a 10% rise, saying its prices remain the lowest."],
            "TeleNet",
        ),
        (["The Liberal Democrats say they would scrap tuition fees."], "The Liberal Democrats"),
        (["Chief Secretary to the Treasury Paul Boateng said the plans would cost £1,000."], "Paul Boateng"),
        (["Regulator Ofcom said it would examine the rises."], "Ofcom"),
        # a trade written before a firm's name is no part of it: "the company" is the firm
        (
            [
                "Carmaker Motorworks is to cut 3,000 jobs, blaming the strong pound.",
                "In a statement, the company said its plants were running at 60% of capacity.",
            ],
            "Motorworks",
        ),
        # a name set off after the post it holds
        (['The group\'s chairman, Sir Andrew Green, accused the government of "losing control".'], "Andrew Green"),
        (["A spokesman for the firm, John Smith, said sales rose 5%."], "John Smith"),
        # a post written before the name, capitalised as the sentence's first word
        (["Manager Jose Mourinho said his side had played their best football."], "Jose Mourinho"),
    ],
)
def test_who_says_it_is_the_person_or_body_not_the_words_around_them(texts, claimant):
    assert annotated(*texts)[-1].claimant == claimant


@pytest.mark.parametrize(
    "text, claimant, role",
    [
        # The verb before the speaker, and the role in the aside after the name.
        ("Unemployment has doubled since 2010, said John Smith, the shadow chancellor.", "John Smith", "opposition"),
        ('"Sales rose 40% last year," said Nadia Brook, spokeswoman for Hyperion.', "Nadia Brook", "spokesperson"),
        ("Sales rose 40% last year, said Jane Doe, chief executive of Acme.", "Jane Doe", "chief executive"),
        ("Borrowing rose by £2bn in May, said a Treasury spokesman.", "Treasury spokesman", "government"),
        # A name, an aside, then the verb.
        ("John Smith, the shadow chancellor, said unemployment had doubled since 2010.", "John Smith", "opposition"),
        ("Diane Abbott, the Labour MP for Hackney, said knife crime had doubled.", "Diane Abbott", "MP"),
        ("Jane Doe, who joined in May, said sales rose 40% last year.", "Jane Doe", None),
        # A clause about the speaker may run long and hold commas; the role comes from before the name.
        (
            "Prime Minister Paul Okoro, who pledged to end corruption when he took office last year, "
            "said anyone found guilty would face long sentences.",
            "Paul Okoro",
            "minister",
        ),
        # A speech verb inside the aside is not the sentence's.
        ("Gordon Brown, who has promised to cut taxes, said inflation had fallen to 1.7%.", "Gordon Brown", None),
        ("Jane Doe, whose firm was accused of fraud, told reporters sales had doubled.", "Jane Doe", None),
        # "said" that attributes nothing.
        ("The painting was sold for £5m, said to be a record.", None, None),
    ],
)
def test_a_speaker_named_after_the_verb_or_beside_an_aside(text, claimant, role):
    (claim,) = annotated(text)
    assert (claim.claimant, claim.claimant_role) == (claimant, role)


def test_a_role_met_in_an_aside_stays_with_the_surname():
    claims = annotated(
        "John Smith, the shadow chancellor, said unemployment had doubled.", "Mr Smith said it would rise again."
    )
    assert (claims[1].claimant, claims[1].claimant_role) == ("John Smith", "opposition")


@pytest.mark.parametrize(
    "first, claimant, role",
    [
        ("Acme Holdings said profits rose 5% in 2004.", "Acme Holdings", None),
        ("The Ferry Workers Union said the plan was wrong.", "The Ferry Workers Union", "union"),
        # one word that is no one met before: a firm ("Microsoft", "Oracle"), not a person
        ("Oracle said it would cut 5,000 jobs.", "Oracle", None),
    ],
)
def test_it_said_is_the_body_that_spoke_just_before(first, claimant, role):
    _, second = annotated(first, "It said pensions would be cut by 10% by 2006.")
    assert (second.claimant, second.claimant_role) == (claimant, role)


@pytest.mark.parametrize("first", ["Mr Smith said the plan was wrong.", "Jane Smith said the plan was wrong."])
def test_a_person_is_never_it(first):
    _, second = annotated(first, "It said the cuts were needed.")
    assert second.claimant is None


def test_a_surname_written_with_a_title_is_a_person_he_names():
    _, second = annotated("Mr Smith said the plan was wrong.", "He said the cuts were not needed.")
    assert second.claimant == "Smith"


SMITH_SPOKE = "Mr Smith said the plan was wrong."


@pytest.mark.parametrize(
    "second",
    [
        "He said the cuts were the idea of Tony Blair's advisers.",  # named after "he": who he talks about
        '"Tony Blair has let the country down on the cuts," he said.',  # in his own words
    ],
)
def test_a_name_after_he_or_in_his_words_leaves_he_the_speaker(second):
    _, claim = annotated(SMITH_SPOKE, second)
    assert claim.claimant == "Smith"


@pytest.mark.parametrize(
    "between",
    [
        "After meeting Tony Blair in Downing Street, he said the cuts were not needed.",
        "Mr Blair disagreed with him at a meeting in Downing Street on Monday.",  # a title names a rival too
    ],
)
def test_he_after_someone_else_is_named_is_no_one(between):
    claims = annotated(SMITH_SPOKE, between, "He said the cuts were not needed.")
    assert [c.claimant for c in claims[1:]] == [None, None]


@pytest.mark.parametrize(
    "opening, claimant",
    [
        ("Mr Brown visited a school in Leeds on Monday morning.", "Brown"),
        ("Chancellor Gordon Brown arrived in Edinburgh on Monday morning.", "Gordon Brown"),
        ("The minister praised Tony Blair's record on Monday morning.", None),  # named, not the subject
        ("Ms Cooper visited a school in Leeds on Monday morning.", None),  # "he" is not Ms Cooper
    ],
)
def test_he_is_the_one_person_the_sentence_before_opens_with(opening, claimant):
    _, second = annotated(opening, "He said unemployment had fallen by a third.")
    assert second.claimant == claimant


@pytest.mark.parametrize(
    "first, pronoun, claimant",
    [
        ("Ms Cooper said the plan was wrong.", "He", None),
        (SMITH_SPOKE, "She", None),
        ("Ms Cooper said the plan was wrong.", "She", "Cooper"),
        ("Gordon Brown said the plan was wrong.", "She", "Gordon Brown"),  # no title: nothing known
    ],
)
def test_he_or_she_is_never_someone_a_title_says_otherwise(first, pronoun, claimant):
    _, second = annotated(first, f"{pronoun} said the cuts were not needed.")
    assert second.claimant == claimant


@pytest.mark.parametrize(
    "first, claimant",
    [
        ("The Conservatives claim they would recruit 5,000 more police officers.", "The Conservatives"),
        ("The Liberal Democrats launched their manifesto in London on Monday.", "The Liberal Democrats"),
        ("Tesco said its sales had risen by 5% in a year.", None),  # one firm: "it"
        ("Sainsbury's said its sales had risen by 5% in a year.", None),
    ],
)
def test_they_is_the_plural_body_of_the_sentence_before(first, claimant):
    _, second = annotated(first, "They say the cost would be met by scrapping the scheme.")
    assert second.claimant == claimant


@pytest.mark.parametrize(
    "third",
    [
        "They said the cost would be met by scrapping the scheme.",
        '"We will recruit 5,000 more police officers."',  # a quotation standing alone
    ],
)
def test_they_or_a_quotation_reaches_back_no_further_than_the_sentence_before(third):
    claims = annotated(
        "The Conservatives said crime had risen by a fifth.",
        "Critics of the plan disagreed with the findings of the report.",
        third,
    )
    assert claims[2].claimant is None


def test_the_company_is_the_body_the_sentence_before_opened_with():
    _, second = annotated("Rover Group is to close its plant in May.", "The company said the move would save £200m.")
    assert second.claimant == "Rover Group"


def test_a_name_whose_claims_are_the_subject_is_not_who_claims():
    (claim,) = annotated("Mr Reid's claims were disputed by the BMA.")
    assert claim.claimant != "Reid's"


def test_a_participle_gives_the_claim_to_the_sentence_subject():
    (claim,) = annotated("Rover Group is to cut 2,000 jobs, blaming the strong pound for a 30% fall in exports.")
    assert claim.claimant == "Rover Group"


def test_the_bank_is_the_storys_bank_paragraphs_later_it_is_not():
    opening = Claim("Barclays has reported record profits of £4.6bn.", 0, 10, 0)
    between = Claim("Chief executive Matthew Barrett said it was the best year.", 11, 20, 1)
    described = Claim("The bank said it would cut 1,000 jobs.", 21, 30, 2)
    pronoun = Claim("It said 500 jobs would go in May.", 31, 40, 3)
    annotate_claims(Article(id="a", body="x", source="test"), [opening, between, described, pronoun])
    assert described.claimant == "Barclays"
    assert pronoun.claimant == "Barclays"  # "the bank said" in the paragraph before: "it" is safe


def test_the_company_is_the_storys_firm_though_a_union_spoke_since():
    claims = annotated(
        "British Airways has reported a 20% fall in quarterly profits.",
        "The union Amicus accused the airline of using the figures to justify job cuts.",
        "Passenger numbers rose 2.1% to 8.8 million in January, the company said.",
    )
    assert [c.claimant for c in claims[1:]] == ["Amicus", "British Airways"]


@pytest.mark.parametrize(
    "first, claimant",
    [
        ('Tory leader Michael Howard told the BBC: "Violent crime has doubled since 1997."', "Michael Howard"),
        ('"Labour has wasted £2bn on consultants," said Mr Howard.', "Howard"),
        ("The Conservatives said crime had risen by a fifth.", "The Conservatives"),
    ],
)
def test_a_quotation_standing_alone_goes_on_with_the_speaker_just_before(first, claimant):
    _, quoted = annotated(first, '"We will put 5,000 more police officers on the streets within two years."')
    assert quoted.claimant == claimant


def test_a_sentence_quoting_amid_its_own_words_is_not_the_last_speakers():
    _, quoting = annotated(
        "Mr Howard said crime had doubled since 1997.",
        'The plan would "put 5,000 more police officers on the streets" by 2008.',
    )
    assert quoting.claimant is None


def test_it_said_names_no_body_from_another_paragraph():
    first = Claim("The Ferry Workers Union said the plan was wrong.", 0, 10, 0)
    between = Claim("Ferry crews met in Leeds.", 11, 20, 1)
    second = Claim("It said pensions would be cut.", 21, 30, 2)
    annotate_claims(Article(id="a", body="x", source="test"), [first, between, second])
    assert second.claimant is None


@pytest.mark.parametrize(
    "phrase, name",
    [
        ("the Bank of England", "Bank of England"),
        ("the Department for Work and Pensions", "Department for Work and Pensions"),
        ("the Institute of Civic Media Studies (ICMS)", "Institute of Civic Media Studies"),
        # no body's head word before "of" or "and": the name is the last run alone
        ("shares of Tesco", "Tesco"),
        ("Smith and Jones", "Jones"),
    ],
)
def test_a_name_runs_on_after_of_and_and_only_inside_a_body(phrase, name):
    assert names.capitalised_tail(phrase) == name


def test_a_conjunction_is_never_the_claimant():
    (claim,) = annotated("But Kelly said the school's figures were wrong.")
    assert claim.claimant == "Kelly"


def test_an_expansion_in_brackets_is_not_a_person():
    first, second = annotated(
        'HSDPA (High Speed Downlink Packet Access) has been described as "broadband in your pocket", '
        "the operator said.",
        "Speed is what customers want, he said.",
    )
    assert first.claimant is None
    assert second.claimant is None


def test_a_name_after_a_title_is_still_met():
    first, second = annotated(
        "Defence Secretary John Healey visited the troops on Friday.",
        "Healey said more instructors would follow.",
    )
    assert second.claimant == "John Healey"


@pytest.mark.parametrize(
    "first, surname, claimant",
    [
        ("Chief executive Justin King spoke in Leeds on Monday.", "King", "Justin King"),
        ("Bank of England governor Mervyn King spoke in Leeds on Monday.", "King", "Mervyn King"),
        ("Retired Judge Anne Judge spoke in Leeds on Monday.", "Judge", "Anne Judge"),
        # a middle initial between
        ("President George W Bush spoke in Ohio on Monday.", "Bush", "George Bush"),
    ],
)
def test_a_surname_that_is_also_a_title_is_met(first, surname, claimant):
    _, second = annotated(first, f"Mr {surname} said sales had risen 5% since 2003.")
    assert second.claimant == claimant


def test_a_title_before_a_name_is_still_no_surname():
    assert [(first, last) for _, first, last in names.people_named("Saudi King Fahd said oil output rose.")] == []


def test_a_long_run_of_initials_is_handled_in_linear_time_and_is_no_claimant():
    # A quadratic walk over this run (list.insert at the front) took minutes;
    # the linear one takes a fraction of a second.
    run = " ".join(f"{string.ascii_uppercase[i % 26]}." for i in range(1_000_000))
    assert names.capitalised_tail(run) is None
    body = f"The report by {' '.join(run.split()[:100_000])} Smith said taxes rose."
    article = Article(id="a", body=body, source="test")
    claims = split_claims(article)
    annotate_claims(article, claims)
    assert [claim.claimant for claim in claims] == [None]


# --- titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headline",
    ["Could Yukos be a blessing in disguise?", "“We will not be bullied out of Iraq.”"],
)
def test_a_headline_that_asks_or_quotes_is_the_title(headline):
    fields, body, _ = clean_txt(f"{headline}\n\nYukos shares rose 5% on Monday.\n\nThe firm said more.")
    assert fields["title"] == headline
    assert body.startswith("Yukos shares rose")


def test_a_question_opening_a_text_without_blank_lines_is_not_a_title():
    fields, body, _ = clean_txt("Could Yukos be saved?\nYukos shares rose 5% on Monday.")
    assert fields["title"] is None
    assert body.startswith("Could Yukos")


def test_leak_as_a_verb_is_no_leak_source():
    (claim,) = annotated("We will insulate two million homes so that they don't leak heat, saving energy.")
    assert claim.sourcing != "leak"
    (claim,) = annotated("Leaks have revealed that soldiers were on the ground throughout the war.")
    assert claim.sourcing == "leak"
