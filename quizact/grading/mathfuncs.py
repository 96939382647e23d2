"""The sympy side of the parser: custom functions and the tree builder.

The functions a learner may call, and the sympy node each builds, come from the table in
``quizact/functions.py``; their NumPy forms are in ``quizact/numforms.py``.
This module imports sympy at import time, so nothing on the app's start-up path
may import it: ``expr.parse`` and the other grading modules import it inside functions.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, cast

import mpmath
import sympy as sp

from quizact.functions import LEARNER

__all__ = ["sigmoid", "normcdf", "normpdf", "Where", "symbol", "build", "call"]


def _evalf_unary(expr: sp.Function, prec: int, fn: Callable[[Any], Any]) -> sp.Expr | None:
    """Numeric value of ``fn(arg)`` when the argument evaluates to a real number."""
    arg = expr.args[0]._eval_evalf(prec)
    if arg is None or not arg.is_Number:
        return None
    with mpmath.workprec(prec):
        return sp.Float._new(mpmath.mpf(fn(arg._to_mpmath(prec)))._mpf_, prec)


class sigmoid(sp.Function):  # noqa: N801 - sympy function classes are lower-case
    """σ(z) = 1/(1 + e^(−z)), kept as one function so it prints as σ."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-arg))

    def _eval_rewrite_as_tanh(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return (1 + sp.tanh(arg / 2)) / 2

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        form = LEARNER["sigmoid"].mpmath
        assert form is not None  # sigmoid has one (quizact/functions.py)
        return _evalf_unary(self, prec, lambda x: form(mpmath, x))

    def _eval_is_real(self) -> bool | None:
        return cast("bool | None", self.args[0].is_real)


class normcdf(sp.Function):  # noqa: N801
    """Φ(z), the standard normal CDF: (1 + erf(z/√2))/2."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return normpdf(self.args[0])

    def _eval_rewrite_as_erf(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return (1 + sp.erf(arg / sp.sqrt(2))) / 2

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return _evalf_unary(self, prec, mpmath.ncdf)

    def _eval_is_real(self) -> bool | None:
        return cast("bool | None", self.args[0].is_real)


class normpdf(sp.Function):  # noqa: N801
    """φ(z), the standard normal density: e^(−z²/2)/√(2π)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return -self.args[0] * normpdf(self.args[0])

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.exp(-(arg**2) / 2) / sp.sqrt(2 * sp.pi)

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return _evalf_unary(self, prec, mpmath.npdf)

    def _eval_is_real(self) -> bool | None:
        return cast("bool | None", self.args[0].is_real)


class Where(sp.Function):
    """``where(lhs OP rhs, a, b)`` as ``Where(code, lhs, rhs, a, b)``; OP = WHERE_OPS[code].

    A plain function rather than ``Piecewise``: building a Piecewise rewrites and
    simplifies its condition, which can be slow or fail on what a learner types.
    """

    nargs = 5

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        code, lhs, rhs, a, b = self.args
        left, right = lhs._eval_evalf(prec), rhs._eval_evalf(prec)
        if left is None or right is None or not (left.is_Number and right.is_Number):
            return None
        test = _CMP[WHERE_OPS[int(code)]](left, right)
        return (a if test == sp.true else b)._eval_evalf(prec)

    def _eval_rewrite_as_Piecewise(self, code: sp.Expr, lhs: sp.Expr, rhs: sp.Expr, a: sp.Expr,
                                   b: sp.Expr, **kwargs: Any) -> sp.Expr:  # fmt: skip
        return sp.Piecewise((a, _CMP[WHERE_OPS[int(code)]](lhs, rhs)), (b, True))


WHERE_OPS = ("<", ">", "<=", ">=")


@lru_cache(maxsize=256)
def symbol(name: str) -> sp.Symbol:
    """The one Symbol every grading module uses for ``name`` (real-valued)."""
    return sp.Symbol(name, real=True)


def _number(text: str) -> sp.Expr:
    if text.isascii() and text.isdigit():
        return sp.Integer(int(text))
    frac = Fraction(text)
    if frac.denominator == 1:
        return sp.Integer(frac.numerator)
    return sp.Float(text, 15)


def _neg(x: sp.Expr) -> sp.Expr:
    if x.is_Number:
        return -x
    return sp.Mul(sp.S.NegativeOne, x, evaluate=False)


def _flat(cls: type, x: sp.Expr) -> tuple[sp.Expr, ...]:
    return x.args if x.func is cls else (x,)


def _inv(x: sp.Expr) -> sp.Expr:
    return sp.Pow(x, sp.S.NegativeOne, evaluate=False)


def _ue(fn: Callable[..., sp.Expr]) -> Callable[..., sp.Expr]:
    return lambda *args: fn(*args, evaluate=False)


def _log(x: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    if base is None:
        return sp.log(x, evaluate=False)
    return sp.Mul(sp.log(x, evaluate=False), _inv(sp.log(base, evaluate=False)), evaluate=False)


_CUSTOM = {"sigmoid": sigmoid, "normcdf": normcdf, "normpdf": normpdf}
#: Calls that build more than one node (or a node other than their own).
_BUILT: dict[str, Callable[..., sp.Expr]] = {
    "log": _log,
    "sqrt": lambda x: sp.Pow(x, sp.S.Half, evaluate=False),
    "relu": lambda x: sp.Max(sp.S.Zero, x, evaluate=False),
    "softplus": lambda x: sp.log(
        sp.Add(sp.S.One, sp.exp(x, evaluate=False), evaluate=False), evaluate=False
    ),
}


def _builder(name: str, node: str | None) -> Callable[..., sp.Expr]:
    if name in _BUILT:
        return _BUILT[name]
    assert node is not None  # _FUNCS holds only the functions with a node or in _BUILT
    return _ue(_CUSTOM.get(node) or getattr(sp, node))


#: The learner's functions (from ``quizact.functions``) -> their sympy builders; ``where``
#: is built by ``build`` itself.
_FUNCS: dict[str, Callable[..., sp.Expr]] = {
    n: _builder(n, f.node)
    for n, f in LEARNER.items()
    if n != "where" and (f.node or n in _BUILT)
}


def call(name: str, *args: sp.Expr) -> sp.Expr:
    """The unevaluated sympy tree of the learner's ``name(*args)`` (``relu(z)`` -> ``Max(0, z)``)."""
    return _FUNCS[name](*args)


_CMP = {"<": sp.StrictLessThan, ">": sp.StrictGreaterThan, "<=": sp.LessThan, ">=": sp.GreaterThan}


def build(node: Any) -> sp.Expr:
    """Turn a checked ``expr.Node`` tree into an unevaluated sympy expression."""
    k = node.kind
    if k == "num":
        return _number(node.value)
    if k == "sym":
        return symbol(node.value)
    if k == "const":
        return sp.E if node.value == "e" else sp.pi
    if k == "call" and node.value == "where":
        cond, a, b = node.args
        code = sp.Integer(WHERE_OPS.index(cond.value))
        return Where(code, build(cond.args[0]), build(cond.args[1]), build(a), build(b), evaluate=False)
    args = [build(a) for a in node.args]
    if k == "neg":
        return _neg(args[0])
    if k == "add":
        return sp.Add(*_flat(sp.Add, args[0]), args[1], evaluate=False)
    if k == "sub":
        return sp.Add(*_flat(sp.Add, args[0]), _neg(args[1]), evaluate=False)
    if k == "mul":
        return sp.Mul(*_flat(sp.Mul, args[0]), *_flat(sp.Mul, args[1]), evaluate=False)
    if k == "div":
        return sp.Mul(*_flat(sp.Mul, args[0]), _inv(args[1]), evaluate=False)
    if k == "pow":
        if args[0] is sp.E:
            return sp.exp(args[1], evaluate=False)
        return sp.Pow(args[0], args[1], evaluate=False)
    if k == "call":
        return _FUNCS[node.value](*args)
    raise ValueError(f"unknown node kind {k!r}")
