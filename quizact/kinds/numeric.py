"""``numeric``: a number, vector or matrix typed by the learner, graded at a tolerance;
also a step of a ``steps`` card."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizact.kinds.base import SingleAnswer

if TYPE_CHECKING:
    from quizact.grading.card import Context
    from quizact.grading.verdict import StepResult
    from quizact.packs.params import Variant


class Numeric(SingleAnswer):
    name = "numeric"
    record = "NumericCard"
    carries = True

    def item_expected(self, item: Any, ctx: Context) -> str:
        from quizact.grading import numeric
        from quizact.grading.card import _expected

        return numeric.format_expected(_expected(item, ctx, carried=False), item.tolerance)

    def item_value(self, item: Any, ctx: Context) -> Any:
        from quizact.grading.card import _expected, _plain_number

        return _plain_number(_expected(item, ctx, carried=False))

    def grade_item(self, item: Any, ctx: Context, text: str) -> tuple[StepResult, Any]:
        from quizact.grading.card import grade_numeric_item

        return grade_numeric_item(item, ctx, text)

    def expected_values(self, card: Any, variant: Variant) -> list[Any]:
        from quizact.grading.card import Context

        return [self.item_value(card, Context(card, variant))]


SPEC = Numeric()
