"""Multiple choice: letters a–z pick, arrows move, space toggles, Enter submits.

Single-answer cards behave like radio buttons; ``multiple`` cards like checkboxes. After
grading, :meth:`ChoiceList.show_feedback` marks every option ✓ / ✗ with its feedback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from quizact.textsafe import visible

if TYPE_CHECKING:
    from quizact.session import OptionMark


class ChoiceOption(Static):
    DEFAULT_CSS = """
    ChoiceOption { padding: 0 1; height: auto; }
    ChoiceOption.-cursor { background: $boost; }
    ChoiceOption.-right { color: $text-success; }
    ChoiceOption.-wrong { color: $text-error; }
    ChoiceOption.-other { color: $text-muted; }
    """

    def __init__(self, index: int, text: str) -> None:
        super().__init__()
        self.index = index
        self.text = visible(text, keep_newlines=True)  # pack text: controls shown, never acted on

    @property
    def letter(self) -> str:
        return chr(97 + self.index)

    def draw(self, multiple: bool, selected: bool, mark: OptionMark | None = None) -> None:
        if mark is None:
            box = ("[x]" if selected else "[ ]") if multiple else ("(•)" if selected else "( )")
            self.update(Content.assemble(box, " ", (f"{self.letter})", "bold"), " ", self.text))
            return
        sign = "✓" if mark.correct else ("✗" if mark.chosen else " ")
        picked = "you chose" if mark.chosen else ("missed" if mark.correct and multiple else "")
        parts: list[str | tuple[str, str]] = [f"{sign} ", (f"{self.letter})", "bold"), " ", self.text]
        if mark.feedback:
            parts += [" — ", visible(mark.feedback, keep_newlines=True)]
        if picked:
            parts += ["  ", (f"({picked})", "italic")]
        self.update(Content.assemble(*parts))
        self.set_class(mark.correct, "-right")
        self.set_class(mark.chosen and not mark.correct, "-wrong")
        self.set_class(not mark.chosen and not mark.correct, "-other")

    def on_click(self) -> None:
        parent = self.parent
        if isinstance(parent, ChoiceList):
            parent.pick(self.index)


class ChoiceList(Vertical, can_focus=True):
    """The options of a choice card, in display order."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; padding: 0 0 1 0; }
    ChoiceList:focus { border-left: thick $primary; }
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("space", "toggle", "Pick", show=False),
        Binding("enter", "submit", "Check answer"),
    ]

    cursor = reactive(0)

    @dataclass
    class Submitted(Message):
        letters: str  # "b" or "a,c"

    def __init__(self, options: tuple[str, ...], multiple: bool, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self.multiple = multiple
        self.selected: set[int] = set()
        self.locked = False

    def compose(self) -> ComposeResult:
        for i, text in enumerate(self.options):
            yield ChoiceOption(i, text)

    def on_mount(self) -> None:
        self._redraw()

    @property
    def letters(self) -> str:
        return ",".join(chr(97 + i) for i in sorted(self.selected))

    def _redraw(self) -> None:
        for option in self.query(ChoiceOption):
            option.draw(self.multiple, option.index in self.selected)
            option.set_class(option.index == self.cursor and not self.locked, "-cursor")

    def watch_cursor(self) -> None:
        if self.is_mounted:
            self._redraw()

    def pick(self, index: int) -> None:
        """Select (single) or toggle (multiple) option ``index``."""
        if self.locked or not 0 <= index < len(self.options):
            return
        if self.multiple:
            self.selected ^= {index}
        else:
            self.selected = {index}
        self.cursor = index
        self._redraw()

    def on_key(self, event: Key) -> None:
        char = event.character or ""
        if not self.locked and len(char) == 1 and "a" <= char <= chr(96 + len(self.options)):
            event.stop()
            event.prevent_default()
            self.pick(ord(char) - 97)

    def action_move(self, step: int) -> None:
        if not self.locked:
            self.cursor = (self.cursor + step) % len(self.options)

    def action_toggle(self) -> None:
        self.pick(self.cursor)

    def action_submit(self) -> None:
        if self.locked:
            return
        if not self.selected and not self.multiple:
            self.selected = {self.cursor}
            self._redraw()
        self.post_message(self.Submitted(self.letters))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.locked

    def show_feedback(self, marks: list[OptionMark]) -> None:
        """Lock the list and mark each option (``marks`` in display order)."""
        self.locked = True
        for option, mark in zip(self.query(ChoiceOption), marks):
            option.draw(self.multiple, option.index in self.selected, mark)
            option.remove_class("-cursor")
        self.refresh_bindings()
