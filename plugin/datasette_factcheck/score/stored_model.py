"""Reading a model kept in a database (``factcheck_models``), as a file from a stranger.

A database can come from anyone: a stored model may be a gzip bomb (700 MB from a few
hundred KB), not JSON, or JSON of the wrong shape. It is read with a cap on what
decompression may produce, and its shape checked (the format, a numeric bias, weights and
priors that map names to numbers) before any of it is used. A damaged model is one line,
``DamagedModel``: the loader goes on with the shipped model, ``rescore`` stops.

No Datasette, no click.
"""

from __future__ import annotations

import json
import math
import zlib

from .model import FORMAT, Model, meaning_weights

MAX_MODEL_BYTES = 32_000_000  # decompressed; the shipped model is under 2 MB


class DamagedModel(ValueError):
    """A stored model that cannot be used; ``str()`` is the line for the user."""

    def __init__(self, model_id: int, why: str):
        super().__init__(f"stored model #{model_id} is damaged: {why}; run `datasette factcheck train` again")


def read_model(model_id: int, data: object) -> Model:
    """The model stored as ``data`` (gzip or plain JSON), or DamagedModel saying what is wrong."""
    if not isinstance(data, bytes):
        raise DamagedModel(model_id, f"it is {type(data).__name__}, not bytes")
    document = _json(model_id, _decompressed(model_id, data))
    _check_shape(model_id, document)
    try:
        meaning_weights(document["weights"])
    except ValueError as error:
        raise DamagedModel(model_id, str(error)) from None
    return Model(float(document["bias"]), dict(document["weights"]), dict(document["priors"]),
                 dict(document.get("meta") or {}))  # fmt: skip


def _decompressed(model_id: int, data: bytes) -> bytes:
    if data[:2] != b"\x1f\x8b":
        out = data
    else:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out = inflater.decompress(data, MAX_MODEL_BYTES + 1)
        except zlib.error as error:
            raise DamagedModel(model_id, f"its compression is broken ({error})") from None
    if len(out) > MAX_MODEL_BYTES:
        raise DamagedModel(model_id, f"it is over {MAX_MODEL_BYTES // 1_000_000} MB uncompressed")
    return out


def _json(model_id: int, text: bytes) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise DamagedModel(model_id, f"it is not JSON ({type(error).__name__})") from None


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _kind(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "not finite"
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true or false", type(None): "missing"}
    return next((name for type_, name in names.items() if isinstance(value, type_)), "a number")


def _check_shape(model_id: int, document: object) -> None:
    if not isinstance(document, dict):
        raise DamagedModel(model_id, f"it is {_kind(document)}, not a mapping")
    if document.get("format") != FORMAT:
        raise DamagedModel(model_id, f"its format is {str(document.get('format'))[:60]!r}, not {FORMAT!r}")
    if not _number(document.get("bias")):
        raise DamagedModel(model_id, f"bias is {_kind(document.get('bias'))}, not a number")
    for part in ("weights", "priors"):
        mapping = document.get(part)
        if not isinstance(mapping, dict):
            raise DamagedModel(model_id, f"{part} are {_kind(mapping)}")
        if not all(isinstance(name, str) and _number(weight) for name, weight in mapping.items()):
            raise DamagedModel(model_id, f"{part} hold something that is not a number")
    if not isinstance(document.get("meta", {}), dict):
        raise DamagedModel(model_id, "meta is not a mapping")
