"""Every shipped card, through the path the app uses: the reference grades correct, each
listed mistake grades incorrect with its own feedback, every variant is well defined."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.grading.card import expected_answers
from quizact.grading.runner import grade_bounded
from quizact.packs import formula
from quizact.packs.loader import load_pack
from quizact.packs.params import instantiate, render
from quizact.paths import builtin_packs
from tests.conftest import CONTENT

PACKS = [load_pack(p) for p in builtin_packs()]
CARDS = [(pack.id, card) for pack in PACKS for card in pack.cards]
SEEDS = (0, 1, 7)


def draws_differ(card) -> bool:
    """Randomised: its variants differ (a ``params:`` of fixed numbers is not)."""
    return bool(card.params) and len({repr(instantiate(card, seed).params) for seed in range(12)}) > 1


#: issue 16's exercise kinds, each tagged on its cards
EXERCISE_KINDS = ("gradient-check", "spot-the-bug", "diagnose", "shapes", "activation-choice", "plot-reading",
                  "initialisation", "experiment")


def test_targets_of_the_course_pack():
    cards = [c for _, c in CARDS]
    assert len(cards) >= 180
    randomised = [c for c in cards if draws_differ(c)]
    assert len(randomised) >= 0.6 * len(cards), (len(randomised), len(cards))
    for kind in EXERCISE_KINDS:  # at least 3 cards of each kind, randomised
        assert sum(kind in c.tags for c in randomised) >= 3, kind
    assert {c.kind for c in cards} == {"recall", "choice", "symbolic", "numeric", "steps"}
    assert all(c.explain.strip() for c in cards), [c.id for c in cards if not c.explain.strip()]
    readme = (CONTENT / "README.md").read_text()
    assert [c.id for c in cards if c.id not in readme] == []


def _mistake_answers(card, variant):
    """(answers, feedback) per listed mistake, the mistake typed where it belongs."""
    base = expected_answers(card, variant)
    items = card.steps if card.kind == "steps" else [card]
    for k, item in enumerate(items):
        for m in getattr(item, "mistakes", []):
            answers = list(base)
            if getattr(item, "kind", card.kind) == "symbolic":
                answers[k] = render(str(m.answer), variant.params)
            elif isinstance(m.answer, (int, float)):
                answers[k] = str(m.answer)
            else:
                import numpy as np

                from quizact.grading.card import Context

                value = np.asarray(formula.evaluate(m.answer, Context(card, variant).scope(False)), dtype=float)
                answers[k] = str(value.tolist())
            # two listed mistakes may share a value in a variant: either feedback is right;
            # feedback is shown filled with the variant's values ("{m} hinges" → "11 hinges")
            yield k, answers, [render(x.feedback, variant.params) for x in item.mistakes]


@pytest.mark.parametrize("pack_id, card", CARDS, ids=[c.id for _, c in CARDS])
def test_card(pack_id, card):
    for seed in SEEDS:
        variant = instantiate(card, seed)
        assert render(card.prompt, variant.params).count("{") == card.prompt.count("{{")
        if card.kind == "recall":
            continue
        reference = expected_answers(card, variant)
        verdict = grade_bounded(card, variant, reference)
        assert verdict.status == "correct", (seed, reference, verdict)
        for k, answers, feedbacks in _mistake_answers(card, variant):
            v = grade_bounded(card, variant, answers)
            step = v.steps[k] if card.kind == "steps" else v
            assert step.status == "incorrect", (seed, answers[k], step)
            assert any(f in step.feedback for f in feedbacks), (seed, answers[k], step.feedback)


def test_pack_check_with_200_variants():
    # includes the proof that every step's tolerance separates the right value from every
    # listed and automatic mistake, in each of the 200 variants
    out = CliRunner().invoke(main, ["pack", "check", "--variants", "200", str(CONTENT)])
    assert out.exit_code == 0, out.output
    assert out.stdout == ""
