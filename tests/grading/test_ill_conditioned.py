"""Symbolic equivalence that float64 cannot fool: forms whose large terms cancel.

A bank of ill-conditioned pairs (expanded polynomials of degree ≥ 10 with large
coefficients against their factored forms, sums of large cancelling terms, rational and
non-rational forms), each with right and off-by-one (or off-by-small) answers, graded at
50 seeds each. The truth of every pair comes from sympy on the trusted expressions the
answer texts are printed from, and every counterexample reported is re-evaluated here with
sympy at 50 digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizact.grading import symbolic
from quizact.grading.equivalence import equivalent
from quizact.grading.expr import parse
from quizact.grading.mathfuncs import sigmoid
from quizact.grading.symbolic import grade_expression

z = sp.Symbol("z", real=True)
s = sp.Symbol("s", real=True)  # stands for σ(z) in polynomials of σ(z)
SEEDS = range(50)
RTOL, ATOL = 1e-6, 1e-9  # equivalent()'s defaults


def coefficient(c: sp.Rational) -> str:
    """An exact decimal text of a rational coefficient, in e-notation when it is long."""
    if c.q != 1:
        return f"({c.p}/{c.q})"
    digits = str(abs(int(c)))
    mantissa = digits.rstrip("0")
    zeros = len(digits) - len(mantissa)
    text = f"{mantissa}e{zeros}" if len(digits) > 12 and zeros else digits
    return f"-{text}" if c < 0 else text


def poly_text(expr: sp.Expr, gen: sp.Symbol = z, shown: str = "z") -> str:
    """The expanded polynomial ``expr`` in ``gen`` as a learner would type it."""
    terms = []
    for (k,), c in sp.Poly(sp.expand(expr), gen).terms():
        power = "" if k == 0 else f"*{shown}" if k == 1 else f"*{shown}^{k}"
        terms.append(f"({coefficient(sp.Rational(c))}){power}")
    return " + ".join(terms)


@dataclass
class Pair:
    name: str
    reference: str  # as a pack author writes it
    trusted_reference: sp.Expr
    answers: list[tuple[str, sp.Expr]]  # (text typed, the trusted expression it spells)
    domain: dict | None = None


def _sig(expr: sp.Expr) -> sp.Expr:
    return expr.subs(s, sigmoid(z))


P12 = (z - 3) ** 12
P10 = (1000 * z + 1) ** 10
S10 = (10 * s - 5) ** 10
BANK = [
    Pair("(z-3)^12 expanded", "(z-3)^12", P12, [
        (poly_text(P12), sp.expand(P12)),
        (poly_text(P12) + " + 1", sp.expand(P12) + 1),
        (poly_text(P12 - z**11), sp.expand(P12 - z**11)),  # one coefficient off by one
    ]),
    Pair("(z-3)^12 near its root", "(z-3)^12", P12, [
        (poly_text(P12), sp.expand(P12)),
        (poly_text(P12) + " + 1", sp.expand(P12) + 1),
        (poly_text(P12 + z**12 / 1000), sp.expand(P12 + z**12 / 1000)),  # off by a small amount
    ], {"z": [2.5, 3.5]}),
    Pair("(1000z+1)^10 near its root", "(1000z + 1)^10", P10, [
        (poly_text(P10), sp.expand(P10)),
        (poly_text(P10) + " + 1", sp.expand(P10) + 1),
        (poly_text(P10 + 10**18 * z**6), sp.expand(P10 + 10**18 * z**6)),
    ], {"z": [-0.0012, -0.0008]}),
    Pair("(z+1e8)^2 cancelling", "z^2", z**2, [
        ("(z + 1e8)^2 - 1e16 - 2e8 z", (z + 10**8) ** 2 - 10**16 - 2 * 10**8 * z),
        ("(z + 1e8)^2 - 1e16 - 2e8 z + 1", (z + 10**8) ** 2 - 10**16 - 2 * 10**8 * z + 1),
        ("(z + 1e8)^2 - 1e16 - 199999999 z", (z + 10**8) ** 2 - 10**16 - 199999999 * z),
    ]),
    Pair("large constants cancelling", "z^2", z**2, [
        ("1e16 + 2 - 1e16 - 2 + z^2", z**2),
        ("1e16 + 1 - 1e16 + z^2", z**2 + 1),  # float64 rounds 1e16 + 1 to 1e16: it sees z²
        ("1e16 + 3 - 1e16 + z^2", z**2 + 3),
    ]),
    Pair("σ beside large constants cancelling", "sigmoid(z)", sigmoid(z), [
        ("1e16 + 1 - 1e16 - 1 + sigmoid(z)", sigmoid(z)),
        ("1e16 + 1 - 1e16 + sigmoid(z)", sigmoid(z) + 1),
    ]),
    Pair("√ of an expanded power near its root", "|z-3|^6", sp.Abs(z - 3) ** 6, [
        # float64 gives the expanded form negative values here: "undefined" would be false
        (f"sqrt({poly_text(P12)})", sp.sqrt(sp.expand(P12))),
        (f"sqrt({poly_text(P12)} + 1e-9)", sp.sqrt(sp.expand(P12) + sp.Rational(1, 10**9))),
    ], {"z": [2.9, 3.1]}),
    Pair("float64 overflows everywhere", "exp(z)", sp.exp(z), [
        ("exp(400 z)/exp(399 z)", sp.exp(400 * z) / sp.exp(399 * z)),
        ("exp(400 z)/exp(399 z) + 1", sp.exp(400 * z) / sp.exp(399 * z) + 1),
    ], {"z": [2, 3]}),
    Pair("rational: expanded quotient", "(z-3)^2", (z - 3) ** 2, [
        (f"({poly_text(P12)})/({poly_text((z - 3) ** 10)})", sp.expand(P12) / sp.expand((z - 3) ** 10)),
        (f"({poly_text(P12)} + 1)/({poly_text((z - 3) ** 10)})", (sp.expand(P12) + 1) / sp.expand((z - 3) ** 10)),
        (f"({poly_text(P12)})/({poly_text((z - 3) ** 10)}) + 1",
         sp.expand(P12) / sp.expand((z - 3) ** 10) + 1),  # fmt: skip
    ], {"z": [2.5, 3.5]}),
    Pair("rational: 1/expanded", "1/(z-3)^10", 1 / (z - 3) ** 10, [
        (f"1/({poly_text((z - 3) ** 10)})", 1 / sp.expand((z - 3) ** 10)),
        (f"1/({poly_text((z - 3) ** 10)} + 1)", 1 / (sp.expand((z - 3) ** 10) + 1)),
    ], {"z": [2.6, 3.4]}),
    Pair("exp: large cancelling terms", "e^(2z)", sp.exp(2 * z), [
        ("(e^z + 1e8)^2 - 1e16 - 2e8 e^z", (sp.exp(z) + 10**8) ** 2 - 10**16 - 2 * 10**8 * sp.exp(z)),
        ("(e^z + 1e8)^2 - 1e16 - 2e8 e^z + 1", (sp.exp(z) + 10**8) ** 2 - 10**16 - 2 * 10**8 * sp.exp(z) + 1),
        ("(e^z + 1e8)^2 - 1e16 - 2.00000001e8 e^z",
         (sp.exp(z) + 10**8) ** 2 - 10**16 - 200000001 * sp.exp(z)),  # fmt: skip
    ]),
    Pair("σ: expanded (10σ-5)^10", "(10 sigmoid(z) - 5)^10", _sig(S10), [
        (poly_text(S10, s, "sigmoid(z)"), _sig(sp.expand(S10))),
        (poly_text(S10, s, "sigmoid(z)") + " + 1", _sig(sp.expand(S10) + 1)),
        (poly_text(S10 + s**10, s, "sigmoid(z)"), _sig(sp.expand(S10 + s**10))),
    ], {"z": [-0.3, 0.3]}),
]  # fmt: skip
CASES = [(p, text, trusted) for p in BANK for text, trusted in p.answers]


def plain(expr: sp.Expr) -> sp.Expr:
    """``expr`` with σ(x) written as 1/(1 + e^(−x)), for sympy's own algebra."""
    return expr.replace(sigmoid, lambda x: 1 / (1 + sp.exp(-x)))


