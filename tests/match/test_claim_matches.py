"""claim_matches redone in chunks (match/claim_matches.py): the bar moves chunk by chunk,
and the matches kept are those of one search over every claim."""

from __future__ import annotations

from datasette_factcheck.match import bm25, claim_matches

KEPT = "SELECT claim_id, factcheck_id, ruled_claim_id, score, rank FROM claim_matches ORDER BY claim_id, rank"


def test_matching_in_chunks_keeps_what_one_search_keeps_and_reports_each_chunk(db_path, conn, monkeypatch):
    # Fact-checks repeating seven of the seed claims, one of them twice over.
    texts = [row[0] for row in conn.execute("SELECT text FROM claims ORDER BY id LIMIT 7")]
    conn.executemany(
        "INSERT INTO factchecks (id, claim, loaded_at) VALUES (?, ?, 'now')",
        [(f"fc{n}", text) for n, text in enumerate(texts + texts[:1])],
    )
    claims = claim_matches.count_live_claims(conn)
    monkeypatch.setattr(claim_matches, "SEARCH_CHUNK", 10**6)
    claim_matches.refresh_all(conn)
    whole = conn.execute(KEPT).fetchall()
    assert whole
    monkeypatch.setattr(claim_matches, "SEARCH_CHUNK", 3)
    told: list[int] = []
    assert claim_matches.refresh_all(conn, told.append) == claims
    assert conn.execute(KEPT).fetchall() == whole
    assert sum(told) == claims and set(told[:-1]) == {3} and 0 < told[-1] <= 3


def test_new_fact_checks_redo_the_same_claims_searched_together_or_one_by_one(conn, monkeypatch):
    texts = [row[0] for row in conn.execute("SELECT text FROM claims ORDER BY id LIMIT 2")]
    conn.executemany(
        "INSERT INTO factchecks (id, claim, title, loaded_at) VALUES (?, ?, 'A fact-check', 'now')",
        [(f"fc{n}", text) for n, text in enumerate(texts)],
    )
    assert claim_matches.count_live_claims(conn) > 10 * len(texts)  # not a refresh of every claim
    kept = {}
    for way, min_texts in {"one by one": 10**9, "together": 1}.items():
        monkeypatch.setattr(bm25, "MIN_TEXTS", min_texts)
        conn.execute("DELETE FROM claim_matches")
        redone = claim_matches.factchecks_changed(conn, ["fc0", "fc1"])
        kept[way] = (redone, conn.execute(KEPT).fetchall())
    assert kept["together"] == kept["one by one"]
    redone, rows = kept["together"]
    assert redone >= 2 and {"fc0", "fc1"} <= {row[1] for row in rows}
