"""``steps``: several answers in order, each a numeric or a symbolic step; a wrong number is
carried forward to the later steps computed from it (``quizact.grading.card.grade_steps``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizact.grading.verdict import Verdict
    from quizact.packs.params import Variant


class Steps:
    name = "steps"
    record = "StepsCard"
    self_rated = False
    picks_options = False
    stepwise = True
    retries = False

    def items(self, card: Any) -> list[Any]:
        return list(card.steps)

    def answer_count(self, card: Any) -> int:
        return len(card.steps)

    def expected(self, card: Any, variant: Variant) -> list[str]:
        from quizact.grading.card import Context
        from quizact.kinds import item_spec

        ctx = Context(card, variant)
        return [item_spec(step).item_expected(step, ctx) for step in card.steps]

    def expected_values(self, card: Any, variant: Variant) -> list[Any]:
        from quizact.grading.card import Context
        from quizact.kinds import item_spec

        ctx = Context(card, variant)
        return [item_spec(step).item_value(step, ctx) for step in card.steps]

    def grade(self, card: Any, variant: Variant, answers: list[str]) -> Verdict:
        from quizact.grading.card import grade_steps
        from quizact.grading.verdict import Verdict

        steps = grade_steps(card, variant, answers)
        if any(s.status == "invalid" for s in steps):
            bad = next(i for i, s in enumerate(steps) if s.status == "invalid")
            return Verdict("invalid", 0.0, f"step {bad + 1}: {steps[bad].feedback}", None, tuple(steps))
        score = sum(s.score for s in steps) / len(card.steps)
        exact = all(s.status == "correct" and s.note is None for s in steps)
        right = sum(s.status == "correct" and s.note != "ecf" for s in steps)
        carried = sum(s.note == "ecf" for s in steps)
        feedback = f"{right}/{len(card.steps)} steps right"
        if carried:
            feedback += f", {carried} consistent with an earlier wrong value"
        if not exact:
            feedback += f"; score {score:.2f}"
        mistake = next((s.mistake for s in steps if s.mistake), None)
        return Verdict("correct" if exact else "incorrect", score, feedback, mistake, tuple(steps))

    def check(self, card: Any, variants: int) -> list[str]:
        return []  # the grader's checks (quizact.grading.cardcheck) cover every step

    def labels(self, card: Any, variant: Variant) -> list[str]:
        from quizact.packs.params import render

        return [f"{k}. {render(s.prompt, variant.params)}" for k, s in enumerate(card.steps, 1)]


SPEC = Steps()
