"""The results every grader returns: plain frozen dataclasses, JSON-ready via ``to_dict``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["correct", "incorrect", "invalid"]


@dataclass(frozen=True)
class StepResult:
    """The grade of one step (or the single answer of a one-step card).

    ``status``: ``correct`` | ``incorrect`` | ``invalid`` (invalid costs no attempt).
    ``note``: a finer label: ``None``, ``"ecf"`` (consistent with the learner's earlier
    wrong value), ``"form"`` (value right, form rule broken), ``"precision"`` (right but
    too few significant digits).
    """

    status: Status
    score: float
    feedback: str = ""
    mistake: str | None = None
    note: str | None = None
    expected: str | None = None
    interpreted: str | None = None
    counterexample: str | None = None
    error_pos: int | None = None


@dataclass(frozen=True)
class Verdict:
    """The grade of a whole response to a card."""

    status: Status
    score: float
    feedback: str = ""
    mistake: str | None = None
    steps: tuple[StepResult, ...] = field(default_factory=tuple)

    @property
    def invalid(self) -> bool:
        return self.status == "invalid"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["steps"] = [asdict(s) for s in self.steps]
        return d
