"""The review's status line (mode, done / left, elapsed) and the end-of-session summary."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from quizact.textsafe import one_line
from quizact.tui.queue import Outlook
from quizact.tui.services import RATING_NAMES, clock_time, percent, relative
from quizact.tui.tally import Tally


class ReviewStatus(Static):
    """``Review · 3 done · 12 left · 02:15`` (practice: a visible "schedule unchanged")."""

    DEFAULT_CSS = """
    ReviewStatus { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewStatus.-practice { background: $warning 30%; }
    """

    def show(self, practice: bool, done: int, left: int | None, elapsed: float, card: str = "",
             note: str = "") -> None:  # fmt: skip
        """``note``: e.g. "waiting for another quizact…" while a rating is being saved."""
        self.set_class(practice, "-practice")
        mode: tuple[str, str] = (
            ("Practice — schedule unchanged", "bold") if practice else ("Review", "bold")
        )
        parts: list[str | tuple[str, str]] = [mode, f" · {done} done"]
        if left is not None:
            parts.append(f" · {left} left")
        parts.append(f" · {clock_time(elapsed)}")
        if note:
            parts += [" · ", (note, "bold reverse")]
        if card:
            parts += ["   ", (one_line(card), "dim")]
        self.update(Content.assemble(*parts))


class SessionSummary(Static):
    DEFAULT_CSS = """
    SessionSummary { padding: 1 2; height: auto; max-width: 76; border: round $primary; }
    """

    def show(self, tally: Tally, now: datetime, outlook: Outlook, practice: bool) -> None:
        title = "Practice finished" if practice else "Session finished"
        if not practice and outlook.next_learning is not None:
            title = "Done for now"
        lines: list[str | tuple[str, str]] = [(title + "\n\n", "bold")]
        if tally.done:
            lines.append(f"Cards        {tally.done}\n")
            lines.append(f"Right        {tally.right} of {tally.done} ({percent(tally.accuracy)})\n")
            ratings = tally.ratings()
            spread = " · ".join(f"{name} {ratings.get(i + 1, 0)}" for i, name in enumerate(RATING_NAMES))
            lines.append(f"Ratings      {spread}\n")
            lines.append(f"Time         {clock_time(tally.elapsed(now))}\n")
        else:
            lines.append("No cards answered in this sitting.\n")
        if practice:
            lines.append(("\nPractice never changes the schedule.\n", "italic"))
        else:
            if outlook.next_learning is not None:
                when = relative(outlook.next_learning, now)
                lines.append(f"\nNext card    {when} (learning; r checks again)\n")
            if outlook.tomorrow is not None:
                lines.append(f"Tomorrow     {outlook.tomorrow} due\n")
        keys = "Esc back · q quit" if practice else "u undo the last answer · r check again · Esc back · q quit"
        lines.append(("\n" + keys, "dim"))
        self.update(Content.assemble(*lines))
