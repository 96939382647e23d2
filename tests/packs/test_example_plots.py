"""The authoring examples of a drawn network field and of the two new plots
(``content/examples/authoring.yaml``): ``solve`` and ``grade`` at worked seeds, and what
the app would plot, recomputed by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from quizact.plotdata import plot_data

EXAMPLES = Path(__file__).resolve().parents[2] / "content" / "examples" / "authoring.yaml"
PACK = load_pack(EXAMPLES)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_solve_and_grade_the_drawn_temperature():
    # seed 0: z = [2, 1, 0], T = 0.5, so z/T = [4, 2, 0]: p = [e⁴, e², 1]/(e⁴ + e² + 1)
    #   = [54.598, 7.389, 1]/62.987 = [0.86681, 0.11731, 0.01588]; L = −ln 0.86681 = 0.14294
    data = json.loads(run("solve", str(EXAMPLES), "softmax-temperature-drawn", "--seed", "0", "--json").output)
    assert data["params"]["x"] == [2, 1, 0] and data["params"]["T"] == 0.5
    assert data["answers"][0] == pytest.approx([0.86681, 0.11731, 0.01588], abs=1e-5)
    assert data["answers"][1] == pytest.approx(0.14294, abs=1e-5)
    out = run("grade", str(EXAMPLES), "softmax-temperature-drawn", "--seed", "0",
              "--answer", "[0.8668, 0.1173, 0.01588]", "--answer", "0.1429")
    assert out.exit_code == 0 and out.output.startswith("correct"), out.output
    # T ignored (softmax of z itself: [0.6652, 0.2447, 0.0900]) is wrong
    out = run("grade", str(EXAMPLES), "softmax-temperature-drawn", "--seed", "0",
              "--answer", "[0.6652, 0.2447, 0.0900]", "--answer", "0.4076")
    assert not out.output.startswith("correct"), out.output


def test_the_temperature_plot_is_p1_as_the_first_logit_varies():
    card = PACK.card("softmax-temperature-drawn")
    params = instantiate(card, 0).params  # x = [2, 1, 0], T = 0.5
    data = plot_data(card, params)
    for z, p in zip(data.series[0].xs, data.series[0].ys):
        e = [math.exp(z / 0.5), math.exp(1 / 0.5), math.exp(0)]
        assert p == pytest.approx(e[0] / sum(e), rel=1e-12)


@pytest.mark.parametrize("w1, slope", [(0.5, -0.84), (0.25, -1.02), (-0.5, 0.0)])
def test_the_loss_over_one_weight(w1, slope):
    # by hand: L = (0.3·ReLU(2·W₁) − 1)²; dL/dW₁ = 2(0.6·W₁ − 1)·0.6 for W₁ > 0, else 0
    card = PACK.card("loss-over-one-weight")
    seed = next(s for s in range(60) if instantiate(card, s).params["W1"] == w1)
    out = run("grade", str(EXAMPLES), "loss-over-one-weight", "--seed", str(seed), "--answer", f"{slope:g}")
    assert out.output.startswith("correct"), out.output
    data = plot_data(card, instantiate(card, seed).params)
    assert data.mark == (w1, pytest.approx((0.3 * max(2 * w1, 0) - 1) ** 2))
    assert data.series[0].ys[0] == pytest.approx(1.0) and data.series[0].ys[-1] == pytest.approx(0.16)
