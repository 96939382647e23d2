"""Nothing gives a built-in card's answer away. Every example in an empty answer box and
every formula or number in the hint line, graded with the real grader as the learner's
answer, is not correct on any built-in card, for many variants. And, measured over the
shipped pack: the right option is seldom the longest, no answer is a number its prompt
prints, and few steps of randomised cards have an answer that never changes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from quizact.grading.card import expected_answers, expected_values, grade, grade_steps
from quizact.packs.choices import correct_options
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate, placeholders
from quizact.paths import builtin_packs
from quizact.reading import AnswerSpec
from quizact.tui.widgets.answer_box import placeholder
from quizact.tui.widgets.card_view import HINTS
from tests.hints import candidates

CARDS = [card for path in builtin_packs() for card in load_pack(path).cards]
TYPED = [c for c in CARDS if c.kind in ("symbolic", "numeric", "steps")]
SEEDS = range(8)


def test_candidates_reads_the_examples():
    # worked by hand from the text
    assert candidates("a number, e.g. 0.5, [1, -2]   (F1: syntax)") == {"0.5, [1, -2]", "0.5", "[1, -2]", "1", "-2"}
    assert candidates("Type a formula; Enter checks it. F1 shows the syntax.") == set()
    assert candidates("to 3 s.f. or 2 decimals, not 4") == {"4"}


def shown_before_grading(card) -> list[tuple[int, set[str]]]:
    """(answer index, candidates) for each answer box of ``card``, hint line included."""
    key = "choice-multiple" if card.kind == "choice" and card.multiple else card.kind
    hint = re.sub(r"\[/?b\]", "", HINTS[key])
    if card.kind == "steps":
        return [(k, candidates(placeholder(AnswerSpec.of(s), compact=True)) | candidates(hint))
                for k, s in enumerate(card.steps)]  # fmt: skip
    return [(0, candidates(placeholder(AnswerSpec.of(card))) | candidates(hint))]


def test_the_symbolic_box_shows_an_example_in_the_cards_variable():
    spec = AnswerSpec("symbolic", ("x",))
    assert "e.g. 3x^2 + exp(-x)/2" in placeholder(spec)
    assert "sigmoid" not in placeholder(AnswerSpec("symbolic", ("z",)))


def test_the_example_reads_on_every_symbolic_card():
    """An example is only useful if it parses: the box's own preview reads it."""
    from quizact.reading import preview

    for card in (c for c in CARDS if c.kind == "symbolic"):
        spec = AnswerSpec.of(card)
        example = placeholder(spec).split("e.g. ", 1)[1].split("   (", 1)[0]
        assert not preview(spec, example).error, (card.id, example)


@pytest.mark.parametrize("card", TYPED, ids=[c.id for c in TYPED])
def test_no_hint_is_a_correct_answer(card):
    for seed in SEEDS:
        variant = instantiate(card, seed)
        reference = expected_answers(card, variant)
        for k, texts in shown_before_grading(card):
            for text in sorted(texts):
                if card.kind == "steps":  # earlier steps right, this one the hint
                    status = grade_steps(card, variant, [*reference[:k], text])[k].status
                else:
                    status = grade(card, variant, text).status
                assert status != "correct", (seed, k, text)


EXAMPLE = re.compile(r"(?:such as|e\.g\.|for example)\s+(-?\d[\d.]*(?:e-?\d+)?)")


def test_example_reads_numbers_after_such_as():
    # by hand: the number right after the phrase, without the closing punctuation
    text = "three figures (e.g. 9.54e-7). Scientific notation such as 3.4e6 is fine, e.g. [0, 1.2]"
    assert EXAMPLE.findall(text) == ["9.54e-7", "3.4e6"]


@pytest.mark.parametrize("card", TYPED, ids=[c.id for c in TYPED])
def test_no_example_in_a_prompt_is_a_correct_answer(card):
    """A prompt's "such as 4.54e-5" shows the notation, never this variant's answer."""
    from quizact.packs.params import render

    for seed in range(40):
        variant = instantiate(card, seed)
        prompts = [render(card.prompt, variant.params)]
        prompts += [render(s.prompt, variant.params) for s in getattr(card, "steps", [])]
        examples = {e for text in prompts for e in EXAMPLE.findall(text)}
        if not examples:
            return
        reference = expected_answers(card, variant)
        for text in sorted(examples):
            if card.kind == "steps":
                for k in range(len(card.steps)):
                    assert grade_steps(card, variant, [*reference[:k], text])[k].status != "correct", (seed, k, text)
            else:
                assert grade(card, variant, text).status != "correct", (seed, text)


