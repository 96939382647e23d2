"""Card rows and review rows: column lists, a read-only view, and the two writes.

``CardInfo`` is what callers see of a card (JSON columns decoded, instants parsed);
tests and the undo journal work on the raw row (a plain dict of the stored values).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from quizact.records import record
from quizact.storage.timeutil import parse

CARD_COLUMNS = (
    "pack_id", "card_id", "kind", "tags", "content_hash", "position",
    "state", "step", "stability", "difficulty", "due", "last_review",
    "reps", "lapses", "suspended", "buried_until", "flags", "retired", "added_at",
)  # fmt: skip

# What studying may change: a rating, bury, suspend. Undo restores exactly these.
SCHED_COLUMNS = (
    "state", "step", "stability", "difficulty", "due", "last_review",
    "reps", "lapses", "suspended", "buried_until", "flags",
)  # fmt: skip

REVIEW_COLUMNS = (
    "pack_id", "card_id", "reviewed_at", "mode", "rating", "status", "score", "answers",
    "seed", "duration_ms", "state_before", "step_before", "stability_before",
    "difficulty_before", "due_before", "last_review_before", "ivl_before",
    "state_after", "step_after", "stability_after", "difficulty_after", "due_after", "retried",
    "content_hash", "outcome",
)  # fmt: skip

_SELECT_CARD = f"SELECT {', '.join(CARD_COLUMNS)} FROM cards WHERE pack_id = ? AND card_id = ?"
_INSERT_REVIEW = (
    f"INSERT INTO reviews ({', '.join(REVIEW_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in REVIEW_COLUMNS)})"
)
_UPDATE_SCHED = (
    f"UPDATE cards SET {', '.join(f'{c} = :{c}' for c in SCHED_COLUMNS)} "
    "WHERE pack_id = :pack_id AND card_id = :card_id"
)


def _when(text: str | None) -> datetime | None:
    return parse(text) if text else None


@record
class CardInfo:
    """A card as stored. ``state``: 0 new, 1 learning, 2 review, 3 relearning."""

    pack_id: str
    card_id: str
    kind: str
    tags: tuple[str, ...]
    content_hash: str | None
    position: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None
    flags: tuple[str, ...]
    retired: bool
    added_at: datetime

    @property
    def is_new(self) -> bool:
        return self.state == 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CardInfo:
        return cls(
            **{
                **row,
                "tags": tuple(json.loads(row["tags"])),
                "flags": tuple(json.loads(row["flags"])),
                "due": _when(row["due"]),
                "last_review": _when(row["last_review"]),
                "buried_until": _when(row["buried_until"]),
                "added_at": parse(row["added_at"]),
                "suspended": bool(row["suspended"]),
                "retired": bool(row["retired"]),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        d = dict(self.__dict__)
        for key in ("due", "last_review", "buried_until", "added_at"):
            d[key] = d[key].isoformat() if d[key] else None
        d["tags"], d["flags"] = list(self.tags), list(self.flags)
        return d


def fetch_row(conn: sqlite3.Connection, pack_id: str, card_id: str) -> dict[str, Any] | None:
    row = conn.execute(_SELECT_CARD, (pack_id, card_id)).fetchone()
    return dict(zip(CARD_COLUMNS, row)) if row else None


def write_sched(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    """Write the scheduling columns of ``row`` (keyed by its pack_id, card_id)."""
    conn.execute(_UPDATE_SCHED, {c: row[c] for c in ("pack_id", "card_id", *SCHED_COLUMNS)})


def insert_review(conn: sqlite3.Connection, **values: Any) -> int:
    """Append a review row; without ``content_hash`` it records the card's as stored now
    (the version of the card that was answered)."""
    unknown = set(values) - set(REVIEW_COLUMNS)
    if unknown:
        raise TypeError(f"unknown review column(s): {sorted(unknown)}")
    params = dict.fromkeys(REVIEW_COLUMNS)
    params.update(values)
    if params["answers"] is not None and not isinstance(params["answers"], str):
        params["answers"] = json.dumps(params["answers"])
    params["retried"] = int(bool(params["retried"]))
    if params["outcome"] is not None and not isinstance(params["outcome"], str):
        params["outcome"] = json.dumps(params["outcome"])
    if "content_hash" not in values:
        row = conn.execute(
            "SELECT content_hash FROM cards WHERE pack_id = ? AND card_id = ?", (params["pack_id"], params["card_id"])
        ).fetchone()
        params["content_hash"] = row[0] if row else None
    seed = params["seed"]
    if isinstance(seed, int) and not -(2**63) <= seed < 2**63:
        params["seed"] = str(seed)  # beyond SQLite's 64-bit integers: keep it exact as text
    cursor = conn.execute(_INSERT_REVIEW, params)
    assert cursor.lastrowid is not None
    return cursor.lastrowid
