"""What the screens ask of the core, in one place. Called from worker threads.

Grading goes through the session (the killable grading worker, with its time limit).
The live "interpreted as" preview parses in-process: cheap once sympy is imported, and
only ever called from a thread after the first frame. Nothing here imports Textual.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from quizact.records import record

if TYPE_CHECKING:
    from quizact.grading.verdict import StepResult
    from quizact.session import Graded, Presented, Session

Clock = Callable[[], datetime]
SessionFactory = Callable[[datetime], "Session"]

STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = ("Again", "Hard", "Good", "Easy")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


# -- grading ----------------------------------------------------------------------------


def submit(session: Session, shown: Presented, answers: list[str], now: datetime,
           retried: bool = False) -> Graded:  # fmt: skip
    """Grade a whole response (blocks up to the grading time limit: call from a thread)."""
    return session.submit(shown, answers, now, retried=retried)


def grade_steps(session: Session, shown: Presented, answers: list[str]) -> list[StepResult]:
    """Grade the steps answered so far (call from a thread)."""
    return session.grade_steps(shown, answers)


def warm_grader() -> None:
    """Pre-spawn the grading process (it imports sympy and grades a warm-up answer)."""
    from quizact.grading.worker import get_worker

    get_worker().start()


# -- the live preview -------------------------------------------------------------------


@record
class Preview:
    """What a typed answer reads as, or why it cannot be read (``pos``: 0-based column)."""

    text: str = ""
    error: str = ""
    pos: int | None = None
    label: str = ""  # what the line says before ``text``; "" for the box's own word


@record
class AnswerSpec:
    """How an answer box reads its text: a formula in ``variables``, or numbers."""

    kind: str  # "symbolic" | "numeric"
    variables: tuple[str, ...] = ()
    constants: tuple[str, ...] = ()
    precision: str = ""  # what a numeric answer is graded at: "3 s.f.", "2 d.p."
    tolerance: Any = None  # a numeric answer's tolerance: arithmetic is shown at its precision
    forbid: tuple[str, ...] = ()  # functions a number box refuses (the card's subject)

    @classmethod
    def of(cls, item: Any) -> AnswerSpec:
        """For a symbolic/numeric card or a step."""
        if getattr(item, "kind", "numeric") == "symbolic":
            return cls("symbolic", tuple(item.variables), tuple(item.constants))
        from quizact.grading.refuse import forbidden
        from quizact.session import precision_label

        return cls("numeric", precision=precision_label(item.tolerance), tolerance=item.tolerance,
                   forbid=forbidden(item))  # fmt: skip


def preview(spec: AnswerSpec, text: str) -> Preview:
    """Parse ``text`` as the grader will; never raises."""
    if not text.strip():
        return Preview()
    if spec.kind == "symbolic":
        return _preview_formula(text, spec)
    return _preview_number(text, spec)


def _preview_formula(text: str, spec: AnswerSpec) -> Preview:
    from quizact.grading.expr import AnswerError, parse
    from quizact.grading.render import interpreted_as

    try:
        parsed = parse(text, spec.variables, constants=spec.constants)
    except AnswerError as err:
        return Preview(error=err.message, pos=err.pos)
    except Exception as exc:  # noqa: BLE001 - a preview must never break typing
        return Preview(error=f"cannot read this yet ({type(exc).__name__})")
    try:
        return Preview(text=interpreted_as(parsed))
    except Exception:  # noqa: BLE001
        return Preview(text=str(parsed.expr))


def _preview_number(text: str, spec: AnswerSpec | None = None) -> Preview:
    from quizact.grading import numeric

    try:
        reading = numeric.read_number(text, spec.forbid if spec else ())
    except numeric.NumberError as err:
        pos = None
        if err.pos is not None:  # the scanner's column is in the stripped text
            pos = err.pos + (len(text) - len(text.lstrip()))
        return Preview(error=err.message, pos=pos)
    except Exception as exc:  # noqa: BLE001 - a preview must never break typing
        return Preview(error=f"cannot read this yet ({type(exc).__name__})")
    said = numeric.interpreted(reading, spec.tolerance if spec else None)
    if said is not None:  # arithmetic: "interpreted as 1/(1 + e^(−0.51)) = 0.6248"
        return Preview(text=said, label="interpreted as")
    return Preview(text=_numbers(reading.value))


def _numbers(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_numbers(v) for v in value) + "]"
    return f"{value.value:.6g}".replace("-", "−")


# -- formatting -------------------------------------------------------------------------


def relative(when: datetime | None, now: datetime) -> str:
    """``now``, ``in 3d``, ``2h ago``: how far ``when`` is from ``now``."""
    if when is None:
        return "—"
    from quizact.scheduling import format_interval

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
