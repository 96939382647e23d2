"""What a graded step tells the learner and what it scores, pinned on small cards worked by
hand: a transposed matrix or a known mistake earns nothing, a carried step names the true
value, a wrong later step says what the learner's own earlier value gives, a typing error
points at its place, and undefined carried values are listed.

A = [[1, 2, 3], [4, 5, 6]]; x = 3: a = 2x = 6, b = a + 1 = 7 (from a typed 5: 6).
"""

from __future__ import annotations

import pytest

from quizact.grading.card import grade, grade_steps
from quizact.packs.loader import parse_card
from quizact.packs.params import instantiate
from quizact.scheduling import Rating, propose_rating

A = [[1, 2, 3], [4, 5, 6]]
STEPS = parse_card({
    "id": "matrix-then-numbers", "kind": "steps", "prompt": "A, then a = 2x and b = a + 1.",
    "params": {"A": A, "x": 3},
    "steps": [
        {"prompt": "A", "answer": "A"},
        {"prompt": "a = 2x", "name": "a", "answer": "2*x", "tolerance": {"sigfigs": 3}},
        {"prompt": "b = a + 1", "answer": "a + 1", "tolerance": {"sigfigs": 3}},
    ],
})
RIGHT_A = "[[1, 2, 3], [4, 5, 6]]"


def steps(answers):
    return grade(STEPS, instantiate(STEPS, 0), answers)


def test_a_transposed_matrix_step_scores_nothing():
    v = steps(["[[1, 4], [2, 5], [3, 6]]", "6", "7"])
    first = v.steps[0]
    assert (first.status, first.score, first.mistake, first.expected) == ("incorrect", 0.0, "transpose", RIGHT_A)
    assert v.status == "incorrect" and v.score == pytest.approx(2 / 3)  # (0 + 1 + 1) / 3
    assert v.feedback == "2/3 steps right; score 0.67" and v.mistake == "transpose"
    assert propose_rating(v.status, v.score) == Rating.Hard


def test_an_entry_off_in_a_matrix_step_is_named_and_scores_nothing():
    v = steps(["[[1, 2, 3], [4, 9, 6]]", "6", "7"])
    assert v.steps[0].feedback == f"not right (entry (2, 2) is off; expected {RIGHT_A})"
    assert v.steps[0].score == 0.0 and v.score == pytest.approx(2 / 3)


def test_a_carried_step_shows_the_true_value():
    v = steps([RIGHT_A, "5", "6"])
    carried = v.steps[2]
    assert (carried.status, carried.score, carried.note) == ("correct", 0.5, "ecf")
    assert carried.feedback == "consistent with your earlier a (error carried forward)"
    assert carried.expected == "7.00"
    assert v.score == pytest.approx((1 + 0 + 0.5) / 3)
    assert v.feedback == "1/3 steps right, 1 consistent with an earlier wrong value; score 0.50"


def test_a_wrong_later_step_says_what_the_earlier_wrong_value_gives():
    v = steps([RIGHT_A, "5", "9"])
    assert v.steps[1].feedback == "not right (expected 6.00)"
    assert v.steps[2].feedback == "not right (expected 7.00; from your a: 6.00)"
    assert v.score == pytest.approx(1 / 3)


def test_a_wrong_later_step_from_a_right_earlier_one_has_no_note():
    v = steps([RIGHT_A, "6", "9"])
    assert v.steps[2].feedback == "not right (expected 7.00)"


def test_a_typing_error_points_at_its_place_and_stops_the_card():
    v = steps([RIGHT_A, "6", "1.2.3"])
    bad = v.steps[2]
    assert (bad.status, bad.error_pos) == ("invalid", 3)
    assert bad.feedback == "1.2.3\n   ^\nmissing operator (such as '*') before '.3'"
    assert v.status == "invalid" and v.feedback == f"step 3: {bad.feedback}"


def test_two_undefining_earlier_values_are_both_named():
    # x = 0.5: p = 0.5, q = 1.5, r = 1/(p·q) = 1.33; typed p = q = 0 makes r undefined
    card = parse_card({
        "id": "two-roots", "kind": "steps", "prompt": "p, q, then 1/(pq).", "params": {"x": 0.5},
        "steps": [
            {"prompt": "p = x", "name": "p", "answer": "x", "tolerance": {"sigfigs": 3}},
            {"prompt": "q = x + 1", "name": "q", "answer": "x + 1", "tolerance": {"sigfigs": 3}},
            {"prompt": "r = 1/(pq)", "answer": "1/(p*q)", "tolerance": {"sigfigs": 3}},
        ],
    })
    last = grade_steps(card, instantiate(card, 0), ["0", "0", "5"])[2]
    assert last.feedback == "not right (expected 1.33; your p = 0 and q = 0 make this step undefined)"
    one = grade_steps(card, instantiate(card, 0), ["0", "1.5", "5"])[2]
    assert one.feedback == "not right (expected 1.33; your p = 0 makes this step undefined)"


# x = 2: the answer x² = 4; listed mistakes: log(x − 5) (undefined here), 2x + 1 = 5, [x, x].
LISTED = parse_card({
    "id": "listed", "kind": "numeric", "prompt": "x²", "params": {"x": 2}, "answer": "x^2",
    "tolerance": {"sigfigs": 3},
    "mistakes": [
        {"answer": "log(x - 5)", "feedback": "never matched"},
        {"answer": "2*x + 1", "feedback": "doubled plus one"},
        {"answer": "[x, x]", "feedback": "a pair", "id": "pair"},
    ],
})


@pytest.mark.parametrize(("typed", "mistake", "feedback"), [
    ("5", "listed:1", "doubled plus one (expected 4.00)"),  # after one that cannot be computed here
    ("[2, 2]", "pair", "a pair (expected 4.00)"),  # another shape than the answer's
    ("3", None, "not right (expected 4.00)"),
])  # fmt: skip
def test_listed_mistakes_are_named_and_score_nothing(typed, mistake, feedback):
    v = grade(LISTED, instantiate(LISTED, 0), typed)
    assert (v.status, v.score, v.mistake, v.feedback) == ("incorrect", 0.0, mistake, feedback)
    assert v.steps[0].expected == "4.00"
