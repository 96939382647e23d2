"""The cards that complete the sequences of the course pack: XOR experiments from fresh
starting weights, the seed-spread experiments, the unscaffolded backprop card that ends the
backprop sequence, and the derivations with drawn coefficients.

Every number is recomputed here without quizact's network or grader: a plain NumPy XOR
trainer written from the card's own prompt, finite differences, sympy's ``diff`` of the
function the prompt names, and values worked by hand."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp
import yaml

from quizact.grading.card import Context, expected_values, grade
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate, render
from tests.conftest import CONTENT
from tests.content.test_kinds_kinds1 import fd  # central differences, written once
from tests.packs.cardfiles import problems, write_cards

PACK = load_pack(CONTENT / "nn-foundations")
CARDS = {c.id: c for c in PACK.cards}
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR = np.array([0.0, 1.0, 1.0, 0.0])


def sig(z):
    return 1 / (1 + np.exp(-z))


def train_xor(W1, b1, W2, b2, lr, steps):
    """Full-batch gradient descent on XOR as the prompts state it: hidden ReLU (ReLU′(0) = 0),
    sigmoid output, binary cross-entropy (natural log) averaged over the 4 points.
    Returns the loss after 0 … steps updates and the final weights."""
    W1, b1 = np.array(W1, float), np.array(b1, float)
    W2, b2 = np.array(W2, float).reshape(-1), float(b2)
    losses = []
    for k in range(steps + 1):
        z1 = CORNERS @ W1.T + b1  # (4, hidden)
        a1 = np.maximum(z1, 0)
        p = sig(a1 @ W2 + b2)
        losses.append(float(np.mean(-(XOR * np.log(p) + (1 - XOR) * np.log(1 - p)))))
        if k == steps:
            break
        d2 = (p - XOR) / 4  # σ′ cancels against the cross-entropy's derivative
        gW2, gb2 = a1.T @ d2, d2.sum()
        d1 = np.outer(d2, W2) * (z1 > 0)
        gW1, gb1 = d1.T @ CORNERS, d1.sum(axis=0)
        W1, b1, W2, b2 = W1 - lr * gW1, b1 - lr * gb1, W2 - lr * gW2, b2 - lr * gb2
    return losses, (W1, b1, W2, b2)


def dead(W1, b1) -> int:
    return int(np.sum(np.all(CORNERS @ np.asarray(W1).T + b1 <= 0, axis=0)))


# -- several starting weights -------------------------------------------------------------

def test_starting_weights_are_drawn_afresh():
    card = CARDS["experiment-xor-relu-starting-weights"]
    starts = {repr(instantiate(card, s).params["W1"]) for s in range(20)}
    assert len(starts) == 20


@pytest.mark.parametrize("seed", range(12))
def test_starting_weights_card_against_own_training(seed):
    card = CARDS["experiment-xor-relu-starting-weights"]
    variant = instantiate(card, seed)
    p = variant.params
    losses, (W1, b1, *_) = train_xor(p["W1"], p["b1"], p["W2"], p["b2"], lr=0.5, steps=300)
    start, after, final = (float(v) for v in expected_values(card, variant))
    assert start == dead(np.asarray(p["W1"], float), np.asarray(p["b1"], float))
    assert after == dead(W1, b1)
    assert final == pytest.approx(losses[-1], rel=1e-9, abs=1e-12)
    # no corner's z is ever 0 at the start: dead or alive is never decided by rounding
    assert np.all(np.abs(CORNERS @ np.asarray(p["W1"], float).T + p["b1"]) > 0.04)


def test_starting_weights_worked_by_hand():
    # seed 3: W₁ rows [−0.8, −0.5], [0.6, 0.2], [−0.8, −0.1], [−0.7, 0.5] and b₁ =
    # [−0.35, −0.35, −0.15, −0.15]: the largest z of each unit is b plus its positive
    # weights, −0.35, −0.35 + 0.6 + 0.2 = 0.45, −0.15, −0.15 + 0.5 = 0.35, so units 1 and 3 start dead
    card = CARDS["experiment-xor-relu-starting-weights"]
    variant = instantiate(card, 3)
    assert variant.params["W1"] == [[-0.8, -0.5], [0.6, 0.2], [-0.8, -0.1], [-0.7, 0.5]]
    assert float(expected_values(card, variant)[0]) == 2
    assert "[-0.35, 0.45, -0.15, 0.35] — so 2 of the four start dead" in " ".join(
        render(card.explain, Context(card, variant).shown()).split())


def test_the_starts_lead_to_both_outcomes():
    # the card is worth predicting: some starts solve XOR, some stall (the stalls the
    # explanation names: about 0.35, 0.48 and ln 2)
    card = CARDS["experiment-xor-relu-starting-weights"]
    finals = [float(expected_values(card, instantiate(card, s))[2]) for s in range(60)]
    solved = [f for f in finals if f < 0.1]
    stalled = [f for f in finals if f >= 0.1]
    assert len(solved) >= 20 and len(stalled) >= 5
    for f in stalled:
        assert min(abs(f - 0.347), abs(f - 0.478), abs(f - np.log(2))) < 0.01, f


# -- seed spread --------------------------------------------------------------------------

def own_runs_failed(hidden, first_seed, lr, runs=20, steps=500):
    """The prompt's recipe: g = default_rng(s).spawn(2)[1]; W₁ ~ N(0, 2/2), W₂ ~ N(0, 2/hidden)."""
    failed, stalls = 0, []
    for s in range(first_seed, first_seed + runs):
        g = np.random.default_rng(s).spawn(2)[1]
        W1 = g.normal(0, 1, (hidden, 2))
        W2 = g.normal(0, np.sqrt(2 / hidden), (1, hidden))
        losses, _ = train_xor(W1, np.zeros(hidden), W2, 0.0, lr, steps)
        if min(losses) > 0.1:
            failed += 1
            stalls.append(losses[-1])
    return failed, stalls


