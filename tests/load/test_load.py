"""Loading is idempotent and never loses a review."""

from __future__ import annotations

import json
import pickle
import sys

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from datasette_factcheck.errors import LoadError
from datasette_factcheck.extract.signature import Signature
from datasette_factcheck.hookspecs import hookimpl
from datasette_factcheck.load import run as load
from datasette_factcheck.load.plugins import standalone_plugin_manager
from datasette_factcheck.load.run import BATCH_ARTICLES, HookSource, Loader, load_paths
from datasette_factcheck.records import json_list
from support.helpers import ROOT, SEEDS

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

EDITED = "003_7c462d476a23d359.txt"
# Worker processes start with fork where the platform has it; macOS and Windows spawn them.
START_METHODS = ["fork", "spawn"]


def _dump(path) -> dict:
    db = sqlite_utils.Database(path)
    return {table: list(db[table].rows) for table in ("articles", "claims", "claim_events", "claim_cluster_keys")}


def _review(db, text_fragment: str, **values) -> str:
    (row,) = db.query("select id, version from claims where text like ?", [f"%{text_fragment}%"])
    db["claims"].update(row["id"], {**values, "version": row["version"] + 1})
    return row["id"]


def test_second_load_of_the_same_input_changes_nothing(tmp_path):
    path = tmp_path / "factcheck.db"
    load_paths(path, [SEEDS])
    before = _dump(path)
    summary = load_paths(path, [SEEDS])
    assert (summary.articles_new, summary.articles_updated, summary.articles_unchanged) == (0, 0, 2)
    assert (summary.claims_new, summary.claims_kept, summary.claims_superseded) == (0, 0, 0)
    assert _dump(path) == before


def test_edited_article_is_updated_in_place_and_keeps_every_review(tmp_path, seeds_copy):
    path = tmp_path / "factcheck.db"
    load_paths(path, [seeds_copy])
    db = sqlite_utils.Database(path)
    kept = _review(db, "kept the option on the table", status="done", verdict="unproven", note="BBC only")
    vanished = _review(db, "reactivated", status="in_progress", note="asked Le Monde", assignee="sam")
    article = seeds_copy / EDITED
    text = article.read_text()
    text = text.replace(
        "Last month, French newspaper Le Monde reported that the UK and France had “reactivated” talks on deploying troops to Ukraine.",
        "Last month, Le Monde said talks had resumed.",
    )
    article.write_text(text + "\nThe Ministry of Defence declined to comment on 19 December 2024.\n")

    summary = load_paths(path, [seeds_copy])

    assert (summary.articles_updated, summary.articles_unchanged) == (1, 1)
    assert summary.claims_new == 2 and summary.claims_superseded == 1
    kept_row = db["claims"].get(kept)
    assert (kept_row["status"], kept_row["verdict"], kept_row["note"], kept_row["superseded_at"]) == (
        "done",
        "unproven",
        "BBC only",
        None,
    )
    gone = db["claims"].get(vanished)
    assert gone["superseded_at"] is not None
    assert (gone["status"], gone["note"], gone["assignee"]) == ("in_progress", "asked Le Monde", "sam")
    assert db["articles"].count == 2
    assert "declined to comment" in db["articles"].get("003_7c462d476a23d359")["body"]


def test_a_claim_that_comes_back_is_no_longer_superseded(tmp_path, seeds_copy):
    path = tmp_path / "factcheck.db"
    article = seeds_copy / EDITED
    original = article.read_text()
    load_paths(path, [seeds_copy])
    article.write_text(original.replace("Kremlin spokesman", "Kremlin press secretary"))
    load_paths(path, [seeds_copy])
    article.write_text(original)
    load_paths(path, [seeds_copy])
    db = sqlite_utils.Database(path)
    rows = list(db.query("select superseded_at from claims where text like 'Kremlin spokesman%'"))
    assert rows == [{"superseded_at": None}]


def test_claims_cluster_across_separate_loads(tmp_path):
    path = tmp_path / "factcheck.db"
    load_paths(path, [SEEDS / "000_c0d474dec84a8582.txt"])
    load_paths(path, [SEEDS / "003_7c462d476a23d359.txt"])
    db = sqlite_utils.Database(path)
    clusters = {
        r["cluster_id"] for r in db.query("select cluster_id from claims where text like '%motivate and mobilize%'")
    }
    assert len(clusters) == 1


def test_duplicate_ids_in_one_batch_load_the_first_and_report_the_rest(tmp_path):
    source = tmp_path / "batch.jsonl"
    source.write_text(
        '{"id": "x", "body": "The army said 40 tanks crossed the border on Monday."}\n'
        '{"id": "x", "body": "A different body that should not load at all today."}\n'
    )
    summary = load_paths(tmp_path / "f.db", [source])
    assert summary.articles_new == 1
    assert [str(p) for p in summary.problems] == [f"{source}:2: duplicate id 'x' (first at line 1); skipped"]


