"""news_dev's sentences are BBC text: the project measures with them and never copies them
(../shared/eval/README.md). Tests, comments and docs use invented sentences of the same shape."""

from __future__ import annotations

import csv
import re

import pytest

from support.helpers import ROOT

NEWS_DEV = ROOT.parent / "shared" / "eval" / "news_dev.csv"
RUN = 8  # words in a row: longer than the phrases news prose shares by chance ("is alleged to have said that")
SCANNED = ("plugin", "tests", "bench", "seeds")
SUFFIXES = {".py", ".md", ".txt", ".json", ".yml", ".yaml", ".html", ".csv"}


def _runs(text: str) -> set[str]:
    words = re.sub(r"\s+", " ", text).split(" ")
    return {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _project_files():
    yield from (path for path in ROOT.glob("*") if path.is_file() and path.suffix in SUFFIXES)
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in SUFFIXES and "egg-info" not in str(path):
                yield path


@pytest.mark.skipif(not NEWS_DEV.exists(), reason="../shared/eval is not beside this checkout")
def test_no_news_dev_sentence_is_copied_into_the_project():
    with NEWS_DEV.open(newline="") as f:
        copied = set().union(*(_runs(row["text"]) for row in csv.DictReader(f)))
    found = [
        f"{path.relative_to(ROOT)}: {run!r}"
        for path in _project_files()
        for run in _runs(path.read_text(errors="ignore")) & copied
    ]
    assert not found, found[:10]
