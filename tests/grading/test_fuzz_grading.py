"""Fuzzing: no exception escapes the parser (except AnswerError) or grade_expression."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizact.grading.expr import AnswerError, parse
from quizact.grading.symbolic import grade_expression

TOKENS = [
    "z", "alpha", "0", "1", "2", "10", "0.5", "1e5", "e", "pi", "π", "+", "-", "−", "*", "/", "^",
    "**", "(", ")", "|", ",", " ", "²", "⁻¹", "√", "sigmoid(", "σ(", "tanh(", "exp(", "e^", "ln(",
    "sqrt(", "abs(", "max(", "min(", "relu(", "softplus(", "H(", "step(", "erf(", "Phi(", "phi(",
    "sech(", "cosh(", "where(", "<", ">", "<=", "sign(", "9^9^9", ".", "'", "[", "=", "y",
    "__import__", "lambda", "tanh^2(", "zz", "factorial(",
]  # fmt: skip
TEXTS = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXTS)
def test_parse_raises_only_answer_errors(text):
    try:
        parse(text, ["z"], constants=["alpha"])
    except AnswerError as err:
        assert 0 <= err.pos <= max(len(text), 500)
        err.caret_line(text)


@FAST
@given(TEXTS)
def test_grade_expression_never_raises_nor_fails_internally(text):
    r = grade_expression(text, "sigmoid(z)*(1-sigmoid(z))", ["z"], constants=["alpha"], about="sigmoid")
    assert r.status in ("correct", "incorrect", "invalid")
    assert 0.0 <= r.score <= 1.0
    assert not r.feedback.startswith("could not check"), r.feedback
