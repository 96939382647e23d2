"""Fixtures for the scheduling tests: a collection file with one pack, a study, a clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from quizact.scheduling import Study
from quizact.storage import CardRow, Collection

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def collection(tmp_path):
    with Collection.open(tmp_path / "collection.sqlite") as col:
        yield col


def add_pack(col: Collection, n: int, pack_id: str = "p", now: datetime = NOW, tags=("t",)) -> list[str]:
    ids = [f"c{i:04d}" for i in range(n)]
    rows = [CardRow(i, "recall", tuple(tags), "h") for i in ids]
    col.sync_pack(pack_id, pack_id.upper(), 1, "builtin", rows, now=now)
    return ids


@pytest.fixture
def study(collection) -> Study:
    return Study(collection)


def all_rows(col: Collection) -> list[dict]:
    return [col.card_row(c.pack_id, c.card_id) for c in col.cards(include_retired=True)]


@pytest.fixture(name="add_pack")
def _add_pack():
    return add_pack


@pytest.fixture(name="all_rows")
def _all_rows():
    return all_rows
