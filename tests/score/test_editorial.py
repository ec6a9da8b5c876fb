"""Editorial signals, the desk's priority tiers, claimants and the queue's one number."""

from __future__ import annotations

import re

import pytest

from datasette_factcheck.extract.speakers import clean_claimant, post_speaker, role_before, role_of_name
from datasette_factcheck.score import priority as queue_order
from datasette_factcheck.score.editorial import priority, priority_reasons, routine_release
from datasette_factcheck.score.fit import annotated_claim
from datasette_factcheck.score.model import score_claim
from datasette_factcheck.score.stake import record_keeper, speaker_role
from datasette_factcheck.score.wording import contestable
from datasette_factcheck.vocab import NAMED_PERSON
from support.articles import annotated

# --- who says it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, role",
    [
        ("Chancellor Gordon Brown said growth had beaten his 3% target.", "minister"),
        ("Tory leader Michael Howard said crime had doubled under Labour.", "party"),
        ("Shadow chancellor Oliver Letwin said taxes had risen 66 times.", "opposition"),
        ("BA chief executive Rod Eddington said fuel costs rose by £100m.", "chief executive"),
        ("The government said unemployment fell to its lowest level since 1975.", "government"),
        ("The Transport Workers Union said ministers were planning to cut pensions.", "union"),
        ("A Labour spokesman said the figures were wrong.", "party"),
        ("A spokeswoman for the company said the figures were wrong.", "spokesperson"),
        ("Mr Hale, Leader of the Commons, said burglary had fallen by 25% since 1999.", "minister"),
        ("Ministers insist the scheme has cut waiting lists by half.", "minister"),
        ("Peter Lang, chairman of the Commons transport committee, said costs rose 20%.", "MP"),
        ("Jane Doe, chairman of the audit committee, said profits rose 20%.", "chief executive"),
        ("Teaching unions said the academies had cost £25m each.", "union"),
        ("Union leaders claimed 4,000 jobs would go.", "union"),
        ("Tory co-chairman Liam Fox said the plans had been checked by accountants.", "party"),
        # elected and appointed office beyond ministers: a mayor, a law officer, a European commissioner
        ("Harbourside mayor Jane Doyle said bus fares had risen by 20% since 2000.", "mayor"),
        ("Attorney General Lord Marsh said 300 people had been convicted since 2001.", "minister"),
        ("EU trade commissioner Paul Verhoeven said exports had doubled since 2000.", "minister"),
        ("Police commissioner John Hale said crime had fallen by 10%.", None),  # no office of state
        # a president of a state, or of a company or a club, by the word before the title
        ("Microsoft president Brad Smith said sales had risen 20% since 2003.", "chief executive"),
        ("Club president Florentino Perez said the club's debts had halved.", "chief executive"),
        ("Iraqi President Jalal Talabani said attacks had fallen by half since May.", "minister"),
        ("Zimbabwe President Robert Mugabe said inflation had fallen to 100%.", "minister"),
        ("US President George W Bush said 100,000 jobs had been created in May.", "minister"),
        ("The president said he would cut the deficit by $60bn.", "minister"),  # "The" opens the sentence
        ("If President Vance said so, the talks would fail over the 300 missiles.", "minister"),
        # US style: a title abbreviated with a full stop, the speaker after the verb
        ("Sen. Ken Marlow said the deficit had doubled since 2001.", "MP"),
        ("The deficit has doubled since 2001, said Rep. Ann Tully, D-Ohio.", "MP"),
        ("The sales rep. John Smith said prices rose 5%.", None),
        # a party's spokesman on a subject: a frontbench politician
        ("Lib Dem Treasury spokesman Ben Tate said household debt had reached £1 trillion.", "party"),
        ("Tory education spokesman Ian Moss said truancy had risen by 30% under Labour.", "party"),
        # the prime minister's office, named by its door
        ("No 10 said the number of nurses had risen by 70,000.", "government"),
        ("Number 10 said 2,000 new schools had been built since 1997.", "government"),
        # unions known by their initials
        ("The RMT said its members' pay had fallen by 5% in real terms.", "union"),
        ("The NUT said class sizes had risen since 1997.", "union"),
        # the professions' unions: not keepers of records for their "Association"
        ("The British Medical Association said doctors were working 60-hour weeks.", "union"),
        ("The BMA said 3,000 doctors had left the NHS since 2003.", "union"),
        ("Shoppers said prices rose in December.", None),
        ("Unemployment fell to 4.7% in March.", None),
        # a president of a body, in an aside: the body's role, not a head of state's
        ("Jo Hale, president of the Association of Chief Police Officers, said crime rose 5%.", None),
        ("Tim Bennett, president of the National Farmers' Union, said farm incomes fell 20%.", "union"),
        ("Ann Cole, president of the Council of Mortgage Lenders, said lending rose 2%.", None),
        ("Jacques Chirac, president of France, said growth had risen 2%.", "minister"),
        ("Ann Cole, President of the European Commission, said exports rose 2%.", "minister"),
        ("Mr Bush, president of the United States, said 100,000 jobs were created in May.", "minister"),
        ("Jo Hale, vice-president of research at analysts Gartner, said sales rose 10%.", None),  # a department
        # who speaks at a party's conference is a politician of it
        ("Speaking at Labour's spring conference, Mr Blair said 2 million more were in work.", "party"),
        ("Speaking at the CBI conference, Mr Brown said inflation had been below 3% for 84 months.", None),
        # a party's challenger or nominee is the party's
        ("His Democratic challenger John Kerry said 1.6 million jobs had been lost since 2001.", "party"),
        ("Republican nominee John McCain said taxes had doubled since 2001.", "party"),
        ("Title challenger Andy Murray said he had won 20 matches in a row.", None),
    ],
)
def test_speaker_role_names_who_has_a_stake(text, role):
    (claim,) = annotated(text)
    assert speaker_role(claim) == role


