"""What every card kind provides (:class:`KindSpec`), and what a kind whose answers can be
a step of a ``steps`` card provides besides (:class:`ItemSpec`).

Light on purpose: the registry is on the start-up path, so a kind module imports the
graders (``quizact.grading``, which bring sympy and NumPy along) inside its functions only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from quizact.grading.card import Context
    from quizact.grading.verdict import StepResult, Verdict
    from quizact.packs.params import Variant


class KindSpec(Protocol):
    """One card kind's behaviour: its record, what it expects, how it is graded and checked,
    and what presenting it needs."""

    #: the kind's name, as a pack writes it (``kind: numeric``); the record's ``kind``
    name: str
    #: the record class, in ``quizact.packs.models`` (by name: pydantic stays unimported)
    record: str
    #: revealed and rated by the learner, never graded (recall)
    self_rated: bool
    #: answered by picking among options (choice)
    picks_options: bool
    #: answered in several steps, each graded in order as it is typed (steps)
    stepwise: bool
    #: a wrong answer may be answered again (a single typed answer)
    retries: bool

    def items(self, card: Any) -> list[Any]:
        """The typed answers' records in order: the card itself, or its steps; none for a
        card whose answer is not typed."""
        ...

    def answer_count(self, card: Any) -> int:
        """How many answers a response to ``card`` holds."""
        ...

    def expected(self, card: Any, variant: Variant) -> list[str]:
        """The reference answer of each answer, as text."""
        ...

    def expected_values(self, card: Any, variant: Variant) -> list[Any]:
        """Like :meth:`expected`, with numbers as floats (or nested lists) at full precision."""
        ...

    def grade(self, card: Any, variant: Variant, answers: list[str]) -> Verdict:
        """Grade a complete response (``answer_count`` answers, already counted)."""
        ...

    def check(self, card: Any, variants: int) -> list[str]:
        """``pack check`` problems of this kind's own fields, over ``variants`` variants."""
        ...

    def labels(self, card: Any, variant: Variant) -> list[str]:
        """How ``quizact solve`` names each answer."""
        ...


class ItemSpec(Protocol):
    """A kind whose one answer may also be a step of a ``steps`` card (numeric, symbolic)."""

    name: str
    #: the learner's value is carried forward to later steps (numbers are; formulas not)
    carries: bool

    def item_expected(self, item: Any, ctx: Context) -> str:
        """The reference answer of one card or step, as text."""
        ...

    def item_value(self, item: Any, ctx: Context) -> Any:
        """The reference answer at full precision (a float, nested lists, or a formula)."""
        ...

    def grade_item(self, item: Any, ctx: Context, text: str) -> tuple[StepResult, Any]:
        """Grade one typed answer: its result and the learner's value (None when none)."""
        ...


def count_problem(expected: int, answers: list[str]) -> str | None:
    """What is wrong with the number of answers, or None."""
    if len(answers) != expected:
        return f"this card takes {expected} answer(s), got {len(answers)}"
    return None


class SingleAnswer:
    """What numeric and symbolic cards share: one typed answer, the card itself, graded by
    the kind's ``grade_item`` (which each defines, with ``item_expected``)."""

    self_rated = False
    picks_options = False
    stepwise = False
    retries = True

    def items(self, card: Any) -> list[Any]:
        return [card]

    def answer_count(self, card: Any) -> int:
        return 1

    def item_expected(self, item: Any, ctx: Context) -> str:
        raise NotImplementedError

    def grade_item(self, item: Any, ctx: Context, text: str) -> tuple[StepResult, Any]:
        raise NotImplementedError

    def expected(self, card: Any, variant: Variant) -> list[str]:
        from quizact.grading.card import Context

        return [self.item_expected(card, Context(card, variant))]

    def grade(self, card: Any, variant: Variant, answers: list[str]) -> Verdict:
        from quizact.grading.card import Context
        from quizact.grading.verdict import Verdict

        step, _ = self.grade_item(card, Context(card, variant), answers[0])
        return Verdict(step.status, step.score, step.feedback, step.mistake, (step,))

    def check(self, card: Any, variants: int) -> list[str]:
        return []  # the grader's checks (quizact.grading.cardcheck) cover every answer item

    def labels(self, card: Any, variant: Variant) -> list[str]:
        return ["answer"]
