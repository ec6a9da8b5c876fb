"""The triage queue's filters and queries, as SQL text and parameters.

Pure: no Datasette, no click. The web layer runs the statements; the CSV
export reuses the same filters, so a sheet always matches what the editor
filtered on screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from ..errors import Invalid
from ..store import counts
from ..store.schema import open_statuses_sql
from ..store.sql import in_values
from ..vocab import (
    ALL_STATUSES,
    NONE,
    OPEN_STATUSES,
    STATUSES,
    VOCABULARIES,
)

PAGE_SIZE = 50
# Filters an editor can set, in the order the page shows them.
FILTERS = ("status", "verdict", "kind", "sourcing", "claimant", "outlet", "article", "assignee", "cluster", "checked")
NULLABLE_FILTERS = ("verdict", "assignee")
# The switch that lists every copy of a repeated claim instead of one row per cluster.
EVERY_COPY = "_copies"
# The switch that sorts claims checked before (claim_matches, issue 24) after the others,
# each group in queue order: what is already settled waits while the rest is triaged.
CHECKED_LAST = "_checked_last"
# Filters under which the queue still shows one row per cluster: beyond
# status, a filter (an outlet, an article, a search...) asks for the copies
# that match it, so each is listed.
FOLDING_FILTERS = ("status",)

# How each filter narrows claims ("c"); outlet lives on the article.
_CONDITIONS = {
    "status": "c.status = ?",
    "verdict": "c.verdict = ?",
    "kind": "c.kind = ?",
    "sourcing": "c.sourcing = ?",
    "claimant": "c.claimant = ?",
    # "+" keeps SQLite walking the queue-ordered index and testing membership,
    # rather than fetching and sorting every claim of the outlet's articles.
    "outlet": "+c.article_id IN (SELECT id FROM articles WHERE outlet = ?)",
    "article": "c.article_id = ?",
    "assignee": "c.assignee = ?",
    "cluster": "c.cluster_id = ?",
}
# checked: claims with an earlier check (claim_matches, issue 24) or without; no parameter.
CHECKED = {
    "yes": "c.id IN (SELECT claim_id FROM claim_matches)",
    "no": "c.id NOT IN (SELECT claim_id FROM claim_matches)",
}


# The values each filter with a closed list takes: the vocabularies, and checked's two.
_ALLOWED = {**VOCABULARIES, "checked": tuple(CHECKED)}


class FilterError(Invalid):
    """A filter value outside its vocabulary; the message names the filter."""


def fts_query(text: str) -> str:
    """Quote each word so user input is never read as FTS5 query syntax."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


