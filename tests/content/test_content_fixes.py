"""What the built-in pack states is right: worked values in explanations recomputed here
independently (plain NumPy / math), one convention for class numbers, the log of every loss
named, and a numerically stable form computed stably."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from quizact.grading.card import expected_values
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate, render
from tests.conftest import CONTENT

PACK = load_pack(CONTENT / "nn-foundations")
CARDS = {c.id: c for c in PACK.cards}


def texts(card) -> str:
    return " ".join([card.prompt, *(s.prompt for s in getattr(card, "steps", None) or [])])


def test_the_sigmoid_xor_explanation_says_the_output_slope_cancels_with_bce():
    explain = " ".join(CARDS["experiment-xor-sigmoid-hidden"].explain.split())
    assert "σ′ at the output cancels" in explain and "(ŷ − y)/4" in explain
    assert "and by σ′ at the output" not in explain  # the old, wrong claim


def test_the_sigmoid_output_gradient_with_bce_is_the_error(rng):
    # independent check of the claim: d/dz of the mean BCE of σ(z) is (σ(z) − y)/n
    z, y = rng.normal(size=4), np.array([0.0, 1.0, 1.0, 0.0])

    def loss(z):
        p = 1 / (1 + np.exp(-z))
        return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))

    h = 1e-6
    numeric = [(loss(z + h * e) - loss(z - h * e)) / (2 * h) for e in np.eye(4)]
    assert np.allclose(numeric, (1 / (1 + np.exp(-z)) - y) / 4, atol=1e-8)


def test_the_negative_bias_explanation_lists_each_points_z():
    card = CARDS["experiment-negative-bias-relu"]
    W1, b1 = np.array(card.params["W1"]), np.array(card.params["b1"])
    explain = " ".join(card.explain.split())
    for point in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        z = W1 @ np.array(point) + b1
        listed = ", ".join(f"{v:g}".replace("-", "−") for v in np.round(z, 10))
        assert f"at ({point[0]},{point[1]})" in explain
        assert listed in explain, (point, listed)
    dead = [k + 1 for k in range(4) if all(W1[k] @ np.array(p) + b1[k] <= 0 for p in [(0, 0), (0, 1), (1, 0), (1, 1)])]
    assert dead == [2, 3, 4] and "units 2, 3 and 4" in explain


def test_stable_softplus_is_computed_with_log1p_and_its_steps_agree():
    card = CARDS["stable-softplus"]
    seen = {}
    for seed in range(60):
        variant = instantiate(card, seed)
        z = float(variant.params["z"])
        _, correction, total = (np.asarray(v, dtype=float).item() for v in expected_values(card, variant))
        seen[z] = correction
        exact = math.log1p(math.exp(-abs(z)))  # independent: the math module's log1p
        assert correction == pytest.approx(exact, rel=1e-12, abs=0)
        assert total == pytest.approx(max(0.0, z) + exact, rel=1e-12, abs=0)
        if z < 0:
            assert f"{correction:.2e}" == f"{total:.2e}"  # steps 2 and 3 agree to the digits asked
    assert seen[40] == pytest.approx(4.248354255291589e-18, rel=1e-12)  # e^(−40) ≈ 4.2484e-18, not 0
    assert seen[-30] == pytest.approx(9.357622968839299e-14, rel=1e-9)


LOG_LOSS = re.compile(r"cross-entropy|L = −log|log σ|log p", re.I)


def test_every_loss_with_a_log_says_natural_log():
    """A base-2 log changes every loss value and gradient by a factor 1/ln 2."""
    uses = [c for c in PACK.cards
            if LOG_LOSS.search(texts(c)) and c.kind != "choice"
            or (getattr(c, "network", None) or {}).get("loss") in ("bce", "softmax_cross_entropy")
            and "loss" in texts(c).lower()]  # fmt: skip
    assert len(uses) >= 12
    assert [c.id for c in uses if "natural log" not in " ".join(texts(c).split())] == []


def test_classes_are_numbered_from_1_as_in_the_course():
    """The course writes z = [z1, …, zK], softmax(zi): classes count from 1, so every card does."""
    for card in PACK.cards:
        text = " ".join(texts(card).split())
        assert not re.search(r"class(es)? (numbered )?0\b|classes 0, 1", text), card.id
        network = getattr(card, "network", None) or {}
        if network.get("loss") == "softmax_cross_entropy":
            # a drawn integer y is the network's 0-based class index: show one-hot targets instead
            for seed in range(20):
                y = np.asarray(instantiate(card, seed).params["y"])
                assert y.shape == (3,) and sorted(y.tolist()) == [0, 0, 1], card.id
            assert "numbered 1, 2, 3" in text, card.id
    assert "classes 1, 2, 3" in CARDS["softmax-jacobian-offdiagonal"].prompt


def test_one_hot_cards_render_the_target():
    card = CARDS["backprop-softmax-cross-entropy"]
    variant = instantiate(card, 4)
    prompt = render(card.prompt, variant.params)
    assert "one-hot target is y = [0, 1, 0]" in prompt
    # by hand for seed 4: z = [1.7, 0, 1.0], p₂ = 1/(e^1.7 + 1 + e) = 0.1088, L = −ln p₂
    loss = expected_values(card, variant)[2]
    assert np.asarray(loss, dtype=float).item() == pytest.approx(-math.log(1 / (math.exp(1.7) + 1 + math.e)), rel=1e-9)
