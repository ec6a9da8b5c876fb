"""Tests for the review domain layer (datasette_factcheck.desk.review), against a copy of the seeded DB."""

from __future__ import annotations

import json
import sqlite3

import pytest

from datasette_factcheck.desk.history import claim_history
from datasette_factcheck.desk.review import bulk_update, review_values, save_review
from datasette_factcheck.desk.review_input import ReviewInput, parse_review
from datasette_factcheck.errors import Invalid, Refused, Stale, Unknown
from datasette_factcheck.vocab import STATUSES, VERDICTS, VocabularyError

NOW = "2025-01-02T03:04:05+00:00"
LATER = "2025-01-02T04:00:00+00:00"
NATO = "97 NATO"
RECRUITS = "motivate and mobilize more recruits"


def claim_ids(conn: sqlite3.Connection, fragment: str) -> list[str]:
    rows = conn.execute("SELECT id FROM claims WHERE text LIKE ? ORDER BY article_id", [f"%{fragment}%"])
    return [row[0] for row in rows]


def the_claim(conn: sqlite3.Connection, fragment: str) -> str:
    (claim_id,) = claim_ids(conn, fragment)
    return claim_id


def event_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM claim_events").fetchone()[0]


def review(**data) -> ReviewInput:
    return parse_review(data, from_form=False)


def refused(data, *, from_form: bool = False) -> Invalid:
    with pytest.raises(Invalid) as caught:
        parse_review(data, from_form=from_form)
    error = caught.value
    assert error.current is None
    assert "\n" not in error.message and str(error) == error.message
    return error


# --- parse_review: validation ----------------------------------------------


def test_status_outside_vocabulary_lists_allowed_values():
    error = refused({"status": "banana"})
    assert error.message == str(VocabularyError("status", "banana"))
    assert error.message.startswith("status must be one of ")
    assert all(status in error.message for status in STATUSES)
    assert error.message.endswith("(got 'banana')")


def test_verdict_outside_vocabulary_lists_allowed_values():
    error = refused({"verdict": "banana"})
    assert error.message == "verdict must be one of " + ", ".join(VERDICTS) + " (got 'banana')"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"status": 3}, "status"),
        ({"status": None}, "status"),
        ({"status": ""}, "status"),
        ({"verdict": 1}, "verdict"),
        ({"verdict": ["true"]}, "verdict"),
        ({"note": 5}, "note"),
        ({"note": ["a"]}, "note"),
        ({"evidence": "https://example.com"}, "evidence"),
        ({"evidence": {"a": 1}}, "evidence"),
        ({"assignee": 7}, "assignee"),
        ({"version": "3"}, "version"),
        ({"version": -1}, "version"),
        ({"version": 1.5}, "version"),
        ({"version": True}, "version"),
        ({"version": None}, "version"),
        ({"apply_to_cluster": "yes"}, "apply_to_cluster"),
        ({"apply_to_cluster": 1}, "apply_to_cluster"),
    ],
)
def test_wrong_json_types_are_refused_naming_the_field(data, field):
    assert refused(data).message.startswith(field + " ")


def test_note_over_the_limit_gives_its_length():
    assert refused({"note": "x" * 10_512}).message == "note is 10,512 characters; the limit is 10,000"
    assert review(note="x" * 10_000).changes["note"] == "x" * 10_000


def test_evidence_item_of_wrong_type_is_numbered():
    error = refused({"evidence": ["https://example.com/a", 42]})
    assert error.message == "evidence item 2 must be a string (got a number)"
    assert refused({"evidence": ["a", "b", None]}).message == "evidence item 3 must be a string (got null)"


def test_evidence_limits():
    assert refused({"evidence": ["a", "  "]}).message == "evidence item 2 is empty"
    assert refused({"evidence": ["x" * 2_001]}).message == "evidence item 1 is 2,001 characters; the limit is 2,000"
    assert refused({"evidence": ["e"] * 51}).message == "evidence has 51 items; the limit is 50"
    assert review(evidence=["e"] * 50).changes["evidence"] == ["e"] * 50
    assert review(evidence=None).changes["evidence"] == []


