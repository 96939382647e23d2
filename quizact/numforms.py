"""The NumPy forms of the function table (:mod:`quizact.functions`), each written once.

Every entry of the table names its NumPy form here; the numeric evaluator of learner
answers, pack formulas and the network's activations all call these. They take anything
array-like and return float64 arrays (or NumPy scalars), and use the forms that stay
accurate in the tails: ``sigmoid`` and ``softplus`` never compute ``exp`` of a large
positive number, ``normcdf`` is ½·erfc(−z/√2), not ½(1 + erf(z/√2)), which cancels to 0
below z ≈ −8. Imports NumPy: reach it through ``quizact.functions``, never at start-up.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_erf = np.vectorize(math.erf, otypes=[np.float64])
_erfc = np.vectorize(math.erfc, otypes=[np.float64])
_gamma = np.vectorize(math.gamma, otypes=[np.float64])


def _f(x: Any) -> Any:
    return np.asarray(x, dtype=np.float64)


def sigmoid(x: Any) -> Any:
    x = _f(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softplus(x: Any) -> Any:
    x = _f(x)
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def relu(x: Any) -> Any:
    x = _f(x)
    return np.where(x > 0, x, 0.0)


def heaviside(x: Any, at_zero: Any = 0.0) -> Any:
    """H(x): 1 for x > 0, 0 for x < 0 and ``at_zero`` at 0 (pack formulas use 0)."""
    return np.heaviside(_f(x), at_zero)


def sech(x: Any) -> Any:
    with np.errstate(over="ignore"):
        return 1.0 / np.cosh(_f(x))


def erf(x: Any) -> Any:
    return _erf(_f(x))


def normcdf(x: Any) -> Any:
    """Φ(x) = ½·erfc(−x/√2), accurate in both tails."""
    return 0.5 * _erfc(-_f(x) / _SQRT2)


def normpdf(x: Any) -> Any:
    x = _f(x)
    with np.errstate(over="ignore"):
        return np.exp(-x * x / 2) * _INV_SQRT_2PI


def factorial(x: Any) -> Any:
    return _gamma(_f(x) + 1)


def log(x: Any, base: Any = None) -> Any:
    if base is None:
        return np.log(x)
    return np.log(x) / np.log(base)


def _extreme(reduce: Any, pairwise: Any) -> Any:
    def f(*args: Any) -> Any:
        if len(args) == 1:  # max(z): the largest entry of one vector
            return reduce(args[0])
        out = args[0]
        for a in args[1:]:
            out = pairwise(out, a)
        return out

    return f


maximum = _extreme(np.max, np.maximum)
minimum = _extreme(np.min, np.minimum)


def softmax(z: Any, temperature: Any = 1.0) -> Any:
    """e^(z/T) / Σ e^(z/T) over the last axis (each row of a matrix)."""
    s = _f(z) / temperature
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def onehot(k: Any, n: Any, limit: int) -> Any:
    """The length-``n`` vector with 1 at entry ``k`` (0-based); both whole, 0 ≤ k < n ≤ limit."""
    k, n = whole(k, "onehot's index"), whole(n, "onehot's length")
    if not 1 <= n <= limit:
        raise ValueError(f"onehot's length must be from 1 to {limit} (got {n})")
    if not 0 <= k < n:
        raise IndexError(f"onehot index {k} is out of range for length {n}")
    out = np.zeros(n)
    out[k] = 1.0
    return out


def whole(value: Any, what: str) -> int:
    """``value`` as a Python int when it is one whole number, else ``ValueError``."""
    arr = np.asarray(value)
    if arr.ndim != 0 or arr.dtype.kind not in "biuf":
        raise ValueError(f"{what} must be one whole number (got {arr.tolist()!r})")
    v = arr.item()
    if isinstance(v, float) and not (math.isfinite(v) and v.is_integer()):
        raise ValueError(f"{what} must be a whole number (got {v!r})")
    return int(v)


def allclose(a: Any, b: Any, rtol: Any = 1e-3) -> Any:
    """Whether ``a`` has the shape of ``b`` (axes of length one aside) and each entry lies
    within ``rtol`` of ``b``'s (0.1 %, a card's default tolerance, unless given)."""
    a, b = np.squeeze(_f(a)), np.squeeze(_f(b))
    if a.shape != b.shape:
        return np.bool_(False)
    return np.bool_(np.all(np.abs(a - b) <= float(rtol) * np.abs(b)))


def argmax(z: Any) -> int:
    """The (0-based, flat) position of the largest entry; the first one when tied."""
    return int(np.argmax(_f(z)))


exp, sqrt, tanh, sinh, cosh = np.exp, np.sqrt, np.tanh, np.sinh, np.cosh
sin, cos, tan, atan, sign, absolute = np.sin, np.cos, np.tan, np.arctan, np.sign, np.abs
where = np.where
total, mean, product, every, some = np.sum, np.mean, np.prod, np.all, np.any
rounded, norm, det, transpose, outer, dot = np.round, np.linalg.norm, np.linalg.det, np.transpose, np.outer, np.dot
