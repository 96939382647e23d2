"""A thin layer over ``fsrs``: ratings, leeches, bury/suspend, undo, and the daily queue
(its SQL is ``quizact.storage.queue``; ``Study`` asks it).

``Study(collection)`` is what a session calls. Time (``now``, timezone-aware) and
randomness (the interval fuzz draws from a ``random.Random``) are always arguments;
nothing here reads the clock or the global RNG.

The queue: learning cards when due, then review cards due this study day (up to
``reviews_per_day``), then new cards in the new-card order (pack order, random, or by
tag; up to ``new_per_day``); when nothing else is left, a learning card due within
``learn_ahead_minutes``. A study day runs from ``rollover_hour`` local time (in the
settings' time zone) to the same hour next day. Today's done counts come from the review
log, so an undo gives the card back.
"""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta
from typing import Any, cast

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from quizact.optimizer import MINI_BATCH as MIN_REVIEWS_TO_OPTIMIZE  # noqa: F401 - re-exported
from quizact.optimizer import OptimizerUnavailable, TooFewReviews, optimize
from quizact.records import record
from quizact.storage import journal, queue
from quizact.storage.cards import CardInfo, fetch_row, insert_review, write_sched
from quizact.storage.collection import Collection
from quizact.storage.settings import Settings
from quizact.storage.timeutil import UTC, StudyDay, as_utc, day_of, iso, study_day, zone

__all__ = [
    "CardNotFound", "OptimizerUnavailable", "QueueCounts", "Rating", "RatingResult", "Study", "TooFewReviews",
    "format_interval", "fsrs_card", "make_scheduler", "optimize", "propose_rating",
]  # fmt: skip

NEW, LEARNING, REVIEW, RELEARNING = 0, int(State.Learning), int(State.Review), int(State.Relearning)
LEECH = "leech"
STATUSES = ("correct", "incorrect", "invalid", "self")


class CardNotFound(LookupError):
    pass


