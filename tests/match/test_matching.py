"""Matching claims to published fact-checks and the desk's own rulings: claim_matches kept
current when claims load, fact-checks import and rulings change; `match` on the command line."""

from __future__ import annotations

import json
import shutil
import sqlite3

from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.desk.review import save_review
from datasette_factcheck.desk.review_input import parse_review
from datasette_factcheck.match import matching
from support.helpers import DATA, FIXTURES, SEEDS

FIXTURES = FIXTURES / "factchecks"
LEAK = "The Discord leaks revealed that as of March 2023, 97 NATO special operations soldiers were inside Ukraine"
RULED = "British Defense Minister John Healey has suggested that the UK could send troops"
REPEAT = "British Defense Secretary John Healey has suggested that UK military instructors"
LEAK_CHECK = "https://factcheck.example.org/2023/04/discord-leak-nato-soldiers"


def run(*args: str):
    return CliRunner().invoke(cli, ["factcheck", *args])


def claim_id(conn: sqlite3.Connection, starts: str) -> str:
    return conn.execute("SELECT id FROM claims WHERE text LIKE ?", (starts + "%",)).fetchone()[0]


def matches(conn: sqlite3.Connection, claim: str) -> list[tuple]:
    sql = "SELECT factcheck_id, ruled_claim_id, rank FROM claim_matches WHERE claim_id = ? ORDER BY rank"
    return conn.execute(sql, (claim,)).fetchall()


def factcheck_id(conn: sqlite3.Connection, url: str) -> str:
    return conn.execute("SELECT id FROM factchecks WHERE url = ?", (url,)).fetchone()[0]


def test_importing_a_fact_check_matches_the_claim_that_repeats_it(db_path, conn):
    result = run("import-factchecks", str(db_path), str(FIXTURES / "one.json"), str(FIXTURES / "list.json"))
    assert result.exit_code == 0, result.output
    leak = claim_id(conn, LEAK)
    assert matches(conn, leak)[0] == (factcheck_id(conn, LEAK_CHECK), None, 1)
    # claims on other things are not matched to anything: only claims on troops in Ukraine are
    matched = {row[0] for row in conn.execute("SELECT claim_id FROM claim_matches")}
    texts = [conn.execute("SELECT text FROM claims WHERE id = ?", (c,)).fetchone()[0] for c in matched]
    assert all("Ukraine" in text and ("soldiers" in text or "troops" in text) for text in texts), texts
    assert claim_id(conn, "Earlier this year, French President Emmanuel Macron") not in matched
    assert len(matched) < 8
    # scores are 0..1, best first, at most five a claim
    for claim in matched:
        scores = [
            row[0] for row in conn.execute("SELECT score FROM claim_matches WHERE claim_id = ? ORDER BY rank", (claim,))
        ]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 5 and all(0 <= s <= 1 for s in scores)


def test_load_matches_the_claims_it_adds_and_no_match_skips_it(tmp_path):
    db = tmp_path / "f.db"
    run("import-factchecks", str(db), str(FIXTURES / "one.json"))
    loaded = run("load", str(db), str(SEEDS))
    assert loaded.exit_code == 0, loaded.output
    conn = sqlite3.connect(db)
    assert matches(conn, claim_id(conn, LEAK))[0][0] == factcheck_id(conn, LEAK_CHECK)
    other = tmp_path / "other.db"
    run("import-factchecks", str(other), str(FIXTURES / "one.json"))
    run("load", str(other), str(SEEDS), "--no-match")
    assert sqlite3.connect(other).execute("SELECT count(*) FROM claim_matches").fetchone() == (0,)
    # ... and `match --refresh` does it afterwards
    refreshed = run("match", str(other), "--refresh")
    assert refreshed.exit_code == 0, refreshed.output
    assert "matched 29 claims" in refreshed.output
    other_conn = sqlite3.connect(other)
    assert matches(other_conn, claim_id(other_conn, LEAK))[0][0] == factcheck_id(other_conn, LEAK_CHECK)


def test_an_edited_fact_check_leaves_the_claims_it_no_longer_matches(db_path, conn, tmp_path):
    source = tmp_path / "one.json"
    document = {**json.loads((FIXTURES / "one.json").read_text()), "identifier": "leak-check"}
    source.write_text(json.dumps(document))
    run("import-factchecks", str(db_path), str(source))
    leak = claim_id(conn, LEAK)
    assert matches(conn, leak)[0][0] == "leak-check"
    document["claimReviewed"] = "A bridge over the Thames was painted pink."
    document["headline"] = document["description"] = "Pink bridge"
    source.write_text(json.dumps(document))
    result = run("import-factchecks", str(db_path), str(source))
    assert "1 updated" in result.output
    assert matches(conn, leak) == []


