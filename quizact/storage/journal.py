"""The undo journal: the card row before each undoable action, kept in the collection.

Every rating, bury, suspend and unsuspend (and Browse's reschedule, forget, unbury and
flag) pushes one entry in the same transaction as the action itself, so undo survives a
restart. Undo restores the card's scheduling columns exactly and deletes the review row
(or manual-log row) the action wrote, returning a review's seed and answers so the card
can be shown again as it was.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from quizact.records import record
from quizact.storage.cards import SCHED_COLUMNS, fetch_row, write_sched
from quizact.storage.history import MANUAL_ACTIONS

UNDO_DEPTH = 100  # entries kept; older ones are dropped as new ones arrive


@record
class UndoEntry:
    """What an undo reverted: ``action`` is 'rate', 'bury', 'suspend', 'unsuspend', or one
    of Browse's: 'reschedule', 'forget' (these two also remove their manual-log entry),
    'unbury', 'flag'."""

    action: str
    pack_id: str
    card_id: str
    review_id: int | None
    seed: int | None = None  # an undone rating: the variant that was rated
    answers: list[str] | None = None  # … and what the learner had answered
    retried: bool = False  # … and whether that answer came after a retry

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def push(
    conn: sqlite3.Connection,
    action: str,
    row_before: dict[str, Any],
    review_id: int | None,
    created_at: str,
) -> None:
    cursor = conn.execute(
        "INSERT INTO undo (action, pack_id, card_id, card_before, review_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            action,
            row_before["pack_id"],
            row_before["card_id"],
            json.dumps({c: row_before[c] for c in SCHED_COLUMNS}),
            review_id,
            created_at,
        ),
    )
    conn.execute("DELETE FROM undo WHERE id <= ?", ((cursor.lastrowid or 0) - UNDO_DEPTH,))


def pop(conn: sqlite3.Connection) -> UndoEntry | None:
    """Revert the latest action (call inside a write transaction); None when none is left."""
    entry = conn.execute(
        "SELECT id, action, pack_id, card_id, card_before, review_id "
        "FROM undo ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if entry is None:
        return None
    undo_id, action, pack_id, card_id, before, review_id = entry
    row = fetch_row(conn, pack_id, card_id)
    if row is not None:  # a purged pack's card has nothing left to restore
        row.update(json.loads(before))
        write_sched(conn, row)
    seed = answers = None
    retried = False
    if review_id is not None and action in MANUAL_ACTIONS:  # its id is the manual log's
        conn.execute("DELETE FROM card_log WHERE id = ?", (review_id,))
        review_id = None
    elif review_id is not None:
        review = conn.execute("SELECT seed, answers, retried FROM reviews WHERE id = ?", (review_id,)).fetchone()
        if review is not None:
            seed = int(review[0]) if review[0] is not None else None  # text beyond 64 bits
            answers = json.loads(review[1]) if review[1] else None
            retried = bool(review[2])
        conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
    conn.execute("DELETE FROM undo WHERE id = ?", (undo_id,))
    return UndoEntry(action, pack_id, card_id, review_id, seed, answers, retried)
