"""Every equivalent rewrite of eight activation derivatives grades correct; wrong ones not."""

from __future__ import annotations

import pytest
from rewrite_bank import BANK

from quizact.grading.symbolic import grade_expression

RIGHT = [(card, a) for card in BANK for a in card["right"]]
WRONG = [(card, a, mid) for card in BANK for a, mid in card["wrong"]]


def grade(card: dict, text: str):
    return grade_expression(text, card["reference"], card["variables"], constants=card["constants"],
                            about=card["about"])  # fmt: skip


def test_bank_size():
    for card in BANK:
        assert len(card["right"]) >= 10 and len(card["wrong"]) >= 5, card["id"]
    assert {c["id"] for c in BANK} >= {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu", "swish"}


@pytest.mark.parametrize("card, text", RIGHT, ids=[f"{c['id']}:{a}" for c, a in RIGHT])
def test_rewrites_are_correct(card, text):
    r = grade(card, text)
    assert r.status == "correct", (r.feedback, r.interpreted)


@pytest.mark.parametrize("card, text, mistake", WRONG, ids=[f"{c['id']}:{a}" for c, a, _ in WRONG])
def test_wrong_answers_are_incorrect(card, text, mistake):
    r = grade(card, text)
    assert r.status == "incorrect" and r.counterexample
    if mistake:
        assert r.mistake == mistake