@dataclass
class QueueFilters:
    """The filters of one queue view. Each holds the values it matches (OR)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    q: str = ""
    every_copy: bool = False  # the EVERY_COPY switch
    checked_last: bool = False  # the CHECKED_LAST switch

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> QueueFilters:
        """Every filter checked before any query runs, so an export refuses a
        bad one with a 400 instead of failing after its first bytes."""
        values = {}
        for name in FILTERS:
            given = [v for v in params.get(name, ()) if v != ""]
            for value in given:
                _check(name, value)
            if given:
                values[name] = given
        if "status" in values:
            values["status"] = canonical_statuses(values["status"])
            if not values["status"]:
                del values["status"]
        q = " ".join(params.get("q", ())).strip()
        _check_text("q", q)
        return cls(values, q, _switch(params.get(EVERY_COPY, ()), EVERY_COPY),
                   _switch(params.get(CHECKED_LAST, ()), CHECKED_LAST))  # fmt: skip

    def folds(self) -> bool:
        """Whether the queue shows one row per cluster (its best copy) rather than every copy."""
        return not self.every_copy and not self.q and all(name in FOLDING_FILTERS for name in self.values)

    def sorts_checked_last(self) -> bool:
        """Whether the queue puts claims checked before after the others: the switch is on
        and the checked filter does not already keep one of the two groups alone."""
        return self.checked_last and len(set(self.values.get("checked", ()))) != 1

    def statuses(self) -> list[str] | None:
        """The statuses shown: the open ones unless the editor chose."""
        chosen = self.values.get("status")
        if not chosen:
            return list(OPEN_STATUSES)
        return None if ALL_STATUSES in chosen else chosen

    def where(self, skip: str | None = None) -> tuple[str, list]:
        """WHERE clause and parameters for these filters, ``skip`` left out
        (so the status counts cover every status the other filters allow)."""
        clauses, params = ["c.superseded_at IS NULL"], []
        for name in FILTERS:
            chosen = self.statuses() if name == "status" else self.values.get(name)
            if name == skip or not chosen:
                continue
            if name == "checked":
                if len(set(chosen)) == 1:  # both: every claim
                    clauses.append(CHECKED[chosen[0]])
                continue
            if name == "status" and chosen == list(OPEN_STATUSES):
                clauses.append("c." + open_statuses_sql())  # literal, to match the partial index
                continue
            clauses.append(_condition(name, chosen))
            params.extend(v for v in chosen if not (name in NULLABLE_FILTERS and v == NONE))
        if self.q:
            clauses.append("c.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)")
            params.append(fts_query(self.q))
        return " AND ".join(clauses), params

    def changed(self, **changes: Sequence[str] | str | None) -> QueueFilters:
        """These filters with some changed (None removes one), in the order
        from_params gives them, so equal views have equal URLs."""
        values = _with_changes(self.values, changes)
        return replace(self, values={name: values[name] for name in FILTERS if name in values})

    def query_string(self, **changes: Sequence[str] | str | None) -> str:
        """This view's query string with some filters changed (None removes)."""
        switch = {name: ["1"] for name, on in ((EVERY_COPY, self.every_copy), (CHECKED_LAST, self.checked_last)) if on}
        pairs = _with_changes({**self.values, **({"q": [self.q]} if self.q else {}), **switch}, changes)
        return urlencode([(name, v) for name, values in pairs.items() for v in values])


def _with_changes(values: Mapping[str, Sequence[str]], changes: Mapping[str, Sequence[str] | str | None]) -> dict:
    """``values`` (name -> values) with ``changes`` applied: None removes a name, a string is one value."""
    result = {name: list(chosen) for name, chosen in values.items()}
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = [value] if isinstance(value, str) else list(value)
    return result


def canonical_statuses(chosen: Sequence[str]) -> list[str]:
    """One spelling per set of statuses, so the filter form's status boxes
    give back the very URL of the work view they were ticked in: in
    vocabulary order, every status as "all", the open ones as none (the
    queue's default)."""
    if ALL_STATUSES in chosen:
        return [ALL_STATUSES]
    ordered = [status for status in STATUSES if status in chosen]
    if ordered == list(STATUSES):
        return [ALL_STATUSES]
    return [] if ordered == list(OPEN_STATUSES) else ordered


_SWITCH_MEANINGS = {
    EVERY_COPY: "1 (every copy) or 0 (one row per cluster)",
    CHECKED_LAST: "1 (claims checked before last) or 0 (queue order)",
}


def _switch(given: Sequence[str], name: str) -> bool:
    """An on/off query parameter ``name``: on when its last value is 1, on, true or yes."""
    if not given:
        return False
    value = given[-1].strip().lower()
    if value in ("", "0", "off", "false", "no"):
        return False
    if value in ("1", "on", "true", "yes"):
        return True
    raise FilterError(f"{name} must be {_SWITCH_MEANINGS[name]} (got {given[-1]!r})")


def _check(name: str, value: str) -> None:
    _check_text(name, value)
    allowed = _ALLOWED.get(name)
    extra = {"status": (ALL_STATUSES,), "verdict": (NONE,)}.get(name, ())
    if allowed and value not in allowed and value not in extra:
        options = ", ".join((*allowed, *extra))
        raise FilterError(f"{name} must be one of {options} (got {value!r})")


def _check_text(name: str, value: str) -> None:
    # SQLite's full-text search reads a NUL as the end of the query and errs.
    if "\0" in value:
        raise FilterError(f"{name} must not contain a NUL character (%00); remove it from the address")


def _condition(name: str, chosen: list[str]) -> str:
    if name in NULLABLE_FILTERS and NONE in chosen:
        others = [v for v in chosen if v != NONE]
        in_list = f" OR c.{name} {in_values(len(others))}" if others else ""
        return f"(c.{name} IS NULL{in_list})"
    if len(chosen) == 1:
        return _CONDITIONS[name]
    return _CONDITIONS[name].replace("= ?", in_values(len(chosen)))


