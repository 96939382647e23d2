"""The headless study session: the only thing the app and the CLI call to study.

``Session`` joins the collection (what is due, FSRS state) with the packs (what a card
says): next card with a freshly drawn variant, grading, the proposed rating and the
interval each rating would give, rating (committed before returning), undo, bury,
suspend, dashboard counts and practice. ``now`` and the random generator are always
arguments; nothing here reads the clock.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from quizact import paths
from quizact.grading.numeric import precision_label
from quizact.grading.verdict import StepResult, Verdict
from quizact.packs.loader import Pack, read_pack
from quizact.packs.params import Variant, instantiate, render
from quizact.scheduling import Rating, RatingResult, Study, format_interval, propose_rating
from quizact.storage.collection import Collection
from quizact.storage.packs import CardRow

Mode = Literal["review", "practice"]
RATING_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


@dataclass(frozen=True)
class Presented:
    """A card as shown: its pack, model, drawn variant and rendered prompt."""

    pack_id: str
    card: Any
    variant: Variant
    mode: Mode
    shown_at: datetime
    prompt: str
    options: tuple[str, ...] = ()  # choice cards: option texts in display order (a, b, …)
    step_prompts: tuple[str, ...] = ()

    @property
    def card_id(self) -> str:
        return self.card.id

    @property
    def explain(self) -> str:
        return render(self.card.explain, self.variant.params)


@dataclass(frozen=True)
class Graded:
    """A graded response: the verdict, the proposed rating and each rating's interval."""

    verdict: Verdict
    proposed: Rating
    intervals: dict[Rating, str] = field(default_factory=dict)

    def bar(self) -> str:
        """``Again 1m · Hard 6m · Good 3d · Easy 9d``."""
        return " · ".join(f"{RATING_NAMES[r]} {self.intervals[r]}" for r in Rating if r in self.intervals)


def library(extra: Iterable[Path] = ()) -> list[Path]:
    """Where packs come from: the built-in ones and those added with ``pack add``."""
    found = list(paths.builtin_packs())
    user = paths.user_packs_dir()
    if user.is_dir():
        found += [p for p in sorted(user.iterdir()) if p.suffix in (".yaml", ".yml") or (p / "pack.yaml").is_file()]
    return found + list(extra)


