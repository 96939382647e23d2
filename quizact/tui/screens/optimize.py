"""Fitting FSRS parameters to the review log, with its progress (a small modal dialog).

The fit runs in a worker thread through ``Session.optimize``; each progress report moves
the bar. The dialog stays until the fit ends (it writes to the collection, so nothing else
is studied meanwhile); the app keeps drawing and answering keys all along.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from quizact.textsafe import visible
from quizact.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizact.tui.app import QuizactApp

STEPS = 1000  # the bar's resolution


def outcome(result: dict[str, Any]) -> str:
    """One sentence on how a fit ended, as the CLI says it."""
    losses = (f"log loss {result['loss_before']:.4f} with the current parameters, "
              f"{result['loss_after']:.4f} with the fitted ones")  # fmt: skip
    if result["applied"]:
        return f"Stored the fitted parameters ({losses}; {result['spaced']} reviews a day or more apart)."
    return f"Not stored: the fitted parameters predict your reviews worse ({losses}). The current ones are kept."


class OptimizeScreen(ModalScreen[None]):
    """Fits, showing progress; Close (escape) once the fit has ended."""

    BINDINGS = [Binding("escape", "close", "Close")]

    app: QuizactApp

    def __init__(self) -> None:
        super().__init__()
        self.running = True  # from the start: the fit begins as the dialog mounts
        self.result: dict[str, Any] | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="optimize-dialog"):
            yield Static("Optimize — fit FSRS parameters to your review history", classes="dialog-title")
            yield Static("starting…", id="optimize-stage")
            yield ProgressBar(total=STEPS, show_eta=True, id="optimize-bar")
            yield Static("", id="optimize-outcome")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")
        yield Footer()  # its own keys, over the screen below's

    def on_mount(self) -> None:
        self._fit()

    @work(thread=True, group="optimize")
    def _fit(self) -> None:
        from quizact.front import OptimizerUnavailable, TooFewReviews

        session = self.app.wait_session()
        try:
            result = session.optimize(progress=lambda p: self.app.call_from_thread(self._progress, p))
        except OptimizerUnavailable:
            self.app.call_from_thread(self._failed, "The optimizer is not installed: pip install 'quizact[optimizer]'")
        except TooFewReviews as exc:
            self.app.call_from_thread(self._failed, f"Not enough history yet: {exc}.")
        except Exception as exc:  # noqa: BLE001 - shown to the learner, not a traceback
            self.app.call_from_thread(self._failed, f"The fit failed: {visible(exc)}")
        else:
            self.app.call_from_thread(self._done, result)

    def _progress(self, p: Any) -> None:
        self.query_one("#optimize-stage", Static).update(f"{p.stage} — {p.fraction:.0%}")
        self.query_one("#optimize-bar", ProgressBar).update(progress=round(p.fraction * STEPS))

    def _done(self, result: dict[str, Any]) -> None:
        self.running = False
        self.result = result
        text = outcome(result)
        self.query_one("#optimize-stage", Static).update(f"{'stored' if result['applied'] else 'not stored'} — 100%")
        self.query_one("#optimize-bar", ProgressBar).update(progress=STEPS)
        self.query_one("#optimize-outcome", Static).update(text)
        self.query_one("#close", Button).focus()

    def _failed(self, message: str) -> None:
        self.running = False
        self.error = message
        self.query_one("#optimize-stage", Static).update("")
        self.query_one("#optimize-outcome", Static).update(message)
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "close":
            self.action_close()

    def action_close(self) -> None:
        if self.running:
            self.notify("The fit is still running; the dialog closes once it ends.", severity="warning")
            return
        self.dismiss(None)