def test_a_role_met_earlier_in_the_article_follows_the_name():
    first, second = annotated(
        "Chancellor Gordon Brown arrived in Edinburgh on Monday.",
        "Mr Brown said the economy had grown for 50 quarters in a row.",
    )
    assert second.claimant == "Gordon Brown"
    assert speaker_role(second) == "minister"


@pytest.mark.parametrize(
    "first, role",
    [
        ("Gordon Brown, the chancellor, arrived in Edinburgh on Monday morning.", "minister"),
        ("Michael Howard, the Conservative leader, visited a school in Leeds on Monday.", "party"),
        ("Gordon Brown, who attacked the Conservatives, arrived in Edinburgh on Monday.", None),  # a clause
    ],
)
def test_a_role_in_an_aside_after_the_name_follows_it(first, role):
    surname = first.split(",")[0].split()[-1]
    _, second = annotated(first, f"Mr {surname} said crime had risen by 20% since 1997.")
    assert speaker_role(second) == role


@pytest.mark.parametrize(
    "first, role",
    [
        ("Amicus national secretary Steve Turner spoke in Leeds on Monday.", "union"),
        ("Labour deputy leader John Prescott spoke in Leeds on Monday.", "party"),
    ],
)
def test_a_post_named_after_its_organisation_follows_the_name(first, role):
    # the organisation's role: "Mr Turner" speaks for the union in the sentences after
    _, second = annotated(first, "Mr " + first.split()[4] + " said 13,000 jobs had gone since 2001.")
    assert speaker_role(second) == role


@pytest.mark.parametrize(
    "name, keeper",
    [
        ("the Council of Mortgage Lenders", True),
        ("ONS's statisticians", True),
        ("the World Health Organization's", True),
        ("YouGov", True),
        ("the Water Services Authority", True),  # a regulator counts what it oversees
        ("the Northern Energy Agency", True),
        ("World Bankers", False),  # a whole name, not the start of a word
        ("Kirstjen Nielsen", False),  # a surname, not the pollster
        ("Chancellor Gordon Brown", False),
    ],
)
def test_record_keepers_by_name(name, keeper):
    assert record_keeper(name) is keeper


@pytest.mark.parametrize(
    "name, role",
    [("the Conservatives", "party"), ("European Union", None), ("TUC", "union"), ("Home Office", "government")],
)
def test_role_of_an_organisation_named_as_claimant(name, role):
    assert role_of_name(name) == role


def test_role_before_a_name_only_when_nothing_but_names_stand_between():
    text = "Chancellor Gordon Brown"
    assert role_before(text, text.index("Gordon")) == "minister"
    text = "the minister met voters, and Gordon Brown"
    assert role_before(text, text.index("Gordon")) is None


# --- claimants are never pronouns or openers -------------------------------------------------


@pytest.mark.parametrize("name", ["It", "However", "They", "This", "Yet", "There", "Actually", "Even"])
def test_a_pronoun_or_sentence_adverb_is_never_a_claimant(name):
    assert clean_claimant(name) is None


def test_an_opener_before_a_name_is_dropped():
    assert clean_claimant("Yet Britain") == "Britain"
    assert clean_claimant("However Healey") == "Healey"
    assert clean_claimant("Apparently Healey") == "Healey"


@pytest.mark.parametrize(
    "texts",
    [
        ("It said problems such as housing and rail links were not properly tackled.",),
        ("It estimated that it would need nearly £4m before the spring.",),
        ("Yet Britain has said it will send more troops.", "Britain said the plan was on track."),
        ("However, analysts said the figures were weak.",),
        ("They said the plan would cost £2bn.",),
    ],
)
def test_no_stored_claimant_is_a_pronoun_or_adverb(texts):
    for claim in annotated(*texts):
        first = (claim.claimant or "x").split()[0].lower()
        assert first not in {"it", "yet", "however", "they", "this", "there"}, claim.claimant


