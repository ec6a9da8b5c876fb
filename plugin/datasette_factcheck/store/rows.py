"""The loader's rows, by column name: articles and claims as it writes them.

Each row type's fields are the table's columns in the order of its
statements, so the column lists and the SQL below are generated from them:
adding a column is one field here (and the code that computes its value).
NamedTuples rather than dataclasses: they are tuples, so ``executemany``
takes them as they are.

Claim rows are built by name in the extraction workers, then travel and are
written as plain tuples of the same values in the same order (``ClaimValues``):
a NamedTuple pickles and unpickles about four times slower than a tuple, and
the one writing process unpickles every claim of the load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from ..extract.signature import Signature
from ..records import Article, json_list


class ArticleRow(NamedTuple):
    id: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None
    url: str | None
    body: str
    source: str
    content_hash: str
    loaded_at: str

    @classmethod
    def of(cls, article: Article, content_hash: str, loaded_at: str) -> ArticleRow:
        """The row of ``article``: every column but these two is the article's attribute of that name."""
        given = {"content_hash": content_hash, "loaded_at": loaded_at}
        return cls._make(given[name] if name in given else getattr(article, name) for name in cls._fields)


class ClaimRow(NamedTuple):
    """A claim as extracted. ``cluster_id`` is None until the writer assigns it."""

    id: str
    article_id: str
    position: int
    text: str
    context: str | None
    kind: str | None
    claimant: str | None
    sourcing: str | None
    figures: str  # JSON array
    checkworthiness: float
    reasons: str  # JSON array
    scored_by: str | None  # which model scored it
    cluster_id: str | None = None

    @staticmethod
    def values_of(claim, claim_id: str, article_id: str, position: int) -> ClaimValues:
        """The row of an annotated, scored ``extract.Claim``, as plain values in the
        fields' order (``ClaimRow(*values)`` names them): the loader makes one for every
        sentence and sends it to the writer, and a tuple is built and pickled without
        the keyword call and the copy a NamedTuple would cost."""
        return (
            claim_id,
            article_id,
            position,
            claim.text,
            claim.context,
            claim.kind,
            claim.claimant,
            claim.sourcing,
            json_list(claim.figures or []),
            claim.checkworthiness,
            json_list(claim.reasons or []),
            claim.scored_by,
            None,  # cluster_id: the writer's to assign
        )


ClaimValues = tuple  # a ClaimRow's values as a plain tuple, in ClaimRow's field order

ARTICLE_COLUMNS = ArticleRow._fields
CLAIM_COLUMNS = ClaimRow._fields
# What a reload refreshes in a claim it keeps: not its identity, its text (the id is derived
# from it) or its cluster (other claims may have joined it).
REFRESHED_CLAIM_COLUMNS = tuple(c for c in CLAIM_COLUMNS if c not in ("id", "article_id", "text", "cluster_id"))
refreshed_values = itemgetter(*(CLAIM_COLUMNS.index(c) for c in (*REFRESHED_CLAIM_COLUMNS, "id")))
claim_id_of = itemgetter(CLAIM_COLUMNS.index("id"))
checkworthiness_of = itemgetter(CLAIM_COLUMNS.index("checkworthiness"))
_CLUSTER = CLAIM_COLUMNS.index("cluster_id")
# What the writer inserts: a claim's values, then whether it is its cluster's head
# (the writer knows for a cluster a batch starts; cluster_store.refresh settles the rest).
INSERTED_CLAIM_COLUMNS = (*CLAIM_COLUMNS, "cluster_head")


def with_cluster(values: ClaimValues, cluster_id: str, head: bool = False) -> ClaimValues:
    """The claim's values with its cluster assigned and its head mark, in
    INSERTED_CLAIM_COLUMNS' order (cheaper than ClaimRow._replace)."""
    return values[:_CLUSTER] + (cluster_id,) + values[_CLUSTER + 1 :] + (int(head),)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


UPSERT_ARTICLE_SQL = (
    insert_sql("articles", ARTICLE_COLUMNS)
    + " ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in ARTICLE_COLUMNS[1:])
)
INSERT_CLAIM_SQL = insert_sql("claims", INSERTED_CLAIM_COLUMNS)
# Parameters: refreshed_values(row). A claim that comes back is no longer superseded.
UPDATE_CLAIM_SQL = (
    f"UPDATE claims SET {', '.join(f'{c} = ?' for c in REFRESHED_CLAIM_COLUMNS)}, superseded_at = NULL WHERE id = ?"
)


@dataclass
class ExtractedArticle:
    """An article's claims as rows ready to write, with their signatures."""

    article: Article
    digest: str
    rows: list[ClaimValues]
    signatures: dict[str, Signature]
    is_update: bool  # an earlier version of the article is stored
    file: str  # the file it was read from
