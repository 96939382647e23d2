"""Where the review screen's cards come from: today's due cards, or a practice list.

Plain code called from worker threads (no Textual): it asks the session for the next
card, how many are left (new · learning · review), what comes tomorrow, and undoes the
last action.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TYPE_CHECKING

from quizact.records import record

if TYPE_CHECKING:
    from quizact.scheduling import QueueCounts
    from quizact.session import Presented, Session, Undone, Waiting


@record
class PracticeRequest:
    """What to drill: packs (empty: all), tags (empty: any), and how many cards."""

    packs: list[str]
    tags: list[str]
    count: int = 20


@record
class Outlook:
    """What comes next: cards due tomorrow, and the next learning card today."""

    tomorrow: int | None = None
    next_learning: datetime | None = None


class CardQueue:
    """Due cards (``practice`` None) or a fixed practice list of (pack_id, card_id)."""

    def __init__(self, rng: random.Random, practice: list[tuple[str, str]] | None = None) -> None:
        self.rng = rng
        self.practice = practice
        self.position = 0

    @property
    def is_practice(self) -> bool:
        return self.practice is not None

    def draw(self, session: Session, now: datetime) -> Presented | None:
        """The next card with a fresh variant, or None when the sitting is over."""
        if self.practice is None:
            return session.next(now, self.rng)
        while self.position < len(self.practice):
            pack_id, card_id = self.practice[self.position]
            try:
                return session.present(pack_id, card_id, now, self.rng, mode="practice")
            except KeyError:
                self.position += 1  # the card left its pack meanwhile
        return None

    def done_with_current(self) -> None:
        if self.practice is not None:
            self.position += 1

    def left(self, session: Session | None, now: datetime) -> int | None:
        """Cards left today (review: new + learning + review, as today's limits allow)."""
        if self.practice is not None:
            return len(self.practice) - self.position
        if session is None:
            return None
        return session.queue_counts(now).total

    def counts(self, session: Session, now: datetime, shown: Presented | None = None) -> QueueCounts | None:
        """Review: Anki's three numbers, ``shown`` (the card on screen) still counted and its
        group marked; None in practice (a fixed list: :meth:`left` counts it)."""
        if self.practice is not None:
            return None
        return session.queue_counts(now, shown)

    def outlook(self, session: Session, now: datetime) -> Outlook:
        if self.practice is not None:
            return Outlook()
        from quizact.storage.stats import forecast

        days = forecast(session.collection, now, days=2)
        tomorrow = days[1]["learning"] + days[1]["review"] if len(days) > 1 else None
        return Outlook(tomorrow, session.study.next_learning_due(now))

    def undo(self, session: Session, now: datetime,
             waiting: Waiting | None = None) -> tuple[Undone | None, Presented | None]:  # fmt: skip
        """Undo the latest rating, bury or suspend; the card it concerned, shown again as
        it was (the next card instead when that card is gone)."""
        undone = session.undo_to(now, self.rng, waiting)
        if undone is not None and undone.shown is not None:
            return undone, undone.shown
        return undone, session.next(now, self.rng)