def test_he_names_the_last_speaker_only_when_no_one_else_was_named_since():
    claims = annotated(
        "Defence Secretary John Healey said 200 instructors were in Ukraine.",
        "He added that more would follow.",
        "Opposition MP Jane Smith and Tom Jones visited the base.",
        "He said the base had doubled in size.",
    )
    assert [c.claimant for c in claims] == ["John Healey", "John Healey", None, None]


def test_he_does_not_reach_back_past_a_paragraph_without_the_speaker():
    claims = annotated(
        "Defence Secretary John Healey said 200 instructors were in Ukraine.",
        "The base lies 40 miles from the border.",
        "He said the base had doubled in size.",
    )
    assert claims[2].claimant is None


def test_an_office_names_who_was_introduced_with_it():
    claims = annotated(
        "Prime Minister Robert Lyle visited a school in Leeds.",
        "The weather was cold.",
        "Later, the prime minister said results had improved by 25% in two years.",
        "Its chief executive Anna Berg and the head of sales met staff.",
        "The chief executive said sales had doubled.",
    )
    assert [c.claimant for c in claims[2:]] == ["Robert Lyle", None, "Anna Berg"]


def test_an_office_two_people_held_names_neither():
    claims = annotated(
        "Health Minister Ann Cole and Trade Minister Bob Dale met union leaders.",
        "The minister said 300 jobs would go.",
    )
    assert claims[1].claimant == "The minister"  # the post as written, neither holder


@pytest.mark.parametrize(
    "phrase, post",
    [
        ("the chancellor", "The chancellor"),
        ("Yesterday the chancellor", "The chancellor"),
        ("Treasury spokesman", "Treasury spokesman"),
        ("the prime minister's official spokesman", "The prime minister's official spokesman"),
        ("the Tory leader", "The Tory leader"),
        ("its chief executive", None),  # whose, the phrase does not say
        ("the government", None),  # a body: "it"
        ("ministers", None),  # a group: "they"
        ("spokesman", None),  # for whom?
        ("the general", None),  # a rank, not a post with a stake
        ("the man who had been the deputy prime minister", None),  # a clause
    ],
)
def test_a_post_one_person_holds_names_the_speaker(phrase, post):
    assert post_speaker(phrase) == post


@pytest.mark.parametrize(
    "text, claimant",
    [
        ("Lib Dem Anna Pryce said school spending had fallen by 3% since 2001.", "Anna Pryce"),
        ("Conservative Tom Hale said the number of nurses had dropped by 2,000.", "Tom Hale"),
        ("Labour's Jane Okoro said 80,000 new homes would be built by 2016.", "Jane Okoro"),
        ("Republican Dan Marsh said the deficit had doubled in four years.", "Dan Marsh"),
    ],
)
def test_a_party_written_before_a_name_is_the_role_not_the_name(text, claimant):
    first, later, party = annotated(
        text,
        "Mr " + claimant.split()[-1] + " said 13,000 jobs had gone since 2001.",
        "Labour said the plan was costed.",
    )
    assert (first.claimant, speaker_role(first)) == (claimant, "party")
    assert (later.claimant, speaker_role(later)) == (claimant, "party")
    assert party.claimant == "Labour"  # the party itself, not its member named before


def test_who_tells_the_commons_is_a_member_unless_their_role_says_otherwise():
    claims = annotated(
        "Ann Cole told MPs that 500,000 more children were reading well than in 1997.",
        "Ms Cole said class sizes were the smallest since records began.",
        "Chief executive Tom Reed told MPs on the transport committee that fares had fallen by 10%.",
        "Jane Doe told the Commons that crime had risen by 20% in her constituency.",
        "Mary Dunn told reporters that prices had doubled.",
    )
    assert [speaker_role(c) for c in claims] == ["MP", "MP", "chief executive", "MP", None]


@pytest.mark.parametrize(
    "text, role",
    [
        ("Paul Okoro said his government had cut crime by 30%.", "minister"),
        ('"My government has cut waiting lists by half," Ann Cole said.', "minister"),
        ("Ms Pryce said her party would scrap tuition fees.", "party"),
        ("Jo Lee said our party had won 40% of the vote.", "party"),
        ("Mary Dunn told reporters that our government had doubled aid.", None),  # a citizen's too
        ("The firm said its government contracts had doubled.", None),
    ],
)
def test_who_speaks_of_their_own_party_or_government_is_a_politician_of_it(text, role):
    (claim,) = annotated(text)
    assert speaker_role(claim) == role


