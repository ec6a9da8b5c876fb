"""Faults and bad input, through the real command line.

1. A corpus of bad files next to good ones, loaded by ``datasette factcheck
   load`` run as a subprocess and through click's CliRunner: every good
   article loads, every bad file (or bad record) gets exactly one line naming
   it and why, the exit status is 1 and the database passes integrity checks.
2. A load killed with SIGKILL after its first batch committed, then run
   again: integrity ok, every article present exactly once with exactly the
   claims a clean load gives it, and reviews made before the crash intact.
3. A load killed with SIGKILL alone, not its process group: its worker
   processes end too, rather than wait for work for ever with the database open.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from datasette.cli import cli

from support.helpers import ROOT, SEEDS, check_integrity

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

from datasette_factcheck.desk.review import save_review  # noqa: E402
from datasette_factcheck.desk.review_input import parse_review
from datasette_factcheck.load.run import BATCH_ARTICLES, Loader, load_paths  # noqa: E402

HUGE_BYTES = 50_000_000  # "a 50 MB single line"
KILL_ARTICLES = int(os.environ.get("FACTCHECK_KILL_ARTICLES", "1200"))  # 3 batches in CI
REVIEW_FIELDS = ("status", "verdict", "note", "evidence", "assignee", "reviewed_by", "reviewed_at", "version")


def datasette_command() -> list[str]:
    return [sys.executable, "-m", "datasette"]


# --- 1. bad files next to good ones ------------------------------------------------------


def good_record(article_id: str, sentence: str) -> dict:
    return {"id": article_id, "title": f"Title of {article_id}", "outlet": "Reuters", "body": sentence}


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory):
    """A folder of good and bad files, plus paths given on their own.

    Returns the paths to load, the article ids that must load and, for each
    bad item, the source its error line must start with and words its reason
    must contain.
    """
    base = tmp_path_factory.mktemp("faults")
    folder = base / "corpus"
    folder.mkdir()
    expected_errors: dict[str, list[str]] = {}
    good_ids: set[str] = set()

    def put(name: str, content: bytes | str) -> Path:
        path = folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    def bad(source: Path | str, *words: str) -> None:
        expected_errors[str(source)] = list(words)

    # Good files, one of each format.
    put(
        "good.txt",
        "date 2024-12-20 Authored by Jane Doe via Example News,\n\n"
        "Officials said 300 homes lost power on Tuesday night.\n",
    )
    good_ids.add("good")
    put(
        "good.jsonl",
        "".join(
            json.dumps(good_record(f"good-jsonl-{n}", f"The mayor said {n + 12} bridges were closed.")) + "\n"
            for n in range(3)
        ),
    )
    good_ids |= {f"good-jsonl-{n}" for n in range(3)}
    put(
        "good.csv",
        'id,title,body\ngood-csv-1,A title,"Police said 40 people were arrested, a record."\n'
        "good-csv-2,,The council approved 12 new schools on Monday.\n",
    )
    good_ids |= {"good-csv-1", "good-csv-2"}

    # Binary: an image header with NUL bytes, under each extension.
    bad(put("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4), "binary")
    bad(put("binary.jsonl", b"\x00\x01\x02\x03" * 1000), "binary")
    bad(put("binary.csv", b"id,body\n\x00\x00\x00"), "binary")
    # Empty.
    bad(put("empty.txt", b""), "empty")
    bad(put("empty.jsonl", b""), "empty")
    bad(put("blank.jsonl", b"\n   \n\t\n"), "empty")
    bad(put("empty.csv", b""), "empty")
    # Not UTF-8.
    bad(put("latin1.txt", "Caf\xe9 society said 3 things.".encode("latin-1")), "UTF-8", "0xe9")
    bad(put("utf16.jsonl", json.dumps(good_record("u16", "Text.")).encode("utf-16")), "UTF-16")
    bad(put("cp1252.csv", "id,body\nx,\u201cQuoted\u201d said 5 people.\n".encode("cp1252")), "UTF-8")
    # A 50 MB single line, as a text file and as one JSONL record (a valid one, just too big).
    with (folder / "huge.txt").open("wb") as out:
        out.write(b"word " * (HUGE_BYTES // 5))
    bad(folder / "huge.txt", "MB", "5 MB limit")
    with (folder / "huge.jsonl").open("wb") as out:
        out.write(b'{"id": "huge", "body": "')
        out.write(b"x" * HUGE_BYTES)
        out.write(b'"}\n')
        out.write((json.dumps(good_record("after-huge", "Ministers said 7 ships sailed.")) + "\n").encode())
    bad(f"{folder / 'huge.jsonl'}:1", "MB", "5 MB limit")
    good_ids.add("after-huge")  # the line after the huge one still loads
    # Truncated JSONL: good records, then one cut off mid-object.
    lines = [json.dumps(good_record(f"trunc-{n}", f"Witnesses said {n + 3} cars burned.")) for n in range(3)]
    put("truncated.jsonl", "\n".join(lines) + "\n" + lines[0].replace("trunc-0", "trunc-x")[:40])
    bad(f"{folder / 'truncated.jsonl'}:4", "not valid JSON")
    good_ids |= {"trunc-0", "trunc-1", "trunc-2"}
    # CSV without a body column.
    bad(put("nobody.csv", "id,text,title\n1,Officials said 9 trains ran.,T\n"), "no body column")
    # Duplicate ids in one batch: within one file, and across two files.
    put(
        "dup.jsonl",
        "".join(
            json.dumps(good_record(i, f"Analysts said {n} banks failed.")) + "\n"
            for n, i in enumerate(["dup-a", "dup-b", "dup-a"])
        ),
    )
    bad(f"{folder / 'dup.jsonl'}:3", "duplicate id", "dup-a")
    put("dup_other.csv", "id,body\ndup-b,Another text that said 55 things.\n")
    bad(f"{folder / 'dup_other.csv'}:2", "duplicate id", "dup-b")
    good_ids |= {"dup-a", "dup-b"}
    # A folder with no articles in it, and a missing path, and a file of the wrong kind.
    nothing = base / "nothing"
    (nothing / "sub").mkdir(parents=True)
    (nothing / "README.md").write_text("no articles here")
    bad(nothing, "no .txt, .jsonl, .csv or .html")
    missing = base / "missing.txt"
    bad(missing, "no such file")
    notes = base / "notes.md"
    notes.write_text("Officials said 3 things.")
    bad(notes, "not a .txt, .jsonl, .csv or .html")

    good_ids |= {"000_c0d474dec84a8582", "003_7c462d476a23d359"}  # the seeds, loaded beside the bad files
    yield {
        "paths": [SEEDS, folder, missing, nothing, notes],
        "good_ids": good_ids,
        "errors": expected_errors,
        "files_failed": len({source.split(":")[0] for source in expected_errors}),
    }
    for name in ("huge.txt", "huge.jsonl"):  # pytest keeps recent temporary folders: not 100 MB of them
        (folder / name).unlink()


def check_bad_corpus_run(db: Path, code: int, stdout: str, stderr: str, corpus: dict) -> None:
    assert code == 1, (stdout, stderr[-3000:])
    assert "Traceback" not in stdout + stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    others = [line for line in stderr.splitlines() if line.strip() and not line.startswith("error: ")]
    assert all(line.startswith("Loading") for line in others), others  # only the progress bar's label
    # Exactly one line per bad file or record, naming it, then why.
    assert len(errors) == len(corpus["errors"]), "\n".join(errors)
    for source, words in corpus["errors"].items():
        [line] = [line for line in errors if line.startswith(f"error: {source}: ")] or [None]
        assert line is not None, (source, errors)
        reason = line[len(f"error: {source}: ") :]
        for word in words:
            assert word in reason, (source, word, reason)
        assert len(line) < 400, line  # one readable line, not a dump
    summary = stdout.strip().splitlines()[-1]
    assert f"articles: {len(corpus['good_ids'])} new, 0 updated, 0 unchanged" in summary, summary
    assert summary.endswith(f"files failed: {corpus['files_failed']}"), summary
    # Every good article loaded, with claims; nothing from a bad file.
    conn = sqlite3.connect(db)
    try:
        assert {row[0] for row in conn.execute("SELECT id FROM articles")} == corpus["good_ids"]
        without_claims = conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM claims)"
        ).fetchall()
        assert without_claims == []
    finally:
        conn.close()
    check_integrity(db)


def test_bad_files_beside_good_ones_subprocess(tmp_path, bad_corpus):
    db = tmp_path / "factcheck.db"
    command = [*datasette_command(), "factcheck", "load", str(db), *map(str, bad_corpus["paths"])]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    check_bad_corpus_run(db, result.returncode, result.stdout, result.stderr, bad_corpus)

    # Run again: the same lines, the same exit status, nothing loaded twice.
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 1
    assert sorted(line for line in again.stderr.splitlines() if line.startswith("error: ")) == sorted(
        line for line in result.stderr.splitlines() if line.startswith("error: ")
    )
    assert f"articles: 0 new, 0 updated, {len(bad_corpus['good_ids'])} unchanged; claims: 0 new" in again.stdout
    check_integrity(db)


def test_bad_files_beside_good_ones_cli_runner(tmp_path, bad_corpus):
    db = tmp_path / "factcheck.db"
    result = CliRunner().invoke(cli, ["factcheck", "load", str(db), *map(str, bad_corpus["paths"])])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    check_bad_corpus_run(db, result.exit_code, result.stdout, result.stderr, bad_corpus)


def test_csv_with_a_header_and_no_rows_is_reported(tmp_path):
    (tmp_path / "header_only.csv").write_text("id,title,body\n")
    result = CliRunner().invoke(
        cli, ["factcheck", "load", str(tmp_path / "factcheck.db"), str(tmp_path / "header_only.csv")]
    )
    assert result.exit_code == 1, result.output
    assert any(line.startswith(f"error: {tmp_path / 'header_only.csv'}: ") for line in result.stderr.splitlines())


# --- 2. SIGKILL mid-load, then run again -------------------------------------------------


def claims_by_article(path: Path, live_only: bool = True) -> dict[str, set[str]]:
    conn = sqlite3.connect(path)
    try:
        where = "WHERE superseded_at IS NULL" if live_only else ""
        found: dict[str, set[str]] = {}
        for article_id, claim_id in conn.execute(f"SELECT article_id, id FROM claims {where}"):
            found.setdefault(article_id, set()).add(claim_id)
        return found
    finally:
        conn.close()


def rows(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def review_state(path: Path, ids) -> dict[str, tuple]:
    conn = sqlite3.connect(path)
    try:
        return {
            cid: conn.execute(f"SELECT {', '.join(REVIEW_FIELDS)} FROM claims WHERE id = ?", [cid]).fetchone()
            for cid in ids
        }
    finally:
        conn.close()


def older(record: dict, n: int) -> dict:
    """An older version of the record, with a paragraph the current one dropped."""
    extra = f"The regional governor said {n + 11} schools in Zorville were closed on May 3, 2024."
    return {**record, "body": record["body"] + "\n\n" + extra}


def test_sigkill_mid_load_then_rerun(tmp_path):
    assert KILL_ARTICLES > 2 * BATCH_ARTICLES, "the corpus must span several batches"
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, KILL_ARTICLES)
    records = [json.loads(line) for line in corpus.read_text().splitlines()]

    # The reference: a clean, uninterrupted load of the same corpus.
    clean_db = tmp_path / "clean.db"
    clean = load_paths(clean_db, [corpus])
    assert not clean.problems and clean.articles_new == KILL_ARTICLES
    clean_claims = claims_by_article(clean_db)
    clean_rows = set(rows(clean_db, "SELECT id, article_id, position, text FROM claims"))

    # Before the crash: a few articles loaded (a third in an older version) and reviewed.
    db = tmp_path / "factcheck.db"
    prefix = tmp_path / "prefix.jsonl"
    first = records[:60]
    prefix.write_text("".join(json.dumps(older(r, n) if n % 3 == 0 else r) + "\n" for n, r in enumerate(first)))
    # Through Loader rather than load_paths: load_paths ends with PRAGMA optimize, and the
    # statistics of so small a database make the next big load quadratic (see
    # test_a_big_load_after_a_small_one_looks_candidates_up_by_key), ~6x slower here.
    small = sqlite_utils.Database(db)
    assert not Loader(small, workers=1).load([prefix]).problems
    small.close()
    prefix_claims = claims_by_article(db)
    old_only = {cid for n, r in enumerate(first) if n % 3 == 0 for cid in prefix_claims[r["id"]]}
    old_only -= set().union(*clean_claims.values())  # claims the full version no longer has
    assert old_only, "the edited articles should lose claims on the full load"
    reviewed = sorted(old_only)[:10] + sorted(set().union(*prefix_claims.values()) - old_only)[:30]
    conn = sqlite3.connect(db)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for n, cid in enumerate(reviewed):
        body = (
            {
                "status": "done",
                "verdict": "false",
                "note": f"checked before the crash {n}",
                "evidence": [f"https://example.org/{n}"],
                "assignee": "alice",
            }
            if n % 2
            else {"status": "in_progress", "note": f"ongoing {n} \u2014 \u00e9t\u00e9"}
        )
        assert save_review(conn, cid, parse_review(body, from_form=False), "alice", now)
    conn.close()
    reviews_before = review_state(db, reviewed)
    events_before = rows(db, "SELECT * FROM claim_events ORDER BY id")
    assert len(events_before) == len(reviewed)

    # The big load, killed (with its worker processes) once its first batch committed.
    command = [*datasette_command(), "factcheck", "load", str(db), str(corpus)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        watcher = sqlite3.connect(db, timeout=30)
        try:
            while watcher.execute("SELECT count(*) FROM articles").fetchone()[0] <= len(first):
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the first batch never committed"
                time.sleep(0.02)
        finally:
            watcher.close()
        # Then a little later, so that the kill lands anywhere: between batches, inside
        # the next batch's transaction, in the middle of its commit.
        delay = random.uniform(0, 0.5)
        time.sleep(delay)
        assert process.poll() is None, "the load finished before it could be killed: make the corpus bigger"
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL

    # Straight after the crash: consistent, and every article there is whole.
    check_integrity(db)
    killed_claims = claims_by_article(db)
    stored = rows(db, "SELECT id, content_hash FROM articles")
    assert len(first) < len(stored) < KILL_ARTICLES, f"killed after {len(stored)} of {KILL_ARTICLES} articles"
    clean_hashes = dict(rows(clean_db, "SELECT id, content_hash FROM articles"))
    for article_id, digest in stored:
        assert digest == clean_hashes[article_id], f"{article_id} not at its new version after its batch committed"
        assert killed_claims.get(article_id) == clean_claims[article_id], f"{article_id} is half written"
    assert review_state(db, reviewed) == reviews_before
    print(f"\nkilled after {len(stored)} of {KILL_ARTICLES} articles ({delay:.2f} s after the first commit)")

    # Run again to the end.
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"articles: {KILL_ARTICLES - len(stored)} new, 0 updated, {len(stored)} unchanged" in result.stdout, (
        result.stdout
    )
    check_integrity(db)

    # Every article exactly once, each with exactly the claims of the clean load.
    assert sorted(r[0] for r in rows(db, "SELECT id FROM articles")) == sorted(clean_hashes)
    assert claims_by_article(db) == clean_claims
    live = set(rows(db, "SELECT id, article_id, position, text FROM claims WHERE superseded_at IS NULL"))
    assert live == clean_rows
    superseded = {r[0] for r in rows(db, "SELECT id FROM claims WHERE superseded_at IS NOT NULL")}
    assert superseded == old_only
    assert rows(db, "SELECT count(*), count(DISTINCT id) FROM claims")[0] == (len(clean_rows) + len(old_only),) * 2
    # Reviews from before the crash, on kept and on superseded claims, untouched.
    assert review_state(db, reviewed) == reviews_before
    assert rows(db, "SELECT * FROM claim_events ORDER BY id") == events_before


def test_a_big_load_after_a_small_one_looks_candidates_up_by_key(tmp_path):
    db_path = tmp_path / "factcheck.db"
    assert not load_paths(db_path, [SEEDS]).problems  # a small first load, statistics and all
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 5)
    queries: list[str] = []
    db = sqlite_utils.Database(
        db_path, tracer=lambda sql, params: queries.append(sql) if "claim_cluster_keys WHERE key" in sql else None
    )
    try:
        Loader(db, workers=1).load([corpus])
        assert queries, "the loader no longer looks cluster candidates up this way: update this test"
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + queries[0], ["[1, 2]"]).fetchall()]
    finally:
        db.close()
    # The keys drive the lookup; claims are only searched by id, never scanned.
    assert not any(step.startswith("SCAN c") for step in plan), plan


# --- 3. SIGKILL of the loader alone: its workers follow it ------------------------------


def process_state(pid: int) -> tuple[str, int] | None:
    """(state letter, session id) of a live process, from /proc; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command name) "
    return fields[0], int(fields[3])


