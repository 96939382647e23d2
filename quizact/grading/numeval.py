"""Evaluate a sympy tree on NumPy columns by walking it once into nested closures.

Used instead of ``lambdify`` for learner input: lambdify's printer orders terms with
``evalf``, rewrites Heaviside through ``simplify`` and may expand powers while doing so,
which took minutes on some 60-character answers. Walking the tree runs no printer, no
``exec`` and no symbolic algebra, and compiles in microseconds. Imports NumPy and sympy
at import time: import it lazily.
"""

from __future__ import annotations

import math
import operator
import threading
from functools import reduce
from typing import Any, Callable, Sequence

import numpy as np

from quizact.functions import BY_NODE, numpy_form
from quizact.grading.mathfuncs import WHERE_OPS

Fn = Callable[[Sequence[Any]], Any]


_state = threading.local()


def run(fn: Fn, cols: Sequence[Any], n: int) -> tuple[Any, Any]:
    """``(fn(cols), overflow)``: the mask of points where a finite input overflowed to ±inf."""
    _state.overflow = np.zeros(n, dtype=bool)
    try:
        with np.errstate(all="ignore"):
            return fn(cols), _state.overflow
    finally:
        _state.overflow = None


def _watch(out: Any, *inputs: Any) -> Any:
    """Record points where ``out`` is infinite although every input is finite."""
    mask = getattr(_state, "overflow", None)
    if mask is not None:
        hit = np.isinf(out)
        for x in inputs:
            hit = hit & np.isfinite(x)
        if np.any(hit):
            mask |= np.broadcast_to(hit, mask.shape)
    return out


_OVERFLOWING = frozenset({"exp", "sinh", "cosh"})


class Unsupported(ValueError):
    """The tree holds a node this evaluator does not know."""


#: One-argument sympy nodes -> NumPy forms, from the function table.
_UNARY: dict[str, Callable[[Any], Any]] = {
    node: numpy_form(f.name) for node, f in BY_NODE.items() if f.arity == (1, 1) and node != "Heaviside"
}
_UNARY["log"] = numpy_form("log")  # a learner's log(x, b) is built as log(x)/log(b)
_REL = {"<": np.less, ">": np.greater, "<=": np.less_equal, ">=": np.greater_equal,
        "==": np.equal, "!=": np.not_equal}  # fmt: skip


def _const(value: float) -> Fn:
    return lambda cols: value


def _float(e: Any) -> float:
    try:
        return float(e)
    except OverflowError:
        return math.inf if e.is_extended_positive else -math.inf
    except (TypeError, ValueError):
        return math.nan


def compile_tree(expr: Any, names: Sequence[str]) -> Fn:
    """A function of the columns (one array per name, in order) computing ``expr``."""
    index = {n: i for i, n in enumerate(names)}
    return _compile(expr, index)


def _compile(e: Any, index: dict[str, int]) -> Fn:
    if e.is_Symbol:
        if e.name not in index:
            raise Unsupported(f"unknown symbol {e.name}")
        i = index[e.name]
        return lambda cols: cols[i]
    if e.is_Number or e.is_NumberSymbol or not e.args and e.is_number:
        return _const(_float(e))
    name = type(e).__name__
    if name in ("BooleanTrue", "BooleanFalse"):
        return _const(bool(e))
    if e.is_Piecewise:
        pieces = [(_compile(p.expr, index), _compile(p.cond, index)) for p in e.args]

        def piecewise(cols: Sequence[Any]) -> Any:
            out: Any = np.nan
            for value, cond in reversed(pieces):
                out = np.where(cond(cols), value(cols), out)
            return out

        return piecewise
    parts = [_compile(a, index) for a in e.args]
    if e.is_Add:
        return lambda cols: reduce(operator.add, [p(cols) for p in parts])
    if e.is_Mul:
        return lambda cols: reduce(lambda a, b: _watch(a * b, a, b), [p(cols) for p in parts])
    if e.is_Pow:
        base, ex = parts

        def power(cols: Sequence[Any]) -> Any:
            b, x = np.asarray(base(cols), dtype=float), ex(cols)
            return _watch(np.power(b, x), b, x)

        return power
    if name in _UNARY and len(parts) == 1:
        fn, (arg,) = _UNARY[name], parts
        if name in _OVERFLOWING:

            def watched(cols: Sequence[Any]) -> Any:
                x = np.asarray(arg(cols), dtype=float)
                return _watch(fn(x), x)

            return watched
        return lambda cols: fn(np.asarray(arg(cols), dtype=float))
    if name == "Heaviside":
        h0 = parts[1] if len(parts) > 1 else _const(0.5)
        heaviside = numpy_form("heaviside")
        return lambda cols: heaviside(parts[0](cols), h0(cols))
    if name in ("Max", "Min"):
        if len(parts) == 1:
            return parts[0]
        extreme = numpy_form(BY_NODE[name].name)
        return lambda cols: extreme(*[p(cols) for p in parts])
    if name == "Where":
        test = _REL[WHERE_OPS[int(e.args[0])]]
        _, lhs, rhs, a, b = parts
        return lambda cols: np.where(test(lhs(cols), rhs(cols)), a(cols), b(cols))
    if e.is_Relational and e.rel_op in _REL:
        test, (lhs, rhs) = _REL[e.rel_op], parts
        return lambda cols: test(lhs(cols), rhs(cols))
    raise Unsupported(f"cannot evaluate {name}")
