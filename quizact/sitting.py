"""One sitting: the cards drawn one at a time, the attempt at the card shown, its rating.

A ``Sitting`` (opened by :meth:`quizact.session.Session.sitting`) is the logic of a review
or a practice drill without a terminal: the app's review screen, ``quizact study --jsonl``
and scripts drive the same one. It keeps the card shown and the graded attempt at it, so a
rating is saved with the answers and the verdict it was proposed from (nothing travels
back from the front-end but the rating); it counts a rating in the :class:`Tally` only
once the session has committed it; an undo brings the card back as it was rated.

Every method may block (grading, a write waiting for the lock): front-ends call them from
a worker thread. ``now`` is always an argument.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from quizact.kinds import spec_of
from quizact.records import record

if TYPE_CHECKING:
    from quizact.grading.verdict import StepResult
    from quizact.scheduling import QueueCounts, Rating, RatingResult
    from quizact.session import Graded, Presented, Session, Undone, Waiting


class SittingError(Exception):
    """An action the card shown does not allow now (rate before answering, answer twice…);
    nothing was graded or saved."""


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


@dataclass(frozen=True)
class Outcome:
    pack_id: str
    card_id: str
    kind: str
    status: str  # correct | incorrect | self (recall)
    rating: int
    retried: bool = False  # answered after a retry ("t"): right then is not right at the first try

    @property
    def right_first_try(self) -> bool:
        """Graded right without a retry, or (recall) rated Hard or better."""
        if self.status == "self":
            return self.rating >= 2
        return self.status == "correct" and not self.retried


@dataclass
class Tally:
    """What happened in one sitting: the cards rated, how, and for how long."""

    started: datetime | None = None
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def drop_last(self, pack_id: str, card_id: str) -> None:
        """An undone rating no longer counts."""
        for i in range(len(self.outcomes) - 1, -1, -1):
            if (self.outcomes[i].pack_id, self.outcomes[i].card_id) == (pack_id, card_id):
                del self.outcomes[i]
                return

    @property
    def done(self) -> int:
        """Reviews (ratings saved): a card seen again in its learning steps counts each time."""
        return len(self.outcomes)

    @property
    def cards(self) -> int:
        """Distinct cards answered."""
        return len({(o.pack_id, o.card_id) for o in self.outcomes})

    @property
    def right(self) -> int:
        """Reviews right at the first try (see :attr:`Outcome.right_first_try`)."""
        return sum(o.right_first_try for o in self.outcomes)

    @property
    def accuracy(self) -> float | None:
        return self.right / self.done if self.done else None

    def ratings(self) -> Counter[int]:
        return Counter(o.rating for o in self.outcomes)

    def elapsed(self, now: datetime) -> float:
        return (now - self.started).total_seconds() if self.started else 0.0


@dataclass
class Attempt:
    """The attempt at the card shown: the answers graded, their grading, whether it was a
    retry, and (recall) whether the answer was revealed."""

    graded: Graded | None = None
    answers: tuple[str, ...] = ()
    retried: bool = False
    revealed: bool = False


class Sitting:
    """Today's due cards (``practice`` None) or a fixed practice list of (pack_id, card_id)."""

    def __init__(self, session: Session, rng: random.Random, practice: list[tuple[str, str]] | None = None, *,
                 shown: Presented | None = None) -> None:  # fmt: skip
        self._session = session
        self.rng = rng
        self.practice = practice
        self.position = 0
        self.tally = Tally()
        self.shown: Presented | None = shown  # the card on screen, not yet rated, buried or suspended
        self.attempt = Attempt()

    @property
    def is_practice(self) -> bool:
        return self.practice is not None

    # -- the card shown ------------------------------------------------------------------

    def next(self, now: datetime) -> Presented | None:
        """The card shown, or (none shown) the next with a fresh variant; None when the
        sitting is over."""
        if self.shown is None:
            self._show(self._draw(now))
        if self.tally.started is None:
            self.tally.started = now
        return self.shown

    def _draw(self, now: datetime) -> Presented | None:
        if self.practice is None:
            return self._session.next(now, self.rng)
        while self.position < len(self.practice):
            pack_id, card_id = self.practice[self.position]
            try:
                return self._session.present(pack_id, card_id, now, self.rng, mode="practice")
            except KeyError:
                self.position += 1  # the card left its pack meanwhile
        return None

    def _show(self, shown: Presented | None, attempt: Attempt | None = None) -> None:
        self.shown, self.attempt = shown, attempt or Attempt()

    def _card(self) -> Presented:
        if self.shown is None:
            raise SittingError("no card is shown: ask for the next card first")
        return self.shown

    # -- answering -----------------------------------------------------------------------

    def submit(self, answers: list[str] | tuple[str, ...] | str, now: datetime) -> Graded:
        """Grade a response to the card shown and keep it as the attempt to rate. An answer
        that cannot be read (``verdict.invalid``) is returned but costs no attempt."""
        shown = self._card()
        if spec_of(shown.card).self_rated:
            raise SittingError(f"a {shown.card.kind} card is not answered: reveal it, then rate it")
        if self.attempt.graded is not None:
            raise SittingError("this card is graded: rate it (or retry a wrong answer first)")
        answers = (answers,) if isinstance(answers, str) else tuple(answers)
        graded = self._session.submit(shown, list(answers), now, retried=self.attempt.retried)
        if not graded.verdict.invalid:
            self.attempt = Attempt(graded, answers, self.attempt.retried)
        return graded

    def grade_steps(self, answers: list[str]) -> list[StepResult]:
        """Grade the steps answered so far (step-by-step feedback; nothing is kept)."""
        return self._session.grade_steps(self._card(), answers)

    def can_retry(self) -> bool:
        """A wrong answer to a formula or number card may be answered again."""
        graded = self.attempt.graded
        return (self.shown is not None and spec_of(self.shown.card).retries
                and graded is not None and graded.verdict.status != "correct")  # fmt: skip

    def retry(self) -> None:
        """Answer again after a wrong answer: the proposal becomes Hard at best."""
        if not self.can_retry():
            raise SittingError("only a wrong answer to a formula or number card can be retried")
        self.attempt = Attempt(retried=True)

    def reveal(self) -> None:
        """A recall card: its answer is shown, so it may be rated (:meth:`intervals`
        says what each rating gives)."""
        shown = self._card()
        if not spec_of(shown.card).self_rated:
            raise SittingError(f"a {shown.card.kind} card is answered, not revealed")
        self.attempt = Attempt(revealed=True)

    def intervals(self, now: datetime) -> dict[Rating, str]:
        """Each rating's next interval for the card shown (none in practice)."""
        return self._session.intervals(self._card(), now)

    @property
    def ready(self) -> bool:
        """The card shown may be rated: graded, or (recall) revealed."""
        return self.shown is not None and (self.attempt.graded is not None or self.attempt.revealed)

    # -- rating, bury, suspend, undo ------------------------------------------------------

    def rate(self, rating: Rating | int, now: datetime, waiting: Waiting | None = None) -> RatingResult | int:
        """Save ``rating`` for the card shown with its attempt; it counts in the tally, and
        the card is done, only once the session has committed it."""
        shown = self._card()
        if not self.ready:
            raise SittingError("reveal the card first" if spec_of(shown.card).self_rated else "answer the card first")
        graded, answers = self.attempt.graded, self.attempt.answers
        result = self._session.rate(shown, rating, now, graded=graded, answers=list(answers) or None,
                                    waiting=waiting)  # fmt: skip
        status = graded.verdict.status if graded else "self"
        self.tally.add(Outcome(shown.pack_id, shown.card_id, shown.card.kind, status, int(rating),
                               bool(graded and graded.retried)))  # fmt: skip
        if self.practice is not None:
            self.position += 1
        self._show(None)
        return result

    def bury(self, now: datetime, waiting: Waiting | None = None) -> datetime:
        """Hide the card shown until tomorrow."""
        until = self._session.bury(self._review_card(), now, waiting)
        self._show(None)
        return until

    def suspend(self, now: datetime, waiting: Waiting | None = None) -> None:
        """Suspend the card shown (until unsuspended in Browse)."""
        self._session.suspend(self._review_card(), now, waiting)
        self._show(None)

    def _review_card(self) -> Presented:
        if self.practice is not None:
            raise SittingError("practice does not change the schedule")
        return self._card()

    def undo(self, now: datetime, waiting: Waiting | None = None) -> Undone | None:
        """Undo the latest rating, bury or (un)suspend; the card it concerned is shown again
        as it was (an undone rating: its variant, answers and grading), or, when that card
        is gone, the next one. None when there was nothing to undo."""
        if self.practice is not None:
            raise SittingError("practice does not change the schedule: there is nothing to undo")
        if self.attempt.graded is not None:
            raise SittingError("this card is graded: rate it first, then undo brings it back")
        undone = self._session.undo_to(now, self.rng, waiting)
        if undone is None:
            return None
        if undone.entry.action == "rate":
            self.tally.drop_last(undone.entry.pack_id, undone.entry.card_id)
        if undone.shown is not None:
            graded = undone.graded
            self._show(undone.shown, Attempt(graded, undone.answers, bool(graded and graded.retried), undone.revealed))
        else:
            self._show(None)
            self.next(now)
        return undone

    # -- what is left --------------------------------------------------------------------

    def counts(self, now: datetime) -> QueueCounts | None:
        """Review: Anki's three numbers, the card shown still counted and its group marked;
        None in practice (a fixed list: :meth:`left` counts it)."""
        if self.practice is not None:
            return None
        return self._session.queue_counts(now, self.shown)

    def left(self, now: datetime) -> int:
        """Cards left (review: new + learning + review today, as today's limits allow)."""
        if self.practice is not None:
            return len(self.practice) - self.position
        return self._session.queue_counts(now).total

    def outlook(self, now: datetime) -> Outlook:
        """What comes next, once nothing is left (review only)."""
        if self.practice is not None:
            return Outlook()
        return self._session.outlook(now)
