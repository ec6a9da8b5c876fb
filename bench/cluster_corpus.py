"""A factcheck database of millions of claims with clusters of thousands, made
by direct SQL in a minute or two (the loader would take an hour at 3M).

    python bench/cluster_corpus.py PATH --claims 3000000 [--cluster-size 2000]

The schema is the plugin's own (schema.migrate); rows are written the way the
loader writes them (under its 'load' marker, queue indexes built at the end,
counts added set-wise, clusters counted and marked by cluster_store). A
quarter of the claims are copies of a few templated sentences, each copy in
another article with the sentence's score (0.6 to 1, every other claim below
0.6), so the top of the queue is all large clusters: the case that made the queue slow. The full-text index is left
empty: no page measured reads it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import sqlite_utils

from datasette_factcheck.store import clusters as cluster_store
from datasette_factcheck.store import counts
from datasette_factcheck.store.schema import drop_queue_indexes, ensure_queue_indexes, migrate
from datasette_factcheck.store.writers import writing_as

CLAIMS_PER_ARTICLE = 30
CLUSTERED_SHARE = 0.25
OUTLETS = ("The Times", "BBC", "Le Monde", "Reuters", "The Guardian", "Der Spiegel", "Politico")
SOURCINGS = ("named_person", "anonymous", "leak", "media_report", "official_document", "unattributed", "social_media")

_NUMBERS = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :count)"
_ARTICLES = f"""{_NUMBERS}
INSERT INTO articles (id, title, outlet, published, url, body, content_hash, loaded_at)
SELECT 'a' || i, 'Article ' || i, json_extract(:outlets, '$[' || (i % 7) || ']'), '2026-01-01',
       'https://example.org/news/' || i, 'Body of article ' || i, 'hash' || i, '2026-01-01T00:00:00+00:00'
FROM n"""
# Claim i < :copies is copy number i / :clusters of cluster i % :clusters (whose id is its
# first copy's); every other claim is a sentence of its own. Scores are a fixed hash.
_CLAIMS = f"""{_NUMBERS}
INSERT INTO claims (id, article_id, position, text, kind, sourcing, checkworthiness, cluster_id, status)
SELECT printf('c%09d', i), 'a' || (i % :articles), i / :articles,
       CASE WHEN i < :copies
            THEN 'Officials said ' || (i % :clusters) || ' tanks crossed the border at dawn, the ministry said.'
            ELSE 'The council said ' || i || ' homes were built in the district last year.' END,
       'statistic', json_extract(:sourcings, '$[' || (i % 7) || ']'),
       CASE WHEN i < :copies THEN 0.6 + 0.4 * (((i % :clusters) * 7919) % 1000) / 1000.0
            ELSE 0.6 * ((i * 2654435761) % 1000003) / 1000003.0 END,
       CASE WHEN i < :copies THEN printf('c%09d', i % :clusters) ELSE printf('c%09d', i) END,
       'unreviewed'
FROM n"""


def build(path: Path, claims: int, cluster_size: int) -> None:
    """Write the database at ``path`` (replaced if there)."""
    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    migrate(db)
    drop_queue_indexes(db)
    articles = max(1, claims // CLAIMS_PER_ARTICLE)
    clusters = max(1, int(claims * CLUSTERED_SHARE) // cluster_size)
    params = {
        "articles": articles,
        "clusters": clusters,
        "copies": clusters * cluster_size,
        "outlets": json.dumps(OUTLETS),
        "sourcings": json.dumps(SOURCINGS),
    }
    with db.atomic(), writing_as(db.conn, "load"):
        db.execute(_ARTICLES, {"count": articles, "outlets": params["outlets"]})
        db.execute(_CLAIMS, {"count": claims, **params})
        db.execute(counts.add_claims_sql())
        cluster_store.refresh_all(db.conn)
    ensure_queue_indexes(db)
    db.execute("ANALYZE")
    db.close()


def cached(folder: Path, claims: int, cluster_size: int, rebuild: bool = False) -> Path:
    """The database for these sizes under ``folder``, built only when missing
    (or ``rebuild``); a half-built one is never reused."""
    path = folder / f"clusters-{claims}-{cluster_size}" / "factcheck.db"  # served as /factcheck
    path.parent.mkdir(parents=True, exist_ok=True)
    done = path.with_suffix(".built")
    if rebuild or not done.exists():
        done.unlink(missing_ok=True)
        start = time.perf_counter()
        build(path, claims, cluster_size)
        done.write_text("ok\n")
        print(f"built {claims:,} claims (clusters of {cluster_size:,}) in {time.perf_counter() - start:.0f} s: {path}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--claims", type=int, default=3_000_000)
    parser.add_argument("--cluster-size", type=int, default=2000)
    args = parser.parse_args()
    build(args.path, args.claims, args.cluster_size)


if __name__ == "__main__":
    main()
