"""Decide exactly whether two polynomial or rational forms are identical.

Both sides are turned into numerator and denominator polynomials over ℚ (sympy's sparse
polynomial rings, no simplification), then cross-multiplied and compared. Forms that are
too large to multiply out are left undecided. Imports sympy at import time: import it
lazily.
"""

from __future__ import annotations

import math
from functools import lru_cache, reduce
from typing import Any

import sympy as sp

#: Largest polynomial degree the exact check expands (bigger forms go to high precision).
MAX_EXACT_DEGREE = 64
#: Most monomials the exact check may have to multiply out (several variables multiply them).
MAX_EXACT_TERMS = 5000


def _degree(e: Any) -> int | None:
    """A bound on the degree of a polynomial or rational form; None when ``e`` is not one."""
    if e.is_Symbol:
        return 1
    if e.is_Number:
        return 0 if e.is_finite else None
    if e.is_Add or e.is_Mul:
        parts = [_degree(a) for a in e.args]
        known = [p for p in parts if p is not None]
        if len(known) < len(parts):
            return None
        return max(known) if e.is_Add else sum(known)
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
