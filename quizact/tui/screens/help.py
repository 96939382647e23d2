"""Help: how to type answers (F1) and the keys of every screen (?).

F1 opens the answer syntax, at the top; ``?`` opens the keys. On the help screen each key
brings its part to the top.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Markdown

from quizact.tui.widgets.footer import Footer

Topic = Literal["syntax", "keys"]

SYNTAX = """\
# Typing formulas

Formulas are written in the card's own variables (most cards use z); `x` below stands
for any of them.

| you type | means |
|---|---|
| `x^2`, `x²` | powers (`**` is not needed) |
| `2x`, `x(1-x)`, `2 sigmoid(x)` | implicit multiplication |
| `sigmoid(x)`, `σ(x)` | the logistic sigmoid 1/(1+e^(−x)) |
| `tanh(x)`, `tanh^2(x)`, `tanh²(x)` | tanh and its square |
| `relu(x)`, `max(0, x)` | ReLU |
| `H(x)`, `Heaviside(x)`, `step(x)` | the Heaviside step (0 for x < 0, 1 for x > 0) |
| `exp(x)`, `e^x`, `e^-x`, `e^(-x)` | the exponential |
| `ln(x)`, `log(x)`, `sqrt(x)`, `abs(x)`, `\\|x\\|` | logs, roots, absolute value |
| `alpha`, `α` | Greek letters as named on the card |
| `where(x > 0, x, alpha*x)` | a piecewise choice |

The line under the box shows how your formula was read ("interpreted as"). A formula
that cannot be read is not counted: fix it and press Enter again.

# Typing numbers

| you type | means |
|---|---|
| `12.5`, `-3.75`, `.125` | decimals |
| `6.02e23`, `6.02×10^23` | scientific notation (a negative power: `e-4`, `×10^-4`) |
| `-22/7` | fractions |
| `[0.1, -0.2]` or `0.1, -0.2` | a vector |
| `[[1, 2], [3, 4]]` | a matrix, row by row |
| `1, 2; 3, 4` | the same matrix: rows split by `;` (a pasted matrix keeps its lines as rows) |
| `1 - e^4.2`, `-3^2`, `[2^-3, sqrt(3)/2]` | arithmetic, shown as "interpreted as 1 − e^4.2 = −65.69" |

When a card asks for significant figures, give at least that many digits. Arithmetic
follows Python's precedence (`-2^2` is −4) and takes no variables; a card that asks you to
compute σ (or tanh, ReLU …) refuses that function, without counting the try.
"""

KEYS = """\
# Keys

Every screen lists its keys in the footer; `Ctrl+P` opens the command palette, which goes to
review, practice, browse, stats or settings, or undoes, from any screen. `F1` shows how to
type answers.

## Dashboard

| key | does |
|---|---|
| `r`, `Enter` | review what is due today |
| `p` | practice chosen packs or tags (the schedule is not touched) |
| `b` `s` `,` | browse the cards · statistics · settings |
| `?` `F1` | these keys · how to type answers |
| `Ctrl+T` `q` | light/dark theme · quit |

## Review

| key | does |
|---|---|
| `space` | show the answer of a recall card |
| `a`–`z`, `↑` `↓` `space` | pick options of a choice card |
| `Enter` | check the answer, then accept the proposed rating |
| `1` `2` `3` `4` | rate Again · Hard · Good · Easy instead |
| `e` | the worked solution (after grading) |
| `t` | try a wrong formula or number again (Hard at best) |
| `u` (`Ctrl+Z` in a box) | undo: back to the previous card as you rated it (its numbers, answers, verdict) |
| `-` `!` | bury until tomorrow · suspend |
| `g` | show or hide the card's plot (it appears once the card is graded) |
| `F1` | how to type formulas and numbers (works in an answer box too) |
| `Esc` | leave the answer box (the keys above work again) · back |
| `q` | quit |

A graded card is not skipped: leaving it (`Esc`, `q`) saves the proposed rating first
(`u` in Review undoes it), and `u` asks you to rate it before going back. A rating counts
in "N done" once it is saved; while another quizact is writing the collection the status
line says "waiting for another quizact…" and the rating is saved as soon as it can be.

## Browse

| key | does |
|---|---|
| `/` | filter (words from the id, pack, kind, tags, flags or state) |
| `1`–`8`, click a header | sort by that column (again: reverse) |
| `Enter` | preview the card with fresh numbers |
| `i` | card info: every review (Enter replays its numbers), stability, difficulty, retrievability |
| `d` | set due date: `0` today, `3` in 3 days, `3-7` a random day between, or a date |
| `r` | forget: back to new (asks first; its history is kept) |
| `u` | unbury |
| `f`, ctrl+1–4 | flag red, orange, green, blue (`f` steps through them and back to none) |
| `!` | suspend or unsuspend |

Each change is saved before the table shows it and can be undone (`u` in Review). Setting
a due date moves only the date (the card's memory stays); neither it nor forgetting is a
review: both are logged beside the reviews and listed in card info.
"""

HELP = KEYS + "\n" + SYNTAX  # the whole sheet, keys first


class HelpScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("f1", "topic('syntax')", "Answer syntax"),
        Binding("question_mark", "topic('keys')", "Keys"),
    ]

    topic: reactive[Topic] = reactive("keys", recompose=True)

    def __init__(self, topic: Topic = "keys") -> None:
        super().__init__()
        self.set_reactive(HelpScreen.topic, topic)

    def compose(self) -> ComposeResult:
        yield Header()
        first, second = (SYNTAX, KEYS) if self.topic == "syntax" else (KEYS, SYNTAX)
        with VerticalScroll(id="help-body"):
            yield Markdown(first, id=f"help-{self.topic}")
            yield Markdown(second, id="help-keys" if self.topic == "syntax" else "help-syntax")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "topic":
            return parameters[0] != self.topic  # the part at the top has no key to bring it there
        return True

    def action_topic(self, topic: Topic) -> None:
        self.topic = topic
        self.refresh_bindings()