def test_a_speaker_named_by_post_alone_is_the_claimant_and_he_after():
    claims = annotated(
        "The chancellor told MPs that borrowing had fallen by £5bn this year.",
        "He said the economy was growing faster than any other in the G7.",
        "Opposition MP Jane Smith and Tom Jones disagreed.",
        "He said the figures were wrong.",
    )
    assert [c.claimant for c in claims] == ["The chancellor", "The chancellor", None, None]
    assert [speaker_role(c) for c in claims[:2]] == ["minister", "minister"]
    assert claims[0].sourcing != NAMED_PERSON  # a post names no one
    assert priority(claims[1]).tier == "A"


# --- contestable wording, records of release, background -------------------------------------


@pytest.mark.parametrize(
    "text, label",
    [
        ("Sales rose 5% compared with last year.", "a comparison over time"),
        ("Crime has doubled since 1997, he said.", "a comparison over time"),
        ("Mr Darling said punctuality had improved for three years in a row.", "a comparison over time"),
        ("Britain spends more than France on defence.", "a comparison with others"),
        ("The academies cost £25m each, twice the cost of a normal school.", "a comparison with others"),
        ("Crime is three times the level it was in 1990.", "a comparison with others"),
        ("BT said it had delivered the fastest growth of any operator in Europe.", "a comparison with others"),
        ("The UK now has the most competitive broadband market in the G7.", "a comparison with others"),
        ("We are now the biggest airline in Europe by passenger numbers, Mr Doyle said.", "a comparison with others"),
        ('"We have created more jobs than any administration," the president said.', "a comparison with others"),
        ("Britain has fewer doctors than France, he said.", "a comparison with others"),
        ("She said the company was now the most profitable automaker in North America.", "a comparison with others"),
        ("We have the highest employment rate in our history, he said.", "a record"),
        ("Waiting lists have fallen to their lowest level since records began.", "a record"),
        ("Queues at the border were the shortest since records began.", "a record"),
        ("The economy grew at its fastest rate for ten years.", "a record"),
        ("He said it was the biggest attack on pensions in a generation.", "a record"),
        ("Sales suffered the worst fall in 10 years.", "a record"),
        ("We are removing more people than at any time in the past, he said.", "a record"),
        ("The minister said the number of deaths had been grossly exaggerated.", "a denial"),
        ("Labour says the Tories' sums do not add up and would mean cuts of £35bn.", "a denial"),
        ("The Tories say Labour's plans leave a £10bn black hole in the public finances.", "a denial"),
        ("The doctors' union warned that hospitals were massaging the figures.", "an accusation"),
        ("The Conservatives said Labour's figures were completely fabricated.", "an accusation"),
        ("The bank had gained market share in every division, he said.", "a comparison with others"),
        ("Exports hit a record high in May.", "a record"),
        ("BP reported its record profits of £10bn.", "a record"),
        ("Prices rose because of the new tax.", "a cause"),
        ("Labour pledged to cut class sizes.", "a promise"),
        ("The firm was accused of misleading investors.", "an accusation"),
        ("Mr Brown denied that he was raising taxes.", "a denial"),
        ("The union blames the closures on a 2004 law.", "a cause"),
        ("Rover is to cut 2,000 jobs, blaming the strong pound for a fall in exports.", "a cause"),
        ("Moscow has claimed all six were foreign agents.", "a contested claim"),
        ("The minister insists the scheme has worked.", "a contested claim"),
        ("The Tories claim waiting times have got worse since Labour came to power.", "a contested claim"),
        ("The Tories claim waiting times have got worse since Labour came to power.", "a comparison over time"),
        ("The union said ministers were planning to cut pensions for porters.", "a policy change"),
        ("The Tories would scrap the scheme and raise the fuel duty.", "a policy change"),
        ("Labour would bring in tax rises of £8bn after the election, Mr Howard said.", "a policy change"),
        ("The union warned that spending cuts would close 40 fire stations.", "a policy change"),
        # hyphenated words: a sentence's words are their parts
        ("Exports hit an all-time high in May.", "a record"),
        ("The minister was accused of a cover-up.", "an accusation"),
        ("Sales were 5% higher year-on-year.", "a comparison over time"),
        # what a policy or a firm does to prices or to others is a cause
        ("Ryanair's boss said air passenger duty was driving airlines out of Britain.", "a cause"),
        ("The levy is pushing up energy bills, the campaign said.", "a cause"),
        ("The strike drove up fares across the network.", "a cause"),
        ("The union said bosses were using inflation as cover for profiteering.", "an accusation"),
        # "more than ever" is a record; public money wasted an accusation
        ('She added: "There are now more police officers than ever before."', "a record"),
        ("Labour has wasted £2bn on consultants, Mr Howard said.", "an accusation"),
        ("The council squandered millions of pounds on the bridge.", "an accusation"),
        ("The commissioner said operators had been overcharging consumers by £3bn a year.", "an accusation"),
        ("His firm had been the first to offer flat-rate roaming, he said.", "a record"),
        ("Ireland was the first country to ban smoking in pubs.", "a record"),
        ("We will halve child poverty by the end of 2010, Mr Brown said.", "a promise"),
        # a figure read against forecasts
        ("Growth was stronger than economists had expected, the chancellor said.", "a comparison with forecasts"),
        ("Claims for jobless benefits fell more than expected last week.", "a comparison with forecasts"),
        ("Profits rose 20% to £1bn, beating City forecasts.", "a comparison with forecasts"),
        ("Prices are higher than in France, Mr Brown said.", "a comparison with others"),
    ],
)
def test_contestable_wording_in_the_desks_words(text, label):
    assert label in contestable(annotated_claim(text))


