"""grade_expression: verdicts, form rules, listed and automatic mistakes, caching."""

from __future__ import annotations

import time

import pytest

from quizact.grading.expr import parse
from quizact.grading.symbolic import check_form, grade_expression

SIG = "sigmoid(z)*(1 - sigmoid(z))"
ONLY_SIGMOID = {"only_functions": ["sigmoid"]}


def test_correct_with_interpretation():
    r = grade_expression("σ(z)(1 − σ(z))", SIG, ["z"])
    assert (r.status, r.score, r.interpreted, r.expected) == ("correct", 1.0, "σ(z)·(1 − σ(z))", "σ(z)·(1 − σ(z))")


def test_invalid_has_caret_and_costs_nothing():
    r = grade_expression("sigmoid(z", SIG, ["z"])
    assert r.status == "invalid" and r.score == 0 and r.error_pos == 9
    assert r.feedback == "expected ')' to close 'sigmoid('\nsigmoid(z\n         ^"
    assert grade_expression("y", SIG, ["z"]).feedback.startswith("unknown symbol 'y' — this card's variable is z")
    assert grade_expression("diff(sigmoid(z), z)", SIG, ["z"]).feedback.startswith(
        "function 'diff' is not allowed here"
    )
    assert grade_expression(None, SIG, ["z"]).status == "invalid"  # type: ignore[arg-type]


def test_form_rule_gives_partial_credit():
    r = grade_expression("e^-z/(1+e^-z)^2", SIG, ["z"], require=ONLY_SIGMOID)
    assert (r.status, r.note, r.score) == ("incorrect", "form", 0.5)
    assert r.feedback == "right value; now write it using σ(z) only"
    r = grade_expression("e^-z/(1+e^-z)^2", SIG, ["z"], require=ONLY_SIGMOID, partial_credit_form=0.25)
    assert r.score == 0.25
    assert grade_expression("σ(z) - σ(z)^2", SIG, ["z"], require=ONLY_SIGMOID).status == "correct"


def test_check_form():
    p = lambda t: parse(t, ["z"])  # noqa: E731
    assert check_form(p("σ(z)(1-σ(z))"), ONLY_SIGMOID) is None
    assert (
        check_form(p("exp(z)/(1+exp(z))^2"), {"only_functions": ["σ"]}) == "right value; now write it using σ(z) only"
    )
    assert check_form(p("sqrt(σ(z))^2 (1-σ(z))"), ONLY_SIGMOID) is None  # sqrt is arithmetic
    assert check_form(p("1/cosh(z)^2"), {"forbid_functions": ["cosh"]}) == "right value; now write it without cosh"
    assert check_form(p("e^z"), {"forbid_symbols": ["e"]}) == "right value; now write it without e"
    assert check_form(p("e^z"), {"forbid_functions": ["exp"]}) == "right value; now write it without exp"
    assert check_form(p("e * z"), {"forbid_symbols": ["e"]}) == "right value; now write it without e"
    assert check_form(p("z"), None) is None
    assert check_form(p("tanh(z)"), {"only_functions": []}).endswith("(arithmetic only)")


def test_listed_mistake_first_with_counterexample():
    mistakes = [{"answer": "sigmoid(z)", "feedback": "That is σ itself."}]
    r = grade_expression("σ(z)", SIG, ["z"], mistakes=mistakes, about="sigmoid")
    assert (r.status, r.mistake) == ("incorrect", "listed:0")
    assert r.feedback == "That is σ itself.\nAt z = 0.25 your expression gives 0.562; expected 0.246."
    assert r.counterexample == "at z = 0.25 your expression gives 0.562; expected 0.246"
    r = grade_expression("σ(z)", SIG, ["z"], mistakes=[{**mistakes[0], "id": "itself"}])
    assert r.mistake == "itself"


def test_automatic_mistake_and_plain_wrong():
    r = grade_expression("1 - tanh(z)", "1 - tanh(z)^2", ["z"], about="tanh")
    assert r.mistake == "auto:square" and "squared" in r.feedback
    r = grade_expression("tanh(z)^3", "1 - tanh(z)^2", ["z"], about="tanh")
    assert (r.status, r.mistake) == ("incorrect", None)
    assert r.feedback.startswith("Not equal to the expected expression.\nAt z = ")
    assert r.counterexample and r.interpreted == "tanh(z)³"


def test_no_automatic_mistakes_without_about():
    assert grade_expression("tanh(z)", "1 - tanh(z)^2", ["z"]).mistake is None


def test_constants_fixed_or_sampled():
    ref = "where(z > 0, 1, alpha)"
    assert grade_expression("H(z) + 0.01 H(-z)", ref, ["z"], constants={"alpha": 0.01}).status == "correct"
    assert grade_expression("H(z) + 0.01 H(-z)", ref, ["z"], constants=["alpha"]).status == "incorrect"
    assert grade_expression("H(z) + α H(-z)", ref, ["z"], constants=["alpha"]).status == "correct"


def test_domain():
    assert grade_expression("|z|", "z", ["z"], domain={"z": [0.5, 4]}).status == "correct"
    assert grade_expression("|z|", "z", ["z"]).status == "incorrect"


def test_broken_reference_is_invalid_not_an_exception():
    r = grade_expression("z", "diff(z)", ["z"])
    assert r.status == "invalid" and "reference" in r.feedback


def test_seed_is_deterministic():
    a = grade_expression("z^3", "z^2", ["z"], seed=7)
    assert a == grade_expression("z^3", "z^2", ["z"], seed=7)


def test_warm_grading_is_fast():
    grade_expression("sigmoid(z)", SIG, ["z"], about="sigmoid", require=ONLY_SIGMOID)
    times = []
    for text in ["e^-z/(1+e^-z)^2", "σ(z) - σ(z)^2", "1 - σ(z)^2", "sigmoid(z)^2", "sech(z/2)^2/4"]:
        t = time.perf_counter()
        grade_expression(text, SIG, ["z"], about="sigmoid", require=ONLY_SIGMOID)
        times.append(time.perf_counter() - t)
    assert sorted(times)[len(times) // 2] < 0.05


@pytest.mark.parametrize("text", ["9**9**9", "(z+1)**100000", "z" * 600, "exp(" * 60])
def test_attacks_in_process_are_invalid(text):
    assert grade_expression(text, SIG, ["z"]).status == "invalid"