def test_evidence_from_a_form_is_one_item_per_line():
    data = {"evidence": "https://a.example/1\r\n\r\n  https://b.example/2  \n\n"}
    assert parse_review(data, from_form=True).changes["evidence"] == ["https://a.example/1", "https://b.example/2"]
    assert parse_review({"evidence": ""}, from_form=True).changes["evidence"] == []
    too_many = "\n".join(f"line {n}" for n in range(51))
    assert refused({"evidence": too_many}, from_form=True).message.startswith("evidence has 51 items")


def test_assignee():
    assert refused({"assignee": "a" * 201}).message == "assignee is 201 characters; the limit is 200"
    assert review(assignee="").changes["assignee"] is None
    assert review(assignee=None).changes["assignee"] is None
    assert review(assignee=" alice ").changes["assignee"] == "alice"


def test_empty_verdict_means_no_verdict():
    assert review(verdict="").changes["verdict"] is None
    assert review(verdict=None).changes["verdict"] is None
    assert review(verdict="false").changes["verdict"] == "false"


def test_unknown_json_fields_are_named_with_the_allowed_ones():
    error = refused({"status": "done", "verdikt": "true", "colour": "red"})
    assert error.message.startswith("unknown fields: verdikt, colour (allowed: status, verdict, note, evidence,")
    assert "apply_to_cluster" in error.message
    assert refused({"x": 1}).message.startswith("unknown field: x (")


def test_a_review_must_be_an_object():
    assert refused(["status", "done"]).message == "a review must be a JSON object (got a list)"


def test_json_is_a_partial_update():
    parsed = review(note="checked", version=4)
    assert dict(parsed.changes) == {"note": "checked"}
    assert parsed.version == 4 and parsed.apply_to_cluster is False


def test_form_fields():
    form = {
        "status": "in_progress",
        "verdict": "",
        "note": "line one\r\nline two",
        "evidence": "",
        "assignee": "",
        "version": "7",
        "apply_to_cluster": "on",
        "csrftoken": "abc",
        "submit": "Save",
    }
    parsed = parse_review(form, from_form=True)
    assert dict(parsed.changes) == {
        "status": "in_progress",
        "verdict": None,
        "note": "line one\nline two",
        "evidence": [],
        "assignee": None,
    }
    assert parsed.version == 7 and parsed.apply_to_cluster is True


@pytest.mark.parametrize("value, expected", [("1", True), ("on", True), ("true", True), ("", False), ("0", False)])
def test_form_checkbox_values(value, expected):
    assert parse_review({"apply_to_cluster": value}, from_form=True).apply_to_cluster is expected


def test_form_version_and_flag_errors():
    assert refused({"version": "x1"}, from_form=True).message.startswith("version ")
    assert refused({"version": "-1"}, from_form=True).message.startswith("version ")
    assert refused({"apply_to_cluster": "maybe"}, from_form=True).message.startswith("apply_to_cluster ")
    assert parse_review({"version": ""}, from_form=True).version is None
    assert parse_review({}, from_form=True).apply_to_cluster is False


# --- save_review --------------------------------------------------------------


def test_unknown_claim_is_404(conn):
    with pytest.raises(Unknown) as caught:
        save_review(conn, "no-such-claim", review(status="in_progress"), "alice", NOW)
    assert "no-such-claim" in caught.value.message
    assert caught.value.current is None


def test_success_bumps_version_and_writes_one_event(conn, db_path):
    claim_id = the_claim(conn, NATO)
    before = event_count(conn)
    result = save_review(
        conn, claim_id, review(status="done", verdict="unproven", note="leak not verified", version=0), "alice", NOW
    )
    changes = {"status": ["unreviewed", "done"], "verdict": [None, "unproven"], "note": [None, "leak not verified"]}
    assert result == [{"claim_id": claim_id, "action": "review", "changes": changes, "version": 1}]
    # Committed when called outside any transaction: another connection sees it.
    other = sqlite3.connect(db_path)
    assert review_values(other, claim_id) == {
        "status": "done",
        "verdict": "unproven",
        "note": "leak not verified",
        "evidence": [],
        "assignee": None,
        "reviewed_by": "alice",
        "reviewed_at": NOW,
        "version": 1,
    }
    assert event_count(other) == before + 1
    (event,) = claim_history(other, claim_id)
    assert (event["at"], event["actor"], event["action"], event["changes"]) == (NOW, "alice", "review", changes)
    other.close()


