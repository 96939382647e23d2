"""Nothing shown before grading answers a built-in card: every example in an empty answer
box and every formula or number in the hint line, graded with the real grader as the
learner's answer, is not correct on any built-in card, for many variants."""

from __future__ import annotations

import re

import pytest

from quizact.grading.card import expected_answers, grade, grade_steps
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate
from quizact.paths import builtin_packs
from quizact.tui.services import AnswerSpec
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
    from quizact.tui.services import preview

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
