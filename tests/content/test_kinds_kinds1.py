"""The gradient-check, spot-the-bug and diagnose cards: their numbers recomputed here in
plain Python / NumPy, written apart from quizact's network and formula code (and, for one
variant each, worked by hand), and each kind present, tagged and randomised."""

from __future__ import annotations

import math

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


@pytest.mark.parametrize("kind,least", [("gradient-check", 7), ("spot-the-bug", 7)])
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

        def bce(z):
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
