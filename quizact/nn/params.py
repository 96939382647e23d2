"""A card variant's parameters (``x, y, W1, b1, …, lr``) as arrays of the right shape.

Scalars are accepted for 1-unit layers (``x: 2`` with layers [1, 1, 1] is ``[[2]]``),
a 1-D ``x`` of length n0 is one example, a 2-D ``x`` is a batch (rows are examples),
and with n0 = 1 a 1-D ``x`` of another length is a batch of 1-feature examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from quizact.nn._np import Array, f64
from quizact.nn.names import QuantityError
from quizact.nn.spec import NetworkSpec


class MissingParameter(QuantityError):
    """A quantity needs a parameter the variant does not give."""


@dataclass(frozen=True)
class Inputs:
    """Parameters in the network's internal shapes; ``single`` = x was one example."""

    x: Array | None
    y: Array | None
    weights: list[Array] | None
    biases: list[Array] | None
    lr: float | None
    single: bool


def coerce_params(spec: NetworkSpec, params: Mapping[str, object]) -> Inputs:
    """Shape-check and convert ``params``; unrelated keys are ignored."""
    n = spec.layers
    x, single = (None, True) if "x" not in params else _example(params["x"], n[0], "x")
    y = None
    if "y" in params:
        y, y_single = _target(spec, params["y"])
        if x is not None and y.shape[0] != x.shape[0]:
            raise QuantityError(f"y has {y.shape[0]} example(s) but x has {x.shape[0]}")
        if x is None:
            single = y_single
    weights = _layer_params(spec, params, "W")
    biases = _layer_params(spec, params, "b") if spec.bias else None
    if not spec.bias and any(f"b{l}" in params for l in range(1, spec.depth + 1)):
        raise QuantityError("biases given but the network has bias: false")
    if weights is not None and spec.bias and biases is None:
        raise MissingParameter("the network has bias: true: give b1, b2, … or set bias: false")
    lr = None if params.get("lr") is None else float(params["lr"])  # type: ignore[arg-type]
    return Inputs(x, y, weights, biases, lr, single)


def _example(value: object, n: int, name: str) -> tuple[Array, bool]:
    arr = f64(value)
    if arr.ndim == 0 and n == 1:
        return arr.reshape(1, 1), True
    if arr.ndim == 1 and arr.size == n:
        return arr.reshape(1, n), True
    if arr.ndim == 1 and n == 1:
        return arr.reshape(-1, 1), False
    if arr.ndim == 2 and arr.shape[1] == n:
        return arr, False
    raise QuantityError(
        f"{name} must be {n} number(s) for one example, or a batch of shape (examples, {n}); "
        f"got shape {arr.shape}"
    )


def _target(spec: NetworkSpec, value: object) -> tuple[Array, bool]:
    n_out = spec.layers[-1]
    arr = f64(value)
    if arr.ndim == 0 and n_out > 1 and spec.loss == "softmax_cross_entropy":
        k = int(arr)
        if k != arr or not 0 <= k < n_out:
            raise QuantityError(f"y as a class index must be an integer in 0..{n_out - 1}")
        return np.eye(n_out)[k].reshape(1, n_out), True
    return _example(arr, n_out, "y")


def _layer_params(spec: NetworkSpec, params: Mapping[str, object], kind: str) -> list[Array] | None:
    keys = [f"{kind}{l}" for l in range(1, spec.depth + 1)]
    present = [k for k in keys if k in params]
    if not present:
        return None
    missing = [k for k in keys if k not in params]
    if missing:
        raise MissingParameter(f"{', '.join(missing)} missing (given: {', '.join(present)})")
    n = spec.layers
    out = []
    for l, key in enumerate(keys, start=1):
        arr = f64(params[key])
        shape = (n[l], n[l - 1]) if kind == "W" else (n[l],)
        if arr.shape != shape:
            flat_ok = arr.ndim <= 1 and (len(shape) == 1 or 1 in shape)
            if flat_ok and arr.size == int(np.prod(shape)):
                arr = arr.reshape(shape)
            else:
                raise QuantityError(_shape_message(key, shape, arr.shape))
        out.append(arr)
    return out


def _shape_message(key: str, shape: tuple[int, ...], got: tuple[int, ...]) -> str:
    if len(shape) == 2:
        return (
            f"{key} must have shape {shape} (n_out, n_in): row i holds the weights into "
            f"unit i; got {got}"
        )
    return f"{key} must have {shape[0]} value(s), got shape {got}"
