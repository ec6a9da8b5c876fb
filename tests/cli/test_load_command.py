"""`datasette factcheck load` as a user runs it."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.load import run as load
from support.helpers import SEEDS


def _load(*args):
    return CliRunner().invoke(cli, ["factcheck", "load", *map(str, args)], catch_exceptions=False)


def test_load_prints_a_summary(tmp_path):
    result = _load(tmp_path / "f.db", SEEDS)
    assert result.exit_code == 0, result.output
    assert (
        "articles: 2 new, 0 updated, 0 unchanged; claims: 29 new, 0 kept, 0 superseded; files failed: 0"
        in result.output
    )


def test_bad_files_get_one_line_each_and_the_good_ones_load(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (bad / "empty.txt").write_text("")
    (bad / "latin1.txt").write_bytes("Caf\xe9 society said 3 things.".encode("latin-1"))
    (bad / "broken.jsonl").write_text(
        '{"id": "ok", "body": "The mayor said 12 bridges were closed."}\n{"id": "bad", "body": \n'
    )
    (bad / "nobody.csv").write_text("id,text\n1,hello\n")
    (bad / "good.txt").write_text("Officials said 300 homes lost power on Tuesday night.\n")
    result = _load(tmp_path / "f.db", bad, tmp_path / "missing.txt")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 6, errors
    for name in ("binary.txt", "empty.txt", "latin1.txt", "broken.jsonl:2", "nobody.csv", "missing.txt"):
        assert any(name in line for line in errors), name
    assert "Traceback" not in result.output
    assert "articles: 2 new" in result.output
    conn = sqlite3.connect(tmp_path / "f.db")
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert {r[0] for r in conn.execute("select id from articles")} == {"ok", "good"}


def test_a_file_name_with_a_line_break_still_gets_one_error_line(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "two\nlines.txt").write_text("")
    result = _load(tmp_path / "f.db", tmp_path / "in")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        f"error: {tmp_path / 'in'}/two\\nlines.txt: empty file"
    ]


def test_database_in_a_missing_folder_is_a_clear_error(tmp_path):
    result = _load(tmp_path / "nope" / "f.db", SEEDS)
    assert result.exit_code == 1
    assert "folder" in result.output and "does not exist" in result.output


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    target = tmp_path / "notes.db"
    target.write_text("just some notes, not SQLite")
    result = _load(target, SEEDS)
    assert result.exit_code == 1
    assert "cannot write to database" in result.output
    assert "Traceback" not in result.output


def test_the_summary_tells_files_loaded_in_part_from_files_that_loaded_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    good = {"id": "ok", "body": "The mayor said 12 bridges were closed."}
    (tmp_path / "in" / "part.jsonl").write_text(json.dumps(good) + "\n{not json\n")
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "good.txt").write_text("Officials said 300 homes lost power on Tuesday night.\n")
    result = _load(tmp_path / "f.db", tmp_path / "in")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "articles: 2 new, 0 updated, 0 unchanged; claims: 2 new, 0 kept, 0 superseded; "
        "files with problems: 1 loaded in part, 1 loaded nothing; files failed: 2"
    )


def test_workers_started_with_spawn_load_what_forked_ones_do(tmp_path, monkeypatch):
    # macOS and Windows spawn worker processes: they import Datasette's plugin manager afresh.
    monkeypatch.setattr(load, "BATCH_ARTICLES", 1)  # both seeds go to the workers
    monkeypatch.setenv("FACTCHECK_START_METHOD", "spawn")
    result = _load(tmp_path / "f.db", SEEDS)
    assert result.exit_code == 0, result.output
    assert (
        "articles: 2 new, 0 updated, 0 unchanged; claims: 29 new, 0 kept, 0 superseded; files failed: 0"
        in result.output
    )


def test_a_start_method_this_platform_lacks_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_START_METHOD", "teleport")
    result = _load(tmp_path / "f.db", SEEDS)
    assert result.exit_code == 1
    assert "start method 'teleport'" in result.stderr and "FACTCHECK_START_METHOD" in result.stderr
    assert "Traceback" not in result.output