# --- queries --------------------------------------------------------------------------

QUEUE_COLUMNS = """c.id, c.text, c.kind, c.sourcing, c.claimant, c.checkworthiness, c.reasons,
    c.status, c.verdict, c.assignee, c.cluster_id, c.article_id, a.title AS article_title, a.outlet,
    a.published"""
# Keyset conditions on (checkworthiness, id): the claims after a given one in
# queue order, or before it (walked backwards, nearest first).
_AFTER = " AND (c.checkworthiness < ? OR (c.checkworthiness = ? AND c.id > ?))"
_BEFORE = " AND (c.checkworthiness > ? OR (c.checkworthiness = ? AND c.id < ?))"
_QUEUE_ORDER = "c.checkworthiness DESC, c.id"
_REVERSE_ORDER = "c.checkworthiness ASC, c.id DESC"


def page_query(
    filters: QueueFilters, after: tuple[float, str] | None = None, limit: int = PAGE_SIZE
) -> tuple[str, list]:
    """One page of the queue, most check-worthy first; ``after`` is the
    (checkworthiness, id) of the previous page's last row (keyset paging, so
    page 100 costs what page 1 does).

    The claims are picked by walking the (checkworthiness, id) index until
    ``limit`` match, and only then joined to their articles: joining first
    makes SQLite sort every matching claim.
    """
    return _walk(filters, after, limit, backwards=False)


def neighbour_query(filters: QueueFilters, claim: tuple[float, str], backwards: bool) -> tuple[str, list]:
    """The claim just after ``claim`` (checkworthiness, id) in queue order, or
    just before it: what "next" and "previous" open on the claim page."""
    return _walk(filters, claim, 1, backwards)


def _walk(filters: QueueFilters, start: tuple[float, str] | None, limit: int, backwards: bool) -> tuple[str, list]:
    where, params = filters.where()
    source = "claims c"
    if filters.folds():
        source, fold, fold_params = _folded(filters.statuses())
        where += fold
        params += fold_params
    order = _REVERSE_ORDER if backwards else _QUEUE_ORDER
    if filters.sorts_checked_last():
        return _walk_checked_last(source, where, params, start, limit, backwards)
    if start is not None:
        where += _BEFORE if backwards else _AFTER
        params += [start[0], start[0], start[1]]
    sql = f"""SELECT {QUEUE_COLUMNS} FROM (
            SELECT * FROM {source} WHERE {where} ORDER BY {order} LIMIT {int(limit)}
        ) c LEFT JOIN articles a ON a.id = c.article_id ORDER BY {order}"""
    return sql, params


# Whether the keyset's claim (its id the parameter) is checked before: then the walk
# forwards has left the claims not checked before behind, and backwards has them all ahead.
_START_CHECKED = "EXISTS (SELECT 1 FROM claim_matches WHERE claim_id = ?)"


def _walk_checked_last(source: str, where: str, params: list, start: tuple[float, str] | None, limit: int,
                       backwards: bool) -> tuple[str, list]:  # fmt: skip
    """The walk in the order (checked before last, then queue order): two arms, the claims
    not checked before and those checked, each walking its index in queue order, merged.
    The keyset stays (checkworthiness, id): the group is the keyset claim's own."""
    order = _REVERSE_ORDER if backwards else _QUEUE_ORDER
    arms, arm_params = [], []
    for group, checked in ((0, "no"), (1, "yes")):
        condition, extra = _group_after(group, start, backwards)
        arms.append(f"SELECT * FROM (SELECT {group} AS checked_group, c.* FROM {source} WHERE {where} AND "
                    f"{CHECKED[checked]}{condition} ORDER BY {order} LIMIT {int(limit)})")  # fmt: skip
        arm_params += params + extra
    group_order = "checked_group DESC" if backwards else "checked_group"
    merged = order.replace("c.", "")
    sql = f"""SELECT {QUEUE_COLUMNS} FROM (
            {" UNION ALL ".join(arms)} ORDER BY {group_order}, {merged} LIMIT {int(limit)}
        ) c LEFT JOIN articles a ON a.id = c.article_id ORDER BY c.{group_order}, {order}"""
    return sql, arm_params


