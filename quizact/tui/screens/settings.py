"""Settings: the collection's study options, or one pack's preset, validated by the core.

"Options for" picks what is edited: every pack (the collection's own settings), or one
pack, whose preset (like Anki's option groups) holds the options that may differ between
packs; the others are then shown read-only. Nothing is saved unless every value is good.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Select, Static

from quizact.textsafe import one_line, visible
from quizact.tui.widgets.footer import Footer
from quizact.tui.widgets.plain_input import PlainInput

if TYPE_CHECKING:
    from quizact.tui.app import QuizactApp

ALL = "(all packs)"

#: setting -> help shown beside it (the label is ``storage.settings.LABELS``)
FIELDS: dict[str, str] = {
    "desired_retention": "70%–99%: the chance of remembering a card when it comes due",
    "new_per_day": "unseen cards introduced each day",
    "reviews_per_day": "the most reviews shown in one day",
    "learning_steps": "a new card's steps before it graduates, e.g. 1m 10m",
    "relearning_steps": "steps after a lapse, e.g. 10m",
    "maximum_interval": "days: no interval is longer (1–36500)",
    "leech_threshold": "lapses that make a card a leech",
    "leech_action": "suspend, or tag: only tag it 'leech'",
    "new_card_order": "pack (as in the pack files), random, or tag",
    "rollover_hour": "0–23: the hour the study day starts",
    "timezone": "the study day's time zone, e.g. Europe/Paris",
    "learn_ahead_minutes": "minutes a learning card may come early",
    "backups_kept_days": "days a daily backup is kept (0: none taken)",
}


class SettingsScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    app: QuizactApp

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pack_id: str | None = None  # None: the collection's own settings

    def compose(self) -> ComposeResult:
        from quizact.front import LABELS

        yield Header()
        with VerticalScroll(id="settings-body"):
            intro = "Saved with Ctrl+S or Enter; nothing is saved unless every value is good."
            yield Static(intro, id="settings-intro")
            with Horizontal(id="settings-scope"):
                yield Label("Options for", classes="setting-label")
                yield Select([(ALL, ALL)], value=ALL, allow_blank=False, id="scope", compact=True)
                yield Label("Preset", id="preset-label")
                yield PlainInput(id="preset", compact=True, disabled=True)
            yield Static("", id="scope-note")
            for name, help_text in FIELDS.items():
                with Vertical(classes="setting", id=f"row-{name}"):
                    with Horizontal(classes="setting-line"):
                        yield Label(LABELS[name], classes="setting-label")
                        yield PlainInput(id=name, classes="setting-input", compact=True)
                        yield Static(help_text, classes="setting-help", id=f"help-{name}")
                    yield Static("", classes="field-error", id=f"error-{name}")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
            yield Static("", id="settings-status")
        yield Footer()

    def on_mount(self) -> None:
        self.load(focus=True)

    @work(thread=True, exclusive=True, group="settings-load")
    def load(self, focus: bool = False, message: str = "") -> None:
        session = self.app.wait_session()
        packs = sorted(session.packs)
        settings = session.settings()
        self.app.call_from_thread(self._fill, packs, settings, self.pack_id, focus, message)

    def _fill(self, packs: list[str], settings: Any, pack_id: str | None, focus: bool, message: str) -> None:
        from quizact.front import PRESET_OPTIONS, to_text

        scope = self.query_one("#scope", Select)
        options = [(ALL, ALL), *((one_line(p), p) for p in packs)]
        with scope.prevent(Select.Changed):
            scope.set_options(options)
            scope.value = pack_id if pack_id is not None else ALL
        shown = settings.for_pack(pack_id) if pack_id is not None else settings
        preset = self.query_one("#preset", Input)
        preset.disabled = pack_id is None
        preset.value = "" if pack_id is None else settings.pack_presets.get(pack_id, pack_id)
        for name in FIELDS:
            box = self.query_one(f"#{name}", Input)
            box.value = to_text(name, getattr(shown, name))
            box.disabled = pack_id is not None and name not in PRESET_OPTIONS
            help_text = "same for every pack: change it under (all packs)" if box.disabled else FIELDS[name]
            self.query_one(f"#help-{name}", Static).update(help_text)
            self._error(name, "")
        note = ""
        if pack_id is not None:
            where = settings.preset_of(pack_id)
            now = "the collection's settings" if where == "default" else f"preset {where}"
            note = f"{pack_id} uses {now}. Type a preset name to share one preset between packs."
        self.query_one("#scope-note", Static).update(Content(visible(note)))
        self.query_one("#scope-note", Static).display = pack_id is not None
        self._status(message, True)
        if focus:
            self.query_one(f"#{next(iter(FIELDS))}", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "scope":
            self.pack_id = None if event.value in (ALL, Select.BLANK) else str(event.value)
            self.load()

    def _error(self, name: str, message: str) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Content(visible(message)))  # may quote what was typed: plain text
        error.set_class(bool(message), "-shown")

    def action_save(self) -> None:
        from quizact.front import SettingsError, from_text

        changes: dict[str, Any] = {}
        ok = True
        for name in FIELDS:
            box = self.query_one(f"#{name}", Input)
            if box.disabled:
                continue
            try:
                changes[name] = from_text(name, box.value)
                self._error(name, "")
            except SettingsError as exc:
                self._error(name, str(exc))
                ok = False
        if not ok:
            self._status("Not saved: correct the values shown in red.", False)
            self._focus_first_error()
            return
        preset = self.query_one("#preset", Input).value.strip() if self.pack_id is not None else ""
        self._save(changes, self.pack_id, preset or None)

    @work(thread=True, exclusive=True, group="settings-save")
    def _save(self, changes: dict[str, Any], pack_id: str | None, preset: str | None) -> None:
        from quizact.front import SettingsError

        try:
            self.app.wait_session().update_settings(changes, pack_id=pack_id, preset=preset)
        except SettingsError as exc:
            message = str(exc)
            field = getattr(exc, "field", None)
            if field in FIELDS:
                self.app.call_from_thread(self._error, field, message)
                self.app.call_from_thread(self._focus_first_error)
            self.app.call_from_thread(self._status, f"Not saved: {message}", False)
            return
        self.app.call_from_thread(self._saved, pack_id)

    def _focus_first_error(self) -> None:
        """Bring the first field in error into view (a short terminal shows only a few)."""
        for name in FIELDS:
            if self.query_one(f"#error-{name}", Static).has_class("-shown"):
                self.query_one(f"#{name}", Input).focus()
                self.query_one(f"#row-{name}").scroll_visible(animate=False)
                return

    def _saved(self, pack_id: str | None) -> None:
        self.notify("Settings saved", timeout=2)
        self.load(message="Saved." if pack_id is None else f"Saved for {pack_id}.")

    def _status(self, text: str, ok: bool) -> None:
        status = self.query_one("#settings-status", Static)
        status.update(Content(visible(text)))
        status.set_class(not ok, "-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()
