"""``recall``: a question and its answer; revealed, then rated by the learner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizact.grading.verdict import Verdict
    from quizact.packs.params import Variant


class Recall:
    name = "recall"
    record = "RecallCard"
    self_rated = True
    picks_options = False
    stepwise = False
    retries = False

    def items(self, card: Any) -> list[Any]:
        return []

    def answer_count(self, card: Any) -> int:
        return 0

    def expected(self, card: Any, variant: Variant) -> list[str]:
        return [card.answer]

    def expected_values(self, card: Any, variant: Variant) -> list[Any]:
        return self.expected(card, variant)

    def grade(self, card: Any, variant: Variant, answers: list[str]) -> Verdict:
        from quizact.grading.verdict import Verdict

        return Verdict("invalid", 0.0, "recall cards are self-rated: reveal the answer and rate yourself")

    def check(self, card: Any, variants: int) -> list[str]:
        return []

    def labels(self, card: Any, variant: Variant) -> list[str]:
        return ["answer"]


SPEC = Recall()
