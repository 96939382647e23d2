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
| `g` | show or hide the card's plot |
| `Esc` | leave the answer box (the keys above work again) · back |
| `q` | quit |

A graded card is not skipped: leaving it (`Esc`, `q`) saves the proposed rating first
(`u` in Review undoes it), and `u` asks you to rate it before going back. A rating counts
in "N done" once it is saved; while another quizact is writing the collection the status
line says "waiting for another quizact…" and the rating is saved as soon as it can be.

## Browse

| key | does |
|---|---|
| `/` | filter (words from the id, pack, kind, tags or state) |
| `1`–`7`, click a header | sort by that column (again: reverse) |
| `Enter` | preview the card with fresh numbers |
| `!` | suspend or unsuspend |

# Typing formulas

| you type | means |
|---|---|
| `z^2`, `z²` | powers (`**` is not needed) |
| `2z`, `z(1-z)`, `2 sigmoid(z)` | implicit multiplication |
| `sigmoid(z)`, `σ(z)` | the logistic sigmoid 1/(1+e^(−z)) |
| `tanh(z)`, `tanh^2(z)`, `tanh²(z)` | tanh and its square |
| `relu(z)`, `max(0, z)` | ReLU |
| `H(z)`, `Heaviside(z)`, `step(z)` | the Heaviside step (0 for z < 0, 1 for z > 0) |
| `exp(z)`, `e^z`, `e^-z`, `e^(-z)` | the exponential |
| `ln(z)`, `log(z)`, `sqrt(z)`, `abs(z)`, `\\|z\\|` | logs, roots, absolute value |
| `alpha`, `α` | Greek letters as named on the card |
| `where(z > 0, 1, alpha)` | a piecewise choice |

The line under the box shows how your formula was read ("interpreted as"). A formula
that cannot be read is not counted: fix it and press Enter again.

# Typing numbers

| you type | means |
|---|---|
| `0.25`, `-1.4`, `.5` | decimals |
| `4.54e-5`, `4.54×10^-5` | scientific notation |
| `-7/5` | fractions |
| `[0.1, -0.2]` or `0.1, -0.2` | a vector |
| `[[1, 2], [3, 4]]` | a matrix, row by row |

When a card asks for significant figures, give at least that many digits.
"""


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP)
        yield Footer()
