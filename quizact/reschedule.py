"""Browse's changes to one card: set its due date, forget it, unbury it, flag it.

As in Anki's browser. Each is one transaction that also pushes an undo entry, so undo
stays one linear history (a rating undone later can never silently revert a change made
after it). Setting a due date and forgetting are also logged in ``card_log``, Anki's
"Manual" entries, never in the review log: FSRS state comes from ratings only.

- **Set due date** (``"0"`` today, ``"3"`` in three study days, ``"3-7"`` a random day in
  that range, or a date ``2026-03-10``) moves only ``due``: stability, difficulty and the
  last review stay, so the next rating sees the real time since the last review. A new
  card has no schedule to move (it comes in new-card order) and is refused.
- **Forget** puts the card back to new: no state, stability, difficulty, due or last
  review; reps, lapses, flags, suspension and its history are kept.
- **Flags**: one of :data:`FLAGS` per card at most (a colour), kept beside ``leech``.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, datetime
from typing import Any

from quizact.scheduling import NEW, CardNotFound, due_on_study_day
from quizact.storage import journal
from quizact.storage.cards import fetch_row, write_sched
from quizact.storage.collection import Collection
from quizact.storage.history import log_manual
from quizact.storage.timeutil import iso, study_day

FLAGS = ("red", "orange", "green", "blue")
MAX_DAYS = 36500  # a due date at most about a hundred years ahead

_RANGE = re.compile(r"^(\d{1,6})\s*-\s*(\d{1,6})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DueDateError(ValueError):
    """A due date that cannot be set; the message says why in plain words."""


def due_in_days(spec: str, today: date, rng: random.Random) -> int:
    """How many study days after ``today`` a typed due date means (see the module doc)."""
    text = spec.strip()
    if re.fullmatch(r"\d{1,6}", text):
        days = int(text)
    elif m := _RANGE.match(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo > hi:
            raise DueDateError(f"A range goes from the smaller number to the larger: {hi}-{lo}, not {text}")
        days = rng.randint(lo, hi)
    elif _DATE.match(text):
        try:
            when = date.fromisoformat(text)
        except ValueError:
            raise DueDateError(f"There is no such date as {text}") from None
        days = (when - today).days
        if days < 0:
            raise DueDateError(f"{text} is in the past (today is {today.isoformat()})")
    else:
        raise DueDateError(
            f"Type a number of days (0 is today, 3 is in 3 days), a range like 3-7, "
            f"or a date like {today.isoformat()} (you typed {text or 'nothing'})"
        )
    if days > MAX_DAYS:
        raise DueDateError(f"That is more than {MAX_DAYS} days ahead (you typed {text})")
    return days


def _row(conn: Any, pack_id: str, card_id: str) -> dict[str, Any]:
    row = fetch_row(conn, pack_id, card_id)
    if row is None or row["retired"]:
        raise CardNotFound(f"no card {pack_id}/{card_id} in this collection")
    return row


def set_due(collection: Collection, pack_id: str, card_id: str, spec: str, now: datetime,
            rng: random.Random) -> datetime:  # fmt: skip
    """Make the card due ``spec`` study days from today (same local time of day); returns
    the new due instant. Raises ``DueDateError`` (nothing saved) for a bad ``spec`` or a
    new card."""
    s = collection.settings()
    today = study_day(now, s.timezone, s.rollover_hour)
    days = due_in_days(spec, today.date, rng)
    due = now if days == 0 else due_on_study_day(now, days, s.timezone, s.rollover_hour)
    with collection.transaction() as conn:
        before = _row(conn, pack_id, card_id)
        if before["state"] == NEW:
            raise DueDateError(f"{card_id} is new: it has no due date yet (it comes in new-card order)")
        after = {**before, "due": iso(due)}
        write_sched(conn, after)
        log_id = log_manual(conn, "reschedule", before, after, iso(now))
        journal.push(conn, "reschedule", before, log_id, iso(now))
    return due


def forget(collection: Collection, pack_id: str, card_id: str, now: datetime) -> None:
    """Put the card back to new (see the module doc); a new card is left as it is."""
    with collection.transaction() as conn:
        before = _row(conn, pack_id, card_id)
        if before["state"] == NEW:
            return
        after = {**before, "state": NEW, "step": None, "stability": None, "difficulty": None,
                 "due": None, "last_review": None}  # fmt: skip
        write_sched(conn, after)
        log_id = log_manual(conn, "forget", before, after, iso(now))
        journal.push(conn, "forget", before, log_id, iso(now))


def unbury(collection: Collection, pack_id: str, card_id: str, now: datetime) -> bool:
    """Show a buried card again today; False (nothing written) when it was not buried."""
    with collection.transaction() as conn:
        before = _row(conn, pack_id, card_id)
        if before["buried_until"] is None or before["buried_until"] <= iso(now):
            return False
        write_sched(conn, {**before, "buried_until": None})
        journal.push(conn, "unbury", before, None, iso(now))
        return True


def flag_of(flags: tuple[str, ...] | list[str]) -> str | None:
    return next((f for f in flags if f in FLAGS), None)


def set_flag(collection: Collection, pack_id: str, card_id: str, flag: str | None, now: datetime) -> None:
    """Give the card ``flag`` (one of :data:`FLAGS`), replacing any other, or none."""
    if flag is not None and flag not in FLAGS:
        raise ValueError(f"a flag is one of {', '.join(FLAGS)}; got {flag!r}")
    with collection.transaction() as conn:
        before = _row(conn, pack_id, card_id)
        kept = [f for f in json.loads(before["flags"]) if f not in FLAGS]
        flags = json.dumps(kept + ([flag] if flag else []))
        if flags == before["flags"]:
            return
        write_sched(conn, {**before, "flags": flags})
        journal.push(conn, "flag", before, None, iso(now))


def next_flag(current: str | None) -> str | None:
    """The flag after ``current`` in :data:`FLAGS`, then none again."""
    order = [None, *FLAGS]
    return order[(order.index(current) + 1) % len(order)]


