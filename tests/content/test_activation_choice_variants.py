"""The randomised activation-choice cards: which option is right moves with the variant.

The right option of each variant is worked out here from the card's own prompt: a table
written by hand for the scenario cards, and for the target-range card each option's
formula (as the learner reads it) sampled over z and compared with the range."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from quizact.grading.card import grade, option_order
from quizact.packs.choices import correct_options
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate, render
from tests.conftest import CONTENT

PACK = load_pack(CONTENT / "nn-foundations")
CARDS = {c.id: c for c in PACK.cards}

# by hand, from the prompts: what each numbered job needs
HEADS = {1: "one sigmoid unit", 2: "identity (no activation)", 3: "softmax over 10 units",
         4: "20 sigmoid units", 5: "softplus (or exp)"}
JOBS = {1: "ReLU", 2: "tanh", 3: "sigmoid", 4: "Leaky ReLU"}


@pytest.mark.parametrize("card_id, param, table", [
    ("choose-output-for-head", "head", HEADS),
    ("choose-hidden-for-job", "job", JOBS),
])
def test_the_scenario_asked_decides_the_right_option(card_id, param, table):
    card = CARDS[card_id]
    seen = set()
    for seed in range(40):
        variant = instantiate(card, seed)
        k = variant.params[param]
        seen.add(k)
        right = correct_options(card, variant.params)
        assert [card.options[i].text for i in right] == [table[k]], (seed, k)
        assert f"**{'head' if param == 'head' else 'place'} {k}**" in render(card.prompt, variant.params)
    assert seen == set(table)  # every scenario is drawn


def option_range(text: str) -> tuple[float, float]:
    """The smallest and largest value of an option's formula over z (read from its text)."""
    z = sp.Symbol("z")
    expr = sp.sympify(text.replace("·", "*").replace("σ", "sigmoid"),
                      locals={"sigmoid": lambda u: 1 / (1 + sp.exp(-u)), "tanh": sp.tanh,
                              "ReLU": lambda u: sp.Max(0, u), "z": z})
    f = sp.lambdify(z, expr, "numpy")
    values = f(np.linspace(-40, 40, 20001))
    return float(np.min(values)), float(np.max(values))


def test_the_range_card_marks_exactly_the_formulas_that_fill_the_range():
    card = CARDS["choose-output-for-range"]
    draws = set()
    for seed in range(30):
        variant = instantiate(card, seed)
        a, w = variant.params["a"], variant.params["w"]
        b = a + w
        draws.add((a, w))
        want = set()
        for i, option in enumerate(card.options):
            low, high = option_range(render(option.text, variant.params))
            if abs(low - a) < 1e-6 and abs(high - b) < 1e-6:  # reaches both ends, never beyond
                want.add(i)
        assert len(want) == 2, (seed, want)
        assert set(correct_options(card, variant.params)) == want, seed
    assert len(draws) >= 8


def test_the_range_card_worked_by_hand():
    # seed 2: a = 5, w = 2, so b = 7; 5 + 2σ(z) ∈ (5, 7) and 6 + 1·tanh(z) ∈ (5, 7) are right;
    # 5 + 2·tanh(z) reaches 3, 5 + ReLU(z) has no top, 7σ(z) covers (0, 7)
    card = CARDS["choose-output-for-range"]
    variant = instantiate(card, 2)
    assert (variant.params["a"], variant.params["w"]) == (5, 2)
    texts = [render(o.text, variant.params) for o in card.options]
    assert texts == ["5 + 2·σ(z)", "6 + 1·tanh(z)", "5 + 2·tanh(z)", "5 + ReLU(z)", "7·σ(z)"]
    assert set(correct_options(card, variant.params)) == {0, 1}
    assert "down to 5 − 2 = 3, below the range" in render(card.options[2].feedback, variant.params)
    # graded through the real grader: picking both right ones is right, one of them is partial
    shown = option_order(card, variant)  # letters follow the shuffled order on screen
    letter = {i: "abcde"[shown.index(i)] for i in range(5)}
    assert grade(card, variant, [f"{letter[0]},{letter[1]}"]).status == "correct"
    assert grade(card, variant, [letter[0]]).status != "correct"
    assert grade(card, variant, [f"{letter[0]},{letter[2]}"]).status != "correct"
