"""Hostile and odd files among the input, through ``datasette factcheck load``.

Folders hold whatever users, scrapers and tools leave in them. A symbolic link
loop, a broken link, a file name that is not UTF-8, a FIFO, a device, a number
Python refuses to convert: each is one line naming it and why, every other
file still loads, the exit status is 1, and nothing hangs or shows a
traceback. A ``javascript:`` URL is a stored script waiting for a click: the
article loads without it and one warning line says so.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.cli import cli

from datasette_factcheck.links import safe_url
from support.helpers import check_integrity

GOOD = "Officials said 300 homes lost power on Tuesday night.\n"
MEMORY_LIMIT = 2 << 30  # a load reading /dev/zero runs into this rather than the machine's memory


# --- one hostile entry beside a good file --------------------------------------------------
# Each maker puts the entry in ``folder`` and returns the error line's source and reason start.


def symlink_loop(folder: Path) -> tuple[str, str]:
    os.symlink("loop.txt", folder / "loop.txt")
    return str(folder / "loop.txt"), "symbolic link loop"


def dangling_symlink(folder: Path) -> tuple[str, str]:
    os.symlink("gone-for-good.txt", folder / "dangling.txt")
    return str(folder / "dangling.txt"), "broken symbolic link"


def huge_integer(folder: Path) -> tuple[str, str]:
    # Python refuses to turn more than 4,300 digits into an int: json.loads raises ValueError.
    (folder / "numbers.jsonl").write_text(
        '{"id": "huge", "body": "The mayor said 12 bridges were closed.", "count": '
        + "9" * 5000
        + "}\n"
        + json.dumps({"id": "after", "body": "Police said 40 people were arrested."})
        + "\n"
    )
    return f"{folder / 'numbers.jsonl'}:1", "not valid JSON (a number has more than 4300 digits)"


def non_utf8_name(folder: Path) -> tuple[str, str]:
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as out:  # Latin-1, as old tools name files
        out.write(GOOD.encode())
    return f"{folder}/caf\\xe9.txt", "file name is not UTF-8 (byte 0xe9); rename it"


def fifo(folder: Path) -> tuple[str, str]:
    os.mkfifo(folder / "pipe.txt")  # nothing ever writes to it: reading it would wait for ever
    return str(folder / "pipe.txt"), "a named pipe (FIFO), not a regular file"


def device(folder: Path) -> tuple[str, str]:
    os.symlink("/dev/zero", folder / "zero.txt")  # endless: reading it whole would take all memory
    return str(folder / "zero.txt"), "a character device, not a regular file"


def run_load(db: Path, *paths: Path, in_subprocess: bool) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``datasette factcheck load``. In a subprocess with a
    timeout and a memory limit where the failure before the fix was a hang or a runaway."""
    args = ["factcheck", "load", str(db), *map(str, paths)]
    if not in_subprocess:
        result = CliRunner().invoke(cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        return result.exit_code, result.stdout, result.stderr
    limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))  # noqa: E731
    done = subprocess.run(
        [sys.executable, "-m", "datasette", *args], capture_output=True, timeout=120, preexec_fn=limit
    )
    return done.returncode, done.stdout.decode(errors="backslashreplace"), done.stderr.decode(errors="backslashreplace")


