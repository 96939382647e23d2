"""Every card example in ``docs/pack-format.md`` is a card that ``pack check`` passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from quizact.packcheck import check_pack

DOC = Path(__file__).resolve().parents[2] / "docs" / "pack-format.md"


def card_examples() -> list[list[dict]]:
    """The ```yaml blocks of the document that are lists of cards (each with id and kind)."""
    out = []
    for block in re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S):
        try:
            data = yaml.safe_load(block)
        except yaml.YAMLError:
            continue  # a fragment such as "cards/derivatives.yaml … ..."
        if isinstance(data, list) and data and all(isinstance(c, dict) and {"id", "kind"} <= c.keys() for c in data):
            out.append(data)
    return out


def test_the_document_has_card_examples():
    ids = {card["id"] for cards in card_examples() for card in cards}
    assert {"sigmoid-slope-from-p", "sigmoid-derivative", "backprop-relu-mse"} <= ids


@pytest.mark.parametrize("cards", card_examples(), ids=lambda cards: cards[0]["id"])
def test_each_card_example_passes_pack_check(tmp_path, cards):
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump({"pack": "doc", "name": "Doc", "version": 1, "cards": cards}, allow_unicode=True))
    _, problems = check_pack(path, variants=20)
    assert [str(p) for p in problems] == []