def _group_after(group: int, start: tuple[float, str] | None, backwards: bool) -> tuple[str, list]:
    """The condition that keeps, of ``group`` (0: not checked before, 1: checked), the claims
    after ``start`` in the walk's direction."""
    if start is None:
        return "", []
    keyset = _BEFORE if backwards else _AFTER
    keyset_params = [start[0], start[0], start[1]]
    # The group walked first (0 forwards, 1 backwards) is behind us once the start is in the other.
    first = group == (1 if backwards else 0)
    same_group = f"{_START_CHECKED}" if group == 1 else f"NOT {_START_CHECKED}"
    if first:
        return f" AND {same_group}{keyset}", [start[1], *keyset_params]
    return f" AND (NOT ({same_group}){keyset.replace(' AND ', ' OR ', 1)})", [start[1], *keyset_params]


# A better head of the same cluster among the statuses shown: then this one is not the cluster's row.
_BETTER_HEAD = """ AND NOT EXISTS (SELECT 1 FROM claims o INDEXED BY idx_claims_cluster_heads WHERE o.cluster_id = c.cluster_id AND o.cluster_head = 1
    AND o.superseded_at IS NULL AND o.id != c.id{statuses}
    AND (o.checkworthiness > c.checkworthiness OR (o.checkworthiness = c.checkworthiness AND o.id < c.id)))"""


def _folded(statuses: list[str] | None) -> tuple[str, str, list]:
    """One row per cluster: walk only the heads (the best live copy of each
    cluster in each status, migration cluster_counts_and_heads), in an index
    already in queue order, so the page costs what it did whatever the
    clusters' sizes. With more than one status shown, a cluster's heads in
    the others are skipped for its best (at most one per status to look at)."""
    if statuses == list(OPEN_STATUSES):
        source = "claims c INDEXED BY idx_claims_heads_open"
    elif statuses is not None:  # a seek per status (then a sort, as every copy's view does)
        source = "claims c INDEXED BY idx_claims_heads_status"
    else:
        source = "claims c INDEXED BY idx_claims_heads"
    condition = " AND c.cluster_head = 1"
    if statuses is not None and len(statuses) == 1:
        return source, condition, []
    shown = f" AND o.status {in_values(len(statuses))}" if statuses else ""
    return source, condition + _BETTER_HEAD.format(statuses=shown), list(statuses or [])


def count_query(filters: QueueFilters, column: str) -> tuple[str, list]:
    """Exact counts per value of ``column`` (status or verdict) under the
    other filters: from the claim_counts summary when every filter is one of
    its dimensions, else by counting the (then narrow) matching claims."""
    if filters.q or any(name not in counts.DIMENSIONS for name in filters.values):
        where, params = filters.where(skip=column)
        return f"SELECT c.{column} AS value, count(*) AS n FROM claims c WHERE {where} GROUP BY c.{column}", params
    clauses, params = ["n != 0"], []
    for name, chosen in filters.values.items():
        if name != column and not (name == "status" and ALL_STATUSES in chosen):
            clauses.append(f"{name} {in_values(len(chosen))}")
            params += [counts.STORED_NONE if name in NULLABLE_FILTERS and value == NONE else value for value in chosen]
    if column != "status" and "status" not in filters.values:
        clauses.append(open_statuses_sql())
    value = f"nullif({column}, '{counts.STORED_NONE}')"  # back to NULL: "none" as the queue shows it
    sql = f"SELECT {value} AS value, sum(n) AS n FROM {counts.COUNTS_TABLE} WHERE {' AND '.join(clauses)} GROUP BY 1"
    return sql, params


def parse_after(token: str | None) -> tuple[float, str] | None:
    """Decode a ``_next`` token ("0.8123:claimid"); None when absent or malformed."""
    if not token or ":" not in token:
        return None
    score, _, claim_id = token.partition(":")
    try:
        return float(score), claim_id
    except ValueError:
        return None


def next_token(row: Mapping) -> str:
    return f"{row['checkworthiness']!r}:{row['id']}"
