"""How the screens word what the core gives them: names, clocks, intervals, percentages.

Nothing here imports Textual. Grading goes through the sitting (``quizact.sitting``), the
"interpreted as" preview through ``quizact.reading``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizact.session import Session

Clock = Callable[[], datetime]
SessionFactory = Callable[[datetime], "Session"]

STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = ("Again", "Hard", "Good", "Easy")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


# -- formatting -------------------------------------------------------------------------


def relative(when: datetime | None, now: datetime) -> str:
    """``now``, ``in 3d``, ``2h ago``: how far ``when`` is from ``now``."""
    if when is None:
        return "—"
    from quizact.front import format_interval

    delta = when - now
    if abs(delta.total_seconds()) < 60:
        return "now"
    if delta.total_seconds() > 0:
        return f"in {format_interval(delta)}"
    return f"{format_interval(-delta)} ago"


def clock_time(seconds: float) -> str:
    """``04:07`` or ``1:02:09``."""
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


_SINGLE = re.compile(r"^\[+([^\[\],]+)\]+$")


def tidy(expected: str | None) -> str | None:
    """A one-element ``[1.5]`` or ``[[1.5]]`` reads as ``1.5``."""
    if expected is None:
        return None
    m = _SINGLE.match(expected.strip())
    return m.group(1) if m else expected


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
