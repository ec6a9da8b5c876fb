"""The long runs of the fault tests: what CI runs briefly, run long.

    python bench/fuzz.py [--examples 10000] [--writes 500] [--kill-articles 0]

1. The property tests (tests/test_properties.py: loader on arbitrary files,
   the review and bulk routes on arbitrary JSON and forms) with
   FACTCHECK_EXAMPLES examples each (CI runs 150).
2. The concurrency test (tests/test_concurrency.py: 20 editors over loopback
   on 50 shared claims) with FACTCHECK_WRITES writes per editor (CI runs 50).
3. With --kill-articles N, the SIGKILL test (tests/test_faults.py) on an
   N-article corpus (CI runs 1,200).

Each run is plain pytest; this prints its command, its result line and the
figures the tests report (examples run, writes accepted, 409s, lost updates),
and exits non-zero if any run failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000, help="hypothesis examples per property test")
    parser.add_argument("--writes", type=int, default=500, help="writes per editor in the concurrency test")
    parser.add_argument("--kill-articles", type=int, default=0, help="also run the SIGKILL test on this many articles")
    args = parser.parse_args()
    ok = run("property tests", ["tests/test_properties.py"], {"FACTCHECK_EXAMPLES": str(args.examples)})
    ok &= run("20 concurrent editors", ["tests/test_concurrency.py"], {"FACTCHECK_WRITES": str(args.writes)})
    if args.kill_articles:
        ok &= run("SIGKILL mid-load", ["tests/test_faults.py::test_sigkill_mid_load_then_rerun"],
                  {"FACTCHECK_KILL_ARTICLES": str(args.kill_articles)})
    print("\nall runs passed" if ok else "\nSOME RUNS FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
