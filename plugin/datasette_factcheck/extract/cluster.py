"""Group claims that say the same thing, within and across articles.

Near-linear in corpus size: each claim gets a few sketch keys (``signature``: the
lowest-hashed of its content words, and of the five-word shingles of what it quotes).
Only claims sharing a key are compared, at most ``MAX_CANDIDATES_PER_KEY`` per key, and
a pair joins a cluster when its word overlap (Jaccard) or its shared quotation is high
enough. Keys are stored in ``claim_cluster_keys`` so a later load matches new claims
against everything loaded before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .signature import Signature, is_exact_key

MAX_CANDIDATES_PER_KEY = 10
MAX_COMPARISONS = 24  # per new claim, whatever its keys turn up


class _UnionFind:
    """Disjoint sets of claim ids whose roots are the cluster ids.

    A stored cluster id outranks a new one, so a new claim joining a large
    cluster never renames it (which would rewrite every member); between two
    of the same rank the smaller id wins, so the outcome does not depend on
    the order claims arrive in.
    """

    def __init__(self, stored_roots: set[str]) -> None:
        self.parent: dict[str, str] = {}
        self.stored_roots = stored_roots

    def find(self, item: str) -> str:
        root = item
        while (parent := self.parent.get(root, root)) != root:
            root = parent
        while item != root:  # path compression, iteratively: clusters can be long chains
            self.parent[item], item = root, self.parent.get(item, item)
        return root

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            winner = min((root_a, root_b), key=lambda r: (r not in self.stored_roots, r))
            self.parent[root_b if winner == root_a else root_a] = winner


@dataclass
class StoredCandidates:
    """Stored claims filed under some of the new claims' keys."""

    # claim id -> (signature, cluster id); no signature for a copy met under an
    # exact-repeat key alone, which is never compared.
    claims: dict[str, tuple[Signature | None, str]]
    by_key: dict[int, list[str]]  # key -> the claim ids filed under it (at most MAX_CANDIDATES_PER_KEY)


# Looks up the stored claims filed under any of the keys.
CandidateLookup = Callable[[list[int]], StoredCandidates]


@dataclass
class ClusterResult:
    cluster_of: dict[str, str]  # new claim id -> cluster id
    merged: dict[str, str]  # stored cluster id -> the cluster id it joins
    keys: list[tuple[int, str]]  # (key, claim id) rows to store
    stored_clusters: set[str]  # the clusters that had stored members before this batch


def assign_clusters(new_claims: Iterable[tuple[str, Signature]], lookup: CandidateLookup) -> ClusterResult:
    """Cluster ``(claim_id, Signature)`` pairs against each other and the stored claims.

    Exact repeats first: a claim whose exact-repeat key is already filed
    joins that key's cluster, whatever its other keys would find, so every
    copy of a sentence shares one cluster across batches and loads. Other
    claims are compared with the candidates their sketch keys turn up. A
    claim with no match is its own cluster (its id); a new cluster's id is
    the smallest id of its members; a claim joining a stored cluster takes
    its id.
    """
    signatures = dict(new_claims)
    filed: dict[int, list[str]] = {}
    key_rows: list[tuple[int, str]] = []
    for cid, signature in signatures.items():
        for key in signature.keys:
            filed.setdefault(key, []).append(cid)
            key_rows.append((key, cid))
    candidates = lookup(list(filed))
    stored = candidates.claims
    stored_signatures = {cid: signature for cid, (signature, _) in stored.items() if signature is not None}
    forest = _UnionFind({cluster_id for _, cluster_id in stored.values()})
    for cid, (_, cluster_id) in stored.items():
        forest.union(cid, cluster_id)
    repeats = _join_exact_repeats(filed, candidates.by_key, forest)
    all_signatures = {**stored_signatures, **signatures}
    # The same for every claim filed under the key: built once, not once a claim.
    under_key = {
        key: [(other, all_signatures[other]) for other in candidates.by_key.get(key, []) + ids[:MAX_CANDIDATES_PER_KEY]]
        for key, ids in filed.items()
        if not is_exact_key(key)
    }
    for cid, signature in signatures.items():
        if cid in repeats:
            continue
        match = _first_match(cid, signature, under_key)
        if match is not None:
            forest.union(cid, match)
    return _result(signatures, stored, forest, key_rows)


def _join_exact_repeats(
    filed: dict[int, list[str]], stored_by_key: dict[int, list[str]], forest: _UnionFind
) -> set[str]:
    """Put every claim filed under an exact-repeat key in one cluster with the
    stored claims under it (all already in one cluster) and the other new
    copies; returns the claims that found an earlier copy, which need no
    further comparison (their first copy was, or is about to be, compared)."""
    repeats: set[str] = set()
    for key, ids in filed.items():
        if not is_exact_key(key):
            continue
        stored_copies = stored_by_key.get(key)
        first = stored_copies[0] if stored_copies else ids[0]
        for cid in ids:
            if cid != first:
                forest.union(cid, first)
                repeats.add(cid)
    return repeats


def _first_match(cid: str, signature: Signature, under_key: dict[int, list[tuple[str, Signature]]]) -> str | None:
    """The first candidate saying the same thing; one match is enough to join
    its cluster, and stopping there keeps the work per claim bounded."""
    compared: set[str] = {cid}
    same_claim_as = signature.same_claim_as
    for key in signature.keys:
        if key < 0:  # the exact-repeat key: handled before any comparison
            continue
        for other, other_signature in under_key[key]:
            if other in compared:
                continue
            if same_claim_as(other_signature):
                return other
            compared.add(other)
            if len(compared) > MAX_COMPARISONS:
                return None
    return None


def _result(signatures, stored, forest, key_rows) -> ClusterResult:
    cluster_of = {cid: forest.find(cid) for cid in signatures}
    merged = {}
    for cid, (_, cluster_id) in stored.items():
        root = forest.find(cid)
        if root != cluster_id:
            merged[cluster_id] = root
    return ClusterResult(cluster_of, merged, key_rows, forest.stored_roots)
