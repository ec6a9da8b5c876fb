"""One source for every list (issue 25): a status is spelled in vocab.py only, the
desk's addresses are built in web/urls.py only, and the status dots' colours come
from vocab.STATUS_COLOURS. Each test reads the package's own files, so a repeat
added later fails here with the file and the value."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import datasette_factcheck
from datasette_factcheck import vocab
from support.helpers import cookies, make_datasette
from support.webtools import QUEUE_URL, ROOT_ACTOR

PACKAGE = Path(datasette_factcheck.__file__).parent
# Frozen SQL (the migration steps of each release) never changes; vocab.py is the source itself.
SOURCES = {"vocab.py", *(f"store/migrations_{release}.py" for release in ("0_1", "0_2", "0_3"))}
# The same words in other vocabularies: work views named after their status, a load
# job's state.
OTHER_VOCABULARIES = {
    ("desk/work_views.py", "in_progress"),
    ("desk/work_views.py", "done"),
    ("load/jobs.py", "done"),
    ("templates/factcheck_add.html", "done"),
}
# The route table itself, the login page's own /-/factcheck-login, the dashboard's
# links relative to the database (pinned by test_dashboard.py), and the CLI's
# absolute claim links in the sheet (no Datasette there).
ROUTE_BUILDERS = {"web/urls.py", "web/__init__.py", "web/login.py", "desk/dashboard.py", "desk/export.py"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _strings(tree: ast.Module) -> list[str]:
    """Every string constant but docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def _pages() -> list[tuple[str, str]]:
    files = [*PACKAGE.glob("templates/*.html"), *PACKAGE.glob("static/*.css"), *PACKAGE.glob("static/*.js")]
    return [(path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8")) for path in sorted(files)]


def test_a_kind_or_sourcing_is_spelled_only_in_vocab():
    values = set(vocab.KINDS) | set(vocab.SOURCINGS)
    repeats = {
        (name, value) for name, tree in _modules() if name not in SOURCES for value in _strings(tree) if value in values
    }
    # The scorer names a model feature "opinion" (score/features.py), and the priority rules
    # read it (score/editorial.py): a feature of the wording, not a claim's kind.
    features = {(name, "opinion") for name in ("score/features.py", "score/editorial.py")}
    assert repeats - features == set()


def test_a_status_is_spelled_only_in_vocab():
    repeats = {
        (name, value)
        for name, tree in _modules()
        if name not in SOURCES
        for value in _strings(tree)
        if value in vocab.STATUSES
    }
    alternatives = "|".join(vocab.STATUSES)
    quoted = re.compile(rf"""["']({alternatives})["']""")
    repeats |= {(name, found) for name, text in _pages() for found in quoted.findall(text)}
    assert repeats - OTHER_VOCABULARIES == set()


def test_the_desks_addresses_are_built_only_in_web_urls():
    by_hand = {
        name
        for name, tree in _modules()
        if name not in ROUTE_BUILDERS
        for value in _strings(tree)
        if "-/factcheck" in value
    }
    by_hand |= {name for name, text in _pages() if "-/factcheck" in text}
    assert by_hand == set()


@pytest.mark.asyncio
async def test_the_status_dots_take_their_colours_from_vocab(db_path):
    css = (PACKAGE / "static" / "factcheck.css").read_text(encoding="utf-8")
    alternatives = "|".join(vocab.STATUSES)
    assert not re.search(rf"\.fc-status-({alternatives})\b", css)
    ds = await make_datasette(db_path)
    page = (await ds.client.get(QUEUE_URL + "?status=all", cookies=cookies(ds, ROOT_ACTOR))).text
    for status, colour in vocab.STATUS_COLOURS.items():
        assert f".factcheck .fc-status-{status}::before {{ background: {colour}; }}" in page
    assert set(re.findall(r'class="fc-status fc-status-(\w+)"', page)) <= set(vocab.STATUSES)
