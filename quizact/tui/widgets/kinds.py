"""The app's one map from card kind to its answer area (``WIDGETS``).

Each entry says how a card of that kind is answered on screen: the widgets it composes
below the prompt, where focus goes, how an unreadable answer and a verdict are shown, and
how an undone rating puts its answers back. ``CardView`` asks this map, never the kind's
name. Each kind's widgets are imported when a card first needs them (a lighter first
paint). Adding a kind: its core module (``quizact/kinds/``), an entry here, its docs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from quizact.reading import AnswerSpec
from quizact.tui.services import tidy

if TYPE_CHECKING:
    from quizact.front import Verdict
    from quizact.tui.widgets.card_view import CardView


class AnswerArea:
    """A kind with nothing to type or pick (recall: revealed, then rated)."""

    #: the answer boxes' shapes are worked out after the first frame (numbers)
    shapes = False

    def hint_key(self, card: Any) -> str:
        """Which of ``card_view.HINTS`` is shown below the card."""
        return str(card.kind)

    def compose(self, view: CardView) -> Iterator[Widget]:
        yield from ()

    def focus(self, view: CardView) -> None:
        pass

    def show_invalid(self, view: CardView, feedback: str) -> bool:
        """Show an unreadable answer in place; False leaves it to a notification."""
        return False

    def graded(self, view: CardView, verdict: Verdict, answers: list[str]) -> Verdict:
        """Mark the answer area once graded; the verdict as the panel should show it."""
        return verdict

    def restore(self, view: CardView, answers: tuple[str, ...]) -> None:
        pass


class ChoiceArea(AnswerArea):
    def hint_key(self, card: Any) -> str:
        return "choice-multiple" if card.multiple else "choice"

    def compose(self, view: CardView) -> Iterator[Widget]:
        from quizact.tui.widgets.choice import ChoiceList

        yield ChoiceList(view.shown.options, view.shown.card.multiple, id="answer")

    def focus(self, view: CardView) -> None:
        view.query_one("ChoiceList").focus()

    def graded(self, view: CardView, verdict: Verdict, answers: list[str]) -> Verdict:
        marks = view.app.wait_session().option_marks(view.shown, answers[0])  # type: ignore[attr-defined]
        view.query_one("ChoiceList").show_feedback(marks)  # type: ignore[attr-defined]
        return verdict

    def restore(self, view: CardView, answers: tuple[str, ...]) -> None:
        view.query_one("ChoiceList").selected = {ord(c) - 97 for c in answers[0].split(",") if c}  # type: ignore[attr-defined]


class BoxArea(AnswerArea):
    """One typed answer: a formula or a number."""

    def __init__(self, shapes: bool = False) -> None:
        self.shapes = shapes

    def compose(self, view: CardView) -> Iterator[Widget]:
        from quizact.tui.widgets.answer_box import AnswerBox

        spec = AnswerSpec.of(view.shown.card)
        if spec.precision:  # what the answer is graded at, beside the box
            yield Static(Content(f"precision: {spec.precision}"), id="precision")
        yield AnswerBox(spec, id="answer")

    def focus(self, view: CardView) -> None:
        view.query_one("AnswerBox").focus_input()  # type: ignore[attr-defined]

    def show_invalid(self, view: CardView, feedback: str) -> bool:
        view.query_one("AnswerBox").show_invalid(feedback)  # type: ignore[attr-defined]
        return True

    def graded(self, view: CardView, verdict: Verdict, answers: list[str]) -> Verdict:
        view.query_one("AnswerBox").freeze()  # type: ignore[attr-defined]
        if verdict.steps:
            verdict = replace(verdict, steps=(replace(verdict.steps[0], expected=tidy(verdict.steps[0].expected)),))
        return verdict

    def restore(self, view: CardView, answers: tuple[str, ...]) -> None:
        view.query_one("AnswerBox").input.value = answers[0]  # type: ignore[attr-defined]


class StepsArea(AnswerArea):
    shapes = True

    def compose(self, view: CardView) -> Iterator[Widget]:
        from quizact.tui.widgets.steps import StepsForm

        yield StepsForm(view.shown.step_prompts, list(view.shown.card.steps), id="answer")

    def focus(self, view: CardView) -> None:
        view.query_one("StepsForm").focus_step(0)  # type: ignore[attr-defined]

    def graded(self, view: CardView, verdict: Verdict, answers: list[str]) -> Verdict:
        view.query_one("StepsForm").finish(verdict.steps)  # type: ignore[attr-defined]
        return verdict

    def restore(self, view: CardView, answers: tuple[str, ...]) -> None:
        for row, text in zip(view.query_one("StepsForm").rows, answers):  # type: ignore[attr-defined]
            row.box.input.value = text


WIDGETS: dict[str, AnswerArea] = {
    "recall": AnswerArea(),
    "choice": ChoiceArea(),
    "symbolic": BoxArea(),
    "numeric": BoxArea(shapes=True),
    "steps": StepsArea(),
}


def area_of(card: Any) -> AnswerArea:
    """The answer area of a card's kind."""
    return WIDGETS[card.kind]