@pytest.mark.parametrize("card_id, hidden, low, high", [
    ("experiment-xor-relu-seed-spread", 2, 15, 19),
    ("experiment-xor-relu-seed-spread-wide", 4, 3, 8),
])
def test_seed_spread_against_own_runs(card_id, hidden, low, high):
    card = CARDS[card_id]
    seen = set()
    for seed in range(40):
        variant = instantiate(card, seed)
        key = (variant.params["seed"], variant.params["lr"])
        if key in seen:
            continue
        seen.add(key)
        want, stalls = own_runs_failed(hidden, *key)
        got = float(expected_values(card, variant)[0])
        assert got == want, key
        assert low <= want <= high, key  # the range the explanation states
        assert all(0.3 < s < 0.72 for s in stalls), stalls  # "stall near 0.35–0.48" or ln 2
    assert len(seen) == 6  # every seed × learning rate is drawn
    assert f"{low}–{high} of 20" in card.explain


def test_width_makes_failure_rarer_for_the_same_seeds():
    narrow, wide = CARDS["experiment-xor-relu-seed-spread"], CARDS["experiment-xor-relu-seed-spread-wide"]
    for seed in range(6):
        v = instantiate(narrow, seed)
        w = instantiate(wide, seed)
        assert v.params == w.params
        assert float(expected_values(wide, w)[0]) + 7 <= float(expected_values(narrow, v)[0])


def test_a_quarter_of_he_units_start_dead_with_zero_bias():
    # the explanation's "a quarter of the units": both weights negative ⇔ z ≤ 0 at all corners
    rng = np.random.default_rng(0)
    W = rng.normal(0, 1, (200_000, 2))
    assert np.mean(np.all(CORNERS @ W.T <= 0, axis=0)) == pytest.approx(0.25, abs=0.005)


def test_experiment_predictions_come_before_the_curve():
    for card_id in ("experiment-xor-relu-starting-weights", "experiment-xor-relu-seed-spread",
                    "experiment-xor-relu-seed-spread-wide"):
        card = CARDS[card_id]
        assert "experiment" in card.tags
        assert card.plot is None or card.plot.when != "before"
        assert "Predict" in card.prompt or "predict" in card.prompt


# -- the unscaffolded two-layer card ------------------------------------------------------

UNSCAFFOLDED = "backprop-two-layer-unscaffolded"


def two_layer_loss(p, W1=None, b1=None, W2=None):
    W1 = np.asarray(p["W1"], float) if W1 is None else W1
    b1 = np.asarray(p["b1"], float) if b1 is None else b1
    W2 = np.asarray(p["W2"], float) if W2 is None else W2
    y_hat = W2 @ np.tanh(W1 @ np.asarray(p["x"], float) + b1) + np.asarray(p["b2"], float)
    return 0.5 * np.sum((y_hat - np.asarray(p["y"], float)) ** 2)


