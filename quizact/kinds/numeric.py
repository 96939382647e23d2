"""``numeric``: a number, vector or matrix typed by the learner, graded at a tolerance;
also a step of a ``steps`` card."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizact.grading.card import Context
    from quizact.grading.verdict import StepResult, Verdict
    from quizact.packs.params import Variant


class Numeric:
    name = "numeric"
    record = "NumericCard"
    self_rated = False
    picks_options = False
    stepwise = False
    retries = True
    carries = True

    def items(self, card: Any) -> list[Any]:
        return [card]

    def answer_count(self, card: Any) -> int:
        return 1

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

    def expected(self, card: Any, variant: Variant) -> list[str]:
        from quizact.grading.card import Context

        return [self.item_expected(card, Context(card, variant))]

    def expected_values(self, card: Any, variant: Variant) -> list[Any]:
        from quizact.grading.card import Context

        return [self.item_value(card, Context(card, variant))]

    def grade(self, card: Any, variant: Variant, answers: list[str]) -> Verdict:
        from quizact.grading.card import Context
        from quizact.grading.verdict import Verdict

        step, _ = self.grade_item(card, Context(card, variant), answers[0])
        return Verdict(step.status, step.score, step.feedback, step.mistake, (step,))

    def check(self, card: Any, variants: int) -> list[str]:
        return []  # the grader's checks (quizact.grading.cardcheck) cover every answer item

    def labels(self, card: Any, variant: Variant) -> list[str]:
        return ["answer"]


SPEC = Numeric()
