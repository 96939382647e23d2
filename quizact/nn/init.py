"""Weight initialisation from an explicit ``np.random.Generator``.

Schemes (``scale`` defaults in brackets):

- ``he``: N(0, (gain·√(2/n_in))²)  [gain 1]
- ``xavier`` / ``glorot``: U(±gain·√(6/(n_in+n_out)))  [gain 1]
- ``xavier_normal`` / ``glorot_normal``: N(0, (gain·√(2/(n_in+n_out)))²)  [gain 1]
- ``normal``: N(0, σ²) with σ = scale  [0.1]
- ``constant``: every weight = scale  [0.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from quizact.nn._np import Array

INIT_SCHEMES = ("he", "xavier", "glorot", "xavier_normal", "glorot_normal", "normal", "constant")


def init_weight(
    n_out: int, n_in: int, rng: np.random.Generator, scheme: str = "he", scale: float | None = None
) -> Array:
    """One (n_out, n_in) weight matrix."""
    shape = (n_out, n_in)
    if scheme == "he":
        return rng.normal(0.0, (1.0 if scale is None else scale) * math.sqrt(2.0 / n_in), shape)
    if scheme in ("xavier", "glorot"):
        limit = (1.0 if scale is None else scale) * math.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-limit, limit, shape)
    if scheme in ("xavier_normal", "glorot_normal"):
        sd = (1.0 if scale is None else scale) * math.sqrt(2.0 / (n_in + n_out))
        return rng.normal(0.0, sd, shape)
    if scheme == "normal":
        return rng.normal(0.0, 0.1 if scale is None else scale, shape)
    if scheme == "constant":
        return np.full(shape, 0.0 if scale is None else float(scale))
    raise ValueError(f"unknown init scheme {scheme!r} (known: {', '.join(INIT_SCHEMES)})")


def init_params(
    layers: Sequence[int],
    rng: np.random.Generator,
    *,
    scheme: str = "he",
    scale: float | None = None,
    bias: bool = True,
    bias_init: float = 0.0,
) -> tuple[list[Array], list[Array] | None]:
    """Weights for every layer (drawn in layer order) and constant biases (or None)."""
    weights = [
        init_weight(layers[l], layers[l - 1], rng, scheme, scale) for l in range(1, len(layers))
    ]
    biases = [np.full(n, float(bias_init)) for n in layers[1:]] if bias else None
    return weights, biases
