"""Every factcheck database gets its Datasette settings, whatever its file is called.

The shipped datasette.yaml and metadata.yml no longer key them to a database
named ``factcheck``: a newsroom's ``desk.db`` gets the same facets, sort,
search, hidden internal tables and column descriptions, and a user's own
setting still wins.
"""

from __future__ import annotations

import shutil

import pytest

from support.helpers import cookies, make_datasette, shipped_config
from support.webtools import ROOT_ACTOR


@pytest.fixture
def desk_db_path(tmp_path, seeded_db_path):
    target = tmp_path / "desk.db"
    shutil.copy(seeded_db_path, target)
    return target


@pytest.mark.asyncio
async def test_a_database_of_any_name_gets_facets_sort_search_and_hidden_tables(desk_db_path):
    ds = await make_datasette(desk_db_path)
    response = await ds.client.get("/desk/claims.json?_extra=facet_results", cookies=cookies(ds, ROOT_ACTOR))
    assert response.status_code == 200
    data = response.json()
    assert set(data["facet_results"]["results"]) >= {"status", "verdict", "kind", "sourcing"}
    scores = [row["checkworthiness"] for row in data["rows"]]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    searched = (await ds.client.get("/desk/claims.json?_search=Healey", cookies=cookies(ds, ROOT_ACTOR))).json()
    assert searched["rows"] and all(
        "Healey" in row["text"] or "healey" in row["text"].lower() for row in searched["rows"]
    )
    hidden = set(await ds.get_database("desk").hidden_table_names())
    assert {"claim_cluster_keys", "claim_counts", "_factcheck_writer"} <= hidden
    assert "claims" not in hidden


@pytest.mark.asyncio
async def test_a_database_of_any_name_gets_its_descriptions_with_the_vocabularies(desk_db_path):
    ds = await make_datasette(desk_db_path)
    assert "claims" in (await ds.get_resource_metadata("desk", "claims"))["description"].lower()
    kind = (await ds.get_column_metadata("desk", "claims", "kind"))["description"]
    assert "statistic" in kind and "opinion" in kind and "{" not in kind
    page = (await ds.client.get("/desk/claims", cookies=cookies(ds, ROOT_ACTOR))).text
    assert "How the claim is sourced" in page


@pytest.mark.asyncio
async def test_the_users_own_settings_win(desk_db_path):
    config = shipped_config()
    config["databases"] = {"desk": {"tables": {"claims": {"facets": ["kind"], "sort": "position"}}}}
    ds = await make_datasette(desk_db_path, config=config)
    table = await ds.table_config("desk", "claims")
    assert table["facets"] == ["kind"]
    assert table["sort"] == "position"
    assert table["fts_table"] == "claims_fts"  # what the user left unsaid still comes from the plugin
