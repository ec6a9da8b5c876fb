"""Train the shipped check-worthiness model (deterministic: same data, same bytes).

    python bench/train_checkworthy.py

1. Writes plugin/datasette_factcheck/data/checkworthy_base.csv.gz: the CheckThat! 2024
   task 1 English train and dev sentences (../shared/eval/ct24_train.csv, ct24_dev.csv;
   CC BY 4.0, derived from ClaimBuster; see NOTICE), the base data ``fit`` learns from.
2. Fits on them with no decisions and writes data/checkworthy_model.json.gz.

Dev-test, news_dev and claimbuster_dev are never read here: bench/rank.py measures.
Hyperparameters (C, the editorial priors, the feature set) were chosen with
bench/rank.py on CheckThat! dev and news_dev; news_dev sentences are not trained on.
"""

from __future__ import annotations

import os

# One BLAS thread: a sum split across threads adds in another order, and the weights
# would differ in their last digits from run to run. Set before numpy is imported.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import gzip  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from datasette_factcheck.score.fit import BASE_DATA_FILE, fit  # noqa: E402
from datasette_factcheck.score.model import DEFAULT_MODEL_FILE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
DATA = ROOT / "plugin" / "datasette_factcheck" / "data"
BASE_SPLITS = ("ct24_train.csv", "ct24_dev.csv")


def base_csv(eval_dir: Path) -> bytes:
    """The training sentences as one gzip CSV (sentence_id, text, checkworthy), mtime 0."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sentence_id", "text", "checkworthy"])
    for name in BASE_SPLITS:
        with (eval_dir / name).open(newline="") as f:
            for row in csv.DictReader(f):
                writer.writerow([row["sentence_id"], row["text"], row["checkworthy"]])
    return gzip.compress(out.getvalue().encode(), compresslevel=9, mtime=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=EVAL)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    (DATA / BASE_DATA_FILE).write_bytes(base_csv(args.eval_dir))
    start = time.perf_counter()
    model = fit()
    data = model.to_bytes()
    (DATA / DEFAULT_MODEL_FILE).write_bytes(data)
    print(f"trained in {time.perf_counter() - start:.1f}s: {model.meta}")
    print(f"{DEFAULT_MODEL_FILE}: {len(data) / 1e6:.2f} MB, sha256 {hashlib.sha256(data).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
