"""Practice setup: which packs and tags, and how many cards (a small modal form).

Ticks read as ``[x]`` and ``[ ]`` (not by colour alone); the footer lists the form's own keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from quizact.sitting import PracticeRequest
from quizact.textsafe import one_line
from quizact.tui.widgets.footer import Footer
from quizact.tui.widgets.tick_list import TickList

if TYPE_CHECKING:
    from quizact.tui.app import QuizactApp

MAX_COUNT = 1000  # as `quizact practice --count`


class PracticeForm(ModalScreen[PracticeRequest | None]):
    """Returns the request, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start"),
    ]

    app: QuizactApp

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="practice-dialog"):
            yield Static("Practice — drills with fresh numbers; the schedule is not touched", classes="dialog-title")
            with Horizontal(id="practice-lists"):
                with Vertical():
                    yield Label("Packs (none ticked: all)")
                    yield TickList(id="practice-packs")
                with Vertical():
                    yield Label("Tags (none ticked: any)")
                    yield TickList(id="practice-tags")
            with Horizontal(id="practice-count-row"):
                yield Label("Cards ", id="practice-count-label")
                yield Input("20", id="practice-count", type="integer", max_length=4)
            yield Static("", id="practice-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True)
    def _load(self) -> None:
        session = self.app.wait_session()
        packs = sorted((p.meta.name, pid) for pid, p in session.packs.items())
        counts: dict[str, int] = {}
        for pack in session.packs.values():
            for card in pack.cards:
                for tag in card.tags:
                    counts[tag] = counts.get(tag, 0) + 1
        self.app.call_from_thread(self._fill, packs, sorted(counts.items()))

    def _fill(self, packs: list[tuple[str, str]], tags: list[tuple[str, int]]) -> None:
        # pack text as plain Content: markup in a name is shown as typed, controls escaped
        pack_options = [(Content(one_line(name)), pid) for name, pid in packs]
        self.query_one("#practice-packs", SelectionList).add_options(pack_options)
        tag_options = [(Content(f"{one_line(t)} ({n})"), t) for t, n in tags]
        self.query_one("#practice-tags", SelectionList).add_options(tag_options)
        for selection in self.query(TickList):
            if selection.option_count:
                selection.highlighted = 0  # space ticks the first one straight away
        self.query_one("#practice-packs", SelectionList).focus()

    def _request(self) -> PracticeRequest | None:
        error = self.query_one("#practice-error", Static)
        text = self.query_one("#practice-count", Input).value.strip()
        try:
            count = int(text)
        except ValueError:
            count = 0
        if not 1 <= count <= MAX_COUNT:
            error.update(f"The number of cards must be between 1 and {MAX_COUNT}.")
            error.add_class("-shown")
            self.query_one("#practice-count", Input).focus()
            return None
        packs = list(self.query_one("#practice-packs", SelectionList).selected)
        tags = list(self.query_one("#practice-tags", SelectionList).selected)
        return PracticeRequest(packs, tags, count)

    def action_start(self) -> None:
        request = self._request()
        if request is not None:
            self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_cancel()
