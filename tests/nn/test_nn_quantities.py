"""NetworkSpec validation, parameter shapes, the naming scheme, element indices,
unknown names, gradient norms and clipping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from quizact.nn import (
    MissingParameter,
    NetworkSpec,
    QuantityError,
    UnknownQuantity,
    check_name,
    evaluate,
    quantity_names,
)

COURSE = NetworkSpec.model_validate(
    {"layers": [1, 1, 1], "activations": ["relu", "identity"], "bias": False, "loss": "squared_error"}
)
PARAMS = {"x": 2.0, "y": 1.0, "W1": 0.5, "W2": 0.3, "lr": 0.1}
# A 2-3-2 tanh/softmax network, with biases, used for shapes and indices.
NET = NetworkSpec(layers=(2, 3, 2), activations=("tanh", "softmax"), loss="softmax_cross_entropy")
NET_PARAMS = {
    "x": [0.5, -1.0],
    "y": 1,
    "W1": [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]],
    "b1": [0.0, 0.1, -0.1],
    "W2": [[0.2, -0.1, 0.3], [0.0, 0.5, -0.4]],
    "b2": [0.05, -0.05],
    "lr": 0.5,
}


# --- the spec ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"layers": [1, 1, 1], "activations": ["relu"]}, "expected 2"),
        ({"layers": [1, 1], "activations": ["rleu"]}, "did you mean 'relu'"),
        ({"layers": [1, 1], "activations": ["relu"], "loss": "mes"}, "did you mean 'mse'"),
        ({"layers": [1], "activations": []}, "at least 2"),
        ({"layers": [1, 0], "activations": ["relu"]}, "between 1 and"),
        ({"layers": [1, 1], "activations": ["relu"], "colour": "red"}, "Extra inputs"),
        ({"layers": [1, 1], "activations": ["softmax"], "temperature": 0}, "greater than 0"),
        ({"layers": [1, 1], "activations": ["relu"], "train": {"data": "xor"}}, "layers[0] must be 2"),
        ({"layers": [2, 3], "activations": ["relu"], "train": {"data": "moons"}}, "output layer"),
        ({"layers": [2, 1], "activations": ["relu"], "train": {"data": "spiral"}}, "xor"),
        ({"layers": [2, 1], "activations": ["relu"], "train": {"data": "xor", "n": 6}}, "multiple of 4"),
        ({"layers": [2, 1], "activations": ["relu"], "train": {"data": "xor", "stepz": 6}}, "Extra"),
    ],
)
def test_spec_validation_messages(data, message):
    with pytest.raises(ValidationError, match=message.replace("[", r"\[")):
        NetworkSpec.model_validate(data)


def test_spec_aliases_and_options():
    spec = NetworkSpec.model_validate(
        {"layers": [2, 2, 2], "activations": ["linear", "silu"], "alpha": 0.2, "clip": 1.0}
    )
    net = spec.build()
    assert [a.name for a in net.activations] == ["identity", "swish"]
    assert spec.bias is True and spec.loss == "squared_error"
    assert spec.build() is net  # cached
    leaky = NetworkSpec(layers=(1, 1), activations=("leaky_relu",), alpha=0.2).build()
    assert leaky.activations[0](-1.0) == pytest.approx(-0.2)


# --- parameters --------------------------------------------------------------------------


def test_scalars_and_batches():
    out = evaluate(COURSE, {**PARAMS, "x": [2.0, 1.0], "y": [1.0, 1.0]}, ["z1", "x"])
    np.testing.assert_allclose(out["z1"], [[1.0], [0.5]])  # a batch of two 1-feature rows
    assert out["x"].shape == (2, 1)
    out = evaluate(NET, NET_PARAMS, ["z1", "y", "output"])
    assert out["z1"].shape == (3,)
    np.testing.assert_array_equal(out["y"], [0.0, 1.0])  # class index 1 → one-hot
    batch = {**NET_PARAMS, "x": [[0.5, -1.0], [1.0, 1.0]], "y": [[0, 1], [1, 0]]}
    assert evaluate(NET, batch, ["z1"])["z1"].shape == (2, 3)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"W1": [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]]}, QuantityError, r"W1 must have shape \(3, 2\)"),
        ({"x": [1.0, 2.0, 3.0]}, QuantityError, "x must be 2 number"),
        ({"y": 5}, QuantityError, "class index"),
        ({"b2": None}, MissingParameter, "b2 missing"),
    ],
)
def test_bad_params(change, error, message):
    params = {k: v for k, v in {**NET_PARAMS, **change}.items() if v is not None}
    with pytest.raises(error, match=message):
        evaluate(NET, params, ["loss"])


def test_missing_parameters_are_named():
    with pytest.raises(MissingParameter, match="lr"):
        evaluate(COURSE, {k: v for k, v in PARAMS.items() if k != "lr"}, ["updated.W1"])
    with pytest.raises(MissingParameter, match="target y"):
        evaluate(COURSE, {"x": 2, "W1": 0.5, "W2": 0.3}, ["loss"])
    # forward quantities need no y and no lr
    assert float(evaluate(COURSE, {"x": 2, "W1": 0.5, "W2": 0.3}, "z2")["z2"][0]) == pytest.approx(0.3)
    with pytest.raises(QuantityError, match="bias: false"):
        evaluate(COURSE, {**PARAMS, "b1": 0.0, "b2": 0.0}, ["z1"])


# --- names ---------------------------------------------------------------------------------


def test_quantity_names_in_order():
    names = quantity_names(COURSE)
    assert names[:9] == ["x", "y", "lr", "W1", "W2", "z1", "a1", "z2", "a2"]
    order = [names.index(n) for n in
             ["loss", "dL/da2", "dL/dz2", "grad.W2", "dL/da1", "dL/dz1", "grad.W1", "updated.W1"]]
    assert order == sorted(order)
    assert "loss_curve" not in names and "dead_fraction" in names
    # every listed name evaluates
    out = evaluate(COURSE, PARAMS, names)
    assert set(out) == set(names)


def test_aliases_and_elements():
    out = evaluate(NET, NET_PARAMS, [
        "output", "a2", "dL/dW1", "grad.W1", "grad.W1[0,1]", "grad.W1[-1, -1]", "a1", "a1[2]", "x",
        "a0", "dL/dx", "dL/da0", "b1[1]", "W2[1,2]",
    ])
    np.testing.assert_array_equal(out["output"], out["a2"])
    np.testing.assert_array_equal(out["dL/dW1"], out["grad.W1"])
    assert out["grad.W1[0,1]"] == out["grad.W1"][0, 1] and out["grad.W1[0,1]"].shape == ()
    assert out["grad.W1[-1, -1]"] == out["grad.W1"][2, 1]
    assert out["a1[2]"] == out["a1"][2]
    np.testing.assert_array_equal(out["a0"], out["x"])
    np.testing.assert_array_equal(out["dL/dx"], out["dL/da0"])
    assert out["b1[1]"] == 0.1 and out["W2[1,2]"] == -0.4


def test_values_of_the_small_net_by_hand():
    out = evaluate(NET, NET_PARAMS, ["z1", "a1", "output", "loss", "dL/dz2", "updated.b2"])
    x = np.array([0.5, -1.0])
    z1 = np.array([0.1 * 0.5 - 0.2, -0.3 * 0.5 - 0.4 + 0.1, 0.5 * 0.5 + 0.6 - 0.1])
    np.testing.assert_allclose(out["z1"], z1, rtol=1e-14)
    a1 = np.tanh(z1)
    z2 = np.array([0.2 * a1[0] - 0.1 * a1[1] + 0.3 * a1[2] + 0.05, 0.5 * a1[1] - 0.4 * a1[2] - 0.05])
    p = np.exp(z2) / np.exp(z2).sum()
    np.testing.assert_allclose(out["output"], p, rtol=1e-14)
    assert out["loss"] == pytest.approx(-math.log(p[1]))
    np.testing.assert_allclose(out["dL/dz2"], p - [0, 1], rtol=1e-13)
    np.testing.assert_allclose(out["updated.b2"], [0.05, -0.05] - 0.5 * (p - [0, 1]), rtol=1e-13)
    assert x.shape == (2,)


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("grad.W3", "layer 3 does not exist"),
        ("z0", "layer 0 does not exist"),
        ("grad_W1", "did you mean 'grad.W1'"),
        ("dL/dw1", "did you mean 'dL/dW1'"),
        ("b1", "no biases"),
        ("loss_curve", "train: block"),
        ("loss[0]", "single number"),
        ("W1[0]", "two indices"),
        ("grad.W2[0,1]", "out of range"),
        ("a1[x]", "integers"),
        ("nonsense", "not a quantity"),
    ],
)
def test_unknown_names(name, hint):
    message = check_name(COURSE, name)
    assert message is not None and hint in message, message
    with pytest.raises(UnknownQuantity) as info:
        evaluate(COURSE, PARAMS, [name])
    assert info.value.name == name and hint in info.value.hint


def test_check_name_accepts_the_scheme():
    for name in quantity_names(NET, aliases=True) + ["grad.W2[1,2]", "a1[0]", "dL/dz1[1]"]:
        assert check_name(NET, name) is None, name
    assert check_name(NET, "dead_fraction") is None


def test_index_out_of_range_at_evaluation():
    with pytest.raises(UnknownQuantity, match="out of range"):
        evaluate(NET, NET_PARAMS, ["a1[5]"])


# --- gradient norms and clipping ----------------------------------------------------------


def test_grad_norms_and_clipping():
    # course net: |dL/dW1| = 0.84, |dL/dW2| = 1.4, global √(0.84² + 1.4²) = √2.6656 = 1.632666…
    out = evaluate(COURSE, PARAMS, ["grad_norm", "grad_norm.1", "grad_norm.2", "clip_scale"])
    assert out["grad_norm.1"] == pytest.approx(0.84)
    assert out["grad_norm.2"] == pytest.approx(1.4)
    assert out["grad_norm"] == pytest.approx(math.sqrt(2.6656))
    assert out["clip_scale"] == 1.0
    clipped = COURSE.model_copy(update={"clip": 1.0})
    out = evaluate(clipped, PARAMS, ["grad_norm", "clip_scale", "grad_clipped.W1", "updated.W1", "grad.W1"])
    scale = 1.0 / math.sqrt(2.6656)
    assert out["grad_norm"] == pytest.approx(math.sqrt(2.6656))  # reported before clipping
    assert out["clip_scale"] == pytest.approx(scale)
    assert out["grad.W1"].item() == pytest.approx(-0.84)
    assert out["grad_clipped.W1"].item() == pytest.approx(-0.84 * scale)
    assert out["updated.W1"].item() == pytest.approx(0.5 + 0.1 * 0.84 * scale)


def test_results_are_copies():
    out = evaluate(COURSE, PARAMS, ["W1"])
    out["W1"][0, 0] = 99.0
    assert evaluate(COURSE, PARAMS, ["W1"])["W1"][0, 0] == 0.5


def test_bad_overrides():
    with pytest.raises(QuantityError, match="expected shape"):
        evaluate(COURSE, PARAMS, ["grad.W1"], overrides={"z1": [1.0, 2.0]})
    with pytest.raises(QuantityError, match="not a number"):
        evaluate(COURSE, PARAMS, ["grad.W1"], overrides={"z1": "abc"})
    with pytest.raises(QuantityError, match="not a number"):
        evaluate(COURSE, PARAMS, ["updated.W1"], overrides={"lr": "fast"})
    with pytest.raises(UnknownQuantity, match="did you mean 'z1'"):
        evaluate(COURSE, PARAMS, ["grad.W1"], overrides={"Z1": 1.0})
