"""``quizact pack check``: what the pack loader and the grader each say of a pack.

The pack's own checks (its fields, params, lets, texts and choices) live in
``quizact.packs.check``; the grader's (every reference answer grades right, every listed and
automatic mistake is told apart, the tolerances separate them) in
``quizact.grading.cardcheck``. Grading builds on packs and never the reverse, so the two
meet here, above both (an import contract in pyproject.toml keeps packs free of grading).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quizact.kinds import spec_of
from quizact.packs.check import (
    DEFAULT_VARIANTS,
    check_card_plot,
    check_card_static,
    check_card_texts,
    check_card_variants,
    render_problems,
)
from quizact.packs.errors import Problem
from quizact.packs.loader import Pack, read_pack
from quizact.packs.params import Variant


def shown_values(card: Any, variant: Variant) -> dict[str, Any]:
    """The values texts shown once ``card`` is graded are filled with (the grader's)."""
    from quizact.grading.card import shown_values as graded

    return graded(card, variant)


def text_problems(card: Any, variant: Variant) -> list[str]:
    """What cannot be filled in ``card``'s texts for ``variant`` (``quizact solve``)."""
    return render_problems(card, variant, shown_values)


def check_pack(
    path: str | Path, variants: int = DEFAULT_VARIANTS, deep: bool = True
) -> tuple[Pack | None, list[Problem]]:
    """All problems of one pack, located; ``deep`` also runs every card's grader."""
    pack, problems = read_pack(path)
    if pack is None:
        return None, problems
    for card in pack.cards:
        loc = pack.where[card.id]
        found = check_card_static(card)
        if not found:
            found = check_card_variants(card, variants)
        if not found:
            found = check_card_texts(card, variants, shown_values)
            found += spec_of(card).check(card, variants)  # the kind's own fields (choice: correct:)
            found += check_card_plot(card, variants)
        if not found:
            from quizact.grading.rules import problems as rule_problems

            found = rule_problems(card, variants)
        if not found and deep:
            from quizact.grading.cardcheck import check_card

            found = check_card(card, variants)
        problems += [Problem(loc.file, loc.line, card.id, msg) for msg in found]
    return pack, sorted(set(problems), key=lambda p: (p.file, p.line, p.card, p.message))
