"""Full-batch SGD training with a loss curve, gradient norms and dead-unit detection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np

from quizact.nn._np import Array, f64
from quizact.nn.mlp import CORRECT, MLP, Rules, forward, run, updated_parameters

if TYPE_CHECKING:
    import numpy.typing as npt


@dataclass(frozen=True)
class TrainResult:
    """What a training run leaves behind.

    ``loss_curve[k]`` is the loss after k steps (``loss_curve[0]`` at the initial weights;
    length steps + 1).  ``layer_grad_norms[k, l−1]`` is ‖(dL/dW_l, dL/db_l)‖ at step k+1
    and ``grad_norms[k]`` the global norm, both before clipping.
    """

    weights: list[Array]
    biases: list[Array] | None
    loss_curve: Array
    layer_grad_norms: Array
    grad_norms: Array


def train(
    net: MLP,
    weights: Sequence[Array],
    biases: Sequence[Array] | None,
    X: Array,
    Y: Array,
    *,
    steps: int,
    lr: float,
    clip: float | None = None,
    rules: Rules = CORRECT,
) -> TrainResult:
    """``steps`` full-batch SGD steps from the given parameters (which are not modified)."""
    ws = [f64(w) for w in weights]
    bs = [f64(b) for b in biases] if biases is not None else None
    losses = np.empty(steps + 1)
    layer_norms = np.empty((steps, net.depth))
    for k in range(steps):
        t = run(net, ws, bs, X, Y, lr, clip=clip, rules=rules)
        losses[k] = t["loss"]
        layer_norms[k] = [t[f"grad_norm.{l}"] for l in range(1, net.depth + 1)]
        ws, bs = updated_parameters(net, t)
    losses[steps] = forward(net, ws, bs, X, Y)["loss"]
    grad_norms = np.sqrt((layer_norms**2).sum(axis=1))
    return TrainResult(ws, bs, losses, layer_norms, grad_norms)


def steps_to_target(loss_curve: Array, target: float) -> int:
    """The first k with ``loss_curve[k] <= target`` (0 = already there), or −1."""
    hits = np.flatnonzero(np.asarray(loss_curve) <= target)
    return int(hits[0]) if hits.size else -1


def dead_units(
    net: MLP, weights: Sequence[Array], biases: Sequence[Array] | None, X: Array
) -> list[npt.NDArray[np.bool_]]:
    """Per hidden layer, a boolean mask of units whose pre-activation z ≤ 0 on every row of X."""
    t = forward(net, weights, biases, X)
    return [cast("npt.NDArray[np.bool_]", (t[f"z{l}"] <= 0).all(axis=0)) for l in range(1, net.depth)]  # z is 2-d


def dead_fraction(net: MLP, weights: Sequence[Array], biases: Sequence[Array] | None, X: Array) -> float:
    """Dead hidden units / all hidden units (0.0 for a network without hidden layers)."""
    masks = dead_units(net, weights, biases, X)
    total = sum(m.size for m in masks)
    return float(sum(m.sum() for m in masks) / total) if total else 0.0
