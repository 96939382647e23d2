"""Evaluate an expression at one point with mpmath, at a chosen number of digits.

Used where float64 cannot decide (see ``errorscale``). A tree is compiled once into
closures over mpmath's functions, which follow the working precision of the call;
decimals are read as the decimals they spell. Imports mpmath and sympy at import time:
import it lazily.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from functools import lru_cache, partial, reduce
from typing import Any, Callable, Sequence

import mpmath
import sympy as sp

from quizact.functions import BY_NODE
from quizact.grading.mathfuncs import WHERE_OPS
from quizact.grading.numeval import Unsupported

#: Most digits a high-precision evaluation may use.
MAX_DIGITS = 400


def _real(x: Any) -> Any:
    """A real mpf, or NaN for a value that is not real."""
    if isinstance(x, mpmath.mpc):
        if x.imag == 0 or abs(x.imag) <= abs(x.real) * mpmath.mpf(10) ** (-mpmath.mp.dps + 5):
            return mpmath.mpf(x.real)
        return mpmath.nan
    return x


#: One-argument sympy nodes -> mpmath forms (at the working precision), from the function table.
_MP_UNARY: dict[str, Callable[[Any], Any]] = {
    node: partial(f.mpmath, mpmath.mp) for node, f in BY_NODE.items()
    if f.arity == (1, 1) and f.mpmath is not None and node != "Heaviside"
}
_MP_UNARY["log"] = mpmath.log
_MP_REL = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge,
           "==": operator.eq, "!=": operator.ne}  # fmt: skip


def hp_value(expr: Any, point: dict[str, str], digits: int) -> Any:
    """``expr`` at ``point`` (decimal strings) with ``digits`` significant digits: an mpf,
    NaN where undefined or not real, ±inf at a pole. Raises ``Unsupported`` for a node
    this evaluator does not know."""
    names = tuple(point)
    fn = compile_hp(expr, names)
    with mpmath.workdps(digits):
        values = [mpmath.mpf(point[n]) for n in names]
        try:
            return _real(fn(values))
        except (ZeroDivisionError, ValueError):
            return mpmath.nan


@lru_cache(maxsize=1024)
def compile_hp(expr: Any, names: tuple[str, ...]) -> Callable[[Sequence[Any]], Any]:
    """``f(values)`` computing ``expr`` with mpmath at the working precision; a subtree
    that occurs several times (``exp(z1)`` in a softmax) is computed once per call."""
    index = _Index({n: i for i, n in enumerate(names)})
    index.repeated = {n for n, k in Counter(sp.preorder_traversal(expr)).items() if k > 1 and n.args}
    return _hpc(expr, index)


class _Index(dict[str, int]):
    """Variable name -> column, plus the compiled repeated subtrees."""

    repeated: set[Any]
    built: dict[Any, Callable[[Sequence[Any]], Any]]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.repeated, self.built = set(), {}


def _once_per_call(fn: Callable[[Sequence[Any]], Any]) -> Callable[[Sequence[Any]], Any]:
    last: list[Any] = [None, None]  # (the values list of the last call, its result)

    def once(values: Sequence[Any]) -> Any:
        if last[0] is not values:
            last[:] = [values, fn(values)]
        return last[1]

    return once


def _hp_const(make: Callable[[], Any]) -> Callable[[Sequence[Any]], Any]:
    """A constant, made once per working precision."""
    made: dict[int, Any] = {}

    def const(values: Sequence[Any]) -> Any:
        prec = mpmath.mp.prec
        if prec not in made:
            made[prec] = make()
        return made[prec]

    return const


def _isnan(x: Any) -> bool:
    return isinstance(x, mpmath.mpf) and mpmath.isnan(x)


def _hpc(e: Any, index: _Index) -> Callable[[Sequence[Any]], Any]:
    if e in index.repeated:
        if e not in index.built:
            index.built[e] = _once_per_call(_hp_node(e, index))
        return index.built[e]
    return _hp_node(e, index)


def _hp_node(e: Any, index: _Index) -> Callable[[Sequence[Any]], Any]:
    if e.is_Symbol:
        if e.name not in index:
            raise Unsupported(e.name)
        i = index[e.name]
        return lambda values: values[i]
    if e.is_Rational:
        p, q = int(e.p), int(e.q)
        return _hp_const(lambda: mpmath.mpf(p) / q)
    if e.is_Float:
        text = str(e)
        return _hp_const(lambda: mpmath.mpf(text))
    if e is sp.pi:
        return _hp_const(lambda: +mpmath.pi)
    if e is sp.E:
        return _hp_const(lambda: +mpmath.e)
    name = type(e).__name__
    if name in ("BooleanTrue", "BooleanFalse"):
        truth = bool(e)
        return lambda values: truth
    if e.is_number and not e.args:
        return _hp_const(lambda: mpmath.mpf(str(sp.N(e, mpmath.mp.dps))))
    if e.is_Piecewise:
        pieces = [(_hpc(p.expr, index), _hpc(p.cond, index)) for p in e.args]

        def piecewise(values: Sequence[Any]) -> Any:
            for value, cond in pieces:
                if cond(values):
                    return value(values)
            return mpmath.nan

        return piecewise
    if name == "Where":
        test = _MP_REL[WHERE_OPS[int(e.args[0])]]
        lhs, rhs, a, b = (_hpc(x, index) for x in e.args[1:])
        return lambda values: (a if test(lhs(values), rhs(values)) else b)(values)
    parts = [_hpc(a, index) for a in e.args]
    if e.is_Add:
        return lambda values: mpmath.fsum([p(values) for p in parts])
    if e.is_Mul:
        return lambda values: reduce(operator.mul, [p(values) for p in parts])
    if e.is_Pow:
        base, ex = parts

        def power(values: Sequence[Any]) -> Any:
            b, x = base(values), ex(values)
            if _isnan(b) or _isnan(x):
                return mpmath.nan
            if b == 0 and x < 0:
                return mpmath.inf
            return _real(mpmath.power(b, x))

        return power
    if name in ("Max", "Min"):
        pick = max if name == "Max" else min

        def extremum(values: Sequence[Any]) -> Any:
            args = [p(values) for p in parts]
            return mpmath.nan if any(_isnan(x) for x in args) else pick(args)

        return extremum
    if name == "Heaviside":
        arg, h0 = parts[0], parts[1] if len(parts) > 1 else _hp_const(lambda: mpmath.mpf(0.5))

        def heaviside(values: Sequence[Any]) -> Any:
            x = arg(values)
            if _isnan(x):
                return mpmath.nan
            return mpmath.mpf(1) if x > 0 else mpmath.mpf(0) if x < 0 else h0(values)

        return heaviside
    if e.is_Relational and e.rel_op in _MP_REL:
        test, (lhs, rhs) = _MP_REL[e.rel_op], parts
        return lambda values: test(lhs(values), rhs(values))
    if name in _MP_UNARY and len(parts) == 1:
        fn, (arg,) = _MP_UNARY[name], parts

        def unary(values: Sequence[Any]) -> Any:
            x = arg(values)
            if _isnan(x):
                return mpmath.nan
            if name == "log" and x == 0:
                return -mpmath.inf
            return _real(fn(x))

        return unary
    raise Unsupported(name)


def digits_for(scale: float, atol: float) -> int:
    """Digits at which the rounding error of a computation of error scale ``scale``
    (about ``10^-digits · scale``) is far below ``atol``, hence below any tolerance; at
    least 30. ``MAX_DIGITS + 1`` when that is more than may be used, half of
    ``MAX_DIGITS`` when the scale is unknown."""
    if not math.isfinite(scale):
        return MAX_DIGITS // 2
    needed = 8 + math.ceil(math.log10(max(scale, 1e-300)) - math.log10(max(atol, 1e-300)))
    return max(30, min(MAX_DIGITS + 1, needed))
