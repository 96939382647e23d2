"""Numeric-first equivalence of two expressions, with a counterexample when they differ.

Both expressions are compiled by walking their trees (``numeval``) and evaluated
at seeded points of the card's domain, rounded to two decimals so a counterexample reads
well. Points where either side is non-finite, or within ``KINK_EPS`` of a kink (a zero of
the argument of Heaviside/Abs/sign, of a difference of Max/Min arguments, or of a
Piecewise/where condition), or where a float64 intermediate overflowed, are skipped, so
forms that differ only at isolated points (H(0), Max vs Piecewise) count as equal and
``e^z/(1+e^z)`` is not punished for overflowing where σ(z) does not. An answer undefined
(NaN) at more than ``MAX_UNDEFINED`` points where the reference is defined is not equal.

float64 alone is fooled by terms that are large and cancel (an expanded polynomial against
its factored form). Each point therefore also gets a bound on its rounding error (from the
error scales of ``errorscale``); where that bound is not far below the tolerance, float64
decides nothing there: polynomial and rational pairs are compared exactly, and otherwise
both sides are evaluated with mpmath at enough digits. A counterexample is reported only
after high precision confirms it, and a careful check that runs out of its time budget
leaves the result undecided, never "not equal". sympy/NumPy are imported lazily.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

DEFAULT_INTERVAL = (-3.0, 3.0)
KINK_EPS = 1e-3
MAX_UNDEFINED = 2
_CACHE = 2048
#: Rounding-error bound = NOISE_FACTOR · ε · (error scales of both sides), see ``errorscale``.
NOISE_FACTOR = 64.0
#: float64 decides a point only where that bound is below tolerance / ILL_RATIO.
ILL_RATIO = 16.0
#: Seconds the exact or high-precision check may take before the result is undecided.
BUDGET = 0.8


@dataclass(frozen=True)
class EqResult:
    """``equal``; a counterexample ``{"point": {...}, "answer": a, "expected": r}`` (plus
    ``answer_text``/``expected_text`` for a value beyond float64's range); how many
    points were compared; a short ``reason``; ``decided`` is False when the check ran out of
    time (which is never "not equal")."""

    equal: bool
    counterexample: dict[str, Any] | None
    n_valid: int
    reason: str
    decided: bool = True


def _unwrap(e: Any) -> Any:
    return getattr(e, "expr", e)


def kink_arguments(expr: Any) -> list[tuple[str, tuple[Any, ...]]]:
    """Where ``expr`` has kinks or jumps: ``("zero", (arg,))`` at zeros of a Heaviside, Abs,
    sign or Piecewise-condition argument; ``("max"|"min", args)`` where the two largest
    (smallest) arguments of a Max (Min) tie."""
    from sympy import Abs, Add, Heaviside, Max, Min, Mul, Piecewise, preorder_traversal, sign
    from sympy.core.relational import Relational

    from quizact.grading.mathfuncs import Where

    out: list[tuple[str, tuple[Any, ...]]] = []
    for node in preorder_traversal(expr):
        if isinstance(node, (Heaviside, Abs, sign)):
            out.append(("zero", (node.args[0],)))
        elif isinstance(node, (Max, Min)):
            out.append(("max" if isinstance(node, Max) else "min", tuple(node.args)))
        elif isinstance(node, Where):
            lhs, rhs = node.args[1], node.args[2]
            out.append(("zero", (Add(lhs, Mul(-1, rhs, evaluate=False), evaluate=False),)))
        elif isinstance(node, Piecewise):
            out += [
                ("zero", (Add(p.cond.lhs, Mul(-1, p.cond.rhs, evaluate=False), evaluate=False),))
                for p in node.args
                if isinstance(p.cond, Relational)
            ]
    return out


@lru_cache(maxsize=_CACHE)
def compile_expr(expr: Any, names: tuple[str, ...]) -> Callable[[Sequence[Any], int], tuple[Any, Any, Any]]:
    """``f(columns, n)`` -> ``(values, near_kink, overflowed)`` for ``n`` points, one NumPy
    column per name."""
    import numpy as np

    from quizact.grading.numeval import Unsupported, compile_tree, run

    kinks = kink_arguments(expr)
    try:
        value = compile_tree(expr, names)
        kink_fns = [(kind, [compile_tree(a, names) for a in args]) for kind, args in kinks]
    except (Unsupported, RecursionError):
        value, kink_fns = None, []

    def evaluate(cols: Sequence[Any], n: int) -> tuple[Any, Any, Any]:
        if value is None:
            return np.full(n, np.nan), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        raw, overflow = run(value, cols, n)
        with np.errstate(all="ignore"):
            vals = _as_real(raw, n)
            near = np.zeros(n, dtype=bool)
            for kind, fns in kink_fns:
                part = np.stack([_as_real(f(cols), n) for f in fns])
                if kind == "zero":
                    near |= np.abs(part[0]) < KINK_EPS
                else:
                    part = np.sort(part, axis=0)
                    gap = part[-1] - part[-2] if kind == "max" else part[1] - part[0]
                    near |= gap < KINK_EPS
        return vals, near, overflow

    return evaluate


def _as_real(v: Any, n: int) -> Any:
    import numpy as np

    arr = np.broadcast_to(np.asarray(v), (n,))
    if np.iscomplexobj(arr):
        real = np.where(np.abs(arr.imag) <= 1e-12 * (1 + np.abs(arr.real)), arr.real, np.nan)
        return real.astype(float)
    try:
        return arr.astype(float)
    except (TypeError, ValueError, OverflowError):
        return np.array([_to_float(x) for x in arr], dtype=float)


def _to_float(x: Any) -> float:
    try:
        c = complex(x)
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return c.real if abs(c.imag) <= 1e-12 * (1 + abs(c.real)) else math.nan


@lru_cache(maxsize=_CACHE)
def _values(expr: Any, names: tuple[str, ...], points_key: tuple[Any, ...]) -> tuple[Any, Any, Any]:
    """(values, near-kink mask, overflow mask) of ``expr`` at the points of ``points_key``;
    both masks mark points float64 skips."""
    import numpy as np

    pts = _points(*points_key)
    n = pts.shape[0]
    try:
        vals, kinks, overflow = compile_expr(expr, names)([pts[:, i] for i in range(len(names))], n)
    except Exception:  # an evaluator failure reads as "undefined everywhere"
        vals, kinks, overflow = np.full(n, np.nan), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for a in (vals, kinks, overflow):
        a.setflags(write=False)
    return vals, kinks, overflow


@lru_cache(maxsize=256)
def _points(names: tuple[str, ...], domain: tuple[tuple[str, tuple[float, float]], ...], seed: int, n: int) -> Any:
    """``n`` seeded points, each coordinate rounded to a readable number of decimals."""
    import numpy as np

    rng = np.random.default_rng(seed)
    bounds = dict(domain)
    cols = []
    for name in names:
        lo, hi = bounds.get(name, DEFAULT_INTERVAL)
        if hi <= lo:
            cols.append(np.full(n, float(lo)))
            continue
        decimals = max(2, 2 - math.floor(math.log10(hi - lo)))
        cols.append(np.clip(np.round(rng.uniform(lo, hi, n), decimals), lo, hi))
    pts = np.column_stack(cols) if cols else np.zeros((n, 0))
    pts.setflags(write=False)
    return pts


def normalize_domain(domain: Mapping[Any, Sequence[float]] | None) -> tuple[tuple[str, tuple[float, float]], ...]:
    """A hashable, sorted ``((name, (lo, hi)), ...)`` from ``{"z": [-4, 4]}``."""
    if not domain:
        return ()
    return tuple(sorted((str(getattr(k, "name", k)), (float(v[0]), float(v[1]))) for k, v in domain.items()))


def equivalent(
    answer: Any,
    reference: Any,
    variables: Sequence[str],
    *,
    domain: Mapping[Any, Sequence[float]] | None = None,
    rng_seed: int = 0,
    n_points: int = 24,
    min_points: int = 8,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    budget: float | None = None,
    confirm: bool = True,
) -> EqResult:
    """Decide whether ``answer`` equals ``reference`` over the domain: numerically in float64
    where its rounding error is far below the tolerance, else exactly or in high precision.

    A counterexample is reported only once high precision confirms it. When the careful
    check cannot finish within ``budget`` seconds (default ``BUDGET``) the result is undecided
    (``decided=False``), never "not equal". With ``confirm=False`` (only the verdict is
    wanted, as when matching known mistakes) a difference that float64 resolves far outside
    its rounding-error bound is not re-checked in high precision.
    """
    import numpy as np

    names = tuple(variables)
    dom = normalize_domain(domain)
    a_expr, r_expr = _unwrap(answer), _unwrap(reference)
    deadline = time.perf_counter() + (BUDGET if budget is None else budget)
    from quizact.grading.careful import Careful

    check = Careful(a_expr, r_expr, names, rtol, atol, deadline)
    batches = [(names, dom, rng_seed, n_points), (names, dom, rng_seed + 1, 4 * n_points)]
    seen_valid = 0
    for key in batches:
        av, ak, ao = _values(a_expr, names, key)
        rv, rk, ro = _values(r_expr, names, key)
        usable = ~(ak | rk | ao | ro) & np.isfinite(rv)
        valid = usable & np.isfinite(av)
        undefined = usable & ~np.isfinite(av)
        pts = _points(*key)
        with np.errstate(all="ignore"):
            diff = np.where(valid, np.abs(av - rv), 0.0)
            tol = atol + rtol * np.maximum(np.abs(av), np.abs(rv))
            noise = _noise(a_expr, r_expr, names, key)
            close = valid & (diff <= tol)
            doubt = valid & ~(noise <= tol / ILL_RATIO)  # ill-conditioned; a NaN scale counts as such
        bad = valid & ~close & ~doubt
        if bad.any():
            i = _simplest(pts, bad)
            if confirm:
                cx = check.confirm(pts[i], av[i], rv[i], noise[i])
            else:
                cx = _counterexample(names, pts[i], av[i], rv[i])
            if isinstance(cx, dict):
                return EqResult(False, cx, int(valid.sum()), "values differ")
            doubt |= bad  # float64 was fooled: it decides nothing here
        if undefined.sum() > MAX_UNDEFINED:
            i = _simplest(pts, undefined)
            cx = check.confirm(pts[i], av[i], rv[i], noise[i])
            if isinstance(cx, dict) and cx["answer"] is None:
                return EqResult(False, cx, int(valid.sum()), "answer undefined where the reference is defined")
            if isinstance(cx, dict):
                return EqResult(False, cx, int(valid.sum()), "values differ")
            doubt |= undefined  # undefined only in float64
        agreed = 0
        if doubt.any():
            verdict, agreed = check.decide(pts, valid, doubt, av, rv, noise)
            if verdict is not None:
                return verdict
        seen_valid += int((valid & ~doubt).sum()) + agreed
        if seen_valid >= min_points:
            if check.exact == "unknown":  # rational forms are decided exactly, not within a tolerance:
                from quizact.grading.exact import exact_difference_is_zero  # p + 1 is not p, however large p

                check.exact = exact_difference_is_zero(a_expr, r_expr, names)
            if check.exact is False:
                cx = _exact_counterexample(a_expr, r_expr, names, pts[valid], atol)
                if cx is not None:
                    return EqResult(False, cx, seen_valid, "values differ (exactly: by more than the absolute "
                                    "tolerance, however large the values)")  # fmt: skip
            how = "exactly" if check.exact is True else f"at {seen_valid} points"
            return EqResult(True, None, seen_valid, f"equal {how}")
    overflowed = (ao | ro) & ~(ak | rk)  # too few points left by float64: decide where it overflowed
    if overflowed.any():
        verdict, agreed = check.decide(pts, valid, overflowed, av, rv, np.full(len(pts), np.nan))
        if verdict is not None:
            return verdict
        if seen_valid + agreed >= min_points:
            return EqResult(True, None, seen_valid + agreed, f"equal at {seen_valid + agreed} points")
    return EqResult(False, None, seen_valid, "too few valid points")


def _noise(a_expr: Any, r_expr: Any, names: tuple[str, ...], key: tuple[Any, ...]) -> Any:
    """A bound on the float64 rounding error of ``answer - reference`` at each point."""
    import numpy as np

    from quizact.grading.errorscale import EPS

    sa, sr = _scales(a_expr, names, key), _scales(r_expr, names, key)
    return NOISE_FACTOR * EPS * (np.abs(sa) + np.abs(sr))


@lru_cache(maxsize=_CACHE)
def _scales(expr: Any, names: tuple[str, ...], points_key: tuple[Any, ...]) -> Any:
    """The float64 error scale of ``expr`` at the points of ``points_key`` (NaN if unknown)."""
    import numpy as np

    from quizact.grading.errorscale import compile_scale

    pts = _points(*points_key)
    n = pts.shape[0]
    try:
        s = np.broadcast_to(np.asarray(compile_scale(expr, names)([pts[:, i] for i in range(len(names))]),
                                       dtype=float), (n,)).copy()  # fmt: skip
    except Exception:  # an evaluator failure reads as "scale unknown": decided carefully
        s = np.full(n, np.nan)
    s.setflags(write=False)
    return s


def _simplest(pts: Any, mask: Any) -> int:
    """Index of the flagged point with the smallest coordinates (easiest to check by hand)."""
    import numpy as np

    idx = np.flatnonzero(mask)
    size = np.abs(pts[idx]).max(axis=1) if pts.shape[1] else np.zeros(len(idx))
    return int(idx[int(np.argmin(size))])


def _exact_counterexample(a_expr: Any, r_expr: Any, names: tuple[str, ...], pts: Any, atol: float,
                          most: int = 24) -> dict[str, Any] | None:
    """For two rational forms known to differ: the first sampled point where their exact
    difference exceeds ``atol`` (worked in rational arithmetic, so no rounding hides it);
    None when it stays within ``atol`` at every point (``z + 1e-12`` is ``z``)."""
    import sympy as sp

    symbols = [sp.Symbol(n, real=True) for n in names]
    exact_a, exact_r = sp.nsimplify(a_expr, rational=True), sp.nsimplify(r_expr, rational=True)  # once, not per point
    for point in pts[:most]:
        values = {s: sp.Rational(float(v)) for s, v in zip(symbols, point)}
        try:
            a, r = exact_a.subs(values), exact_r.subs(values)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not (a.is_Rational and r.is_Rational):
            continue
        if abs(a - r) > sp.Rational(atol):
            return _counterexample(names, point, a, r)
    return None


def _counterexample(names: tuple[str, ...], point: Any, a: Any, r: Any) -> dict[str, Any]:
    return {
        "point": {n: float(v) for n, v in zip(names, point)},
        "answer": None if a is None else float(a),
        "expected": float(r),
    }


def _fmt_pair(a: float, r: float) -> tuple[str, str]:
    for digits in range(3, 13):
        sa, sr = f"{a:.{digits}g}", f"{r:.{digits}g}"
        if sa != sr:
            return sa, sr
    return f"{a:.15g}", f"{r:.15g}"


def format_counterexample(cx: Mapping[str, Any]) -> str:
    """``at z = 1.3 your expression gives 0.211; expected 0.185``."""
    from quizact.grading.render import display_name

    where = ", ".join(f"{display_name(n)} = {v:g}" for n, v in cx["point"].items())
    where = f"at {where} " if where else ""
    if cx.get("answer") is None:
        return f"{where}your expression is undefined; expected {cx['expected']:.4g}"
    a, r = _fmt_pair(cx["answer"], cx["expected"])
    a, r = cx.get("answer_text", a), cx.get("expected_text", r)  # beyond float64's range
    return f"{where}your expression gives {a}; expected {r}"