class _SeededScheduler(Scheduler):
    """fsrs' scheduler with its interval fuzz drawn from ``rng`` instead of the global RNG.

    Same ranges as ``Scheduler._get_fuzzed_interval`` (fsrs 6.3).
    """

    def __init__(self, *args: Any, rng: random.Random, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rng = rng

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        delta = 1.0
        for r in FUZZ_RANGES:
            delta += r["factor"] * max(min(float(days), r["end"]) - r["start"], 0.0)
        hi = min(round(days + delta), self.maximum_interval)
        lo = min(max(2, round(days - delta)), hi)
        fuzzed = round(self._rng.random() * (hi - lo + 1) + lo)
        return timedelta(days=min(fuzzed, self.maximum_interval))


def make_scheduler(
    settings: Settings, *, rng: random.Random | None = None, fuzz: bool = True
) -> Scheduler:
    """An ``fsrs.Scheduler`` for ``settings``; with ``rng`` the fuzz is reproducible."""
    kwargs: dict[str, Any] = dict(
        parameters=settings.fsrs_parameters or DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_deltas,
        relearning_steps=settings.relearning_deltas,
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=fuzz,
    )
    return _SeededScheduler(**kwargs, rng=rng) if rng is not None else Scheduler(**kwargs)


def fsrs_card(card: CardInfo, now: datetime) -> Card:
    """The fsrs view of a stored card (a new card is fsrs' fresh Learning card, due now)."""
    if card.state == NEW:
        return Card(card_id=0, state=State.Learning, step=0, due=as_utc(now))
    assert card.due is not None
    return Card(
        card_id=0, state=State(card.state), step=card.step, stability=card.stability,
        difficulty=card.difficulty, due=card.due, last_review=card.last_review,
    )  # fmt: skip


def propose_rating(status: str, score: float | None = None, retried: bool = False) -> Rating:
    """The rating a verdict proposes (docs/cli.md, "Ratings", has the table).

    Right at the first try → Good; right only after a retry → Hard; partial credit (some
    steps right, or the right value in the wrong form: a score strictly between 0 and 1,
    whatever the status) → Hard; wrong (no credit) → Again.
    """
    if status not in ("correct", "incorrect"):
        raise ValueError(f"no rating to propose for a {status!r} answer (the learner rates it)")
    partial = score is not None and 0 < score < 1
    if status == "incorrect":
        return Rating.Hard if partial else Rating.Again
    return Rating.Hard if retried or partial else Rating.Good


DAY = timedelta(days=1)


def _day_scale(card: Card, now: datetime) -> int | None:
    """The interval in whole days when fsrs scheduled ``card`` by days (a review), else None."""
    if card.state != State.Review:
        return None
    days = round((card.due - now) / DAY)
    return days if days >= 1 else None


def _intervals(scheduler: Scheduler, fcard: Card, now: datetime) -> dict[Rating, timedelta]:
    """Each rating's unfuzzed interval, with Easy always longer than Good (as in Anki)."""
    out = {}
    for r in Rating:
        card = scheduler.review_card(fcard, r, now)[0]
        days = _day_scale(card, now)
        out[r] = card.due - now if days is None else timedelta(days=days)
    if out[Rating.Easy] <= out[Rating.Good]:
        easy = max(1, math.floor(out[Rating.Good] / DAY)) + 1
        out[Rating.Easy] = max(out[Rating.Good], timedelta(days=min(easy, scheduler.maximum_interval)))
    return out


def due_on_study_day(now: datetime, days: int, tz_name: str, rollover_hour: int) -> datetime:
    """The instant ``days`` study days after ``now``'s, at the same local time of day.

    Day-scale intervals count study days, as Anki counts due days: a clock change between
    now and then moves the instant by an hour of UTC but never to another study day. A
    local time that the target day skips or repeats is clamped into that study day.
    """
    today = study_day(now, tz_name, rollover_hour)
    target = day_of(today.date + timedelta(days=days), tz_name, rollover_hour)
    local = as_utc(now).astimezone(zone(tz_name))
    wall = (local.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=zone(tz_name))
    due = wall.astimezone(UTC)
    return min(max(due, target.start), target.end - timedelta(microseconds=1))


def format_interval(td: timedelta) -> str:
    """Anki-like: ``45s``, ``10m``, ``3h``, ``3d``, ``2.1mo``, ``1.2y``."""
    seconds = max(td.total_seconds(), 0)
    days = seconds / 86400
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if days < 1:
        return f"{round(seconds / 3600)}h"
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30, 1):g}mo"
    return f"{round(days / 365, 1):g}y"


@record
class RatingResult:
    pack_id: str
    card_id: str
    review_id: int
    rating: Rating
    state: int
    due: datetime
    interval: timedelta
    lapses: int
    leech: bool  # this rating made it a leech (tagged "leech"; suspended if the leech action says so)
    suspended: bool = False  # this rating suspended it (a leech, with the leech action "suspend")

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.update(rating=int(self.rating), due=self.due.isoformat(), interval=self.interval.total_seconds())
        return d


#: the queue group of each card state: Anki's three numbers
GROUPS = {NEW: "new", LEARNING: "learning", RELEARNING: "learning", REVIEW: "review"}


@record
class QueueCounts:
    """Anki's three numbers: new cards, learning (and relearning) cards and review cards
    left today, as today's limits allow; ``current`` is the group of the card on screen
    ("new", "learning" or "review"; it is still counted there), or None."""

    new: int
    learning: int
    review: int
    current: str | None = None

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


