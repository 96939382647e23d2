"""The shapes, activation-choice, plot-reading and initialisation / deep-gradient-flow
cards: their numbers recomputed here independently of quizact (plain NumPy loops, finite
differences, Monte Carlo, values worked by hand), and each kind has at least three cards."""

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
SEEDS = range(10)


def sig(z):
    return 1 / (1 + np.exp(-z))


def variants(card_id, seeds=SEEDS):
    card = CARDS[card_id]
    for seed in seeds:
        variant = instantiate(card, seed)
        p = {k: np.asarray(v, dtype=float) for k, v in variant.params.items()}
        yield p, [np.asarray(v, dtype=float) for v in expected_values(card, variant)]


@pytest.mark.parametrize("kind", ["shapes", "activation-choice", "plot-reading", "initialisation"])
def test_each_kind_has_at_least_three_cards(kind):
    assert sum(kind in c.tags for c in PACK.cards) >= 3


def test_plot_reading_cards_show_their_plot_before_answering_without_marking_the_answer():
    cards = [c for c in PACK.cards if "plot-reading" in c.tags]
    assert len(cards) >= 5
    for card in cards:
        assert card.plot is not None and card.plot.when == "before", card.id
    # the one marked plot marks z, the input; what is asked is the slope and σ(z + h)
    marked = [c for c in cards if c.plot.mark]
    assert [(c.id, c.plot.mark) for c in marked] == [("plot-read-sigmoid-tangent", "z")]


# ------------------------------------------------------------------------ shapes


def test_mlp_shapes_are_those_numpy_gives():
    for p, values in variants("shapes-mlp-forward", range(4)):
        n0, n1, n2, B = (int(p[k]) for k in ("n0", "n1", "n2", "B"))
        X, W1, b1, W2, b2 = np.zeros((B, n0)), np.zeros((n1, n0)), np.zeros(n1), np.zeros((n2, n1)), np.zeros(n2)
        Z1 = X @ W1.T + b1
        Z2 = np.maximum(Z1, 0) @ W2.T + b2
        assert [list(v) for v in values[:4]] == [list(W1.shape), list(Z1.shape), list(W2.shape), list(Z2.shape)]
        assert values[4] == W1.size + b1.size + W2.size + b2.size
    for p, values in variants("shapes-mlp-backward", range(4)):
        n0, n1, n2, B = (int(p[k]) for k in ("n0", "n1", "n2", "B"))
        dZ2, A1, W2, X = np.zeros((B, n2)), np.zeros((B, n1)), np.zeros((n2, n1)), np.zeros((B, n0))
        dZ1 = dZ2 @ W2
        assert [list(v) for v in values[:4]] == [list(dZ2.shape), list((dZ2.T @ A1).shape), list(dZ1.shape),
                                                 list((dZ1.T @ X).shape)]  # fmt: skip
        assert values[4] == n1 * B * n0


def test_mlp_shapes_worked_by_hand():
    # seed 1 draws a 1024-300-3 network and a batch of 200 (quizact solve … --seed 1)
    values = expected_values(CARDS["shapes-mlp-forward"], instantiate(CARDS["shapes-mlp-forward"], 1))
    assert values == [[300, 1024], [200, 300], [3, 300], [200, 3], 300 * 1024 + 300 + 3 * 300 + 3]
    assert values[4] == 308403


def test_batch_mean_weight_gradient_is_the_mean_of_outer_products():
    for p, values in variants("shapes-batch-mean-outer"):
        X, G = p["X"], p["G"]
        first = np.array([[G[0, j] * X[0, k] for k in range(3)] for j in range(2)])
        total = sum(np.array([[G[i, j] * X[i, k] for k in range(3)] for j in range(2)]) for i in range(3))
        assert np.allclose(values[0], first) and np.allclose(values[1], total)
        assert np.allclose(values[2], total / 3) and np.allclose(values[3], G.mean(axis=0))


def test_batch_mean_outer_worked_by_hand():
    # seed 1: X = [[-1, 2, 0], [2, -1, 0], [1, -2, -1]], G = [[-0.1, -0.7], [-0.2, -0.6], [-0.5, 0.5]]
    values = expected_values(CARDS["shapes-batch-mean-outer"], instantiate(CARDS["shapes-batch-mean-outer"], 1))
    assert np.allclose(values[0], [[0.1, -0.2, 0], [0.7, -1.4, 0]])
    assert np.allclose(values[1], [[-0.8, 1.0, 0.5], [0, -1.8, -0.5]])  # 0.1 − 0.4 − 0.5 = −0.8, …
    assert np.allclose(values[3], [-0.8 / 3, -0.8 / 3])


def test_batch_network_gradients_by_finite_differences():
    for p, values in variants("shapes-batch-network"):
        x, y, w, b = p["x"], p["y"], p["W1"], float(p["b1"])

        def loss(w, b, x=x, y=y):
            return np.mean([0.5 * (w @ x[i] + b - y[i]) ** 2 for i in range(4)])

        h = 1e-6
        dw = [(loss(w + h * e, b) - loss(w - h * e, b)) / (2 * h) for e in np.eye(2)]
        db = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
        yhat = np.array([w @ x[i] + b for i in range(4)])
        assert np.allclose(values[0].ravel(), yhat)
        assert np.allclose(values[1].ravel(), (yhat - y) / 4)
        assert np.allclose(values[2].ravel(), dw, atol=1e-7) and math.isclose(float(values[3]), db, abs_tol=1e-7)