def test_stale_version_is_409_with_current_values(conn):
    claim_id = the_claim(conn, NATO)
    save_review(conn, claim_id, review(note="first editor", version=0), "alice", NOW)
    before = event_count(conn)
    with pytest.raises(Stale) as caught:
        save_review(conn, claim_id, review(note="second editor", version=0), "bob", LATER)
    error = caught.value
    assert "version" in error.message
    assert error.current == review_values(conn, claim_id)
    assert error.current["version"] == 1 and error.current["note"] == "first editor"
    assert event_count(conn) == before


def test_done_needs_a_verdict(conn):
    claim_id = the_claim(conn, NATO)
    with pytest.raises(Invalid) as caught:
        save_review(conn, claim_id, review(status="done"), "alice", NOW)
    assert caught.value.message == "verdict is required when status is done: choose one of " + ", ".join(VERDICTS)
    assert review_values(conn, claim_id)["version"] == 0


def test_resulting_state_is_checked_after_merging(conn):
    claim_id = the_claim(conn, NATO)
    save_review(conn, claim_id, review(status="done", verdict="false"), "alice", NOW)
    # Clearing the verdict of a done claim, or marking it not checkable while it has one, is refused.
    for bad in (review(verdict=None), review(status="not_checkable")):
        with pytest.raises(Invalid) as caught:
            save_review(conn, claim_id, bad, "alice", LATER)
        assert "verdict" in caught.value.message
    assert review_values(conn, claim_id)["verdict"] == "false"
    assert save_review(conn, claim_id, review(status="not_checkable", verdict=None), "alice", LATER)[0]["version"] == 2


def test_nothing_changed_writes_nothing(conn):
    claim_id = the_claim(conn, NATO)
    save_review(conn, claim_id, review(status="in_progress", note="n", evidence=["e"]), "alice", NOW)
    before_events, before_values = event_count(conn), review_values(conn, claim_id)
    assert save_review(conn, claim_id, review(status="in_progress", note="n", evidence=["e"]), "bob", LATER) == []
    assert save_review(conn, claim_id, review(), "bob", LATER) == []
    assert event_count(conn) == before_events and review_values(conn, claim_id) == before_values


def test_full_form_resubmitted_unchanged_writes_nothing(conn):
    claim_id = the_claim(conn, NATO)
    form = {"status": "unreviewed", "verdict": "", "note": "", "evidence": "", "assignee": "", "version": "0"}
    before = event_count(conn)
    assert save_review(conn, claim_id, parse_review(form, from_form=True), "alice", NOW) == []
    assert event_count(conn) == before


def test_note_is_stored_verbatim(conn):
    claim_id = the_claim(conn, NATO)
    note = '<script>alert("x")</script> & "quotes"'
    save_review(conn, claim_id, review(note=note), "alice", NOW)
    assert review_values(conn, claim_id)["note"] == note
    assert conn.execute("SELECT note FROM claims WHERE id = ?", [claim_id]).fetchone()[0] == note


def test_evidence_round_trips_as_a_list(conn):
    claim_id = the_claim(conn, NATO)
    evidence = ["https://example.com/leak", "Pentagon statement, 12 April 2023 — “not verified”"]
    save_review(conn, claim_id, review(evidence=evidence), "alice", NOW)
    assert review_values(conn, claim_id)["evidence"] == evidence
    stored = conn.execute("SELECT evidence FROM claims WHERE id = ?", [claim_id]).fetchone()[0]
    assert json.loads(stored) == evidence
    save_review(conn, claim_id, review(evidence=evidence[:1]), "alice", LATER)
    history = claim_history(conn, claim_id)
    assert [event["changes"]["evidence"] for event in history] == [[[], evidence], [evidence, evidence[:1]]]


