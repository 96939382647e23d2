"""Losses with their gradients.

Shapes: ``output`` and ``y`` are (batch, units); a 1-D pair is one example.  Each loss
first reduces over the output units of one example (``unit_reduction``: sum, or mean for
``mse``), then ``value`` is the **mean over examples**, and ``grad`` is the gradient of
that mean, dL/d(output) (so it carries a 1/batch factor).

``bce`` takes probabilities (clipped to [1e-12, 1 − 1e-12]); ``bce_logits`` and
``softmax_cross_entropy`` take logits and are computed stably (log1p / log-sum-exp).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from quizact.nn._np import Array, f64, quiet_underflow
from quizact.nn.activations import sigmoid, softmax, softplus

PROB_EPS = 1e-12


def logsumexp(z: Array) -> Array:
    """log Σ exp(z) over the last axis, with the maximum subtracted first."""
    m = z.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))[..., 0]


def _clip_p(p: Array) -> Array:
    return np.clip(p, PROB_EPS, 1.0 - PROB_EPS)


# Each pair: Σ over units of the per-unit term, and its derivative w.r.t. the output.
def _sq(a: Array, y: Array) -> Array:
    return ((a - y) ** 2).sum(axis=-1)


def _d_sq(a: Array, y: Array) -> Array:
    return 2.0 * (a - y)


def _half_sq(a: Array, y: Array) -> Array:
    return 0.5 * ((a - y) ** 2).sum(axis=-1)


def _d_half_sq(a: Array, y: Array) -> Array:
    return a - y


def _bce(p: Array, y: Array) -> Array:
    p = _clip_p(p)
    return -(y * np.log(p) + (1.0 - y) * np.log1p(-p)).sum(axis=-1)


def _d_bce(p: Array, y: Array) -> Array:
    p = _clip_p(p)
    return (p - y) / (p * (1.0 - p))


def _bce_logits(z: Array, y: Array) -> Array:
    return (softplus(z) - z * y).sum(axis=-1)  # ln(1 + e^z) − z·y, stably


def _d_bce_logits(z: Array, y: Array) -> Array:
    return sigmoid(z) - y


def _sce(z: Array, y: Array) -> Array:
    return logsumexp(z) * y.sum(axis=-1) - (y * z).sum(axis=-1)


def _d_sce(z: Array, y: Array) -> Array:
    return softmax(z) * y.sum(axis=-1, keepdims=True) - y


@dataclass(frozen=True)
class Loss:
    """A loss: per-example value (reduced over units) and its gradient."""

    name: str
    unit_sum: Callable[[Array, Array], Array]
    unit_sum_grad: Callable[[Array, Array], Array]
    unit_reduction: Literal["sum", "mean"] = "sum"
    input: Literal["values", "probabilities", "logits"] = "values"
    factor_two: bool = False  # d/da of (a − y)² brings down a 2

    def per_example(self, output: Array, y: Array) -> Array:
        """The loss of each example, shape (batch,)."""
        with quiet_underflow():
            return self.raw_per_example(*_pair(output, y))

    def example_grad(self, output: Array, y: Array) -> Array:
        """d(per_example)/d(output), shape (batch, units) — no 1/batch factor."""
        with quiet_underflow():
            return self.raw_example_grad(*_pair(output, y))

    def raw_per_example(self, out: Array, y: Array) -> Array:
        """``per_example`` for float64 (batch, units) arrays, without error-state handling."""
        total = self.unit_sum(out, y)
        return total / out.shape[-1] if self.unit_reduction == "mean" else total

    def raw_example_grad(self, out: Array, y: Array) -> Array:
        g = self.unit_sum_grad(out, y)
        return g / out.shape[-1] if self.unit_reduction == "mean" else g

    def value(self, output: object, y: object) -> float:
        """Mean over examples of the per-example loss."""
        return float(self.per_example(f64(output), f64(y)).mean())

    def grad(self, output: object, y: object) -> Array:
        """dL/d(output) of :meth:`value`; same shape as ``output``."""
        out = f64(output)
        batch = 1 if out.ndim < 2 else out.shape[0]
        return (self.example_grad(out, f64(y)) / batch).reshape(out.shape)


def _pair(output: Array, y: Array) -> tuple[Array, Array]:
    out = np.atleast_2d(f64(output))
    y = np.atleast_2d(f64(y))
    return out, (y if y.shape == out.shape else np.broadcast_to(y, out.shape))


LOSSES: dict[str, Loss] = {
    "squared_error": Loss("squared_error", _sq, _d_sq, factor_two=True),
    "half_squared_error": Loss("half_squared_error", _half_sq, _d_half_sq),
    "mse": Loss("mse", _sq, _d_sq, unit_reduction="mean", factor_two=True),
    "bce": Loss("bce", _bce, _d_bce, input="probabilities"),
    "bce_logits": Loss("bce_logits", _bce_logits, _d_bce_logits, input="logits"),
    "softmax_cross_entropy": Loss("softmax_cross_entropy", _sce, _d_sce, input="logits"),
}


def get_loss(name: str) -> Loss:
    """The loss ``name``; ``ValueError`` with a suggestion if unknown."""
    if name in LOSSES:
        return LOSSES[name]
    close = difflib.get_close_matches(name, list(LOSSES), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"unknown loss {name!r}{hint} (known: {', '.join(LOSSES)})")
