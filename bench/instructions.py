"""Instructions per sentence extracted, counted by valgrind: a speed figure noise cannot move.

    python bench/instructions.py [--articles 50] [--ref DIR]
    python bench/instructions.py --writer [--articles 500] [--ref DIR]

On a shared machine the loader's timings move by a fifth between runs; the number of
instructions the CPU executes does not. This runs what an extraction worker does for
each article (``load.claim_rows``: split, annotate, score, cluster signature, row, then
pickling the batch) under ``valgrind --tool=callgrind`` twice, on N and on 2N articles
of the synthetic corpus (bench/corpus.py) after the same warm-up, and prints the
difference per sentence: start-up, imports and the model's loading cancel out.

With ``--ref DIR`` (a checkout of another version, such as ``git worktree add DIR
c3c9333`` for 0.1.0), the same count for the package in DIR/plugin is printed beside.
Needs valgrind (Debian's package); about a minute per version.

With ``--writer``, the same for the loader's one writing process and for the SQLite
floor beside it (bench/load.py's ``time_schema_floor``, the same rows into the same
schema by plain sqlite3). The writer's run is ``load_paths`` with one process, its
extraction replaced by unpickling results extracted beforehand, outside valgrind, by
the same code: what the writer does with what the workers send (read the articles,
unpickle, cluster, write). On a machine with a core for each process the writer bounds
the load, so writer / floor is the ratio such a machine would approach. About six
minutes per version at 500 articles (one batch, then a second that meets stored claims).
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
from datasette_factcheck.records import Article
try:  # this layout, with stages in sub-packages
    from datasette_factcheck.load import run as load
    from datasette_factcheck.load.plugins import standalone_plugin_manager
    from datasette_factcheck.ingest.read import read_articles
except ImportError:  # 0.1 and 0.2: one folder
    from datasette_factcheck import load
    from datasette_factcheck.plugins import standalone_plugin_manager
    from datasette_factcheck.ingest import read_articles
if hasattr(load, "claim_rows"):
    scoring = load.built_in_scoring()
    extract = lambda article, hook: load.claim_rows(article, hook, scoring)
else:
    extract = load._extracted
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


# Outside valgrind: extract every article of CORPUS and load it (the floor's source), then
# keep each article's extraction pickled, as a worker sends it, in EXTRACTED.
EXTRACT = """
import pickle, sys
try:  # this layout, with stages in sub-packages
    from datasette_factcheck.load import run as load
    from datasette_factcheck.load.plugins import standalone_plugin_manager
    from datasette_factcheck.ingest.read import read_articles
except ImportError:  # 0.1 and 0.2: one folder
    from datasette_factcheck import load
    from datasette_factcheck.plugins import standalone_plugin_manager
    from datasette_factcheck.ingest import read_articles
corpus, extracted, loaded = sys.argv[1:4]
extract = getattr(load, "claim_rows", None) or load._extracted  # 0.1.0's name
hook = standalone_plugin_manager().hook
sent = {a.id: pickle.dumps(extract(a, hook), protocol=5) for a in read_articles(corpus) if hasattr(a, "body")}
with open(extracted, "wb") as f:
    pickle.dump(sent, f)
load.load_paths(loaded, [corpus], workers=1)
"""

# Under valgrind: the writer (a one-process load whose extraction unpickles what EXTRACT
# kept) or the floor (bench/load.py's, from the checkout's own bench folder).
WRITE = """
import pickle, sys
from pathlib import Path
corpus, extracted, loaded, target, mode = sys.argv[1:6]
if mode == "writer":
    try:
        from datasette_factcheck.load import run as load
    except ImportError:  # 0.1 and 0.2: one folder
        from datasette_factcheck import load
    with open(extracted, "rb") as f:
        sent = pickle.load(f)
    name = "claim_rows" if hasattr(load, "claim_rows") else "_extracted"
    setattr(load, name, lambda article, hook, scoring=None: pickle.loads(sent[article.id]))
    load.load_paths(target, [corpus], workers=1)
else:
    import load as bench_load
    bench_load.time_schema_floor(Path(loaded), Path(target))