def truly_equal(a: sp.Expr, b: sp.Expr) -> bool:
    """sympy on trusted input: is the difference identically zero?"""
    d = sp.expand(a - b)
    if d == 0 or sp.simplify(sp.cancel(d)) == 0:
        return True
    factored = (a - b).replace(lambda x: x.is_Add and x.is_polynomial(z) and sp.degree(x, z) > 1, sp.factor)
    return sp.simplify(factored) == 0


def at(expr: sp.Expr, point: dict) -> sp.Float:
    """``expr`` at the point, by sympy with 50 significant digits."""
    return sp.N(plain(expr), 50, subs={z: sp.Rational(repr(point["z"]))})


def _id(case: tuple) -> str:
    p, text, trusted = case
    truth = "right" if truly_equal(trusted, p.trusted_reference) else "wrong"
    return f"{p.name}: {truth} {p.answers.index((text, trusted))}"


def test_texts_spell_the_trusted_expressions():
    for p, text, trusted in CASES:
        typed = parse(text, ["z"]).expr
        typed = typed.xreplace({f: sp.Rational(str(f)) for f in typed.atoms(sp.Float)})  # decimals as spelt
        assert truly_equal(plain(typed), plain(trusted)), (p.name, text)


def test_bank_has_right_and_wrong_answers_of_degree_ten_or_more():
    for p in BANK:
        truths = [truly_equal(t, p.trusted_reference) for _, t in p.answers]
        assert truths[0] and not all(truths), p.name
    assert sum(sp.Poly(sp.expand(p.trusted_reference), z).degree() >= 10 for p in BANK[:3]) == 3


