"""Who a claim can be assigned to: the desk's accounts, offered as choices.

The accounts are datasette-auth-passwords' (``NAME_password_hash`` settings,
with their actors), kept to those allowed to review, since a viewer can
never work a claim; beside them every assignee already used, so a name
given before (another login plugin's account, a freelancer) stays a choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from datasette.app import Datasette

from .toolkit import can_review

PASSWORDS_PLUGIN = "datasette-auth-passwords"
_HASH_SUFFIX = "_password_hash"


def password_accounts(config: Mapping[str, Any] | None) -> dict[str, str]:
    """account -> password hash, as datasette-auth-passwords reads them (``NAME_password_hash``).
    An account whose hash is unset (its environment variable missing) cannot log in."""
    return {
        key[: -len(_HASH_SUFFIX)]: value
        for key, value in (config or {}).items()
        if key.endswith(_HASH_SUFFIX) and isinstance(value, str) and value
    }


def configured_actors(config: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The actors datasette-auth-passwords logs in, as it makes them: the
    ``actors`` entry for an account, else ``{"id": account}``."""
    actors = (config or {}).get("actors") or {}
    return [
        actor if isinstance(actor := actors.get(account), dict) and actor.get("id") is not None else {"id": account}
        for account in password_accounts(config)
    ]


def merged_choices(*groups: Iterable[str | None]) -> list[str]:
    """Every name once, in the order first given, blanks left out."""
    return list(dict.fromkeys(str(name) for group in groups for name in group if name))


async def assignee_choices(datasette: Datasette, database: str, used: Iterable[str], me: str | None) -> list[str]:
    """The logged-in editor first, then the desk's accounts that may review,
    then the assignees already in the database."""
    reviewers = [
        str(actor["id"])
        for actor in configured_actors(datasette.plugin_config(PASSWORDS_PLUGIN))
        if await can_review(datasette, actor, database)
    ]
    return merged_choices([me], sorted(reviewers), used)
