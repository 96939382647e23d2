"""The review's status line (mode, new · learning · review or left, done, elapsed) and the
end-of-session summary."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from quizact.textsafe import one_line
from quizact.tui.services import RATING_NAMES, clock_time, percent, relative

if TYPE_CHECKING:
    from quizact.front import QueueCounts
    from quizact.sitting import Outlook, Tally

#: Anki's colours for its three numbers; each number also has its word, to read without colour
GROUP_STYLES = {"new": "$text-primary", "learning": "$text-warning", "review": "$text-success"}
MARK = "▸"  # before the group of the card on screen (also bold and underlined)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def counts_line(counts: QueueCounts) -> list[tuple[str, str] | str]:
    """``new 3 · ▸learning 1 · review 12``: the numbers coloured as in Anki, the card on
    screen's group marked."""
    parts: list[tuple[str, str] | str] = []
    for group in ("new", "learning", "review"):
        n = getattr(counts, group)
        colour = GROUP_STYLES[group] if n else "dim"
        parts.append(" · ")
        if group == counts.current:
            parts += [(f"{MARK}{group} ", "bold underline"), (str(n), f"{GROUP_STYLES[group]} bold underline")]
        else:
            parts += [f"{group} ", (str(n), colour)]
    return parts


class ReviewStatus(Static):
    """``Review · new 3 · ▸learning 1 · review 12 · 3 done · 02:15`` (practice: ``12 left``
    and a visible "schedule unchanged")."""

    DEFAULT_CSS = """
    ReviewStatus { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewStatus.-practice { background: $warning 30%; }
    """

    def show(self, practice: bool, done: int, left: int | None, elapsed: float, card: str = "",
             note: str = "", *, counts: QueueCounts | None = None) -> None:  # fmt: skip
        """``note``: e.g. "waiting for another quizact…" while a rating is being saved;
        ``counts`` (review): shown instead of ``left``."""
        self.set_class(practice, "-practice")
        mode: tuple[str, str] = (
            ("Practice — schedule unchanged", "bold") if practice else ("Review", "bold")
        )
        parts: list[str | tuple[str, str]] = [mode]
        if counts is not None:
            parts += counts_line(counts)
        elif left is not None:
            parts.append(f" · {left} left")
        parts.append(f" · {done} done")
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
            cards = plural(tally.cards, "card")
            if not practice:
                cards += f", {plural(tally.done, 'review')}"
            elif tally.done != tally.cards:
                cards += f", {plural(tally.done, 'attempt')}"
            lines.append(f"Answered     {cards}\n")
            lines.append(f"Right        {tally.right} of {tally.done} at the first try ({percent(tally.accuracy)})\n")
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
