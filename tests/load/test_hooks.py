"""The plugin's own pluggy hooks, exercised by small test plugins."""

from __future__ import annotations

import json

import pytest
import sqlite_utils
from click.testing import CliRunner
from datasette import hookimpl
from datasette.cli import cli

from datasette_factcheck.extract.claims import Claim
from datasette_factcheck.load.plugins import standalone_plugin_manager
from datasette_factcheck.load.run import Loader
from support.helpers import SEEDS, check_integrity, registered_plugin


class FixedScorer:
    @hookimpl
    def factcheck_score_claim(self, claim, article):
        return 0.42, [f"custom: {claim.kind}"]


class ParagraphExtractor:
    """Replaces the built-in extractor: one claim per paragraph."""

    @hookimpl
    def factcheck_extract_claims(self, article):
        claims, offset = [], 0
        for number, paragraph in enumerate(article.body.split("\n\n")):
            claims.append(Claim(paragraph, offset, offset + len(paragraph), number, kind="event"))
            offset += len(paragraph) + 2
        return claims


class HeadlineExtra:
    """Adds the headline as a claim, on top of the built-in extractor."""

    @hookimpl
    def factcheck_extra_claims(self, article, claims):
        if article.title:
            return [Claim(article.title, 0, 0, -1)]


class OutOfVocabularyKind:
    """Labels seed 003's first claim with a kind design.md does not have."""

    @hookimpl
    def factcheck_extra_claims(self, article, claims):
        if article.id.startswith("003_"):
            claims[0].kind = "rumour"


def _load(tmp_path, *plugins) -> sqlite_utils.Database:
    db = sqlite_utils.Database(tmp_path / "f.db")
    Loader(db, hook=standalone_plugin_manager(*plugins).hook).load([SEEDS])
    return db


def test_a_plugin_scorer_replaces_the_built_in_one(tmp_path):
    db = _load(tmp_path, FixedScorer())
    rows = list(db.query("select checkworthiness, reasons, kind from claims"))
    assert rows and {r["checkworthiness"] for r in rows} == {0.42}
    assert all(json.loads(r["reasons"]) == [f"custom: {r['kind']}"] for r in rows)


def test_a_plugin_extractor_replaces_the_built_in_one_and_is_still_annotated(tmp_path):
    db = _load(tmp_path, ParagraphExtractor())
    paragraphs = sum(row["body"].count("\n\n") + 1 for row in db["articles"].rows)
    assert db["claims"].count == paragraphs
    (discord,) = db.query("select * from claims where text like '%97 NATO%'")
    assert discord["kind"] == "event"  # the plugin's label is kept
    assert discord["sourcing"] and discord["checkworthiness"] > 0  # the rest is filled in


def test_extra_claims_are_added_to_the_built_in_ones(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "extra").mkdir()
    plain = _load(tmp_path / "plain")
    with_extra = _load(tmp_path / "extra", HeadlineExtra())
    assert with_extra["claims"].count == plain["claims"].count + 1
    assert list(with_extra.query("select 1 from claims where text like 'Defense Secretary John Healey told%'"))


def test_an_article_that_cannot_be_written_is_reported_and_nothing_of_it_saved(tmp_path):
    db = sqlite_utils.Database(tmp_path / "f.db")
    summary = Loader(db, hook=standalone_plugin_manager(OutOfVocabularyKind()).hook).load([SEEDS])
    [problem] = summary.problems
    assert problem.source.endswith("003_7c462d476a23d359.txt")
    assert "kind must be one of statistic, quote" in problem.reason and "nothing of it was saved" in problem.reason
    assert [row["id"] for row in db["articles"].rows] == ["000_c0d474dec84a8582"]
    assert {row["article_id"] for row in db["claims"].rows} == {"000_c0d474dec84a8582"}
    assert summary.articles_new == 1 and summary.claims_new == db["claims"].count
    check_integrity(tmp_path / "f.db")


@pytest.fixture
def registered_scorer():
    with registered_plugin(FixedScorer(), "test-fixed-scorer") as plugin:
        yield plugin


def test_installed_plugins_hooks_run_in_the_load_command(tmp_path, registered_scorer):
    result = CliRunner().invoke(cli, ["factcheck", "load", str(tmp_path / "f.db"), str(SEEDS)])
    assert result.exit_code == 0, result.output
    db = sqlite_utils.Database(tmp_path / "f.db")
    assert {r["checkworthiness"] for r in db.query("select checkworthiness from claims")} == {0.42}
