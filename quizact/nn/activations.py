"""Activation functions with their derivatives: float64, numerically stable forms.

The values of sigmoid, tanh, ReLU, softplus and softmax are the NumPy forms of the
function table (``quizact/functions.py``, written in ``quizact/numforms.py``).

Conventions at kinks: the left branch is taken at ``z == 0`` — ReLU′(0) = 0,
LeakyReLU′(0) = alpha, ELU′(0) = alpha.  ``softmax`` works on the last axis; its
derivative is the Jacobian ``(diag(p) − p pᵀ) / T``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from quizact.functions import numpy_form
from quizact.nn._np import Array, f64, quiet_underflow

# The functions of the table (quizact/functions.py) that are also activations, in their
# NumPy forms; the derivatives and the activations that are not functions of answers follow.


def _form(name: str) -> Callable[..., Array]:
    return numpy_form(name)


sigmoid, tanh, relu, softplus, softmax = (
    _form(n) for n in ("sigmoid", "tanh", "relu", "softplus", "softmax")
)
normcdf, normpdf = _form("Phi"), _form("phi")

_GELU_C = math.sqrt(2.0 / math.pi)
_GELU_K = 0.044715


# --- element-wise functions ----------------------------------------------------------


def d_sigmoid(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def identity(z: Array) -> Array:
    return z.copy()


def d_identity(z: Array) -> Array:
    return np.ones_like(z)


def d_relu(z: Array) -> Array:
    return np.where(z > 0, 1.0, 0.0)


def leaky_relu(z: Array, alpha: float = 0.01) -> Array:
    return np.where(z > 0, z, alpha * z)


def d_leaky_relu(z: Array, alpha: float = 0.01) -> Array:
    return np.where(z > 0, 1.0, alpha)


def elu(z: Array, alpha: float = 1.0) -> Array:
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def d_elu(z: Array, alpha: float = 1.0) -> Array:
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def gelu(z: Array) -> Array:
    return z * normcdf(z)


def d_gelu(z: Array) -> Array:
    zc = np.clip(z, -1e4, 1e4)  # φ(z) is 0 in float long before; keeps z² finite
    return normcdf(z) + z * normpdf(zc)


def _gelu_u(z: Array) -> Array:
    zc = np.clip(z, -1e4, 1e4)  # tanh is saturated long before; keeps z³ finite
    return _GELU_C * (zc + _GELU_K * zc**3)


def gelu_tanh(z: Array) -> Array:
    # ½z(1 + tanh u) = z·σ(2u): no cancellation in the negative tail
    return z * sigmoid(2.0 * _gelu_u(z))


def d_gelu_tanh(z: Array) -> Array:
    u = _gelu_u(z)
    zc = np.clip(z, -1e4, 1e4)
    du = _GELU_C * (1.0 + 3.0 * _GELU_K * zc * zc)
    return sigmoid(2.0 * u) + 2.0 * z * d_sigmoid(2.0 * u) * du


def swish(z: Array, beta: float = 1.0) -> Array:
    return z * sigmoid(beta * z)


def d_swish(z: Array, beta: float = 1.0) -> Array:
    return sigmoid(beta * z) + beta * z * d_sigmoid(beta * z)


def d_tanh(z: Array) -> Array:
    # sech²(z) = 4e/(1+e)² with e = exp(−2|z|): no overflow, no cancellation
    e = np.exp(-2.0 * np.abs(z))
    return 4.0 * e / (1.0 + e) ** 2


# --- softmax (vector-valued, last axis) -----------------------------------------------


def softmax_jacobian(z: Array, temperature: float = 1.0) -> Array:
    """(diag(p) − p pᵀ)/T; shape (..., K, K)."""
    p = softmax(z, temperature)
    eye = np.eye(p.shape[-1])
    return (p[..., :, None] * eye - p[..., :, None] * p[..., None, :]) / temperature


def softmax_vjp(z: Array, g: Array, temperature: float = 1.0) -> Array:
    """gᵀJ for each row: p ⊙ (g − ⟨g, p⟩) / T."""
    p = softmax(z, temperature)
    return p * (g - (g * p).sum(axis=-1, keepdims=True)) / temperature


# --- the Activation object and registry -----------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation: value ``f(z)`` and derivative.

    Element-wise ones have ``derivative(z) = f′(z)`` (same shape as z); softmax has
    ``elementwise = False`` and ``derivative(z)`` returns its Jacobian (..., K, K).
    ``vjp(z, g)`` back-propagates an upstream gradient g = dL/da to dL/dz.
    """

    name: str
    fn: Callable[[Array], Array]
    dfn: Callable[[Array], Array] | None
    options: tuple[tuple[str, float], ...] = ()

    @property
    def elementwise(self) -> bool:
        return self.dfn is not None

    def __call__(self, z: object) -> Array:
        with quiet_underflow():
            return self.fn(f64(z))

    def derivative(self, z: object) -> Array:
        with quiet_underflow():
            if self.dfn is None:
                return softmax_jacobian(f64(z), **dict(self.options))
            return self.dfn(f64(z))

    def jacobian(self, z: object) -> Array:
        """The full Jacobian da/dz over the last axis, shape (..., K, K)."""
        z = f64(z)
        if self.dfn is None:
            return self.derivative(z)
        d = self.derivative(z)
        return d[..., :, None] * np.eye(z.shape[-1])

    def vjp(self, z: object, g: object) -> Array:
        with quiet_underflow():
            return self.backward(f64(z), f64(g))

    def backward(self, z: Array, g: Array) -> Array:
        """vjp without argument conversion or error-state handling (for the MLP's pass)."""
        if self.dfn is None:
            return softmax_vjp(z, g, **dict(self.options))
        return g * self.dfn(z)


