"""The rating bar: Again / Hard / Good / Easy with each one's next interval.

``Again 1m · Hard 6m · Good 3d · Easy 9d``, the proposed rating highlighted. Keys 1–4 and
Enter are the review screen's bindings; a click on a button posts :class:`RatingBar.Chosen`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

NAMES = ("Again", "Hard", "Good", "Easy")


class RatingButton(Static):
    DEFAULT_CSS = """
    RatingButton {
        width: 1fr;
        height: 1;
        content-align: center middle;
        background: $boost;
        margin: 0 1 0 0;
    }
    RatingButton:hover { background: $primary 30%; }
    RatingButton.-proposed { background: $primary; color: $text; text-style: bold; }
    """

    def __init__(self, rating: int) -> None:
        super().__init__(id=f"rate-{rating}")
        self.rating = rating

    def show(self, interval: str | None) -> None:
        parts: list[str | tuple[str, str]] = [(f"{self.rating} ", "dim"), NAMES[self.rating - 1]]
        if interval:
            parts.append(f" {interval}")
        self.update(Content.assemble(*parts))

    def on_click(self) -> None:
        self.post_message(RatingBar.Chosen(self.rating))


class RatingBar(Horizontal):
    """Four rating buttons; ``show(intervals, proposed)`` fills them in."""

    DEFAULT_CSS = """
    RatingBar { height: 1; width: 100%; }
    """

    @dataclass
    class Chosen(Message):
        rating: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.proposed: int | None = None

    def compose(self) -> ComposeResult:
        for rating in range(1, 5):
            yield RatingButton(rating)

    def show(self, intervals: dict[int, str], proposed: int | None) -> None:
        """``intervals``: rating -> ``"3d"`` (empty in practice mode); ``proposed`` highlighted."""
        self.proposed = proposed
        for button in self.query(RatingButton):
            button.show(intervals.get(button.rating))
            button.set_class(button.rating == proposed, "-proposed")
