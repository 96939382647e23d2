"""``choice``: options shown in a shuffled order, one or several of them right."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizact.grading.verdict import Verdict
    from quizact.packs.params import Variant


class Choice:
    name = "choice"
    record = "ChoiceCard"
    self_rated = False
    picks_options = True
    stepwise = False
    retries = False

    def items(self, card: Any) -> list[Any]:
        return []

    def answer_count(self, card: Any) -> int:
        return 1

    def expected(self, card: Any, variant: Variant) -> list[str]:
        from quizact.grading.card import right_letters

        return [",".join(right_letters(card, variant))]

    def expected_values(self, card: Any, variant: Variant) -> list[Any]:
        return self.expected(card, variant)

    def grade(self, card: Any, variant: Variant, answers: list[str]) -> Verdict:
        from quizact.grading.card import grade_choice

        return grade_choice(card, variant, answers[0])

    def check(self, card: Any, variants: int) -> list[str]:
        from quizact.packs.check import check_card_choices

        return check_card_choices(card, variants)

    def labels(self, card: Any, variant: Variant) -> list[str]:
        return ["answer"]


SPEC = Choice()
