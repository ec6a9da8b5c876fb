"""The long runs of the fault tests: what CI runs briefly, run long.

    python bench/fuzz.py [--examples 10000] [--writes 500] [--kill-articles 0]
                         [--hostile-runs 40] [--hostile-only] [--seed N]

1. The property tests (tests/load/test_load_properties.py: loader on arbitrary files,
   the review and bulk routes on arbitrary JSON and forms) with
   FACTCHECK_EXAMPLES examples each (CI runs 150).
2. The concurrency test (tests/web/test_concurrency.py: 20 editors over loopback
   on 50 shared claims) with FACTCHECK_WRITES writes per editor (CI runs 50).
3. With --kill-articles N, the SIGKILL test (tests/load/test_faults.py) on an
   N-article corpus (CI runs 1,200).

4. Hostile files (``--hostile-runs``): folders of odd entries
   (symbolic link loops, broken links, names that are not UTF-8, FIFOs, links
   to devices, numbers of thousands of digits, javascript: urls, NUL bytes,
   lone surrogates...) beside good articles, each loaded twice through
   ``datasette factcheck load`` in a subprocess; random variations per run.

Runs 1-3 are plain pytest; this prints its command, its result line and the
figures the tests report (examples run, writes accepted, 409s, lost updates),
and exits non-zero if any run failed. Run 4 prints its own counts, all of
which but the inputs tried must be zero.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from datasette_factcheck.links import safe_url

ROOT = Path(__file__).resolve().parents[1]


def run(label: str, tests: list[str], env: dict[str, str]) -> bool:
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *tests]
    shown = " ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(["python", *command[1:]])
    print(f"\n== {label}\n$ {shown}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    lines = result.stdout.splitlines()
    summary = next((line for line in reversed(lines) if re.search(r"\b(passed|failed|error)", line)), "(no summary)")
    for line in lines:
        if line.startswith("FIGURES "):
            print("   " + line.removeprefix("FIGURES "))
        elif line.startswith("killed after"):
            print("   " + line)
    print(f"   result: {summary.strip('= ')} [exit {result.returncode}, {elapsed:,.0f} s]")
    if result.returncode != 0:
        print("\n".join(lines[-60:]))
        print(result.stderr[-3000:], file=sys.stderr)
    return result.returncode == 0


# --- 4. hostile files ---------------------------------------------------------------------

LOAD_TIMEOUT = 180  # seconds; a load of a few small files that takes longer has hung
MEMORY_LIMIT = 2 << 30  # a load reading /dev/zero whole would hit this, not the machine
SENTENCES = [
    "Officials said {n} homes lost power on Tuesday night.",
    "The mayor said {n} bridges were closed.",
    "Police said {n} people were arrested in Kyiv on May 3, 2024.",
]
UNSAFE_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(document.cookie)",
    "  javascript:void(0)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "//evil.example/x",
    "vbscript:x",
    "\x00javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "https://",
    "http:evil.example",
]


class HostileFolder:
    """One folder of random odd entries beside good articles, and what must load from it."""

    def __init__(self, folder: Path, rng: random.Random):
        self.folder, self.rng = folder, rng
        self.expected: set[str] = set()  # article ids that must be stored
        self.count = 0
        folder.mkdir(parents=True)

    def name(self, stem: str, extensions=(".txt", ".jsonl", ".csv", ".TXT")) -> str:
        self.count += 1
        return f"{stem}-{self.count}{self.rng.choice(extensions)}"

    def good_text(self) -> str:
        return self.rng.choice(SENTENCES).format(n=self.rng.randint(2, 5000))

    def good_txt(self, folder: Path | None = None, name: str | None = None) -> None:
        name = name or self.name("good", (".txt",))
        (folder or self.folder).joinpath(name).write_text(self.good_text() + "\n")
        self.expected.add(Path(name).stem)

    def jsonl(self, stem: str, records: list[dict | str], good: list[str]) -> None:
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=self.rng.random() < 0.5) for r in records]
        self.rng.shuffle(lines)
        (self.folder / self.name(stem, (".jsonl",))).write_text("\n".join(lines) + "\n")
        self.expected.update(good)

    def record(self, **fields) -> dict:
        self.count += 1
        return {"id": f"r{self.count}", "body": self.good_text(), **fields}

    # The odd entries: each adds itself to the folder and what must load from it to ``expected``.

    def symlink_loop(self) -> None:
        first, second = self.name("loop"), self.name("loop")
        os.symlink(second if self.rng.random() < 0.5 else first, self.folder / first)
        if not (self.folder / second).is_symlink() and os.readlink(self.folder / first) == second:
            os.symlink(first, self.folder / second)

    def dangling_symlink(self) -> None:
        os.symlink(f"missing-{self.count}.txt", self.folder / self.name("dangling"))

    def non_utf8_name(self) -> None:
        bad = bytes([self.rng.choice([0xFF, 0xFE, 0xE9, 0xC3, 0x80])])
        with open(os.fsencode(self.folder) + b"/" + bad + os.fsencode(self.name("name")), "wb") as out:
            out.write(self.good_text().encode())

    def non_utf8_folder(self) -> None:
        folder = os.fsencode(self.folder) + b"/dir\xff" + str(self.count).encode()
        os.mkdir(folder)
        with open(folder + b"/inside.txt", "wb") as out:
            out.write(self.good_text().encode())

    def fifo(self) -> None:
        os.mkfifo(self.folder / self.name("pipe"))

    def device(self) -> None:
        os.symlink(self.rng.choice(["/dev/zero", "/dev/urandom", "/dev/null"]), self.folder / self.name("device"))

    def link_to_a_good_file(self) -> None:
        outside = self.folder.parent / f"outside-{self.count}.txt"
        outside.write_text(self.good_text() + "\n")
        name = self.name("link", (".txt",))
        os.symlink(outside, self.folder / name)
        self.expected.add(Path(name).stem)

    def huge_numbers(self) -> None:
        digits = "9" * self.rng.randint(4301, 30000)
        good = [self.record(), self.record(count=int("9" * 4000))]
        bad = [
            f'{{"id": {digits}, "body": "x"}}',
            f'{{"body": "x", "n": {digits}}}',
            f'{{"body": "x", "n": [[{digits}]]}}',
            f'{{"body": "x", "n": -{digits}}}',
        ]
        self.jsonl(
            "numbers", [*good, *self.rng.sample(bad, 2), '{"body": "x", "f": 1e999999}'], [r["id"] for r in good]
        )

    def unsafe_urls(self) -> None:
        records = [self.record(url=self.rng.choice(UNSAFE_URLS)) for _ in range(3)]
        records.append(self.record(url=f"https://example.org/{self.count}"))
        self.jsonl("urls", records, [r["id"] for r in records])

    def nul_bytes(self) -> None:
        # In JSON strings they are text and load; raw, early in a file, they mark it binary.
        good = [self.record(title="a\u0000b"), self.record(body=self.good_text() + "\u0000")]
        self.jsonl("nul", good, [r["id"] for r in good])
        (self.folder / self.name("nul")).write_bytes(b'{"body": "raw \x00 byte"}\nOfficials said 3 things.')

    def lone_surrogates(self) -> None:
        good = [self.record()]
        half = self.rng.choice(["\\ud800", "\\udfff", "\\udbff"])
        self.jsonl(
            "surrogates",
            [
                *good,
                f'{{"id": "s{self.count}", "body": "Text {half} here."}}',
                f'{{"title": "{half}", "body": "Officials said 3 things."}}',
            ],
            [good[0]["id"]],
        )

    def deep_nesting(self) -> None:
        good = [self.record()]
        depth = self.rng.randint(1_000, 200_000)
        self.jsonl("deep", [*good, '{"body": "x", "n": ' + "[" * depth + "]" * depth + "}"], [good[0]["id"]])

    def odd_names(self) -> None:
        stem = self.rng.choice(["new\nline", "esc\x1b[31m", "tab\there", " space ", "caf\u00e9", "\u202eevil"])
        self.good_txt(name=f"{stem}{self.count}.txt")

    def folder_named_like_a_file(self) -> None:
        (self.folder / self.name("folder")).mkdir()

    def empty_and_binary(self) -> None:
        (self.folder / self.name("empty")).write_bytes(b"")
        (self.folder / self.name("binary")).write_bytes(bytes(self.rng.randrange(256) for _ in range(300)))


ODD_ENTRIES = [
    method
    for name, method in vars(HostileFolder).items()
    if callable(method)
    and not name.startswith("_")
    and name not in ("name", "good_text", "good_txt", "jsonl", "record")
]


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _load_once(db: Path, folder: Path, tally: Counter) -> str | None:
    """Load ``folder`` with the CLI; tally what went wrong. Returns stdout's last line."""
    command = [sys.executable, "-m", "datasette", "factcheck", "load", str(db), str(folder)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=LOAD_TIMEOUT, preexec_fn=_limited)
    except subprocess.TimeoutExpired:
        tally["hangs"] += 1
        return None
    out, err = done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    tally["tracebacks"] += "Traceback" in out + err
    tally["other exit statuses"] += done.returncode not in (0, 1)
    tally["lines not naming the folder"] += sum(
        1 for line in err.splitlines() if line.strip() and not line.startswith(f"error: {folder}")
    )
    return out.strip().splitlines()[-1] if out.strip() else ""


