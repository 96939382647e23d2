"""The core's names a front-end (the app, the CLI, a script) may use besides ``Session``
and ``Sitting``: the records the session returns, the errors it raises in plain words,
and the few helpers that word them; ``kind_of(card)``, how a card's kind is answered
(``quizact.kinds``).

Front-ends import these from here, never from ``storage``, ``scheduling``, ``grading``,
``reschedule`` or ``optimizer`` (the import contracts in ``pyproject.toml`` check it), so
the core may move them without touching a screen. Every module here is light: nothing
imports sympy, NumPy, pydantic or PyYAML.
"""

from __future__ import annotations

from quizact.grading.verdict import StepResult, Verdict
from quizact.kinds import KindSpec
from quizact.kinds import spec_of as kind_of
from quizact.optimizer import OptimizerUnavailable, Progress, TooFewReviews
from quizact.reschedule import DueDateError
from quizact.scheduling import QueueCounts, Rating, RatingResult, format_interval
from quizact.storage.cards import CardInfo
from quizact.storage.collection import CollectionError, CollectionLocked
from quizact.storage.history import CardReport, HistoryEntry
from quizact.storage.packs import PackInfo, SyncError
from quizact.storage.settings import LABELS, PRESET_OPTIONS, Settings, SettingsError, from_text, to_text
from quizact.storage.timeutil import zone

__all__ = [
    "LABELS", "PRESET_OPTIONS", "CardInfo", "CardReport", "CollectionError", "CollectionLocked", "DueDateError",
    "HistoryEntry", "KindSpec", "OptimizerUnavailable", "PackInfo", "Progress", "QueueCounts", "Rating", "RatingResult",
    "Settings", "SettingsError", "StepResult", "SyncError", "TooFewReviews", "Verdict", "format_interval",
    "from_text", "kind_of", "to_text", "zone",
]  # fmt: skip