def test_a_ruling_is_matched_to_the_claim_that_repeats_it_and_unmatched_when_reopened(db_path, conn, clock):
    ruled, repeat = claim_id(conn, RULED), claim_id(conn, REPEAT)
    assert matches(conn, repeat) == []
    version = conn.execute("SELECT version FROM claims WHERE id = ?", (ruled,)).fetchone()[0]
    review = parse_review({"status": "done", "verdict": "misleading", "version": version}, from_form=False)
    save_review(conn, ruled, review, "editor", clock)
    conn.commit()
    assert (None, ruled) in [row[:2] for row in matches(conn, repeat)]
    assert all(row[1] != ruled for row in matches(conn, ruled))  # never its own match
    reopen = parse_review({"status": "in_progress", "verdict": None}, from_form=False)
    save_review(conn, ruled, reopen, "editor", clock)
    conn.commit()
    assert all(row[1] != ruled for row in matches(conn, repeat))


def test_match_prints_json_lines_best_first(db_path, conn, tmp_path):
    run("import-factchecks", str(db_path), str(FIXTURES / "one.json"), str(FIXTURES / "list.json"))
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "q1", "text": "50 British special forces soldiers were in Ukraine, leaked documents show"})
        + "\nnot json\n"
        + json.dumps({"id": 7, "text": "Nothing at all like any check"})
        + "\n"
    )
    result = run("match", str(db_path), "--input", str(queries), "--json", "--limit", "3")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["id"] == "q1"
    first = lines[0]["matches"][0]
    assert set(first) == {"factcheck_id", "ruled_claim_id", "url", "claim", "rating", "score"}
    assert (first["url"], first["rating"], first["ruled_claim_id"]) == (LEAK_CHECK, "Unproven", None)
    assert first["claim"].startswith("Leaked documents show 50 British")
    assert lines[1] == {"id": "7", "matches": []}
    assert f"error: {queries} line 2: not JSON" in result.stderr
    assert result.exit_code == 1
    plain = run("match", str(db_path), "leaked documents: 50 British special forces soldiers in Ukraine")
    assert plain.exit_code == 0
    assert "Unproven: Leaked documents show 50 British" in plain.output and LEAK_CHECK in plain.output


def test_match_reads_csv_and_refuses_no_input(db_path, tmp_path):
    queries = tmp_path / "q.csv"
    queries.write_text("id,text\na,Leaked documents show 50 British special forces soldiers were in Ukraine\n")
    run("import-factchecks", str(db_path), str(FIXTURES / "one.json"))
    result = run("match", str(db_path), "--input", str(queries), "--json")
    assert json.loads(result.stdout)["matches"][0]["url"] == LEAK_CHECK
    nothing = run("match", str(db_path))
    assert nothing.exit_code == 2 and "give TEXT..., --input FILE or --refresh" in nothing.output


def test_queries_drop_stop_words_and_urls_and_cannot_inject_fts_syntax():
    assert matching.query_terms('The "NATO" said: troops OR NEAR(x) https://t.co/abc in Ukraine') == [
        "nato",
        "troops",
        "near",
        "ukraine",
    ]
    assert matching.fts_query("the of and") is None
    assert matching.fts_query('a "quoted" word') == '"quoted" OR "word"'


def test_import_keeps_a_vector_for_each_fact_check_and_the_second_stage_reranks_by_meaning(tmp_path):
    from datasette_factcheck.match import semantic

    assert semantic.available(), "the test extras install the [semantic] extra"
    db = tmp_path / "f.db"
    run("import-factchecks", str(db), str(FIXTURES / "one.json"), str(FIXTURES / "list.json"))
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT model, length(vector) FROM factcheck_vectors").fetchall()
    assert rows == [(semantic.MODEL, 384 * 4)] * 3
    assert matching.uses_second_stage(conn)
    # a paraphrase sharing few words: the vectors place it nearest the fact-check it repeats
    bridge = semantic.embed(["The river crossing in London shuts for three years starting in January"])[0]
    waiting = semantic.embed(["Patients now wait half as long for hospital treatment as in 2020"])[0]
    stored = dict(conn.execute("SELECT f.claim, f.rowid FROM factchecks f"))
    thames = stored["The Thames bridge will close for three years from January."]
    halved = stored["Hospital waiting lists have halved since 2020."]
    # bm25 put the wrong one first in both: the blend puts the right one first
    assert semantic.blended(conn, bridge, [(halved, -3.0), (thames, -2.5)])[0][0] == thames
    assert semantic.blended(conn, waiting, [(thames, -3.0), (halved, -2.5)])[0][0] == halved
    # `match --lexical` is the first stage alone: its scores are bm25's, not the blend's
    text = "leaked documents: 50 British special forces soldiers in Ukraine"
    lexical = json.loads(run("match", str(db), text, "--json", "--lexical").stdout)["matches"][0]
    full = json.loads(run("match", str(db), text, "--json").stdout)["matches"][0]
    assert lexical["url"] == full["url"] == LEAK_CHECK
    assert lexical["score"] != full["score"]


