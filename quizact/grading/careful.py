"""The careful half of equivalence: exact and high-precision decisions for one pair.

``equivalent`` hands over the points where float64's rounding-error bound is not far
below the tolerance (or where float64 claims a difference, to be confirmed). Polynomial and
rational pairs are first compared exactly; otherwise each point is evaluated with mpmath at
a precision whose rounding bound is far below any tolerance, and believed only once two
successive precisions agree. Everything runs against one deadline; past it, or beyond
``MAX_DIGITS``, the answer is undecided, never "not equal".
"""

from __future__ import annotations

import math
import time
from typing import Any, Final, Literal

from quizact.grading.equivalence import NOISE_FACTOR, EqResult, _counterexample

UNSURE: Final = "unsure"
#: Most ill-conditioned points of one batch decided in high precision.
MAX_PRECISE_POINTS = 16


class Careful:
    """The exact and high-precision decisions for one pair, within one time budget."""

    def __init__(self, answer: Any, reference: Any, names: tuple[str, ...], rtol: float, atol: float,
                 deadline: float) -> None:  # fmt: skip
        self.answer, self.reference, self.names = answer, reference, names
        self.rtol, self.atol, self.deadline = rtol, atol, deadline
        self.exact: bool | None | str = "unknown"

    def confirm(self, point: Any, a: float, r: float, noise: float) -> dict[str, Any] | None | Literal["unsure"]:
        """A counterexample at ``point`` if high precision confirms that the values differ
        beyond the tolerance, None if it confirms they agree, ``UNSURE`` if no precision up
        to ``MAX_DIGITS`` settles them. Values are trusted at a precision whose rounding
        bound (from the error scale) is far below any tolerance, and only once two
        successive precisions (float64 counting as the first) agree far inside it."""
        import mpmath

        from quizact.grading.errorscale import EPS
        from quizact.grading.hpeval import MAX_DIGITS, digits_for, hp_value
        from quizact.grading.numeval import Unsupported

        coords = {n: repr(float(v)) for n, v in zip(self.names, point)}
        scale = float(noise) / (NOISE_FACTOR * EPS) if math.isfinite(noise) else math.inf
        digits = digits_for(scale, self.atol)  # the error there is far below any tolerance
        before, special = (mpmath.mpf(a), mpmath.mpf(r)), False  # float64 is the first, lowest precision
        while digits <= MAX_DIGITS:
            try:
                now = hp_value(self.answer, coords, digits), hp_value(self.reference, coords, digits)
            except (Unsupported, RecursionError):
                return UNSURE
            verdict = self._settled(point, before, now, digits, special)
            if verdict is not UNSURE:
                return verdict
            if digits == MAX_DIGITS:
                break
            before, digits, special = now, min(2 * digits, MAX_DIGITS), True
        return UNSURE

    def _settled(self, point: Any, before: tuple[Any, Any], now: tuple[Any, Any], digits: int,
                 special: bool) -> dict[str, Any] | None | Literal["unsure"]:  # fmt: skip
        """The verdict of two successive precisions, or ``UNSURE``. An undefined value is
        believed only when two high precisions (``special``) agree on it."""
        import mpmath

        (a1, r1), (a2, r2) = before, now
        with mpmath.workdps(digits):
            if special and _same_special(r1, r2) and not mpmath.isfinite(r2):
                return None  # the reference gives no value to compare against here
            if not (mpmath.isfinite(r1) and mpmath.isfinite(r2)):
                return UNSURE
            tol = self.atol + self.rtol * abs(r2)
            if abs(r1 - r2) > tol / 100:
                return UNSURE
            if special and _same_special(a1, a2) and not mpmath.isfinite(a2):
                return _counterexample(self.names, point, None, float(r2))
            if not (mpmath.isfinite(a1) and mpmath.isfinite(a2)):
                return UNSURE
            tol = self.atol + self.rtol * max(abs(a2), abs(r2))
            if abs(a1 - a2) + abs(r1 - r2) > tol / 100:
                return UNSURE
            return _hp_counterexample(self.names, point, a2, r2) if abs(a2 - r2) > tol else None

    def decide(self, pts: Any, valid: Any, doubt: Any, av: Any, rv: Any, noise: Any) -> tuple[EqResult | None, int]:
        """Decide the doubtful points (at most ``MAX_PRECISE_POINTS``, in sampling order):
        a verdict, or None when they all agree; and how many were found to agree."""
        import numpy as np

        if self.exact == "unknown":
            from quizact.grading.exact import exact_difference_is_zero

            self.exact = exact_difference_is_zero(self.answer, self.reference, self.names)
        if self.exact is True:
            return None, int(doubt.sum())
        order = np.flatnonzero(doubt)[:MAX_PRECISE_POINTS]
        size = np.abs(pts[order]).max(axis=1) if pts.shape[1] else np.zeros(len(order))
        agreed = 0
        for i in order[np.argsort(size, kind="stable")]:
            if time.perf_counter() > self.deadline:
                return EqResult(False, None, int(valid.sum()), "out of time: its terms cancel too much to "
                                "compare in ordinary precision", decided=False), agreed  # fmt: skip
            cx = self.confirm(pts[i], av[i], rv[i], noise[i])
            if cx == UNSURE:
                return EqResult(False, None, int(valid.sum()), "its terms cancel beyond the precision this "
                                "check may use", decided=False), agreed  # fmt: skip
            if cx is not None:
                return EqResult(False, cx, int(valid.sum()), "values differ"), agreed
            agreed += 1
        return None, agreed


def _hp_counterexample(names: tuple[str, ...], point: Any, a: Any, r: Any) -> dict[str, Any]:
    """A counterexample of two high-precision values; one beyond float64's range is also
    given as text (``answer_text``/``expected_text``), e.g. ``1.55e+43429448``."""
    import mpmath

    cx = _counterexample(names, point, float(a), float(r))
    for key, value in (("answer", a), ("expected", r)):
        if not math.isfinite(cx[key]):
            cx[f"{key}_text"] = mpmath.nstr(value, 4)
    return cx


def _same_special(x: Any, y: Any) -> bool:
    """Both NaN, or the same infinity, or both finite."""
    import mpmath

    if mpmath.isnan(x) or mpmath.isnan(y):
        return bool(mpmath.isnan(x) and mpmath.isnan(y))
    return bool(mpmath.isinf(x) == mpmath.isinf(y) and (mpmath.isfinite(x) or x == y))
