"""A typed answer: an Input, the live "interpreted as" line and inline errors with a caret.

The preview is debounced: each change restarts a 150 ms timer, and only when typing pauses
is the text parsed, in a worker thread (sympy is imported there, never before the first
frame), one parse at a time (a change made meanwhile is parsed once that one is done).
The box holds at most :data:`MAX_ANSWER` characters: a key or a paste that would go past
it is refused whole, with a message under the box, and what was typed stays. Enter posts
:class:`AnswerBox.Submitted`; the screen grades it and calls :meth:`show_invalid` (costs
nothing) or :meth:`lock`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key, Paste
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from quizact.reading import AnswerSpec, Preview, preview
from quizact.textsafe import caret, visible
from quizact.tui.widgets.plain_input import PlainInput

COMPACT = {"symbolic": "a formula", "numeric": "a number, fraction or [vector]"}
DEBOUNCE = 0.15
MAX_ANSWER = 2000  # characters in one answer box (the number reader's own limit)
#: Examples in the box of a single-answer card (COMPACT: a step's box). They show the
#: syntax and must answer no card: a test grades them against every built-in card.
SYMBOLIC_EXAMPLE = "3{v}^2 + exp(-{v})/2"  # in the card's first variable
NUMERIC_EXAMPLES = "0.37, -7/5, 2.1e-3, [0.1, -0.2]"


def shape_hint(shape: tuple[int, ...] | None, compact: bool = False) -> str:
    """What a number box of this answer shape asks for: ``2×3 matrix: rows split by ;``,
    ``vector of 3: numbers split by ,``; "" for one number or an unknown shape."""
    if not shape:
        return ""
    sizes = [n for n in shape if n != 1]  # a row or column matrix is typed as a vector
    if len(sizes) == 1:
        n = sizes[0]
        return f"vector of {n}: numbers split by ," if compact else f"a vector of {n} numbers, split by commas"
    if len(shape) == 2 and len(sizes) == 2:
        rows, cols = shape
        if compact:
            return f"{rows}×{cols} matrix: rows split by ;"
        return f"a {rows}×{cols} matrix, row by row: rows split by ; or new lines"
    return ""


def placeholder(spec: AnswerSpec, compact: bool = False) -> str:
    """The text shown in an empty answer box."""
    if spec.numbers and shape_hint(spec.shape):
        return shape_hint(spec.shape, compact)
    if compact:
        return COMPACT.get(spec.kind, "")
    if spec.formula:
        example = SYMBOLIC_EXAMPLE.format(v=spec.variables[0]) if spec.variables else ""
        return f"a formula, e.g. {example}   (F1: syntax)" if example else "a formula   (F1: syntax)"
    if spec.numbers:
        return f"a number, fraction or vector, e.g. {NUMERIC_EXAMPLES}"
    return ""


def caret_lines(text: str, pos: int | None, message: str) -> Content:
    """``message`` under the typed text with a ``^`` at ``pos``; controls shown escaped."""
    if pos is None:
        return Content.assemble(("✗ ", "bold"), visible(message))
    shown, column = caret(text, min(pos, len(text)))
    return Content.assemble(
        ("  " + shown + "\n", ""), ("  " + " " * column + "^ ", "bold"), visible(message)
    )


class AnswerInput(PlainInput):
    """An Input that submits on Enter in the order keys arrive: Input's own Enter binding
    runs only once the key has bubbled up to the app, after the keys typed behind it were
    already inserted (a burst of keys would submit text typed after Enter).

    ``overflow`` (a step with a next step) takes the keys that still reach this box after
    Enter, before the focus has moved on: they belong to the next step.
    """

    BINDINGS = [Binding("enter", "check", "Check answer")]  # Enter is taken in on_key: this lists it

    overflow: Callable[[Key], None] | None = None
    submitted = False  # Enter pressed; cleared by AnswerBox.release
    rows = False  # a number box: a pasted matrix keeps its rows, its lines joined by "; "

    @dataclass
    class Refused(Message):
        """Text that would make the answer longer than :data:`MAX_ANSWER` was not added."""

        added: int  # characters in the refused key or paste

    def replace(self, text: str, start: int, end: int) -> None:
        start, end = sorted((max(0, start), min(len(self.value), end)))
        added = len(visible(text))
        if len(self.value) - (end - start) + added > MAX_ANSWER:
            self.post_message(self.Refused(added))  # whole: half a paste would be worse
            return
        super().replace(text, start, end)

    def _on_paste(self, event: Paste) -> None:
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if not self.rows or len(lines) < 2:
            return  # Input's own paste: its first line
        event.prevent_default()  # not Input's too
        event.stop()
        text = "; ".join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)

    async def on_key(self, event: Key) -> None:
        if self.submitted and self.overflow is not None:
            event.stop()
            event.prevent_default()
            self.overflow(Key(event.key, event.character))  # a fresh event: this one is spent
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_check()

    async def action_check(self) -> None:
        """Enter (or a click on the footer's key): submit the answer for checking."""
        self.submitted = True
        await self.action_submit()


class AnswerBox(Vertical):
    """One answer: a card's single answer (``index`` None) or step ``index`` of a steps card."""

    DEFAULT_CSS = """
    AnswerBox { height: auto; }
    AnswerBox > .preview { color: $text-muted; padding: 0 1; height: auto; display: none; }
    AnswerBox > .error { color: $text-error; padding: 0 1; height: auto; display: none; }
    AnswerBox.-invalid > .error { display: block; }
    AnswerBox.-invalid > Input { border: tall $error; }
    AnswerBox.-invalid > Input.-textual-compact { border: none; background: $error 20%; }
    AnswerBox > Input.-textual-compact { margin: 0 1; }
    """

    @dataclass
    class Submitted(Message):
        box: AnswerBox
        text: str

    def __init__(self, spec: AnswerSpec, *, index: int | None = None, compact: bool = False,
                 id: str | None = None) -> None:  # fmt: skip
        super().__init__(id=id)
        self.spec = spec
        self.index = index
        self.compact = compact
        self._timer: Timer | None = None
        self._held: str | None = None  # the text being graded
        self._parsing = False  # a preview parse is running
        self._stale = False  # the text changed while it ran: parse again once it is done
        self._refused = ""  # the too-long message shown, so a burst of refused keys draws it once

    def compose(self) -> ComposeResult:
        box = AnswerInput(placeholder=placeholder(self.spec, self.compact), select_on_focus=False, compact=self.compact)
        box.rows = self.spec.numbers
        yield box
        yield Static("", classes="preview")
        yield Static("", classes="error")

    def set_shape(self, shape: tuple[int, ...] | None) -> None:
        """The answer's shape is known (worked out after the first frame): the hint says it."""
        if not self.spec.numbers or shape == self.spec.shape:
            return
        self.spec = dataclasses.replace(self.spec, shape=shape)
        self.input.placeholder = placeholder(self.spec, self.compact)

    @property
    def input(self) -> AnswerInput:
        return self.query_one(AnswerInput)

    @property
    def value(self) -> str:
        return self.input.value

    def focus_input(self) -> None:
        self.input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._held is not None:
            self.hold(self._held)  # typed while being graded: the graded text stays
            return
        self.remove_class("-invalid")
        self._refused = ""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._refresh_preview)

    def on_answer_input_refused(self, event: AnswerInput.Refused) -> None:
        event.stop()
        limit = f"{MAX_ANSWER:,}"
        if event.added > 1:
            message = (f"Not pasted: an answer holds at most {limit} characters and that paste has {event.added:,}; "
                       "your text is kept.")
        else:
            message = f"An answer holds at most {limit} characters: further keys are not added."
        if message != self._refused or not self.has_class("-invalid"):
            self._refused = message
            self._error(Content.assemble(("✗ ", "bold"), message))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def _refresh_preview(self) -> None:
        """Typing paused: parse the text, unless a parse is running (then once it is done)."""
        self._timer = None
        if self._parsing:
            self._stale = True
            return
        self._parsing = True
        self._parse(self.value)

    @work(thread=True, exclusive=True, group="preview")
    def _parse(self, text: str) -> None:
        result = preview(self.spec, text)
        self.app.call_from_thread(self._show_preview, text, result)

    def _show_preview(self, text: str, result: Preview) -> None:
        self._parsing = False
        if self._stale:
            self._stale = False
            if self._timer is None and text != self.value:
                self._refresh_preview()  # typing paused during that parse: the latest text now
        if text != self.value or self.input.disabled:
            return  # typed on meanwhile, or already graded
        if self._refused:  # keys past the limit were refused: that says more than a parse error
            self._set_preview("")
            self._error(Content.assemble(("✗ ", "bold"), self._refused))
        elif result.error:
            self._set_preview("")
            self._error(caret_lines(text, result.pos, result.error))
        elif result.text and result.text.replace("−", "-") != text.strip():
            label = result.label or ("interpreted as" if self.spec.formula else "reads as")
            self._set_preview(Content.assemble((f"{label} ", "italic"), (visible(result.text), "bold")))
            self.remove_class("-invalid")
        else:
            self._set_preview("")

    def _set_preview(self, content: Content | str) -> None:
        line = self.query_one(".preview", Static)
        line.update(content)
        line.display = bool(content)

    def _error(self, content: Content) -> None:
        self.query_one(".error", Static).update(content)
        self.add_class("-invalid")

    def show_invalid(self, feedback: str) -> None:
        """The grader could not read the answer: say why (no attempt was spent)."""
        shown = visible(feedback, keep_newlines=True)
        self._error(Content.assemble(shown, ("\nnot counted: fix it and press Enter", "italic")))
        self.input.focus()

    def hold(self, text: str) -> None:
        """Being graded: the box shows ``text``, as submitted (keys that reached it after
        Enter are dropped), until :meth:`release`."""
        self._held = text
        if self.value != text:
            self.input.value = text
            self.input.cursor_position = len(text)

    def release(self) -> None:
        """Graded, refused or not taken: keys reach this box again."""
        self._held = None
        self.input.submitted = False

    def freeze(self) -> None:
        """Graded: no more typing; the verdict takes over from the preview."""
        self.input.disabled = True
        self.remove_class("-invalid")
        self._set_preview("")

    def thaw(self) -> None:
        self.input.disabled = False
        self.input.focus()