def test_apply_to_cluster_changes_both_claims(conn):
    first, second = claim_ids(conn, RECRUITS)
    assert conn.execute(
        "SELECT count(DISTINCT cluster_id), count(DISTINCT article_id) FROM claims WHERE id IN (?, ?)", [first, second]
    ).fetchone() == (1, 2)
    before = event_count(conn)
    result = save_review(
        conn, first, review(status="done", verdict="true", note="on the record", apply_to_cluster=True), "alice", NOW
    )
    assert [(item["claim_id"], item["action"], item["version"]) for item in result] == [
        (first, "review", 1),
        (second, "cluster", 1),
    ]
    assert result[1]["changes"] == {"status": ["unreviewed", "done"], "verdict": [None, "true"]}
    assert event_count(conn) == before + 2
    sibling = review_values(conn, second)
    assert (sibling["status"], sibling["verdict"], sibling["note"]) == ("done", "true", None)
    assert (sibling["reviewed_by"], sibling["reviewed_at"]) == ("alice", NOW)
    assert [event["action"] for event in claim_history(conn, second)] == ["cluster"]
    # Applying it again changes nothing anywhere.
    assert save_review(conn, first, review(status="done", verdict="true", apply_to_cluster=True), "bob", LATER) == []


def test_apply_to_cluster_reaches_siblings_even_when_the_claim_is_unchanged(conn):
    first, second = claim_ids(conn, RECRUITS)
    save_review(conn, first, review(status="done", verdict="true"), "alice", NOW)
    result = save_review(conn, first, review(apply_to_cluster=True), "alice", LATER)
    assert [(item["claim_id"], item["action"]) for item in result] == [(second, "cluster")]


def test_apply_to_cluster_skips_superseded_claims(conn):
    first, second = claim_ids(conn, RECRUITS)
    with conn:
        conn.execute("UPDATE claims SET superseded_at = ? WHERE id = ?", [NOW, second])
    result = save_review(conn, first, review(status="in_progress", apply_to_cluster=True), "alice", NOW)
    assert [item["claim_id"] for item in result] == [first]
    assert review_values(conn, second)["status"] == "unreviewed"


def test_a_failure_midway_leaves_nothing_written(conn):
    first, second = claim_ids(conn, RECRUITS)
    conn.execute(
        "CREATE TEMP TRIGGER fail_cluster BEFORE INSERT ON main.claim_events WHEN NEW.action = 'cluster' "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
    )
    before = event_count(conn)
    with pytest.raises(Invalid) as caught:
        save_review(conn, first, review(status="in_progress", apply_to_cluster=True), "alice", NOW)
    assert "injected failure" in caught.value.message
    assert not conn.in_transaction
    assert event_count(conn) == before
    assert review_values(conn, first)["version"] == 0 and review_values(conn, second)["version"] == 0


def test_inside_a_callers_transaction_like_datasettes_write_thread(db_path):
    conn = sqlite3.connect(db_path, isolation_level="IMMEDIATE")
    claim_id = the_claim(conn, NATO)
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        save_review(conn, claim_id, review(status="in_progress"), "alice", NOW)
        assert conn.in_transaction  # the caller's transaction is still open and commits on exit
    with pytest.raises(Refused), conn:
        conn.execute("BEGIN IMMEDIATE")
        save_review(conn, claim_id, review(status="done"), "alice", LATER)
    assert review_values(conn, claim_id)["status"] == "in_progress"
    assert len(claim_history(conn, claim_id)) == 1
    conn.close()


# --- bulk_update ---------------------------------------------------------------


def test_bulk_update_changes_each_claim_with_its_own_event(conn):
    ids = claim_ids(conn, RECRUITS) + [the_claim(conn, NATO)]
    before = event_count(conn)
    result = bulk_update(conn, ids + ids[:1], {"status": "in_progress", "assignee": "bob"}, "alice", NOW)
    assert [item["claim_id"] for item in result] == ids
    assert all(item["action"] == "bulk" and item["version"] == 1 for item in result)
    assert result[0]["changes"] == {"status": ["unreviewed", "in_progress"], "assignee": [None, "bob"]}
    assert event_count(conn) == before + 3
    values = review_values(conn, ids[2])
    assert (values["status"], values["assignee"], values["reviewed_by"], values["reviewed_at"]) == (
        "in_progress",
        "bob",
        "alice",
        NOW,
    )
    # Claims already holding the values are left alone.
    assert bulk_update(conn, ids, {"assignee": "bob"}, "alice", LATER) == []


