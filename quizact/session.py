"""The headless study session: the only thing the app and the CLI call to study.

``Session`` joins the collection (what is due, FSRS state) with the packs (what a card
says): next card with a freshly drawn variant, grading, the proposed rating and the
interval each rating would give, rating (committed before returning), undo, bury,
suspend, dashboard counts and practice. ``now`` and the random generator are always
arguments; nothing here reads the clock.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from quizact import paths
from quizact.packs.loader import Pack, read_pack
from quizact.packs.params import Variant, instantiate, option_order, render
from quizact.records import record
from quizact.scheduling import Rating, RatingResult, Study, format_interval, propose_rating
from quizact.storage.collection import Collection, CollectionError, CollectionLocked
from quizact.storage.journal import UndoEntry
from quizact.storage.packs import CardRow, SyncError, SyncReport

if TYPE_CHECKING:  # grading modules are imported when an answer is graded
    from quizact.anki import AnkiReport
    from quizact.grading.verdict import StepResult, Verdict
    from quizact.packs.lightform import Paragraph
    from quizact.packs.models import Card
    from quizact.plotdata import LineData
    from quizact.scheduling import QueueCounts
    from quizact.sitting import Outlook, Sitting
    from quizact.storage.cards import CardInfo
    from quizact.storage.history import CardReport
    from quizact.storage.merge import MergeReport
    from quizact.storage.packs import PackInfo
    from quizact.storage.settings import Settings

Mode = Literal["review", "practice"]
T = TypeVar("T")
#: told the seconds waited so far for another process's write lock; False gives up
Waiting = Callable[[float], bool]
#: how long one attempt to save a rating waits for another process's write lock before
#: the caller is told (``waiting``) and the attempt is made again
LOCK_PATIENCE_MS = 500
RATING_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


@record
class Presented:
    """A card as shown: its pack, model, drawn variant and rendered prompt."""

    pack_id: str
    card: Card
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
        """The worked solution, filled (named steps too: it is shown once graded)."""
        from quizact.grading.card import shown_values

        return render(self.card.explain, shown_values(self.card, self.variant)) if self.card.explain else ""

    @property
    def answer(self) -> str:
        """A recall card's answer, filled with the variant's values."""
        card = self.card
        assert card.kind == "recall"  # only a recall card is revealed (Sitting.reveal)
        return render(card.answer, self.variant.params)

    def answer_shapes(self) -> list[tuple[int, ...] | None]:
        """The shape of each answer's right value, for the answer boxes' hints (None where
        not numeric). Computes the answers: call it off the first frame (a worker)."""
        from quizact.grading.card import expected_shapes

        return expected_shapes(self.card, self.variant)


@record
class Graded:
    """A graded response: the verdict, the proposed rating and each rating's interval."""

    verdict: Verdict
    proposed: Rating
    intervals: dict[Rating, str] = field(default_factory=dict)
    retried: bool = False  # answered after a retry (kept with the review, for undo)

    def bar(self) -> str:
        """``Again 1m · Hard 6m · Good 3d · Easy 9d``."""
        return " · ".join(f"{RATING_NAMES[r]} {self.intervals[r]}" for r in Rating if r in self.intervals)


@record
class SyncPreview:
    """What installing a pack would do (:meth:`Session.preview_sync`): the sync's report,
    and (old id, new id, prompt similarity) for each retired card that looks like a new one."""

    report: SyncReport
    lookalikes: tuple[tuple[str, str, float], ...] = ()


@record
class OptionMark:
    """How a choice card's option fared: is it correct, did the learner pick it, what to say."""

    correct: bool
    chosen: bool
    feedback: str = ""


@record
class Undone:
    """What an undo reverted, and the card to show again as it was before the action:
    the same variant and, for an undone rating, the answers given and their grading."""

    entry: UndoEntry
    shown: Presented | None = None
    answers: tuple[str, ...] = ()
    graded: Graded | None = None
    revealed: bool = False  # a recall card that had been shown (its rating undone)


def library(extra: Iterable[Path] = ()) -> list[Path]:
    """Where packs come from: the built-in ones and those added with ``pack add``."""
    found = list(paths.builtin_packs())
    user = paths.user_packs_dir()
    if user.is_dir():
        found += [p for p in sorted(user.iterdir()) if p.suffix in (".yaml", ".yml") or (p / "pack.yaml").is_file()]
    return found + list(extra)


