"""Network fields drawn per review: ``temperature: T`` (or ``alpha``, ``beta``, ``clip``)
names a param or let, and the network uses the variant's value. Values recomputed here with
plain NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from quizact.grading.card import expected_values, grade
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from tests.packs.cardfiles import problems, write_cards

SOFTMAX = """\
    - id: t
      kind: steps
      network: {layers: [3, 3], activations: [softmax], bias: false, loss: softmax_cross_entropy, temperature: T}
      params:
        x: {integer: [-2, 2], shape: [3]}
        W1: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        y: 0
        T: {choice: [0.5, 2, 4]}
      prompt: "logits z = {x}, temperature {T}"
      steps:
        - {prompt: "p = softmax(z / T)", value: a1, tolerance: {sigfigs: 4}}
        - {prompt: "L", value: loss, tolerance: {sigfigs: 4}}
"""


def test_the_temperature_is_the_variants(tmp_path):
    path = write_cards(tmp_path, SOFTMAX)
    assert problems(path, deep=True) == []
    card = load_pack(path).card("t")
    temps = set()
    for seed in range(12):
        variant = instantiate(card, seed)
        z, T = np.asarray(variant.params["x"], float), float(variant.params["T"])
        temps.add(T)
        e = np.exp(z / T - np.max(z / T))
        p = e / e.sum()
        got_p, got_loss = (np.asarray(v, float) for v in expected_values(card, variant))
        np.testing.assert_allclose(got_p, p, rtol=1e-12)
        assert float(got_loss) == pytest.approx(-np.log(p[0]), rel=1e-12)
    assert temps == {0.5, 2.0, 4.0}


def test_a_temperature_worked_by_hand(tmp_path):
    # z = [1, 0, −1] at T = 2: softmax([0.5, 0, −0.5]) = [e^0.5, 1, e^−0.5]/(e^0.5 + 1 + e^−0.5)
    #   = [1.648721, 1, 0.606531]/3.255252 = [0.506480, 0.307196, 0.186324]
    card = load_pack(write_cards(tmp_path, SOFTMAX.replace("x: {integer: [-2, 2], shape: [3]}", "x: [1, 0, -1]")
                                 .replace("T: {choice: [0.5, 2, 4]}", "T: 2"))).card("t")
    variant = instantiate(card, 0)
    assert grade(card, variant, ["[0.5065, 0.3072, 0.1863]", "0.6803"]).status == "correct"  # L = −ln 0.506480
    # softmax at T = 1 (the temperature ignored) is a wrong answer
    assert grade(card, variant, ["[0.6652, 0.2447, 0.0900]", "0.4076"]).steps[0].status == "incorrect"


def test_leaky_alpha_from_a_let(tmp_path):
    card = """\
        - id: a
          kind: numeric
          network: {layers: [1, 1], activations: [leaky_relu], bias: false, alpha: slope}
          params: {x: {choice: [-2, -3]}, W1: 1.5, k: {choice: [1, 2, 3]}}
          let: {slope: "k / 10"}
          prompt: "x = {x}, α = {slope}"
          value: a1
    """
    path = write_cards(tmp_path, card)
    assert problems(path, deep=True) == []
    card = load_pack(path).card("a")
    for seed in range(8):
        variant = instantiate(card, seed)
        x, k = variant.params["x"], variant.params["k"]
        assert float(expected_values(card, variant)[0]) == pytest.approx(k / 10 * 1.5 * x, rel=1e-12)
