"""Edited articles reloaded: 100 % of reviews kept, on kept or superseded claims.

A synthetic corpus of 200 articles is loaded and ~300 of its claims reviewed
(random statuses, verdicts, notes, evidence, assignees; some twice). Then half
the articles are edited (a sentence dropped, a word changed in another, a
sentence added) and reloaded. Every reviewed claim must still exist with
exactly the review it had, whether its sentence survived (kept) or not
(superseded). Reloading the original text brings superseded claims back to
life with their reviews; a further reload changes nothing.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
from pathlib import Path

from support.helpers import ROOT, random_review

sys.path.insert(0, str(ROOT / "bench"))
from corpus import article  # noqa: E402

from datasette_factcheck.desk.review import save_review  # noqa: E402
from datasette_factcheck.desk.review_input import parse_review
from datasette_factcheck.load.run import load_paths  # noqa: E402

ARTICLES = 200
REVIEWS = 300
SENTENCE_END = re.compile(r"(?<=[.?])\s+")
REVIEW_COLUMNS = ("status", "verdict", "note", "evidence", "assignee", "reviewed_by", "reviewed_at", "version")
NOTES = [
    "Checked against the ministry's figures.",
    "Source disputes this \u2014 call back Monday.",
    "Numbers don't add up: 12 + 30 \u2260 50",
    "Zitat pr\u00fcfen; \u00e9t\u00e9 2024",
    "",
    "<b>not html</b> & 'quotes' \"double\"",
    "line one\nline two",
]


def paragraphs_of(body: str) -> list[list[str]]:
    return [SENTENCE_END.split(paragraph) for paragraph in body.split("\n\n")]


def body_of(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(sentences) for sentences in paragraphs if sentences)


def edit(record: dict, number: int, rng: random.Random) -> tuple[dict, str, str]:
    """Drop one sentence, change a word in another, add one. Returns the new record and
    the dropped and the changed sentence (as they were)."""
    paragraphs = paragraphs_of(record["body"])
    places = [(p, s) for p, sentences in enumerate(paragraphs) for s in range(len(sentences))]
    (dp, ds), (cp, cs) = rng.sample(places, 2)
    dropped, changed = paragraphs[dp][ds], paragraphs[cp][cs]
    words = changed.split(" ")
    at = rng.choice([i for i, word in enumerate(words[1:], 1) if word.isalpha()] or [1])
    words[at] = "reportedly" if words[at] != "reportedly" else "allegedly"
    paragraphs[cp][cs] = " ".join(words)
    del paragraphs[dp][ds]
    paragraphs[rng.randrange(len(paragraphs))].append(
        f"Officials in Zorville said {number + 100} residents were moved on March {number % 28 + 1}."
    )
    return {**record, "body": body_of(paragraphs)}, dropped, changed


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def reviews(conn: sqlite3.Connection, ids) -> dict[str, tuple]:
    sql = f"SELECT {', '.join(REVIEW_COLUMNS)} FROM claims WHERE id = ?"
    return {cid: conn.execute(sql, [cid]).fetchone() for cid in ids}


def superseded(conn: sqlite3.Connection, ids) -> set[str]:
    return {
        cid
        for cid in ids
        if conn.execute("SELECT superseded_at IS NOT NULL FROM claims WHERE id = ?", [cid]).fetchone()[0]
    }


def test_edited_articles_reloaded_keep_every_review(tmp_path):
    rng = random.Random(20241220)
    original = [article(number, rng) for number in range(ARTICLES)]
    db = tmp_path / "factcheck.db"
    first = load_paths(db, [write(tmp_path / "v1.jsonl", original)], workers=1)
    assert not first.problems and first.articles_new == ARTICLES

    # Edit every other article, remembering which sentences went away.
    edited, gone = [], {}
    for number, record in enumerate(original):
        if number % 2 == 0:
            record, dropped, changed = edit(record, number, rng)
            gone[record["id"]] = {dropped, changed}
        edited.append(record)

    # Review ~300 claims: in edited articles, those of the sentences that will go
    # and some that will stay; the rest anywhere.
    conn = sqlite3.connect(db)
    claims = conn.execute("SELECT id, article_id, text FROM claims").fetchall()
    doomed = [cid for cid, article_id, text in claims if text in gone.get(article_id, ())]
    assert len(doomed) >= 150, len(doomed)
    others = [cid for cid, _, _ in claims if cid not in set(doomed)]
    targets = rng.sample(doomed, 120) + rng.sample(others, REVIEWS - 120)
    now = "2024-12-20T10:00:00+00:00"
    for n, cid in enumerate(targets):
        for _ in range(1 + (n % 5 == 0)):  # every fifth claim reviewed twice
            review = parse_review(random_review(rng, rng.choice(NOTES)), from_form=False)
            save_review(conn, cid, review, rng.choice(["alice", "bob", "root"]), now)
    conn.commit()
    before = reviews(conn, targets)
    events_before = conn.execute("SELECT * FROM claim_events ORDER BY id").fetchall()
    assert sum(row[REVIEW_COLUMNS.index("version")] > 0 for row in before.values()) > 0.9 * REVIEWS
    conn.close()

    # Reload the edited corpus.
    second = load_paths(db, [write(tmp_path / "v2.jsonl", edited)], workers=1)
    assert not second.problems
    assert (second.articles_new, second.articles_updated, second.articles_unchanged) == (
        0,
        ARTICLES // 2,
        ARTICLES // 2,
    )
    assert second.claims_superseded >= ARTICLES // 2 and second.claims_new >= ARTICLES // 2

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    after = reviews(conn, targets)
    missing = [cid for cid in targets if after[cid] is None]
    changed = [cid for cid in targets if after[cid] is not None and after[cid] != before[cid]]
    gone_now = superseded(conn, targets)
    kept_count, superseded_count = len(targets) - len(gone_now), len(gone_now)
    print(
        f"\n{len(targets)} reviewed claims after reload: {len(targets) - len(missing) - len(changed)} "
        f"with their review intact ({kept_count} kept, {superseded_count} superseded), "
        f"{len(missing)} missing, {len(changed)} altered"
    )
    assert missing == [] and changed == [], (missing[:5], changed[:5])
    assert after == before  # 100 %
    # The claims of the sentences that went are the superseded ones, and only those.
    bodies = dict(conn.execute("SELECT id, body FROM articles"))
    for cid in targets:
        article_id, text = conn.execute("SELECT article_id, text FROM claims WHERE id = ?", [cid]).fetchone()
        assert (cid in gone_now) == (text not in bodies[article_id]), (cid, text)
    assert superseded_count >= 100 and kept_count >= 150
    # Reloading wrote no history: only editors' reviews are events.
    assert conn.execute("SELECT * FROM claim_events ORDER BY id").fetchall() == events_before
    conn.close()

    # The original text again: the superseded claims come back, reviews and all.
    third = load_paths(db, [tmp_path / "v1.jsonl"], workers=1)
    assert not third.problems and third.articles_updated == ARTICLES // 2
    conn = sqlite3.connect(db)
    assert superseded(conn, targets) == set()
    assert reviews(conn, targets) == before
    conn.close()

    # And once more: nothing changes.
    fourth = load_paths(db, [tmp_path / "v1.jsonl"], workers=1)
    assert (fourth.articles_new, fourth.articles_updated, fourth.articles_unchanged) == (0, 0, ARTICLES)
    assert (fourth.claims_new, fourth.claims_superseded) == (0, 0)
    conn = sqlite3.connect(db)
    assert reviews(conn, targets) == before
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
