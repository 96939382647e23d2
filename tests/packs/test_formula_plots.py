"""Plots of any formula over a variable (``plot: {formula: …, var: z}``): what the app draws
is the formula's value, recomputed here with NumPy; ``pack check`` refuses a plot it
cannot draw, with the reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from quizact.plotdata import plot_data
from tests.packs.cardfiles import problems, write_cards

SOFTMAX_CARD = """\
    - id: p
      kind: numeric
      params: {{b: {{choice: [0, 1, 2]}}, z0: {{choice: [-1, 0.5]}}}}
      prompt: "Logits [z, b, 0] = [z, {{b}}, 0]. Read p₁ at z = {{z0}} off the plot."
      answer: "softmax([z0, b, 0])[0]"
      tolerance: {{rtol: 0.05}}
      plot: {{formula: "{formula}", var: z, range: [-4, 4], mark: z0, when: before}}
"""


def softmax_first(z, b):
    e = np.exp([z, b, 0.0])
    return e[0] / e.sum()


def test_the_plot_is_the_formula_over_its_variable(tmp_path):
    path = write_cards(tmp_path, SOFTMAX_CARD.format(formula="softmax([z, b, 0])[0]"))
    assert problems(path, deep=True) == []
    card = load_pack(path).card("p")
    for seed in range(6):
        params = instantiate(card, seed).params
        data = plot_data(card, params)
        assert data is not None and data.xlabel == "z" and len(data.series) == 1
        xs, ys = data.series[0].xs, data.series[0].ys
        assert xs[0] == -4 and xs[-1] == 4 and len(xs) > 100
        np.testing.assert_allclose(ys, [softmax_first(x, params["b"]) for x in xs], rtol=1e-12)
        assert data.mark == (params["z0"], pytest.approx(softmax_first(params["z0"], params["b"]), rel=1e-12))


def test_the_plot_worked_by_hand(tmp_path):
    # b = 1 at z = 0: p₁ = e⁰/(e⁰ + e¹ + e⁰) = 1/(2 + e) = 0.2119416
    path = write_cards(tmp_path, SOFTMAX_CARD.format(formula="softmax([z, b, 0])[0]"))
    card = load_pack(path).card("p")
    seed = next(s for s in range(40) if instantiate(card, s).params["b"] == 1)
    data = plot_data(card, instantiate(card, seed).params)
    at = data.series[0].xs.index(0.0)
    assert data.series[0].ys[at] == pytest.approx(1 / (2 + math.e), abs=1e-7) == pytest.approx(0.2119416, abs=1e-7)


def test_a_point_without_a_value_is_left_out(tmp_path):
    card = SOFTMAX_CARD.format(formula="1/z").replace("range: [-4, 4]", "range: [-1, 1]")
    path = write_cards(tmp_path, card)
    assert problems(path) == []
    data = plot_data(load_pack(path).card("p"), {"b": 0, "z0": 0.5})
    assert 0.0 not in data.series[0].xs and len(data.series[0].xs) >= 150  # only z = 0 is missing
    assert all(y == pytest.approx(1 / x) for x, y in zip(data.series[0].xs, data.series[0].ys))


@pytest.mark.parametrize("formula, message", [
    ("softmax([z, b, 0])", "plot formula cannot be drawn (seed 0): gives 3 numbers at z = -4, not one; "
                           "index it (such as [0])"),
    ("log(-1 - z*z)", "plot formula 'log(-1 - z*z)' has no finite value over range [-4.0, 4.0] (seed 0)"),
    ("softmax([z, c, 0])[0]", "plot formula 'softmax([z, c, 0])[0]' uses 'c', which is neither z (the plot's "
                              "var) nor a param or let of this card"),
])
def test_pack_check_refuses_a_plot_it_cannot_draw(tmp_path, formula, message):
    path = write_cards(tmp_path, SOFTMAX_CARD.format(formula=formula))
    assert problems(path) == [message]


def test_function_and_formula_are_one_or_the_other(tmp_path):
    card = SOFTMAX_CARD.format(formula="sigmoid(z)").replace("plot: {", "plot: {function: sigmoid, ")
    assert problems(write_cards(tmp_path, card)) == [
        "plot: give function: (an activation and its slope) or formula:, not both"]


def test_the_plot_var_must_not_hide_a_param(tmp_path):
    card = SOFTMAX_CARD.format(formula="sigmoid(b)").replace("var: z", "var: b")
    assert problems(write_cards(tmp_path, card)) == [
        "plot var: 'b' is also a param or let; name the plot's variable otherwise"]


# -- a network quantity as one param varies ----------------------------------------------

QUANTITY_CARD = """\
    - id: q
      kind: numeric
      network: {{layers: [1, 1, 1], activations: [relu, identity], bias: false, loss: squared_error}}
      params: {{x: 2, y: 1, W1: {{choice: [0.5, -0.5]}}, W2: 0.3}}
      prompt: "Read dL/dW1 off the loss curve at W1 = {{W1}}."
      value: grad.W1
      plot: {{quantity: {quantity}, over: {over}, range: [-1, 1], when: before}}
"""


def test_a_quantity_plot_is_the_network_quantity_as_the_param_varies(tmp_path):
    path = write_cards(tmp_path, QUANTITY_CARD.format(quantity="loss", over="W1"))
    assert problems(path, deep=True) == []
    card = load_pack(path).card("q")
    for seed in range(4):
        params = instantiate(card, seed).params
        data = plot_data(card, params)
        xs, ys = data.series[0].xs, data.series[0].ys
        # by hand: L(W1) = (0.3·ReLU(2·W1) − 1)², 1 at W1 ≤ 0, (0.6·W1 − 1)² above
        np.testing.assert_allclose(ys, [(0.3 * max(2 * w, 0) - 1) ** 2 for w in xs], rtol=1e-12)
        w = params["W1"]
        assert data.mark == (w, pytest.approx((0.3 * max(2 * w, 0) - 1) ** 2)) and data.xlabel == "W1"
    # the course's walkthrough point: W1 = 0.5 gives L = (0.3 − 1)² = 0.49
    at = plot_data(card, {"x": 2, "y": 1, "W1": 0.5, "W2": 0.3})
    assert at.mark == (0.5, pytest.approx(0.49))


@pytest.mark.parametrize("quantity, over, message", [
    ("z9", "W1", "plot quantity 'z9': unknown quantity 'z9': layer 9 does not exist: this network has layers "
                 "1..2; did you mean 'z2', 'z1'?"),
    ("a1", "W3", "plot over: 'W3' is not a param of this card (it is the value the plot varies)"),
])
def test_pack_check_refuses_a_quantity_plot_it_cannot_draw(tmp_path, quantity, over, message):
    path = write_cards(tmp_path, QUANTITY_CARD.format(quantity=quantity, over=over))
    assert problems(path) == [message]


def test_a_quantity_of_several_numbers_is_refused(tmp_path):
    card = QUANTITY_CARD.format(quantity="grad.W1", over="W1").replace(
        "layers: [1, 1, 1]", "layers: [1, 2, 1]").replace(
        "W1: {choice: [0.5, -0.5]}, W2: 0.3", "W1: [0.5, 0.2], W2: [0.3, 0.1], w: {choice: [0.5, 1]}").replace(
        "over: W1", "over: w")
    found = problems(write_cards(tmp_path, card))
    assert found and "grad.W1 has 2 numbers, not one" in found[0], found