def test_an_id_seen_in_an_earlier_file_is_reported_on_one_line(tmp_path):
    # A quoted CSV field may hold line breaks, ids included; the report must still be one line.
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text('id,body\n"two\nlines","The army said 40 tanks crossed the border on Monday."\n')
    summary = load_paths(tmp_path / "f.db", [tmp_path / "a.csv", tmp_path / "b.csv"])
    assert summary.articles_new == 1
    assert [str(p) for p in summary.problems] == [
        f"{tmp_path / 'b.csv'}:2: duplicate id 'two\\nlines' (already read from {tmp_path / 'a.csv'}:2); skipped"
    ]


@pytest.mark.parametrize("start_method", START_METHODS)
def test_worker_processes_load_exactly_what_one_process_loads(tmp_path, start_method):
    # Two batches: both are extracted in worker processes and their rows
    # and signatures come back pickled.
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, BATCH_ARTICLES + BATCH_ARTICLES // 2)
    inline, parallel = tmp_path / "inline.db", tmp_path / "parallel.db"
    assert not load_paths(inline, [corpus], workers=1).problems
    assert not load_paths(parallel, [corpus], workers=2, start_method=start_method).problems
    ignore = {"loaded_at"}
    dumps = [
        {
            table: [{k: v for k, v in row.items() if k not in ignore} for row in rows]
            for table, rows in _dump(path).items()
        }
        for path in (inline, parallel)
    ]
    assert dumps[0] == dumps[1]
    clusters = (
        sqlite_utils.Database(parallel).execute("SELECT count(DISTINCT cluster_id), count(*) FROM claims").fetchone()
    )
    assert 0 < clusters[0] < clusters[1]  # the corpus repeats itself: some claims do join


def test_a_signature_survives_pickling_whole():
    for text in [
        "\u201cWe will do everything we can to support Kyiv and its people,\u201d John Healey said in the 1990s.",
        "Leaked documents revealed that 4210 shells were near Kyiv as of May 2023.",
        "Short.",
    ]:
        signature = Signature.of(text)
        assert pickle.loads(pickle.dumps(signature)) == signature


def test_each_load_of_a_loader_is_self_contained(tmp_path, seeds_copy, monkeypatch):
    # One article a batch, so that both go to the worker processes, every load.
    monkeypatch.setattr(load, "BATCH_ARTICLES", 1)
    loader = Loader(sqlite_utils.Database(tmp_path / "f.db"), workers=2)
    first = loader.load([seeds_copy])
    for path in seeds_copy.iterdir():  # edited, so the second load extracts them again
        path.write_text(path.read_text() + "\nThe Ministry of Defence declined to comment on 19 December 2024.\n")
    second = loader.load([seeds_copy])
    third = loader.load([seeds_copy])
    assert (first.articles_new, first.articles_updated, first.problems) == (2, 0, [])
    assert (second.articles_new, second.articles_updated, second.claims_new, second.problems) == (0, 2, 2, [])
    assert (third.articles_unchanged, third.claims_new, third.problems) == (2, 0, [])
    assert first.claims_new == 29 and first.articles_updated == 0  # not a running total


class FixedScorer:
    """A plugin a spawned worker can import by name: test_load:FixedScorer."""

    @hookimpl
    def factcheck_score_claim(self, claim, article):
        return 0.42, ["custom"]


@pytest.mark.parametrize("start_method", START_METHODS)
def test_worker_processes_run_the_plugins_named_in_the_hook_source(tmp_path, monkeypatch, start_method):
    monkeypatch.setattr(load, "BATCH_ARTICLES", 1)  # both seeds go to the workers
    hooks = HookSource(plugins=("test_load:FixedScorer",))
    assert not load_paths(tmp_path / "f.db", [SEEDS], hook=hooks, workers=2, start_method=start_method).problems
    db = sqlite_utils.Database(tmp_path / "f.db")
    assert {row["checkworthiness"] for row in db["claims"].rows} == {0.42}
    assert db["claims"].count == 29


def test_a_hook_relay_cannot_be_sent_to_spawned_workers(tmp_path):
    relay = standalone_plugin_manager(FixedScorer()).hook
    with pytest.raises(LoadError, match="HookSource"):
        Loader(sqlite_utils.Database(tmp_path / "f.db"), hook=relay, workers=2, start_method="spawn")
    # One process needs no workers, and forked workers inherit the relay.
    Loader(sqlite_utils.Database(tmp_path / "f.db"), hook=relay, workers=1, start_method="spawn")
    Loader(sqlite_utils.Database(tmp_path / "f.db"), hook=relay, workers=2, start_method="fork")


@given(st.lists(st.text()) | st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False))))
def test_json_list_writes_what_json_dumps_writes(items):
    # The loader's fast path for figures and reasons; a plugin's figures may be numbers.
    assert json_list(items) == json.dumps(items)
