"""Tolerances that mean what they say, a right value told apart from every known mistake,
and expected answers shown at the precision a card asks for.

Every expected value below is worked by hand in a comment; the code under test only grades.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.grading.card import expected_answers, grade, grade_steps
from quizact.grading.cardcheck import check_card
from quizact.grading.numeric import format_number, precision_label
from quizact.packcheck import check_pack
from quizact.packs.loader import load_pack, parse_card
from quizact.packs.models import Tolerance
from quizact.packs.params import instantiate
from tests.conftest import CONTENT

FOUNDATIONS = CONTENT / "nn-foundations"
SMALL_STEP = Path(__file__).resolve().parent.parent / "packs" / "tolerance" / "small-step.yaml"


def _card(pack: Path, card_id: str):
    return next(c for c in load_pack(pack).cards if c.id == card_id)


def _numeric(answer: str, tolerance: dict, **extra):
    return parse_card({"id": "n", "kind": "numeric", "prompt": "p", "answer": answer,
                       "tolerance": tolerance, **extra})


def _status(card, text: str) -> str:
    return grade(card, instantiate(card, 0), [text]).status


# ---------------------------------------------------------------- sigfigs, decimals, atol


# σ(−10) = 1/(1 + e^10) = 1/22027.47 = 4.53979e-5; σ′(−10) = σ(−10)(1 − σ(−10)) = 4.53958e-5.
# Three significant figures: within half a unit of the third, 4.535e-5 … 4.545e-5.
SLOPE = "sigmoid(-10)*(1 - sigmoid(-10))"


@pytest.mark.parametrize("typed, status", [
    ("4.54e-5", "correct"),
    ("4.5396e-5", "correct"),
    ("4.544e-5", "correct"),
    ("4.5e-5", "invalid"),  # two figures, right to those two: asks for three, costs nothing
    ("4.6e-5", "incorrect"),  # 6.0e-7 off: wrong even to two figures (accepted before)
    ("4.45e-5", "incorrect"),  # accepted before, when an atol of 1e-6 hid under sigfigs
    ("4.56e-5", "incorrect"),
    ("0", "incorrect"),
])
def test_sigfigs_mean_significant_figures_and_nothing_else(typed, status):
    assert _status(_numeric(SLOPE, {"sigfigs": 3}), typed) == status


def test_atol_applies_only_where_the_card_writes_it():
    # with atol 1e-4 written, 0 is within 1e-4 of 4.54e-5
    assert _status(_numeric(SLOPE, {"sigfigs": 3, "atol": 1e-4}), "0") == "correct"
    # the default is a relative tolerance only: 1e-9 is not 4.54e-5 (rtol 0.001 allows ±4.5e-8)
    assert _status(_numeric(SLOPE, {}), "1e-9") == "incorrect"
    assert _status(_numeric(SLOPE, {}), "4.540e-5") == "correct"
    assert Tolerance().atol is None


def test_tanh_does_not_reach_one_on_bounded_large_input():
    # seed 0 draws z = 9.1: 1 − tanh(9.1) = 2/(1 + e^18.2) = 2·1.2469e-8 = 2.494e-8, not 0
    card = _card(FOUNDATIONS, "bounded-large-input")
    variant = instantiate(card, 0)
    assert variant.params["z"] == 9.1
    steps = grade_steps(card, variant, ["1.12e-4", "0"])
    assert steps[1].status == "incorrect"
    assert grade_steps(card, variant, ["1.12e-4", "2.49e-8"])[1].status == "correct"


def test_decimals_accept_the_course_softmax_answer():
    # e² = 7.389056, e¹ = 2.718282, e^0.1 = 1.105171, sum 11.212509:
    # softmax = [0.659001, 0.242433, 0.098566]; to three decimals [0.659, 0.242, 0.099]
    card = _card(FOUNDATIONS, "softmax-course-example")
    assert _status(card, "[0.659, 0.242, 0.099]") == "correct"
    assert _status(card, "[0.659, 0.242, 0.0986]") == "correct"
    assert _status(card, "[0.659, 0.242, 0.098]") == "incorrect"  # 0.000566 off: over half of 0.001
    assert _status(card, "[0.66, 0.24, 0.10]") == "invalid"  # two decimals: asks for three
    assert expected_answers(card, instantiate(card, 0)) == ["[0.659, 0.242, 0.099]"]


def test_decimals_half_a_unit_of_the_last_place():
    card = _numeric("0.1234", {"decimals": 2})  # within 0.005 of 0.1234: 0.1184 … 0.1284
    assert [_status(card, t) for t in ("0.12", "0.128", "0.13", "0.118")] == \
        ["correct", "correct", "incorrect", "incorrect"]


def test_sigfigs_and_decimals_together_are_refused():
    with pytest.raises(ValueError, match="sigfigs or decimals"):
        _numeric("1", {"sigfigs": 3, "decimals": 2})


# ---------------------------------------------------------------- mistakes inside the tolerance


REPRODUCER = ["0.2", "0.1", "0.04", "0.4", "0.08", "0.2", "0.2", "0.4996", "0.5"]


def test_a_dropped_factor_two_is_not_a_right_update():
    # seed 9: x = 1, y = −0.1, W1 = 0.2, W2 = 0.5, lr = 0.01. ŷ = 0.5·0.2 = 0.1,
    # dL/dz2 = 2(0.1 + 0.1) = 0.4, dL/dW2 = 0.4·0.2 = 0.08, W2' = 0.5 − 0.01·0.08 = 0.4992.
    # Without the 2: dL/dW2 = 0.04 and W2' = 0.4996, which rtol 0.001 alone would accept.
    result = CliRunner().invoke(main, ["grade", str(FOUNDATIONS), "backprop-relu-1-1-1", "--seed", "9",
                                       *[a for x in REPRODUCER for a in ("--answer", x)], "--json"])
    steps = json.loads(result.stdout)["steps"]
    assert steps[7]["status"] != "correct"
    assert steps[7]["mistake"] == "no_factor_two"
    assert steps[7]["expected"] == "0.4992"


def test_an_accepted_answer_nearer_a_mistake_is_that_mistake():
    # small-step at seed 0 (lr 0.01): dL/dW1 = 2(0.1 − 0.2)·0.2·1 = −0.04, W1' = 0.5 + 0.0004
    # = 0.5004; without the factor 2, W1' = 0.5002. rtol 0.001 allows 0.5004 ± 0.0005.
    card = _card(SMALL_STEP, "small-step-update")
    variant = instantiate(card, 0)
    assert variant.params["lr"] == 0.01
    assert grade_steps(card, variant, ["-0.04", "0.5004"])[1].status == "correct"
    assert grade_steps(card, variant, ["-0.04", "0.50035"])[1].status == "correct"  # nearer 0.5004
    wrong = grade_steps(card, variant, ["-0.04", "0.5002"])[1]
    assert wrong.status == "incorrect" and wrong.mistake == "no_factor_two"
    assert grade_steps(card, variant, ["-0.04", "0.50025"])[1].mistake == "no_factor_two"


def test_pack_check_reports_an_indistinguishable_mistake_with_its_seed():
    # also reported: update_sign, W1 + 0.0004 = 0.4996, 0.0008 away, so that 0.4999 (accepted,
    # 0.0005 from 0.5004) is nearer it. With lr 0.1 every mistake is at least 0.002 away.
    _, problems = check_pack(SMALL_STEP, variants=20)
    lines = [str(p) for p in problems]
    assert any("small-step.yaml:7: small-step-update: step 2: mistake no_factor_two gives 0.5002, inside"
               in line for line in lines), lines
    assert any("step 2: mistake update_sign gives 0.4996" in line for line in lines), lines
    for line in lines:
        seed = int(line.rsplit("(seed ", 1)[1].rstrip(")"))
        assert instantiate(_card(SMALL_STEP, "small-step-update"), seed).params["lr"] == 0.01
    out = CliRunner().invoke(main, ["pack", "check", str(SMALL_STEP), "--variants", "20"])
    assert out.exit_code == 1 and "step 2: mistake no_factor_two" in out.stdout


def test_a_listed_mistake_inside_the_tolerance_is_reported():
    # 0.25^L with L = 4 is 0.00390625; the listed 0.0039 is inside rtol 0.01 (±0.000039)
    card = parse_card({"id": "c", "kind": "numeric", "prompt": "p", "params": {"L": 4}, "answer": "0.25^L",
                       "tolerance": {"rtol": 0.01}, "mistakes": [{"answer": 0.0039, "feedback": "rounded early"}]})
    problems = check_card(card, 3)
    assert any(p.startswith("answer: mistake 1 gives 0.0039, inside the tolerance (±1 %)") for p in problems), problems


# ---------------------------------------------------------------- stated precision


@pytest.mark.parametrize("wrong, reported", [(0.00386, True), (0.0038, False)])
def test_a_mistake_an_accepted_answer_can_be_nearer_is_reported(wrong, reported):
    # 0.25^4 = 0.00390625, rtol 0.01: answers 0.00386719 … 0.00394531 are accepted.
    # 0.00386 is outside, 4.6e-5 away; but 0.003868 (accepted) is nearer 0.00386 than the
    # right value, so grading would call it the mistake. 0.0038 is 1.06e-4 away, beyond
    # twice the half-width 3.9e-5: every accepted answer is nearer the right value.
    card = parse_card({"id": "c", "kind": "numeric", "prompt": "p", "params": {"L": 4}, "answer": "0.25^L",
                       "tolerance": {"rtol": 0.01}, "mistakes": [{"answer": wrong, "feedback": "rounded early"}]})
    problems = check_card(card, 3)
    assert any("can be nearer the mistake" in p for p in problems) == reported, problems
    # and at grading, that accepted 0.003868 is indeed taken for the mistake 0.00386
    assert (_status(card, "0.003868") == "incorrect") == reported


def test_a_prompt_stating_a_precision_must_be_graded_at_it():
    def card(prompt, tolerance, step_prompt="z"):
        return parse_card({"id": "c", "kind": "steps", "prompt": prompt, "params": {"z": 0.3},
                           "steps": [{"prompt": step_prompt, "answer": "sigmoid(z)", "tolerance": tolerance}]})

    message = check_card(card("Three significant figures.", {"rtol": 0.01}), 2)
    assert message == ["step 1: the prompt asks for 3 significant figures but the tolerance grades at ±1 %; "
                       "write tolerance: {sigfigs: 3}"]
    assert check_card(card("Give 3 s.f.", {"sigfigs": 3}), 2) == []
    assert check_card(card("to two decimal places", {"decimals": 2}), 2) == []
    assert check_card(card("to two decimal places", {"sigfigs": 2}), 2) != []
    # a step's own statement comes before the card's
    assert check_card(card("Three significant figures.", {"decimals": 4}, "σ (four decimal places)"), 2) == []


def test_layer_with_bias_asks_three_figures_and_grades_three():
    # "Three significant figures" is now graded at 3 s.f.: a two-figure −0.66 for −0.657 is
    # short of the digits asked, never a ✓
    card = _card(FOUNDATIONS, "backprop-layer-with-bias")
    assert {s.tolerance.sigfigs for s in card.steps[:5]} == {3}
    v = instantiate(card, 0)
    answers = expected_answers(card, v)
    two = "[" + ", ".join(f"{float(x):.2g}" for x in answers[1].strip("[]").split(",")) + "]"
    assert grade_steps(card, v, [answers[0], two])[1].status != "correct"


# ---------------------------------------------------------------- what is shown is what is meant


@pytest.mark.parametrize("value, tol, shown", [
    (4.5396e-5, Tolerance(sigfigs=3), "4.54e-5"),
    (0.5, Tolerance(sigfigs=3), "0.500"),
    (-0.0, Tolerance(sigfigs=3), "0"),
    (-0.0001, Tolerance(decimals=3), "0.000"),
    (0.0986, Tolerance(decimals=3), "0.099"),
    (0.4992, Tolerance(), "0.4992"),
    (414.2, Tolerance(rtol=0.15), "410"),
    (2.0, Tolerance(), "2"),
])
def test_numbers_at_the_card_precision(value, tol, shown):
    assert format_number(value, tol) == shown


@pytest.mark.parametrize("tol, label", [
    (Tolerance(sigfigs=3), "3 s.f."), (Tolerance(decimals=2), "2 d.p."), (Tolerance(), "±0.1 %"),
    (Tolerance(rtol=1e-6), "exact"), (Tolerance(sigfigs=3, atol=1e-4), "3 s.f. (or ±0.0001)"),
])
def test_precision_labels(tol, label):
    assert precision_label(tol) == label


def test_no_negative_zero_and_no_rounding_noise():
    # tanh is odd, so the mean over [−q, −p, p, q] is 0 (float: ~1e-17)
    card = parse_card({"id": "tanh-mean", "kind": "numeric", "prompt": "mean of tanh",
                       "params": {"p": {"uniform": [0.2, 1.5], "decimals": 1},
                                  "q": {"uniform": [1.6, 3.0], "decimals": 1}},
                       "answer": "mean(tanh([-q, -p, p, q]))", "tolerance": {"decimals": 3}})
    assert all(expected_answers(card, instantiate(card, seed))[0] == "0.000" for seed in range(10))
    # softmax-temperature-gradient seed 16: z = Wx + b has an entry that is 0 in exact
    # arithmetic; dying-relu-bias-minus-5: gradients through the dead unit are 0 (or −0.0)
    for card_id, seed in (("softmax-temperature-gradient", 16), ("dying-relu-bias-minus-5", 0)):
        card = _card(FOUNDATIONS, card_id)
        shown = expected_answers(card, instantiate(card, seed))
        assert not any("e-1" in a or "-0.0" in a or a == "-0" for a in shown), shown


def test_solve_json_gives_numbers_at_full_precision():
    out = CliRunner().invoke(main, ["solve", str(FOUNDATIONS), "backprop-relu-1-1-1", "--seed", "9", "--json"])
    data = json.loads(out.stdout)
    # hand-worked above: W2' = 0.4992, W1' = 0.2 − 0.01·0.2 = 0.198
    assert data["answers"][7] == pytest.approx(0.4992, rel=1e-12)
    assert data["answers"][8] == pytest.approx(0.198, rel=1e-12)
    assert all(isinstance(a, float) for a in data["answers"])
    assert data["shown"][7] == "0.4992" and data["precision"][7] == "exact"
    text = CliRunner().invoke(main, ["solve", str(FOUNDATIONS), "softmax-course-example"]).stdout
    assert "answer: [0.659, 0.242, 0.099]  (3 d.p.)" in text
    assert sum(line.startswith("answer:") for line in text.splitlines()) == 1  # printed once
