"""A sports report or an arts story: a sentence of it is read with its article's topic,
at load and at ``rescore`` alike; a politics story about a stadium is no sports report."""

from __future__ import annotations

import gzip
import json
import sqlite3

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.extract.claims import annotate_claims, split_claims
from datasette_factcheck.records import Article
from datasette_factcheck.score.editorial import priority
from datasette_factcheck.score.features import article_topics, named_features
from datasette_factcheck.score.model import PRIORS, Model, default_model

RUGBY = """Wales coach Mike Ruddock has named an unchanged side for the Six Nations match against Italy.

Gethin Jenkins keeps his place at loosehead prop after an impressive display.

Ruddock said: "We were delighted with the win over England and the players deserve another chance."

The Welsh have won both of their opening games for the first time since 1994.

Italy lost 42-15 to Ireland last weekend.

Bevan was twice held up short as Wales hammered away at the Scottish line."""

FILM = """Martin Scorsese's film The Aviator has 14 Bafta nominations, more than any other film this year.

Leonardo DiCaprio is nominated for best actor for his role as Howard Hughes.

The ceremony will be held in London on 12 February.

The film took $100m at the US box office in its first month."""

# Sport words in most sentences, but a minister and the opposition speak: a politics story.
OLYMPICS = """The cost of London's bid for the 2012 Olympics has risen to £30m.

Shadow culture secretary John Whittingdale said ministers had underestimated the cost of the stadium by £200m.

Culture Secretary Tessa Jowell said the Olympic bid was fully funded and would bring 20,000 jobs.

The International Olympic Committee will choose the host city in July."""

# One stadium in a story about a council's budget.
BUDGET = """The council said council tax would rise by 4% in April.

It blamed the rise on the cost of repairing the town's football stadium.

Spending on schools will fall by £2m, the council said.

The budget will be voted on next week."""


def article_claims(body: str) -> list:
    article = Article(id="a", body=body, source="test")
    claims = split_claims(article)
    annotate_claims(article, claims)
    return claims


@pytest.mark.parametrize(
    "body, topics",
    [(RUGBY, {"sport"}), (FILM, {"arts"}), (OLYMPICS, set()), (BUDGET, set())],
    ids=["rugby", "film", "olympic-bid-politics", "one-stadium"],
)
def test_an_article_is_of_a_topic_when_most_of_it_speaks_of_it(body, topics):
    assert article_topics(article_claims(body)) == topics


def test_a_sentence_that_names_no_sport_is_read_with_its_sports_report():
    bevan = article_claims(RUGBY)[-1]
    assert "topic:sport" not in named_features(bevan)  # alone, nothing says sport
    bevan.article_topics = frozenset({"sport"})
    assert "article:sport" in named_features(bevan)


def test_a_minister_on_a_stadium_keeps_tier_a_a_captain_does_not():
    minister = article_claims(OLYMPICS)[1]
    assert priority(minister).tier == "A"
    captain = article_claims("Captain Jason Forster said his team had won 10 of their last 12 matches.")[0]
    assert priority(captain).tier != "A"


def test_a_model_file_made_before_a_prior_was_added_gets_it():
    document = json.loads(gzip.decompress(Model(0.0, {"w:tax": 1.0}).to_bytes()))
    del document["priors"]["article:sport"]
    document["priors"]["sports result"] = -5.0  # what the file says wins
    model = Model.from_bytes(json.dumps(document).encode())
    assert model.priors["article:sport"] == PRIORS["article:sport"]
    assert model.priors["sports result"] == -5.0
    assert default_model().priors["article:sport"] == PRIORS["article:sport"]


def _scores(path) -> dict[str, tuple[float, str]]:
    conn = sqlite3.connect(path)
    try:
        return {
            text: (score, reasons)
            for text, score, reasons in conn.execute("SELECT text, checkworthiness, reasons FROM claims")
        }
    finally:
        conn.close()


def test_load_and_rescore_read_the_article_alike(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "rugby.txt").write_text("Wales unchanged\n\n" + RUGBY)
    (tmp_path / "articles" / "budget.txt").write_text("Council tax to rise\n\n" + BUDGET)
    db = tmp_path / "news.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["factcheck", "load", str(db), str(tmp_path / "articles")]).exit_code == 0
    loaded = _scores(db)
    bevan = next(text for text in loaded if text.startswith("Bevan"))
    assert "in a sports report" in json.loads(loaded[bevan][1])
    assert not any(
        "in a sports report" in reasons for text, (_, reasons) in loaded.items() if "council" in text.lower()
    )
    result = runner.invoke(cli, ["factcheck", "rescore", str(db)])
    assert result.exit_code == 0, result.output
    assert _scores(db) == loaded
