"""The "interpreted as" preview: short, deterministic unicode."""

from __future__ import annotations

import pytest

from quizact.grading.expr import parse
from quizact.grading.render import display_name, interpreted_as


@pytest.mark.parametrize(
    "text, shown",
    [
        ("sigmoid(z)*(1-sigmoid(z))", "σ(z)·(1 − σ(z))"),
        ("e^-z/(1+e^-z)^2", "e^(−z)/(1 + e^(−z))²"),
        ("z^2", "z²"),
        ("tanh(z)", "tanh(z)"),
        ("max(0, z)", "max(0, z)"),
        ("relu(z)", "max(0, z)"),
        ("1 - tanh(z)^2", "1 − tanh(z)²"),
        ("sech(z/2)^2/4", "sech(z/2)²/4"),
        ("1/(4cosh(z/2)^2)", "1/(4·cosh(z/2)²)"),
        ("2z", "2·z"),
        ("1/2z", "z/2"),
        ("-z", "−z"),
        ("-(z+1)", "−(z + 1)"),
        ("z^-2", "1/z²"),
        ("sqrt(2pi)", "√(2·π)"),
        ("|z|", "|z|"),
        ("H(z)", "H(z)"),
        ("Phi(z) + z phi(z)", "Φ(z) + z·φ(z)"),
        ("ln(1+e^z)", "ln(1 + e^z)"),
        ("softplus(z)", "ln(1 + e^z)"),
        ("where(z < 0, alpha e^z, 1)", "where(z < 0, α·e^z, 1)"),
        ("0.01 z", "0.01·z"),
        ("z^alpha", "z^α"),
        ("(z^2)^3", "(z²)³"),
    ],
)
def test_interpreted_as(text, shown):
    assert interpreted_as(parse(text, ["z"], constants=["alpha"])) == shown


def test_accepts_sympy_expressions_and_is_deterministic():
    p = parse("σ(z)(1 − σ(z))", ["z"])
    assert interpreted_as(p.expr) == interpreted_as(p) == "σ(z)·(1 − σ(z))"


def test_display_name():
    assert display_name("alpha") == "α"
    assert display_name("z") == "z"
