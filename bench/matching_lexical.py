"""The lexical stage of matching checked against what else lexical evidence could do (issue
24; MATCHING_MODEL_CARD.md): re-ranking FTS5's first candidates by other similarities, other
queries, bm25 recomputed, pseudo-relevance feedback, and a post's date. Nothing here ships;
it prints MAP@5 on train / dev / devtest (CheckThat! 2022 2A, ../shared/eval) beside the
shipped lexical stage, which every variant starts from.

    python bench/matching.py ...   # the shipped figures
    python bench/matching_lexical.py [--db DB] [--eval DIR] [--depth 20]

--db: a database `import-factchecks` made of the Snopes fact-checks (else one is made, no
vectors needed: lexical only).
"""

from __future__ import annotations

import argparse
import collections
import math
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import scipy.sparse as sparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from matching import EVAL, cli, read_queries, scores, write_factchecks  # noqa: E402

from datasette_factcheck.match import matching  # noqa: E402
from datasette_factcheck.match.words import STOP_WORDS, hashtags, plain_text, without_links  # noqa: E402

SPLITS = ("train", "dev", "devtest")
Vector = dict[str, float]


def content_words(text: str, stem: bool = True) -> list[str]:
    words = [w for w in matching.WORD.findall(without_links(text).lower()) if w not in STOP_WORDS]
    words = [w for w in words if len(w) > 1 or w.isdigit()]
    return [matching.stem(w) for w in words] if stem else words


