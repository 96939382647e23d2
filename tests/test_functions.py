"""The function table (``quizact/functions.py``): every entry is accepted where it is meant
to be (answers, pack formulas or both), its sympy, NumPy, mpmath and float forms agree at
random points and in the far tails where only the stable forms stay accurate, and every
module that used to keep its own list derives the same names from the table.

Learner-only: ``phi`` (a common param name in packs), ``factorial`` (only on cards that allow
it). Pack-only: the reductions, linear algebra and vector helpers (``sum``, ``prod``,
``argmax``, ``onehot``, ``softmax``, …). Everything else is in both.
"""

from __future__ import annotations

import math
import subprocess
import sys

import mpmath
import numpy as np
import pytest
import sympy as sp

from quizact.functions import ACTIVATIONS, BY_NODE, FUNCTIONS, LEARNER, PACK, PACK_NAMES, numpy_form
from quizact.grading import lexer
from quizact.grading.expr import parse
from quizact.grading.mathfuncs import call
from quizact.packs import formula

rng = np.random.default_rng(20261203)


def _uniform(lo: float, hi: float, n: int = 30) -> list[float]:
    return rng.uniform(lo, hi, n).tolist()


#: Points per learner function: random ones over its domain plus the far tails.
POINTS: dict[str, list[float]] = {
    "sigmoid": _uniform(-8, 8) + [-700, -100, -40, -20, 20, 40, 100, 700],
    "softplus": _uniform(-8, 8) + [-700, -100, -40, -20, 20, 40, 700],
    "Phi": _uniform(-6, 6) + [-37, -30, -20, -10, -8, 8, 10, 20],
    "phi": _uniform(-6, 6) + [-37, -30, -20, 20, 30, 37],
    "erf": _uniform(-4, 4) + [-30, -6, 6, 30, 1e-10],
    "tanh": _uniform(-5, 5) + [-40, -20, 1e-9, 20, 40],
    "sinh": _uniform(-5, 5) + [-700, -40, 1e-9, 40, 700],
    "cosh": _uniform(-5, 5) + [-700, -40, 40, 700],
    "sech": _uniform(-5, 5) + [-700, -40, 40, 700],
    "exp": _uniform(-10, 10) + [-700, 700],
    "log": _uniform(1e-3, 50) + [1e-300, 1e-10, 1e10, 1e300],
    "sqrt": _uniform(0, 50) + [1e-300, 1e300],
    "atan": _uniform(-5, 5) + [-1e10, 1e-9, 1e10],
    "sin": _uniform(-6, 6),
    "cos": _uniform(-6, 6),
    "tan": _uniform(-1.5, 1.5),
    "factorial": [0, 1, 2, 5, 10, 20, 0.5, 3.5],
}
DEFAULT_POINTS = _uniform(-6, 6) + [-1e3, 1e3]  # relu, heaviside, abs, sign: away from 0


def _reference(name: str, *args: float) -> float:
    """The sympy form at ``args``, evaluated by sympy at 400 digits (``ln(1 + e^−700)``
    needs more than 300 before the 1 stops hiding the rest)."""
    value = sp.N(call(name, *[sp.Float(a, 400) for a in args]).doit(), 400)
    return float(value)


def _close(got: float, want: float, rtol: float = 1e-12) -> bool:
    if want == 0 or not math.isfinite(want):
        return got == want
    return abs(got - want) <= rtol * abs(want)


ONE_ARG = sorted(n for n, f in LEARNER.items() if f.arity == (1, 1))


@pytest.mark.parametrize("name", ONE_ARG)
def test_numpy_form_agrees_with_sympy_form_at_random_points_and_tails(name):
    points = POINTS.get(name, DEFAULT_POINTS)
    got = numpy_form(name)(np.array(points, dtype=float))
    bad = [(x, float(g), _reference(name, x)) for x, g in zip(points, got) if not _close(float(g), _reference(name, x))]
    assert not bad, f"{name}: NumPy form differs from the sympy form at (x, numpy, sympy) {bad[:3]}"


@pytest.mark.parametrize("name", ONE_ARG)
def test_mpmath_and_float_forms_agree_with_sympy_form(name):
    entry = LEARNER[name]
    points = [x for x in POINTS.get(name, DEFAULT_POINTS) if abs(x) <= 30]
    with mpmath.workdps(30):
        for x in points:
            want = _reference(name, x)
            assert _close(float(entry.mpmath(mpmath.mp, mpmath.mpf(x))), want), (name, x)
            assert _close(entry.scalar(x), want, rtol=1e-9), (name, x)


@pytest.mark.parametrize("name", ["max", "min", "log"])
def test_forms_of_functions_of_two_arguments(name):
    pairs = list(zip(_uniform(0.1, 20), _uniform(1.5, 20)))
    for a, b in pairs:
        want = _reference(name, a, b)
        assert _close(float(numpy_form(name)(np.float64(a), np.float64(b))), want), (name, a, b)
        if name != "log":  # a learner's log(x, b) is built as ln x / ln b; its mpmath form is ln
            assert _close(float(LEARNER[name].mpmath(mpmath.mp, a, b)), want)
            assert _close(LEARNER[name].scalar(a, b), want)


def test_where_is_the_same_choice_in_answers_and_formulas():
    z, w = 0.7, -1.3
    parsed = parse("where(z > w, z, w)", ["z", "w"])
    syms = sorted(parsed.expr.free_symbols, key=str)
    assert float(sp.N(parsed.expr.rewrite(sp.Piecewise).subs(dict(zip(syms, [w, z]))))) == z
    assert formula.evaluate("where(z > w, z, w)", {"z": z, "w": w}) == z
    assert numpy_form("where")(np.array([1.0, -1.0]) > 0, 1.0, 0.0).tolist() == [1.0, 0.0]


