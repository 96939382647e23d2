"""Grading with a hard time limit: what the session and ``quizact grade`` call.

Cards whose answers are formulas (symbolic cards, steps with a symbolic step) are graded
in the killable worker process (``quizact.grading.worker``), so no input can hang or
exhaust the caller; an answer that takes too long is ``invalid`` and costs no attempt.
Numbers and choices are parsed by bounded hand-written scanners and graded in-process.
"""

from __future__ import annotations

from typing import Any

from quizact.grading.verdict import StepResult, Verdict
from quizact.kinds import items_of
from quizact.packs.params import Variant

TIMEOUT = 2.0


def needs_worker(card: Any) -> bool:
    return bool(items_of(card, "symbolic"))


def _run(task: str, kwargs: dict[str, Any], timeout: float) -> Any:
    from quizact.grading.worker import get_worker

    return get_worker().submit(task, kwargs, timeout=timeout)


def grade_bounded(card: Any, variant: Variant, answers: list[str], timeout: float = TIMEOUT) -> Verdict:
    """``grading.card.grade`` under a time limit."""
    if not needs_worker(card):
        from quizact.grading.card import grade

        return grade(card, variant, answers)
    result: Verdict | StepResult = _run("grade_card", {"card": card, "variant": variant, "answers": answers}, timeout)
    if isinstance(result, StepResult):  # the worker's "took too long" answer
        return Verdict("invalid", 0.0, result.feedback, None, (result,))
    return result


def grade_steps_bounded(card: Any, variant: Variant, answers: list[str], timeout: float = TIMEOUT) -> list[StepResult]:
    """``grading.card.grade_steps`` under a time limit (the last step gets the timeout)."""
    if not needs_worker(card):
        from quizact.grading.card import grade_steps

        return grade_steps(card, variant, answers)
    result: list[StepResult] | StepResult
    result = _run("grade_steps", {"card": card, "variant": variant, "answers": answers}, timeout)
    if isinstance(result, StepResult):  # the last answer timed out; the earlier ones did not
        earlier = grade_steps_bounded(card, variant, answers[:-1], timeout) if len(answers) > 1 else []
        return [*earlier, result]
    return result