class Session:
    """Study over one collection and the packs it knows."""

    def __init__(self, collection: Collection, packs: dict[str, Pack]):
        self.collection = collection
        self.study = Study(collection)
        self.packs = packs

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, db: str | Path | None, now: datetime, *, timezone: str | None = None,
             sources: Iterable[Path] | None = None) -> Session:
        """Open the collection, install built-in packs on first run, update changed packs."""
        collection = Collection.open(paths.collection_path(db) if db != ":memory:" else ":memory:", timezone=timezone)
        session = cls(collection, {})
        session.load(library() if sources is None else sources, now)
        return session

    def load(self, sources: Iterable[Path], now: datetime) -> list[str]:
        """Load packs from ``sources`` and sync them; returns problems as text lines."""
        known = {p.pack_id: p for p in self.collection.list_packs(include_removed=True)}
        problems: list[str] = []
        for source in sources:
            pack, found = read_pack(source, cache=True)
            if pack is None:
                problems += [str(p) for p in found]
                continue
            info = known.get(pack.id)
            if info is not None and info.removed:
                continue  # removed by the learner: not reinstalled behind their back
            self.packs[pack.id] = pack
            if info is None or info.content_hash != pack.digest:
                self.sync(pack, now)
        return problems

    def sync(self, pack: Pack, now: datetime):
        rows = [CardRow(c.id, c.kind, tuple(c.tags), pack.hashes.get(c.id)) for c in pack.cards]
        return self.collection.sync_pack(
            pack.id, pack.meta.name, str(pack.meta.version), str(pack.path), rows,
            pack.meta.renamed, now=now, content_hash=pack.digest,
        )

    def close(self) -> None:
        self.collection.close()

    # -- the queue -----------------------------------------------------------------------

    def counts(self, now: datetime) -> dict[str, Any]:
        """Per pack new / learning / due today, totals, and the streak."""
        from quizact.storage import stats

        counts = self.study.counts(now, packs=list(self.packs))
        counts["names"] = {pid: p.meta.name for pid, p in self.packs.items()}
        counts["streak"] = stats.streak(self.collection, now)
        return counts

    def present(self, pack_id: str, card_id: str, now: datetime, rng: random.Random, mode: Mode = "review") -> Presented:
        """Draw a fresh variant of a card (its seed is kept with the review)."""
        card = self.packs[pack_id].card(card_id)
        seed = rng.randrange(2**31)
        variant = instantiate(card, seed)
        options: tuple[str, ...] = ()
        if card.kind == "choice":
            from quizact.grading.card import option_order

            options = tuple(render(card.options[i].text, variant.params) for i in option_order(card, variant))
        steps = tuple(render(s.prompt, variant.params) for s in getattr(card, "steps", []) or [])
        return Presented(pack_id, card, variant, mode, now, render(card.prompt, variant.params), options, steps)

    def next(self, now: datetime, rng: random.Random, packs: list[str] | None = None) -> Presented | None:
        """The next due card with a fresh variant, or None when nothing is due now."""
        while True:
            found = self.study.next_card(now, packs=packs or list(self.packs))
            if found is None:
                return None
            pack_id, card_id = found
            if pack_id in self.packs:
                try:
                    return self.present(pack_id, card_id, now, rng)
                except KeyError:
                    pass
            self.study.bury(pack_id, card_id, now)  # content missing: hide it for today

    # -- answering -----------------------------------------------------------------------

    def grade_steps(self, shown: Presented, answers: list[str]) -> list[StepResult]:
        """Grade the steps answered so far (for step-by-step feedback)."""
        from quizact.grading.runner import grade_steps_bounded

        return grade_steps_bounded(shown.card, shown.variant, answers)

    def submit(self, shown: Presented, answers: list[str] | str, now: datetime, *, retried: bool = False) -> Graded:
        """Grade a response: verdict, proposed rating, and each rating's next interval."""
        from quizact.grading.runner import grade_bounded

        verdict = grade_bounded(shown.card, shown.variant, [answers] if isinstance(answers, str) else list(answers))
        return self.graded(shown, verdict, now, retried=retried)

    def graded(self, shown: Presented, verdict: Verdict, now: datetime, *, retried: bool = False) -> Graded:
        if verdict.invalid:
            return Graded(verdict, Rating.Again, {})
        proposed = propose_rating(verdict.status, verdict.score, retried)
        return Graded(verdict, proposed, self.intervals(shown, now))

    def intervals(self, shown: Presented, now: datetime) -> dict[Rating, str]:
        if shown.mode == "practice":
            return {}
        preview = self.study.preview_intervals((shown.pack_id, shown.card_id), now)
        return {r: format_interval(td) for r, td in preview.items()}

    def rate(self, shown: Presented, rating: Rating | int, now: datetime, *, graded: Graded | None = None,
             answers: list[str] | None = None) -> RatingResult | int:
        """Commit a rating (review mode) or log the attempt (practice mode)."""
        verdict = graded.verdict if graded else None
        status = verdict.status if verdict else "self"
        score = verdict.score if verdict else None
        duration = max(0, int((now - shown.shown_at).total_seconds() * 1000))
        if shown.mode == "practice":
            return self.study.log_practice(shown.pack_id, shown.card_id, now, status=status, score=score,
                                           answers=answers, seed=shown.variant.seed, duration_ms=duration,
                                           rating=rating)
        return self.study.rate(shown.pack_id, shown.card_id, rating, now, status=status, score=score,
                               answers=answers, seed=shown.variant.seed, duration_ms=duration)

    def undo(self):
        return self.study.undo()

    def bury(self, shown: Presented, now: datetime) -> datetime:
        return self.study.bury(shown.pack_id, shown.card_id, now)

    def suspend(self, shown: Presented, now: datetime) -> None:
        self.study.suspend(shown.pack_id, shown.card_id, now)

    # -- practice ------------------------------------------------------------------------

    def practice_queue(self, rng: random.Random, *, packs: list[str] | None = None,
                       tags: list[str] | None = None, count: int = 20) -> list[tuple[str, str]]:
        """Cards to drill (pack, card), shuffled; the schedule is never touched."""
        pool = [
            (pid, c.id)
            for pid, pack in self.packs.items()
            if packs is None or pid in packs
            for c in pack.cards
            if not tags or set(tags) & set(c.tags)
        ]
        rng.shuffle(pool)
        return pool[:count]

    def stats(self, now: datetime) -> dict[str, Any]:
        return self.study.stats(now)
