"""How the sentence model's batches are made, paired: this version's (extract/meaning.py:
sorted by their number of tokens, BATCH texts each, padded to the batch's longest) beside
the earlier batches of 16 sorted by their length in characters, and beside every text
padded to 128 tokens as the model's tokenizer.json asks (what f92fcf3 ran by mistake: the
padding was attended and averaged too).

    python bench/vector_batches.py [--eval DIR] [--rounds 4] [--factchecks 300]

Texts: the CheckThat! 2022 Task 2A devtest tweets (as `match` reads them) and the first
fact-checks of its Snopes set (claim and title, as `import-factchecks` embeds them), read
from ../shared/eval/checkthat22_2a. All ways run in one process with the same sessions,
in alternating rounds; printed: wall milliseconds a text in each round and the median, and
the least cosine between a text's vector alone and in one call of all the texts.
Needs the [semantic] extra.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugin"))
sys.path.insert(0, str(ROOT / "bench"))

from matching import EVAL, read_queries  # noqa: E402

from datasette_factcheck.extract import meaning  # noqa: E402
from datasette_factcheck.match.matching import plain_text  # noqa: E402
from datasette_factcheck.match.semantic import factcheck_text  # noqa: E402

EARLIER_BATCH = 16
# way -> (texts a batch, sorted by tokens (else by characters), every text padded to 128)
WAYS = {
    f"{meaning.BATCH} by tokens (this version)": (meaning.BATCH, True, False),
    f"{EARLIER_BATCH} by characters (before)": (EARLIER_BATCH, False, False),
    f"{meaning.BATCH}, all padded to {meaning.MAX_TOKENS}": (meaning.BATCH, True, True),
}


def milliseconds_a_text(texts: list[str], way: str) -> float:
    """Wall time of embedding ``texts`` in batches made one way or another (``WAYS``)."""
    first, tokenizer = meaning._session()
    sessions = [first, *meaning._more_sessions()]
    size, by_tokens, fixed = WAYS[way]
    if fixed:
        tokenizer = copy.deepcopy(tokenizer)
        tokenizer.enable_padding(length=meaning.MAX_TOKENS)
    start = time.perf_counter()
    encodings = tokenizer.encode_batch(texts)
    key = (lambda i: len(encodings[i].ids)) if by_tokens else (lambda i: len(texts[i]))
    order = sorted(range(len(texts)), key=key)
    chunks = [order[i : i + size] for i in range(0, len(order), size)]

    def run(numbered: tuple[int, list[int]]):
        number, chunk = numbered
        return meaning._embed_batch(sessions[number % len(sessions)], [encodings[i] for i in chunk])

    with ThreadPoolExecutor(len(sessions)) as pool:
        list(pool.map(run, enumerate(chunks)))
    return (time.perf_counter() - start) / len(texts) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--factchecks", type=int, default=300)
    args = parser.parse_args()
    if not meaning.available():
        sys.exit("the [semantic] extra is not installed: pip install -e '.[semantic]'")
    tweets = [plain_text(query["text"]) for query in read_queries(args.eval)[0]["devtest"]]
    with (args.eval / "verified_claims.jsonl").open() as lines:
        records = [json.loads(line) for _, line in zip(range(args.factchecks), lines)]
    factchecks = [factcheck_text(record["claim"], record.get("title")) for record in records]
    meaning.embed(tweets[:32])  # load the sessions before timing
    for name, texts in (("devtest tweets", tweets), ("Snopes fact-checks", factchecks)):
        times: dict[str, list[float]] = {way: [] for way in WAYS}
        for _ in range(args.rounds):
            for way in WAYS:
                times[way].append(milliseconds_a_text(texts, way))
        print(f"{name} ({len(texts)}), ms a text:")
        for way, figures in times.items():
            shown = ", ".join(f"{figure:.1f}" for figure in figures)
            print(f"  {way:28s} {shown}   median {statistics.median(figures):.1f}")
        print(f"  least cosine of a text alone to the same text in one call of all: {least_cosine(texts):.7f}")


def least_cosine(texts: list[str]) -> float:
    """How far a vector moves with its batch: the int8 model quantises a batch's activations
    together, so a text's vector alone and among the others may differ."""
    together = meaning.embed(texts)
    return min(float(meaning.embed([text])[0] @ vector) for text, vector in zip(texts, together, strict=True))


if __name__ == "__main__":
    main()