def test_float64_alone_is_fooled():
    """The trap is real: evaluated term by term in float64, a right expanded form differs
    from its factored form by far more than the tolerance."""
    coeffs = [float(c) for c in sp.Poly(sp.expand(P12), z).all_coeffs()]
    x = np.round(np.random.default_rng(0).uniform(2.5, 3.5, 24), 2)
    expanded, factored = np.polyval(coeffs, x), (x - 3) ** 12
    assert np.any(np.abs(expanded - factored) > ATOL + RTOL * np.abs(factored))


def test_float64_alone_accepts_an_off_by_one():
    """The other trap: term by term in float64, ``1e16 + 1 - 1e16 + z²`` is exactly z²."""
    x = np.round(np.random.default_rng(0).uniform(-3, 3, 24), 2)
    assert np.array_equal(1e16 + 1 - 1e16 + x**2, x**2)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_graded_right_at_every_seed_and_no_false_counterexample(case):
    pair, text, trusted = case
    expected_equal = truly_equal(trusted, pair.trusted_reference)
    answer = parse(text, ["z"]).expr
    reference = parse(pair.reference, ["z"]).expr
    for seed in SEEDS:
        r = equivalent(answer, reference, ["z"], domain=pair.domain, rng_seed=seed)
        assert r.decided, (seed, r.reason)
        assert r.equal == expected_equal, (seed, r)
        if r.counterexample is None:
            assert r.equal
            continue
        cx = r.counterexample
        a, e = at(trusted, cx["point"]), at(pair.trusted_reference, cx["point"])
        assert abs(a - e) > ATOL + RTOL * max(abs(a), abs(e)), (seed, cx, a, e)  # a true counterexample
        assert cx["answer"] == pytest.approx(float(a), rel=1e-9) and cx["expected"] == pytest.approx(float(e), rel=1e-9)


LEARNER = ("(z-3)^12 expanded", "(z+1e8)", "exp:", "large")


@pytest.mark.parametrize("pair", [p for p in BANK if p.name.startswith(LEARNER)], ids=lambda p: p.name)
def test_grading_a_learner(pair):
    right, wrong = pair.answers[0][0], pair.answers[1][0]
    assert grade_expression(right, pair.reference, ["z"], domain=pair.domain).status == "correct"
    r = grade_expression(wrong, pair.reference, ["z"], domain=pair.domain)
    assert r.status == "incorrect" and r.counterexample and r.feedback.startswith("Not equal")


def test_out_of_time_is_undecided_never_wrong(monkeypatch):
    pair = next(p for p in BANK if p.name.startswith("exp:"))  # decided only in high precision
    answer, reference = parse(pair.answers[1][0], ["z"]).expr, parse(pair.reference, ["z"]).expr
    r = equivalent(answer, reference, ["z"], budget=0.0)
    assert (r.equal, r.decided, r.counterexample) == (False, False, None)
    assert r.reason.startswith("out of time")
    monkeypatch.setattr(symbolic, "CAREFUL_BUDGET", 0.0)
    g = grade_expression(pair.answers[1][0], pair.reference, ["z"])
    assert g.status == "invalid" and g.score == 0 and g.counterexample is None
    assert g.feedback.startswith("could not decide whether this is right; it costs no attempt")
    assert "terms cancel too much" in g.feedback


