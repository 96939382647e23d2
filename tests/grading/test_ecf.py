"""Error carried forward that cannot be gamed: undefined carried values match nothing, and
"consistent with your earlier …" names only the steps a step is computed from."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizact.grading.card import grade, grade_steps
from quizact.packs.loader import parse_card
from quizact.packs.params import instantiate
from tests.grading.test_card_steps import HAND, WALKTHROUGH

# a = 0.5: p = σ(0.5) = 1/(1 + e^−0.5) = 0.622459; 1/p = 1.606531; ln p = −0.474077.
RECIPROCAL = parse_card({
    "id": "reciprocal", "kind": "steps", "prompt": "p, then 1/p and ln p",
    "params": {"a": 0.5},
    "steps": [
        {"prompt": "p = σ(a)", "name": "p", "answer": "sigmoid(a)", "tolerance": {"sigfigs": 3}},
        {"prompt": "1/p", "answer": "1/p", "tolerance": {"sigfigs": 3}},
        {"prompt": "ln p", "answer": "log(p)", "tolerance": {"sigfigs": 3}},
        {"prompt": "2a", "answer": "2*a", "tolerance": {"sigfigs": 3}},
    ],
})


def steps(card, answers):
    return grade_steps(card, instantiate(card, 0), answers)


def test_the_reference_numbers():
    assert [s.status for s in steps(RECIPROCAL, ["0.622", "1.61", "-0.474", "1.00"])] == ["correct"] * 4


@pytest.mark.parametrize("typed", ["0", "1", "1e300", "-1e300", "12345", "1.61e10"])
def test_p_zero_makes_every_answer_to_one_over_p_wrong(typed):
    # p = 0: 1/p is infinite. With {sigfigs: 3} this used to raise OverflowError, and with
    # rtol any answer passed (|v − inf| ≤ rtol·inf).
    result = steps(RECIPROCAL, ["0", typed])[1]
    assert result.status == "incorrect" and result.note != "ecf"
    assert "your p = 0 makes this step undefined" in result.feedback
    assert "nan" not in result.feedback and "inf" not in result.feedback


def test_the_true_value_is_still_right_after_an_undefining_earlier_value():
    assert steps(RECIPROCAL, ["0", "1.61"])[1].status == "correct"


@pytest.mark.parametrize("typed", ["0", "-1", "1", "-0.474"])
def test_a_negative_into_log_matches_nothing_but_the_true_value(typed):
    # p = −0.5: ln p is undefined; −0.474 is the true ln σ(0.5) and stays right
    result = steps(RECIPROCAL, ["-0.5", "-2.00", typed])[2]
    if typed == "-0.474":
        assert result.status == "correct"
        return
    assert result.status == "incorrect" and result.note != "ecf"
    assert "your p = -0.5 makes this step undefined" in result.feedback
    assert "nan" not in result.feedback


def test_a_defined_carried_value_still_earns_ecf():
    # p typed as 0.5 (wrong): 1/p = 2 and ln 0.5 = −0.693 are consistent with it
    out = steps(RECIPROCAL, ["0.5", "2.00", "-0.693"])
    assert out[0].status == "incorrect"
    assert [(s.status, s.note) for s in out[1:]] == [("correct", "ecf"), ("correct", "ecf")]
    assert out[1].feedback == "consistent with your earlier p (error carried forward)"


def test_a_step_that_does_not_use_the_wrong_one_is_not_carried():
    # 2a = 1 does not use p: typing 1/p's carried value or anything else is simply wrong, and
    # the feedback does not mention p
    result = steps(RECIPROCAL, ["0.5", "2.00", "-0.693", "2.00"])[3]
    assert result.status == "incorrect" and "p" not in result.feedback.replace("expected", "")


def test_whole_card_with_an_undefined_step_grades_without_error():
    v = grade(RECIPROCAL, instantiate(RECIPROCAL, 0), ["0", "5", "5", "1.00"])
    assert v.status == "incorrect"
    assert [s.status for s in v.steps] == ["incorrect", "incorrect", "incorrect", "correct"]


def walk(answers):
    return grade_steps(WALKTHROUGH, instantiate(WALKTHROUGH, 0), answers)


def test_each_update_names_only_its_own_gradient():
    # Hand values: W1 = 0.5, W2 = 0.3, lr = 0.1. The learner's dL/dW2 = −1.0 (true −1.4) and
    # dL/dW1 = −0.5 (true −0.84). From them: W2' = 0.3 − 0.1·(−1.0) = 0.4 and
    # W1' = 0.5 − 0.1·(−0.5) = 0.55.
    answers = HAND[:5] + ["-1.0", "-0.5", "0.400", "0.550"]
    out = walk(answers)
    assert [s.status for s in out[5:7]] == ["incorrect", "incorrect"]
    assert out[7].note == "ecf" and out[7].feedback == "consistent with your earlier grad.W2 (error carried forward)"
    assert out[8].note == "ecf" and out[8].feedback == "consistent with your earlier grad.W1 (error carried forward)"


def test_the_wrong_value_note_names_only_the_used_step():
    # W2' typed 0.9: neither 0.44 nor 0.4 (from the learner's dL/dW2 = −1.0)
    out = walk(HAND[:5] + ["-1.0", "-0.5", "0.9"])
    assert out[7].feedback == "not right (expected 0.44; from your grad.W2: 0.4)"


def test_a_right_later_answer_cuts_the_earlier_wrong_one_off():
    # z1 typed 1.5 (true 1.0), but a1 typed right as 1.0: z2 = W2·a1 uses the learner's own
    # a1, so z2 = 0.3·1.5 = 0.45 (from the wrong z1) is not consistent with anything they wrote
    out = walk(["1.5", "1.0", "0.45"])
    assert out[0].status == "incorrect" and out[1].status == "correct"
    assert out[2].status == "incorrect" and out[2].note != "ecf"
    assert "z1" not in out[2].feedback
    assert walk(["1.5", "1.0", "0.3"])[2].status == "correct"


def test_chains_name_the_root_wrong_step():
    # z2 typed 0.4 (true 0.3): L = (0.4 − 1)² = 0.36 and dL/dz2 = 2(0.4 − 1) = −1.2 follow from
    # it; dL/dW2 = −1.2·a1 = −1.2 is computed from the learner's dL/dz2, itself from z2
    out = walk(["1.0", "1.0", "0.4", "0.36", "-1.2", "-1.2"])
    assert out[5].feedback == "consistent with your earlier z2 (error carried forward)"


def test_an_answer_that_cannot_be_finite_is_a_pack_problem_not_a_crash():
    card = parse_card({"id": "c", "kind": "numeric", "prompt": "1/a", "params": {"a": 0.0}, "answer": "1/a",
                       "tolerance": {"sigfigs": 3}})
    v = grade(card, instantiate(card, 0), "1")
    assert v.status == "invalid" and "cannot be computed" in v.feedback


def test_an_earlier_network_value_that_overflows_a_later_step_matches_nothing():
    # z1 typed 1e300: a1 = ReLU(z1) = 1e300 and z2 = 0.3·a1 = 3e299 are still finite and
    # consistent with it, but L = (z2 − 1)² overflows to infinity: no answer is consistent
    # with that, whatever is typed
    for typed in ["0.49", "1e300", "5"]:
        out = walk(["1e300", "1e300", "3e299", typed])
        assert [s.note for s in out[1:3]] == ["ecf", "ecf"]
        if typed == "0.49":  # the true loss stays right
            assert out[3].status == "correct"
            continue
        assert out[3].status == "incorrect" and out[3].note != "ecf"
        assert "your z1 = 1e+300 makes this step undefined" in out[3].feedback


numbers = st.one_of(
    st.sampled_from([0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, -1.0, 0.5]),
    st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=150, deadline=None)
@given(p=numbers, later=st.lists(numbers, min_size=3, max_size=3))
def test_no_undefined_value_is_ever_consistent(p, later):
    # whatever p and the later answers, grading answers; ECF on 1/p needs p ≠ 0 and on ln p
    # needs p > 0; 2a never uses p, so it is never ECF
    answers = [repr(p)] + [repr(v) for v in later]
    out = steps(RECIPROCAL, answers)
    assert all(s.status in ("correct", "incorrect", "invalid") for s in out)  # an invalid one ends the card
    if len(out) > 1 and out[1].note == "ecf":
        assert p != 0
    if len(out) > 2 and out[2].note == "ecf":
        assert p > 0
    assert len(out) < 4 or out[3].note != "ecf"
    assert all("nan" not in s.feedback and "inf" not in s.feedback for s in out)