def test_fan_out_sums_the_paths_scalar_input():
    for p, values in variants("shapes-fanout-scalar"):
        x, w, v, y = float(p["x"]), p["W1"], p["W2"], float(p["y"])

        def loss(x, v=v, w=w, y=y):
            return 0.5 * (sum(v[j] * math.tanh(w[j] * x) for j in range(3)) - y) ** 2

        h = 1e-6
        assert math.isclose(float(values[3]), (loss(x + h) - loss(x - h)) / (2 * h), rel_tol=1e-6, abs_tol=1e-9)
        assert np.allclose(values[0], np.tanh(w * x))


def test_fan_out_sums_the_paths_vector_input():
    for p, values in variants("shapes-fanout-vector"):
        x, W1, b1, W2, y = p["x"], p["W1"], p["b1"], p["W2"], float(p["y"])

        def loss(x, W1=W1, b1=b1, W2=W2, y=y):
            return (W2 @ np.maximum(W1 @ x + b1, 0) - y) ** 2

        h = 1e-6
        dx = [(loss(x + h * e) - loss(x - h * e)) / (2 * h) for e in np.eye(2)]
        assert np.allclose(values[2], dx, atol=1e-7)
        assert np.allclose(values[0], W1 @ x + b1)


# ------------------------------------------------------------------------ depth and initialisation


def test_the_relu_variance_rule_by_monte_carlo():
    """The rule the depth cards use, Var(z_next) = n·Var(w)·Var(z)/2 after a ReLU of a
    symmetric z, checked by simulation (fresh weights for each trial)."""
    rng = np.random.default_rng(7)
    n, examples, trials = 200, 200, 20
    for c in (1.0, 3.0):
        ratios = []
        for _ in range(trials):
            z = rng.normal(scale=1.7, size=(examples, n))
            z_next = np.maximum(z, 0) @ rng.normal(scale=math.sqrt(c / n), size=(n, n))
            ratios.append((z_next**2).mean() / (z**2).mean())
        assert math.isclose(np.mean(ratios), c / 2, rel_tol=0.03), np.mean(ratios)


def test_deep_spread_cards_worked_by_hand():
    for p, values in variants("deep-spread-normal-init"):
        n, L = float(p["n"]), int(p["L"])
        var = n  # layer 1: n·1·E[x²]
        for _ in range(L - 1):
            var *= n * 1.0 * 0.5
        assert np.allclose([float(v) for v in values], [math.sqrt(n), n / 2, math.sqrt(var), 2 / n])
    for p, values in variants("deep-relu-variance-scale"):
        c, L, s = float(p["c"]), int(p["L"]), float(p["s"])
        std = s
        for _ in range(L - 1):
            std *= math.sqrt(c / 2)
        assert np.allclose([float(v) for v in values], [c / 2, std, std**2 / s**2])  # variance ∝ std²
    for p, values in variants("deep-spread-xavier-tanh"):
        sizes = [float(p[k]) for k in ("n0", "n1", "n2", "n3")]
        gain = 1.0
        for n_in, n_out in zip(sizes, sizes[1:]):
            gain *= n_in * 2 / (n_in + n_out)
        n0, n1 = sizes[:2]
        assert np.allclose([float(v) for v in values], [2 / (n0 + n1), 2 * n0 / (n0 + n1), 2 * n1 / (n0 + n1), gain])
    # one variant by hand: 784-256-128-10 → gains 1568/1040, 512/384, 256/138
    assert math.isclose(1568 / 1040 * 512 / 384 * 256 / 138, 3.7292, rel_tol=1e-4)


def test_sigmoid_bound_and_depth_count():
    for p, values in variants("deep-sigmoid-gradient-bound"):
        L, wmax, k = int(p["L"]), float(p["wmax"]), int(p["k"])
        depth = next(d for d in range(1, 100) if 0.25**d < 10.0**-k)  # brute force
        assert np.allclose([float(v) for v in values], [(wmax * 0.25) ** L, wmax**L, depth])
    assert [next(d for d in range(1, 100) if 0.25**d < 10.0**-k) for k in (3, 6, 9, 12)] == [5, 10, 15, 20]


def test_chain_factors_against_a_loop():
    for p, values in variants("deep-chain-compare-activations"):
        z, w = p["z"], float(p["w"])
        f_sig = f_tanh = f_relu = 1.0
        for zl in z:
            f_sig *= w * sig(zl) * (1 - sig(zl))
            f_tanh *= w * (1 - math.tanh(zl) ** 2)
            f_relu *= w * (1.0 if zl > 0 else 0.0)
        assert np.allclose([float(v) for v in values], [f_sig, f_tanh, f_relu])