class Study:
    """The study operations over one collection."""

    def __init__(self, collection: Collection) -> None:
        self.collection = collection

    # -- the queue ----------------------------------------------------------------------

    def day(self, now: datetime) -> StudyDay:
        s = self.collection.settings()
        return study_day(now, s.timezone, s.rollover_hour)

    def counts(self, now: datetime, packs: list[str] | None = None) -> dict[str, Any]:
        """``{"packs": {id: {new, learning, due}}, "total": {...}, "done_today": {new, review}}``
        (``storage.queue.counts``)."""
        return queue.counts(self.collection, now, packs)

    def queue_counts(self, now: datetime, packs: list[str] | None = None,
                     current: tuple[str, str] | None = None) -> QueueCounts:  # fmt: skip
        """Anki's three numbers for the queue :meth:`next_card` draws from (see
        :meth:`counts`), and the group of ``current`` (the card on screen, still counted)."""
        total = self.counts(now, packs)["total"]
        group = None
        if current is not None:
            card = self.collection.card(*current)
            group = GROUPS.get(card.state) if card is not None else None
        return QueueCounts(total["new"], total["learning"], total["due"], group)

    def next_card(self, now: datetime, packs: list[str] | None = None) -> tuple[str, str] | None:
        """The next (pack_id, card_id) to study, or None when nothing is left for now."""
        return queue.next_card(self.collection, now, packs)

    def next_learning_due(self, now: datetime) -> datetime | None:
        """When the next learning card (due later today) comes up, for "come back in 8m"."""
        return queue.next_learning_due(self.collection, now)

    # -- rating --------------------------------------------------------------------------

    def _row(self, conn: Any, pack_id: str, card_id: str) -> dict[str, Any]:
        row = fetch_row(conn, pack_id, card_id)
        if row is None or row["retired"]:
            raise CardNotFound(f"no card {pack_id}/{card_id} in this collection")
        return row

    def rate(
        self,
        pack_id: str,
        card_id: str,
        rating: Rating | int,
        now: datetime,
        *,
        status: str = "self",
        score: float | None = None,
        answers: Any = None,
        seed: int | None = None,
        duration_ms: int | None = None,
        rng: random.Random | None = None,
        retried: bool = False,
        outcome: Any = None,
    ) -> RatingResult:
        """Review a card with fsrs; card update, review row and undo entry commit together.

        The interval fuzz draws from ``rng``, by default one seeded by the card and ``now``.
        ``outcome``: what the grading found (kept with the review, see ``storage.schema``).
        """
        rating, now = Rating(int(rating)), as_utc(now)
        _check_status(status)
        rng = rng or random.Random(f"{pack_id}\x00{card_id}\x00{iso(now)}")
        settings = self.collection.settings().for_pack(pack_id)
        scheduler, threshold = make_scheduler(settings, rng=rng), settings.leech_threshold
        with self.collection.transaction() as conn:
            before = self._row(conn, pack_id, card_id)
            info = CardInfo.from_row(before)
            fcard = fsrs_card(info, now)
            card, _ = scheduler.review_card(fcard, rating, now, duration_ms)
            days = _day_scale(card, now)
            if days is not None:
                if rating == Rating.Easy:  # Easy is always longer than Good, fuzz or not
                    least = _intervals(make_scheduler(settings, fuzz=False), fcard, now)[Rating.Easy]
                    days = max(days, round(least / DAY))
                card.due = due_on_study_day(now, days, settings.timezone, settings.rollover_hour)
            lapsed = info.state == REVIEW and rating == Rating.Again
            lapses = info.lapses + lapsed
            leech = lapsed and (
                lapses == threshold
                or (lapses > threshold and (lapses - threshold) % max(1, threshold // 2) == 0)
            )
            after = dict(before)
            after.update(
                state=int(card.state), step=card.step, stability=card.stability,
                difficulty=card.difficulty, due=iso(card.due), last_review=iso(now),
                reps=info.reps + 1, lapses=lapses,
            )  # fmt: skip
            suspended = leech and settings.leech_action == "suspend"
            if leech:
                after["suspended"] = int(suspended or bool(before["suspended"]))
                after["flags"] = _with_flag(before["flags"], LEECH)
            write_sched(conn, after)
            ivl = (info.due - info.last_review).total_seconds() / 86400 if info.due and info.last_review else None
            review_id = insert_review(
                conn, pack_id=pack_id, card_id=card_id, reviewed_at=iso(now), mode="review",
                rating=int(rating), status=status, score=score, answers=answers, seed=seed, retried=retried,
                outcome=outcome, content_hash=before["content_hash"],
                duration_ms=duration_ms, state_before=info.state, step_before=info.step,
                stability_before=info.stability, difficulty_before=info.difficulty,
                due_before=before["due"], last_review_before=before["last_review"], ivl_before=ivl,
                state_after=after["state"], step_after=card.step, stability_after=card.stability,
                difficulty_after=card.difficulty, due_after=after["due"],
            )  # fmt: skip
            journal.push(conn, "rate", before, review_id, iso(now))
        interval = card.due - now if days is None else timedelta(days=days)
        return RatingResult(
            pack_id, card_id, review_id, rating, int(card.state), card.due, interval, lapses, leech, suspended
        )

    def preview_intervals(self, card: CardInfo | Card | tuple[str, str], now: datetime) -> dict[Rating, timedelta]:
        """The interval each button would give (unfuzzed, as Anki shows them; whole study days
        for a review, and Easy always longer than Good)."""
        if isinstance(card, tuple):
            found = self.collection.card(*card)
            if found is None:
                raise CardNotFound(f"no card {card[0]}/{card[1]} in this collection")
            card = found
        now = as_utc(now)
        settings = self.collection.settings()
        if isinstance(card, CardInfo):
            settings = settings.for_pack(card.pack_id)
        fcard = fsrs_card(card, now) if isinstance(card, CardInfo) else card
        return _intervals(make_scheduler(settings, fuzz=False), fcard, now)

    def log_practice(
        self,
        pack_id: str,
        card_id: str,
        now: datetime,
        *,
        status: str,
        score: float | None = None,
        answers: Any = None,
        seed: int | None = None,
        duration_ms: int | None = None,
        rating: Rating | int | None = None,
        outcome: Any = None,
    ) -> int:
        """Log a practice attempt (mode 'practice'); the card's schedule is never touched."""
        _check_status(status)
        with self.collection.transaction() as conn:
            row = fetch_row(conn, pack_id, card_id)
            if row is None:
                raise CardNotFound(f"no card {pack_id}/{card_id} in this collection")
            return insert_review(
                conn, pack_id=pack_id, card_id=card_id, reviewed_at=iso(now), mode="practice",
                rating=None if rating is None else int(rating), status=status, score=score,
                answers=answers, seed=seed, duration_ms=duration_ms, outcome=outcome,
                content_hash=row["content_hash"],
            )  # fmt: skip

    # -- bury, suspend, undo -------------------------------------------------------------

    def _change(self, action: str, pack_id: str, card_id: str, now: datetime, **values: Any) -> None:
        with self.collection.transaction() as conn:
            before = self._row(conn, pack_id, card_id)
            write_sched(conn, {**before, **values})
            journal.push(conn, action, before, None, iso(now))

    def bury(self, pack_id: str, card_id: str, now: datetime) -> datetime:
        """Hide the card until the next study day starts; returns that instant."""
        end = self.day(now).end
        self._change("bury", pack_id, card_id, now, buried_until=iso(end))
        return end

    def suspend(self, pack_id: str, card_id: str, now: datetime) -> None:
        self._change("suspend", pack_id, card_id, now, suspended=1)

    def unsuspend(self, pack_id: str, card_id: str, now: datetime) -> None:
        self._change("unsuspend", pack_id, card_id, now, suspended=0)

    def undo(self) -> journal.UndoEntry | None:
        """Revert the latest rating, bury or (un)suspend; None when there is nothing to undo."""
        with self.collection.transaction() as conn:
            return journal.pop(conn)

    def undo_depth(self) -> int:
        row = self.collection.query_one("SELECT count(*) FROM undo")
        assert row is not None  # count(*) always gives one row
        return cast(int, row[0])

    def stats(self, now: datetime) -> dict[str, Any]:
        from quizact.storage import stats

        return stats.summary(self.collection, now)


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}; got {status!r}")


def _with_flag(flags_json: str, flag: str) -> str:
    flags = json.loads(flags_json)
    return json.dumps(flags if flag in flags else [*flags, flag])
