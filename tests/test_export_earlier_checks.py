"""The ClaimReview export names the published fact-check a review was based on: a done
claim whose evidence holds the URL of one of its matched fact-checks ("use this verdict"
puts it there) carries that fact-check in ``isBasedOn``, on the web and from the CLI alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from conftest import ROOT, make_datasette
from webtools import CLAIMREVIEW_URL, claim_id_like, read, review_in_file

FIXTURES = Path(__file__).parent / "fixtures" / "factchecks"
NOW = "2025-01-20T10:00:00+00:00"
LEAK = "The Discord leaks revealed that as of March 2023, 97 NATO special operations soldiers"
LEAK_CHECK = "https://factcheck.example.org/2023/04/discord-leak-nato-soldiers"
MACRON = "Earlier this year, French President Emmanuel Macron"
REVIEW_URL = "https://desk.example.org/checks/{id}"


def run(*args: str):
    result = CliRunner().invoke(cli, ["factcheck", *map(str, args)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def used_db(db_path) -> Path:
    """The leak claim ruled with its matched fact-check in the evidence; the Macron claim
    ruled citing a fact-check that is not among its matches."""
    run("import-factchecks", db_path, FIXTURES / "one.json", FIXTURES / "list.json")
    leak = claim_id_like(db_path, LEAK)
    review_in_file(db_path, leak, NOW, status="done", verdict="unproven",
                   evidence=["https://www.example.org/other-source", f" {LEAK_CHECK} "])  # fmt: skip
    review_in_file(db_path, claim_id_like(db_path, MACRON), NOW, status="done", verdict="true", evidence=[LEAK_CHECK])
    return db_path


async def items(path: Path) -> dict[str, dict]:
    ds = await make_datasette(path)
    response = await read(ds, CLAIMREVIEW_URL)
    assert response.status_code == 200, response.text[:300]
    return {item["claimReviewed"][:30]: item for item in response.json()}


@pytest.mark.asyncio
async def test_a_review_that_used_a_published_fact_check_names_it_in_is_based_on(used_db):
    found = await items(used_db)
    (earlier,) = found[LEAK[:30]]["isBasedOn"]
    assert earlier == {
        "@type": "ClaimReview",
        "url": LEAK_CHECK,
        "claimReviewed": earlier["claimReviewed"],
        "author": {"@type": "Organization", "name": "Example Fact Check"},
        "datePublished": "2023-04-14",
        "reviewRating": {"@type": "Rating", "alternateName": "Unproven"},
    }
    assert earlier["claimReviewed"].startswith("Leaked documents show 50 British")
    # a fact-check URL in the evidence of a claim it does not match is only evidence
    assert "isBasedOn" not in found[MACRON[:30]]


@pytest.mark.asyncio
async def test_the_cli_export_names_it_too_byte_for_byte_as_the_web(used_db):
    ds = await make_datasette(used_db)
    web = (await read(ds, CLAIMREVIEW_URL)).content
    assert b'"isBasedOn"' in web
    assert run("export", used_db, "--format", "claimreview", "-c", ROOT / "datasette.yaml").stdout_bytes == web


@pytest.mark.asyncio
async def test_a_matched_fact_check_the_evidence_does_not_name_is_not_named(used_db):
    review_in_file(used_db, claim_id_like(used_db, LEAK), NOW, evidence=["https://www.example.org/other-source"])
    found = await items(used_db)
    assert "isBasedOn" not in found[LEAK[:30]]
