"""Losses: hand-computed values, the batch convention, gradients by finite differences,
stability of the logits forms at ±1000."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from quizact.nn.losses import LOSSES, get_loss

H = 1e-6


def _fd_grad(loss, out, y):
    g = np.zeros_like(out)
    for i in np.ndindex(out.shape):
        d = np.zeros_like(out)
        d[i] = H
        g[i] = (loss.value(out + d, y) - loss.value(out - d, y)) / (2 * H)
    return g


def test_registry():
    assert set(LOSSES) == {
        "squared_error", "half_squared_error", "mse", "bce", "bce_logits", "softmax_cross_entropy",
    }


def test_values_by_hand():
    out = np.array([[0.3, 0.8], [1.0, 0.0]])
    y = np.array([[1.0, 1.0], [1.0, 0.5]])
    # per example: (0.49 + 0.04) = 0.53 and (0 + 0.25) = 0.25 → mean over examples 0.39
    assert LOSSES["squared_error"].value(out, y) == pytest.approx(0.39)
    assert LOSSES["half_squared_error"].value(out, y) == pytest.approx(0.195)
    # mse: mean over the 2 units, then over examples: (0.265 + 0.125)/2
    assert LOSSES["mse"].value(out, y) == pytest.approx(0.195)
    # one example as a 1-D pair
    assert LOSSES["squared_error"].value([0.3], [1.0]) == pytest.approx(0.49)


def test_gradients_by_hand():
    out = np.array([[0.3, 0.8], [1.0, 0.0]])
    y = np.array([[1.0, 1.0], [1.0, 0.5]])
    # d/da of the batch mean: 2(a − y)/batch
    np.testing.assert_allclose(LOSSES["squared_error"].grad(out, y), (out - y), rtol=1e-15)
    np.testing.assert_allclose(LOSSES["half_squared_error"].grad(out, y), (out - y) / 2)
    np.testing.assert_allclose(LOSSES["mse"].grad(out, y), (out - y) / 2)
    np.testing.assert_allclose(LOSSES["squared_error"].grad([0.3], [1.0]), [-1.4])


def test_cross_entropies_by_hand():
    # bce of p = 0.8 with y = 1: −ln 0.8
    assert LOSSES["bce"].value([0.8], [1.0]) == pytest.approx(-math.log(0.8))
    # bce_logits of z = 0: ln 2 whatever the label
    assert LOSSES["bce_logits"].value([[0.0], [0.0]], [[1.0], [0.0]]) == pytest.approx(math.log(2))
    # softmax CE of logits [2, 1, 0.1], class 0: −ln 0.659…
    z = np.array([2.0, 1.0, 0.1])
    p0 = math.exp(2) / (math.exp(2) + math.exp(1) + math.exp(0.1))
    assert LOSSES["softmax_cross_entropy"].value(z, [1.0, 0.0, 0.0]) == pytest.approx(-math.log(p0))
    # fused gradients: p − y
    np.testing.assert_allclose(
        LOSSES["softmax_cross_entropy"].grad(z, [1.0, 0.0, 0.0]),
        np.exp(z) / np.exp(z).sum() - [1.0, 0.0, 0.0],
        rtol=1e-13,
    )
    np.testing.assert_allclose(LOSSES["bce_logits"].grad([0.0], [1.0]), [-0.5])


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_gradient_matches_finite_differences(name, rng):
    loss = LOSSES[name]
    if name == "bce":
        out = rng.uniform(0.05, 0.95, (3, 4))
    else:
        out = rng.normal(0.0, 1.5, (3, 4))
    if name == "softmax_cross_entropy":
        y = np.eye(4)[[0, 3, 1]]
    elif name.startswith("bce"):
        y = rng.integers(0, 2, (3, 4)).astype(float)
    else:
        y = rng.normal(0.0, 1.0, (3, 4))
    g = loss.grad(out, y)
    fd = _fd_grad(loss, out, y)
    rel = np.linalg.norm(g - fd) / max(np.linalg.norm(g) + np.linalg.norm(fd), 1e-12)
    assert rel <= 1e-6


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_stable_at_extremes(name):
    loss = LOSSES[name]
    out = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    if name == "bce":
        out = np.array([[1.0, 0.0], [0.0, 1.0]])  # probabilities at the ends
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        v = loss.value(out, y)
        g = loss.grad(out, y)
    assert np.isfinite(v) and np.all(np.isfinite(g))


def test_logit_losses_exact_at_extremes():
    # a confidently right logit costs 0, a confidently wrong one costs |z|
    assert LOSSES["bce_logits"].value([1000.0], [1.0]) == 0.0
    assert LOSSES["bce_logits"].value([-1000.0], [1.0]) == pytest.approx(1000.0)
    assert LOSSES["softmax_cross_entropy"].value([1000.0, -1000.0], [0.0, 1.0]) == pytest.approx(2000.0)


def test_unknown_loss():
    with pytest.raises(ValueError, match="did you mean 'mse'"):
        get_loss("mes")
