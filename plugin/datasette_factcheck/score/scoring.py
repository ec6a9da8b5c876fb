"""Which model scores a database's claims: its newsroom model when ``train`` stored one,
else the shipped one; read only, so the loader and the desk never reach into training code
(``newsroom.py`` trains and writes ``factcheck_models``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..extract.claims import Claim
from ..records import Article
from .model import Model, default_model
from .stored_model import read_model

MODELS_TABLE = "factcheck_models"


BUILT_IN_LABEL = "built-in model"


BUILT_IN_PLUGIN = "datasette_factcheck.builtin"


Scorer = Callable[[Claim, Article, Model], tuple[float, list[str]]]


Annotator = Callable[[Article], list[Claim]]


_SELECT_LATEST = f"""SELECT id, trained_at, decisions, checkworthy, not_checkable, model
    FROM {MODELS_TABLE} ORDER BY id DESC LIMIT 1"""


@dataclass(frozen=True)
class StoredModel:
    """A model kept in the database, with when and from what it was trained."""

    id: int
    trained_at: str
    decisions: int
    checkworthy: int
    not_checkable: int
    model: Model

    @property
    def kept_built_in(self) -> bool:
        """True when ``train`` found the decisions did not beat the built-in model."""
        return self.model.meta.get("kept") == "built-in"

    @property
    def label(self) -> str:
        """What the claim page and the JSON say scored a claim."""
        if self.kept_built_in:
            return (
                f"{BUILT_IN_LABEL} (kept by training {self.id}, {self.trained_at[:10]}, {self.decisions:,} decisions)"
            )
        return f"newsroom model {self.id} ({self.trained_at[:10]}, {self.decisions:,} decisions)"

    def summary(self) -> str:
        """What ``train`` did and the cross-validated figures, in one line."""
        meta = self.model.meta
        figures = _cv_figures(meta, "cv_base_log_loss", "cv_log_loss_by_strength", "log loss")
        figures += "; " + _cv_figures(meta, "cv_base_ap", "cv_ap_by_strength", "average precision")
        verdict = (
            "kept the built-in model: the decisions did not beat it"
            if self.kept_built_in
            else f"replaced the built-in model (strength {meta.get('chosen') or meta.get('chosen_strength')})"
        )
        return f"{verdict}. Cross-validated by article ({meta.get('cv_folds')} folds), {figures}"


def _cv_figures(meta: dict, base_key: str, by_strength_key: str, measure: str) -> str:
    """One cross-validated measure, the shipped model's beside each candidate's."""
    base = meta.get(base_key)
    if base is None:
        return f"{measure} not measurable"
    tried = ", ".join(f"{value:.3f} at strength {c}" for c, value in meta.get(by_strength_key, {}).items())
    return f"{measure}: built-in {base:.3f}; with the decisions {tried}"


def latest_model(conn: sqlite3.Connection) -> StoredModel | None:
    """The database's newest model, or None while it has none (or predates the table)."""
    try:
        row = conn.execute(_SELECT_LATEST).fetchone()
    except sqlite3.OperationalError:  # a database not yet migrated
        return None
    if row is None:
        return None
    model_id, trained_at, decisions, taken_up, refused, data = row
    return StoredModel(model_id, trained_at, decisions, taken_up, refused, read_model(model_id, data))


class Scoring(NamedTuple):
    """The model a load or rescore scores with, and what the claim page says scored a claim."""

    model: Model
    label: str


def built_in_scoring() -> Scoring:
    return Scoring(default_model(), BUILT_IN_LABEL)


def scoring_for(conn: sqlite3.Connection, hook: object = None) -> Scoring:
    """The newsroom's own model when the database has one, else the built-in; the
    label names a plugin that answers the scoring hook first, if one is installed."""
    stored = latest_model(conn)
    if stored and stored.kept_built_in:
        scoring = Scoring(default_model(), stored.label)  # this version's built-in, not the copy
    else:
        scoring = Scoring(stored.model, stored.label) if stored else built_in_scoring()
    plugins = _scorer_plugins(hook)
    if plugins:
        return Scoring(scoring.model, f"{', '.join(plugins)} (plugin), else the {scoring.label}")
    return scoring


def _scorer_plugins(hook: object) -> list[str]:
    caller = getattr(hook, "factcheck_score_claim", None)
    if caller is None:
        return []
    return [impl.plugin_name for impl in caller.get_hookimpls() if impl.plugin_name != BUILT_IN_PLUGIN]
