"""A steps card: the steps listed vertically, each graded on Enter, the next one focused.

Each row shows ✓, ✗ or ≈ ("consistent with your earlier answer": error carried forward)
once graded; :meth:`StepsForm.finish` adds the expected value to every step missed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from quizact.reading import AnswerSpec
from quizact.textsafe import visible
from quizact.tui.services import tidy
from quizact.tui.widgets.answer_box import AnswerBox

if TYPE_CHECKING:
    from quizact.front import StepResult


def step_mark(result: StepResult) -> tuple[str, str]:
    """(sign, style) of a graded step."""
    if result.status == "correct" and result.note == "ecf":
        return "≈", "$text-warning"
    if result.status == "correct":
        return "✓", "$text-success"
    if result.note == "form":
        return "◐", "$text-warning"
    return "✗", "$text-error"


class StepRow(Vertical):
    DEFAULT_CSS = """
    StepRow { height: auto; margin: 0 0 1 0; }
    StepRow > AnswerBox > .error, StepRow > AnswerBox > .preview { padding: 0 2; }
    StepRow > .label { text-style: bold; height: auto; }
    StepRow > .precision { color: $text-muted; height: auto; }
    StepRow > .result { height: auto; padding: 0 1; display: none; }
    """

    def __init__(self, index: int, prompt: str, spec: AnswerSpec) -> None:
        super().__init__(id=f"step-{index}")
        self.index = index
        self.prompt = visible(prompt, keep_newlines=True)  # pack text: controls shown escaped
        self.spec = spec
        self.result: StepResult | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(f"{self.index + 1}. {self.prompt}"), classes="label")
        if self.spec.precision:
            yield Static(Content(f"   precision: {self.spec.precision}"), classes="precision")
        yield AnswerBox(self.spec, index=self.index, compact=True)
        yield Static("", classes="result")

    @property
    def box(self) -> AnswerBox:
        return self.query_one(AnswerBox)

    def mark(self, result: StepResult, *, show_expected: bool = False) -> None:
        self.result = result
        sign, style = step_mark(result)
        text = visible(result.feedback or result.status, keep_newlines=True)
        if result.note == "ecf" and "consistent" not in text:
            text = f"consistent with your earlier answer — {text}"
        parts: list[str | tuple[str, str]] = [(f"{sign} ", f"bold {style}"), (text, style)]
        if result.interpreted:  # a formula, or arithmetic typed in a number box
            parts.append(f"\n  interpreted as {visible(result.interpreted)}")
        expected = tidy(result.expected)
        plainly_right = result.status == "correct" and result.note is None
        if show_expected and expected and expected not in text and not plainly_right:
            parts.append(("\n  expected ", "italic"))
            parts.append((visible(expected), "bold"))
        result_line = self.query_one(".result", Static)
        result_line.update(Content.assemble(*parts))
        result_line.display = True
        self.box.freeze()


class StepsForm(Vertical):
    """All steps of a card; the screen grades each :class:`AnswerBox.Submitted`."""

    DEFAULT_CSS = """
    StepsForm { height: auto; }
    """

    def __init__(self, prompts: tuple[str, ...], steps: list[Any], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prompts = prompts
        self.specs = [AnswerSpec.of(s) for s in steps]

    def compose(self) -> ComposeResult:
        for i, (prompt, spec) in enumerate(zip(self.prompts, self.specs)):
            yield StepRow(i, prompt, spec)

    def on_mount(self) -> None:
        rows = self.rows
        for row, after in zip(rows, rows[1:]):  # keys typed on past a step's Enter: the next step's
            row.box.input.overflow = after.box.input.post_message

    @property
    def rows(self) -> list[StepRow]:
        return list(self.query(StepRow))

    def answers(self, upto: int) -> list[str]:
        return [row.box.value for row in self.rows[: upto + 1]]

    def focus_step(self, index: int) -> None:
        rows = self.rows
        if 0 <= index < len(rows):
            rows[index].box.focus_input()
            rows[index].scroll_visible()

    def mark(self, index: int, result: StepResult) -> None:
        self.rows[index].mark(result)

    def finish(self, results: tuple[StepResult, ...]) -> None:
        """Final marks for every step, with the expected values of the missed ones."""
        for row, result in zip(self.rows, results):
            row.mark(result, show_expected=True)
