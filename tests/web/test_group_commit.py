"""Group commit (group_commit.py): writes that arrive together share one
transaction, yet each stays all or nothing and is answered only after commit.

Against a real Datasette database file and its real write thread. Writes
gathered in one go all queue before the first transaction starts, so which
writes share a transaction is deterministic here.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
import pytest_asyncio
from datasette import hookimpl

from datasette_factcheck.desk.review import save_review
from datasette_factcheck.desk.review_input import ReviewInput
from datasette_factcheck.errors import Stale, Unknown
from datasette_factcheck.web.group_commit import MAX_GROUP, GroupCommit, group_commit
from support.helpers import make_datasette, registered_plugin
from support.webtools import NATO_TEXT, ROOT_ACTOR, claim, claim_id_like, events, save

NOW = "2026-11-21T10:00:00+00:00"


class TransactionCounter:
    """A write_wrapper plugin: counts write transactions, and can make the
    next COMMIT fail the way a plugin's wrapper raising after the write does."""

    def __init__(self):
        self.transactions = 0
        self.fail_after_write = False

    @hookimpl
    def write_wrapper(self, datasette, database, request, transaction):
        def wrapper(conn):
            self.transactions += 1
            yield
            if self.fail_after_write:
                raise RuntimeError("refused by a write_wrapper")

        return wrapper


@pytest.fixture
def counter():
    with registered_plugin(TransactionCounter(), "test-transaction-counter") as plugin:
        yield plugin


@pytest_asyncio.fixture
async def factcheck(db_path):
    ds = await make_datasette(db_path)
    return ds.get_database("factcheck")


def _note(claim_id: str, note: str, version: int | None = None):
    review = ReviewInput(changes={"note": note}, version=version)
    return lambda conn: save_review(conn, claim_id, review, "alice", NOW)


def _some_claims(db_path, count: int) -> list[str]:
    return [row[0] for row in sqlite3.connect(db_path).execute(f"SELECT id FROM claims ORDER BY id LIMIT {count}")]


@pytest.mark.asyncio
async def test_writes_gathered_together_share_one_transaction_and_each_gets_its_own_answer(db_path, factcheck, counter):
    first, second, third = _some_claims(db_path, 3)
    group = GroupCommit(factcheck)
    answers = await asyncio.gather(
        group.run(_note(first, "one")), group.run(_note(second, "two")), group.run(_note(third, "three"))
    )
    assert counter.transactions == 1
    assert [a[0]["claim_id"] for a in answers] == [first, second, third]
    assert [claim(db_path, c)["note"] for c in (first, second, third)] == ["one", "two", "three"]
    assert all(len(events(db_path, c)) == 1 for c in (first, second, third))


@pytest.mark.asyncio
async def test_a_refused_write_leaves_the_others_of_its_group_saved(db_path, factcheck, counter):
    first, stale, unknown_after = _some_claims(db_path, 3)
    group = GroupCommit(factcheck)
    answers = await asyncio.gather(
        group.run(_note(first, "kept")),
        group.run(_note(stale, "refused", version=99)),
        group.run(_note("no-such-claim", "refused")),
        group.run(_note(unknown_after, "kept too")),
        return_exceptions=True,
    )
    assert counter.transactions == 1
    assert [type(a) for a in answers] == [list, Stale, Unknown, list]
    assert claim(db_path, first)["note"] == "kept" and claim(db_path, unknown_after)["note"] == "kept too"
    assert claim(db_path, stale)["note"] != "refused" and events(db_path, stale) == []


@pytest.mark.asyncio
async def test_when_the_commit_fails_every_write_of_the_group_fails_and_nothing_is_kept(db_path, factcheck, counter):
    first, second = _some_claims(db_path, 2)
    before = [claim(db_path, c) for c in (first, second)]
    counter.fail_after_write = True
    group = GroupCommit(factcheck)
    answers = await asyncio.gather(
        group.run(_note(first, "lost")), group.run(_note(second, "lost")), return_exceptions=True
    )
    assert all(isinstance(a, RuntimeError) for a in answers)
    assert [claim(db_path, c) for c in (first, second)] == before
    assert events(db_path) == []


@pytest.mark.asyncio
async def test_a_write_that_loses_the_whole_transaction_fails_the_writes_before_it(db_path, factcheck):
    first, second, third = _some_claims(db_path, 3)

    def rolled_back(conn):  # what SQLite does on a full disk, say
        conn.execute("ROLLBACK")
        raise sqlite3.OperationalError("database or disk is full")

    group = GroupCommit(factcheck)
    answers = await asyncio.gather(
        group.run(_note(first, "lost")),
        group.run(rolled_back),
        group.run(_note(third, "never run")),
        return_exceptions=True,
    )
    assert all(isinstance(a, sqlite3.OperationalError) for a in answers)
    assert "rolled back" in str(answers[0]) and "disk is full" in str(answers[1])
    assert events(db_path) == []
    assert claim(db_path, first)["note"] != "lost" and claim(db_path, third)["note"] != "never run"


@pytest.mark.asyncio
async def test_a_burst_is_split_into_bounded_groups_and_all_of_it_is_saved(db_path, factcheck, counter):
    ids = _some_claims(db_path, 10)
    writes = [(ids[n % len(ids)], f"note {n}") for n in range(MAX_GROUP + 6)]
    group = GroupCommit(factcheck)
    await asyncio.gather(*(group.run(_note(claim_id, note)) for claim_id, note in writes))
    assert counter.transactions == 2
    assert len(events(db_path)) == len(writes)
    assert claim(db_path, writes[-1][0])["note"] == writes[-1][1]


@pytest.mark.asyncio
async def test_each_database_has_one_group_commit(factcheck):
    assert group_commit(factcheck) is group_commit(factcheck)


@pytest.mark.asyncio
async def test_concurrent_saves_over_http_each_get_their_own_status(db_path):
    ds = await make_datasette(db_path)
    nato = claim_id_like(db_path, NATO_TEXT)
    others = [c for c in _some_claims(db_path, 6) if c != nato][:4]
    bodies = [
        (nato, {"note": "ok", "version": claim(db_path, nato)["version"]}),
        (others[0], {"version": 99}),
        (others[1], {"verdict": "banana"}),
        ("no-such-claim", {"note": "x"}),
    ]
    bodies += [(c, {"note": f"ok {c}"}) for c in others[2:]]
    responses = await asyncio.gather(*(save(ds, ROOT_ACTOR, cid, body) for cid, body in bodies))
    assert [r.status_code for r in responses] == [200, 409, 400, 404, 200, 200]
    assert claim(db_path, nato)["note"] == "ok"
    assert {e["claim_id"] for e in events(db_path)} == {nato, *others[2:]}
