"""Whole-card grading of numeric and steps cards: the course walkthrough, error carried
forward, named misconceptions, and bad input that costs nothing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.grading.card import expected_answers, grade, grade_steps
from quizact.packs.loader import parse_card
from quizact.packs.params import instantiate
from tests.conftest import SAMPLE

# The course's walkthrough: x=2, y=1, W1=0.5, W2=0.3, ReLU hidden unit, L=(ŷ−y)², lr 0.1.
WALKTHROUGH = parse_card({
    "id": "walkthrough", "kind": "steps", "prompt": "p",
    "network": {"layers": [1, 1, 1], "activations": ["relu", "identity"], "bias": False, "loss": "squared_error"},
    "params": {"x": 2, "y": 1.0, "W1": 0.5, "W2": 0.3, "lr": 0.1},
    "steps": [
        {"prompt": "z1", "value": "z1"},
        {"prompt": "a1", "value": "a1"},
        {"prompt": "z2", "value": "z2"},
        {"prompt": "L", "value": "loss"},
        {"prompt": "dL/dz2", "value": "dL/dz2"},
        {"prompt": "dL/dW2", "value": "grad.W2"},
        {"prompt": "dL/dW1", "value": "grad.W1"},
        {"prompt": "W2'", "value": "updated.W2"},
        {"prompt": "W1'", "value": "updated.W1"},
    ],
})
HAND = ["1.0", "1.0", "0.3", "0.49", "-1.4", "-1.4", "-0.84", "0.44", "0.584"]


def variant():
    return instantiate(WALKTHROUGH, 0)


def test_hand_worked_numbers_are_the_reference():
    assert [float(a) for a in expected_answers(WALKTHROUGH, variant())] == pytest.approx([float(h) for h in HAND])
    v = grade(WALKTHROUGH, variant(), HAND)
    assert v.status == "correct" and v.score == 1.0


def test_error_carried_forward_from_z2():
    # z2 typed as 0.4 (wrong); then L = (0.4−1)² = 0.36 and dL/dz2 = 2(0.4−1) = −1.2 are
    # right given it; dL/dW2 = −1.2·a1 = −1.2; dL/dW1 = −1.2·W2·x = −0.72.
    answers = ["1.0", "1.0", "0.4", "0.36", "-1.2", "-1.2", "-0.72", "0.42", "0.572"]
    steps = grade_steps(WALKTHROUGH, variant(), answers)
    assert [s.status for s in steps[:2]] == ["correct", "correct"]
    assert steps[2].status == "incorrect"
    for s in steps[3:]:
        assert s.status == "correct" and s.note == "ecf", s
        assert "consistent with your earlier z2" in s.feedback
    v = grade(WALKTHROUGH, variant(), answers)
    assert v.status == "incorrect" and v.score == pytest.approx((2 + 6 * 0.5) / 9)


def test_a_wrong_step_after_a_wrong_one_shows_both_values():
    # z2 typed as 0.4 (wrong); L typed as 5: neither the true 0.49 nor 0.36 = (0.4−1)² from
    # the learner's own z2, and the feedback names both.
    steps = grade_steps(WALKTHROUGH, variant(), ["1.0", "1.0", "0.4", "5"])
    assert steps[3].status == "incorrect"
    assert steps[3].feedback == "not right (expected 0.49; from your z2: 0.36)"
    alone = grade_steps(WALKTHROUGH, variant(), ["1.0", "1.0", "0.3", "5"])  # nothing carried
    assert alone[3].feedback == "not right (expected 0.49)"


@pytest.mark.parametrize(
    "index, typed, mistake",
    [
        (6, "-0.42", "no_factor_two"),  # dL/dW1 without the 2 of (ŷ−y)²
        (8, "0.416", "update_sign"),  # W1 + lr·g instead of W1 − lr·g
        (8, "1.34", "no_learning_rate"),  # W1 − g
    ],
)
def test_named_misconceptions(index, typed, mistake):
    answers = list(HAND)
    answers[index] = typed
    step = grade_steps(WALKTHROUGH, variant(), answers)[index]
    assert step.status == "incorrect"
    assert step.mistake == mistake


@pytest.mark.parametrize("typed", ["", "nan", "inf", "abc", "1.0.0", "x" * 10_000, "[1, 2]"])
def test_bad_input_is_invalid_and_stops(typed):
    answers = ["1.0", typed] + HAND[2:]
    v = grade(WALKTHROUGH, variant(), answers)
    assert v.status == "invalid"
    assert v.feedback.startswith("step 2:")


def test_wrong_number_of_answers():
    assert grade(WALKTHROUGH, variant(), HAND[:3]).status == "invalid"


def test_too_few_digits_is_not_wrong():
    card = parse_card({
        "id": "s", "kind": "steps", "prompt": "p", "params": {"z": 0.37},
        "steps": [{"prompt": "σ(z)", "answer": "sigmoid(z)", "tolerance": {"sigfigs": 3}}],
    })
    v = grade(card, instantiate(card, 0), ["0.59"])
    assert v.status == "invalid" and "significant figures" in v.feedback
    assert grade(card, instantiate(card, 0), ["0.591"]).status == "correct"  # σ(0.37) = 0.59146


def test_named_formula_steps_carry_forward():
    card = parse_card({
        "id": "s", "kind": "steps", "prompt": "p", "params": {"z": 0.0},
        "steps": [
            {"prompt": "σ(z)", "answer": "sigmoid(z)", "name": "s"},
            {"prompt": "σ′(z)", "answer": "s*(1-s)"},
        ],
    })
    v = instantiate(card, 0)
    assert [r.status for r in grade_steps(card, v, ["0.5", "0.25"])] == ["correct", "correct"]
    wrong = grade_steps(card, v, ["0.6", "0.24"])  # 0.6·0.4 = 0.24
    assert wrong[0].status == "incorrect" and wrong[1].note == "ecf"


def test_cli_solve_and_grade_json():
    runner = CliRunner()
    out = runner.invoke(main, ["solve", str(SAMPLE), "backprop-relu-mse", "--seed", "4", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert set(data) == {"card", "seed", "params", "lets", "answers", "shown", "precision"}
    assert len(data["answers"]) == 5
    args = ["grade", str(SAMPLE), "backprop-relu-mse", "--seed", "4", "--json"]
    for a in data["answers"]:
        args += ["--answer", str(a)]
    res = runner.invoke(main, args)
    assert res.exit_code == 0, res.output
    verdict = json.loads(res.stdout)
    assert verdict["status"] == "correct" and len(verdict["steps"]) == 5
    bad = runner.invoke(main, ["grade", str(SAMPLE), "backprop-relu-mse", "--answer", "1", "--json"])
    assert bad.exit_code == 3 and json.loads(bad.stdout)["status"] == "invalid"


def test_cli_unknown_card_is_a_message():
    out = CliRunner().invoke(main, ["solve", str(SAMPLE), "backprop-relu"])
    assert out.exit_code == 1 and "did you mean backprop-relu-mse" in out.stderr
