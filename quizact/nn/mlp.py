"""A small multi-layer perceptron whose passes expose every named intermediate.

Row convention: a batch ``x`` is (batch, n0); layer l has ``W_l`` of shape (n_l, n_{l−1})
and ``b_l`` of shape (n_l,), and computes ``z_l = a_{l−1} W_lᵀ + b_l``, ``a_l = f_l(z_l)``
with ``a_0 = x``.  For one example (a row) this is the course's ``z = W·x + b``.

One call of :func:`run` records, in order, ``x, W1, b1, …, z1, a1, …, zL, aL, y, loss,
dL/daL, dL/dzL, grad.WL, grad.bL, dL/da{L−1}, …, dL/da0, grad_norm.1, …, grad_norm,
clip_scale, grad_clipped.W1, updated.W1, …``.  A ``hook(name, value) -> value`` sees each
one as it is produced and may replace it; everything downstream uses the replacement.
``Rules`` say how to compute; the defaults are correct, a mistake changes one rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from quizact.nn._np import Array, f64, quiet_underflow
from quizact.nn.activations import Activation
from quizact.nn.losses import LOSSES, PROB_EPS, Loss

Hook = Callable[[str, Array], Array]
Stage = Literal["forward", "loss", "backward", "update"]
Trace = dict[str, Array]

#: Output activation + loss pairs whose gradient is taken in the fused form dL/dz = p − y.
FUSED = {("softmax", "softmax_cross_entropy"), ("sigmoid", "bce"), ("sigmoid", "bce_logits")}


@dataclass(frozen=True)
class MLP:
    """The architecture: layer sizes ``[n0, …, nL]``, one activation per layer, a loss."""

    layers: tuple[int, ...]
    activations: tuple[Activation, ...]
    loss: Loss
    bias: bool = True

    def __post_init__(self) -> None:
        if len(self.layers) < 2 or min(self.layers) < 1:
            raise ValueError(f"layers must be ≥ 2 positive sizes, got {list(self.layers)}")
        if len(self.activations) != len(self.layers) - 1:
            raise ValueError(
                f"need {len(self.layers) - 1} activations (one per layer after the input), "
                f"got {len(self.activations)}"
            )

    @property
    def depth(self) -> int:
        """Number of weight layers L."""
        return len(self.layers) - 1

    @property
    def fused(self) -> bool:
        """True when the output uses the stable fused gradient dL/dz_L = p − y."""
        return (self.activations[-1].name, self.loss.name) in FUSED

    def weight_shape(self, layer: int) -> tuple[int, int]:
        return (self.layers[layer], self.layers[layer - 1])


@dataclass(frozen=True)
class Rules:
    """How the pass computes. The defaults are the correct maths."""

    derivative: Literal["exact", "one", "at_activation", "relu_passes"] = "exact"
    update_sign: float = -1.0
    use_lr: bool = True
    loss_grad_scale: float = 1.0
    swap_unit_reduction: bool = False
    sum_over_batch: bool = False
    transpose: bool = True


CORRECT = Rules()


class _Pass:
    """The trace being recorded, with the hook applied to every value put into it."""

    def __init__(self, hook: Hook | None) -> None:
        self.trace: Trace = {}
        self.hook = hook
        self.touched: set[str] = set()

    def put(self, name: str, value: Array) -> Array:
        if self.hook is not None:
            new = self.hook(name, value)
            if new is not value:
                self.touched.add(name)
                value = new
        self.trace[name] = value
        return value


def run(
    net: MLP,
    weights: Sequence[Array],
    biases: Sequence[Array] | None,
    x: Array,
    y: Array | None = None,
    lr: float | None = None,
    *,
    clip: float | None = None,
    rules: Rules = CORRECT,
    hook: Hook | None = None,
    upto: Stage = "update",
) -> Trace:
    """Forward, loss, backward and one SGD step (stopping after ``upto``)."""
    p = _Pass(hook)
    with quiet_underflow():
        ws, bs = _parameters(p, net, weights, biases)
        _forward(p, net, ws, bs, np.atleast_2d(f64(x)))
        if upto == "forward":
            return p.trace
        if y is None:
            raise ValueError("the target y is needed to compute the loss")
        _loss(p, net, f64(y), rules)
        if upto == "loss":
            return p.trace
        _backward(p, net, ws, rules)
        if upto == "backward":
            return p.trace
        if lr is None:
            raise ValueError("the learning rate lr is needed for an SGD step")
        _update(p, net, ws, bs, float(lr), clip, rules)
    return p.trace


def forward(
    net: MLP, weights: Sequence[Array], biases: Sequence[Array] | None, x: Array, y: Array | None = None
) -> Trace:
    """z_l and a_l of every layer (and the loss when ``y`` is given)."""
    return run(net, weights, biases, x, y, upto="loss" if y is not None else "forward")


def gradients(
    net: MLP, weights: Sequence[Array], biases: Sequence[Array] | None, x: Array, y: Array
) -> Trace:
    """The forward trace plus dL/da_l, dL/dz_l, grad.W_l, grad.b_l."""
    return run(net, weights, biases, x, y, upto="backward")


def sgd_step(
    net: MLP,
    weights: Sequence[Array],
    biases: Sequence[Array] | None,
    x: Array,
    y: Array,
    lr: float,
    *,
    clip: float | None = None,
) -> tuple[list[Array], list[Array] | None, Trace]:
    """One full-batch SGD step: ``(new_weights, new_biases, trace)``."""
    t = run(net, weights, biases, x, y, lr, clip=clip)
    return updated_parameters(net, t) + (t,)


def updated_parameters(net: MLP, t: Trace) -> tuple[list[Array], list[Array] | None]:
    ws = [t[f"updated.W{l}"] for l in range(1, net.depth + 1)]
    bs = [t[f"updated.b{l}"] for l in range(1, net.depth + 1)] if net.bias else None
    return ws, bs


# --- the stages ---------------------------------------------------------------------


def _parameters(
    p: _Pass, net: MLP, weights: Sequence[Array], biases: Sequence[Array] | None
) -> tuple[list[Array], list[Array | None]]:
    if len(weights) != net.depth:
        raise ValueError(f"need {net.depth} weight matrices, got {len(weights)}")
    if net.bias and (biases is None or len(biases) != net.depth):
        raise ValueError(f"need {net.depth} bias vectors (bias: true)")
    ws: list[Array] = []
    bs: list[Array | None] = []
    for l in range(1, net.depth + 1):
        w = f64(weights[l - 1])
        if w.shape != net.weight_shape(l):
            raise ValueError(f"W{l} must have shape {net.weight_shape(l)}, got {w.shape}")
        ws.append(p.put(f"W{l}", w))
        if net.bias:
            assert biases is not None  # checked above
            b = f64(biases[l - 1]).reshape(-1)
            if b.shape != (net.layers[l],):
                raise ValueError(f"b{l} must have shape ({net.layers[l]},), got {b.shape}")
            bs.append(p.put(f"b{l}", b))
        else:
            bs.append(None)
    return ws, bs


def _forward(p: _Pass, net: MLP, ws: list[Array], bs: list[Array | None], x: Array) -> None:
    if x.ndim != 2 or x.shape[1] != net.layers[0]:
        raise ValueError(f"x must have shape (batch, {net.layers[0]}), got {x.shape}")
    a = p.put("x", x)
    for l, (w, b, act) in enumerate(zip(ws, bs, net.activations), start=1):
        z = a @ w.T if b is None else a @ w.T + b
        z = p.put(f"z{l}", z)
        a = p.put(f"a{l}", act.fn(z))


def _temperature(act: Activation) -> float:
    return dict(act.options).get("temperature", 1.0)


def _loss(p: _Pass, net: MLP, y: Array, rules: Rules) -> None:
    top = net.depth
    act, loss = net.activations[-1], net.loss
    z, a = p.trace[f"z{top}"], p.trace[f"a{top}"]
    y = np.atleast_2d(y)
    if y.shape != a.shape:
        raise ValueError(f"y must have shape {a.shape} (like the output), got {y.shape}")
    y = p.put("y", y)
    batch, units = a.shape
    unit_scale = 1.0
    if rules.swap_unit_reduction:
        unit_scale = units if loss.unit_reduction == "mean" else 1.0 / units
    batch_div = 1.0 if rules.sum_over_batch else float(batch)
    fused = net.fused
    from_probs = fused and f"a{top}" in p.touched  # the learner's probabilities
    if fused and act.name == "softmax":
        logits_loss = LOSSES["softmax_cross_entropy"]
        per_ex = (
            -(y * np.log(np.clip(a, PROB_EPS, None))).sum(axis=-1)
            if from_probs
            else logits_loss.raw_per_example(z / _temperature(act), y)
        )
    elif fused:
        per_ex = (LOSSES["bce"] if from_probs else LOSSES["bce_logits"]).raw_per_example(
            a if from_probs else z, y
        )
    else:
        per_ex = loss.raw_per_example(a, y)
    p.put("loss", np.asarray(per_ex.sum() * unit_scale / batch_div))

    g_scale = unit_scale / batch_div * rules.loss_grad_scale
    if fused and act.name == "softmax":
        da = -y / np.clip(a, PROB_EPS, None)  # d(−Σ y log p)/dp: for display only
    elif fused:
        da = LOSSES["bce"].raw_example_grad(a, y)
    else:
        da = loss.raw_example_grad(a, y)
    da = p.put(f"dL/da{top}", da * g_scale)
    if fused and f"dL/da{top}" not in p.touched:
        if act.name == "softmax":
            dz = (a * y.sum(axis=-1, keepdims=True) - y) / _temperature(act)
        else:
            dz = a - y
        dz = dz * g_scale
    else:
        dz = _dz(act, z, a, da, rules, exact=fused)
    p.put(f"dL/dz{top}", dz)


def _dz(act: Activation, z: Array, a: Array, g: Array, rules: Rules, exact: bool) -> Array:
    mode = "exact" if exact else rules.derivative
    if mode == "one" or (mode == "relu_passes" and act.name == "relu"):
        return g * 1.0
    return act.backward(a if mode == "at_activation" else z, g)


def _backward(p: _Pass, net: MLP, ws: list[Array], rules: Rules) -> None:
    t = p.trace
    for l in range(net.depth, 0, -1):
        if l < net.depth:
            act = net.activations[l - 1]
            dz = _dz(act, t[f"z{l}"], t[f"a{l}"], t[f"dL/da{l}"], rules, exact=False)
            p.put(f"dL/dz{l}", dz)
        dz = t[f"dL/dz{l}"]
        a_prev = t["x"] if l == 1 else t[f"a{l - 1}"]
        p.put(f"grad.W{l}", dz.T @ a_prev)
        if net.bias:
            p.put(f"grad.b{l}", dz.sum(axis=0))
        w = ws[l - 1]
        wrong = not rules.transpose and w.shape[0] == w.shape[1]
        p.put(f"dL/da{l - 1}", dz @ (w.T if wrong else w))


def _update(
    p: _Pass, net: MLP, ws: list[Array], bs: list[Array | None], lr: float, clip: float | None, rules: Rules
) -> None:
    t = p.trace
    layers = range(1, net.depth + 1)
    norms = []
    for l in layers:
        g = t[f"grad.W{l}"].ravel()
        sq = float(g @ g)
        if net.bias:
            g = t[f"grad.b{l}"].ravel()
            sq += float(g @ g)
        norms.append(float(p.put(f"grad_norm.{l}", np.asarray(math.sqrt(sq)))))
    total = float(p.put("grad_norm", np.asarray(math.sqrt(sum(n * n for n in norms)))))
    scale = 1.0 if clip is None or total <= clip else clip / total
    scale = float(p.put("clip_scale", np.asarray(scale)))
    step = rules.update_sign * (lr if rules.use_lr else 1.0)
    for l in layers:
        names = [("W", ws[l - 1])] + ([("b", bs[l - 1])] if net.bias else [])
        for kind, param in names:
            assert param is not None  # a b_l is there when net.bias
            g = p.put(f"grad_clipped.{kind}{l}", t[f"grad.{kind}{l}"] * scale)
            p.put(f"updated.{kind}{l}", param + step * g)
