"""Does the queue's score separate the top? Its spread on a large corpus of real sentences.

    python bench/spread.py [--synthetic 0]

The corpus: every sentence of ../shared/eval's CheckThat! 2024 train, dev and
dev-test, claimbuster_dev and news_dev (read from there, never copied) and the two
seed articles, 26,000 claims, annotated and scored as the loader does. With
``--synthetic N``, N articles of bench/corpus.py (20 sentences each) too: they repeat
twenty templates with other names and numbers, so hundreds of near-copies of one
templated leak ("The Discord leaks suggested that 412 NATO special operations
soldiers were inside Riga") crowd the top, as no real news day does (600 of them put
the 10th to the 100th claim within 3 points). Printed beside the old score
(the model's probability, shown 0-100 as before): how many claims share the top
shown value, the shown values at ranks 1, 10, 50, 100, 1% and 10%, and the span
of the top 50. The target: at most 1% share the top value, the top 50 span at
least 20 points. Ties: claims with the same stored score (copies of one
sentence) keep the queue's order by claim id.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import article  # noqa: E402

from datasette_factcheck.extract.claims import annotate_claims, split_claims  # noqa: E402
from datasette_factcheck.ingest.clean import clean_txt  # noqa: E402
from datasette_factcheck.records import Article  # noqa: E402
from datasette_factcheck.score.fit import annotated_claim  # noqa: E402
from datasette_factcheck.score.model import probability, score_claim  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
FILES = ("ct24_train.csv", "ct24_dev.csv", "ct24_devtest.csv", "claimbuster_dev.csv", "news_dev.csv")
TOP = 50


def corpus_claims(synthetic: int) -> list:
    claims = []
    for name in FILES:
        with (EVAL / name).open(newline="") as f:
            claims += [annotated_claim(row["text"]) for row in csv.DictReader(f)]
    articles = [
        Article(id=path.stem, body=clean_txt(path.read_text())[1], source="seed")
        for path in sorted((ROOT / "seeds").glob("*.txt"))
    ]
    rng = random.Random(20241220)
    for number in range(synthetic):
        record = article(number, rng)
        articles.append(Article(id=record["id"], body=record["body"], source="synthetic"))
    for item in articles:
        found = split_claims(item)
        annotate_claims(item, found)
        claims += found
    return claims


def report(name: str, scores: list[float]) -> None:
    shown = sorted((round(100 * s) for s in scores), reverse=True)
    at_top = shown.count(shown[0])
    ranks = {"1": 0, "10": 9, "50": 49, "100": 99, "1%": len(shown) // 100, "10%": len(shown) // 10}
    at = ", ".join(f"#{label} {shown[i]}" for label, i in ranks.items())
    span = shown[0] - shown[TOP - 1]
    print(
        f"{name:34s} top value {shown[0]} shared by {at_top:,} ({at_top / len(shown):.2%}); "
        f"top {TOP} span {span} points; {at}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=0, help="templated articles to add (20 sentences each)")
    args = parser.parse_args()
    claims = corpus_claims(args.synthetic)
    print(f"{len(claims):,} claims")
    report("before: probability x 100", [probability(claim) for claim in claims])
    report("now: the queue's score x 100", [score_claim(claim)[0] for claim in claims])


if __name__ == "__main__":
    main()
