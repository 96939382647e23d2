"""Fixtures for the collection tests (``now``, ``db_path`` and ``collection`` come from
``tests/conftest.py``): card rows to sync."""

from __future__ import annotations

import pytest

from quizact.storage import CardRow


def cards(*ids: str, kind: str = "recall", tags=("t",), content_hash: str = "h") -> list[CardRow]:
    return [CardRow(i, kind, tuple(tags), content_hash) for i in ids]


@pytest.fixture
def make_cards():
    return cards
