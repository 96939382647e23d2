"""Numeric-first equivalence: seeded points, kinks skipped, counterexamples."""

from __future__ import annotations

import warnings

import pytest

from quizact.grading.equivalence import equivalent, format_counterexample, kink_arguments
from quizact.grading.expr import parse

Z = ["z"]


def P(text: str, constants=()):
    return parse(text, Z, constants=constants).expr


def test_equal_forms():
    ref = P("sigmoid(z)*(1-sigmoid(z))")
    r = equivalent(P("e^-z/(1+e^-z)^2"), ref, Z)
    assert r.equal and r.counterexample is None and r.n_valid >= 8


def test_counterexample_is_pinned():
    r = equivalent(P("sigmoid(z)"), P("sigmoid(z)*(1-sigmoid(z))"), Z)
    assert not r.equal
    assert r.counterexample == {"point": {"z": 0.25}, "answer": pytest.approx(0.5622, abs=1e-4),
                                "expected": pytest.approx(0.2461, abs=1e-4)}
    assert format_counterexample(r.counterexample) == "at z = 0.25 your expression gives 0.562; expected 0.246"


def test_counterexample_message_format():
    cx = {"point": {"z": 1.3}, "answer": 0.211, "expected": 0.185}
    assert format_counterexample(cx) == "at z = 1.3 your expression gives 0.211; expected 0.185"
    cx = {"point": {"z": 1.3, "alpha": 0.25}, "answer": 0.2111, "expected": 0.2112}
    assert format_counterexample(cx) == "at z = 1.3, α = 0.25 your expression gives 0.2111; expected 0.2112"
    assert "undefined" in format_counterexample({"point": {"z": -1.0}, "answer": None, "expected": 0.5})


def test_forms_differing_at_isolated_points_are_equal():
    h = P("Heaviside(z)")
    for form in ["max(0, sign(z))", "where(z > 0, 1, 0)", "(z + |z|)/(2z)", "relu(z)/z", "step(z)"]:
        assert equivalent(P(form), h, Z).equal, form
    assert equivalent(P("where(z < 0, 0, z)"), P("relu(z)"), Z).equal


def test_kink_arguments():
    kinds = sorted(k for k, _ in kink_arguments(P("H(z-1) + |z| + max(z, 2z, 3) + where(z > 2, 1, 0)")))
    assert kinds == ["max", "zero", "zero", "zero"]


def test_answer_undefined_where_reference_is_defined():
    r = equivalent(P("sqrt(z)/sqrt(z)"), P("H(z)"), Z)
    assert not r.equal and r.counterexample["answer"] is None
    assert equivalent(P("sqrt(z)^2"), P("z"), Z, domain={"z": [0.5, 4]}).equal


def test_too_few_valid_points():
    r = equivalent(P("z"), P("log(-1 - z^2)"), Z)
    assert not r.equal and r.reason == "too few valid points"


def test_domain_and_seed():
    a, b = P("|z|"), P("z")
    assert equivalent(a, b, Z, domain={"z": (0.5, 4)}).equal
    assert not equivalent(a, b, Z).equal
    r1 = equivalent(P("z^2"), P("z^3"), Z, rng_seed=1)
    r2 = equivalent(P("z^2"), P("z^3"), Z, rng_seed=1)
    assert r1 == r2


def test_constants_are_sampled():
    names = ["z", "alpha"]
    a = parse("max(alpha z, z)/z", Z, constants=["alpha"]).expr
    b = parse("H(z) + alpha H(-z)", Z, constants=["alpha"]).expr
    assert equivalent(a, b, names, domain={"alpha": (0.1, 0.9)}).equal
    assert not equivalent(a, b, names, domain={"alpha": (1.5, 2.5)}).equal


def test_tolerances():
    assert equivalent(P("z + 1e-12"), P("z"), Z).equal
    assert not equivalent(P("z + 1e-3"), P("z"), Z).equal
    assert equivalent(P("z + 1e-3"), P("z"), Z, atol=1e-2).equal


def test_overflow_does_not_raise_or_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = equivalent(P("exp(100 z)/(1 + exp(100 z))"), P("sigmoid(100z)"), Z, domain={"z": (-30, 30)})
    assert r.equal


def test_numbers_sympy_would_not_hold_as_floats():
    assert not equivalent(P("10^100 z"), P("z"), Z).equal
    assert not equivalent(P("1/0"), P("z"), Z).equal


def test_a_rational_form_off_by_a_constant_is_wrong_however_large_its_values():
    # found by hypothesis (test_ill_conditioned.test_random_expanded_polynomials): the expanded
    # 146·z³(z + 1)(z − 2)(z + 2)(z − 3)²(z + 3)(z − 4)²(z + 4)³ plus 1 is within the relative
    # tolerance of the factored form at every sampled point (|p| ~ 1e9 there), but it is not p
    import sympy as sp

    from tests.grading.test_ill_conditioned import poly_text, z

    roots = [0, 0, 0, -1, 2, -2, 3, 3, -3, 4, 4, -4, -4, -4]
    factored = 146 * sp.Mul(*[z - r for r in roots])
    reference = "146*" + "*".join(f"(z - ({r}))" for r in roots)
    domain = {"z": [-4.5, 4.5]}
    r = equivalent(P(poly_text(factored) + " + (1)"), P(reference), Z, domain=domain, rng_seed=0)
    assert r.decided and not r.equal
    point = sp.Rational(r.counterexample["point"]["z"])
    # the counterexample holds exactly: the two values differ by 1 there
    assert r.counterexample["answer"] - r.counterexample["expected"] == pytest.approx(1.0, abs=1e-6)
    exact = float(factored.subs(z, point))
    assert abs(exact - r.counterexample["expected"]) <= 1e-6 * abs(exact)
    assert equivalent(P(poly_text(factored)), P(reference), Z, domain=domain, rng_seed=0).equal


def test_a_large_polynomial_plus_one_is_not_the_polynomial():
    assert not equivalent(P("1000000000 z^2 + z + 1"), P("1000000000 z^2 + z"), Z).equal
    assert equivalent(P("1000000000 z^2 + z + 1e-12"), P("1000000000 z^2 + z"), Z).equal  # within atol
    assert equivalent(P("0.5 z^2"), P("z^2/2"), Z).equal  # decimals are the fractions they spell
