"""Misconceptions generated from a derivative card's reference and its activation."""

from __future__ import annotations

import pytest

from quizact.grading.automistakes import ACTIVATIONS, auto_mistakes
from quizact.grading.equivalence import equivalent
from quizact.grading.expr import parse

CARDS = {
    "sigmoid": ("sigmoid(z)*(1-sigmoid(z))", []),
    "tanh": ("1 - tanh(z)^2", []),
    "relu": ("H(z)", []),
    "leaky_relu": ("H(z) + alpha*H(-z)", ["alpha"]),
    "elu": ("where(z < 0, alpha*e^z, 1)", ["alpha"]),
    "softplus": ("sigmoid(z)", []),
    "gelu": ("Phi(z) + z*phi(z)", []),
    "swish": ("sigmoid(z) + z*sigmoid(z)*(1-sigmoid(z))", []),
}
DOMAIN = {"alpha": (0.1, 0.9)}


def mistakes_for(about: str):
    ref, consts = CARDS[about]
    names = ["z", *consts]
    return parse(ref, ["z"], constants=consts).expr, names, auto_mistakes(
        parse(ref, ["z"], constants=consts).expr, names, about=about, domain=DOMAIN
    )


@pytest.mark.parametrize("about", ACTIVATIONS)
def test_candidates_differ_from_reference_and_each_other(about):
    ref, names, found = mistakes_for(about)
    assert {"auto:function", "auto:sign"} <= {mid for mid, _, _ in found}
    exprs = [ref] + [e for _, e, _ in found]
    for i, a in enumerate(exprs):
        for b in exprs[i + 1 :]:
            assert not equivalent(a, b, names, domain=DOMAIN).equal
    assert all(feedback for _, _, feedback in found)


@pytest.mark.parametrize(
    "about, mid, text",
    [
        ("tanh", "auto:neighbor", "sigmoid(z)*(1-sigmoid(z))"),
        ("sigmoid", "auto:neighbor", "1 - sigmoid(z)^2"),
        ("relu", "auto:relu-as-z", "z"),
        ("relu", "auto:function", "relu(z)"),
        ("leaky_relu", "auto:neighbor", "H(z)"),
        ("softplus", "auto:chain", "1/(1+e^z)"),
        ("gelu", "auto:product", "Phi(z)"),
        ("swish", "auto:product", "sigmoid(z)"),
    ],
)
def test_named_misconceptions(about, mid, text):
    _, names, found = mistakes_for(about)
    consts = CARDS[about][1]
    expr = dict((m, e) for m, e, _ in found)[mid]
    assert equivalent(parse(text, ["z"], constants=consts).expr, expr, names, domain=DOMAIN).equal


def test_dropped_constant_factor():
    ref = parse("1/(4cosh(z/2)^2)", ["z"]).expr
    found = auto_mistakes(ref, ["z"], about="sigmoid")
    dropped = [e for mid, e, _ in found if mid == "auto:constant"]
    assert any(equivalent(parse("1/cosh(z/2)^2", ["z"]).expr, e, ["z"]).equal for e in dropped)


def test_leaky_slope_read_from_reference():
    ref = parse("H(z) + 0.2 H(-z)", ["z"]).expr
    found = dict((m, e) for m, e, _ in auto_mistakes(ref, ["z"], about="leaky_relu"))
    assert equivalent(found["auto:swapped"], parse("0.2 H(z) + H(-z)", ["z"]).expr, ["z"]).equal


def test_none_without_about_and_generic_for_unknown():
    ref = parse("2z", ["z"]).expr
    assert auto_mistakes(ref, ["z"], about=None) == []
    assert {m for m, _, _ in auto_mistakes(ref, ["z"], about="mystery")} == {"auto:sign", "auto:constant"}
