"""Fixtures for the scheduling tests (``now`` and ``collection`` come from
``tests/conftest.py``): a pack of cards and a study."""

from __future__ import annotations

from datetime import datetime

import pytest

from quizact.scheduling import Study
from quizact.storage import CardRow, Collection
from tests.conftest import NOW


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