def test_bulk_unknown_id_changes_nothing(conn):
    ids = claim_ids(conn, RECRUITS)
    before = event_count(conn)
    with pytest.raises(Unknown) as caught:
        bulk_update(conn, [ids[0], "nope", ids[1]], {"status": "in_progress"}, "alice", NOW)
    assert caught.value.message.startswith("unknown claim ids: nope")
    assert event_count(conn) == before
    assert review_values(conn, ids[0])["status"] == "unreviewed"


def test_bulk_lists_at_most_five_unknown_ids(conn):
    with pytest.raises(Unknown) as caught:
        bulk_update(conn, [f"x{n}" for n in range(8)], {"status": "in_progress"}, "alice", NOW)
    assert caught.value.message.startswith("unknown claim ids: x0, x1, x2, x3, x4 and 3 more")


def test_bulk_invalid_resulting_state_changes_nothing(conn):
    nato = the_claim(conn, NATO)
    first, second = claim_ids(conn, RECRUITS)
    save_review(conn, first, review(verdict="true"), "alice", NOW)
    before = event_count(conn)
    with pytest.raises(Invalid) as caught:
        bulk_update(conn, [first, nato, second], {"status": "done"}, "alice", LATER)
    assert nato in caught.value.message and "verdict is required when status is done" in caught.value.message
    assert event_count(conn) == before
    assert review_values(conn, first)["status"] == "unreviewed"


@pytest.mark.parametrize(
    "ids, values, start",
    [
        ([], {"status": "done"}, "ids must list at least one"),
        ("abc", {"status": "done"}, "ids must be a list"),
        (["a", 3], {"status": "done"}, "ids item 2 must be a string"),
        ([f"id{n}" for n in range(1_001)], {"status": "done"}, "ids lists 1,001 claims; the limit is 1,000"),
        (["a"], {}, "set must name at least one of status, verdict, assignee"),
        (["a"], ["status"], "set must be an object"),
        (["a"], {"note": "x"}, "unknown set field: note (allowed: status, verdict, assignee)"),
        (["a"], {"status": "banana"}, "status must be one of"),
        (["a"], {"verdict": "banana"}, "verdict must be one of"),
        (["a"], {"assignee": 5}, "assignee must be a string"),
    ],
)
def test_bulk_input_errors(conn, ids, values, start):
    with pytest.raises(Invalid) as caught:
        bulk_update(conn, ids, values, "alice", NOW)
    assert caught.value.message.startswith(start)


# --- reading and history ----------------------------------------------------------


def test_review_values_of_unknown_claim_is_none(conn):
    assert review_values(conn, "no-such-claim") is None
    assert claim_history(conn, "no-such-claim") == []


def test_history_is_oldest_first(conn):
    claim_id = the_claim(conn, NATO)
    save_review(conn, claim_id, review(status="in_progress"), "alice", NOW)
    bulk_update(conn, [claim_id], {"assignee": "bob"}, "carol", LATER)
    history = claim_history(conn, claim_id)
    assert [(event["action"], event["actor"], event["at"]) for event in history] == [
        ("review", "alice", NOW),
        ("bulk", "carol", LATER),
    ]
    assert history[1]["changes"] == {"assignee": [None, "bob"]}


def test_claim_events_are_append_only(conn):
    claim_id = the_claim(conn, NATO)
    save_review(conn, claim_id, review(status="in_progress"), "alice", NOW)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE claim_events SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM claim_events")
    conn.rollback()
    assert [event["actor"] for event in claim_history(conn, claim_id)] == ["alice"]


@pytest.mark.asyncio
async def test_through_datasettes_write_thread(db_path):
    from datasette.app import Datasette

    datasette = Datasette([str(db_path)])
    db = datasette.get_database("factcheck")
    claim_id = (await db.execute("SELECT id FROM claims WHERE text LIKE ?", [f"%{NATO}%"])).rows[0][0]
    result = await db.execute_write_fn(
        lambda conn: save_review(conn, claim_id, review(status="in_progress", version=0), "alice", NOW)
    )
    assert result[0]["version"] == 1
    with pytest.raises(Stale) as caught:
        await db.execute_write_fn(
            lambda conn: save_review(conn, claim_id, review(note="late", version=0), "bob", LATER)
        )
    assert caught.value.current["status"] == "in_progress"
    assert await db.execute_fn(lambda conn: len(claim_history(conn, claim_id))) == 1