def session_members(session: int) -> set[int]:
    """Live processes of the session, zombies (exited, not yet reaped) left out."""
    members = set()
    for entry in Path("/proc").iterdir():
        state = process_state(int(entry.name)) if entry.name.isdigit() else None
        if state and state[1] == session and state[0] != "Z":
            members.add(int(entry.name))
    return members


def wait_until(condition, seconds: float) -> bool:
    """Whether ``condition()`` came true within ``seconds`` (a bound, not a speed to meet)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes in /proc")
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_worker_processes_end_when_the_loader_is_killed(tmp_path, start_method):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, KILL_ARTICLES)
    command = [*datasette_command(), "factcheck", "load", str(tmp_path / "factcheck.db"), str(corpus)]
    env = {**os.environ, "FACTCHECK_START_METHOD": start_method}
    # Its own session, so that everything it starts can be found, and killed should the test fail.
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        # Two workers besides the loader (spawn also starts a resource tracker, which must end too).
        started = lambda: len(session_members(process.pid) - {process.pid}) >= 2 + (start_method == "spawn")  # noqa: E731
        assert wait_until(started, 240), "the worker processes never started"
        assert process.poll() is None, "the load finished before it could be killed: make the corpus bigger"
        os.kill(process.pid, signal.SIGKILL)  # the loader alone: no chance to shut its pool down
        process.wait(timeout=60)
        gone = wait_until(lambda: not session_members(process.pid), 60)
        assert gone, f"processes outlived the loader: {session_members(process.pid)}"
    finally:
        if session_members(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)