def _learner_call(name: str, entry) -> str:
    if name == "where":
        return "where(z > 0, z, 1)"
    if name == "factorial":
        return "factorial(4)"
    return f"{name}({', '.join(['z'] + ['2'] * (entry.arity[0] - 1))})"


@pytest.mark.parametrize("name", sorted(LEARNER))
def test_learner_parser_accepts_every_learner_function_and_its_aliases(name):
    entry = LEARNER[name]
    for typed in (name, *entry.aliases):
        parsed = parse(_learner_call(typed, entry), ["z"], extra_functions=[name] if entry.optional else ())
        assert name in parsed.functions, typed
    if entry.optional:
        with pytest.raises(Exception, match="not allowed|unknown|factorial"):
            parse(_learner_call(name, entry), ["z"])


#: Arguments for each pack function, and the value worked by hand.
PACK_CALLS = {
    "sum": ("sum(v)", 6.0), "prod": ("prod(v)", 6.0), "mean": ("mean(v)", 2.0),
    "all": ("all(v > 0)", True), "any": ("any(v > 2.5)", True), "argmax": ("argmax(v)", 2),
    "onehot": ("onehot(1, 3)", [0.0, 1.0, 0.0]), "round": ("round(2.345, 1)", 2.3),
    "norm": ("norm([3, 4])", 5.0), "det": ("det([[2, 1], [1, 3]])", 5.0),
    "transpose": ("transpose([[1, 2], [3, 4]])", [[1.0, 3.0], [2.0, 4.0]]),
    "outer": ("outer([1, 2], [3, 4])", [[3.0, 4.0], [6.0, 8.0]]), "dot": ("dot(v, v)", 14.0),
    "softmax": ("softmax([0, ln(3)])", [0.25, 0.75]), "max": ("max(v)", 3.0), "min": ("min(v, 2)", [1.0, 2.0, 2.0]),
    "where": ("where(z > 0, 1, 2)", 1),
    "allclose": ("allclose(v, [1.0005, 2, 3])", True),  # 0.0005 off 1.0005: within 0.1 %
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(PACK_NAMES))
def test_formula_evaluator_accepts_every_pack_function(name):
    entry = PACK_NAMES[name]
    if entry.name in PACK_CALLS and entry.name == name:
        text, want = PACK_CALLS[name]
    else:  # one number in, the learner's meaning: checked against the sympy form
        text = _learner_call(name, entry).replace("z", "0.7")
        want = _reference(entry.name, 0.7, *([2.0] * (entry.arity[0] - 1)))
    got = formula.evaluate(text, {"v": [1.0, 2.0, 3.0], "z": 0.7})
    assert np.allclose(got, want, rtol=1e-12, atol=0), (text, got, want)
    assert name not in formula.names(text)


def test_which_functions_are_learner_only_and_pack_only():
    assert {n for n, f in FUNCTIONS.items() if f.use == "learner"} == {"phi", "factorial"}
    assert {n for n, f in FUNCTIONS.items() if f.use == "pack"} == {
        "softmax", "sum", "prod", "mean", "all", "any", "argmax", "onehot", "round", "norm", "det",
        "transpose", "outer", "dot", "allclose",
    }
    assert set(PACK_NAMES) == set(PACK) | {"ln"}


def test_every_module_derives_its_names_from_the_table():
    from quizact.grading import arith, automistakes, expr, hpeval, numeval, refuse, render
    from quizact.nn import activations

    assert lexer.FUNCTIONS == {n: f.arity for n, f in LEARNER.items()}
    assert lexer.ALIASES["sigma"] == "sigmoid" and lexer.canonical_function("σ") == "sigmoid"
    assert formula.FUNCTION_NAMES == frozenset(PACK_NAMES)
    # every one-argument node the parser builds is computed by both numeric evaluators
    one_arg_nodes = {node for node, f in BY_NODE.items() if f.arity == (1, 1) and node != "Heaviside"}
    assert one_arg_nodes <= set(numeval._UNARY) and one_arg_nodes <= set(hpeval._MP_UNARY)
    assert all(numeval._UNARY[node] is numpy_form(BY_NODE[node].name) for node in one_arg_nodes)
    assert set(expr._MATH) == {n for n, f in LEARNER.items() if f.scalar}
    assert set(arith._MP_FUNCS) == {n for n, f in LEARNER.items() if f.mpmath}
    assert render._FUNC_NAMES["normcdf"] == "Φ" and render._FUNC_NAMES["sigmoid"] == "σ"
    assert refuse.SUBJECT_FUNCTIONS == {n for n, f in LEARNER.items() if f.subject}
    # the network's activations and the automatic mistakes know every table activation
    for name, _entry in ACTIVATIONS.items():
        assert activations.ACTIVATIONS[name].fn is numpy_form(name)
        assert name in automistakes.ACTIVATIONS
    assert activations.ACTIVATIONS["softmax"].fn.func is numpy_form("softmax")
    assert activations.gelu(np.array([-10.0]))[0] == pytest.approx(-10 * 7.619853024160526e-24, rel=1e-12, abs=0)


def test_every_pack_function_is_listed_in_the_docs():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "pack-format.md").read_text()
    section = doc.split("## Formulas", 1)[1].split("\n## ", 1)[0]
    missing = [n for n in PACK_NAMES if f"`{n}" not in section]
    assert not missing, f"not in docs/pack-format.md Formulas: {missing}"


def test_the_table_is_cheap_to_import():
    code = (
        "import sys, quizact.functions, quizact.grading.lexer; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'sympy', 'mpmath'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
