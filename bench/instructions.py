"""Instructions per sentence extracted, counted by valgrind: a speed figure noise cannot move.

    python bench/instructions.py [--articles 50] [--ref DIR]

On a shared machine the loader's timings move by a fifth between runs; the number of
instructions the CPU executes does not. This runs what an extraction worker does for
each article (``load.claim_rows``: split, annotate, score, cluster signature, row, then
pickling the batch) under ``valgrind --tool=callgrind`` twice, on N and on 2N articles
of the synthetic corpus (bench/corpus.py) after the same warm-up, and prints the
difference per sentence: start-up, imports and the model's loading cancel out.

With ``--ref DIR`` (a checkout of another version, such as ``git worktree add DIR
c3c9333`` for 0.1.0), the same count for the package in DIR/plugin is printed beside.
Needs valgrind (Debian's package); about a minute per version.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WARM_UP_ARTICLES = 60  # fills the word and signature caches, as a long load has them
SENTENCES_PER_ARTICLE = 20  # bench/corpus.py's articles

# Run under valgrind: extract ``warm-up + N`` articles of CORPUS and pickle the results.
# 0.1.0 named the per-article function ``_extracted`` and had no scoring argument.
WORKLOAD = """
import gc, json, pickle, sys
gc.set_threshold(100_000, 50, 100)  # as the loader sets it
from datasette_factcheck.plugins import standalone_plugin_manager
from datasette_factcheck.records import Article
try:
    from datasette_factcheck.load import claim_rows
    from datasette_factcheck.newsroom_model import built_in_scoring
    scoring = built_in_scoring()
    extract = lambda article, hook: claim_rows(article, hook, scoring)
except ImportError:
    from datasette_factcheck.load import _extracted as extract
corpus, count, warm_up = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fields = Article.__dataclass_fields__
with open(corpus) as f:
    records = [json.loads(line) for _, line in zip(range(warm_up + count), f)]
articles = [Article(**{k: v for k, v in r.items() if k in fields}, source="bench") for r in records]
hook = standalone_plugin_manager().hook
for article in articles[:warm_up]:
    extract(article, hook)
pickle.dumps([extract(article, hook) for article in articles[warm_up:]], protocol=5)
"""


def instructions(plugin_dir: Path, corpus: Path, articles: int) -> int:
    """Instructions valgrind counts for the workload on ``articles`` articles."""
    # PYTHONHASHSEED fixed: set iteration order, and so the work, is the same in every run.
    env = {**os.environ, "PYTHONPATH": str(plugin_dir), "PYTHONHASHSEED": "0"}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", WORKLOAD]
    result = subprocess.run(
        [*command, str(corpus), str(articles), str(WARM_UP_ARTICLES)], env=env, capture_output=True, text=True
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not found:
        sys.exit(f"valgrind run failed for {plugin_dir}: {result.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1))


def per_sentence(plugin_dir: Path, corpus: Path, articles: int) -> float:
    difference = instructions(plugin_dir, corpus, 2 * articles) - instructions(plugin_dir, corpus, articles)
    return difference / (articles * SENTENCES_PER_ARTICLE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--ref", type=Path, help="a checkout of another version to count beside")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind not found: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, WARM_UP_ARTICLES + 2 * args.articles)
        versions = {"this checkout": ROOT / "plugin"}
        if args.ref:
            versions[str(args.ref)] = args.ref.resolve() / "plugin"
        print(f"instructions per sentence extracted (claim_rows and pickling, {args.articles} articles):")
        counts = {name: per_sentence(plugin, corpus, args.articles) for name, plugin in versions.items()}
    for name, count in counts.items():
        print(f"  {name:30s}{count:>12,.0f}")
    if args.ref:
        mine, theirs = counts.values()
        print(f"  this checkout / {args.ref}: {mine / theirs:.3f}")


if __name__ == "__main__":
    main()
