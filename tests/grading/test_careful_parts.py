"""The parts behind ill-conditioned equivalence: error scales, high precision, exact forms."""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp

from quizact.grading.errorscale import compile_scale
from quizact.grading.exact import exact_difference_is_zero
from quizact.grading.expr import parse
from quizact.grading.hpeval import MAX_DIGITS, digits_for, hp_value
from quizact.grading.symbolic import grade_expression

Z = ("z",)
z = sp.Symbol("z", real=True)


def P(text: str, names=Z):
    return parse(text, list(names), extra_functions=("factorial",)).expr


def test_error_scale_by_hand():
    # z^2 - 2z + 1 at z = 3: S(z) = 3; S(z^2) = |9| + 2·3·S(z) = 27 (the square doubles z's
    # relative error); S(-2z) = 2·3 = 6; S(1) = 1; the sum adds |value| = 4: 27 + 6 + 1 + 4 = 38
    assert compile_scale(P("z^2 - 2z + 1"), Z)([np.array([3.0])])[0] == pytest.approx(38)
    # a function: S(exp(2z)) = |e^(2z)| + |d/dx e^x|·S(2z) = e^2 + e^2·2 at z = 1
    assert compile_scale(P("exp(2z)"), Z)([np.array([1.0])])[0] == pytest.approx(3 * np.e**2, rel=1e-6)


def test_error_scale_bounds_the_sum_of_absolute_terms():
    coeffs = [int(c) for c in sp.Poly(sp.expand((z - 3) ** 12), z).all_coeffs()]
    text = " + ".join(f"({c})*z^{12 - k}" for k, c in enumerate(coeffs))
    x = np.linspace(-3, 3, 13)
    terms = sum(abs(c) * np.abs(x) ** (12 - k) for k, c in enumerate(coeffs))  # Σ|a_k z^k|
    scale = compile_scale(P(text), Z)([x])
    assert np.all(scale >= terms) and np.all(scale <= 14 * terms)


def test_digits_by_hand():
    assert digits_for(1e20, 1e-9) == 8 + 20 + 9
    assert digits_for(6e300, 1e-9) == 8 + 301 + 9  # ceil(300.78 + 9)
    assert digits_for(1.0, 1e-9) == 30  # never fewer than 30
    assert digits_for(float("nan"), 1e-9) == MAX_DIGITS // 2
    assert digits_for(1e300, 1e-300) == MAX_DIGITS + 1  # more than may be used


@pytest.mark.parametrize("text", [
    "sigmoid(z)", "tanh(z) + sech(z)", "erf(z) + Phi(z) + phi(z)", "softplus(z)", "atan(z) + sin(z) + cos(z)",
    "tan(z) + sinh(z) + cosh(z)", "sqrt(z) + |z - 1| + log(z)", "factorial(4) z", "e^z + pi",
    "max(z, 0.5) + min(z, 0.5) + relu(z)", "where(z > 0.3, z, 2z)", "Heaviside(z - 0.3) + sign(z - 1)",
    "sigmoid(z)*(1 - sigmoid(z)) + exp(z)/(1 + exp(z))^2",  # repeated subtrees, computed once per call
])  # fmt: skip
def test_high_precision_values_match_sympy(text):
    expr = P(text)
    exact = expr.xreplace({f: sp.Rational(str(f)) for f in expr.atoms(sp.Float)})  # decimals as spelt
    trusted = sp.N(exact.subs(z, sp.Rational("0.37")), 50)  # sympy's own evaluation at 50 digits
    assert abs(hp_value(expr, {"z": "0.37"}, 50) - trusted) < sp.Float(10) ** -45


def test_high_precision_undefined_and_poles():
    import mpmath

    assert mpmath.isnan(hp_value(P("sqrt(z)"), {"z": "-1"}, 30))
    assert mpmath.isnan(hp_value(P("log(z)"), {"z": "-1"}, 30))
    assert hp_value(P("log(z)"), {"z": "0"}, 30) == -mpmath.inf
    assert hp_value(P("1/z"), {"z": "0"}, 30) == mpmath.inf


def test_exact_decisions():
    expanded = str(sp.expand((z - 3) ** 12)).replace("**", "^")
    assert exact_difference_is_zero(P(expanded), P("(z-3)^12"), Z) is True
    assert exact_difference_is_zero(P(expanded + " + 1"), P("(z-3)^12"), Z) is False
    assert exact_difference_is_zero(P("(z^2 - 1)/(z - 1)"), P("z + 1"), Z) is True
    assert exact_difference_is_zero(P("0.1 z"), P("z/10"), Z) is True  # a decimal is the fraction it spells
    assert exact_difference_is_zero(P("0.1000001 z"), P("z/10"), Z) is False
    xy = ("x", "y")
    assert exact_difference_is_zero(P("(x + y)^2", xy), P("x^2 + 2x y + y^2", xy), xy) is True
    assert exact_difference_is_zero(P("sigmoid(z)"), P("z"), Z) is None  # not a rational form
    assert exact_difference_is_zero(P("(z+1)^40"), P("(z-1)^40"), Z) is None  # degree 80: too big
    assert exact_difference_is_zero(P("1/(z - z)"), P("z"), Z) is None  # division by an identical zero


@pytest.mark.timeout(120)
@pytest.mark.parametrize("answer, reference, variables", [
    ("(1e150 + erf(z))^2 - 1e300 - 2e150 erf(z) + (1e150 + erf(2z))^2 - 1e300 - 2e150 erf(2z)",
     "erf(z)^2 + erf(2z)^2", ["z"]),
    ("(z + x + y + w)^30 (z - x + y - w)^30 + 1", "(z + x + y + w)^30 (z - x + y - w)^30", ["z", "x", "y", "w"]),
    ("(1e100 + z)^3 - 1e300 - 3e200 z - 3e100 z^2 + " * 6 + "z^3", "7 z^3", ["z"]),
])  # fmt: skip
def test_hard_cancellation_is_answered_within_two_seconds(answer, reference, variables):
    grade_expression("z", "z", ["z"])  # imports, as a warm worker has them
    t = time.perf_counter()
    r = grade_expression(answer, reference, variables)
    assert r.status in ("correct", "incorrect", "invalid")
    assert time.perf_counter() - t < 2.0 * 3  # budget 2 s; a shared machine gets a margin


def test_every_function_float64_evaluates_has_a_high_precision_form():
    from quizact.grading.hpeval import _MP_UNARY
    from quizact.grading.numeval import _UNARY

    assert set(_UNARY) <= set(_MP_UNARY)