@pytest.mark.parametrize(
    "text",
    [
        "There are no clear-cut leaders in England's pack.",
        "The mayor cut the ribbon at the new library.",
        "The visit was cut short by the storm.",
        "She raised concerns about the plan.",
    ],
)
def test_a_cut_that_is_no_policy_is_no_policy_change(text):
    assert "a policy change" not in contestable(annotated_claim(text))


@pytest.mark.parametrize(
    "text",
    [
        "Half the children in the area live in poverty.",
        "He played for half the match.",
        "She would rather resign than vote for the bill.",
        # a number's bound, and a forecast, are no others compared with
        "Apple has sold more than 10 million iPods since 2001.",
        "The scheme cost less than half what was promised.",
        "Fewer than a dozen people attended.",
        "More than two million people have seen the film.",
        "Claims for jobless benefits fell more than expected last week.",
    ],
)
def test_a_share_is_no_comparison(text):
    assert "a comparison with others" not in contestable(annotated_claim(text))


@pytest.mark.parametrize(
    "text",
    [
        "The minister visited a school in Leeds on Monday.",
        "He was driving down the motorway when the crash happened.",
        "The fans were pushed out of the stadium.",
        "The striker wasted a good chance in the first half.",
        # a track record, a criminal one, the music trade: no record broken
        "Chancellor Gordon Brown has defended his record on the economy.",
        "Labour's record on crime was attacked at the conference.",
        "The man had a criminal record and was known to police.",
        "The band signed to a record label in Leeds.",
        "Astronomers found a black hole at the centre of the galaxy.",
        "Add the flour and stir until the sauce thickens.",
        "He was the first to arrive at the scene.",
        "The company was bought by 2005's winner.",
        # a duty is no cause, a law's description no accusation
        "Councils will be responsible for enforcing the ban.",
        "The bill would make it illegal to sell cigarettes to children.",
    ],
)
def test_plain_event_has_no_contestable_wording(text):
    assert contestable(annotated_claim(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Federer claimed the title in Paris on Sunday.",
        "The storm claimed the lives of 12 people.",
        "She maintains a blog.",
        "The claim was rejected by the court.",  # a claim as a noun
        "He also said asylum claims had fallen by 40% in a year.",
        "Insurance claims were up 20% after the floods.",
    ],
)
def test_a_prize_a_life_or_claims_as_a_noun_are_no_contested_claim(text):
    assert "a contested claim" not in contestable(annotated_claim(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Figures from the Office for National Statistics showed sales fell 2%.", True),
        ("Mortgage lending fell 3% in May, according to the lenders' index.", True),
        ("House prices rose 0.4% in November.", True),  # a statistic in the publisher's voice
        ("Acme Holdings said pre-tax profits rose 12% to £546m.", True),  # a company's results
        ("Acme Holdings said half-year sales rose 12%.", True),
        # a regulator's market figures, a body's yearly report
        ("Broadband connections doubled in the past year, according to regulator Ofcom.", True),
        ("There are now six million connections, Ofcom said in its annual report.", True),
        ("The chancellor said growth beat his target.", False),
        ("Critics said the scheme had cost taxpayers £2bn.", False),  # someone's figure, not the paper's
        ("Car sales hit a record 2.4 million last year, the SMMT said.", True),  # a trade body's figures
        ("Kirstjen Nielsen said border arrests had fallen 40% since January.", False),  # a person
        ("The Water Services Authority said leaks fell 6% to 2,900 million litres a day last year.", True),
        # a department's weekly figures read against the market's forecasts: its release
        ("Jobless claims fell more than expected last week, the Labor Department said.", True),
        ("Inflation rose to 2.5% in May, higher than economists had forecast.", True),
        ("Mr Brown said the scheme had been forecast to cost £2bn.", False),
        # a department's periodic statistics of the economy, not what it says of its own service
        ("US unemployment fell to 5.4% in September, the Labor Department said.", True),
        ("The economy grew at an annual rate of 3.3% in the third quarter, the Commerce Department said.", True),
        ("The Department of Health said 95% of patients were seen within four hours.", False),
    ],
)
def test_routine_release(text, expected):
    assert routine_release(annotated_claim(text)) is expected


