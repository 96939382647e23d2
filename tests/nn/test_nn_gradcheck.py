"""The backward pass against central finite differences of the forward loss, for every
hidden activation × loss × output pairing × bias, on small random 3-layer MLPs."""

from __future__ import annotations

import itertools
import math
import zlib

import numpy as np
import pytest

from quizact.nn.activations import ACTIVATIONS
from quizact.nn.mlp import run
from quizact.nn.spec import NetworkSpec

H = 1e-6
HIDDEN = sorted({a.name for a in ACTIVATIONS.values()})
KINKED = {"relu", "leaky_relu", "elu"}
# Output activations paired with each loss: the fused pairs, the logits forms, and a
# regression output that is also the hidden activation (so every activation is checked
# at the output too, softmax through its full Jacobian).
OUTPUTS = {
    "squared_error": ["identity", "same"],
    "half_squared_error": ["sigmoid", "same"],
    "mse": ["tanh", "same"],
    "bce": ["sigmoid", "softmax"],
    "bce_logits": ["sigmoid", "identity"],
    "softmax_cross_entropy": ["softmax", "identity"],
}
CASES = [
    (h, loss, out if out != "same" else h, bias)
    for h, (loss, outs), bias in itertools.product(HIDDEN, OUTPUTS.items(), [True, False])
    for out in outs
]


def _targets(loss, rng, batch, k):
    if loss == "softmax_cross_entropy":
        return np.eye(k)[rng.integers(0, k, batch)]
    if loss.startswith("bce"):
        return rng.integers(0, 2, (batch, k)).astype(float)
    return rng.normal(0.0, 1.0, (batch, k))


def _setup(spec, seed):
    """Random parameters whose pre-activations keep clear of the kinks at 0."""
    rng = np.random.default_rng(seed)
    net = spec.build()
    for _ in range(200):
        ws = [rng.normal(0.0, 0.8, net.weight_shape(l)) for l in range(1, net.depth + 1)]
        bs = [rng.normal(0.0, 0.5, n) for n in net.layers[1:]] if net.bias else None
        x = rng.normal(0.0, 1.0, (2, net.layers[0]))
        t = run(net, ws, bs, x, upto="forward")
        zs = [t[f"z{l}"] for l in range(1, net.depth + 1)]
        if min(np.abs(z).min() for z in zs) > 1e-3:
            return net, ws, bs, x, _targets(spec.loss, rng, 2, net.layers[-1])
    raise AssertionError("no kink-free point found")


def _loss(net, ws, bs, x, y) -> float:
    return float(run(net, ws, bs, x, y, upto="loss")["loss"])


def _fd(f, arr):
    g = np.zeros_like(arr)
    for i in np.ndindex(arr.shape):
        old = arr[i]
        arr[i] = old + H
        up = f()
        arr[i] = old - H
        down = f()
        arr[i] = old
        g[i] = (up - down) / (2 * H)
    return g


def _rel(a, b) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def _check(spec, seed):
    net, ws, bs, x, y = _setup(spec, seed)
    t = run(net, ws, bs, x, y, upto="backward")
    f = lambda: _loss(net, ws, bs, x, y)  # noqa: E731 — closes over the arrays we perturb
    for l in range(1, net.depth + 1):
        assert _rel(t[f"grad.W{l}"], _fd(f, ws[l - 1])) <= 1e-6, f"grad.W{l}"
        if net.bias:
            assert _rel(t[f"grad.b{l}"], _fd(f, bs[l - 1])) <= 1e-6, f"grad.b{l}"
    assert _rel(t["dL/da0"], _fd(f, x)) <= 1e-6, "dL/dx"


@pytest.mark.parametrize(("hidden", "loss", "output", "bias"), CASES)
def test_mlp_gradients(hidden, loss, output, bias):
    spec = NetworkSpec(layers=(2, 3, 2, 2), activations=(hidden, hidden, output), bias=bias, loss=loss)
    _check(spec, seed=zlib.crc32(f"{hidden}-{loss}-{output}-{bias}".encode()))


@pytest.mark.parametrize(
    "options",
    [
        {"activations": ("leaky_relu", "elu", "softmax"), "alpha": 0.3, "temperature": 2.5,
         "loss": "softmax_cross_entropy"},
        {"activations": ("swish", "gelu", "softmax"), "beta": 1.8, "temperature": 0.7,
         "loss": "mse"},
        {"activations": ("elu", "softplus", "identity"), "alpha": 0.4, "loss": "squared_error"},
    ],
)
def test_mlp_gradients_with_options(options):
    spec = NetworkSpec(layers=(2, 3, 4, 3), **options)
    _check(spec, seed=7)


@pytest.mark.parametrize("layers", [(1, 1), (2, 5, 1), (1, 2, 2, 2, 1)])
def test_depths(layers):
    spec = NetworkSpec(
        layers=layers, activations=("tanh",) * (len(layers) - 2) + ("sigmoid",), loss="bce"
    )
    _check(spec, seed=3)


def test_forward_matches_a_plain_reference():
    """The loss of a 2-layer tanh → sigmoid net written out with math, one example at a time."""
    spec = NetworkSpec(layers=(2, 2, 1), activations=("tanh", "sigmoid"), loss="half_squared_error")
    W1 = np.array([[0.1, -0.4], [0.7, 0.2]])
    b1 = np.array([0.05, -0.1])
    W2 = np.array([[0.6, -1.1]])
    b2 = np.array([0.3])
    X = np.array([[1.0, 2.0], [-0.5, 0.25]])
    Y = np.array([[1.0], [0.0]])
    total = 0.0
    for (x1, x2), (yy,) in zip(X, Y):
        h = [math.tanh(W1[i, 0] * x1 + W1[i, 1] * x2 + b1[i]) for i in range(2)]
        o = 1 / (1 + math.exp(-(W2[0, 0] * h[0] + W2[0, 1] * h[1] + b2[0])))
        total += 0.5 * (o - yy) ** 2
    got = run(spec.build(), [W1, W2], [b1, b2], X, Y, upto="loss")["loss"]
    assert got == pytest.approx(total / 2, rel=1e-14)


def test_fused_output_is_stable_at_extremes():
    """Logits of ±1000 through the fused softmax/sigmoid outputs: finite loss and gradients."""
    import warnings

    cases = [("softmax", "softmax_cross_entropy", 2, 1000.0), ("sigmoid", "bce", 1, 500.0),
             ("sigmoid", "bce_logits", 1, 500.0)]
    for act, loss, k, want in cases:
        spec = NetworkSpec(layers=(1, k), activations=(act,), bias=False, loss=loss)
        w = np.full((k, 1), 1000.0)
        if k == 2:
            w[1] = -1000.0
        x = np.array([[1.0], [-1.0]])
        y = np.array([[0.0, 1.0], [0.0, 1.0]]) if k == 2 else np.array([[0.0], [0.0]])
        with np.errstate(all="raise"), warnings.catch_warnings():
            warnings.simplefilter("error")
            t = run(spec.build(), [w], None, x, y, 0.1)
        # softmax: one example right (0), one wrong by 2000; sigmoid: 1000 and 0; mean of two
        assert t["loss"] == pytest.approx(want)
        for key in ("dL/dz1", "grad.W1", "updated.W1"):
            assert np.all(np.isfinite(t[key])), (act, loss, key)
