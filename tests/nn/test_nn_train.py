"""Toy data sets, training, the loss curve, steps to a target, dead-unit detection."""

from __future__ import annotations

import numpy as np
import pytest

from quizact.nn import NetworkSpec, evaluate
from quizact.nn.data import circles, make_dataset, moons, targets, xor
from quizact.nn.init import init_params
from quizact.nn.train import dead_fraction, dead_units, steps_to_target, train

# --- data ---------------------------------------------------------------------------------


def test_xor_is_the_truth_table():
    X, labels = xor(np.random.default_rng(0))
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(labels, [0, 1, 1, 0])
    X, labels = xor(np.random.default_rng(0), n=8, noise=0.1)
    assert X.shape == (8, 2) and labels.tolist() == [0, 1, 1, 0] * 2
    with pytest.raises(ValueError, match="multiple of 4"):
        xor(np.random.default_rng(0), n=5)


@pytest.mark.parametrize("name", ["xor", "moons", "circles"])
def test_datasets_deterministic_per_seed(name):
    kw = {"n": 40, "noise": 0.2}
    a = make_dataset(name, np.random.default_rng(5), **kw)
    b = make_dataset(name, np.random.default_rng(5), **kw)
    c = make_dataset(name, np.random.default_rng(6), **kw)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert a[0].shape == (40, 2) and a[0].dtype == np.float64
    assert sorted(set(a[1].tolist())) == [0, 1] and a[1].sum() == 20


def test_moons_and_circles_geometry():
    X, labels = moons(np.random.default_rng(1), n=50, noise=0.0)
    top = X[labels == 0]
    np.testing.assert_allclose(np.hypot(top[:, 0], top[:, 1]), 1.0)  # the upper unit half circle
    X, labels = circles(np.random.default_rng(1), n=60, noise=0.0, factor=0.3)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[labels == 0], 1.0)
    np.testing.assert_allclose(r[labels == 1], 0.3)


def test_targets():
    np.testing.assert_array_equal(targets([0, 1, 1], 1), [[0], [1], [1]])
    np.testing.assert_array_equal(targets([0, 1], 2), [[1, 0], [0, 1]])


