"""Settings: desired retention, daily limits and learning steps, validated by the core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Static

from quizact.textsafe import visible
from quizact.tui.widgets.footer import Footer
from quizact.tui.widgets.plain_input import PlainInput

if TYPE_CHECKING:
    from quizact.tui.app import QuizactApp

#: setting -> (label, help, how to read the text)
FIELDS: dict[str, tuple[str, str, str]] = {
    "desired_retention": ("Desired retention", "0.70–0.99: the chance of remembering a card when it comes due", "float"),
    "new_per_day": ("New cards per day", "how many unseen cards to introduce each day", "int"),
    "reviews_per_day": ("Reviews per day", "the most reviews shown in one day", "int"),
    "learning_steps": ("Learning steps", "intervals of a new card before it graduates, e.g. 1m 10m", "steps"),
    "relearning_steps": ("Relearning steps", "intervals after a lapse, e.g. 10m", "steps"),
}


def to_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


def read(kind: str, text: str) -> Any:
    """The typed text as the setting's type; ValueError with a message if it is not."""
    text = text.strip()
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise ValueError("type a number such as 0.9") from None
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError("type a whole number") from None
    return [s for s in text.replace(",", " ").split() if s]


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    app: QuizactApp

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Static("Saved with Ctrl+S or Enter; the collection checks every value.", id="settings-intro")
            for name, (label, help_text, _) in FIELDS.items():
                with Vertical(classes="setting", id=f"row-{name}"):
                    with Horizontal(classes="setting-line"):
                        yield Label(label, classes="setting-label")
                        yield PlainInput(id=name, classes="setting-input", compact=True)
                        yield Static(help_text, classes="setting-help")
                    yield Static("", classes="field-error", id=f"error-{name}")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
            yield Static("", id="settings-status")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True)
    def load(self) -> None:
        settings = self.app.wait_session().collection.settings().to_dict()
        self.app.call_from_thread(self._fill, settings)

    def _fill(self, settings: dict[str, Any]) -> None:
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = to_text(settings.get(name, ""))
        self.query_one(f"#{next(iter(FIELDS))}", Input).focus()

    def _error(self, name: str, message: str) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Content(visible(message)))  # may quote what was typed: plain text
        error.set_class(bool(message), "-shown")

    def action_save(self) -> None:
        changes: dict[str, Any] = {}
        ok = True
        for name, (_, _, kind) in FIELDS.items():
            try:
                changes[name] = read(kind, self.query_one(f"#{name}", Input).value)
                self._error(name, "")
            except ValueError as exc:
                self._error(name, str(exc))
                ok = False
        if ok:
            self._save(changes)

    @work(thread=True, exclusive=True)
    def _save(self, changes: dict[str, Any]) -> None:
        from quizact.storage.settings import SettingsError

        try:
            self.app.wait_session().collection.update_settings(**changes)
        except SettingsError as exc:
            message = str(exc)
            field = next((n for n in FIELDS if message.startswith(n)), None)
            if field is not None:
                self.app.call_from_thread(self._error, field, message)
            self.app.call_from_thread(self._status, f"Not saved: {message}", False)
            return
        self.app.call_from_thread(self._status, "Saved.", True)

    def _status(self, text: str, ok: bool) -> None:
        status = self.query_one("#settings-status", Static)
        status.update(Content(visible(text)))
        status.set_class(not ok, "-error")
        if ok:
            self.notify("Settings saved", timeout=2)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()