def help_examples() -> list[str]:
    """Every `example` in the help screen's typing cheat sheet (what F1 shows)."""
    from quizact.tui.screens.help import HELP

    sheet = HELP[HELP.index("# Typing formulas"):]
    found = []
    for line in sheet.splitlines():
        if line.startswith("|") and not line.startswith(("| you type", "|---")):
            cell = line.split(" | ")[0].lstrip("| ")
            found += [e.replace("\\\\|", "|") for e in re.findall(r"`([^`]+)`", cell)]
    return found


def test_help_examples_are_read_from_the_sheet():
    examples = help_examples()
    assert len(examples) >= 20
    assert "[[1, 2], [3, 4]]" in examples  # the last row of the numbers table


@pytest.mark.parametrize("card", TYPED, ids=[c.id for c in TYPED])
def test_no_help_example_is_a_correct_answer(card):
    examples = help_examples()
    for seed in range(2):
        variant = instantiate(card, seed)
        reference = expected_answers(card, variant)
        for text in examples:
            if card.kind == "steps":
                for k in range(len(card.steps)):
                    assert grade_steps(card, variant, [*reference[:k], text])[k].status != "correct", (seed, k, text)
            else:
                assert grade(card, variant, text).status != "correct", (seed, text)


# -- giveaways measured over the shipped pack ---------------------------------------------------


RANDOM_SEEDS = range(30)


def randomised(card) -> bool:
    """A card whose draws differ between variants (a `params:` of fixed numbers is not)."""
    if not card.params:
        return False
    draws = [repr(instantiate(card, seed).params) for seed in range(12)]
    return len(set(draws)) > 1


def answer_items(card):
    return list(card.steps) if card.kind == "steps" else [card]


def numeric_columns(card, seeds):
    """Per answer item (step), its expected value in each variant; None for symbolic items."""
    variants = [instantiate(card, seed) for seed in seeds]
    values = [expected_values(card, v) for v in variants]
    out = []
    for k, item in enumerate(answer_items(card)):
        if getattr(item, "kind", card.kind) == "symbolic":
            out.append(None)
        else:
            out.append([np.asarray(v[k], dtype=float) for v in values])
    return variants, out


def never_changes(card, item, column) -> bool:
    if column is None:  # a formula: it changes only if it names a param or fills one in
        names = set(re.findall(r"[A-Za-z_]\w*", item.answer))
        return not (names & set(card.params)) and "{" not in item.answer
    first = column[0]
    return all(x.shape == first.shape and np.allclose(x, first, rtol=1e-12, atol=0) for x in column)


RANDOMISED = [c for c in CARDS if c.kind in ("numeric", "steps", "symbolic") and randomised(c)]


def test_at_most_a_tenth_of_the_steps_of_randomised_cards_never_change():
    steps, fixed = 0, []
    for card in RANDOMISED:
        _, columns = numeric_columns(card, RANDOM_SEEDS)
        for k, (item, column) in enumerate(zip(answer_items(card), columns)):
            steps += 1
            if never_changes(card, item, column):
                fixed.append((card.id, k + 1))
    assert steps >= 150
    assert len(fixed) <= steps // 10, fixed
    named = {"dying-relu-bias-minus-5", "zero-centred-means", "init-variance-relu", "leaky-elu-negative-slopes"}
    # the cards the rule was written about: at most the one step whose zero is the lesson
    assert [f for f in fixed if f[0] in named] == [("leaky-elu-negative-slopes", 1), ("dying-relu-bias-minus-5", 4)]


def test_the_counter_sees_a_fixed_answer():
    # by hand: a formula over no param never changes; one over a drawn param does
    card = next(c for c in CARDS if c.id == "leaky-elu-negative-slopes")
    _, columns = numeric_columns(card, RANDOM_SEEDS)
    assert never_changes(card, card.steps[0], columns[0])  # ReLU′ = 0 for z < 0
    assert not never_changes(card, card.steps[1], columns[1])