def _stored(db: Path) -> dict[str, str | None]:
    if not db.exists():
        return {}
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT id, url FROM articles"))
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def hostile_run(base: Path, rng: random.Random, tally: Counter) -> None:
    """One folder: random odd entries and good files, loaded twice."""
    hostile = HostileFolder(base / "in", rng)
    for _ in range(rng.randint(2, 6)):
        hostile.good_txt()
    for make in rng.sample(ODD_ENTRIES, rng.randint(3, len(ODD_ENTRIES))):
        make(hostile)
        tally["inputs tried"] += 1
    db = base / "factcheck.db"
    _load_once(db, hostile.folder, tally)
    stored = _stored(db)
    tally["rows lost"] += len(hostile.expected - set(stored))
    tally["unsafe urls stored"] += sum(1 for url in stored.values() if url is not None and safe_url(url) != url)
    again = _load_once(db, hostile.folder, tally)
    tally["changed on the second load"] += again is not None and not again.startswith("articles: 0 new, 0 updated")


def run_hostile(runs: int, seed: int | None) -> bool:
    seed = seed if seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    tally: Counter = Counter(
        {
            name: 0
            for name in (
                "inputs tried",
                "tracebacks",
                "hangs",
                "rows lost",
                "unsafe urls stored",
                "other exit statuses",
                "lines not naming the folder",
                "changed on the second load",
            )
        }
    )
    started = time.monotonic()
    for number in range(runs):
        base = Path(tempfile.mkdtemp(prefix=f"hostile-{number}-"))
        try:
            hostile_run(base, rng, tally)
        finally:
            shutil.rmtree(base, ignore_errors=True)
    print(f"   seed {seed}, {runs} folders, {time.monotonic() - started:,.0f} s")
    for name, count in tally.items():
        print(f"   {name}: {count}")
    return all(count == 0 for name, count in tally.items() if name != "inputs tried")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000, help="hypothesis examples per property test")
    parser.add_argument("--writes", type=int, default=500, help="writes per editor in the concurrency test")
    parser.add_argument("--kill-articles", type=int, default=0, help="also run the SIGKILL test on this many articles")
    parser.add_argument("--hostile-runs", type=int, default=40, help="folders of hostile files to load (0: none)")
    parser.add_argument("--hostile-only", action="store_true", help="run only the hostile-file loads")
    parser.add_argument("--seed", type=int, default=None, help="random seed of the hostile-file runs")
    args = parser.parse_args()
    ok = True
    if not args.hostile_only:
        ok &= run("property tests", ["tests/load/test_load_properties.py"], {"FACTCHECK_EXAMPLES": str(args.examples)})
        ok &= run("20 concurrent editors", ["tests/web/test_concurrency.py"], {"FACTCHECK_WRITES": str(args.writes)})
    if args.kill_articles and not args.hostile_only:
        ok &= run(
            "SIGKILL mid-load",
            ["tests/load/test_faults.py::test_sigkill_mid_load_then_rerun"],
            {"FACTCHECK_KILL_ARTICLES": str(args.kill_articles)},
        )
    if args.hostile_runs:
        print(
            f"\n== hostile files: {args.hostile_runs} folders, each loaded twice by the CLI in a subprocess", flush=True
        )
        ok &= run_hostile(args.hostile_runs, args.seed)
    print("\nall runs passed" if ok else "\nSOME RUNS FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