def _make(name: str, fn: Callable[..., Array], dfn: Callable[..., Array] | None, **options: float) -> Activation:
    if options:
        fn = partial(fn, **options)
        dfn = partial(dfn, **options) if dfn is not None else None
    return Activation(name, fn, dfn, tuple(sorted(options.items())))


_BUILDERS: dict[str, Callable[..., Activation]] = {
    "identity": lambda: _make("identity", identity, d_identity),
    "relu": lambda: _make("relu", relu, d_relu),
    "leaky_relu": lambda alpha=0.01: _make("leaky_relu", leaky_relu, d_leaky_relu, alpha=alpha),
    "elu": lambda alpha=1.0: _make("elu", elu, d_elu, alpha=alpha),
    "gelu": lambda: _make("gelu", gelu, d_gelu),
    "gelu_tanh": lambda: _make("gelu_tanh", gelu_tanh, d_gelu_tanh),
    "swish": lambda beta=1.0: _make("swish", swish, d_swish, beta=beta),
    "softplus": lambda: _make("softplus", softplus, sigmoid),
    "sigmoid": lambda: _make("sigmoid", sigmoid, d_sigmoid),
    "tanh": lambda: _make("tanh", tanh, d_tanh),
    "softmax": lambda temperature=1.0: _make("softmax", softmax, None, temperature=temperature),
}
ALIASES: dict[str, str] = {"linear": "identity", "silu": "swish"}
#: Which keyword options each activation takes.
OPTIONS: dict[str, tuple[str, ...]] = {
    "leaky_relu": ("alpha",),
    "elu": ("alpha",),
    "swish": ("beta",),
    "softmax": ("temperature",),
}

#: Every activation by name (aliases included), with default options.
ACTIVATIONS: dict[str, Activation] = {n: b() for n, b in _BUILDERS.items()}
ACTIVATIONS.update({alias: ACTIVATIONS[target] for alias, target in ALIASES.items()})


def canonical_activation(name: str) -> str:
    """The registry name behind an alias; ``ValueError`` with a suggestion if unknown."""
    if name in ALIASES:
        return ALIASES[name]
    if name in _BUILDERS:
        return name
    close = difflib.get_close_matches(name, list(ACTIVATIONS), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"unknown activation {name!r}{hint} (known: {', '.join(ACTIVATIONS)})")


def get_activation(
    name: str,
    *,
    alpha: float | None = None,
    temperature: float | None = None,
    beta: float | None = None,
) -> Activation:
    """The activation ``name``; options that it does not take are ignored.

    >>> get_activation("leaky_relu", alpha=0.1)(-1.0)
    array(-0.1)
    """
    key = canonical_activation(name)
    given = {"alpha": alpha, "temperature": temperature, "beta": beta}
    options = {k: float(v) for k in OPTIONS.get(key, ()) if (v := given[k]) is not None}
    if "temperature" in options and options["temperature"] <= 0:
        raise ValueError("softmax temperature must be > 0")
    return _BUILDERS[key](**options) if options else ACTIVATIONS[key]
