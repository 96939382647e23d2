"""``symbolic``: a formula typed by the learner, graded by equivalence (sympy); also a
step of a ``steps`` card."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizact.kinds.base import SingleAnswer

if TYPE_CHECKING:
    from quizact.grading.card import Context
    from quizact.grading.verdict import StepResult
    from quizact.packs.params import Variant


class Symbolic(SingleAnswer):
    name = "symbolic"
    record = "SymbolicCard"
    carries = False

    def item_expected(self, item: Any, ctx: Context) -> str:
        from quizact.packs.params import render

        return render(item.answer, ctx.variant.params)

    def item_value(self, item: Any, ctx: Context) -> Any:
        return self.item_expected(item, ctx)

    def grade_item(self, item: Any, ctx: Context, text: str) -> tuple[StepResult, Any]:
        from quizact.grading.card import grade_symbolic_item

        return grade_symbolic_item(item, ctx, text), None

    def expected_values(self, card: Any, variant: Variant) -> list[Any]:
        return self.expected(card, variant)


SPEC = Symbolic()