def test_well_conditioned_answers_skip_the_careful_check(monkeypatch):
    """With no time at all for the careful check, ordinary answers are still decided."""
    monkeypatch.setattr(symbolic, "CAREFUL_BUDGET", 0.0)
    assert grade_expression("e^-z/(1+e^-z)^2", "sigmoid(z)*(1-sigmoid(z))", ["z"]).status == "correct"
    assert grade_expression("sigmoid(z)^2", "sigmoid(z)*(1-sigmoid(z))", ["z"]).status == "incorrect"
    assert grade_expression(poly_text(P12), "(z-3)^12", ["z"], domain={"z": [10, 12]}).status == "correct"


def test_terms_absorbed_at_every_modest_precision():
    """At 46 or 92 digits, 1e150 + erf(z) rounds to 1e150: two such precisions agree on a
    wrong value, so the precision is chosen from the error scale (here 318 digits)."""
    big = sp.Integer(10) ** 150
    reference, trusted_reference = "erf(z)^2", sp.erf(z) ** 2
    right = (big + sp.erf(z)) ** 2 - big**2 - 2 * big * sp.erf(z)
    typed = "(1e150 + erf(z))^2 - 1e300 - 2e150 erf(z)"
    for text, trusted in [(typed, right), (typed + " + 0.001", right + sp.Rational(1, 1000))]:
        expected_equal = truly_equal(trusted, trusted_reference)
        for seed in range(5):
            r = equivalent(parse(text, ["z"]).expr, parse(reference, ["z"]).expr, ["z"], rng_seed=seed)
            assert r.decided and r.equal == expected_equal, (text, seed, r)
            if r.counterexample:
                point = r.counterexample["point"]  # sympy expands the trusted form: 50 digits then suffice
                a, e = at(sp.expand(trusted), point), at(trusted_reference, point)
                assert abs(a - e) > ATOL + RTOL * max(abs(a), abs(e))
                assert r.counterexample["answer"] == pytest.approx(float(a), rel=1e-9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roots=st.lists(st.integers(-4, 4), min_size=10, max_size=14), lead=st.integers(1, 1000),
       delta=st.sampled_from([1, -1, 2]), seed=st.integers(0, 10**6))  # fmt: skip
def test_random_expanded_polynomials(roots, lead, delta, seed):
    """Expanded against factored, for random integer roots: right is right, off by ``delta``
    is wrong, and a counterexample is true at 50 digits."""
    factored = lead * sp.Mul(*[z - r for r in roots])
    reference = f"{lead}*" + "*".join(f"(z - ({r}))" for r in roots)
    domain = {"z": [min(roots) - 0.5, max(roots) + 0.5]}
    for text, trusted in [(poly_text(factored), sp.expand(factored)),
                          (f"{poly_text(factored)} + ({delta})", sp.expand(factored) + delta)]:  # fmt: skip
        r = equivalent(parse(text, ["z"]).expr, parse(reference, ["z"]).expr, ["z"], domain=domain, rng_seed=seed)
        assert r.decided and r.equal == (trusted == sp.expand(factored)), (text, r)
        if r.counterexample:
            a, e = at(trusted, r.counterexample["point"]), at(factored, r.counterexample["point"])
            assert abs(a - e) > ATOL + RTOL * max(abs(a), abs(e))


def test_a_value_beyond_float64s_range_is_shown_not_inf():
    # e^(e^(e^2.03)) = e^(e^7.614) = e^2026.4...: about 1.3e880 (sympy below, at 50 digits)
    r = grade_expression("exp(exp(exp(z)))", "z", ["z"], domain={"z": [2, 3]}, seed=0)
    assert r.status == "incorrect" and "inf" not in r.feedback
    point = float(r.counterexample.split("z = ")[1].split(" ")[0])
    shown = r.counterexample.split("gives ")[1].split(";")[0]
    trusted = sp.N(sp.exp(sp.exp(sp.exp(sp.Rational(repr(point))))), 50)
    assert abs(sp.Float(shown) / trusted - 1) < 1e-3  # four digits shown
