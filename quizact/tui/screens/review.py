"""The review screen: the sitting around one card at a time.

Phases: ``loading`` → ``answering`` (the card view grades in a worker thread) →
``graded`` → ``saving`` (the rating commits in a worker thread; only once it is on disk
does the "N done" count change and the next card get drawn) … → ``done`` (the
end-of-session summary). The status line counts as Anki does, new · learning · review
left today (from the session, recounted after every rating, bury, suspend and undo, the
card on screen still counted and its group marked). While another process holds the
collection's write lock the status line says "waiting for another quizact…" and the
save is retried, for as long as
it takes (bury, suspend and undo wait the same way); quitting meanwhile says whether the
rating was saved. Leaving a graded card (Esc, q) saves its proposed rating first
(undoable); undo brings a card back as it was rated. The same screen drills a practice
list (``practice=[(pack_id, card_id), …]``): ratings are logged, the schedule is untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from quizact.front import kind_of
from quizact.sitting import Outlook, Tally
from quizact.textsafe import visible
from quizact.tui.services import RATING_NAMES
from quizact.tui.widgets.card_view import CardView
from quizact.tui.widgets.footer import Footer
from quizact.tui.widgets.rating_bar import RatingBar
from quizact.tui.widgets.session_info import ReviewStatus, SessionSummary

if TYPE_CHECKING:
    from quizact.front import QueueCounts
    from quizact.session import Presented, Session, Undone
    from quizact.sitting import Sitting
    from quizact.tui.app import QuizactApp

WIDE = 100  # columns from which a card's plot is shown beside the prompt by default
#: actions whose keys an answer box takes as text while it has focus
TYPED_KEYS = ("explain", "retry", "toggle_plot", "undo", "bury", "suspend", "check_again", "quit_app")


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer"),
        Binding("enter", "accept", "Accept"),
        Binding("space", "accept", "Accept", show=False),
        Binding("enter", "focus_answer", "Answer"),
        Binding("1", "rate(1)", "Again", show=False),  # the rating bar shows 1–4
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("e", "explain", "Explain"),
        Binding("t", "retry", "Try again"),
        Binding("g", "toggle_plot", "Plot"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo_typing", "Undo"),
        Binding("minus", "bury", "Bury"),
        Binding("exclamation_mark", "suspend", "Suspend"),
        Binding("r", "check_again", "Check again"),
        Binding("q", "quit_app", "Quit"),
        Binding("f1", "syntax", "Syntax"),  # the app's F1, listed where answers are typed
        Binding("escape", "leave_box", "Leave box"),  # the same key, worded for the answer box
        Binding("escape", "leave", "Back"),
    ]

    app: QuizactApp

    def __init__(self, *, practice: list[tuple[str, str]] | None = None, first: Presented | None = None,
                 undo: bool = False, sitting: Sitting | None = None) -> None:  # fmt: skip
        """``first``: a card already drawn to show without a loading frame; ``sitting``: one
        opened (at start-up, its first card drawn) to go on with; ``undo``: start by undoing
        the last action (the command palette's Undo), as ``u`` does."""
        super().__init__(classes="-practice" if practice is not None else "")
        self.practice_list = practice
        self.first = first
        self.undo_first = undo and practice is None
        self.sitting = sitting  # opened once the session is (the cards, the attempt, the tally)
        self.phase = "loading"
        self.shown: Presented | None = None
        self.left: int | None = None
        self.counts: QueueCounts | None = None  # review: new · learning · review (None in practice)
        self._no_tally = Tally()  # shown until the sitting is open
        self.waiting = ""  # the status line's note while a save waits for the lock
        self._quitting = False  # quit while a save waits: it stops waiting

    @property
    def practice(self) -> bool:
        return self.practice_list is not None

    @property
    def tally(self) -> Tally:
        """What this sitting has done: ratings count once they are on disk."""
        return self.sitting.tally if self.sitting is not None else self._no_tally

    def _open_sitting(self, session: Session) -> Sitting:
        """The sitting (opened on first use, from a worker thread once the session is open)."""
        if self.sitting is None:
            self.sitting = session.sitting(self.app.rng, self.practice_list)
        return self.sitting

    def compose(self) -> ComposeResult:
        yield ReviewStatus(id="status")
        with VerticalScroll(id="review-body"):
            yield Static("Loading…", id="loading")
        yield Footer()

    async def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)
        if self.first is not None:  # drawn from an open session
            self.sitting = self.app.wait_session().sitting(self.app.rng, self.practice_list, shown=self.first)
            self.first = None
        if self.undo_first:
            self._undo()
            return
        first = self.sitting.shown if self.sitting is not None else None
        if first is None:
            self._advance()
            return
        await self._show(first, None, Outlook(), None, "")
        self._count_left()

    @work(thread=True, group="review")
    def _count_left(self) -> None:
        try:
            sitting, now = self._open_sitting(self.app.wait_session()), self.app.clock()
            left, counts = self._left(sitting, now)
        except Exception:  # noqa: BLE001 - the count is shown with the next card instead
            return
        self.app.call_from_thread(self._set_left, left, counts)

    @staticmethod
    def _left(sitting: Sitting, now: Any) -> tuple[int, QueueCounts | None]:
        """Cards left and (review) Anki's three numbers, the card shown still counted."""
        counts = sitting.counts(now)
        return (counts.total if counts is not None else sitting.left(now)), counts

    def _tick(self) -> None:
        status = self.query(ReviewStatus)
        if not status:
            return  # the screen is closing
        card = f"{self.shown.pack_id}/{self.shown.card_id}" if self.shown and self.phase != "done" else ""
        elapsed = self.tally.elapsed(self.app.clock())
        status.first().show(self.practice, self.tally.done, self.left, elapsed, card, self.waiting,
                            counts=self.counts)

    def _set_phase(self, phase: str) -> None:
        if phase != self.phase:
            self.phase = phase
            self.refresh_bindings()

    @property
    def _body(self) -> VerticalScroll:
        return self.query_one("#review-body", VerticalScroll)

    def _focus_body(self) -> None:
        """Keys to the screen (rate, undo, …) and arrows/PgDn to scroll the card."""
        self._body.focus(scroll_visible=False)

    @property
    def card_view(self) -> CardView:
        return self.query_one(CardView)

    # -- the next card (worker threads) ---------------------------------------------------

    @work(thread=True, group="review")
    def _advance(self, action: Callable[[Sitting, Any], Any] | None = None, note: str = "",
                 rated: bool = False, then: Callable[[], None] | None = None) -> None:  # fmt: skip
        """Run ``action`` (a rating, bury, …) then draw the next card, all off the event loop.

        A rating (``rated``) counts in the sitting's tally once ``action`` has returned,
        i.e. is on disk; ``then`` (leaving, quitting) runs instead of drawing the next card.
        """
        try:
            session, now = self.app.wait_session(), self.app.clock()
            sitting = self._open_sitting(session)
            result = action(sitting, now) if action is not None else None
        except Exception as exc:  # noqa: BLE001 - report, keep the app alive
            try:
                self.app.call_from_thread(self._not_saved if rated else self._failed, exc)
            except RuntimeError:  # the app has closed meanwhile
                pass
            return
        if rated:
            try:  # the rated card has left its group (or moved to learning)
                after = sitting.counts(now)
            except Exception:  # noqa: BLE001 - recounted with the next card
                after = None
            self.app.call_from_thread(self._counted, after)
        if self._quitting:
            then = self.app.exit
        if then is not None:
            self.app.call_from_thread(then)
            return
        try:
            shown = sitting.next(now)
            outlook = sitting.outlook(now) if shown is None else Outlook()
            left, counts = self._left(sitting, now)
        except Exception as exc:  # noqa: BLE001 - report, keep the app alive
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, shown, left, outlook, result, note, counts=counts)

    @work(thread=True, group="review")
    def _undo(self) -> None:
        try:
            sitting, now = self._open_sitting(self.app.wait_session()), self.app.clock()
            undone = sitting.undo(now, self._waiting_for_lock)
            shown = sitting.next(now)
            left, counts = self._left(sitting, now)
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._failed, exc)
            return
        entry = undone.entry if undone is not None else None
        note = f"Undid {entry.action} of {entry.card_id}" if entry else "Nothing to undo"
        restore = undone if undone is not None and undone.shown is shown else None
        self.app.call_from_thread(self._show, shown, left, Outlook(), None, note, restore, counts=counts)

    def _waiting_for_lock(self, seconds: float) -> bool:
        """Called by a save waiting for another process's lock (from its worker thread):
        say so, and go on waiting unless the learner quit."""
        if self._quitting or get_current_worker().is_cancelled:
            return False
        try:
            self.app.call_from_thread(self._set_waiting, f"waiting for another quizact… {seconds:.0f} s")
        except RuntimeError:  # the app is closing
            return False
        return True

    def _set_waiting(self, note: str) -> None:
        self.waiting = note
        self._tick()

    def _counted(self, counts: QueueCounts | None = None) -> None:
        """A rating is on disk, and counted: ``counts``, taken after it, are shown."""
        self.waiting = ""
        if counts is not None:
            self.counts, self.left = counts, counts.total
        self._tick()

    def _not_saved(self, exc: Exception) -> None:
        """A rating could not be saved: the card stays, graded, to be rated again."""
        self.waiting = ""
        if self._quitting:
            self.app.exit(message="Your last rating was not saved: another quizact held the collection.")
            return
        self._set_phase("graded")
        self._tick()
        self.notify(f"Not saved — {exc}. Rate again to retry.", title="Rating not saved", severity="error", timeout=8)

    def _set_left(self, left: int | None, counts: QueueCounts | None = None) -> None:
        self.left, self.counts = left, counts
        self._tick()

    def _failed(self, exc: Exception) -> None:
        self.waiting = ""
        self._set_phase("answering" if self.shown else "done")
        if self.app.session_error is not None and self.shown is None:  # the app has said why
            loading = self.query("#loading")
            if loading:
                loading.first(Static).update(Content(visible(
                    f"No cards: the collection could not be opened ({self.app.session_error}). Press Esc."
                )))
            return
        message = visible(f"{type(exc).__name__}: {exc}")  # may quote pack text: shown plain
        self.notify(message, title="Something went wrong", severity="error", timeout=8, markup=False)

    def on_card_view_failed(self, message: CardView.Failed) -> None:
        self._failed(message.error)

    async def _show(self, shown: Presented | None, left: int | None, outlook: Outlook, result: Any,
                    note: str, restore: Undone | None = None, *,
                    counts: QueueCounts | None = None) -> None:  # fmt: skip
        if not self.is_attached:
            return  # left (or quit) while the card was being drawn
        if self._quitting:  # the rating was saved just as quit was pressed
            self.app.exit()
            return
        self.shown, self.left, self.counts, self.waiting = shown, left, counts, ""
        if getattr(result, "leech", False):
            done = "has been suspended" if getattr(result, "suspended", True) else "is tagged, not suspended"
            self.notify(f"This card keeps lapsing: it is a leech and {done}.", severity="warning")
        elif note:
            self.notify(note, timeout=3)
        body = self._body
        await body.remove_children()
        if not self.is_attached:
            return
        if self.tally.started is None:
            self.tally.started = self.app.clock()
        if shown is None:
            summary = SessionSummary(id="summary")
            await body.mount(summary)
            summary.show(self.tally, self.app.clock(), outlook, self.practice)
            self._set_phase("done")
        else:
            assert self.sitting is not None  # the card came from it
            view = CardView(shown, self.sitting, practice=self.practice)
            view.set_class(self.size.width >= WIDE, "-plot-on")
            await body.mount(view)
            body.scroll_home(animate=False)
            self._set_phase("answering")
            view.focus_answer()
            if kind_of(shown.card).self_rated:
                self._focus_body()
            if restore is not None:
                await view.restore(restore.answers, restore.graded, restore.revealed)
            if getattr(shown.card, "plot", None) is not None or getattr(shown.card, "network", None):
                self._load_plot(shown)
        self._tick()

    @work(thread=True, group="plot")
    def _load_plot(self, shown: Presented) -> None:
        data = self.app.wait_session().plot_data(shown)  # NumPy: never before the first frame
        if data is not None:
            self.app.call_from_thread(self._mount_plot, shown, data)

    def _mount_plot(self, shown: Presented, data: Any) -> None:
        if self.shown is shown and self.is_attached:
            from quizact.tui.widgets.plots import LinePlot

            self.card_view.mount_plot(LinePlot(data, id="plot"))
            self.refresh_bindings()

    def on_card_view_answered(self, message: CardView.Answered) -> None:
        self._focus_body()
        self._set_phase("graded")

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase, kind = self.phase, kind_of(self.shown.card) if self.shown else None
        graded = phase == "graded"
        typing = isinstance(self.focused, Input)
        if action == "undo_typing":
            return typing and not self.practice and phase in ("answering", "done")
        if self.app.session_error is not None and action in ("undo", "check_again"):
            return False  # no collection to act on
        if typing and action in TYPED_KEYS:
            return False
        if action == "reveal":
            return phase == "answering" and kind is not None and kind.self_rated
        if action == "focus_answer":
            return phase == "answering" and not (kind and kind.self_rated) and self.focused in (None, self._body)
        if action in ("accept", "rate", "explain"):
            return graded
        if action == "retry":
            view = self.card_view if graded else None
            return view is not None and kind is not None and kind.retries and \
                view.graded is not None and view.graded.verdict.status != "correct"  # fmt: skip
        if action == "toggle_plot":
            return phase in ("answering", "graded") and bool(self.query("#plot"))
        if action == "undo":
            return not self.practice and phase in ("answering", "graded", "done")  # graded: asks
        if action in ("bury", "suspend"):
            return not self.practice and phase in ("answering", "graded")
        if action == "check_again":
            return phase == "done" and not self.practice
        if action == "quit_app":
            return phase in ("done", "graded", "saving")
        if action == "syntax":
            # cards answered in boxes (typed answers): F1 shows how to type them
            return phase == "answering" and self.shown is not None and bool(kind and kind.items(self.shown.card))
        if action == "leave_box":
            return typing and phase != "saving"
        if action == "leave":
            return phase != "saving" and not typing
        return True

    async def action_reveal(self) -> None:
        await self.card_view.reveal()

    def action_accept(self) -> None:
        self.action_rate(self.card_view.proposed)

    def action_focus_answer(self) -> None:
        self.card_view.focus_answer()

    def on_rating_bar_chosen(self, message: RatingBar.Chosen) -> None:
        if self.phase == "graded":
            self.action_rate(message.rating)

    def action_rate(self, rating: int, then: Callable[[], None] | None = None) -> None:
        """Save ``rating``; it counts, and the next card comes (or ``then`` runs), once saved."""
        if self.phase != "graded" or self.shown is None:
            return
        self._set_phase("saving")
        waiting = self._waiting_for_lock  # the sitting saves its own attempt at the card shown
        self._advance(lambda sitting, now: sitting.rate(rating, now, waiting), rated=True, then=then)

    def _save_proposed(self, then: Callable[[], None], *, say: bool = True) -> None:
        """Leaving a graded card: its proposed rating is saved first (undoable), then
        ``then`` runs; ``say``: tell the learner once it is saved."""
        rating, card_id = self.card_view.proposed, self.shown.card_id if self.shown else "the card"

        def saved() -> None:
            if say and not self.practice:
                self.app.notify(f"{card_id} saved as {RATING_NAMES[rating - 1]} (u in Review undoes it)", timeout=4)
            then()

        self.action_rate(rating, then=saved)

    def action_explain(self) -> None:
        self.card_view.toggle_explain()

    def action_retry(self) -> None:
        self.card_view.retry()
        self._set_phase("answering")

    def action_toggle_plot(self) -> None:
        self.card_view.toggle_class("-plot-on")

    def action_bury(self) -> None:
        self._set_phase("loading")
        self._advance(lambda sitting, now: sitting.bury(now, self._waiting_for_lock),
                      "Buried until tomorrow (ctrl+z to undo)")

    def action_suspend(self) -> None:
        self._set_phase("loading")
        self._advance(lambda sitting, now: sitting.suspend(now, self._waiting_for_lock),
                      "Suspended until unsuspended in Browse (ctrl+z to undo)")

    def action_check_again(self) -> None:
        self._set_phase("loading")
        self._advance()

    def action_undo(self) -> None:
        if self.phase == "graded":  # a graded attempt cannot be dodged by going back
            self.notify("Rate this card first (Enter saves the proposed rating); then u brings it back.",
                        title="This card is graded", timeout=5)  # fmt: skip
            return
        self._set_phase("loading")
        self._undo()

    def action_undo_typing(self) -> None:
        self.action_undo()

    def action_quit_app(self) -> None:
        if self.phase == "graded":
            self._save_proposed(self.app.exit, say=False)
        elif self.phase == "saving":
            self._quitting = True  # the save stops waiting; the app says whether it was saved
            self.waiting = "quitting once the rating is saved or given up…"
            self._tick()
        else:
            self.app.exit()

    def action_leave(self) -> None:
        if self.phase == "graded" and not isinstance(self.focused, Input):
            self._save_proposed(self._leave)
            return
        self._leave()

    def action_syntax(self) -> None:
        self.app.action_help("syntax")

    def action_leave_box(self) -> None:
        self.action_leave()

    def _leave(self) -> None:
        if isinstance(self.focused, Input):
            self._focus_body()  # out of the answer box: the review keys work again
        elif len(self.app.screen_stack) > 2 or self.app.screen_stack[0].id != "base":
            self.dismiss()
        else:  # opened straight into review: the dashboard comes next
            from quizact.tui.screens.dashboard import DashboardScreen

            self.app.switch_screen(DashboardScreen())
