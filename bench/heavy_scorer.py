"""The heavier check-worthiness scorer that was tried and not kept: MiniLM run with onnxruntime.

Issue 11 asked for an optional transformer scorer, kept only if it measurably beats the
default on news. It does not (README, "The check-worthiness model"): fine-tuned on the
CheckThat! debates, it raises dev-test AP (0.894 -> 0.939 combined) and lowers news AP
(0.656 -> 0.634), at about 500 sentences/s against the default's 30,000 claims/s. So it
is not in the package; this module runs the weights ``bench/train_heavy.py`` writes, for
``bench/heavy_eval.py`` to measure, so the experiment can be repeated.

Needs onnxruntime, tokenizers and numpy (not project dependencies), imported only when a
scorer is made; ``available()`` says whether it can run.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
STACKING_FILE = "stacking.json"
RUNTIME_MODULES = ("onnxruntime", "tokenizers", "numpy")
# Padding a batch to its longest sentence wastes work on the shorter ones: sorting by
# length first keeps batches even. 32 sentences amortise the per-call overhead.
BATCH_SIZE = 32


def data_dir() -> Path:
    """Where bench/train_heavy.py writes by default: build/heavy/, ignored by git."""
    return Path(__file__).resolve().parents[1] / "build" / "heavy"


def available(directory: Path | None = None) -> bool:
    """True when onnxruntime, tokenizers and numpy are installed and the weights are present."""
    directory = directory or data_dir()
    files = (MODEL_FILE, TOKENIZER_FILE, STACKING_FILE)
    modules = all(importlib.util.find_spec(name) is not None for name in RUNTIME_MODULES)
    return modules and all((directory / name).is_file() for name in files)


@cache
def stacking(directory: Path | None = None) -> dict[str, Any]:
    """The coefficients and settings bench/train_heavy.py wrote beside the weights."""
    return json.loads(((directory or data_dir()) / STACKING_FILE).read_text())


def combined_margin(default_margin: float, heavy_logit: float, directory: Path | None = None) -> float:
    """a * default margin + b * heavy logit + c: a logit, on the default model's scale,
    with a, b and c fitted on CheckThat! dev (not trained on by the heavy head)."""
    coefficients = stacking(directory)
    return coefficients["a"] * default_margin + coefficients["b"] * heavy_logit + coefficients["c"]


class HeavyScorer:
    """Sentences in, heavy logits out. One session per scorer: make it once, reuse it."""

    def __init__(self, directory: Path | None = None, threads: int = 1) -> None:
        # Lazy imports: the extra is optional and onnxruntime takes a while to import.
        import onnxruntime
        from tokenizers import Tokenizer

        directory = directory or data_dir()
        settings = stacking(directory)
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        # No padding here: each batch is padded to its own longest sentence below.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(settings["max_length"])
        options = onnxruntime.SessionOptions()
        # One thread by default: the loader runs beside other work on shared machines,
        # and a batch of short sentences gains little from more.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(directory / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )

    def logits(self, texts: list[str], batch_size: int = BATCH_SIZE) -> list[float]:
        """The heavy logit of each text, in the order given."""
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        result = [0.0] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            for i, logit in zip(chunk, self._run([ids[i] for i in chunk])):
                result[i] = float(logit)
        return result

    def _run(self, batch: list[list[int]]) -> Any:
        import numpy

        width = max(len(ids) for ids in batch)
        input_ids = numpy.zeros((len(batch), width), dtype=numpy.int64)
        mask = numpy.zeros((len(batch), width), dtype=numpy.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        (logits,) = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})
        return logits