def shown_params(card, item) -> set[str]:
    names = placeholders(card.prompt) | (placeholders(item.prompt) if item is not card else set())
    return {re.split(r"[\[:]", n)[0] for n in names} & set(card.params)


@pytest.mark.parametrize("card", RANDOMISED, ids=[c.id for c in RANDOMISED])
def test_no_answer_is_a_number_printed_in_its_prompt(card):
    """No step asks for a param the prompt shows: in every variant its answer would be the
    very number printed above the box (``init-variance-relu`` once asked Var = q, printed)."""
    variants, columns = numeric_columns(card, range(20))
    for item, column in zip(answer_items(card), columns):
        if column is None:
            continue
        for name in shown_params(card, item):
            shown = [np.asarray(v.params[name], dtype=float) for v in variants]
            if len({repr(x.tolist()) for x in shown}) == 1:
                continue  # a fixed number: equal answers are chance, not a giveaway
            same = all(x.size == s.size and np.allclose(x.ravel(), s.ravel(), rtol=1e-9, atol=0)
                       for x, s in zip(column, shown))  # fmt: skip
            assert not same, f"{item.prompt!r} is always {name} = the number printed in the prompt"


def test_backprop_relu_1_1_1_also_draws_inactive_units():
    card = next(c for c in CARDS if c.id == "backprop-relu-1-1-1")
    inactive = active = 0
    for seed in range(200):
        variant = instantiate(card, seed)
        x, y, w1, w2 = (float(variant.params[n]) for n in ("x", "y", "W1", "W2"))
        values = [np.asarray(v, dtype=float).item() for v in expected_values(card, variant)]
        z1 = w1 * x
        a1 = max(z1, 0.0)
        d2 = 2 * (w2 * a1 - y)  # by hand, L = (ŷ − y)²
        if z1 < 0:
            inactive += 1
            assert values[4] == 0 and values[6] == 0  # dL/dW₂ = dL/dz₂·a₁ = 0, dL/dW₁ = 0
            assert values[5] == pytest.approx(d2 * w2)  # the gradient still reaches a₁
            assert values[7] == w2 and values[8] == w1  # neither weight moves
        else:
            active += 1
            assert values[6] == pytest.approx(d2 * w2 * x)
    assert inactive >= 40 and active >= 40


def strictly_longest(card, seeds=range(30)) -> float:
    """How often the right option is strictly the longest: 1 or 0 for a card whose right option
    is fixed, the fraction of variants for one whose `correct:` formula moves it."""
    lengths = [len(o.text) for o in card.options]

    def longest(right: int) -> bool:
        return all(lengths[right] > n for k, n in enumerate(lengths) if k != right)

    if card.correct is None and not any(isinstance(o.correct, str) for o in card.options):
        return float(longest(next(k for k, o in enumerate(card.options) if o.correct)))
    rights = [next(iter(correct_options(card, instantiate(card, s).params))) for s in seeds]
    return sum(map(longest, rights)) / len(rights)


def test_strictly_longest_reads_the_lengths():
    from quizact.packs.models import ChoiceCard, Option

    def card(*texts):
        return ChoiceCard(id="t", kind="choice", prompt="p",
                          options=[Option(text=t, correct=k == 0) for k, t in enumerate(texts)])  # fmt: skip

    assert strictly_longest(card("long answer", "short")) == 1
    assert strictly_longest(card("same", "four")) == 0  # a tie is not strictly longest
    assert strictly_longest(card("a", "longer")) == 0
    # the right option drawn per variant: counted in the share of variants where it is longest
    moving = ChoiceCard(id="t", kind="choice", prompt="p", params={"m": {"choice": [0, 1, 2, 3]}}, correct="m",
                        options=[Option(text=t) for t in ("long answer", "short", "tiny", "mid one")])  # fmt: skip
    rights = [instantiate(moving, s).params["m"] for s in range(30)]
    assert strictly_longest(moving) == rights.count(0) / 30
    assert 0 < strictly_longest(moving) < 1


def test_the_right_option_is_the_strictly_longest_in_at_most_40_percent_of_single_choice_cards():
    single = [c for c in CARDS if c.kind == "choice" and not c.multiple]
    share = {c.id: strictly_longest(c) for c in single}
    assert len(single) >= 25
    longest = {k: v for k, v in share.items() if v}
    assert sum(share.values()) <= 0.4 * len(single), (sum(share.values()), len(single), longest)
