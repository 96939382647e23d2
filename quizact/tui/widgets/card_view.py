"""One presented card, from prompt to verdict.

The prompt (Markdown, or its light form: ``widgets.prompt``) and an optional plot, the
answer area for the card's kind, then — once graded in a worker thread — the verdict and
the rating bar. An invalid answer is shown in place and costs nothing. The view posts
:class:`CardView.Answered` when the card is ready to rate (graded, or a recall card revealed); the screen does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from quizact.textsafe import visible
from quizact.tui.start import release_gc
from quizact.tui.widgets.kinds import area_of
from quizact.tui.widgets.prompt import prompt_widget
from quizact.tui.widgets.rating_bar import RatingBar

if TYPE_CHECKING:
    from quizact.front import StepResult
    from quizact.session import Graded, Presented
    from quizact.sitting import Sitting
    from quizact.tui.widgets.answer_box import AnswerBox
    from quizact.tui.widgets.choice import ChoiceList

# The widgets of each card kind, and of the verdict (with the Markdown parser), are
# imported when a card first needs them: the first card draws with only its own.

HINTS = {
    "recall": "Recall the answer, then press [b]space[/b] to show it.",
    "choice": "Pick with [b]a[/b]–[b]{last}[/b] (or ↑↓ and space), then [b]Enter[/b].",
    "choice-multiple": "Select all that apply: [b]a[/b]–[b]{last}[/b] toggle, [b]Enter[/b] checks.",
    "symbolic": "Type a formula; [b]Enter[/b] checks it. [b]F1[/b] shows the syntax.",
    "numeric": "Type a number; [b]Enter[/b] checks it.",
    "steps": "Answer step by step; [b]Enter[/b] checks each step.",
}


class CardView(Vertical):
    """The card being reviewed."""

    @dataclass
    class Answered(Message):
        """Ready to rate: ``graded`` is None for a revealed recall card."""

        graded: Graded | None
        answers: list[str]

    @dataclass
    class Failed(Message):
        error: Exception

    def __init__(self, shown: Presented, sitting: Sitting, *, practice: bool = False) -> None:
        """``shown``: the card ``sitting`` shows; answers are graded, and kept, by the sitting."""
        super().__init__(id="card")
        self.shown = shown
        self.sitting = sitting
        self.practice = practice
        self.graded: Graded | None = None  # what is on screen (the sitting keeps the attempt)
        self.answers: list[str] = []
        self.busy = False  # an answer is being graded
        self.done = False  # graded or revealed
        self._grading: int | None = None  # the step being graded
        self._pending: dict[int, tuple[AnswerBox, str]] = {}  # later steps submitted meanwhile
        self._held_plot: Widget | None = None  # a plot waiting for the verdict

    @property
    def kind(self) -> str:
        return self.shown.card.kind

    def compose(self) -> ComposeResult:
        card, shown = self.shown.card, self.shown
        with Horizontal(id="prompt-row"):
            session = getattr(self.app, "session", None)
            yield prompt_widget(shown, session.prompt_paragraphs(shown) if session is not None else None)
            yield Vertical(id="plot-slot")
        key = area_of(card).hint_key(card)
        last = chr(96 + max(1, len(shown.options)))
        yield Static(Content.from_markup(HINTS[key].format(last=last)), id="hint")
        yield from area_of(card).compose(self)
        # the verdict and the rating bar are mounted once graded (a lighter first paint)

    def on_mount(self) -> None:
        self.call_after_refresh(release_gc)  # the first card is drawn (quizact.tui.start)
        if area_of(self.shown.card).shapes:
            self.call_after_refresh(self._find_shapes)  # after that: it computes the answers

    @work(thread=True, group="shapes")
    def _find_shapes(self) -> None:
        """Each answer's shape, for the boxes' hints ("2×3 matrix: rows split by ;")."""
        try:
            shapes = self.shown.answer_shapes()
        except Exception:  # noqa: BLE001 - the boxes keep their plain hints
            return
        self.app.call_from_thread(self._show_shapes, shapes)

    def _show_shapes(self, shapes: list[tuple[int, ...] | None]) -> None:
        from quizact.tui.widgets.answer_box import AnswerBox

        for box, shape in zip(self.query(AnswerBox), shapes):
            box.set_shape(shape)

    def _one(self, type_name: str) -> Any:
        """The one widget of that class (by name: each is imported once a card needs it)."""
        return self.query_one(type_name)

    def focus_answer(self) -> None:
        area_of(self.shown.card).focus(self)

    # -- grading (worker threads) ------------------------------------------------------

    def on_choice_list_submitted(self, message: ChoiceList.Submitted) -> None:
        message.stop()
        if not self.busy and not self.done:
            self.busy = True
            self._grade([message.letters])

    def on_answer_box_submitted(self, message: AnswerBox.Submitted) -> None:
        message.stop()
        box = message.box
        if self.done:
            box.release()
            return
        if self.busy:  # a later step, answered while an earlier one is being graded
            if box.index is not None and self._grading is not None and box.index > self._grading:
                self._pending[box.index] = (box, message.text)  # checked once the steps before are
            else:
                box.release()
            return
        self.busy = True
        box.hold(message.text)  # keys typed after Enter never change what is graded
        if box.index is None:
            self._grade([message.text])
        else:
            form = self._one("StepsForm")
            self._grading = box.index
            later_focused = any(row.box.input.has_focus for row in form.rows[box.index + 1:])
            if box.index + 1 < len(form.rows) and not later_focused:
                form.focus_step(box.index + 1)  # the next step takes what is typed meanwhile
            self._grade_step(box.index, form.answers(box.index))

    @work(thread=True, group="grade")
    def _grade(self, answers: list[str]) -> None:
        try:
            graded = self.sitting.submit(answers, self.app.clock())
        except Exception as exc:  # noqa: BLE001 - reported by the screen, the app goes on
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._on_graded, answers, graded)

    def _failed(self, exc: Exception) -> None:
        self.busy, self._grading, self._pending = False, None, {}
        for box in self.query("AnswerBox"):
            box.release()
        self.post_message(self.Failed(exc))

    async def _on_graded(self, answers: list[str], graded: Graded) -> None:
        self.busy = False
        for box in self.query("AnswerBox"):
            box.release()
        if graded.verdict.invalid:
            if not area_of(self.shown.card).show_invalid(self, graded.verdict.feedback):
                self.notify(visible(graded.verdict.feedback, keep_newlines=True), severity="warning", markup=False)
            return
        self.graded, self.answers, self.done = graded, answers, True
        await self._mount_verdict()
        verdict = area_of(self.shown.card).graded(self, graded.verdict, answers)
        self._one("VerdictPanel").show_verdict(verdict, self.kind, self.shown.explain)
        self._graded_view(True)
        self._release_plot()
        self.show_rating({int(r): v for r, v in graded.intervals.items()}, int(graded.proposed))
        self.post_message(self.Answered(graded, answers))

    @work(thread=True, group="grade")
    def _grade_step(self, index: int, answers: list[str]) -> None:
        try:
            results = self.sitting.grade_steps(answers)
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._on_step, index, answers, results)

    def _on_step(self, index: int, answers: list[str], results: list[StepResult]) -> None:
        self.busy, self._grading = False, None
        form = self._one("StepsForm")
        form.rows[index].box.release()
        result = results[index] if len(results) > index else None
        if result is None or result.status == "invalid":
            message = result.feedback if result else (results[-1].feedback if results else "could not check this step")
            form.rows[index].box.show_invalid(message)  # back to this step; later ones keep their text
            for box, _ in self._pending.values():
                box.release()
            self._pending = {}
            return
        form.mark(index, result)
        if index + 1 < len(form.rows):
            following = self._pending.pop(index + 1, None)
            if following is not None:
                from quizact.tui.widgets.answer_box import AnswerBox

                self.post_message(AnswerBox.Submitted(*following))
            elif not any(box.input.has_focus for box in self.query("AnswerBox")):
                form.focus_step(index + 1)
        else:
            self.busy = True
            self._grade(answers)

    async def restore(self, answers: tuple[str, ...], graded: Graded | None, revealed: bool) -> None:
        """Back as it was when rated (an undone rating): the answers typed, their verdict
        and the rating bar; a recall card revealed."""
        if revealed:
            await self.reveal()
            return
        if graded is None or graded.verdict.invalid or not answers:
            return
        area_of(self.shown.card).restore(self, answers)
        await self._on_graded(list(answers), graded)

    # -- recall --------------------------------------------------------------------------

    async def reveal(self) -> None:
        """A recall card: show the answer, then each rating's interval."""
        if self.done:
            return
        self.done = True
        self.sitting.reveal()  # before the rating keys work: the card may now be rated
        await self._mount_verdict()
        self._one("VerdictPanel").show_answer(self.shown.answer, self.shown.explain)
        self._graded_view(True)
        self._release_plot()
        self.show_rating({}, 3)
        self._intervals()
        self.post_message(self.Answered(None, []))

    @work(thread=True, group="grade")
    def _intervals(self) -> None:
        try:
            values = self.sitting.intervals(self.app.clock())
        except Exception:  # noqa: BLE001 - rated meanwhile (or no collection): the bar keeps its keys
            return
        self.app.call_from_thread(self.show_rating, {int(r): v for r, v in values.items()}, 3)

    # -- after grading -------------------------------------------------------------------

    async def _mount_verdict(self) -> None:
        if not self.query("VerdictPanel"):
            from quizact.tui.widgets.verdict import VerdictPanel

            await self.mount(VerdictPanel(id="verdict"), RatingBar(id="rating"))

    def _graded_view(self, graded: bool) -> None:
        """Swap the hint for the verdict and rating bar (display only: no restyling)."""
        self.query_one("#hint").display = not graded
        for part in self.query("#verdict, #rating"):
            part.display = graded

    @property
    def proposed(self) -> int:
        bars = self.query(RatingBar)
        return (bars.first().proposed if bars else None) or 3

    def show_rating(self, intervals: dict[int, str], proposed: int | None) -> None:
        bar = self.query_one(RatingBar)
        bar.show(intervals, proposed)
        self.call_after_refresh(bar.scroll_visible, animate=False)  # once laid out

    def toggle_explain(self) -> None:
        self._one("VerdictPanel").toggle_explain()

    def retry(self) -> None:
        """After a wrong answer: answer again (the proposal becomes Hard at best)."""
        self.sitting.retry()
        self.done, self.graded = False, None
        self._graded_view(False)
        self._one("AnswerBox").thaw()

    # -- the plot --------------------------------------------------------------------------

    @property
    def plot_when(self) -> str:
        """When the card's plot appears: ``after`` grading unless the card says ``before``."""
        plot = getattr(self.shown.card, "plot", None)
        return plot.when if plot is not None else "after"

    def mount_plot(self, plot: Widget) -> None:
        """Show ``plot`` now if the card is graded or asks for it before; else once graded."""
        if not self.done and self.plot_when != "before":
            self._held_plot = plot
            return
        slot = self.query_one("#plot-slot")
        slot.remove_children()
        slot.mount(plot)
        self.add_class("-has-plot")
        if not self.has_class("-plot-on"):  # a narrow terminal: say where the plot is
            hint = self.query_one("#hint", Static)
            hint.update(Content.assemble(hint.render(), "  ", ("(plot: Esc, then g)", "italic")))
            if self.done:
                self.notify("This card's plot: press g", timeout=3)

    def _release_plot(self) -> None:
        """Graded: the plot held back until now appears."""
        plot, self._held_plot = self._held_plot, None
        if plot is not None:
            self.mount_plot(plot)
