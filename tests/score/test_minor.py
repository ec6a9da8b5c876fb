"""Lines a desk reads plainly: background lines and court reports (score/minor.py)."""

from __future__ import annotations

import pytest

from datasette_factcheck.score.fit import annotated_claim
from datasette_factcheck.score.minor import background, court_report


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The charity was founded in 1988 to support retired miners.", True),
        ("Under the Coastal Waters Protection Act 2009, trawlers can be impounded.", True),
        ("The law requires firms to publish their accounts.", True),
        ("Unemployment fell to 4.7% in March.", False),
        ("Mr Clinton said 22 million jobs were created in his time.", False),  # jobs made, no founding
        # a launch after "since" dates the figure the sentence counts
        ("Apple has sold 10 million iPods since the player was launched in 2001.", False),
        ("Sales have doubled since the firm was founded in 1990, under the Companies Act rules.", True),
        # what a law makes of an act, and its penalty: how the law works, not an accusation
        ("The bill would also make it illegal to sell cigarettes to anyone under 18.", True),
        ("It will be an offence for drivers to use a hand-held phone.", True),
        ("Anyone caught dropping litter faces a fine of £80.", True),
        ("Landlords who break the rules could be fined up to £2,500.", True),
        ("Britain faces up to a fall in exports of 10%.", False),  # to face up to: no penalty
        ("Mr Howard said the war had been illegal.", False),
    ],
)
def test_background_lines(text, expected):
    assert background(annotated_claim(text)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr Fennell, 31, was arrested after a disturbance at a Leeds nightclub.", True),
        ("Two directors were found guilty of fraud at Southwark Crown Court.", True),
        ("The former chief executive was charged with fraud.", True),
        ("Li Guoming, jailed for 9 years in 2001, was the insurer's chairman.", True),
        ("He pleaded not guilty to all charges.", True),
        ("The blogger has been ordered to pay damages by the High Court.", True),
        ("Police spoke to witnesses near the station, but no arrests have yet been made.", True),
        ("Three men are due to appear at Bow Street magistrates' court on Monday.", True),
        # an allegation settled: the accused was cleared, however the sentence says so
        ("The bribery allegations, of which he was later cleared, ended his career.", True),
        ("She was subsequently cleared by a disciplinary panel in March.", True),
        ("The winger was cleared to play after a scan on his knee on Friday.", False),
        ("The new drug has been cleared for use in hospitals across Europe.", False),
        # what someone says should happen is no report of a case
        ("Mr Houston said offenders should be jailed for life.", False),
        ("The minister wants more fraudsters to be jailed.", False),
        # an allegation is the desk's, not the court's record
        ("The firm has been accused of misleading investors, the regulator said.", False),
        ("The court of public opinion has already decided.", False),
    ],
)
def test_court_reports(text, expected):
    assert court_report(annotated_claim(text)) is expected
