"""The house rules of ARCHITECTURE.md, read from the package's source with ``ast``.

Imports are counted wherever they are written, inside functions too: a lazy import is
still a dependency. Each rule is checked on the real package and, with a small made-up
graph, shown to catch what it forbids.
"""

from __future__ import annotations

import ast
import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from support.helpers import ROOT

PACKAGE = ROOT / "plugin" / "datasette_factcheck"
NAME = "datasette_factcheck"
# The stages in the order data flows; a stage may import its own modules, the shared
# top-level modules and the stages before it, never one after it.
STAGES = ["ingest", "extract", "score", "store", "match", "load", "desk", "web", "cli"]
# What every part shares; they import only each other.
SHARED = {"clock", "errors", "hookspecs", "links", "records", "vocab"}
# Only these may import Datasette or click (the package's __init__ holds Datasette's hooks).
FRAMEWORK_LAYERS = {"web", "cli"}
FRAMEWORKS = {"datasette", "click"}
# Training code: ``train`` reaches it; a load is handed the scoring to use instead.
TRAINING = {
    f"{NAME}.score.fit",
    f"{NAME}.score.newsroom_fit",
    f"{NAME}.score.newsroom_choice",
    f"{NAME}.score.newsroom",
}
MAX_LINES = 450
MAX_TOP_LEVEL = 12


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Every module ``module`` imports: the package's own by full name, others by top name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            target = _target(module, path.name == "__init__.py", node)
            for alias in node.names:
                name = f"{target}.{alias.name}"
                found.add(name if name in known else target)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {module: imports(module, path, set(found)) for module, path in found.items()}


def stage_of(module: str) -> str:
    """The sub-package a module lives in, or "" for the package's top level."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else ""


def own(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph cut to the package's own modules."""
    return {module: {t for t in targets if t in graph and t != module} for module, targets in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports that break the flow: a stage reaching a later one, a shared module reaching a stage."""
    wrong = []
    for module, targets in own(graph).items():
        stage = stage_of(module)
        if module == NAME:
            continue  # the hook implementations delegate to every part
        for target in targets:
            there = stage_of(target)
            if there == "" and target.split(".")[-1] in SHARED:
                continue
            if stage == "" or there == "" or STAGES.index(there) > STAGES.index(stage):
                wrong.append(f"{module} imports {target}")
    return sorted(wrong)


def framework_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports of Datasette or click outside web/, cli/ and the hook implementations."""
    allowed = {module for module in graph if module == NAME or stage_of(module) in FRAMEWORK_LAYERS}
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module not in allowed
        for target in targets
        if target.split(".")[0] in FRAMEWORKS
    )


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_cycle():
    assert cycles(own(import_graph())) == []


def test_stages_import_only_earlier_stages_and_shared_modules():
    assert upward_imports(import_graph()) == []


def test_only_web_and_cli_import_datasette_or_click():
    assert framework_imports(import_graph()) == []


def test_the_loader_never_reaches_training_code():
    graph = own(import_graph())
    for module in graph:
        if stage_of(module) == "load":
            assert reachable(graph, module) & TRAINING == set(), module


def test_module_sizes_and_the_shape_of_the_house():
    found = modules()
    lines = {module: len(path.read_text(encoding="utf-8").splitlines()) for module, path in found.items()}
    assert {module: count for module, count in lines.items() if count > MAX_LINES} == {}
    top_level = [module for module in found if stage_of(module) == "" and module != NAME]
    assert len(top_level) <= MAX_TOP_LEVEL, top_level
    per_stage = defaultdict(int)
    for module in found:
        per_stage[stage_of(module)] += module.split(".")[-1] != stage_of(module)
    assert sum(count >= 2 for stage, count in per_stage.items() if stage) >= 5
    free = sum(count for module, count in lines.items() if stage_of(module) not in FRAMEWORK_LAYERS)
    assert free * 2 >= sum(lines.values())


def test_every_stage_is_a_documented_sub_package():
    architecture = (PACKAGE.parent.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file()
        assert f"`{stage}/`" in architecture, stage
    assert set(STAGES) == {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()}


# --- the checks catch what they forbid ---------------------------------------------


def test_cycles_are_found_through_any_length():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize(
    "module,target,broken",
    [
        (f"{NAME}.ingest.read", f"{NAME}.load.run", True),  # a stage reaching a later one
        (f"{NAME}.records", f"{NAME}.store.sql", True),  # a shared module reaching a stage
        (f"{NAME}.load.run", f"{NAME}.ingest.read", False),
        (f"{NAME}.desk.queue", f"{NAME}.vocab", False),
    ],
)
def test_upward_imports_are_named(module, target, broken):
    graph = {module: {target}, target: set()}
    assert upward_imports(graph) == ([f"{module} imports {target}"] if broken else [])


def test_framework_imports_outside_web_and_cli_are_named():
    graph = {f"{NAME}.desk.queue": {"datasette.app"}, f"{NAME}.web.queue": {"datasette.app"}, NAME: {"datasette"}}
    graph[f"{NAME}.vocab"] = {"click"}
    assert framework_imports(graph) == [f"{NAME}.desk.queue imports datasette.app", f"{NAME}.vocab imports click"]


def test_imports_inside_functions_count(tmp_path):
    source = tmp_path / "lazy.py"
    source.write_text("def later():\n    from datasette.app import Datasette\n    return Datasette\n")
    assert "datasette.app" in imports(f"{NAME}.desk.lazy", source, set())


def test_tests_mirror_the_house():
    """Test files live in the folder of the stage they test; they import helpers from
    ``support`` by name, never from conftest.py or from another test file."""
    tests = ROOT / "tests"
    for path in tests.rglob("test_*.py"):
        folder = path.parent.relative_to(tests).parts
        assert folder == () and path.name == "test_architecture.py" or folder[:1] in [(s,) for s in STAGES], path
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(name == "conftest" or name.startswith("test_") for name in names), path


# --- news_dev's sentences are BBC text: the project measures with them and never copies them
# (../shared/eval/README.md). Tests, comments and docs use invented sentences of the same shape.

NEWS_DEV = ROOT.parent / "shared" / "eval" / "news_dev.csv"
RUN = 8  # words in a row: longer than the phrases news prose shares by chance ("is alleged to have said that")
SCANNED = ("plugin", "tests", "bench", "seeds")
SUFFIXES = {".py", ".md", ".txt", ".json", ".yml", ".yaml", ".html", ".csv"}


def _runs(text: str) -> set[str]:
    # a comment's lines read on as one text; so do a string's halves written on two lines
    text = re.sub(r"\n\s*#+ ?|[\"']\s*\n\s*[\"']", " ", text)
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
