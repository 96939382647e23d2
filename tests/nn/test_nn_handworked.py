"""The course's hand-worked numbers, error-carried-forward overrides and the mistakes,
each value worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizact.nn import (
    MISTAKES,
    NetworkSpec,
    evaluate,
    evaluate_mistake,
    mistake_candidates,
)
from quizact.nn.mistakes import MistakeNotApplicable, UnknownMistake

# x=2, y=1, W1=0.5, W2=0.3, ReLU hidden unit, identity output, (a − y)², no bias, lr 0.1
COURSE = NetworkSpec(
    layers=(1, 1, 1), activations=("relu", "identity"), bias=False, loss="squared_error"
)
PARAMS = {"x": 2.0, "y": 1.0, "W1": 0.5, "W2": 0.3, "lr": 0.1}
STEPS = ["z1", "a1", "z2", "loss", "dL/dz2", "dL/dW2", "dL/dW1", "updated.W2", "updated.W1"]


def _num(value) -> float:
    arr = np.asarray(value)
    assert arr.size == 1
    return float(arr.reshape(-1)[0])


def _values(spec, params, names, **kw):
    return {k: _num(v) for k, v in evaluate(spec, params, names, **kw).items()}


def test_course_walkthrough():
    v = _values(COURSE, PARAMS, STEPS + ["a2", "dL/da1", "dL/dz1", "grad.W1", "grad.W2"])
    assert v["z1"] == pytest.approx(1.0)  # 0.5 · 2
    assert v["a1"] == pytest.approx(1.0)  # ReLU(1)
    assert v["z2"] == pytest.approx(0.3)  # 0.3 · 1
    assert v["loss"] == pytest.approx(0.49)  # (0.3 − 1)²
    assert v["dL/dz2"] == pytest.approx(-1.4)  # 2(0.3 − 1)
    assert v["dL/dW2"] == pytest.approx(-1.4) == v["grad.W2"]  # −1.4 · a1
    assert v["dL/da1"] == pytest.approx(-0.42)  # −1.4 · W2
    assert v["dL/dz1"] == pytest.approx(-0.42)  # · ReLU′(1) = 1
    assert v["dL/dW1"] == pytest.approx(-0.84) == v["grad.W1"]  # · x = 2
    assert v["updated.W2"] == pytest.approx(0.44)  # 0.3 − 0.1·(−1.4)
    assert v["updated.W1"] == pytest.approx(0.584)  # 0.5 − 0.1·(−0.84)


def test_shapes_of_a_single_example():
    out = evaluate(COURSE, PARAMS, ["z1", "W1", "loss", "grad.W1", "x"])
    assert out["z1"].shape == (1,)
    assert out["W1"].shape == (1, 1)
    assert out["grad.W1"].shape == (1, 1)
    assert out["loss"].shape == ()
    assert out["x"].shape == (1,)


SIGMOID_UNIT = NetworkSpec(
    layers=(1, 1), activations=("sigmoid",), bias=True, loss="half_squared_error"
)


def test_sigmoid_unit_gradient_at_zero_and_saturated():
    # z = w·1 + 0 = 0: a = 0.5, dL/da = a − y = −0.5, σ′(0) = 0.25 → dL/dw = −0.125
    v = _values(SIGMOID_UNIT, {"x": 1, "y": 1, "W1": 0.0, "b1": 0.0}, ["a1", "grad.W1", "grad.b1"])
    assert v["a1"] == 0.5
    assert v["grad.W1"] == pytest.approx(-0.125)
    assert v["grad.b1"] == pytest.approx(-0.125)
    # z = −10: a = σ(−10) ≈ 4.54e−5, dL/dw = (a − 1)·a(1 − a) ≈ −4.54e−5
    v = _values(SIGMOID_UNIT, {"x": 1, "y": 1, "W1": -10.0, "b1": 0.0}, ["grad.W1"])
    assert v["grad.W1"] == pytest.approx(-4.54e-5, rel=1e-3)
    s = 1 / (1 + math.exp(10))
    assert v["grad.W1"] == pytest.approx((s - 1) * s * (1 - s), rel=1e-12)


def test_relu_unit_at_minus_ten_passes_no_gradient():
    spec = NetworkSpec(layers=(1, 1), activations=("relu",), loss="half_squared_error")
    v = _values(spec, {"x": 1, "y": 1, "W1": -10.0, "b1": 0.0}, ["a1", "grad.W1"])
    assert v == {"a1": 0.0, "grad.W1": 0.0}


def test_softmax_output_course_example():
    spec = NetworkSpec(layers=(3, 3), activations=("softmax",), bias=False, loss="softmax_cross_entropy")
    p = evaluate(spec, {"x": [2, 1, 0.1], "W1": np.eye(3), "y": 0}, ["output", "dL/dz1"])
    np.testing.assert_array_equal(np.round(p["output"], 3), [0.659, 0.242, 0.099])
    # fused: dL/dz = p − y with y = class 0 one-hot
    np.testing.assert_allclose(p["dL/dz1"], p["output"] - [1, 0, 0], rtol=1e-12)


# --- error carried forward -------------------------------------------------------------


def test_override_z1_recomputes_downstream():
    # learner's z1 = 2.0 (instead of 1.0): a1 = ReLU(2) = 2, z2 = 0.3·2 = 0.6,
    # L = (0.6 − 1)² = 0.16, dL/dz2 = 2(0.6 − 1) = −0.8, dL/dW2 = −0.8·a1 = −1.6,
    # dL/da1 = −0.8·0.3 = −0.24, dL/dz1 = −0.24·ReLU′(2) = −0.24, dL/dW1 = −0.24·2 = −0.48,
    # W1′ = 0.5 − 0.1·(−0.48) = 0.548, W2′ = 0.3 − 0.1·(−1.6) = 0.46
    v = _values(COURSE, PARAMS, STEPS + ["dL/dz1"], overrides={"z1": 2.0})
    assert v["z1"] == 2.0
    assert v["a1"] == pytest.approx(2.0)
    assert v["z2"] == pytest.approx(0.6)
    assert v["loss"] == pytest.approx(0.16)
    assert v["dL/dz2"] == pytest.approx(-0.8)
    assert v["dL/dW2"] == pytest.approx(-1.6)
    assert v["dL/dz1"] == pytest.approx(-0.24)
    assert v["dL/dW1"] == pytest.approx(-0.48)
    assert v["updated.W1"] == pytest.approx(0.548)
    assert v["updated.W2"] == pytest.approx(0.46)


def test_override_negative_z1_uses_learners_z_in_the_derivative():
    # learner's z1 = −1: a1 = 0, z2 = 0, dL/dz2 = 2(0 − 1) = −2, dL/dW2 = −2·0 = 0,
    # dL/dz1 = −2·0.3·ReLU′(−1) = 0, dL/dW1 = 0 → W1′ = 0.5
    v = _values(COURSE, PARAMS, ["a1", "dL/dz2", "dL/dW2", "dL/dW1", "updated.W1"], overrides={"z1": -1})
    assert v == pytest.approx(
        {"a1": 0.0, "dL/dz2": -2.0, "dL/dW2": 0.0, "dL/dW1": 0.0, "updated.W1": 0.5}
    )


def test_override_a_gradient():
    # learner's dL/dz2 = −0.7 (forgot the 2): dL/dW2 = −0.7·1 = −0.7,
    # dL/dW1 = −0.7·0.3·1·2 = −0.42, W1′ = 0.5 + 0.042 = 0.542
    v = _values(COURSE, PARAMS, ["dL/dW2", "dL/dW1", "updated.W1", "loss"], overrides={"dL/dz2": -0.7})
    assert v == pytest.approx({"dL/dW2": -0.7, "dL/dW1": -0.42, "updated.W1": 0.542, "loss": 0.49})


def test_override_chain_and_aliases():
    # learner's dL/dW1 = −1 via its alias → W1′ = 0.5 + 0.1 = 0.6; upstream unchanged
    v = _values(COURSE, PARAMS, ["updated.W1", "z2"], overrides={"dL/dW1": -1.0})
    assert v == pytest.approx({"updated.W1": 0.6, "z2": 0.3})


def test_override_an_element():
    spec = NetworkSpec(layers=(2, 2), activations=("identity",), bias=False, loss="squared_error")
    params = {"x": [1.0, 2.0], "y": [0.0, 0.0], "W1": [[1.0, 0.0], [0.0, 1.0]], "lr": 0.5}
    # z1 = [1, 2]; learner has z1[1] = 3 → dL/dz1 = 2·[1, 3] = [2, 6],
    # grad.W1 = outer([2, 6], [1, 2]) = [[2, 4], [6, 12]]
    out = evaluate(spec, params, ["z1", "grad.W1"], overrides={"z1[1]": 3.0})
    np.testing.assert_allclose(out["z1"], [1.0, 3.0])
    np.testing.assert_allclose(out["grad.W1"], [[2, 4], [6, 12]])


def test_fused_output_override_of_probability():
    # sigmoid + bce: learner's a1 = 0.7 for y = 1 → loss = −ln 0.7, dL/dz1 = 0.7 − 1 = −0.3
    spec = NetworkSpec(layers=(1, 1), activations=("sigmoid",), bias=False, loss="bce")
    v = _values(spec, {"x": 1, "y": 1, "W1": 0.0}, ["loss", "dL/dz1", "grad.W1"], overrides={"a1": 0.7})
    assert v == pytest.approx({"loss": -math.log(0.7), "dL/dz1": -0.3, "grad.W1": -0.3})


# --- mistakes ----------------------------------------------------------------------------

REQUIRED = {
    "no_activation_derivative", "derivative_at_activation", "update_sign", "no_factor_two",
    "no_learning_rate", "mean_instead_of_sum", "no_transpose", "dead_relu_passes_gradient",
}


def test_registry_has_the_required_mistakes():
    assert REQUIRED <= set(MISTAKES)
    for description, feedback in MISTAKES.values():
        assert description and feedback


def test_update_sign():
    # W1 + lr·g = 0.5 + 0.1·(−0.84) = 0.416; W2 + 0.1·(−1.4) = 0.16
    v = _values(COURSE, PARAMS, ["updated.W1", "updated.W2"], mistake="update_sign")
    assert v == pytest.approx({"updated.W1": 0.416, "updated.W2": 0.16})


def test_no_learning_rate():
    # W1 − g = 0.5 − (−0.84) = 1.34; W2 − (−1.4) = 1.7
    v = _values(COURSE, PARAMS, ["updated.W1", "updated.W2"], mistake="no_learning_rate")
    assert v == pytest.approx({"updated.W1": 1.34, "updated.W2": 1.7})


def test_no_factor_two():
    # dL/dz2 = (0.3 − 1) = −0.7, dL/dW2 = −0.7, dL/dW1 = −0.7·0.3·2 = −0.42,
    # W1′ = 0.5 + 0.042 = 0.542; the loss itself is unchanged
    v = _values(COURSE, PARAMS, ["dL/dz2", "dL/dW2", "dL/dW1", "updated.W1", "loss"], mistake="no_factor_two")
    assert v == pytest.approx(
        {"dL/dz2": -0.7, "dL/dW2": -0.7, "dL/dW1": -0.42, "updated.W1": 0.542, "loss": 0.49}
    )


def test_dead_relu_passes_gradient():
    # W1 = −0.5: z1 = −1, a1 = 0, z2 = 0, dL/dz2 = −2, dL/da1 = −2·0.3 = −0.6.
    # Correct: ReLU′(−1) = 0 → dL/dW1 = 0. Mistake: ReLU′ taken as 1 → dL/dW1 = −0.6·2 = −1.2
    params = {**PARAMS, "W1": -0.5}
    assert _values(COURSE, params, ["dL/dW1"]) == {"dL/dW1": 0.0}
    v = _values(COURSE, params, ["dL/dW1", "updated.W1"], mistake="dead_relu_passes_gradient")
    assert v == pytest.approx({"dL/dW1": -1.2, "updated.W1": -0.38})


def test_no_activation_derivative_on_the_sigmoid_unit():
    # z = 0: correct −0.5·0.25·1 = −0.125; forgetting σ′: dL/dw = (a − y)·x = −0.5
    params = {"x": 1, "y": 1, "W1": 0.0, "b1": 0.0}
    v = _values(SIGMOID_UNIT, params, ["grad.W1"], mistake="no_activation_derivative")
    assert v["grad.W1"] == pytest.approx(-0.5)


def test_derivative_at_activation_on_the_sigmoid_unit():
    # σ′ evaluated at a = 0.5 instead of z = 0: σ(0.5)(1 − σ(0.5)) = 0.6224593·0.3775407
    # = 0.2350037 → dL/dw = −0.5·0.2350037 = −0.1175019
    params = {"x": 1, "y": 1, "W1": 0.0, "b1": 0.0}
    v = _values(SIGMOID_UNIT, params, ["grad.W1"], mistake="derivative_at_activation")
    assert v["grad.W1"] == pytest.approx(-0.1175019, abs=1e-7)


def test_mean_instead_of_sum():
    # layers [1, 2], identity, x = 1, W = [[1], [2]], y = [0, 0]: a = [1, 2]
    # squared_error: L = 1 + 4 = 5, grad.W = [[2], [4]]; mean over outputs: L = 2.5, [[1], [2]]
    # mse: L = 2.5, grad.W = [[1], [2]]; summed instead: L = 5, [[2], [4]]
    params = {"x": 1.0, "y": [0.0, 0.0], "W1": [[1.0], [2.0]]}
    for loss, right, wrong in [("squared_error", (5, [2, 4]), (2.5, [1, 2])), ("mse", (2.5, [1, 2]), (5, [2, 4]))]:
        spec = NetworkSpec(layers=(1, 2), activations=("identity",), bias=False, loss=loss)
        good = evaluate(spec, params, ["loss", "grad.W1"])
        bad = evaluate(spec, params, ["loss", "grad.W1"], mistake="mean_instead_of_sum")
        assert good["loss"] == pytest.approx(right[0])
        np.testing.assert_allclose(good["grad.W1"].ravel(), right[1])
        assert bad["loss"] == pytest.approx(wrong[0])
        np.testing.assert_allclose(bad["grad.W1"].ravel(), wrong[1])


def test_sum_over_batch():
    # the course net on x = [2, 1], y = [1, 1]. Example 2: z1 = 0.5, a1 = 0.5, z2 = 0.15,
    # (0.15 − 1)² = 0.7225. Mean loss (0.49 + 0.7225)/2 = 0.60625; summed 1.2125.
    # dL/dz2 = [2(−0.7), 2(−0.85)]/2 = [−0.7, −0.85]; grad.W2 = −0.7·1 − 0.85·0.5 = −1.125;
    # summed over the batch instead: −2.25
    params = {**PARAMS, "x": [2.0, 1.0], "y": [1.0, 1.0]}
    good = _values(COURSE, params, ["loss", "grad.W2"])
    bad = _values(COURSE, params, ["loss", "grad.W2"], mistake="sum_over_batch")
    assert good == pytest.approx({"loss": 0.60625, "grad.W2": -1.125})
    assert bad == pytest.approx({"loss": 1.2125, "grad.W2": -2.25})


def test_no_transpose():
    # layers [1, 2, 2], identity, no bias, ½(a − y)², x = 1, W1 = [[1], [0]],
    # W2 = [[1, 2], [3, 4]], y = [0, 0]: a1 = [1, 0], z2 = [1·1 + 2·0, 3·1 + 4·0] = [1, 3],
    # dL/dz2 = [1, 3]. Correct dL/da1 = W2ᵀ[1, 3] = [1 + 9, 2 + 12] = [10, 14];
    # with W2 instead: [1 + 6, 3 + 12] = [7, 15] → grad.W1 = [[7], [15]]
    spec = NetworkSpec(layers=(1, 2, 2), activations=("identity", "identity"), bias=False,
                       loss="half_squared_error")
    params = {"x": 1.0, "y": [0, 0], "W1": [[1.0], [0.0]], "W2": [[1, 2], [3, 4]]}
    good = evaluate(spec, params, ["dL/da1", "grad.W1"])
    bad = evaluate(spec, params, ["dL/da1", "grad.W1"], mistake="no_transpose")
    np.testing.assert_allclose(good["dL/da1"], [10, 14])
    np.testing.assert_allclose(bad["dL/da1"], [7, 15])
    np.testing.assert_allclose(bad["grad.W1"], [[7], [15]])


def test_not_applicable_mistakes_return_none():
    # [1, 3, 2]: no square matrix; one output unit elsewhere; one example; no relu
    spec = NetworkSpec(layers=(1, 3, 2), activations=("tanh", "identity"), loss="mse")
    params = {"x": 1.0, "y": [0, 1], "W1": [0.1, 0.2, 0.3], "b1": [0, 0, 0],
              "W2": np.ones((2, 3)), "b2": [0, 0], "lr": 0.1}
    assert evaluate_mistake(spec, params, ["grad.W1"], "no_transpose") is None
    assert evaluate_mistake(spec, params, ["grad.W1"], "sum_over_batch") is None
    assert evaluate_mistake(spec, params, ["grad.W1"], "dead_relu_passes_gradient") is None
    assert evaluate_mistake(spec, params, ["grad.W1"], "update_sign") is not None
    assert evaluate_mistake(COURSE, PARAMS, ["grad.W1"], "mean_instead_of_sum") is None
    with pytest.raises(MistakeNotApplicable):
        evaluate(spec, params, ["grad.W1"], mistake="no_transpose")
    with pytest.raises(UnknownMistake, match="did you mean 'update_sign'"):
        evaluate(spec, params, ["grad.W1"], mistake="update_sing")


def test_mistake_candidates():
    assert mistake_candidates(COURSE, PARAMS, "updated.W1", 0.416) == [
        ("update_sign", MISTAKES["update_sign"].feedback)
    ]
    assert [m for m, _ in mistake_candidates(COURSE, PARAMS, "dL/dW1", -0.42)] == ["no_factor_two"]
    assert [m for m, _ in mistake_candidates(COURSE, PARAMS, "updated.W1", 1.34)] == ["no_learning_rate"]
    # the right answer, or an unexplained one, matches no mistake
    assert mistake_candidates(COURSE, PARAMS, "updated.W1", 0.584) == []
    assert mistake_candidates(COURSE, PARAMS, "updated.W1", 0.777) == []
    # with error carried forward: learner's z1 = 2 → dL/dW1 = −0.48; without the 2: −0.24
    found = mistake_candidates(COURSE, PARAMS, "dL/dW1", -0.24, overrides={"z1": 2.0})
    assert [m for m, _ in found] == ["no_factor_two"]


def test_override_of_lr_and_of_end_results():
    # learner's lr = 0.2: W1′ = 0.5 − 0.2·(−0.84) = 0.668; overriding the loss or a training
    # result changes nothing downstream
    v = _values(COURSE, PARAMS, ["updated.W1", "grad.W1"], overrides={"lr": 0.2, "loss": 7.0,
                                                                       "dead_fraction": 0.5})
    assert v == pytest.approx({"updated.W1": 0.668, "grad.W1": -0.84})


def test_low_level_api_on_the_course_network():
    from quizact.nn import forward, gradients, sgd_step

    net = COURSE.build()
    ws = [np.array([[0.5]]), np.array([[0.3]])]
    x, y = np.array([[2.0]]), np.array([[1.0]])
    t = forward(net, ws, None, x, y)
    assert t["z1"].item() == 1.0 and t["loss"] == pytest.approx(0.49)
    assert "grad.W1" not in t
    g = gradients(net, ws, None, x, y)
    assert g["grad.W1"].item() == pytest.approx(-0.84)
    new_ws, new_bs, trace = sgd_step(net, ws, None, x, y, 0.1)
    assert new_bs is None
    assert [w.item() for w in new_ws] == pytest.approx([0.584, 0.44])
    assert ws[0].item() == 0.5  # not modified in place
    assert trace["updated.W1"] is new_ws[0]