# --- tiers and reasons -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, tier",
    [
        ("Chancellor Gordon Brown said growth had beaten his 3% target for the third year.", "A"),
        ("Tory leader Michael Howard said violent crime had doubled since 1997.", "A"),
        ("The firm has been accused of misleading investors, the regulator said.", "A"),
        ("Moscow has claimed all six were foreign agents who trained abroad.", "A"),
        ("The Liberal Democrats are promising to halve tuition fees for the poorest students.", "A"),
        ("The union blames the closures on a 2004 law.", "A"),
        # an allegation is the desk's whatever opinion words it reports
        ("Mr Carver is alleged to have said that offenders should be jailed for life.", "A"),
        ("Mortgage lending fell 3% in May, the lenders' association said.", "B"),
        ("Car sales fell 3% in May, according to the Society of Motor Manufacturers and Traders.", "B"),
        # an international body's figures and forecasts are of record too
        ("There will be 4 million robots in offices by 2010, according to the World Bank (WB).", "B"),
        ("Figures from the Office for National Statistics showed sales fell 2%.", "B"),
        # a department's figures speak for the department's statisticians, not its minister
        ("Figures published by the Home Office in January showed that violent crime rose 9%.", "B"),
        ("The Home Office said violent crime had fallen 9% since 1997.", "A"),
        # a share as a change is a figure; "the lowest for three years" a record
        ("Home Secretary Yvette Cooper said crossings had fallen by a third compared with last year.", "A"),
        ("Tesco chief executive Ken Murphy said food inflation was the lowest for three years.", "A"),
        ("The trust was founded in 1969 to help former nurses.", "C"),
        ("The band played their first gig in Leeds.", "C"),
        # a private person, named with their age, has no stake in what they say
        ("Mr Pryor, 58, said the robbery happened 50 yards from the bank.", "B"),
        ("Mr Pryor, the shadow transport secretary, said fares had risen 20% since 2010.", "A"),
        ("In Paris, 2,000 marched and Mr Pryor said fares had risen 20% since 2010.", "A"),
        # an allegation against a private person named by their age is a court report
        ("Mr Keane, 31, was arrested following an alleged assault in a Leeds bar.", "C"),
        # ... and a charge or a sentence reported plainly is one, whoever is named
        ("The former chief executive was charged with fraud and will appear in court in May.", "C"),
        ("Li Wenhao, the bank's ex-president, was jailed for nine years in 2001.", "C"),
        # a vox pop's shopper or student is a private person too
        ("Shopper Mary Jones said prices had risen 20% since last year.", "B"),
        ("Jane Smith, a local resident, said bin collections had been cut by half since 2003.", "B"),
        # an economist or an analyst comments on others' figures: no stake in them either
        ("Ian Walsh, chief UK economist at Hartley Bank, said growth slowed to 2% in the third quarter.", "B"),
        ('"Growth slowed to 2%," said Ian Walsh, an economist at Hartley Bank.', "B"),
        ("Analyst Jo Reed of Numis said Tesco's sales had risen 10% since 2003.", "B"),
        ("Economists at Capital Economics said house prices had risen 20% last year.", "B"),
        # ... and so does a firm selling reports on a market, or a trade body of surveyors
        ("Estate agents Knight Frank said prices in central London had risen by 8% over the year.", "B"),
        ("Sony has sold 70 million consoles, according to market research firm Screen Digest.", "B"),
        ("Tesco takes £1 in every £8 spent in shops, according to market researcher TNS.", "B"),
        ("The Royal Institution of Chartered Surveyors said prices rose 2% in May.", "B"),
        ("Mr Brown said economists had underestimated growth by 2% since 2003.", "A"),  # not the speaker
        # a department's weekly figures read against forecasts are its release
        ("Jobless claims fell 14,000, more than expected, the Labor Department said.", "B"),
        # a commitment with a deadline is a promise, whatever the verb
        ("Prime Minister Tony Blair said every secondary school would have broadband by 2006.", "A"),
        # a number bounded is a figure, however vaguely the number is written
        ('"No one has to wait more than six months for an operation," the prime minister said.', "A"),
        # the law's description, and its penalty, are how it works
        ("The bill would also make it illegal to sell cigarettes to anyone under 18.", "C"),
        # a promise by "he" is a named speaker's, as "he said" is
        ("Now he is pledging a small rise in tax on incomes above £150,000 a year.", "A"),
        # a captain's hopes and a manager's insistence are sport, not a desk's first claim ...
        ("Captain Jason Forster said his team had won 10 of their last 12 matches.", "B"),
        ("Wenger insisted his side could yet make the final of the cup.", "C"),
        # ... but an allegation in sport is
        ("The club was accused of breaching league rules on player transfers.", "A"),
        # an allegation the accused was cleared of is settled: a court report, minor
        ("Amid claims of match-fixing, of which he was later cleared, the captain quit.", "C"),
    ],
)
def test_priority_tiers_follow_the_guidelines(text, tier):
    assert priority(annotated_claim(text)).tier == tier


