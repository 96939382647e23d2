"""Shared fixtures: an isolated QUIZACT_HOME for every test, a fixed clock, a seeded RNG,
a real collection file."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SAMPLE = CONTENT / "examples" / "sample.yaml"
NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("quizact-home")
    monkeypatch.setenv("QUIZACT_HOME", str(home))
    monkeypatch.delenv("QUIZACT_DB", raising=False)
    return home


@pytest.fixture
def fixed_now() -> datetime:
    return NOW


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "collection.sqlite"


@pytest.fixture
def collection(db_path):
    from quizact.storage import Collection

    with Collection.open(db_path) as col:
        yield col


@pytest.fixture
def rng():
    import numpy as np

    return np.random.default_rng(12345)


@pytest.fixture
def sample_pack():
    from quizact.packs.loader import load_pack

    return load_pack(SAMPLE)
