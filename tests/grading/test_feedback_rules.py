"""Feedback rules (``feedback: [{when, say, score}]``): tried in order on a wrong numeric
answer, the first whose formula over ``ans``, ``expected``, params and lets holds gives its
feedback and partial credit; the answer stays wrong. ``pack check`` evaluates every rule on
the drawn variants and locates a broken one. Numbers worked by hand in the comments."""

from __future__ import annotations

import pytest

from quizact.grading.card import grade
from quizact.packs.loader import parse_card
from quizact.packs.params import instantiate
from quizact.scheduling import Rating, propose_rating
from tests.packs.cardfiles import problems, write_cards

# dL/dW of one linear layer: outer(d, x) with d = [1, 2] and x = [3, 5, 7] is
# [[3, 5, 7], [6, 10, 14]] (row i is dᵢ·x); its transpose is [[3, 6], [5, 10], [7, 14]].
GRADIENT = {
    "id": "grad-w", "kind": "numeric", "prompt": "d = {d}, x = {x}: dL/dW?",
    "params": {"d": [1, 2], "x": [3, 5, 7]}, "answer": "outer(d, x)",
    "feedback": [{"when": "allclose(ans, transpose(expected))", "say": "you transposed: dL/dW has the shape of W"}],
}
# The gradient of softmax cross-entropy at temperature T: (softmax(z/T) − onehot(k)) / T.
# With z = [2 ln 3, 0], T = 2, k = 1: z/T = [ln 3, 0], softmax = [3/4, 1/4], minus [0, 1]
# is [0.75, −0.75], over T = 2: [0.375, −0.375]. Forgetting 1/T gives [0.75, −0.75]; one
# 1/T too many gives [0.1875, −0.1875].
TEMPERATURE = {
    "id": "softmax-t", "kind": "numeric", "prompt": "z = {z}, T = {T}, k = {k}: dL/dz?",
    "params": {"T": 2, "k": 1}, "let": {"z": "[2*ln(3), 0]"},
    "answer": "(softmax(z, T) - onehot(k, 2)) / T", "tolerance": {"sigfigs": 3},
    "feedback": [
        {"when": "allclose(ans, T*expected)", "say": "the chain rule through z/T brings a factor 1/T: you left it out",
         "score": 0.25, "id": "no-1/T"},
        {"when": "allclose(ans, expected/T)", "say": "one factor 1/T, not two (T = {T})"},
    ],
}


def graded(card: dict, answer: str):
    c = parse_card(card)
    return grade(c, instantiate(c, 0), answer)


@pytest.mark.parametrize("answer", ["[[3, 6], [5, 10], [7, 14]]", "3, 6; 5, 10; 7, 14"])
def test_a_transposed_matrix_gets_the_rule_feedback(answer):
    v = graded(GRADIENT, answer)
    assert (v.status, v.score, v.mistake) == ("incorrect", 0.0, "rule:0")
    assert v.feedback == "you transposed: dL/dW has the shape of W (expected [[3, 5, 7], [6, 10, 14]])"


def test_the_transpose_of_a_square_matrix_too():
    # d = [1, 2], x = [3, 5]: outer is [[3, 5], [6, 10]], its transpose [[3, 6], [5, 10]]
    card = {**GRADIENT, "params": {"d": [1, 2], "x": [3, 5]}}
    want = "you transposed: dL/dW has the shape of W (expected [[3, 5], [6, 10]])"
    assert graded(card, "3, 6; 5, 10").feedback == want
    assert graded(card, "3, 5; 6, 10").status == "correct"


def test_a_missing_1_over_t_gets_its_feedback_and_partial_credit_but_stays_wrong():
    v = graded(TEMPERATURE, "[0.75, -0.75]")
    assert (v.status, v.score, v.mistake) == ("incorrect", 0.25, "no-1/T")
    assert v.feedback == "the chain rule through z/T brings a factor 1/T: you left it out (expected [0.375, -0.375])"
    assert propose_rating(v.status, v.score) == Rating.Hard  # partial credit, never Good


def test_the_second_rule_matches_when_the_first_does_not_and_fills_its_text():
    v = graded(TEMPERATURE, "0.1875, -0.1875")
    assert (v.status, v.score, v.mistake) == ("incorrect", 0.0, "rule:1")
    assert v.feedback == "one factor 1/T, not two (T = 2) (expected [0.375, -0.375])"


def test_rules_compare_at_the_answers_tolerance():
    # 3 s.f.: 0.749 lies within half a unit of the 3rd figure of 0.75 (0.7495 … 0.7505)? no: 0.749 is
    # 0.001 off, beyond 0.0005; 0.7502 is within. The rule sees what the grader would accept.
    assert graded(TEMPERATURE, "[0.7502, -0.7502]").mistake == "no-1/T"
    assert graded(TEMPERATURE, "[0.749, -0.749]").mistake is None


def test_a_rule_that_does_not_match_falls_through_to_the_normal_feedback():
    v = graded(TEMPERATURE, "[0.5, -0.5]")
    assert (v.status, v.score, v.mistake) == ("incorrect", 0.0, None)
    assert v.feedback == "not right (entries 1 and 2 are off; expected [0.375, -0.375])"
    v = graded(GRADIENT, "3, 5, 7; 6, 10, 15")  # one entry off, not the transpose
    assert v.feedback == "not right (entry (2, 3) is off; expected [[3, 5, 7], [6, 10, 14]])"