def test_init_schemes(rng):
    for scheme in ("he", "xavier", "glorot", "xavier_normal", "normal", "constant"):
        ws, bs = init_params([3, 50, 2], np.random.default_rng(0), scheme=scheme, bias_init=0.5)
        assert [w.shape for w in ws] == [(50, 3), (2, 50)]
        np.testing.assert_array_equal(bs[0], np.full(50, 0.5))
    he, _ = init_params([400, 400], np.random.default_rng(0), scheme="he")
    assert he[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    xav, _ = init_params([300, 500], np.random.default_rng(0), scheme="xavier", bias=False)
    assert np.abs(xav[0]).max() <= np.sqrt(6 / 800)
    const, none = init_params([2, 2], rng, scheme="constant", scale=0.3, bias=False)
    assert none is None and np.all(const[0] == 0.3)
    a, _ = init_params([2, 3], np.random.default_rng(9))
    b, _ = init_params([2, 3], np.random.default_rng(9))
    np.testing.assert_array_equal(a[0], b[0])


# --- training -------------------------------------------------------------------------------

XOR_NET = {
    "layers": [2, 4, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "bce",
    "train": {"data": "xor", "steps": 400, "lr": 1.0, "seed": 0, "target_loss": 0.1},
}


def test_training_on_xor_reduces_the_loss():
    spec = NetworkSpec.model_validate(XOR_NET)
    out = evaluate(spec, {}, ["loss_curve", "final_loss", "steps_to_target", "loss_curve[-1]",
                              "grad_norm_curve", "loss"])
    curve = out["loss_curve"]
    assert curve.shape == (401,)
    assert curve[0] == out["loss"]  # the single-pass loss is at the initial weights
    assert out["final_loss"] == curve[-1] == out["loss_curve[-1]"]
    assert out["final_loss"] < 0.1 < 0.5 < curve[0]
    k = int(out["steps_to_target"])
    assert 0 < k <= 400 and curve[k] <= 0.1 < curve[k - 1]
    assert out["grad_norm_curve"].shape == (400,)


def test_scenario_is_deterministic_and_params_override_the_train_block():
    spec = NetworkSpec.model_validate(XOR_NET)
    a = evaluate(spec, {}, ["final_loss"])["final_loss"]
    b = evaluate(spec, {}, ["final_loss"])["final_loss"]
    assert a == b
    c = evaluate(spec, {"seed": 1}, ["final_loss"])["final_loss"]
    assert c != a
    short = evaluate(spec, {"steps": 10}, ["loss_curve"])["loss_curve"]
    assert short.shape == (11,)
    never = evaluate(spec, {"target_loss": 0.0}, ["steps_to_target"])["steps_to_target"]
    assert never == -1


def test_train_function_directly():
    spec = NetworkSpec(layers=(2, 3, 1), activations=("tanh", "identity"), loss="mse")
    net = spec.build()
    X, labels = xor(np.random.default_rng(0))
    ws, bs = init_params(net.layers, np.random.default_rng(2), scheme="xavier")
    before = [w.copy() for w in ws]
    result = train(net, ws, bs, X, targets(labels, 1), steps=300, lr=0.5)
    assert result.loss_curve[-1] < result.loss_curve[0]
    assert result.layer_grad_norms.shape == (300, 2)
    for w, w0 in zip(ws, before):
        np.testing.assert_array_equal(w, w0)  # inputs untouched
    clipped = train(net, ws, bs, X, targets(labels, 1), steps=5, lr=0.5, clip=1e-3)
    step = np.linalg.norm(clipped.weights[0] - ws[0])
    assert step <= 5 * 0.5 * 1e-3 + 1e-12


def test_steps_to_target():
    assert steps_to_target(np.array([1.0, 0.5, 0.2, 0.1]), 0.3) == 2
    assert steps_to_target(np.array([0.1, 0.05]), 0.3) == 0
    assert steps_to_target(np.array([1.0, 0.9]), 0.3) == -1


# --- dead units -----------------------------------------------------------------------------


def test_dead_units_with_bias_minus_five():
    # x in the unit square, weights 0.1: z = w·x − 5 ≤ 0.2 − 5 < 0 for every example
    spec = NetworkSpec(layers=(2, 3, 1), activations=("relu", "sigmoid"), loss="bce")
    net = spec.build()
    X, _ = xor(np.random.default_rng(0))
    ws = [np.full((3, 2), 0.1), np.ones((1, 3))]
    bs = [np.array([-5.0, -5.0, 0.0]), np.zeros(1)]
    masks = dead_units(net, ws, bs, X)
    np.testing.assert_array_equal(masks[0], [True, True, False])
    assert dead_fraction(net, ws, bs, X) == pytest.approx(2 / 3)
    params = {"x": X, "W1": ws[0], "b1": bs[0], "W2": ws[1], "b2": bs[1]}
    out = evaluate(spec, params, ["dead_units", "dead_fraction"])
    assert out["dead_units"] == 2 and out["dead_fraction"] == pytest.approx(2 / 3)


def test_a_unit_at_exactly_zero_counts_as_dead():
    spec = NetworkSpec(layers=(1, 2, 1), activations=("relu", "identity"), bias=False)
    # z = [0·x, 1·x] on x ∈ {1, 2}: unit 0 has z = 0 everywhere → dead; unit 1 alive
    out = evaluate(spec, {"x": [1.0, 2.0], "W1": [0.0, 1.0], "W2": [[1.0, 1.0]]}, ["dead_units"])
    assert out["dead_units"] == 1


def test_dead_units_after_training_with_bias_minus_five():
    spec = NetworkSpec.model_validate({
        "layers": [2, 8, 1], "activations": ["relu", "sigmoid"], "loss": "bce",
        "train": {"data": "xor", "steps": 50, "init": "normal", "init_scale": 0.1, "bias_init": -5},
    })
    out = evaluate(spec, {}, ["dead_fraction", "dead_units"])
    assert out["dead_fraction"] == 1.0 and out["dead_units"] == 8
    healthy = spec.model_copy(update={"train": spec.train.model_copy(update={"bias_init": 0.1})})
    assert evaluate(healthy, {}, ["dead_fraction"])["dead_fraction"] < 1.0