def word_grams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def char_grams(words: list[str], low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams of each word with a space either side: they survive plurals,
    hashtags run together and typos."""
    grams = []
    for word in words:
        padded = f" {word} "
        grams += [padded[i : i + n] for n in range(low, high + 1) for i in range(max(1, len(padded) - n + 1))]
    return grams


class Collection:
    """Document frequencies over every fact-check, for tf-idf cosines."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.count = len(texts)
        self.kinds: dict[str, Callable[[str], list[str]]] = {
            "words": lambda text: content_words(text),
            "words+pairs": lambda text: word_grams(content_words(text)),
            "chars 3-5": lambda text: char_grams(content_words(text, stem=False)),
            "chars 3": lambda text: char_grams(content_words(text, stem=False), 3, 3),
        }
        self.df = {kind: collections.Counter() for kind in self.kinds}
        self.cached: dict[tuple[str, str], Vector] = {}  # a fact-check's vectors, by (kind, id)
        for text in texts.values():
            for kind, grams in self.kinds.items():
                self.df[kind].update(set(grams(text)))

    def vector(self, kind: str, text: str) -> Vector:
        counts = collections.Counter(self.kinds[kind](text))
        df = self.df[kind]
        weights = {g: (1 + math.log(n)) * (math.log((self.count + 1) / (df[g] + 1)) + 1) for g, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    def of_factcheck(self, kind: str, factcheck_id: str, text: str) -> Vector:
        key = (kind, factcheck_id)
        if key not in self.cached:
            self.cached[key] = self.vector(kind, text)
        return self.cached[key]


def cosine(a: Vector, b: Vector) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large.get(g, 0.0) for g, w in small.items())


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def features(collection: Collection, text: str, candidates: list[tuple[str, float]], docs: dict) -> list[dict]:
    """Each candidate (fact-check id, bm25) with what else the text and it share."""
    plain = plain_text(text)
    stems = {matching.stem(t) for t in matching.query_terms(plain, hashtags(text))}
    query = {kind: collection.vector(kind, plain) for kind in collection.kinds}
    numbers = set(_NUMBER.findall(plain))
    rows = []
    for factcheck_id, bm25 in candidates:
        claim, title, summary, _ = docs[factcheck_id]
        whole = " ".join(filter(None, (claim, title, summary)))
        row = {"id": factcheck_id, "bm25": -bm25, "title": matching.coverage(title or "", stems)}
        row["claim share"] = matching.coverage(claim or "", stems)
        row |= {
            kind: cosine(vector, collection.of_factcheck(kind, factcheck_id, whole)) for kind, vector in query.items()
        }
        theirs = set(_NUMBER.findall(whole))
        row["numbers"] = len(numbers & theirs) / len(theirs) if theirs else 0.0
        rows.append(row)
    return rows


def map_at_5(ranked: dict[str, list[str]], relevant: dict[str, set[str]]) -> float:
    return scores(ranked, relevant)["MAP@5"]


def shipped_key(row: dict, best: float) -> float:
    return row["bm25"] * (1 + matching.TITLE_BOOST * row["title"]) / best


def reranked(rows: list[dict], key: Callable[[dict, float], float], depth: int) -> list[str]:
    first = rows[:depth]
    best = max((row["bm25"] for row in first), default=1.0) or 1.0
    return [row["id"] for row in sorted(first, key=lambda row: -key(row, best))][:5]


def print_row(name: str, figures: list[float]) -> None:
    print(f"  {name:58} " + " / ".join(f"{figure:.4f}" for figure in figures), flush=True)


def rerank_table(queries, relevant, table: dict[str, list[dict]], post_dates, published) -> None:
    print("\nRe-ranking FTS5's first candidates (MAP@5 train / dev / devtest):")
    variants: list[tuple[str, Callable[[dict, float], float], int]] = [
        ("shipped: bm25 x title boost, first six", shipped_key, matching.GATE_TOP)
    ]
    for kind in ("words", "words+pairs", "chars 3-5", "chars 3"):
        for weight in (0.5, 1.0):
            variants.append((f"+ {weight} x {kind} cosine, first 20", _plus(kind, weight), 20))
    variants.append(("+ 0.1 x numbers shared, first 20", _plus("numbers", 0.1), 20))
    variants.append(("+ 0.1 x claim share, first 20", _plus("claim share", 0.1), 20))
    for name, key, depth in variants:
        print_row(name, [_map(queries[s], relevant, table, key, depth) for s in SPLITS])
    fitted = fit_listwise(
        [table[q["id"]][:20] for q in queries["train"]], [relevant[q["id"]] for q in queries["train"]]
    )
    print_row(
        "listwise softmax over bm25, title, chars 3-5 (fit on train)",
        [_map(queries[s], relevant, table, fitted, 20) for s in SPLITS],
    )
    for window in ((-3, 30), (-7, 90)):
        key = _dated(post_dates, published, window)
        print_row(
            f"+ 0.2 if published {window[0]}..{window[1]} days from the post (not lexical)",
            [_map(queries[s], relevant, table, key, 20) for s in SPLITS],
        )


def _plus(feature: str, weight: float) -> Callable[[dict, float], float]:
    return lambda row, best: shipped_key(row, best) + weight * row[feature]


def _map(queries, relevant, table, key, depth) -> float:
    return map_at_5({q["id"]: reranked(table[q["id"]], key, depth) for q in queries}, relevant)


FITTED = ("bm25", "title", "chars 3-5")


def fit_listwise(lists: list[list[dict]], wanted: list[set[str]], steps: int = 300) -> Callable[[dict, float], float]:
    """A softmax over each query's candidates, fitted by gradient descent (numpy): a few
    weights on bm25 / best, the title share and the character cosine."""
    data = [
        (
            np.array([[r["bm25"] / max(x["bm25"] for x in rows), r["title"], r["chars 3-5"]] for r in rows]),
            np.array([r["id"] in want for r in rows], float),
        )
        for rows, want in zip(lists, wanted)
        if rows
    ]
    stacked = np.concatenate([x for x, _ in data])
    mean, spread = stacked.mean(0), stacked.std(0) + 1e-9
    weights = np.zeros(len(FITTED))
    for _ in range(steps):
        gradient = 1e-2 * weights
        for x, y in data:
            if y.sum():
                z = (x - mean) / spread
                p = np.exp(z @ weights - (z @ weights).max())
                gradient += z.T @ (p / p.sum() - y / y.sum()) / len(data)
        weights -= gradient
    return lambda row, best: float(
        ((np.array([row["bm25"] / best, row["title"], row["chars 3-5"]]) - mean) / spread) @ weights
    )


def _dated(post_dates: dict, published: dict, window: tuple[int, int]) -> Callable[[dict, float], float]:
    def key(row: dict, best: float) -> float:
        posted, out = post_dates.get(row["query"]), published.get(row["id"])
        near = posted and out and posted + timedelta(window[0]) <= out <= posted + timedelta(window[1])
        return shipped_key(row, best) + (0.2 if near else 0.0)

    return key


# --- other queries ---------------------------------------------------------------------------

_SIGNATURE = re.compile(r"\s[—–]\s*([^—–]*\(@\w+\)[^—–]*)$")
_MONTHS = frozenset("january february march april may june july august september october november december".split())


def quoted(words: list[str]) -> str:
    return " OR ".join(f'"{word}"' for word in words)


def query_variants() -> dict[str, Callable[[str, list[str]], str]]:
    """name -> (text, the shipped query's terms) -> an FTS5 query. FTS5's bm25 counts a phrase
    as often as the query repeats it, so repeating a word weighs it."""

    def repeated(text: str, terms: list[str]) -> str:
        counts = collections.Counter(content_words(plain_text(text), stem=False))
        return quoted([t for t in terms for _ in range(min(2, counts[t] or 1))])

    def pairs(text: str, terms: list[str]) -> str:
        words = matching.WORD.findall(without_links(plain_text(text)).lower())
        kept = dict.fromkeys((a, b) for a, b in zip(words, words[1:]) if a not in STOP_WORDS and b not in STOP_WORDS)
        return quoted(terms + [f"{a} {b}" for a, b in list(kept)[: matching.MAX_TERMS]])

    def signature_half(text: str, terms: list[str]) -> str:
        found = _SIGNATURE.search(text.strip())
        body = matching.query_terms(plain_text(text.strip()[: found.start()] if found else text), hashtags(text))
        return quoted(body * 2 + [t for t in terms if t not in body])

    return {
        "each word as often as the post says it (at most 2)": repeated,
        "adjacent word pairs added as phrases": pairs,
        "a signature's words at half weight": signature_half,
        "month names dropped": lambda text, terms: quoted([t for t in terms if t not in _MONTHS]),
        "25 words at most": lambda text, terms: quoted(terms[:25]),
    }


def rm3(conn: sqlite3.Connection, docs_by_rowid: dict, first: int, added: int, repeat: int):
    """Pseudo-relevance feedback: the ``added`` words weighing most in the first ``first``
    fact-checks (each by its bm25 as a share of the best) join the query once, the post's own
    words ``repeat`` times."""

    def query(text: str, terms: list[str]) -> str:
        top = matching._ranked(conn, "factchecks_fts", quoted(terms), first)
        weights: collections.Counter = collections.Counter()
        for rowid, bm25 in top:
            words = content_words(docs_by_rowid[rowid], stem=False) or [""]
            for word, n in collections.Counter(words).items():
                weights[word] += n / len(words) * bm25 / top[0][1]
        more = [w for w, _ in weights.most_common(added + len(terms)) if w not in terms][:added]
        return quoted(terms * repeat + more)

    return query


def query_table(conn: sqlite3.Connection, queries, relevant, docs_by_rowid: dict, ids: dict) -> None:
    print("\nOther queries, then the shipped order (MAP@5 train / dev / devtest):")
    variants = {"shipped": lambda text, terms: quoted(terms)} | query_variants()
    for first, added, repeat in ((1, 5, 1), (3, 10, 2), (5, 10, 2)):
        variants[f"RM3: {added} words of the first {first}, the post's x{repeat}"] = rm3(
            conn, docs_by_rowid, first, added, repeat
        )
    for name, make in variants.items():
        figures = []
        for split in SPLITS:
            ranked = {}
            for q in queries[split]:
                terms = matching.query_terms(plain_text(q["text"]), hashtags(q["text"]))
                found = matching._Query("", {matching.stem(t) for t in terms}, [])
                if fts := (make(q["text"], terms) if terms else ""):
                    found.candidates = matching._ranked(conn, "factchecks_fts", fts, matching.GATE_TOP)
                ranked[q["id"]] = [ids[r] for r, _, _ in matching.boosted(conn, found, 5)][:5]
            figures.append(map_at_5(ranked, relevant))
        print_row(name, figures)


# --- bm25 recomputed --------------------------------------------------------------------------


def bm25_table(queries, relevant, docs: dict) -> None:
    """bm25 over every fact-check in numpy (light stemming: no porter here), k1 and b varied,
    ranked by bm25 alone."""
    print("\nbm25 recomputed, light stemming, by bm25 alone (MAP@5 train / dev / devtest):")
    ids = list(docs)
    vocabulary: dict[str, int] = {}
    rows, columns, counts, lengths = [], [], [], []
    for column, factcheck_id in enumerate(ids):
        words = collections.Counter(
            matching.stem(w) for w in matching.WORD.findall(" ".join(filter(None, docs[factcheck_id][:3])).lower())
        )
        lengths.append(sum(words.values()))
        for word, n in words.items():
            rows.append(vocabulary.setdefault(word, len(vocabulary)))
            columns.append(column)
            counts.append(n)
    tf = sparse.csr_matrix((counts, (rows, columns)), shape=(len(vocabulary), len(ids)), dtype=np.float32)
    lengths_array = np.array(lengths, np.float32)
    df = np.diff(tf.indptr)
    idf = np.log(1 + (len(ids) - df + 0.5) / (df + 0.5))
    for k1, b in ((0.9, 0.5), (1.2, 0.75), (2.0, 0.5), (2.0, 1.0)):
        norm = k1 * (1 - b + b * lengths_array / lengths_array.mean())
        figures = []
        for split in SPLITS:
            ranked = {}
            for q in queries[split]:
                score = np.zeros(len(ids), np.float32)
                for term in matching.query_terms(plain_text(q["text"]), hashtags(q["text"])):
                    if (i := vocabulary.get(matching.stem(term))) is not None:
                        row = tf[i]
                        score[row.indices] += idf[i] * row.data * (k1 + 1) / (row.data + norm[row.indices])
                ranked[q["id"]] = [ids[j] for j in np.argsort(-score)[:5] if score[j] > 0]
            figures.append(map_at_5(ranked, relevant))
        print_row(f"k1 {k1}, b {b}", figures)


# --- the run ----------------------------------------------------------------------------------

_POST_DATE = re.compile(r"([A-Z][a-z]+ \d{1,2}, \d{4})\s*\"?\s*$")


def post_date(text: str) -> date | None:
    """The date of a post's signature ("— Name (@handle) May 3, 2017")."""
    found = _POST_DATE.search(text.strip())
    try:
        return datetime.strptime(found[1], "%B %d, %Y").date() if found else None
    except ValueError:
        return None


def run(conn: sqlite3.Connection, eval_dir: Path, depth: int) -> None:
    queries, relevant = read_queries(eval_dir)
    sql = "SELECT rowid, id, claim, title, summary, published FROM factchecks"
    stored = conn.execute(sql).fetchall()
    docs = {row[1]: row[2:] for row in stored}
    ids = {row[0]: row[1] for row in stored}
    published = {row[1]: date.fromisoformat(row[5]) for row in stored if row[5]}
    collection = Collection({i: " ".join(filter(None, d[:3])) for i, d in docs.items()})
    table = {}
    for split in SPLITS:
        searched = [(plain_text(q["text"]), hashtags(q["text"]), None) for q in queries[split]]
        for q, found in zip(queries[split], matching._lexical_many(conn, searched, depth, 0)):
            candidates = [(ids[rowid], bm25) for rowid, bm25 in found.candidates] if found else []
            table[q["id"]] = [row | {"query": q["id"]} for row in features(collection, q["text"], candidates, docs)]
    post_dates = {q["id"]: post_date(q["text"]) for split in SPLITS for q in queries[split]}
    within = {
        s: sum(bool(set(r["id"] for r in table[q["id"]]) & relevant[q["id"]]) for q in queries[s]) / len(queries[s])
        for s in SPLITS
    }
    print(f"correct fact-check among FTS5's first {depth}: " + " / ".join(f"{within[s]:.3f}" for s in SPLITS))
    rerank_table(queries, relevant, table, post_dates, published)
    query_table(conn, queries, relevant, {rowid: " ".join(filter(None, docs[i][:3])) for rowid, i in ids.items()}, ids)
    bm25_table(queries, relevant, docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--depth", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "match.db"
        if not args.db:
            cli("import-factchecks", str(db), str(write_factchecks(Path(tmp), args.eval)))
        conn = sqlite3.connect(db)
        run(conn, args.eval, args.depth)


if __name__ == "__main__":
    main()
