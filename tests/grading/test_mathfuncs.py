"""The custom sympy functions: derivatives, rewrites, numeric values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from quizact.functions import numpy_form
from quizact.grading.expr import parse
from quizact.grading.mathfuncs import normcdf, normpdf, sigmoid, symbol
from quizact.grading.render import preview

z = symbol("z")


def test_sigmoid_derivative_rewrite_and_value():
    assert sigmoid(z).diff(z) == sigmoid(z) * (1 - sigmoid(z))
    assert sp.simplify(sigmoid(z).rewrite(sp.exp) - 1 / (1 + sp.exp(-z))) == 0
    assert float(sigmoid(1).evalf()) == pytest.approx(1 / (1 + math.exp(-1)))
    assert numpy_form("sigmoid")(np.array([-800.0, 0.0, 800.0])).tolist() == [0.0, 0.5, 1.0]


def test_normal_cdf_and_density():
    assert normcdf(z).diff(z) == normpdf(z)
    assert float(normcdf(0).evalf()) == pytest.approx(0.5)
    assert float(normpdf(0).evalf()) == pytest.approx(1 / math.sqrt(2 * math.pi))
    assert numpy_form("Phi")(np.array([1.0]))[0] == pytest.approx(0.8413447460685429)


def test_where_rewrites_to_piecewise_and_evaluates():
    w = parse("where(z < 0, 2, 3)", ["z"]).expr
    assert w.rewrite(sp.Piecewise).subs(z, -1) == 2
    assert float(parse("where(1 > 0, sigmoid(1), 4)", ["z"]).expr.evalf()) == pytest.approx(0.7310585786)


def test_relu_softplus_phi_are_built_from_standard_functions():
    assert parse("relu(z)", ["z"]).expr.func is sp.Max
    assert parse("softplus(z)", ["z"]).expr.func is sp.log
    assert parse("Phi(z)", ["z"]).expr.func is normcdf
    assert parse("sech(z)", ["z"]).expr.func is sp.sech


def test_preview():
    assert preview("σ(z)(1 − σ(z))", ["z"]) == "σ(z)·(1 − σ(z))"
