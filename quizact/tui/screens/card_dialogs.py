"""Browse's small dialogs: set a card's due date, and a yes/no question."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from quizact.textsafe import one_line
from quizact.tui.widgets.plain_input import PlainInput

if TYPE_CHECKING:
    from quizact.tui.app import QuizactApp

HELP = ("0 is today, 3 is in 3 days, 3-7 a random day in that range (as in Anki), "
        "or a date like {example}. Only the due date moves: the card's memory (FSRS) "
        "stays, and the change is logged beside its reviews.")  # fmt: skip


class DueDateDialog(ModalScreen[str | None]):
    """Asks when the card is due and saves it; returns what to tell the learner once it
    is saved, or None when cancelled. A bad date is explained here and nothing is saved."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    app: QuizactApp

    def __init__(self, pack_id: str, card_id: str) -> None:
        super().__init__()
        self.pack_id, self.card_id = pack_id, card_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="due-dialog"):
            yield Static(one_line(f"Set due date: {self.card_id}"), classes="dialog-title", markup=False)
            example = (self.app.clock() + timedelta(days=7)).date().isoformat()
            yield Static(HELP.format(example=example), id="due-help")
            yield PlainInput(placeholder="days, a range, or a date", id="due-input", max_length=20)
            yield Static("", id="due-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Set", id="set", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#due-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "set":
            self._save(self.query_one("#due-input", Input).value)
        else:
            self.action_cancel()

    @work(thread=True, exclusive=True, name="set-due")
    def _save(self, spec: str) -> tuple[bool, str]:
        """(saved, what to say); the dialog closes once this worker is done."""
        from quizact.front import DueDateError
        from quizact.tui.services import relative

        session = self.app.wait_session()
        now = self.app.clock()
        try:
            due = session.set_due(self.pack_id, self.card_id, spec, now, self.app.rng)
        except DueDateError as exc:
            return False, str(exc)
        except Exception as exc:  # noqa: BLE001 - e.g. CollectionLocked: nothing was saved
            return False, f"Not saved: {exc}"
        return True, f"{self.card_id} is due {relative(due, now)}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "set-due" or event.state != WorkerState.SUCCESS:
            return
        saved, message = event.worker.result
        if saved:
            self.dismiss(message)
        else:
            self._error(message)

    def _error(self, message: str) -> None:
        error = self.query_one("#due-error", Static)
        error.update(one_line(message))
        error.add_class("-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A question answered with y (yes) or n/Escape (no); Enter presses the focused
    button, No at first."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("No (n)", id="no")
                yield Button(f"{self.yes} (y)", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