def test_a_court_report_reads_as_one():
    found = priority(annotated_claim("Two directors were found guilty of fraud at Southwark Crown Court."))
    assert (found.tier, found.court) == ("C", True)
    assert "a court report" in priority_reasons(found)
    # what the court settled is no open accusation
    cleared = priority(annotated_claim("Amid allegations of match-fixing, of which he was later cleared, he resigned."))
    assert "a court report" in priority_reasons(cleared) and "an accusation" not in priority_reasons(cleared)
    # a minister reporting a case has a stake in it: no court report
    minister = priority(annotated_claim("The home secretary said 300 people had been jailed since 2001."))
    assert (minister.tier, minister.court) == ("A", False)


def test_reasons_read_as_the_desk_speaks():
    found = priority(annotated_claim("Chancellor Gordon Brown said growth had beaten his 3% target in 2004."))
    reasons = priority_reasons(found)
    assert reasons[0] == "a minister's figure"
    assert "a promise" in reasons
    record = priority(annotated_claim("Figures from the Office for National Statistics showed sales fell 2%."))
    assert priority_reasons(record)[-1] == "a figure of record"


def test_no_reason_is_a_feature_name():
    for text in (
        "Chancellor Gordon Brown said growth had beaten his 3% target.",
        "Leaked documents revealed that 97 NATO soldiers were inside Ukraine.",
        "Man Utd beat Arsenal 2-1 in the Premiership on Sunday.",
    ):
        _, reasons = score_claim(annotated_claim(text))
        assert reasons
        assert not [r for r in reasons if re.search(r"\w:\w|_", r)], reasons


# --- the queue's one number ------------------------------------------------------------------


def test_a_claim_with_a_stake_outranks_the_same_figure_of_record():
    stake, _ = score_claim(
        annotated_claim("Chancellor Gordon Brown said unemployment fell 5% to its lowest since 1975.")
    )
    record, _ = score_claim(annotated_claim("Unemployment fell 5% to its lowest since 1975, official figures showed."))
    assert stake > record


def _shown(value: float) -> int:
    return round(100 * queue_order._logistic((value - queue_order.CENTRE) / queue_order.WIDTH))


def test_the_score_separates_the_top():
    # The top 50 claims of a large news corpus have order values from about 8.5 to 12
    # (11.8 to 5.5 on bench/spread.py's 26,000 real sentences): shown 0-100 they span
    # at least 20 points, and no value a claim reaches (16 is beyond any) shows 100.
    assert _shown(12.0) - _shown(8.5) >= 20
    assert _shown(11.8) - _shown(5.5) >= 20
    assert _shown(16.0) < 100
    values = [v / 10 for v in range(-100, 160)]
    assert [_shown(v) for v in values] == sorted(_shown(v) for v in values)  # the order is kept


def test_a_claim_without_a_stake_stays_under_those_with_one():
    stake = priority(annotated_claim("Chancellor Gordon Brown said growth had beaten his 3% target."))
    record = priority(annotated_claim("Figures from the Office for National Statistics showed sales fell 2%."))
    assert (stake.tier, record.tier) == ("A", "B")
    # a figure of record the model is sure of, under a minister's figure it finds likely
    assert queue_order.order_value(2.5, stake) > queue_order.order_value(8.0, record)
    # claims without a stake keep their order among themselves
    values = [queue_order.order_value(margin / 4, record) for margin in range(-20, 60)]
    assert values == sorted(values) and len(set(values)) == len(values)


def test_no_figure_of_record_however_sure_passes_an_office_holders_checkable_claim():
    office = priority(annotated_claim("Chancellor Gordon Brown said growth had beaten his 3% target."))
    record = priority(annotated_claim("Figures from the Office for National Statistics showed sales fell 2%."))
    # the office holder's claim at a margin the model finds very unlikely (log-odds -5), the
    # figure of record at any the model could reach
    assert queue_order.order_value(-5.0, office) >= max(queue_order.order_value(m, record) for m in range(-10, 40))


def test_what_an_aside_says_of_someone_is_not_the_claims_wording():
    aside = "Prime Minister Paul Okoro, who pledged to end corruption when he took office, said the talks had failed."
    assert "a promise" not in contestable(annotated_claim(aside))
    # a clause that ends the sentence is part of the claim
    assert "a promise" in contestable(annotated_claim("The minister pledged to hire 5,000 nurses, who start in May."))
    assert "a promise" in contestable(
        annotated_claim("Mr Okoro, who took office in May, pledged to hire 5,000 nurses.")
    )


