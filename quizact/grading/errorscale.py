"""The float64 rounding-error scale of an expression, point by point.

``compile_scale`` walks a sympy tree into NumPy closures computing, at every point, the
*error scale* ``S`` of the float64 value: the sum of absolute values of the terms of each
sum, propagated through products, powers and functions (``S(f(x)) = |f(x)| + |f'(x)|·S(x)``,
the slope taken by a central difference). The rounding error of a float64 evaluation is a
small multiple of ``ε·S``; where that is not far below a comparison's tolerance, the values
are ill-conditioned (an expanded polynomial whose large terms cancel) and float64 cannot
decide. Imports NumPy and sympy at import time: import it lazily.
"""

from __future__ import annotations

import math
import operator
from functools import lru_cache, reduce
from typing import Any, Callable, Sequence

import numpy as np
import sympy as sp

from quizact.grading.mathfuncs import WHERE_OPS
from quizact.grading.numeval import _REL, _UNARY, Unsupported

EPS = float(np.finfo(float).eps)

Fn = Callable[[Sequence[Any]], tuple[Any, Any]]


@lru_cache(maxsize=1024)
def compile_scale(expr: Any, names: tuple[str, ...]) -> Callable[[Sequence[Any]], Any]:
    """``f(columns)`` -> the float64 error scale of ``expr`` at every point (NaN where unknown)."""
    index = {n: i for i, n in enumerate(names)}
    try:
        fn = _scale(expr, index)
    except (Unsupported, RecursionError):
        return lambda cols: np.nan

    def run(cols: Sequence[Any]) -> Any:
        with np.errstate(all="ignore"):
            return fn(cols)[1]

    return run


def _arr(x: Any) -> Any:
    return np.asarray(x, dtype=float)


def _scale(e: Any, index: dict[str, int]) -> Fn:
    """A closure returning ``(value, scale)`` for the node ``e``."""
    if e.is_Symbol:
        if e.name not in index:
            raise Unsupported(e.name)
        i = index[e.name]
        return lambda cols: (cols[i], np.abs(cols[i]))
    if e.is_Number or e.is_NumberSymbol or not e.args and e.is_number:
        v = float(e) if e.is_finite is not False else math.nan
        return lambda cols: (v, abs(v))
    name = type(e).__name__
    if name in ("BooleanTrue", "BooleanFalse"):
        truth = bool(e)
        return lambda cols: (truth, 0.0)
    if e.is_Piecewise:
        pieces = [(_scale(p.expr, index), _scale(p.cond, index)) for p in e.args]

        def piecewise(cols: Sequence[Any]) -> tuple[Any, Any]:
            v: Any = np.nan
            s: Any = np.nan
            for value, cond in reversed(pieces):
                c = cond(cols)[0]
                pv, ps = value(cols)
                v, s = np.where(c, pv, v), np.where(c, ps, s)
            return v, s

        return piecewise
    parts = [_scale(a, index) for a in e.args]
    if e.is_Add:

        def add(cols: Sequence[Any]) -> tuple[Any, Any]:
            vs = [p(cols) for p in parts]
            v = reduce(operator.add, [x for x, _ in vs])
            return v, reduce(operator.add, [s for _, s in vs]) + np.abs(v)

        return add
    if e.is_Mul:

        def mul(cols: Sequence[Any]) -> tuple[Any, Any]:
            vs = [p(cols) for p in parts]
            v = reduce(operator.mul, [x for x, _ in vs])
            return v, reduce(operator.mul, [s for _, s in vs])

        return mul
    if e.is_Pow:
        (base, ex), const = parts, e.args[1].is_number

        def power(cols: Sequence[Any]) -> tuple[Any, Any]:
            (b, sb), (x, sx) = base(cols), ex(cols)
            b, x = _arr(b), _arr(x)
            v = np.power(b, x)
            av, ab = np.abs(v), np.abs(b)
            if const:  # d(b^c)/db = c·b^(c-1)
                scale = av + np.abs(x) * np.power(ab, x - 1) * sb
            else:
                scale = av + av * (np.abs(np.log(ab)) * sx + np.abs(x) * sb / ab)
            return v, np.where(np.isfinite(scale), scale, sb + sx)  # singular in float64: its inputs' scale

        return power
    if name in ("Max", "Min"):
        op = np.maximum if name == "Max" else np.minimum

        def extremum(cols: Sequence[Any]) -> tuple[Any, Any]:
            vs = [p(cols) for p in parts]
            return reduce(op, [x for x, _ in vs]), reduce(np.maximum, [s for _, s in vs])

        return extremum
    if name == "Where":
        test = _REL[WHERE_OPS[int(e.args[0])]]
        _, lhs, rhs, a, b = parts

        def where(cols: Sequence[Any]) -> tuple[Any, Any]:
            c = test(lhs(cols)[0], rhs(cols)[0])
            (va, sa), (vb, sb) = a(cols), b(cols)
            return np.where(c, va, vb), np.where(c, sa, sb)

        return where
    if e.is_Relational:
        test, (lhs, rhs) = _REL[e.rel_op], parts
        return lambda cols: (test(lhs(cols)[0], rhs(cols)[0]), 0.0)
    if name == "Heaviside":
        h0 = e.args[1] if len(e.args) > 1 else sp.S.Half
        h = float(h0)
        return lambda cols: (np.heaviside(_arr(parts[0](cols)[0]), h), 1.0)
    if name in _UNARY and len(parts) == 1:
        fn, (arg,) = _UNARY[name], parts

        def unary(cols: Sequence[Any]) -> tuple[Any, Any]:
            x, sx = arg(cols)
            x = _arr(x)
            v = fn(x)
            h = 1e-6 * (1 + np.abs(x))  # |f'(x)| by a central difference
            slope = np.abs(fn(x + h) - fn(x - h)) / (2 * h)
            scale = np.abs(v) + slope * sx
            return v, np.where(np.isfinite(scale), scale, sx)  # singular in float64: its input's scale

        return unary
    raise Unsupported(name)
