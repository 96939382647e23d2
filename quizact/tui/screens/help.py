"""Help: the keys of every screen and a cheat sheet of the answer syntax."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from quizact.tui.widgets.footer import Footer

HELP = """\
# Keys

Every screen lists its keys in the footer; `Ctrl+P` opens the command palette.

## Dashboard

| key | does |
|---|---|
| `r`, `Enter` | review what is due today |
| `p` | practice chosen packs or tags (the schedule is not touched) |
| `b` `s` `,` | browse the cards · statistics · settings |
| `?` `Ctrl+T` `q` | this help · light/dark theme · quit |

## Review

| key | does |
|---|---|
| `space` | show the answer of a recall card |
| `a`–`z`, `↑` `↓` `space` | pick options of a choice card |
| `Enter` | check the answer, then accept the proposed rating |
| `1` `2` `3` `4` | rate Again · Hard · Good · Easy instead |
| `e` | the worked solution (after grading) |
| `t` | try a wrong formula or number again (Hard at best) |
| `u` (`Ctrl+Z` in a box) | undo: back to the previous card as you rated it — the same numbers, your answers, the verdict |
| `-` `!` | bury until tomorrow · suspend |
| `g` | show or hide the card's plot (it appears once the card is graded) |
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
| `1 - e^4.2`, `-3^2`, `[2^-3, sqrt(3)/2]` | arithmetic, shown as "interpreted as 1 − e^4.2 = −65.69" |

When a card asks for significant figures, give at least that many digits. Arithmetic
follows Python's precedence (`-2^2` is −4) and takes no variables; a card that asks you to
compute σ (or tanh, ReLU …) refuses that function, without counting the try.
"""


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP)
        yield Footer()
