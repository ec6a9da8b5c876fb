"""Sentence vectors (extract/meaning.py) are all-MiniLM-L6-v2's own: mean pooling over a
text's real tokens, whatever the tokenizer file says about padding.

The test extras install the [semantic] extra; these tests run the real model."""

from __future__ import annotations

import numpy as np
import pytest

from datasette_factcheck.extract import meaning

SHORT = "Patients now wait half as long for hospital treatment"


def _reference_vector(text: str) -> np.ndarray:
    """The text run through the model on its own tokens alone, no padding at all."""
    session, tokenizer = meaning._session()
    encoding = tokenizer.encode(text)
    real = [token for token, attended in zip(encoding.ids, encoding.attention_mask, strict=True) if attended]
    ids = np.array([real], dtype=np.int64)
    inputs = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    pooled = session.run(None, inputs)[0][0].mean(axis=0)
    return pooled / np.linalg.norm(pooled)


def test_a_short_text_is_read_without_padding():
    # The model's tokenizer.json pads every text to 128 tokens: read so, a short text
    # was run (and averaged) with a hundred padding tokens, at four times the cost.
    _, tokenizer = meaning._session()
    assert len(tokenizer.encode(SHORT).ids) < 20


def test_a_vector_is_the_mean_over_the_texts_own_tokens_alone_or_in_a_batch():
    longer = SHORT + ", the health secretary told MPs, a claim the opposition disputed at length " * 3
    alone, in_batch = meaning.embed([SHORT])[0], meaning.embed([SHORT, longer])[0]
    reference = _reference_vector(SHORT)
    assert float(alone @ reference) == pytest.approx(1.0, abs=1e-4)
    # Padded to the longer text, its padding masked out: the same vector (the int8
    # model quantises a batch's activations together, so not to the last bit).
    assert float(in_batch @ reference) == pytest.approx(1.0, abs=1e-4)
