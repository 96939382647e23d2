"""Activations: values against independent scalar formulas, derivatives against central
finite differences, softmax against its Jacobian, kink conventions, stability at ±1000."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizact.nn.activations import ACTIVATIONS, get_activation

ELEMENTWISE = [n for n, a in ACTIVATIONS.items() if a.elementwise]
H = 1e-6
FINITE = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# Reference definitions written from the textbook formulas, one scalar at a time.
REFERENCE = {
    "identity": lambda x: x,
    "linear": lambda x: x,
    "relu": lambda x: max(0.0, x),
    "leaky_relu": lambda x: x if x > 0 else 0.01 * x,
    "elu": lambda x: x if x > 0 else math.exp(x) - 1.0,
    "gelu": lambda x: x * _phi(x),
    "gelu_tanh": lambda x: 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
    "swish": lambda x: x * _sig(x),
    "silu": lambda x: x * _sig(x),
    "softplus": lambda x: math.log(1.0 + math.exp(x)),
    "sigmoid": _sig,
    "tanh": math.tanh,
}
# Points away from the kink at 0 so that central differences are exact enough.
POINTS = np.array([-6.0, -2.5, -1.0, -0.3, -0.01, 0.02, 0.4, 1.0, 2.0, 5.5])


def test_registry_names():
    expected = {
        "identity", "linear", "relu", "leaky_relu", "elu", "gelu", "gelu_tanh", "swish",
        "silu", "softplus", "sigmoid", "tanh", "softmax",
    }
    assert set(ACTIVATIONS) == expected


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_values_match_reference(name):
    got = ACTIVATIONS[name](POINTS)
    want = np.array([REFERENCE[name](float(x)) for x in POINTS])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    fd = (act(POINTS + H) - act(POINTS - H)) / (2 * H)
    d = act.derivative(POINTS)
    rel = np.abs(d - fd) / np.maximum(np.maximum(np.abs(d), np.abs(fd)), 1e-8)
    assert rel.max() <= 1e-6, (name, rel.max())


@pytest.mark.parametrize(
    ("name", "opts"),
    [("leaky_relu", {"alpha": 0.2}), ("elu", {"alpha": 0.5}), ("swish", {"beta": 1.7})],
)
def test_options_are_used_by_value_and_derivative(name, opts):
    act = get_activation(name, **opts)
    fd = (act(POINTS + H) - act(POINTS - H)) / (2 * H)
    np.testing.assert_allclose(act.derivative(POINTS), fd, rtol=1e-6, atol=1e-9)
    if name == "leaky_relu":
        assert act(-1.0) == pytest.approx(-0.2)
    if name == "elu":
        assert act(-1.0) == pytest.approx(0.5 * (math.exp(-1) - 1))
    if name == "swish":
        assert act(1.0) == pytest.approx(1.0 / (1.0 + math.exp(-1.7)))


def test_gelu_exact_values():
    # Φ(1) = 0.841344746068543, Φ(−1) = 0.158655253931457 (standard normal table)
    g = ACTIVATIONS["gelu"]
    assert g(1.0) == pytest.approx(0.8413447460685429, abs=1e-12)
    assert g(-1.0) == pytest.approx(-0.15865525393145707, abs=1e-12)
    assert g(0.0) == 0.0
    # gelu′(0) = Φ(0) = 0.5
    assert g.derivative(0.0) == pytest.approx(0.5, abs=1e-15)


def test_kink_conventions_at_zero():
    assert ACTIVATIONS["relu"].derivative(0.0) == 0.0
    assert get_activation("leaky_relu", alpha=0.1).derivative(0.0) == pytest.approx(0.1)
    assert get_activation("elu", alpha=0.5).derivative(0.0) == pytest.approx(0.5)
    assert ACTIVATIONS["relu"].derivative(1e-300) == 1.0


def test_sigmoid_textbook_values():
    s = ACTIVATIONS["sigmoid"]
    assert s(0.0) == 0.5
    assert s.derivative(0.0) == 0.25  # the maximum slope of the sigmoid
    assert s(-6.0) == pytest.approx(0.002472623156634768)
    assert s.derivative(-10.0) == pytest.approx(4.5395807735907655e-05, rel=1e-12)


def test_softmax_course_example():
    p = ACTIVATIONS["softmax"]([2.0, 1.0, 0.1])
    np.testing.assert_array_equal(np.round(p, 3), [0.659, 0.242, 0.099])
    assert p.sum() == pytest.approx(1.0)


def test_softmax_temperature():
    z = np.array([2.0, 1.0, 0.1])
    for t in (0.5, 2.0):
        p = get_activation("softmax", temperature=t)(z)
        e = np.exp(z / t)
        np.testing.assert_allclose(p, e / e.sum(), rtol=1e-14)
    sharp = get_activation("softmax", temperature=0.5)(z)
    flat = get_activation("softmax", temperature=2.0)(z)
    assert sharp.max() > ACTIVATIONS["softmax"](z).max() > flat.max()


@pytest.mark.parametrize("t", [1.0, 0.5, 3.0])
def test_softmax_jacobian_matches_finite_differences(t):
    sm = get_activation("softmax", temperature=t)
    z = np.array([0.3, -1.2, 2.0, 0.7])
    fd = np.empty((4, 4))
    for j in range(4):
        dz = np.zeros(4)
        dz[j] = H
        fd[:, j] = (sm(z + dz) - sm(z - dz)) / (2 * H)
    jac = sm.derivative(z)
    np.testing.assert_allclose(jac, fd, rtol=1e-6, atol=1e-10)
    # (diag(p) − p pᵀ)/T written out
    p = sm(z)
    np.testing.assert_allclose(jac, (np.diag(p) - np.outer(p, p)) / t, rtol=1e-13)
    # the vector-Jacobian product agrees with gᵀJ, row-wise on a batch
    g = np.array([[1.0, -2.0, 0.5, 0.0], [0.0, 1.0, 0.0, -1.0]])
    np.testing.assert_allclose(sm.vjp(np.stack([z, z]), g), g @ jac, rtol=1e-12, atol=1e-15)


def test_elementwise_jacobian_is_diagonal():
    z = np.array([-1.0, 0.5, 2.0])
    jac = ACTIVATIONS["tanh"].jacobian(z)
    np.testing.assert_allclose(jac, np.diag(1 - np.tanh(z) ** 2), rtol=1e-13)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_stable_at_extremes(name):
    act = ACTIVATIONS[name]
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        values = act(z)
        deriv = act.derivative(z)
        vjp = act.vjp(z, np.ones_like(z))
    for arr in (values, deriv, vjp):
        assert np.all(np.isfinite(arr)), (name, arr)


def test_extreme_values_are_right():
    z = np.array([-1000.0, 1000.0])
    np.testing.assert_array_equal(ACTIVATIONS["sigmoid"](z), [0.0, 1.0])
    np.testing.assert_array_equal(ACTIVATIONS["softplus"](z), [0.0, 1000.0])
    np.testing.assert_array_equal(ACTIVATIONS["elu"](z), [-1.0, 1000.0])
    np.testing.assert_array_equal(ACTIVATIONS["gelu"](z), [0.0, 1000.0])
    np.testing.assert_array_equal(ACTIVATIONS["swish"](z), [0.0, 1000.0])
    np.testing.assert_array_equal(ACTIVATIONS["softmax"]([1000.0, -1000.0, 0.0]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(ACTIVATIONS["sigmoid"].derivative(z), [0.0, 0.0])


def test_unknown_activation_suggests():
    with pytest.raises(ValueError, match="did you mean 'relu'"):
        get_activation("rellu")


def test_options_ignored_where_not_taken_and_temperature_checked():
    assert get_activation("relu", alpha=0.3) is ACTIVATIONS["relu"]
    with pytest.raises(ValueError, match="temperature"):
        get_activation("softmax", temperature=0.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(FINITE, min_size=1, max_size=6))
def test_finite_everywhere_and_sigmoid_symmetry(zs):
    z = np.array(zs)
    with np.errstate(all="raise"):
        for act in ACTIVATIONS.values():
            assert np.all(np.isfinite(act(z))) and np.all(np.isfinite(act.derivative(z)))
        s = ACTIVATIONS["sigmoid"]
        np.testing.assert_allclose(s(-z), 1.0 - s(z), atol=1e-15)
        p = ACTIVATIONS["softmax"](z)
        assert p.sum() == pytest.approx(1.0) and np.all(p >= 0)