def _skipped(source: Path, pack: Pack | None, found: list[str]) -> str:
    """One line saying which pack was skipped, and why."""
    from quizact.textsafe import one_line

    name = f"pack {pack.id} ({source})" if pack is not None else f"pack {source}"
    more = f" (and {len(found) - 1} more: quizact pack check {source})" if len(found) > 1 else ""
    return one_line(f"{name} is broken and was skipped: {found[0] if found else 'not a pack'}{more}")


class Session:
    """Study over one collection and the packs it knows."""

    def __init__(self, collection: Collection, packs: dict[str, Pack]):
        self._collection = collection
        self._study = Study(collection)  # the scheduler's operations: private, as is the collection
        self.packs = packs
        self.problems: list[str] = []  # one line per pack that could not be loaded (skipped)
        self.backup_problem: str | None = None  # why today's automatic backup was not taken
        self._dry_run = False  # see open()

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, db: str | Path | None, now: datetime, *, timezone: str | None = None,
             sources: Iterable[Path] | None = None, dry_run: bool = False) -> Session:
        """Open the collection, install built-in packs on first run, update changed packs.

        ``dry_run``: a session that writes nothing (for ``pack add --dry-run``): no daily
        backup, no pack synced on opening, no planner statistics refreshed on closing."""
        collection = Collection.open(paths.collection_path(db) if db != ":memory:" else ":memory:", timezone=timezone)
        session = cls(collection, {})
        session._dry_run = dry_run
        try:
            if not dry_run:
                session.backup_problem = session._daily_backup_problem(now)
            session.problems = session.load(library() if sources is None else sources, now)
        except BaseException:
            collection.close()
            raise
        return session

    def load(self, sources: Iterable[Path], now: datetime) -> list[str]:
        """Load packs from ``sources`` and sync them; returns one line per pack skipped.

        A pack with any problem (edited by hand, a bad rename, bad YAML) is skipped whole,
        its cards and history left as they were, so the other packs can still be studied.
        """
        known = {p.pack_id: p for p in self._collection.list_packs(include_removed=True)}
        problems: list[str] = []
        for source in sources:
            try:
                pack, found = read_pack(source, cache=True)
                if pack is None or found:
                    problems.append(_skipped(source, pack, [str(p) for p in found]))
                    continue
                info = known.get(pack.id)
                if info is not None and info.removed:
                    continue  # removed by the learner: not reinstalled behind their back
                if (info is None or info.content_hash != pack.digest) and not self._dry_run:
                    self.sync(pack, now)
            except CollectionError:
                raise  # the collection itself (locked, unwritable): not one pack's fault
            except SyncError as exc:  # e.g. a rename onto a card that has history of its own
                problems.append(_skipped(source, pack, [str(exc)]))
                continue
            except Exception as exc:  # noqa: BLE001 - one broken pack must not stop the others
                problems.append(_skipped(source, None, [f"{type(exc).__name__}: {exc}"]))
                continue
            self.packs[pack.id] = pack
        return problems

    def sync(self, pack: Pack, now: datetime, before_commit: Callable[[], None] | None = None, *,
             dry_run: bool = False) -> SyncReport:  # fmt: skip
        """Apply ``pack`` to the collection; ``before_commit`` runs inside the same transaction.
        With ``dry_run`` nothing is kept: the report says what applying it would do."""
        dry_run = dry_run or self._dry_run
        rows = [CardRow(c.id, c.kind, tuple(c.tags), pack.hashes.get(c.id)) for c in pack.cards]
        return self._collection.sync_pack(
            pack.id, pack.meta.name, str(pack.meta.version), str(pack.path), rows,
            pack.meta.renamed, now=now, content_hash=pack.digest, before_commit=before_commit,
            reset=pack.meta.reset, dry_run=dry_run,
        )

    def preview_sync(self, pack: Pack, now: datetime) -> SyncPreview:
        """What ``pack add`` of ``pack`` would do, changing nothing: the sync's report, and
        each retired card that looks like one of the new cards (``packs.lookalike``: same
        kind, prompts at least 80 % alike), compared with the pack as loaded now."""
        from quizact.packs.lookalike import lookalikes

        fresh = {c.id for c in pack.cards if self._collection.card(pack.id, c.id) is None}
        report = self.sync(pack, now, dry_run=True)
        old = self.packs.get(pack.id)
        if old is None:
            return SyncPreview(report)
        retired = [c for c in old.cards if c.id in set(report.retired)]
        new = [c for c in pack.cards if c.id in fresh]
        return SyncPreview(report, tuple(lookalikes(retired, new)))

    def close(self) -> None:
        self._collection.close(optimize=not self._dry_run)

    # -- the queue -----------------------------------------------------------------------

    def counts(self, now: datetime) -> dict[str, Any]:
        """Per pack new / learning / due today, totals, and the streak."""
        from quizact.storage import stats

        counts = self._study.counts(now, packs=list(self.packs))
        counts["names"] = {pid: p.meta.name for pid, p in self.packs.items()}
        counts["streak"] = stats.streak(self._collection, now)
        return counts

    def present(self, pack_id: str, card_id: str, now: datetime, rng: random.Random, mode: Mode = "review",
                *, seed: int | None = None) -> Presented:  # fmt: skip
        """Draw a fresh variant of a card (its seed is kept with the review), or the
        variant of ``seed``."""
        card = self.packs[pack_id].card(card_id)
        seed = rng.randrange(2**31) if seed is None else seed
        variant = instantiate(card, seed)
        options: tuple[str, ...] = ()
        if card.kind == "choice":
            options = tuple(render(card.options[i].text, variant.params) for i in option_order(card, variant))
        steps = tuple(render(s.prompt, variant.params) for s in getattr(card, "steps", []) or [])
        return Presented(pack_id, card, variant, mode, now, render(card.prompt, variant.params), options, steps)

    def next(self, now: datetime, rng: random.Random, packs: list[str] | None = None) -> Presented | None:
        """The next due card with a fresh variant, or None when nothing is due now."""
        while True:
            found = self._study.next_card(now, packs=packs or list(self.packs))
            if found is None:
                return None
            pack_id, card_id = found
            if pack_id in self.packs:
                try:
                    return self.present(pack_id, card_id, now, rng)
                except KeyError:
                    pass
            self._study.bury(pack_id, card_id, now)  # content missing: hide it for today

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
            return Graded(verdict, Rating.Again, {}, retried)
        proposed = propose_rating(verdict.status, verdict.score, retried)
        return Graded(verdict, proposed, self.intervals(shown, now), retried)

    def intervals(self, shown: Presented, now: datetime) -> dict[Rating, str]:
        if shown.mode == "practice":
            return {}
        preview = self._study.preview_intervals((shown.pack_id, shown.card_id), now)
        return {r: format_interval(td) for r, td in preview.items()}

    def rate(self, shown: Presented, rating: Rating | int, now: datetime, *, graded: Graded | None = None,
             answers: list[str] | None = None, waiting: Waiting | None = None) -> RatingResult | int:  # fmt: skip
        """Commit a rating (review mode) or log the attempt (practice mode); it is on disk
        when this returns.

        While another process holds the collection's write lock, ``waiting`` is called
        with the seconds waited so far (about every half second) and the rating is tried
        again for as long as it returns True. Without ``waiting``, or once it returns
        False, ``CollectionLocked`` is raised and nothing was saved.
        """
        return self.patiently(lambda: self._rate(shown, rating, now, graded, answers), waiting)

    def patiently(self, write: Callable[[], T], waiting: Waiting | None) -> T:
        """Run ``write`` (one transaction); while another process holds the write lock,
        call ``waiting`` and try again as long as it returns True (see :meth:`rate`)."""
        if waiting is None:
            return write()
        started = time.monotonic()
        while True:
            try:
                with self._collection.patience(LOCK_PATIENCE_MS):
                    return write()
            except CollectionLocked:
                if not waiting(time.monotonic() - started):
                    raise

    def _rate(self, shown: Presented, rating: Rating | int, now: datetime, graded: Graded | None,
              answers: list[str] | None) -> RatingResult | int:  # fmt: skip
        verdict = graded.verdict if graded else None
        status = verdict.status if verdict else "self"
        score = verdict.score if verdict else None
        duration = max(0, int((now - shown.shown_at).total_seconds() * 1000))
        outcome = _outcome(shown, verdict, answers) if verdict else None
        if shown.mode == "practice":
            return self._study.log_practice(shown.pack_id, shown.card_id, now, status=status, score=score,
                                           answers=answers, seed=shown.variant.seed, duration_ms=duration,
                                           rating=rating, outcome=outcome)
        return self._study.rate(shown.pack_id, shown.card_id, rating, now, status=status, score=score,
                               answers=answers, seed=shown.variant.seed, duration_ms=duration,
                               retried=bool(graded and graded.retried), outcome=outcome)

    def undo(self, waiting: Waiting | None = None) -> UndoEntry | None:
        """Revert the latest rating, bury or (un)suspend; None when there is nothing to undo."""
        return self.patiently(self._study.undo, waiting)

    def undo_to(self, now: datetime, rng: random.Random, waiting: Waiting | None = None) -> Undone | None:
        """Undo, and the card it concerned ready to show again as it was: an undone rating
        brings back the rated variant (its seed) with the answers and their verdict."""
        entry = self.undo(waiting)
        if entry is None:
            return None
        if entry.pack_id not in self.packs:
            return Undone(entry)
        try:
            shown = self.present(entry.pack_id, entry.card_id, now, rng, seed=entry.seed)
        except KeyError:  # the card left its pack
            return Undone(entry)
        if entry.action != "rate":
            return Undone(entry, shown)
        answers = tuple(str(a) for a in entry.answers or ())
        if shown.card.kind == "recall":
            return Undone(entry, shown, revealed=True)
        if not answers:
            return Undone(entry, shown)
        return Undone(entry, shown, answers, self.submit(shown, list(answers), now, retried=entry.retried))

    def can_undo(self) -> bool:
        """Whether there is a rating, bury or (un)suspend left to undo."""
        return self._study.undo_depth() > 0

    def bury(self, shown: Presented, now: datetime, waiting: Waiting | None = None) -> datetime:
        return self.patiently(lambda: self._study.bury(shown.pack_id, shown.card_id, now), waiting)

    def suspend(self, shown: Presented, now: datetime, waiting: Waiting | None = None) -> None:
        self.patiently(lambda: self._study.suspend(shown.pack_id, shown.card_id, now), waiting)

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
        return self._study.stats(now)

    # -- settings ------------------------------------------------------------------------

    def settings(self, pack_id: str | None = None) -> Settings:
        """The collection's settings, or those ``pack_id``'s cards use (its preset applied)."""
        settings = self._collection.settings()
        return settings if pack_id is None else settings.for_pack(pack_id)

    def update_settings(self, changes: dict[str, Any], *, pack_id: str | None = None,
                        preset: str | None = None) -> Settings:  # fmt: skip
        """Validate and store ``changes`` (collection-wide, or in a pack's preset: see
        ``storage.settings.edit``); raises ``SettingsError`` in plain words, saving nothing."""
        from quizact.storage.settings import SettingsError, edit

        if pack_id is not None and pack_id not in {p.pack_id for p in self._collection.list_packs()}:
            raise SettingsError(f"There is no pack named {pack_id} in this collection")
        new = edit(self._collection.settings(), changes, pack_id=pack_id, preset=preset)
        return self._collection.update_settings(**new.to_dict())

    def dashboard(self, now: datetime) -> dict[str, Any]:
        """What the dashboard shows: :meth:`counts` (with the streak), the 30-day true
        retention, when the next learning card comes up (None when none is due today) and
        today's reviews (the statistics' figure for today)."""
        from quizact.storage import stats

        return {
            "counts": self.counts(now),
            "retention": stats.true_retention(self._collection, now),
            "next_learning": self._study.next_learning_due(now),
            "reviews_today": stats.reviews_today(self._collection, now),  # as the statistics count them
        }

    # -- the optimizer -------------------------------------------------------------------

    def optimize(self, progress: Callable[[Any], None] | None = None) -> dict[str, Any]:
        """Fit FSRS parameters to the review log and store them if they fit it better
        (see ``quizact.optimizer.optimize``); ``progress`` receives ``Progress`` reports."""
        from quizact.optimizer import optimize

        return optimize(self._collection, progress=progress)

    def prompt_paragraphs(self, shown: Presented) -> tuple[Paragraph, ...] | None:
        """The prompt as paragraphs of styled text, parsed when the pack was cached
        (``quizact.packs.lightform``), or None when it needs the Markdown parser."""
        pack = self.packs.get(shown.pack_id)
        form = pack.prompts.get(shown.card_id) if pack is not None else None
        if form is None:
            return None
        from quizact.packs.lightform import fill

        return fill(form, shown.variant.params, shown.prompt)

    # -- your data: backups and exports ----------------------------------------------------

    def daily_backup(self, now: datetime) -> Path | None:
        """Today's automatic backup, taken when the collection is first opened on a study day
        and kept ``backups_kept_days`` days (see ``storage.backup``); None when today's exists,
        backups are off (0 days) or the collection is in memory."""
        from quizact.storage.backup import daily_backup
        from quizact.storage.timeutil import study_day

        path = self._collection.path
        settings = self._collection.settings()
        if path is None or settings.backups_kept_days <= 0:
            return None
        today = study_day(now, settings.timezone, settings.rollover_hour).date
        return daily_backup(path, paths.backups_dir(path), today, settings.backups_kept_days)

    def _daily_backup_problem(self, now: datetime) -> str | None:
        """Take the daily backup; a failure is reported (one line), never in the way of studying."""
        from quizact.storage.backup import BackupError
        from quizact.textsafe import one_line

        try:
            self.daily_backup(now)
        except BackupError as exc:
            return one_line(f"the daily backup was not taken: {exc}")
        return None

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the collection at ``dest``, safe while another program writes
        to it (SQLite's backup API; see ``storage.backup``). Raises ``BackupError``."""
        from quizact.storage.backup import BackupError, backup_file

        if self._collection.path is None:
            raise BackupError("an in-memory collection has no file to back up")
        return backup_file(self._collection.path, Path(dest))

    def export_reviews(self, packs: list[str] | None = None) -> list[dict[str, Any]]:
        """The review log, oldest first, one dict per review (columns: ``storage.export``)."""
        from quizact.storage.export import review_rows

        return review_rows(self._collection, packs)

    def export_cards(self, now: datetime, packs: list[str] | None = None) -> list[dict[str, Any]]:
        """Every card's state, with its retrievability at ``now`` (columns: ``storage.export``)."""
        from quizact.storage.export import card_rows

        return card_rows(self._collection, now, packs)

    def export_anki(self, dest: str | Path, *, packs: list[str] | None = None, tags: list[str] | None = None,
                    seed: int = 0) -> AnkiReport:  # fmt: skip
        """Write the recall and choice cards of the loaded packs to an Anki package (``.apkg``)
        at ``dest`` (see ``quizact.anki``); raises ``AnkiUnavailable`` without genanki."""
        from quizact.anki import export_apkg

        chosen = [p for pid, p in sorted(self.packs.items()) if packs is None or pid in packs]
        return export_apkg(chosen, Path(dest), tags=tags, seed=seed)

    # -- merging another copy ----------------------------------------------------------------

    def merge_from(self, path: str | Path, now: datetime) -> MergeReport:
        """Merge another copy's review log into this collection and recompute the state of
        every card that gained a review (see ``quizact.storage.merge``); returns a
        ``MergeReport``. Raises ``MergeError`` (one line; nothing changed) on refusal."""
        from quizact.storage.merge import merge

        def known(pack_id: str, card_id: str) -> bool:
            pack = self.packs.get(pack_id)
            return pack is not None and any(c.id == card_id for c in pack.cards)

        return merge(self._collection, path, now, known=known)

    # -- browse: one card's info and changes -----------------------------------------

    def card_info(self, pack_id: str, card_id: str, now: datetime) -> CardReport | None:
        """The card, every review, practice attempt and manual change of it (oldest first),
        and its retrievability at ``now`` (``storage.history.CardReport``); None if unknown."""
        from quizact.reschedule import flag_of
        from quizact.scheduling import fsrs_card, make_scheduler
        from quizact.storage.history import CardReport

        info = self._collection.card(pack_id, card_id)
        if info is None:
            return None
        history = tuple(self._collection.card_history(pack_id, card_id))
        recall = None
        if not info.is_new and info.stability is not None and info.last_review is not None:
            scheduler = make_scheduler(self._collection.settings().for_pack(pack_id), fuzz=False)
            recall = scheduler.get_card_retrievability(fsrs_card(info, now), now)
        return CardReport(info, history, recall, flag_of(info.flags), now)

    def set_due(self, pack_id: str, card_id: str, spec: str, now: datetime, rng: random.Random,
                waiting: Waiting | None = None) -> datetime:  # fmt: skip
        """Set a card's due date from what the learner typed ("0", "3", "3-7", a date);
        raises ``reschedule.DueDateError`` in plain words, saving nothing."""
        from quizact import reschedule

        return self.patiently(lambda: reschedule.set_due(self._collection, pack_id, card_id, spec, now, rng), waiting)

    def forget(self, pack_id: str, card_id: str, now: datetime, waiting: Waiting | None = None) -> None:
        """Put a card back to new (its history is kept; undo brings it back)."""
        from quizact import reschedule

        self.patiently(lambda: reschedule.forget(self._collection, pack_id, card_id, now), waiting)

    def unbury(self, pack_id: str, card_id: str, now: datetime, waiting: Waiting | None = None) -> bool:
        """Show a buried card again today; False when it was not buried."""
        from quizact import reschedule

        return self.patiently(lambda: reschedule.unbury(self._collection, pack_id, card_id, now), waiting)

    def set_flag(self, pack_id: str, card_id: str, flag: str | None, now: datetime,
                 waiting: Waiting | None = None) -> None:  # fmt: skip
        """Flag a card red, orange, green or blue (replacing its flag), or clear it (None)."""
        from quizact import reschedule

        self.patiently(lambda: reschedule.set_flag(self._collection, pack_id, card_id, flag, now), waiting)

    def queue_counts(self, now: datetime, shown: Presented | None = None) -> QueueCounts:
        """Anki's three numbers while reviewing: new · learning · review left today (as
        today's limits allow, buried and suspended cards left out), and the group of
        ``shown``, the card on screen (``QueueCounts.current``; None in practice)."""
        current = (shown.pack_id, shown.card_id) if shown is not None and shown.mode == "review" else None
        return self._study.queue_counts(now, packs=list(self.packs), current=current)

    # -- sittings --------------------------------------------------------------------------

    def sitting(self, rng: random.Random, practice: list[tuple[str, str]] | None = None, *,
                shown: Presented | None = None) -> Sitting:  # fmt: skip
        """A sitting over today's due cards, or over a practice list of (pack_id, card_id);
        ``shown``: a card already drawn, shown first."""
        from quizact.sitting import Sitting

        return Sitting(self, rng, practice, shown=shown)

    def outlook(self, now: datetime) -> Outlook:
        """What comes next: reviews and learning cards due tomorrow, the next learning card today."""
        from quizact.sitting import Outlook
        from quizact.storage.stats import forecast

        days = forecast(self._collection, now, days=2)
        tomorrow = days[1]["learning"] + days[1]["review"] if len(days) > 1 else None
        return Outlook(tomorrow, self._study.next_learning_due(now))

    def warm_up(self) -> None:
        """Start the grading process now (it imports sympy and grades a warm-up answer), so
        the first answer does not wait for it."""
        from quizact.grading.worker import get_worker

        get_worker().start()

    # -- packs in the collection -------------------------------------------------------------

    def pack_infos(self, *, include_removed: bool = False) -> list[PackInfo]:
        """The packs installed in the collection (``storage.packs.PackInfo``)."""
        return self._collection.list_packs(include_removed=include_removed)

    def pack_stats(self, pack_id: str) -> list[dict[str, Any]]:
        """The author's item analysis of a pack in the collection: per card and per step,
        attempts, first-try accuracy, median time, lapse rate, the commonest wrong answers
        and the diagnosed mistakes (``storage.itemstats``); a step carries its prompt when
        the pack is loaded. Raises ``CollectionError`` for a pack the collection lacks."""
        from quizact.storage.itemstats import pack_item_stats

        if pack_id not in {p.pack_id for p in self._collection.list_packs(include_removed=True)}:
            raise CollectionError(f"no pack {pack_id!r} in this collection")
        rows = pack_item_stats(self._collection, pack_id)
        pack = self.packs.get(pack_id)
        cards = {c.id: c for c in pack.cards} if pack is not None else {}
        for row in rows:
            shown = getattr(cards.get(row["card_id"]), "steps", None) or []
            for step in row.get("steps", []):
                step["prompt"] = shown[step["step"] - 1].prompt if step["step"] <= len(shown) else None
        return rows

    def remove_pack(self, pack_id: str, *, purge: bool = False) -> None:
        """Remove a pack (its cards and history kept unless ``purge``); raises ``CollectionError``."""
        self._collection.remove_pack(pack_id, purge=purge)

    # -- browse ------------------------------------------------------------------------------

    def cards(self) -> list[CardInfo]:
        """Every card of the collection with its scheduling state (``storage.cards.CardInfo``)."""
        return list(self._collection.cards())

    def card(self, pack_id: str, card_id: str) -> CardInfo | None:
        """One card's scheduling state, or None when the collection has no such card."""
        return self._collection.card(pack_id, card_id)

    def suspend_card(self, pack_id: str, card_id: str, now: datetime, waiting: Waiting | None = None) -> None:
        """Suspend a card by id (undoable)."""
        self.patiently(lambda: self._study.suspend(pack_id, card_id, now), waiting)

    def unsuspend_card(self, pack_id: str, card_id: str, now: datetime, waiting: Waiting | None = None) -> None:
        """Unsuspend a card by id (undoable)."""
        self.patiently(lambda: self._study.unsuspend(pack_id, card_id, now), waiting)

    def plot_data(self, shown: Presented) -> LineData | None:
        """What the card's plot draws (``quizact.plotdata``), or None when it has none."""
        from quizact.plotdata import plot_data

        return plot_data(shown.card, shown.variant.params)

    def expected(self, shown: Presented) -> list[str]:
        """The expected answer of each step of the card shown (the worked solution's answers)."""
        from quizact.grading.card import expected_answers

        return expected_answers(shown.card, shown.variant)

    def option_marks(self, shown: Presented, letters: str) -> list[OptionMark]:
        """A choice card's options in display order: right?, picked (``letters``: "a,c")?, feedback."""
        from quizact.grading.card import right_options

        chosen = {ord(c) - 97 for c in letters.split(",") if c}
        try:
            right = right_options(shown.card, shown.variant)
        except ValueError:  # graded invalid, with the reason; mark nothing right
            right = frozenset()
        marks = []
        card = shown.card
        assert card.kind == "choice"  # the options of a choice card
        for pos, idx in enumerate(option_order(card, shown.variant)):
            option = card.options[idx]
            marks.append(OptionMark(idx in right, pos in chosen, render(option.feedback, shown.variant.params)))
        return marks


def _outcome(shown: Presented, verdict: Verdict, answers: list[str] | None) -> dict[str, Any]:
    """What a review keeps of its grading, for the author's item analysis: the verdict's
    mistake and each step's status and mistake (``storage.itemstats`` reads it), and for a
    choice card the options picked as the pack writes them (its letters change with the
    shuffle of each variant)."""
    outcome: dict[str, Any] = {
        "mistake": verdict.mistake,
        "steps": [{"status": s.status, "mistake": s.mistake} for s in verdict.steps],
    }
    if shown.card.kind == "choice" and answers and not verdict.invalid:
        order = option_order(shown.card, shown.variant)
        letters = [p.strip().lower() for p in answers[0].replace(" ", ",").split(",") if p.strip()]
        outcome["chosen"] = [shown.card.options[order[ord(p) - 97]].text for p in letters
                             if len(p) == 1 and 0 <= ord(p) - 97 < len(order)]  # fmt: skip
    return outcome


def precision_label(tolerance: Any) -> str:
    """What a numeric answer is graded at (``quizact.grading.numeric.precision_label``)."""
    from quizact.grading.numeric import precision_label as label

    return label(tolerance)