def test_unscaffolded_worked_by_hand():
    # seed 1: x = [1, 2], W₁ = [[−0.6, 0.7], [−0.3, −0.1]], b₁ = [0.3, −0.1],
    # W₂ = [[0.1, −0.9], [0.5, 0.1]], b₂ = 0, y = [−1, 1]. By hand:
    # z₁ = [1.1, −0.6], a₁ = [0.80050, −0.53705], ŷ = [0.56339, 0.34655],
    # δ₂ = [1.56339, −0.65345], dL/dW₂ = δ₂a₁ᵀ = [[1.2515, −0.8396], [−0.5231, 0.3509]],
    # W₂ᵀδ₂ = [−0.17039, −1.47240], 1 − a₁² = [0.35920, 0.71158], δ₁ = [−0.061203, −1.04774],
    # dL/dW₁ = δ₁xᵀ = [[−0.0612, −0.1224], [−1.0477, −2.0955]]
    card = CARDS[UNSCAFFOLDED]
    variant = instantiate(card, 1)
    assert variant.params["x"] == [1, 2] and variant.params["y"] == [-1, 1]
    gW2, gW1, gb1 = (np.asarray(v) for v in expected_values(card, variant))
    np.testing.assert_allclose(gW2, [[1.2515, -0.8396], [-0.5231, 0.3509]], atol=2e-4)
    np.testing.assert_allclose(gW1, [[-0.0612, -0.1224], [-1.0477, -2.0955]], atol=2e-4)
    np.testing.assert_allclose(gb1, [-0.061203, -1.04774], atol=2e-5)
    assert grade(card, variant, ["[[1.25, -0.840], [-0.523, 0.351]]", "[[-0.0612, -0.122], [-1.05, -2.10]]",
                                 "[-0.0612, -1.05]"]).status == "correct"
    # the forgotten transpose (W₂δ₂ for W₂ᵀδ₂) is caught
    wrong = (np.asarray(variant.params["W2"]) @ [1.56339, -0.65345]) * [0.35920, 0.71158]
    assert grade(card, variant, ["[[1.25, -0.840], [-0.523, 0.351]]", str(np.outer(wrong, [1, 2]).round(4).tolist()),
                                 str(wrong.round(4).tolist())]).status == "incorrect"


@pytest.mark.parametrize("seed", range(10))
def test_unscaffolded_against_finite_differences(seed):
    card = CARDS[UNSCAFFOLDED]
    variant = instantiate(card, seed)
    p = variant.params
    gW2, gW1, gb1 = (np.asarray(v, float) for v in expected_values(card, variant))
    np.testing.assert_allclose(gW2, fd(lambda w: two_layer_loss(p, W2=w), np.asarray(p["W2"], float)), atol=1e-7)
    np.testing.assert_allclose(gW1, fd(lambda w: two_layer_loss(p, W1=w), np.asarray(p["W1"], float)), atol=1e-7)
    np.testing.assert_allclose(gb1, fd(lambda b: two_layer_loss(p, b1=b), np.asarray(p["b1"], float)), atol=1e-7)


def test_unscaffolded_asks_only_for_gradients_of_both_layers():
    card = CARDS[UNSCAFFOLDED]
    assert [s.value for s in card.steps] == ["grad.W2", "grad.W1", "grad.b1"]
    assert list(card.network["layers"]) == [2, 2, 2]  # two layers, vectors throughout


def test_unscaffolded_ends_the_backprop_sequence(tmp_path, now):
    """In a fresh collection's queue (the order new cards are introduced in), the
    unscaffolded card comes after every card of the scalar and vector backprop topics."""
    from quizact.session import Session
    from tests import inside

    session = Session.open(tmp_path / "fresh.sqlite3", now)
    try:
        order = [r[0] for r in inside.collection(session).query(
            "SELECT card_id FROM cards WHERE pack_id = 'nn-foundations' ORDER BY position")]
    finally:
        session.close()
    topics = {}
    for path in sorted((CONTENT / "nn-foundations" / "cards").glob("*.yaml")):
        topics.update({c["id"]: c["topic"] for c in yaml.safe_load(path.read_text())})
    backprop = [c for c in order if topics[c] in ("backprop-scalar", "backprop-vector")]
    assert len(backprop) >= 10
    assert max(order.index(c) for c in backprop) < order.index(UNSCAFFOLDED)


# -- derivations with drawn coefficients --------------------------------------------------

