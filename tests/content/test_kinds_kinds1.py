"""The gradient-check, spot-the-bug and diagnose cards: their numbers recomputed here in
plain Python / NumPy, written apart from quizact's network and formula code (and, for one
variant each, worked by hand), and each kind present, tagged and randomised."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from quizact.grading.card import expected_values
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from tests.conftest import CONTENT

PACK = load_pack(CONTENT / "nn-foundations")
CARDS = {c.id: c for c in PACK.cards}
SEEDS = range(25)


def values(card_id: str, seed: int) -> tuple[dict, list[np.ndarray]]:
    card = CARDS[card_id]
    variant = instantiate(card, seed)
    params = {k: np.asarray(v, dtype=float) for k, v in variant.params.items()}
    return params, [np.asarray(v, dtype=float) for v in expected_values(card, variant)]


def close(got, want, rtol=1e-9, atol=1e-12):
    np.testing.assert_allclose(np.asarray(got, dtype=float).reshape(np.shape(want)), want, rtol=rtol, atol=atol)


def sig(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("kind,least", [("gradient-check", 7), ("spot-the-bug", 7), ("diagnose", 4)])
def test_each_kind_has_its_cards_tagged_and_randomised(kind, least):
    cards = [c for c in PACK.cards if kind in c.tags]
    assert len(cards) >= max(3, least), [c.id for c in cards]
    for card in cards:
        draws = {repr(instantiate(card, seed).params) for seed in range(12)}
        assert len(draws) > 1, card.id


# -- gradient-check -------------------------------------------------------------------------


def test_walkthrough_check_worked_by_hand():
    # seed 1 draws x = 2, y = 1.9, W1 = 0.3, W2 = 0.8, h = 0.01. By hand:
    # L0 = (0.8·0.6 − 1.9)² = 1.42² = 2.0164; L(0.31) = (0.496 − 1.9)² = 1.971216;
    # L(0.29) = (0.464 − 1.9)² = 2.062096; centred = −0.09088/0.02 = −4.544 = 2(−1.42)(0.8)(2);
    # forward = (1.971216 − 2.0164)/0.01 = −4.5184; relative error 0.0256/4.544
    p, got = values("gradcheck-walkthrough", 1)
    assert (p["x"], p["y"], p["W1"], p["W2"], p["h"]) == (2, 1.9, 0.3, 0.8, 0.01)
    for g, want in zip(got, [2.0164, 1.971216, 2.062096, -4.544, -4.544, -4.5184, 0.0256 / 4.544]):
        close(g, want)


@pytest.mark.parametrize("seed", SEEDS)
def test_walkthrough_check_against_own_differences(seed):
    p, got = values("gradcheck-walkthrough", seed)
    x, y, w1, w2, h = (float(p[n]) for n in ("x", "y", "W1", "W2", "h"))

    def loss(w):
        return (w2 * max(w * x, 0.0) - y) ** 2

    analytic = 2 * (w2 * w1 * x - y) * w2 * x
    centred = (loss(w1 + h) - loss(w1 - h)) / (2 * h)
    forward = (loss(w1 + h) - loss(w1)) / h
    want = [loss(w1), loss(w1 + h), loss(w1 - h), centred, analytic, forward,
            abs(forward - analytic) / max(abs(forward), abs(analytic))]  # fmt: skip
    for g, v in zip(got, want):
        close(g, v, rtol=1e-8)
    assert centred == pytest.approx(analytic, rel=1e-9)  # a parabola: the centred estimate is exact
    assert forward - analytic == pytest.approx(h * (w2 * x) ** 2, rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_2_3_1_check_against_own_network(seed):
    p, got = values("gradcheck-2-3-1-entry", seed)
    x, y, W1, b1, W2, b2, h = (p[n] for n in ("x", "y", "W1", "b1", "W2", "b2", "h"))

    def loss(W):
        return float((sig(W2 @ np.maximum(W @ x + b1, 0) + b2) - y) ** 2)

    E = np.zeros((3, 2))
    E[1, 0] = h
    lp, lm = loss(W1 + E), loss(W1 - E)
    z1 = W1 @ x + b1
    a2 = sig(W2 @ np.maximum(z1, 0) + b2)
    analytic = 2 * (a2 - y) * a2 * (1 - a2) * W2[1] * (z1[1] > 0) * x[0]
    for g, v in zip(got, [lp, lm, (lp - lm) / (2 * h), analytic]):
        close(g, v, rtol=1e-8)
    # the three figures asked agree: the truncation error is far below them
    assert abs((lp - lm) / (2 * h) - analytic) < 5e-4 * abs(analytic)
    # losses rounded to seven figures still give the centred estimate to three
    r = [float(f"{v:.7g}") for v in (lp, lm)]
    assert abs((r[0] - r[1]) / (2 * h) - analytic) < 5e-3 * abs(analytic)


def test_relu_kink_worked_by_hand():
    # seed 1: x = 1, W1 = 0.05, b1 = −0.04, W2 = 0.6, y = 1, h = 0.05. z1 = 0.01;
    # L(0.10) = (0.6·0.06 − 1)² = 0.929296; L(0.00): z = −0.04, ŷ = 0, L = 1;
    # centred = −0.070704/0.1 = −0.70704; backprop 2(0.006 − 1)·0.6·1·1 = −1.1928;
    # relative error (1.1928 − 0.70704)/1.1928
    p, got = values("gradcheck-relu-kink", 1)
    assert (p["x"], p["W1"], p["b1"], p["W2"], p["y"], p["h"]) == (1, 0.05, -0.04, 0.6, 1, 0.05)
    for g, want in zip(got, [0.01, 0.929296, 1.0, -0.70704, -1.1928, (1.1928 - 0.70704) / 1.1928]):
        close(g, want, rtol=1e-9)


def test_relu_kink_straddles_the_kink_and_fails_in_every_variant():
    inactive = 0
    for seed in range(60):
        p, got = values("gradcheck-relu-kink", seed)
        x, w1, b1, w2, y, h = (float(p[n]) for n in ("x", "W1", "b1", "W2", "y", "h"))
        z = w1 * x + b1
        assert (w1 - h) * x + b1 < 0 < (w1 + h) * x + b1  # the probes sit on both sides
        analytic = 2 * (w2 * max(z, 0) - y) * w2 * x * (z > 0)
        close(got[4], analytic)
        assert got[5] > 1e-2  # a check that fails (relative error above 10⁻²) although backprop is right
        inactive += z < 0
    assert 10 <= inactive <= 50  # both sides of the kink are drawn


def test_one_sided_vs_centred_on_the_cube():
    # w³ at w, step h: forward error 3wh + h², centred error h² (by expansion)
    for seed in range(12):
        p, got = values("gradcheck-one-sided-vs-centred", seed)
        w, h = float(p["w"]), float(p["h"])
        want = [3 * w * w + 3 * w * h + h * h, 3 * w * w + h * h, 3 * w * h + h * h, h * h,
                3 * w * h / 10 + h * h / 100, h * h / 100]  # fmt: skip
        for g, v in zip(got, want):
            close(g, v, rtol=1e-7)


def test_choose_h_worked_by_hand():
    # seed 1: M = 2, ε = 1.2e-7. E(1e-2) = 2e-4/6 + 1.2e-5; E(1e-10) = 1200 (round-off);
    # h* = (3.6e-7/2)^(1/3) = 5.646e-3
    p, got = values("gradcheck-choose-h", 1)
    assert (p["M"], p["eps"]) == (2, 1.2e-7)
    hs = (1.8e-7) ** (1 / 3)
    for g, want in zip(got, [2e-4 / 6 + 1.2e-5, 2e-20 / 6 + 1200, hs, 2 * hs**2 / 6 + 1.2e-7 / hs]):
        close(g, want, rtol=1e-9)
    assert 5.64e-3 < hs < 5.65e-3


# -- spot-the-bug ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_outer_order_numbers(seed):
    p, got = values("spot-bug-outer-order-numbers", seed)
    da1 = p["W2"] * p["d2"]
    dz1 = da1 * (p["z1"] > 0)
    bad = np.array([[xi * d for d in dz1] for xi in p["x"]])
    good = np.array([[d * xi for xi in p["x"]] for d in dz1])
    for g, v in zip(got, [da1, dz1, bad, good]):
        close(g, v)
    assert bad.shape == (2, 3) and good.shape == (3, 2)


@pytest.mark.parametrize("seed", range(10))
def test_derivative_at_activation_numbers(seed):
    p, got = values("spot-bug-derivative-at-a-numbers", seed)
    a = [1 / (1 + math.exp(-z)) for z in p["z1"]]
    bad = [d * (1 / (1 + math.exp(-ai))) * (1 - 1 / (1 + math.exp(-ai))) for d, ai in zip(p["da1"], a)]
    good = [d * ai * (1 - ai) for d, ai in zip(p["da1"], a)]
    for g, v in zip(got, [a, bad, good]):
        close(g, v)
    assert all(abs(b - c) > 1e-3 * abs(c) for b, c in zip(bad, good))


def test_bce_sigmoid_numbers_against_own_finite_difference():
    for seed in range(10):
        p, got = values("spot-bug-bce-sigmoid-numbers", seed)
        z, y = float(p["z2"]), float(p["y"])

        def bce(z, y=y):
            a = 1 / (1 + math.exp(-z))
            return -(y * math.log(a) + (1 - y) * math.log(1 - a))

        right = (bce(z + 1e-6) - bce(z - 1e-6)) / 2e-6  # the true dL/dz2
        a = 1 / (1 + math.exp(-z))
        assert got[2] == pytest.approx(right, rel=1e-6)
        close(got[0], a)
        close(got[1], (a - y) * a * (1 - a))
        close(got[3], 1 / (a * (1 - a)))


def test_update_sign_numbers_worked_by_hand():
    # seed 2: x = 3, y = −0.1, W1 = 0.8, W2 = −0.7, lr = 0.1. a1 = 2.4, ŷ = −1.68,
    # L = 1.58² = 2.4964; dL/dW2 = 2(−1.58)(2.4) = −7.584; buggy W2 = −0.7 − 0.7584 = −1.4584,
    # ŷ = −3.50016, L = 3.40016²; right W2 = 0.0584, ŷ = 0.14016, L = 0.24016²
    p, got = values("spot-bug-update-sign-numbers", 2)
    assert (p["x"], p["y"], p["W1"], p["W2"], p["lr"]) == (3, -0.1, 0.8, -0.7, 0.1)
    for g, want in zip(got, [2.4964, -7.584, -1.4584, 3.40016**2, 0.24016**2]):
        close(g, want)
    for seed in range(20):  # the buggy step always raises the loss, the right one lowers it
        _, got = values("spot-bug-update-sign-numbers", seed)
        assert got[3] > got[0] > got[4]


def test_softmax_numbers_overflow_and_stable_result():
    for seed in range(10):
        p, got = values("spot-bug-softmax-no-max-numbers", seed)
        z = [int(v) for v in p["z"]]
        with np.errstate(over="ignore", invalid="ignore"):
            naive = np.exp(np.array(z, dtype=float))
            assert np.isnan(naive / naive.sum()).all()  # the bug, as NumPy runs it
        m = max(z)
        e = [math.exp(v - m) for v in z]
        close(got[0], m / math.log(10))
        assert got[0] > math.log10(np.finfo(float).max)
        close(got[1], [v - m for v in z])
        close(got[2], [v / sum(e) for v in e])


def test_missing_transpose_numbers():
    for seed in range(10):
        p, got = values("spot-bug-missing-transpose-numbers", seed)
        W, d = p["W2"], p["d2"]
        close(got[0], [W[0, 0] * d[0] + W[0, 1] * d[1], W[1, 0] * d[0] + W[1, 1] * d[1]])
        close(got[1], [W[0, 0] * d[0] + W[1, 0] * d[1], W[0, 1] * d[0] + W[1, 1] * d[1]])


def test_batch_sum_numbers_worked_by_hand():
    # seed 2: x = [2, −2, −3, −1], y = [0, 2, 0, −2], w = 0.2, lr = 0.05. Residuals
    # wx − y = [0.4, −2.4, −0.6, 1.8]; loss (0.16 + 5.76 + 0.36 + 3.24)/4 = 2.38;
    # Σ x·r = 0.8 + 4.8 + 1.8 − 1.8 = 5.6, buggy 11.2, right 2.8; w: 0.2 − 0.56, 0.2 − 0.14
    p, got = values("spot-bug-batch-sum-numbers", 2)
    assert list(p["x"]) == [2, -2, -3, -1] and list(p["y"]) == [0, 2, 0, -2] and p["w"] == 0.2
    for g, want in zip(got, [2.38, 11.2, 2.8, -0.36, 0.06]):
        close(g, want)


# -- diagnose -------------------------------------------------------------------------------
# Each diagnose card's lets are the right value and the mistaken ones, worked out by hand
# formulas in the YAML. Here each is checked three ways: against the network with that mistake
# injected (quizact.nn's mistake library, which the card says made the student's number),
# against this file's own NumPy (gradients by central differences of the loss), and by asking
# the library which mistake explains the number as printed: it must name the option marked
# right, and only it.

from quizact.nn.mistakes import MISTAKES  # noqa: E402
from quizact.nn.quantities import evaluate, mistake_candidates  # noqa: E402
from quizact.nn.spec import NetworkSpec  # noqa: E402
from quizact.packs.choices import correct_options  # noqa: E402
from quizact.packs.params import render  # noqa: E402


def fd(loss, w, h=1e-6):
    """Central differences of ``loss`` at the array ``w`` (this file's own gradient)."""
    w = np.asarray(w, dtype=float)
    g = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        e = np.zeros_like(w)
        e[i] = h
        g[i] = (loss(w + e) - loss(w - e)) / (2 * h)
    return g


def sigmoid_hidden(p):
    x, y, w1, w2, lr = (float(p[n]) for n in ("x", "y", "W1", "W2", "lr"))
    spec = NetworkSpec(layers=(1, 1, 1), activations=("sigmoid", "identity"), bias=False, loss="squared_error")
    s = sig(w1 * x)
    g = fd(lambda w: (w2 * sig(w * x) - y) ** 2, w1)
    g_half = fd(lambda w: 0.5 * (w2 * sig(w * x) - y) ** 2, w1)  # the 2 dropped = half the loss
    slope_one = 2 * (w2 * s - y) * w2 * x  # σ′ taken as 1
    at_a = 2 * (w2 * s - y) * w2 * sig(s) * (1 - sig(s)) * x
    own = {"right": w1 - lr * g, "half": w1 - lr * g_half, "up": w1 + lr * g,
           "nof": w1 - lr * slope_one, "ata": w1 - lr * at_a, "nolr": w1 - g}  # fmt: skip
    return spec, dict(x=x, y=y, W1=w1, W2=w2, lr=lr), "updated.W1", own


def dead_relu(p):
    x, y, lr = float(p["x"]), float(p["y"]), float(p["lr"])
    w1, w2 = p["W1"].astype(float), p["W2"].astype(float)
    spec = NetworkSpec(layers=(1, 2, 1), activations=("relu", "identity"), bias=False, loss="squared_error")

    def loss(w, scale=1.0):
        return scale * (w2 @ np.maximum(w * x, 0) - y) ** 2

    g = fd(loss, w1)
    # ReLU′ taken as 1 on the way back only: the forward pass (ŷ) is the real one
    passing = 2 * (w2 @ np.maximum(w1 * x, 0) - y) * w2 * x
    assert np.count_nonzero(g) == 1  # the inactive unit's weight gets no gradient
    own = {"right": w1 - lr * g, "passes": w1 - lr * passing, "half": w1 - lr * fd(lambda w: loss(w, 0.5), w1),
           "up": w1 + lr * g, "nolr": w1 - g}  # fmt: skip
    return spec, dict(x=x, y=y, W1=w1.reshape(2, 1), W2=w2.reshape(1, 2), lr=lr), "updated.W1", own


def tanh_layer(p):
    x, y, W = (p[n].astype(float) for n in ("x", "y", "W"))
    spec = NetworkSpec(layers=(2, 2), activations=("tanh",), bias=False, loss="mse")

    def mean_loss(v):
        return np.mean((np.tanh(W @ v) - y) ** 2)

    a = np.tanh(W @ x)
    delta = (a - y) * (1 - a**2)
    own = {"right": fd(mean_loss, x), "wt": W @ delta,
           "sum2": fd(lambda v: np.sum((np.tanh(W @ v) - y) ** 2), x),
           "half": fd(lambda v: 0.5 * mean_loss(v), x), "nof": W.T @ (a - y),
           "ata": W.T @ ((a - y) * (1 - np.tanh(a) ** 2))}  # fmt: skip
    return spec, dict(x=x, y=y, W1=W), "dL/dx", own


def batch_update(p):
    x, y = p["x"].astype(float), p["y"].astype(float)
    w, lr = float(p["w"]), float(p["lr"])
    spec = NetworkSpec(layers=(1, 1), activations=("identity",), bias=False, loss="mse")
    g = fd(lambda v: np.mean((v * x - y) ** 2), w)
    summed = fd(lambda v: np.sum((v * x - y) ** 2), w)
    own = {"right": w - lr * g, "summed": w - lr * summed, "half": w - lr * g / 2, "up": w + lr * g, "nolr": w - g}
    return spec, dict(x=x.reshape(3, 1), y=y, W1=w, lr=lr), "updated.W1", own


# card id → (its network and own values, the lets of the options in the order written, with
# the mistake of the library each one is)
DIAGNOSE = {
    "diagnose-sigmoid-hidden-update": (sigmoid_hidden, [
        ("half", "no_factor_two"), ("up", "update_sign"), ("nof", "no_activation_derivative"),
        ("ata", "derivative_at_activation"), ("nolr", "no_learning_rate")]),
    "diagnose-dead-relu-update": (dead_relu, [
        ("passes", "dead_relu_passes_gradient"), ("half", "no_factor_two"), ("up", "update_sign"),
        ("nolr", "no_learning_rate")]),
    "diagnose-tanh-layer-input-gradient": (tanh_layer, [
        ("wt", "no_transpose"), ("sum2", "mean_instead_of_sum"), ("half", "no_factor_two"),
        ("nof", "no_activation_derivative"), ("ata", "derivative_at_activation")]),
    "diagnose-batch-gradient-update": (batch_update, [
        ("summed", "sum_over_batch"), ("half", "no_factor_two"), ("up", "update_sign"),
        ("nolr", "no_learning_rate")]),
}  # fmt: skip


def test_every_diagnose_card_is_checked_here():
    assert {c.id for c in PACK.cards if "diagnose" in c.tags} == set(DIAGNOSE)


@pytest.mark.parametrize("card_id", sorted(DIAGNOSE))
@pytest.mark.parametrize("seed", SEEDS)
def test_diagnose_values_are_the_mistake_librarys_and_our_own(card_id, seed):
    build, options = DIAGNOSE[card_id]
    card = CARDS[card_id]
    variant = instantiate(card, seed)
    v = {k: np.asarray(x, dtype=float) for k, x in variant.params.items()}
    spec, params, name, own = build(v)

    def shaped(value):
        return np.asarray(value, dtype=float).reshape(np.shape(v["right"]))

    close(shaped(evaluate(spec, params, name)[name]), v["right"], rtol=1e-9)
    close(v["right"], own["right"], rtol=1e-6, atol=1e-8)
    for let, mistake in options:
        close(shaped(evaluate(spec, params, name, mistake=mistake)[name]), v[let], rtol=1e-9)
        close(v[let], own[let], rtol=1e-6, atol=1e-8)
    # the student's number is the drawn mistake's, and the option marked right is that one
    m = int(v["m"])
    close(v["wrong"], v[options[m][0]])
    assert correct_options(card, variant.params) == {m}


@pytest.mark.parametrize("card_id", sorted(DIAGNOSE))
def test_the_printed_number_names_exactly_the_right_option(card_id):
    """Read back from the prompt as printed (rounded), the student's value is explained by the
    option marked right and by no other mistake of the library."""
    build, options = DIAGNOSE[card_id]
    card = CARDS[card_id]
    for seed in range(40):
        variant = instantiate(card, seed)
        v = {k: np.asarray(x, dtype=float) for k, x in variant.params.items()}
        spec, params, name, _ = build(v)
        shown = render(card.prompt, variant.params)
        numbers = re.findall(r"= \[?(-?\d+\.\d{3,4}(?:, -?\d+\.\d{3,4})?)\]?", shown)
        printed = np.array([float(t) for t in numbers[-1].split(", ")])
        close(printed, v["wrong"], rtol=0, atol=6e-4)
        found = [mid for mid, _ in mistake_candidates(spec, params, name, printed.reshape(np.shape(v["wrong"])),
                                                      tol=0, atol=1.5e-3)]  # fmt: skip
        right = options[int(v["m"])][1]
        assert right in found, (seed, found)
        # any other mistake that explains it is the same slip here (for ReLU, f′ taken as 1 is
        # the gradient let through a dead unit), never another option's
        others = {mistake for _, mistake in options} - {right}
        assert not others & set(found), (seed, found)
        for other in set(found) - {right}:
            close(evaluate(spec, params, name, mistake=other)[name], evaluate(spec, params, name, mistake=right)[name])


def test_diagnose_draws_every_mistake():
    for card_id, (_, options) in DIAGNOSE.items():
        drawn = {int(instantiate(CARDS[card_id], seed).params["m"]) for seed in range(60)}
        assert drawn == set(range(len(options))), card_id
        assert len(CARDS[card_id].options) == len(options)


def test_diagnose_sigmoid_worked_by_hand():
    # seed 0: x = 2, y = −0.5, W1 = −0.8, W2 = −1.5, lr = 0.2. By hand: z₁ = −1.6,
    # a₁ = 1/(1 + e^1.6) = 1/5.9530 = 0.167982; ŷ = −0.251972; dL/dŷ = 2(0.248028) = 0.496055;
    # σ′ = 0.167982·0.832018 = 0.139764; dL/dW₁ = 0.496055·(−1.5)·0.139764·2 = −0.207992;
    # right W₁ = −0.8 + 0.2·0.207992 = −0.758402; the 2 dropped: −0.8 + 0.1·0.207992 = −0.779201
    variant = instantiate(CARDS["diagnose-sigmoid-hidden-update"], 0)
    p = variant.params
    assert (p["x"], p["y"], p["W1"], p["W2"], p["lr"], p["m"]) == (2, -0.5, -0.8, -1.5, 0.2, 0)
    assert p["right"] == pytest.approx(-0.758402, abs=2e-6)
    assert p["half"] == pytest.approx(-0.779201, abs=2e-6)
    assert p["wrong"] == p["half"]  # m = 0: the first option, the dropped 2
    assert "got W₁ = -0.7792 afterwards" in render(CARDS["diagnose-sigmoid-hidden-update"].prompt, p)


def test_diagnose_options_describe_their_mistakes():
    """Each option says the library's mistake in the card's words: the key terms of the
    library's description appear in it."""
    keys = {"no_factor_two": "2", "update_sign": "+", "no_activation_derivative": "as 1",
            "derivative_at_activation": "instead of at z", "no_learning_rate": "learning rate",
            "dead_relu_passes_gradient": "ReLU′ as 1", "no_transpose": "instead of Wᵀ",
            "sum_over_batch": "instead of averaging", "mean_instead_of_sum": "instead of averaging"}  # fmt: skip
    for card_id, (_, options) in DIAGNOSE.items():
        for option, (_, mistake) in zip(CARDS[card_id].options, options):
            assert mistake in MISTAKES
            assert keys[mistake] in option.text, (card_id, option.text)
