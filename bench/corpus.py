"""A deterministic synthetic news corpus for the benchmarks (no downloads).

Sentences are built from templates in the shapes the seed articles use:
attributed statements, leaks, statistics, quotes with attributions, events and
opinions, with varied names, places and figures, so the extractor does the
same work it does on real prose and clustering sees both repeats and
near-repeats across articles.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

PEOPLE = [
    "John Healey",
    "Emmanuel Macron",
    "Hanno Pevkur",
    "Dmitry Peskov",
    "Olaf Scholz",
    "Giorgia Meloni",
    "Mark Rutte",
    "Kaja Kallas",
    "Donald Tusk",
    "Pedro Sanchez",
    "Petr Fiala",
    "Ulf Kristersson",
]
OUTLETS = ["The Times", "the BBC", "Le Monde", "Reuters", "The Guardian", "Der Spiegel", "Politico"]
PLACES = ["Kyiv", "Kharkiv", "Odesa", "Lviv", "Warsaw", "Tallinn", "Riga", "Vilnius", "Brussels", "Berlin"]
THINGS = [
    "air defence systems",
    "artillery shells",
    "training missions",
    "armoured vehicles",
    "drones",
    "medical teams",
    "engineers",
    "instructors",
    "special forces",
    "supply convoys",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]

TEMPLATES = [
    "{person} said that {country} would send {n} {thing} to {place} before {month} {year}.",
    "According to {outlet}, citing unnamed sources, {country} has kept the option of deploying {thing} on the table.",
    "Leaked documents revealed that {n} {thing} were operating near {place} as of {month} {year}.",
    "\u201cWe will do everything we can to support {place} and its people,\u201d {person} said.",
    "{outlet} reported that {country} and its allies had \u201creactivated\u201d talks about {thing}.",
    "Since {month} {year}, {country} has trained tens of thousands of soldiers and delivered {n} {thing}.",
    "In recent months, several governments have floated the idea of sending {thing} to {place}.",
    "Officials in {place} confirmed that {n} people were evacuated after the strike on {month} {day}.",
    "Critics say the plan is reckless and should be abandoned before it is too late.",
    "The ministry published figures showing a {pct}% rise in spending on {thing} last year.",
    "{person} warned that such a deployment could result in a serious conflict in Europe.",
    "Is this really the time to escalate, when talks in {place} have barely begun?",
    "The convoy reached {place} on {month} {day} after a journey of {n} kilometres.",
    "A spokesperson for {person} declined to comment on the reports from {place}.",
    "Analysts expect the price of {thing} to double within {n} months, according to {outlet}.",
    "Residents of {place} said the sirens sounded {n} times during the night.",
    "{person} insisted that \u201c{country} is failing to win,\u201d adding that more pressure was needed.",
    "The Discord leaks suggested that {n} NATO special operations soldiers were inside {place}.",
    "Protesters gathered outside the parliament in {place} on {month} {day}, {year}.",
    "The agreement, signed in {place}, commits {country} to spending {pct} per cent of GDP on defence.",
]
COUNTRIES = ["the UK", "France", "Germany", "Poland", "Estonia", "Italy", "Sweden", "Spain", "Latvia"]
SENTENCES_PER_ARTICLE = 20
SENTENCES_PER_PARAGRAPH = 4


def _sentence(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        person=rng.choice(PEOPLE),
        outlet=rng.choice(OUTLETS),
        place=rng.choice(PLACES),
        thing=rng.choice(THINGS),
        month=rng.choice(MONTHS),
        year=rng.randint(2019, 2025),
        day=rng.randint(1, 28),
        n=rng.randint(2, 5000),
        pct=rng.randint(1, 60),
        country=rng.choice(COUNTRIES),
    )


def article(number: int, rng: random.Random) -> dict:
    sentences = [_sentence(rng) for _ in range(SENTENCES_PER_ARTICLE)]
    paragraphs = [
        " ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH]) for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)
    ]
    return {
        "id": f"synthetic-{number:07d}",
        "title": f"Report {number} on {rng.choice(THINGS)} in {rng.choice(PLACES)}",
        "outlet": rng.choice(OUTLETS).removeprefix("the "),
        "author": rng.choice(PEOPLE),
        "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "url": f"https://news.example/{number}",
        "body": "\n\n".join(paragraphs),
    }


def write_corpus(path: Path, articles: int, seed: int = 20241220) -> int:
    """Write ``articles`` JSONL records to ``path``; returns the sentence count."""
    rng = random.Random(seed)
    with path.open("w") as out:
        for number in range(articles):
            out.write(json.dumps(article(number, rng)) + "\n")
    return articles * SENTENCES_PER_ARTICLE