def stored_ids(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM articles")}
    finally:
        conn.close()


@pytest.mark.parametrize(
    "make, in_subprocess",
    [
        pytest.param(make, in_subprocess, id=make.__name__)
        for make, in_subprocess in [
            (symlink_loop, False),
            (dangling_symlink, False),
            (huge_integer, False),
            (non_utf8_name, True),
            (fifo, True),
        ]
    ],
)
def test_a_hostile_entry_is_one_line_and_the_rest_loads(tmp_path, make, in_subprocess):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    source, reason = make(folder)
    code, stdout, stderr = run_load(tmp_path / "f.db", folder, in_subprocess=in_subprocess)
    assert code == 1, (stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert [line for line in stderr.splitlines() if line.strip()] == [
        line for line in stderr.splitlines() if line.startswith(f"error: {source}: {reason}")
    ]
    assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr
    expected = {"good", "after"} if make is huge_integer else {"good"}
    assert f"articles: {len(expected)} new" in stdout.splitlines()[-1]
    assert stored_ids(tmp_path / "f.db") == expected
    check_integrity(tmp_path / "f.db")


def test_a_device_given_is_one_line_and_a_link_to_it_in_a_folder_is_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    source, reason = device(folder)
    code, stdout, stderr = run_load(tmp_path / "f.db", source, in_subprocess=True)
    [line] = [line for line in stderr.splitlines() if line.strip()]
    assert code == 1 and line.startswith(f"error: {source}: {reason}")
    # In a folder, a link out of it (here to /dev/zero) is not read at all: a note, not a failure.
    code, stdout, stderr = run_load(tmp_path / "f.db", folder, in_subprocess=True)
    assert code == 0 and f"warning: {source}: skipped: a link to a file outside the folder" in stdout
    assert stored_ids(tmp_path / "f.db") == {"good"}


def test_a_folder_of_hostile_entries_loads_its_good_files_every_time(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    makers = [symlink_loop, dangling_symlink, huge_integer, non_utf8_name, fifo]
    expected_errors = sorted(f"error: {source}: {reason}" for source, reason in (make(folder) for make in makers))
    for attempt in range(2):  # and again: the same lines, nothing loaded twice
        code, stdout, stderr = run_load(tmp_path / "f.db", folder, in_subprocess=True)
        assert code == 1 and "Traceback" not in stdout + stderr, stderr
        errors = sorted(line for line in stderr.splitlines() if line.strip())
        assert len(errors) == len(expected_errors), errors
        assert all(line.startswith(want) for line, want in zip(errors, expected_errors, strict=True)), errors
        summary = stdout.splitlines()[-1]
        assert summary.startswith(
            "articles: 2 new, 0 updated" if attempt == 0 else "articles: 0 new, 0 updated, 2 unchanged"
        )
        # numbers.jsonl loaded its second record; the other four gave nothing.
        assert summary.endswith("files with problems: 1 loaded in part, 4 loaded nothing; files failed: 5"), summary
    assert stored_ids(tmp_path / "f.db") == {"good", "after"}
    check_integrity(tmp_path / "f.db")


# --- urls that are not http(s) links ---------------------------------------------------------

UNSAFE_URLS = [
    "javascript:alert(1)",
    "  JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "vbscript:msgbox(1)",
    "java\tscript:alert(1)",
    "https://",
    "http:/one-slash.example",
    "\x1b[2Jhttps://example.org",
    "file:///etc/passwd",
]
SAFE_URLS = [
    "https://example.org/a?b=1#c",
    "HTTP://Example.org/caps",
    "  http://example.org/padded  ",
    "https://user@example.org:8080/x",
    "https://xn--bcher-kva.example/",
    "http://[::1]/local",
]


def test_records_with_unsafe_urls_load_without_them_with_one_warning_each(tmp_path):
    records = [
        {"id": f"u{n}", "body": f"The mayor said {n + 2} bridges were closed.", "url": url}
        for n, url in enumerate(UNSAFE_URLS + SAFE_URLS)
    ]
    records.append({"id": "number", "body": "Police said 40 people were arrested.", "url": 42})
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))
    (tmp_path / "b.csv").write_text("id,body,url\ncsv,Officials said 9 trains ran.,javascript:alert(1)\n")
    db = tmp_path / "f.db"
    code, stdout, stderr = run_load(db, tmp_path / "a.jsonl", tmp_path / "b.csv", in_subprocess=False)

    assert code == 0 and stderr == "", stderr  # warnings are not failures
    warnings = [line for line in stdout.splitlines() if line.startswith("warning: ")]
    unsafe_lines = [*range(1, len(UNSAFE_URLS) + 1), len(records)]
    assert [line.split(": ")[1] for line in warnings] == [f"{tmp_path / 'a.jsonl'}:{n}" for n in unsafe_lines] + [
        f"{tmp_path / 'b.csv'}:2"
    ]
    assert (
        warnings[0]
        == f"warning: {tmp_path / 'a.jsonl'}:1: url is not an http(s) link (javascript:alert(1)); dropped it"
    )
    assert all(line.endswith("; dropped it") and len(line.splitlines()) == 1 for line in warnings)
    assert "\x1b" not in stdout  # a quoted URL cannot send terminal escapes
    assert stdout.splitlines()[-1].endswith(f"warnings: {len(warnings)}; files failed: 0")
    conn = sqlite3.connect(db)
    urls = dict(conn.execute("SELECT id, url FROM articles"))
    conn.close()
    assert len(urls) == len(records) + 1  # every article loaded
    assert [urls[f"u{n}"] for n in range(len(UNSAFE_URLS))] == [None] * len(UNSAFE_URLS)
    assert urls["number"] is None and urls["csv"] is None
    assert [urls[f"u{len(UNSAFE_URLS) + n}"] for n in range(len(SAFE_URLS))] == [url.strip() for url in SAFE_URLS]


@pytest.mark.parametrize(
    "value",
    UNSAFE_URLS
    + [
        None,
        42,
        ["https://example.org"],
        "",
        "   ",
        "javascript://example.org/%0aalert(1)",
        "https://exa mple.org/",
        "https://example.org/\nline",
        "http://[::1",
        "mailto:desk@example.org",
        "\u2028javascript:alert(1)",
    ],
)
def test_safe_url_refuses_what_is_not_an_http_link(value):
    assert safe_url(value) is None


@pytest.mark.parametrize("value", SAFE_URLS)
def test_safe_url_keeps_http_links_stripped(value):
    assert safe_url(value) == value.strip()