z = sp.Symbol("z")
sigma = sp.Lambda(z, 1 / (1 + sp.exp(-z)))
# the function each prompt names, written here from the prompt (not from the card's answer)
FUNCTIONS = {
    "sigmoid-affine-derivative": lambda p: sigma(p["a"] * z + p["b"]),
    "scaled-tanh-derivative": lambda p: p["c"] * sp.tanh(p["a"] * z),
    "softplus-affine-derivative": lambda p: sp.log(1 + sp.exp(p["a"] * z + p["b"])),
    "swish-beta-derivative": lambda p: z * sigma(p["beta"] * z),
}


def card_expression(card, params, text):
    """The card's formula with its constants replaced by this variant's values (sympy)."""
    names = {k: sp.nsimplify(params[k]) for k in card.constants}
    names.update(z=z, sigmoid=sigma, tanh=sp.tanh, exp=sp.exp)
    return sp.sympify(text.replace("^", "**"), locals=names)


@pytest.mark.parametrize("card_id", sorted(FUNCTIONS))
def test_drawn_derivative_is_sympys_derivative(card_id):
    card = CARDS[card_id]
    draws = set()
    points = np.linspace(-2.3, 2.1, 9)
    for seed in range(15):
        variant = instantiate(card, seed)
        params = {k: sp.nsimplify(v) for k, v in variant.params.items()}
        draws.add(tuple(sorted(params.items())))
        want = sp.lambdify(z, sp.diff(FUNCTIONS[card_id](params), z), "numpy")
        got = sp.lambdify(z, card_expression(card, params, card.answer), "numpy")
        np.testing.assert_allclose(got(points), want(points), rtol=1e-12, atol=1e-14)
        for m in card.mistakes:  # each listed mistake really is wrong in this variant
            bad = sp.lambdify(z, card_expression(card, params, str(m.answer)), "numpy")
            assert np.max(np.abs(bad(points) - want(points))) > 1e-3, (seed, m.answer)
        # the learner may type the constants' names or their values
        typed = re.sub(r"\b(" + "|".join(card.constants) + r")\b",
                       lambda m, variant=variant: f"({variant.params[m.group(1)]})", card.answer)
        assert typed != card.answer
        assert grade(card, variant, [card.answer]).status == "correct"
        assert grade(card, variant, [typed]).status == "correct", typed
    assert len(draws) >= 4


def test_sigmoid_affine_by_hand_with_the_values_typed():
    # seed 0 of sigmoid-affine-derivative: read a and b, type the derivative with numbers
    card = CARDS["sigmoid-affine-derivative"]
    variant = instantiate(card, 0)
    a, b = variant.params["a"], variant.params["b"]
    s = f"sigmoid({a}*z + ({b}))"
    assert grade(card, variant, [f"{a}*{s}*(1 - {s})"]).status == "correct"
    # σ′ without the inner factor: the feedback names a's value
    v = grade(card, variant, [f"{s}*(1 - {s})"])
    assert v.status == "incorrect" and f"a = {a}" in v.feedback
    # at z = 0 with a = 2, b = 1 by hand: 2·σ(1)(1 − σ(1)) = 2 · 0.7310586 · 0.2689414 = 0.3932239
    value = sp.lambdify(z, card_expression(card, {"a": 2, "b": 1}, card.answer))(0.0)
    assert value == pytest.approx(0.3932239, abs=1e-7)


# -- pack check: a symbolic mistake's feedback is compared as the learner sees it -------

def test_pack_check_fills_a_symbolic_mistakes_feedback(tmp_path):
    card = """\
        - id: c
          kind: symbolic
          params: {a: {choice: [2, 3]}}
          prompt: "d/dz of sigmoid(a z), a = {a}"
          variables: [z]
          constants: {a: a}
          answer: "a*sigmoid(a*z)*(1 - sigmoid(a*z))"
          mistakes:
            - {answer: "sigmoid(a*z)*(1 - sigmoid(a*z))", feedback: "times a = {a}"}
    """
    # before, the feedback was compared unfilled ("times a = {a}" against "times a = 2")
    assert problems(write_cards(tmp_path, card, name="ok.yaml"), deep=True) == []
    # the comparison still looks: a second mistake shadowed by the first is reported
    shadowed = card.rstrip(" ") + '            - {answer: "sigmoid(a*z)*(1 - sigmoid(a*z))", feedback: "other {a}"}\n'
    assert problems(write_cards(tmp_path, shadowed, pack="q", name="shadowed.yaml"), deep=True) == [
        "answer: mistake 2 'sigmoid(a*z)*(1 - sigmoid(a*z))' is not recognised (matched listed:0)"]
