"""A calendar heatmap of reviews per day: one column per week, one row per weekday.

Levels are drawn with both colour and glyph (· ░ ▒ ▓ █), so the map still reads with
``NO_COLOR`` or in the light theme.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual.content import Content
from textual.widgets import Static

GLYPHS = ("·", "░", "▒", "▓", "█")
COLORS = ("$text-muted", "#2f7d46", "#3aa35a", "#4cc96e", "#6ff58f")
DAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def level(n: int, top: int) -> int:
    if n <= 0 or top <= 0:
        return 0
    return min(4, 1 + (4 * (n - 1)) // max(top, 1))


def heatmap(per_day: dict[str, int], today: date, weeks: int) -> Content:
    """``per_day``: ``{"2026-03-02": 41}``; the last ``weeks`` weeks up to ``today``."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    top = max(per_day.values(), default=0)
    parts: list[str | tuple[str, str]] = []
    months = ""
    for w in range(weeks):
        first = start + timedelta(weeks=w)
        months += first.strftime("%b")[0] if first.day <= 7 else " "
    parts.append("     " + months + "\n")
    for row in range(7):
        parts.append(f"{DAYS[row]:<4} ")
        for w in range(weeks):
            day = start + timedelta(weeks=w, days=row)
            if day > today:
                parts.append(" ")
                continue
            k = level(per_day.get(day.isoformat(), 0), top)
            parts.append((GLYPHS[k], COLORS[k]))
        parts.append("\n")
    parts.append(("     less " + " ".join(GLYPHS) + f" more   (busiest day: {top} reviews)", "dim"))
    return Content.assemble(*parts)


class ReviewHeatmap(Static):
    DEFAULT_CSS = """
    ReviewHeatmap { height: auto; padding: 0 1; }
    """

    def show(self, per_day: dict[str, int], today: date) -> None:
        width = max(10, (self.size.width or 80) - 8)
        self.update(heatmap(per_day, today, weeks=min(53, width)))
