from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# ../shared sits beside the checkout, in development and in CI alike.
SHARED = ROOT.parent / "shared"
SEED_CLAIMS = SHARED / "eval" / "seed_claims.json"


@pytest.fixture(scope="session")
def seed_reference() -> dict:
    assert SEED_CLAIMS.exists(), f"{SEED_CLAIMS} is missing: ../shared must sit beside the checkout"
    return json.loads(SEED_CLAIMS.read_text())


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of seeds/, for tests that edit an article."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seeded_db_path(tmp_path_factory) -> Path:
    """A database with both seed articles loaded (read-only for tests)."""
    from datasette_factcheck.load import load_paths

    path = tmp_path_factory.mktemp("seeded") / "factcheck.db"
    summary = load_paths(path, [SEEDS])
    assert not summary.problems, summary.problems
    return path


@pytest.fixture
def seeded_db(seeded_db_path) -> sqlite_utils.Database:
    return sqlite_utils.Database(seeded_db_path)