"""


_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def counted(plugin_dir: Path, script: str, arguments: list[str]) -> int:
    """Instructions valgrind counts for ``script`` run with ``plugin_dir``'s package."""
    # PYTHONHASHSEED fixed: set iteration order, and so the work, is the same in every run.
    # One BLAS thread: numpy's OpenBLAS starts a thread per core at import, whose idle
    # spinning valgrind counts (20 to 47 million instructions a run, different every
    # run: 1 % of the per-sentence figure at 200 articles). With one, runs agree to
    # within a thousand instructions.
    path = os.pathsep.join([str(plugin_dir), str(plugin_dir.parent / "bench")])
    env = {**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": "0", **_ONE_THREAD}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", script]
    result = subprocess.run([*command, *arguments], env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not found:
        sys.exit(f"valgrind run failed for {plugin_dir}: {result.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1))


def instructions(plugin_dir: Path, corpus: Path, articles: int) -> int:
    """Instructions valgrind counts for the extraction workload on ``articles`` articles."""
    return counted(plugin_dir, WORKLOAD, [str(corpus), str(articles), str(WARM_UP_ARTICLES)])


def per_sentence(plugin_dir: Path, corpus: Path, articles: int) -> float:
    difference = instructions(plugin_dir, corpus, 2 * articles) - instructions(plugin_dir, corpus, articles)
    return difference / (articles * SENTENCES_PER_ARTICLE)


def writer_counts(plugin_dir: Path, tmp: Path, articles: int) -> tuple[int, int]:
    """(writer, floor) instructions for a load of the first ``articles`` articles."""
    work = tmp / f"{plugin_dir.parent.name}-{articles}"
    work.mkdir()
    corpus, extracted, loaded = work / "corpus.jsonl", work / "extracted.pickle", work / "loaded.db"
    with (tmp / "corpus.jsonl").open() as source:
        corpus.write_text("".join(line for _, line in zip(range(articles), source)))
    env = {**os.environ, "PYTHONPATH": str(plugin_dir)}
    subprocess.run([sys.executable, "-c", EXTRACT, corpus, extracted, loaded], env=env, check=True)
    files = [str(corpus), str(extracted), str(loaded)]
    return tuple(counted(plugin_dir, WRITE, [*files, str(work / f"{mode}.db"), mode]) for mode in ("writer", "floor"))


def writer_per_sentence(plugin_dir: Path, tmp: Path, articles: int) -> tuple[float, float]:
    """(writer, floor) instructions per sentence: the difference between N and 2N articles."""
    (writer_n, floor_n), (writer_2n, floor_2n) = (writer_counts(plugin_dir, tmp, n) for n in (articles, 2 * articles))
    sentences = articles * SENTENCES_PER_ARTICLE
    return (writer_2n - writer_n) / sentences, (floor_2n - floor_n) / sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, help="N (default 50; with --writer 500)")
    parser.add_argument("--ref", type=Path, help="a checkout of another version to count beside")
    parser.add_argument("--writer", action="store_true", help="count the loader's writer and the SQLite floor")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind not found: apt-get install valgrind")
    if args.writer:
        return print_writer_counts(args.articles or 500, args.ref)
    args.articles = args.articles or 50
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, WARM_UP_ARTICLES + 2 * args.articles)
        print(f"instructions per sentence extracted (claim_rows and pickling, {args.articles} articles):")
        counts = {name: per_sentence(plugin, corpus, args.articles) for name, plugin in versions(args.ref).items()}
    for name, count in counts.items():
        print(f"  {name:30s}{count:>12,.0f}")
    if args.ref:
        mine, theirs = counts.values()
        print(f"  this checkout / {args.ref}: {mine / theirs:.3f}")


def versions(ref: Path | None) -> dict[str, Path]:
    """Name -> plugin folder: this checkout's, and ``ref``'s when given."""
    found = {"this checkout": ROOT / "plugin"}
    if ref:
        found[str(ref)] = ref.resolve() / "plugin"
    return found


def print_writer_counts(articles: int, ref: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp) / "corpus.jsonl", 2 * articles)
        print(f"instructions per sentence loaded ({articles} articles more):")
        for name, plugin in versions(ref).items():
            writer, floor = writer_per_sentence(plugin, Path(tmp), articles)
            print(
                f"  {name:30s} writer {writer:>10,.0f}   SQLite floor {floor:>10,.0f}   writer / floor {writer / floor:.2f}"
            )


if __name__ == "__main__":
    main()
