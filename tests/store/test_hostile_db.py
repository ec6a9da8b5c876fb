"""Damaged or hostile files and databases (issue 22 item 5): a stored model that is a gzip
bomb or the wrong shape, a folder with links out of it, triggers someone else put on the
plugin's tables. Each ends in one line, through the CLI and the desk as a user meets them."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.score.model import FORMAT, default_model
from datasette_factcheck.score.stored_model import DamagedModel, read_model
from support.helpers import SEEDS, cookies, make_datasette
from support.webtools import ALICE


def good_document() -> dict:
    return json.loads(gzip.decompress(default_model().to_bytes()))


def with_(**changes) -> bytes:
    return gzip.compress(json.dumps({**good_document(), **changes}).encode())


DAMAGED = {
    "gzip bomb": (gzip.compress(b" " * 40_000_000), "it is over 32 MB uncompressed"),
    "broken gzip": (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "its compression is broken"),
    "not JSON": (b"\x00\x01 not json", "it is not JSON"),
    "a list": (json.dumps([1, 2]).encode(), "it is a list, not a mapping"),
    "another format": (with_(format="pickle"), "its format is 'pickle'"),
    "bias text": (with_(bias="1.5"), "bias is text, not a number"),
    "bias NaN": (b'{"format": "%s", "bias": NaN}' % FORMAT.encode(), "bias is not finite, not a number"),
    "weights a list": (with_(weights=[["w:x", 1.0]]), "weights are a list"),
    "weights text": (with_(weights={"w:x": "1"}), "weights hold something that is not a number"),
    "priors missing": (json.dumps({**good_document(), "priors": None}).encode(), "priors are missing"),
    "text, not bytes": ("a model", "it is str, not bytes"),
    "meaning weights misnamed": (
        with_(weights={**good_document()["weights"], "meaning:0": 0.1, "meaning:x": 0.2}),
        "its meaning weights are not the places 0 to 1 of a sentence vector",
    ),
    "meaning weights with a gap": (
        with_(weights={**good_document()["weights"], "meaning:0": 0.1, "meaning:5": 0.2}),
        "its meaning weights are not the places 0 to 1 of a sentence vector",
    ),
}


def store_model(path: Path, data: bytes | str) -> int:
    conn = sqlite3.connect(path)
    try:
        with conn:
            cursor = conn.execute(
                "INSERT INTO factcheck_models (trained_at, decisions, checkworthy, not_checkable, model) "
                "VALUES ('2026-01-01T00:00:00+00:00', 40, 20, 20, ?)", [data],
            )  # fmt: skip
        return cursor.lastrowid
    finally:
        conn.close()


def run(*args: str):
    return CliRunner().invoke(cli, ["factcheck", *map(str, args)])


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_model_is_one_line(case):
    data, why = DAMAGED[case]
    with pytest.raises(DamagedModel) as raised:
        read_model(3, data)
    line = str(raised.value)
    assert line.startswith(f"stored model #3 is damaged: {why}") and "\n" not in line
    assert line.endswith("; run `datasette factcheck train` again")


def test_the_shipped_model_reads_back_whole():
    assert read_model(1, default_model().to_bytes()).weights == default_model().weights


@pytest.mark.parametrize("case", DAMAGED)
def test_rescore_with_a_damaged_model_stops_with_its_line(db_path, case):
    model_id = store_model(db_path, DAMAGED[case][0])
    result = run("rescore", db_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"stored model #{model_id} is damaged: {DAMAGED[case][1]}" in result.output


def test_the_example_line_word_for_word(db_path):
    model_id = store_model(db_path, DAMAGED["weights a list"][0])
    assert run("rescore", db_path).output.strip() == (
        f"Error: stored model #{model_id} is damaged: weights are a list; run `datasette factcheck train` again"
    )


@pytest.mark.parametrize("case", ["gzip bomb", "weights a list", "not JSON"])
def test_load_goes_on_with_the_shipped_model_and_says_so(db_path, tmp_path, case):
    model_id = store_model(db_path, DAMAGED[case][0])
    article = tmp_path / "council.txt"
    article.write_text("The council said 1,200 homes would be built on the airfield by 2030, its leader said.\n")
    result = run("load", db_path, article)
    assert result.exit_code == 0, result.output
    assert (
        f"warning: factcheck_models: stored model #{model_id} is damaged: {DAMAGED[case][1]}" in result.output
        and "this load scored with the shipped model" in result.output
    )
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT DISTINCT scored_by FROM claims WHERE article_id = 'council'").fetchall() == [
        ("built-in model",)
    ]


# --- a folder with links out of it ------------------------------------------------------------


def test_load_of_a_folder_skips_links_to_files_outside_it(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("The server's private notes say the password is hunter2, officials said on Monday.\n")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "seed.txt").write_text((SEEDS / next(p.name for p in SEEDS.iterdir())).read_text())
    (folder / "linked.txt").symlink_to(outside)
    (folder / "again.txt").symlink_to(folder / "seed.txt")  # a link inside the folder: one article, read once
    db = tmp_path / "f.db"
    result = run("load", db, folder)
    assert result.exit_code == 0, result.output
    assert f"warning: {folder / 'linked.txt'}: skipped: a link to a file outside the folder" in result.output
    conn = sqlite3.connect(db)
    bodies = [row[0] for row in conn.execute("SELECT body FROM articles")]
    assert len(bodies) == 1 and not any("hunter2" in body for body in bodies)


# --- triggers someone else put on the plugin's tables ----------------------------------------------

FOREIGN = {
    "recursive": "CREATE TRIGGER grow AFTER UPDATE ON claims BEGIN "
    "UPDATE claims SET note = coalesce(note, '') || 'x' WHERE id = NEW.id; END",
    "multiplying": "CREATE TRIGGER spray AFTER INSERT ON articles BEGIN "
    "INSERT INTO claim_events (claim_id, changed_at, field, old_value, new_value) "
    "SELECT id, '', 'note', '', '' FROM claims, claims; END",
    "a plugin name, other text": "CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events BEGIN SELECT 1; END",
}


def add_trigger(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    try:
        if "claim_events_no_delete" in sql:
            conn.execute("DROP TRIGGER claim_events_no_delete")
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("case", FOREIGN)
def test_load_and_rescore_refuse_a_database_with_foreign_triggers(db_path, tmp_path, case):
    add_trigger(db_path, FOREIGN[case])
    article = tmp_path / "council.txt"
    article.write_text("The council said 1,200 homes would be built on the airfield by 2030, its leader said.\n")
    for result in (run("load", db_path, article), run("rescore", db_path)):
        assert result.exit_code == 1 and "Traceback" not in result.output
        [line] = result.output.strip().splitlines()
        assert "trigger on the fact-check tables that datasette-factcheck did not create" in line
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM articles WHERE id = 'council'").fetchone() == (0,)


@pytest.mark.asyncio
async def test_the_desk_refuses_a_database_with_foreign_triggers(db_path):
    add_trigger(db_path, FOREIGN["recursive"])
    ds = await make_datasette(db_path)
    page = await ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, ALICE))
    assert page.status_code == 503 and "grow on claims" in page.text
    claim = (await ds.client.get("/factcheck/-/factcheck.json", cookies=cookies(ds, ALICE))).status_code
    assert claim == 503


@pytest.mark.asyncio
async def test_the_plugins_own_triggers_are_not_foreign(db_path):
    ds = await make_datasette(db_path)
    assert (await ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, ALICE))).status_code == 200


@pytest.mark.asyncio
async def test_dropping_the_foreign_trigger_lifts_the_refusal_without_a_restart(db_path):
    add_trigger(db_path, FOREIGN["recursive"])
    ds = await make_datasette(db_path)
    refused = await ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, ALICE))
    assert refused.status_code == 503
    assert "DROP TRIGGER grow;" in refused.text
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER grow")
    conn.commit()
    conn.close()
    assert (await ds.client.get("/factcheck/-/factcheck", cookies=cookies(ds, ALICE))).status_code == 200
