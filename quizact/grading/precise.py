"""When float64 cannot be trusted: rounding-error scales, high precision, exact algebra.

``compile_scale`` walks a sympy tree into NumPy closures computing, at every point, the
*error scale* ``S`` of the float64 value: the sum of absolute values of the terms of each
sum, propagated through products, powers and functions (``S(f(x)) = |f(x)| + |f'(x)|·S(x)``).
The rounding error of a float64 evaluation is a small multiple of ``ε·S``; where that is not
far below the comparison's tolerance, the values are ill-conditioned (an expanded
polynomial whose large terms cancel) and float64 cannot decide.

Then ``hp_value`` evaluates the tree at one point with mpmath at a chosen number of digits,
and ``exact_difference_is_zero`` decides polynomial and rational forms exactly with sympy.
Imports NumPy, sympy and mpmath at import time: import it lazily.
"""

from __future__ import annotations

import math
import operator
from functools import lru_cache, reduce
from typing import Any, Callable, Sequence

import mpmath
import numpy as np
import sympy as sp

from quizact.grading.mathfuncs import WHERE_OPS
from quizact.grading.numeval import _UNARY, Unsupported

EPS = float(np.finfo(float).eps)
#: Largest polynomial degree the exact check expands (bigger forms go to high precision).
MAX_EXACT_DEGREE = 64
#: Most monomials the exact check may have to multiply out (several variables multiply them).
MAX_EXACT_TERMS = 5000
#: Most digits a high-precision evaluation may use.
MAX_DIGITS = 400

Fn = Callable[[Sequence[Any]], tuple[Any, Any]]


# ---------------------------------------------------------------- error scales (NumPy)


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
        b = bool(e)
        return lambda cols: (b, 0.0)
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
        from quizact.grading.numeval import _REL

        test = _REL[WHERE_OPS[int(e.args[0])]]
        _, lhs, rhs, a, b = parts

        def where(cols: Sequence[Any]) -> tuple[Any, Any]:
            c = test(lhs(cols)[0], rhs(cols)[0])
            (va, sa), (vb, sb) = a(cols), b(cols)
            return np.where(c, va, vb), np.where(c, sa, sb)

        return where
    if e.is_Relational:
        from quizact.grading.numeval import _REL

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


# ---------------------------------------------------------------- high precision (mpmath)


def _real(x: Any) -> Any:
    """A real mpf, or NaN for a value that is not real."""
    if isinstance(x, mpmath.mpc):
        if x.imag == 0 or abs(x.imag) <= abs(x.real) * mpmath.mpf(10) ** (-mpmath.mp.dps + 5):
            return mpmath.mpf(x.real)
        return mpmath.nan
    return x


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x))


_MP_UNARY: dict[str, Callable[[Any], Any]] = {
    "exp": mpmath.exp, "log": mpmath.log, "tanh": mpmath.tanh, "sinh": mpmath.sinh, "cosh": mpmath.cosh,
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "atan": mpmath.atan, "Abs": mpmath.fabs,
    "sign": mpmath.sign, "sech": mpmath.sech, "erf": mpmath.erf, "sigmoid": _sigmoid,
    "normcdf": mpmath.ncdf, "normpdf": mpmath.npdf, "factorial": mpmath.factorial,
}  # fmt: skip
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
    """``f(values)`` computing ``expr`` with mpmath at the working precision."""
    return _hpc(expr, {n: i for i, n in enumerate(names)})


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


def _hpc(e: Any, index: dict[str, int]) -> Callable[[Sequence[Any]], Any]:
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
        b = bool(e)
        return lambda values: b
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


# ---------------------------------------------------------------- exact (sympy)


def _degree(e: Any) -> int | None:
    """A bound on the degree of a polynomial or rational form; None when ``e`` is not one."""
    if e.is_Symbol:
        return 1
    if e.is_Number:
        return 0 if e.is_finite else None
    if e.is_Add or e.is_Mul:
        parts = [_degree(a) for a in e.args]
        if any(p is None for p in parts):
            return None
        return max(parts) if e.is_Add else sum(parts)  # type: ignore[arg-type]
    if e.is_Pow and e.args[1].is_Integer:
        base = _degree(e.args[0])
        return None if base is None else base * abs(int(e.args[1]))
    return None


def rational_degree(expr: Any) -> int | None:
    """The degree bound of a polynomial or rational form (no functions, integer powers)."""
    try:
        return _degree(expr)
    except RecursionError:
        return None


@lru_cache(maxsize=64)
def _ring(names: tuple[str, ...]) -> Any:
    from sympy.polys.domains import QQ
    from sympy.polys.rings import ring

    return ring(",".join(names), QQ)[0]


def _fraction(e: Any, R: Any, gens: dict[str, Any]) -> tuple[Any, Any]:
    """``e`` as (numerator, denominator) polynomials of the ring ``R`` (not reduced)."""
    from sympy.polys.domains import QQ

    if e.is_Symbol:
        return gens[e.name], R.one
    if e.is_Rational:
        return R(QQ(int(e.p), int(e.q))), R.one
    if e.is_Float:
        r = sp.Rational(str(e))  # a decimal is the fraction it spells
        return R(QQ(int(r.p), int(r.q))), R.one
    parts = [_fraction(a, R, gens) for a in e.args]
    if e.is_Add:

        def add(x: tuple[Any, Any], y: tuple[Any, Any]) -> tuple[Any, Any]:
            if x[1] == y[1]:
                return x[0] + y[0], x[1]
            return x[0] * y[1] + y[0] * x[1], x[1] * y[1]

        return reduce(add, parts)
    if e.is_Mul:
        return reduce(lambda x, y: (x[0] * y[0], x[1] * y[1]), parts)
    (num, den), n = parts[0], int(e.args[1])  # a Pow with an integer exponent (``rational_degree``)
    return (num**n, den**n) if n >= 0 else (den ** (-n), num ** (-n))


def exact_difference_is_zero(answer: Any, reference: Any, names: tuple[str, ...]) -> bool | None:
    """Whether two rational forms in ``names`` are identical, decided exactly over ℚ
    (decimals read as the fractions they spell); None when either is not a small enough
    rational form."""
    da, dr = rational_degree(answer), rational_degree(reference)
    if da is None or dr is None or da + dr > MAX_EXACT_DEGREE:
        return None
    used = len((answer.free_symbols | reference.free_symbols) & {sp.Symbol(n, real=True) for n in names})
    if math.comb(da + dr + used, used) > MAX_EXACT_TERMS:  # how many terms a product may have
        return None
    R = _ring(names or ("_",))
    gens = dict(zip(names, R.gens))
    try:
        (na, ma), (nr, mr) = _fraction(answer, R, gens), _fraction(reference, R, gens)
    except KeyError:
        return None
    if not ma or not mr:  # a division by an identically zero form
        return None
    return bool(na * mr == nr * ma)