def test_a_right_answer_and_an_unreadable_one_never_reach_the_rules():
    assert graded(TEMPERATURE, "[0.375, -0.375]").status == "correct"
    # a rule that would hold for every answer still leaves the right one right
    always = {**TEMPERATURE, "feedback": [{"when": "1 > 0", "say": "always", "score": 0.5}]}
    right = graded(always, "[0.375, -0.375]")
    assert (right.status, right.score, right.feedback, right.mistake) == ("correct", 1.0, "correct", None)
    assert graded(always, "[0.375, x]").status == "invalid"
    assert graded(always, "[0.5, 0.5]").feedback == "always (expected [0.375, -0.375])"


def test_a_rule_that_cannot_be_computed_for_this_answer_does_not_match():
    card = {**TEMPERATURE, "feedback": [{"when": "ans[2] > 0", "say": "third"}, {"when": "1 > 0", "say": "fallback"}]}
    assert graded(card, "[0.5, 0.5]").feedback == "fallback (expected [0.375, -0.375])"


def test_a_rule_on_a_step_uses_named_steps_and_is_hostile_text():
    card = {
        "id": "two-steps", "kind": "steps", "prompt": "x = {x}, w = {w}",
        "params": {"x": 3, "w": 0.5},
        "steps": [
            {"prompt": "z = w·x", "name": "z", "answer": "w*x"},
            {"prompt": "z²", "answer": "z^2",
             "feedback": [{"when": "allclose(ans, 2*z)", "say": "\x1b[31m2z is the slope of z², not its value"}]},
        ],
    }
    # z = 1.5, z² = 2.25; 2z = 3
    v = graded(card, ["1.5", "3"])
    assert v.status == "incorrect" and v.score == 0.5  # step 1 right, step 2 wrong
    assert v.steps[1].feedback == "\x1b[31m2z is the slope of z², not its value (expected 2.25)"
    from quizact.textsafe import visible

    assert visible(v.steps[1].feedback) == "\\x1b[31m2z is the slope of z², not its value (expected 2.25)"


def test_the_model_refuses_full_credit_and_rules_on_symbolic_steps(tmp_path):
    path = write_cards(tmp_path, """\
        - id: full-score
          kind: numeric
          prompt: "p"
          answer: 1
          feedback: [{when: "ans > 1", say: "too big", score: 1}]
        - id: symbolic-rule
          kind: steps
          prompt: "p"
          steps:
            - {prompt: "f", kind: symbolic, variables: [z], answer: "z", feedback: [{when: "ans > 0", say: "s"}]}
        """)
    assert problems(path, located=True) == [
        "9: full-score: feedback.0.score: Input should be less than 1",
        "14: symbolic-rule: steps.0: feedback: rules are for numeric answers; a symbolic step lists mistakes:",
    ]


def test_pack_check_locates_a_broken_rule(tmp_path):
    path = write_cards(tmp_path, """\
        - id: unknown-name
          kind: numeric
          prompt: "T = {T}"
          params: {T: {choice: [2, 4]}}
          answer: 1/T
          feedback:
            - {when: "allclose(ans, q*expected)", say: "scaled"}
        - id: out-of-range
          kind: numeric
          prompt: "v = {v}"
          params: {v: {uniform: [1, 2], shape: [2], decimals: 1}}
          answer: 2*v
          feedback:
            - {when: "allclose(ans, v)", say: "you forgot the 2"}
            - {when: "ans[2] > 0", say: "third entry"}
        - id: not-a-truth
          kind: numeric
          prompt: "v = {v}"
          params: {v: [1, 2]}
          answer: v
          feedback:
            - {when: "ans - expected", say: "off"}
        - id: hides-ans
          kind: numeric
          prompt: "ans = {ans}"
          params: {ans: 2}
          answer: ans
          feedback:
            - {when: "ans > 2", say: "big"}
        - id: bad-text
          kind: numeric
          prompt: "p"
          answer: 1
          feedback:
            - {when: "ans > 1", say: "{nope}"}
        """)
    assert problems(path, located=True) == [
        "5: unknown-name: feedback rule 1: when 'allclose(ans, q*expected)' uses 'q', which is neither ans, expected, "
        "a param, a let nor a named step",
        "12: out-of-range: feedback rule 2: when 'ans[2] > 0' cannot be evaluated (seed 0): "
        "index 2 is out of bounds for axis 0 with size 2",
        "20: not-a-truth: feedback rule 1: when 'ans - expected' cannot be evaluated (seed 0): "
        "gives 2 numbers, not one truth value; compare it, as in (ans - expected) > 0",
        "27: hides-ans: feedback: 'ans' is a param, let or step of this card; rename it, as feedback rules use it "
        "for the answer",
        "34: bad-text: feedback rule 1: {nope} names 'nope', which is neither a param, a let nor a step of this card",
    ]


def test_the_example_cards_pass_pack_check(tmp_path):
    import yaml

    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"pack": "rules", "name": "Rules", "version": 1, "cards": [GRADIENT, TEMPERATURE]}))
    assert problems(path, variants=10, deep=True) == []