def chain_grads(x, ws, act, y):
    """|dL/dw_l| for a one-unit chain, by finite differences on the loss."""

    def loss(ws):
        a = x
        for w in ws[:-1]:
            a = act(w * a)
        return 0.5 * (ws[-1] * a - y) ** 2

    h = 1e-6
    return [abs(loss(ws + h * e) - loss(ws - h * e)) / (2 * h) for e in np.eye(len(ws))]


@pytest.mark.parametrize("card_id, layers, act", [
    ("deep-network-grad-norms-sigmoid", 6, sig),
    ("deep-network-grad-norms-relu", 8, lambda z: np.maximum(z, 0)),
])  # fmt: skip
def test_chain_gradient_norms_by_finite_differences(card_id, layers, act):
    for p, values in variants(card_id):
        ws = np.array([float(p[f"W{k}"]) for k in range(1, layers + 1)])
        grads = chain_grads(float(p["x"]), ws, act, float(p["y"]))
        a = float(p["x"])
        for w in ws[:-1]:
            a = act(w * a)
        assert math.isclose(float(values[0]), ws[-1] * a, rel_tol=1e-9)
        top = grads[-1]
        got = [float(v) for v in values[1:]]
        if layers == 6:
            assert np.allclose(got, [top, grads[2], grads[0], grads[0] / top], rtol=1e-5)
        else:
            assert np.allclose(got, [top, grads[0], grads[0] / top], rtol=1e-5)
            assert math.isclose(grads[0] / top, ws[-1] / ws[0], rel_tol=1e-5)  # the explanation's w₈/w₁


def test_constant_init_gives_both_units_the_same_gradient():
    for p, values in variants("constant-init-symmetry"):
        x, W1, b1, W2, y, lr = p["x"], p["W1"], p["b1"], p["W2"], float(p["y"]), float(p["lr"])

        def loss(W1, x=x, b1=b1, W2=W2, y=y):
            return 0.5 * (W2 @ np.tanh(W1 @ x + b1) - y) ** 2

        h = 1e-6
        grad = np.array([[(loss(W1 + h * E) - loss(W1 - h * E)) / (2 * h)
                          for E in (np.eye(4)[2 * i + j].reshape(2, 2) for j in range(2))]
                         for i in range(2)])  # fmt: skip
        assert np.allclose(values[2], grad, atol=1e-7)
        assert np.allclose(values[2][0], values[2][1])  # the two units' rows are equal
        assert np.allclose(values[3], W1 - lr * grad, atol=1e-7)
        assert np.allclose(values[3][0], values[3][1])


# ------------------------------------------------------------------------ plots


def test_gelu_derivative_peak_and_dip_on_a_grid():
    z = np.linspace(-4, 4, 800001)
    erf = np.vectorize(math.erf)
    d = 0.5 * (1 + erf(z / math.sqrt(2))) + z * np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    card = CARDS["plot-read-gelu-slope-peak"]
    values = [float(v) for v in expected_values(card, instantiate(card, 0))]
    assert math.isclose(values[0], z[d.argmax()], abs_tol=1e-4)
    assert math.isclose(values[1], d.max(), rel_tol=1e-8) and math.isclose(values[1], 1.1289, abs_tol=1e-4)
    assert math.isclose(values[2], d.min(), rel_tol=1e-8) and math.isclose(values[2], -0.1289, abs_tol=1e-4)


def test_softmax_against_one_logit():
    for p, values in variants("plot-read-softmax-one-logit"):
        c1, c2, z = float(p["c1"]), float(p["c2"]), float(p["z"])

        def p1(t, c1=c1, c2=c2):
            e = np.exp(np.array([t, c1, c2]))
            return (e / e.sum())[0]

        lo, hi = -50.0, 50.0  # bisection for p₁ = ½
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if p1(mid) < 0.5 else (lo, mid)
        h = 1e-6
        got = [float(v) for v in values]
        assert np.allclose(got, [lo, p1(z), (p1(z + h) - p1(z - h)) / (2 * h)], rtol=1e-6)


def test_sigmoid_tangent_estimate():
    for p, values in variants("plot-read-sigmoid-tangent"):
        z, h = float(p["z"]), float(p["h"])
        eps = 1e-6
        slope = (sig(z + eps) - sig(z - eps)) / (2 * eps)
        assert np.allclose([float(v) for v in values], [slope, sig(z) + h * slope, sig(z + h)], rtol=1e-6)


def test_the_loss_plateau_explanations_hold():
    """The explanations say: the sigmoid runs sit at ln 2 at step 200 and then reach 0.1;
    the tanh runs sit at (ln 2)/2, and some of them stay there."""
    for _p, values in variants("plot-read-loss-plateau-sigmoid", range(12)):
        assert math.isclose(float(values[0]), math.log(2), rel_tol=0.01)
        assert 500 < float(values[1]) < 2000 and float(values[2]) < 0.1
    finals = set()
    for _p, values in variants("plot-read-loss-plateau-tanh", range(12)):
        assert math.isclose(float(values[0]), math.log(2) / 2, rel_tol=0.05)
        finals.add(float(values[1]) < 0.1)
    assert finals == {True, False}
