"""A card's history for the card-info screen, and the log of manual schedule changes.

``card_history`` reads every review and practice attempt of one card (the ``reviews``
table) and every manual change (the ``card_log`` table), oldest first. Manual changes —
a due date set by hand, a card forgotten (back to new) — are Anki's "Manual" revlog
entries; they live in their own append-only table so that the review log stays what FSRS
and the optimizer read: ratings only.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizact.storage.timeutil import parse

MANUAL_ACTIONS = ("reschedule", "forget")

_REVIEWS = (
    "SELECT id, reviewed_at, mode, rating, status, score, answers, seed, duration_ms, "
    "state_before, state_after, due_after, retried FROM reviews "
    "WHERE pack_id = ? AND card_id = ? ORDER BY reviewed_at, id"
)
_MANUAL = (
    "SELECT id, logged_at, action, state_before, due_before, due_after FROM card_log "
    "WHERE pack_id = ? AND card_id = ? ORDER BY logged_at, id"
)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a card's history.

    ``kind``: "review" (rated, it moved the schedule), "practice" (never did), or one of
    :data:`MANUAL_ACTIONS`. ``interval``: from the entry to the due date it set, in
    seconds (None when it set none).
    """

    id: int
    at: datetime
    kind: str
    rating: int | None = None
    status: str | None = None
    score: float | None = None
    answers: tuple[str, ...] = ()
    seed: int | None = None
    duration_ms: int | None = None
    state_before: int | None = None
    due_after: datetime | None = None
    retried: bool = False

    @property
    def interval(self) -> float | None:
        return None if self.due_after is None else (self.due_after - self.at).total_seconds()

    @property
    def replayable(self) -> bool:
        return self.seed is not None


def _answers(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return (text,)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def card_history(conn: sqlite3.Connection, pack_id: str, card_id: str) -> list[HistoryEntry]:
    """Every review, practice attempt and manual change of a card, oldest first."""
    out = []
    for (rid, at, mode, rating, status, score, answers, seed, ms, before, _after, due, retried) in conn.execute(
        _REVIEWS, (pack_id, card_id)
    ):
        out.append(HistoryEntry(
            rid, parse(at), mode, rating, status, score, _answers(answers),
            int(seed) if seed is not None else None, ms, before,
            parse(due) if due and mode == "review" else None, bool(retried),
        ))  # fmt: skip
    for lid, at, action, before, _due_before, due_after in conn.execute(_MANUAL, (pack_id, card_id)):
        out.append(HistoryEntry(lid, parse(at), action, state_before=before,
                                due_after=parse(due_after) if due_after else None))  # fmt: skip
    out.sort(key=lambda e: (e.at, e.kind in MANUAL_ACTIONS, e.id))
    return out


def log_manual(conn: sqlite3.Connection, action: str, before: dict[str, Any], after: dict[str, Any], at: str) -> int:
    """Append a manual change (call inside the write transaction that makes it)."""
    if action not in MANUAL_ACTIONS:
        raise ValueError(f"not a manual action: {action!r}")
    cursor = conn.execute(
        "INSERT INTO card_log (pack_id, card_id, logged_at, action, state_before, stability_before, "
        "difficulty_before, due_before, last_review_before, state_after, due_after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (before["pack_id"], before["card_id"], at, action, before["state"], before["stability"],
         before["difficulty"], before["due"], before["last_review"], after["state"], after["due"]),
    )  # fmt: skip
    assert cursor.lastrowid is not None
    return cursor.lastrowid


@dataclass(frozen=True)
class CardReport:
    """What the card-info screen shows: the card, its history, and its retrievability now
    (fsrs' probability of recall; None for a new card)."""

    info: Any  # CardInfo
    history: tuple[HistoryEntry, ...]
    retrievability: float | None
    flag: str | None
    now: datetime
