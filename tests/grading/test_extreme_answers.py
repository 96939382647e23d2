"""Answers of extreme size on every built-in numeric and steps card: a verdict, never a
numerical warning printed to the learner's terminal (nor a ✓)."""

from __future__ import annotations

import warnings

import pytest

from quizact.grading.card import grade
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from tests.conftest import CONTENT

PACK = load_pack(CONTENT / "nn-foundations")
CARDS = [c for c in PACK.cards if c.kind in ("numeric", "steps")]
EXTREME = ["6.02e23", "-1e300", "1e-300"]


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_extreme_answers_grade_quietly(card):
    variant = instantiate(card, 3)
    count = len(card.steps) if card.kind == "steps" else 1
    for text in EXTREME:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a RuntimeWarning (overflow, invalid) fails the test
            verdict = grade(card, variant, [text] * count)
        assert verdict.status in ("incorrect", "invalid"), (text, verdict.feedback)