def _stake_points(found, margin: float) -> float:
    return queue_order.order_value(margin, found) - margin


@pytest.mark.parametrize(
    "text",
    [
        "The Fire Brigades Union said 2,000 firefighters' jobs would go.",  # a union's figure
        "Chancellor Gordon Brown accused the Tories of wasting public money.",  # a minister's accusation
    ],
)
def test_check_worthiness_gates_the_stake_bonus(text):
    found = priority(annotated_claim(text))
    assert found.tier == "A" and found.role
    assert _stake_points(found, -4.0) < 0.25 < 3.5 < _stake_points(found, 5.0)


@pytest.mark.parametrize(
    "text",
    [
        "Chancellor Gordon Brown said growth had beaten his 3% target.",
        "The Conservatives say they would cut taxes by £4bn.",
        '"We will put 5,000 more police officers on the streets," Tory leader Michael Howard said.',
        "Lib Dem leader Charles Kennedy said his party would scrap tuition fees.",
        "BA chief executive Rod Eddington said passenger numbers had doubled since 2001.",
    ],
)
def test_office_holders_checkable_claims_hardly_wait_on_the_margin(text):
    # A politician's or a company boss's figure, comparison, record, promise or policy:
    # what the desk takes up first, however unlike a debate's claims the model finds it.
    found = priority(annotated_claim(text))
    assert found.tier == "A"
    assert _stake_points(found, -2.0) >= 2.5 and _stake_points(found, 0.0) > 3.5
    union = priority(annotated_claim("The Fire Brigades Union said 2,000 firefighters' jobs would go."))
    assert _stake_points(found, 0.0) > _stake_points(union, 0.0) + 2.0


def test_an_office_holders_checkable_claim_sits_above_a_likely_figure_of_record():
    # However unlikely the debate-trained model finds a politician's pledge, it is what the
    # desk takes up before a monthly figure the model finds likely (tier A above tier B).
    pledge = priority(annotated_claim("Lib Dem leader Anna Pryce said her party would scrap tuition fees."))
    record = priority(annotated_claim("Figures from the Office for National Statistics showed sales fell 2%."))
    assert (pledge.tier, record.tier) == ("A", "B")
    assert queue_order.order_value(-6.0, pledge) > queue_order.order_value(6.0, record)
    # among such claims the model's order is kept
    values = [queue_order.order_value(margin / 4, pledge) for margin in range(-40, 20)]
    assert values == sorted(values) and len(set(values)) == len(values)
    # a union's figure still waits on the margin
    union = priority(annotated_claim("The Fire Brigades Union said 2,000 firefighters' jobs would go."))
    assert queue_order.order_value(-6.0, union) < queue_order.order_value(4.0, record)


def test_a_keeper_of_records_named_by_what_it_is_makes_a_release():
    assert priority(annotated_claim("Mortgage lending fell 25% year-on-year, the lenders' association said.")).release


@pytest.mark.parametrize(
    "text",
    [
        "Freshway, the UK's biggest retailer, said its sales had risen 11%, beating forecasts.",
        "SkyWays said that its passenger numbers rose 2.1% to 40 million.",
        "Its sales fell 3% in the first quarter, the retailer Freshway said.",
        "Rival carrier JetAir said its own passenger numbers had doubled in a year.",
        "Chelsea have reported record losses of £140m for the last financial year.",
    ],
)
def test_a_company_reporting_its_own_trading_is_a_figure_of_record(text):
    found = priority(annotated_claim(text))
    assert (found.tier, found.release) == ("B", True)
    assert priority_reasons(found)[-1] == "a figure of record"


@pytest.mark.parametrize(
    "text",
    [
        "SkyWays said its revenues had grown 5% because of its new routes.",  # a cause: contested
        "Freshway said its sales had risen 11% and promised to cut prices by 5%.",  # a promise
        "Mr Reed said its sales had risen 11% since 2003.",  # a person says it, not the firm
        "Tom Reed said its sales had risen 11% since 2003.",
        "Labour said its membership had risen 10% since the election.",  # a party's own
    ],
)
def test_a_company_that_blames_or_promises_or_a_person_keeps_the_stake(text):
    assert priority(annotated_claim(text)).tier == "A"


def test_the_company_said_of_its_trading_in_an_article_is_its_record():
    claims = annotated(
        "SkyWays said on Monday that it would open ten new routes.",
        "Passenger numbers rose 2.1% to 40 million, the company said.",
        "Chief executive Tom Reed said fares had fallen 10% since 2002.",
    )
    company, boss = priority(claims[1]), priority(claims[2])
    assert claims[1].claimant == "SkyWays" and (company.tier, company.release) == ("B", True)
    assert (boss.tier, boss.role) == ("A", "chief executive")
