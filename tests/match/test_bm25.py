"""A batch's lexical stage as one product (match/bm25.py): the same candidates and bm25
as FTS5's MATCH query, text for text."""

from __future__ import annotations

import random
import sqlite3

import pytest

from datasette_factcheck.match import bm25, matching

# Words that stem alike ("report", "reports", "reported"), accents FTS5 folds, numbers,
# words in most rows (their idf floored) and words in one.
VOCABULARY = (
    "report reports reported reporting vaccine vaccines café cafe 2020 2021 19 covid border wall "
    "mexico taxes tax election fraud ballots mail senator governor photo shows shark flooded "
    "highway hurricane migrants caravan billion million unemployment record lowest highest"
).split()


def add_factchecks(conn: sqlite3.Connection, count: int, seed: int = 7) -> None:
    words = random.Random(seed)
    rows = []
    for n in range(count):
        claim = " ".join(words.choices(VOCABULARY, k=words.randint(3, 14)))
        title = " ".join(words.choices(VOCABULARY, k=words.randint(2, 6))) if n % 3 else None
        summary = " ".join(words.choices(VOCABULARY, k=words.randint(5, 30))) if n % 4 else None
        rows.append((f"f{n}", f"{claim} common", title, summary, "now"))
    conn.executemany("INSERT INTO factchecks (id, claim, title, summary, loaded_at) VALUES (?, ?, ?, ?, ?)", rows)
    # Edits and removals leave the index with delete markers until merged.
    conn.execute("UPDATE factchecks SET claim = 'shark on the flooded highway after hurricane' WHERE id = 'f5'")
    conn.execute("DELETE FROM factchecks WHERE id IN ('f6', 'f7')")
    conn.commit()


def term_lists(count: int, seed: int = 11) -> list[list[str]]:
    words = random.Random(seed)
    lists = [list(dict.fromkeys(words.choices(VOCABULARY, k=words.randint(1, 12)))) for _ in range(count)]
    return lists + [["common"], ["nowhere"], ["shark", "nowhere"], ["report", "reports"]]


def one_query_each(conn: sqlite3.Connection, lists: list[list[str]], depth: int) -> list[list]:
    return [matching._ranked(conn, "factchecks_fts", matching.fts_query("", terms), depth) for terms in lists]


def assert_same(batched: list, alone: list) -> None:
    assert len(batched) == len(alone)
    for got, want in zip(batched, alone):
        assert [rowid for rowid, _ in got] == [rowid for rowid, _ in want]
        assert [score for _, score in got] == pytest.approx([score for _, score in want], rel=1e-12)


@pytest.mark.parametrize("depth", [1, 6, 50])
def test_a_batch_finds_the_candidates_and_bm25_of_one_match_query_a_text(fresh_conn, depth):
    add_factchecks(fresh_conn, 300)
    lists = term_lists(80)
    batched = bm25.ranked_many(fresh_conn, "factchecks_fts", lists, depth)
    assert_same(batched, one_query_each(fresh_conn, lists, depth))
    assert all(found for found in batched[:-3])
    assert batched[-3] == []  # a word no fact-check has finds nothing


def test_a_term_the_tokenizer_splits_is_left_to_fts5(fresh_conn):
    add_factchecks(fresh_conn, 40)
    found = bm25.ranked_many(fresh_conn, "factchecks_fts", [["e-mail", "ballots"], ["ballots"]], 5)
    assert found[0] is None  # "e-mail" is a phrase of two tokens: FTS5 matches them in order
    assert found[1]
    assert_same(found[1:], one_query_each(fresh_conn, [["ballots"]], 5))


def test_tokens_are_read_by_the_index_own_tokenizer():
    tokens = bm25.tokens_of(["reported", "café", "e-mail", "--"], "porter")
    assert tokens == {"reported": ["report"], "café": ["cafe"], "e-mail": ["e", "mail"], "--": []}


def test_an_empty_index_and_an_empty_batch(fresh_conn):
    assert bm25.ranked_many(fresh_conn, "factchecks_fts", [["shark"]], 5) == [[]]
    assert bm25.ranked_many(fresh_conn, "factchecks_fts", [], 5) == []


def test_search_many_answers_the_same_batched_as_one_text_at_a_time(fresh_conn, monkeypatch):
    add_factchecks(fresh_conn, 300)
    texts = [" ".join(terms) for terms in term_lists(60, seed=3)]
    monkeypatch.setattr(bm25, "MIN_TEXTS", 10**9)
    alone = matching.search_many(fresh_conn, texts, threshold=0.0, second_stage=False)
    monkeypatch.setattr(bm25, "MIN_TEXTS", 2)
    assert matching.search_many(fresh_conn, texts, threshold=0.0, second_stage=False) == alone
    assert sum(map(bool, alone)) > 50