def test_match_on_a_database_from_before_fact_checks_says_what_to_do(tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(DATA / "factcheck-0.1.0.db", db)  # made by 0.1.0
    result = run("match", str(db), "troops in Ukraine")
    assert result.exit_code == 1 and "has no fact-checks: add them with" in result.output
    assert "Traceback" not in result.output
    refreshed = run("match", str(db), "--refresh")
    assert refreshed.exit_code == 0, refreshed.output
    assert "have an earlier check" in refreshed.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM factchecks").fetchone() == (0,)


def test_re_import_adds_the_vectors_fact_checks_imported_without_the_extra_lack(tmp_path):
    db = tmp_path / "f.db"
    run("import-factchecks", str(db), str(FIXTURES / "list.json"))
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM factcheck_vectors")  # as imported before the extra was installed
    conn.commit()
    again = run("import-factchecks", str(db), str(FIXTURES / "list.json"))
    assert "0 new, 0 updated, 2 unchanged" in again.output
    assert conn.execute("SELECT count(*) FROM factcheck_vectors").fetchone() == (2,)


def test_only_texts_near_a_fact_check_are_embedded_and_a_paraphrase_still_tops_its_match(tmp_path, monkeypatch):
    from datasette_factcheck.match import semantic

    db = tmp_path / "f.db"
    run("import-factchecks", str(db), str(FIXTURES / "one.json"), str(FIXTURES / "list.json"))
    conn = sqlite3.connect(db)
    embedded: list[str] = []
    embed = semantic.embed
    monkeypatch.setattr(semantic, "embed", lambda texts, *args: embedded.extend(texts) or embed(texts, *args))
    paraphrase = "The river crossing in London shuts for three years starting in January"
    unrelated = "Pineapple growers celebrate a bumper harvest"  # no word of any fact-check
    grazing = "Ministers met in January to discuss farming subsidies"  # one word: not close enough
    found = matching.search_many(conn, [paraphrase, unrelated, grazing, paraphrase.upper()])
    assert embedded == [paraphrase]  # once, though it came twice
    bridge = factcheck_id(conn, "https://factcheck.example.org/bridge")
    assert found[0][0].factcheck_id == found[3][0].factcheck_id == bridge
    assert found[1] == found[2] == []
    # asked for a ranking (a threshold given), every text with a candidate is re-ranked
    embedded.clear()
    matching.search_many(conn, [paraphrase, unrelated, grazing], threshold=0)
    assert embedded == [paraphrase, grazing]


def test_posts_are_read_without_links_and_with_hashtags_and_handles_as_words():
    post = "Vote! @HillaryClinton #DraftOurDaughters https://t.co/k46W#Hillary2016 pic.twitter.com/n35m — A (@b) May 1, 2016"
    assert matching.query_terms(matching.plain_text(post)) == [
        "vote", "hillary", "clinton", "draft", "daughters", "2016", "may", "1",
    ]  # fmt: skip


def test_a_posts_hashtag_finds_the_fact_check_that_names_it_as_one_word(fresh_conn):
    from datasette_factcheck.match.records import FactCheck
    from datasette_factcheck.match.store import ImportSummary, store

    named = FactCheck("named", "Hillary Clinton tweeted that we should #DraftOurDaughters")
    others = [FactCheck(f"other-{n}", f"A zeppelin flew over Ohio {n} times") for n in range(10)]
    store(fresh_conn, [named, *others], "test", "now", ImportSummary())
    assert matching.query_terms("Women in the draft", ["draftourdaughters", "draft"]) == [
        "women",
        "draft",
        "draftourdaughters",
    ]
    post = "I support women registering for the draft #DraftOurDaughters"
    found = matching.search(fresh_conn, post, threshold=0, second_stage=False)
    assert [match.factcheck_id for match in found] == ["named"]  # no split word of the tag is in its claim


def test_the_lexical_stage_ranks_first_the_fact_check_whose_title_the_text_repeats(fresh_conn):
    from datasette_factcheck.match.records import FactCheck
    from datasette_factcheck.match.store import ImportSummary, store

    claim = "A senator voted to cut the pensions of veterans, nurses and firefighters"
    headline = FactCheck("headline", claim, title="Senator Voted to Cut Pensions")
    other = FactCheck("other", "A zeppelin flew over Ohio", title="An Airship Over Ohio?")
    store(fresh_conn, [headline, other], "test", "now", ImportSummary())
    rowid = dict(fresh_conn.execute("SELECT id, rowid FROM factchecks"))
    text = "Senator voted to cut pensions, zeppelin seen"
    stems = {matching.stem(term) for term in matching.query_terms(text)}
    # bm25 a little higher for the other (a rare word): every word of the headline's title wins
    found = matching._Query("", stems, [(rowid["other"], -2.4), (rowid["headline"], -2.0)])
    ranked = matching.boosted(fresh_conn, found, 5)
    assert [r for r, _, _ in ranked] == [rowid["headline"], rowid["other"]]
    assert ranked[1][1:] == (matching.score_of(-2.4),) * 2  # a title the text lacks: bm25 as it was
    assert ranked[0][1:] == (matching.score_of(-2.0 * (1 + matching.TITLE_BOOST)), matching.score_of(-2.0))
    # the boost orders, it lets no more through a threshold: bm25's own score is held to it
    between = (ranked[0][1] + ranked[0][2]) / 2
    assert matching._factchecks(fresh_conn, found, 5, between, None) == [(rowid["other"], ranked[1][1])]
    assert matching._factchecks(fresh_conn, found, 5, 0, None) == [(r, score) for r, score, _ in ranked]
