"""Fixtures for the collection tests: a real SQLite file in tmp_path and a fixed clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from quizact.storage import CardRow, Collection

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "collection.sqlite"


@pytest.fixture
def collection(db_path):
    with Collection.open(db_path) as col:
        yield col


def cards(*ids: str, kind: str = "recall", tags=("t",), content_hash: str = "h") -> list[CardRow]:
    return [CardRow(i, kind, tuple(tags), content_hash) for i in ids]


@pytest.fixture
def make_cards():
    return cards
