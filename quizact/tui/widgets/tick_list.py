"""A SelectionList whose ticks read without colour: ``[x]`` ticked, ``[ ]`` not.

Textual draws every option's box with an ``X`` in it and tells ticked from unticked by
colour alone, which a monochrome terminal, NO_COLOR or a colour-blind learner cannot see.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton

TICKED, UNTICKED = "[x]", "[ ]"


class TickList(SelectionList[str]):
    BINDINGS = [Binding("space", "select", "Tick/untick")]

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip  # not an option's first line: no box on it
        index = self.scroll_offset.y + y
        ticked = self.get_option_at_index(index).value in self.selected
        plain = segments[3].style  # the prompt's own style: brackets read on any background
        mark = TICKED if ticked else UNTICKED
        box = [Segment(mark[0], plain), Segment(mark[1], segments[1].style), Segment(mark[2], plain)]
        return Strip(box + segments[3:], strip.cell_length)
