"""The quizact app: ``run(db)`` opens it; ``QuizactApp(session)`` is what tests drive.

The app receives its session (or a factory it calls in a worker thread after the first
frame), a clock and a seed; it never builds core objects itself. Start-up imports
neither sympy nor NumPy: the session is opened, and the grading worker pre-spawned, in
threads once the first frame is up.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from quizact.sitting import PracticeRequest
from quizact.textsafe import visible
from quizact.tui import services
from quizact.tui.start import release_gc

if TYPE_CHECKING:
    from quizact.session import Session
    from quizact.sitting import Sitting

Start = Literal["dashboard", "review", "practice"]
GRADER_DELAY = 1.0  # seconds after the collection opens before the grading process starts
OPEN_WAIT = 0.2  # seconds the first frame waits for the collection to open
GC_HOLD = 2.0  # at most this many seconds without garbage collection at start-up (quizact.tui.start)
#: The app's own commands, in the command palette on every screen: title, help, target.
PALETTE = (
    ("Review", "Review the cards due today", "review"),
    ("Practice", "Drill chosen packs or tags (the schedule is not touched)", "practice"),
    ("Browse", "Find, filter and preview cards", "browse"),
    ("Stats", "Reviews per day, the forecast and retention", "stats"),
    ("Settings", "Retention, daily limits, steps and presets", "settings"),
    ("Undo", "Undo the last rating, bury or suspend, and show that card again", "undo"),
)
#: the screen each target opens (by class name: none of them is imported before it is needed)
SCREENS = {"review": "ReviewScreen", "practice": "PracticeForm", "browse": "BrowseScreen",
           "stats": "StatsScreen", "settings": "SettingsScreen"}  # fmt: skip


class QuizactApp(App[None]):
    """Dashboard, review, practice, browse, stats, settings and help over one session."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere keep it
    TITLE = "quizact"
    SUB_TITLE = "neural-network maths, spaced"
    BINDINGS = [
        Binding("question_mark", "help", "Help", show=False),
        Binding("f1", "help('syntax')", "Answer syntax", show=False),
        Binding("ctrl+t", "toggle_dark", "Light/dark", show=False),
    ]

    def __init__(
        self,
        session: Session | services.SessionFactory,
        *,
        clock: services.Clock = services.utc_now,
        seed: int | None = None,
        start: Start = "dashboard",
        practice: PracticeRequest | None = None,
        warm_grader: bool = True,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.rng = random.Random(seed)
        self.start_screen: Start = "practice" if practice is not None else start
        self.practice_request = practice
        self.warm_grader = warm_grader
        self._session_ready = threading.Event()
        self._started = threading.Event()  # the session is open and the first card drawn
        self._first_lock = threading.Lock()
        self._first: Sitting | None = None  # review start: the sitting, its first card drawn with the session
        self._first_overview: dict | None = None  # dashboard start: its figures, read with the session
        self._first_given_up = False
        self._session: Session | None = None
        self._factory: services.SessionFactory | None = None
        self.session_error: BaseException | None = None
        if callable(session):
            self._factory = session
        else:
            self._session = session  # type: ignore[assignment]
            self._session_ready.set()

    # -- the session ---------------------------------------------------------------------

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def owns_session(self) -> bool:
        return self._factory is not None

    def wait_session(self) -> Session:
        """The session, once open (call from a worker thread)."""
        self._session_ready.wait()
        if self._session is None:
            raise RuntimeError(f"the collection could not be opened: {self.session_error}")
        return self._session

    def take_first_overview(self) -> dict | None:
        """The dashboard's figures read at start-up with the session (once; None after,
        or when they were not ready in time)."""
        with self._first_lock:
            first, self._first_overview = self._first_overview, None
        return first

    def get_default_screen(self) -> Screen:
        if self.start_screen != "dashboard":  # straight to the first card: no dashboard to build yet
            return Screen(id="base")
        from quizact.tui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def on_mount(self) -> None:
        # Opening an up-to-date collection and drawing the first card take milliseconds,
        # but several times as long beside the event loop drawing a "Loading…" frame: so,
        # before there is anything to draw, they get a moment alone, and the first frame
        # shows the card. A slow open (the first run, a migration) goes on behind the
        # "Loading…" screen instead.
        # the first card or the dashboard's counts release it once drawn; this, whatever happens
        self.set_timer(GC_HOLD, release_gc)
        threading.Thread(target=self._open, name="quizact-open", daemon=True).start()
        if not self._started.wait(OPEN_WAIT):
            with self._first_lock:
                self._first_given_up = True
        if self.start_screen == "review":
            self.action_review()
        elif self.start_screen == "practice":
            self._practice_queue(self.practice_request or PracticeRequest([], []))

    def _open(self) -> None:
        """Open the session and draw the first card (in their own thread), then schedule
        the grading process."""
        if self._factory is not None:
            try:
                self._session = self._factory(self.clock())
            except Exception as exc:  # noqa: BLE001 - shown to the learner, not a traceback
                self.session_error = exc
            finally:
                self._session_ready.set()
        if self._session is not None and self.start_screen in ("review", "dashboard"):
            with self._first_lock:
                if not self._first_given_up:
                    try:
                        if self.start_screen == "review":
                            sitting = self._session.sitting(self.rng)
                            self._first = sitting if sitting.next(self.clock()) is not None else None
                        else:
                            self._first_overview = self._session.dashboard(self.clock())
                    except Exception:  # noqa: BLE001 - the screen reads again and reports
                        self._first, self._first_overview = None, None
        self._started.set()
        if self.session_error is not None:
            self.call_from_thread(
                self.notify, visible(self.session_error), title="Cannot open the collection", severity="error",
                timeout=30,
                markup=False,
            )
        skipped = self._session.problems if self._session is not None else []
        if skipped:  # broken packs: the rest of the collection is open and studied
            self.call_from_thread(
                self.notify, "\n".join(skipped), title="Some packs were skipped", severity="warning", timeout=30,
                markup=False,
            )
        if self._session is not None and self._session.backup_problem:
            self.call_from_thread(
                self.notify, self._session.backup_problem, title="Daily backup", severity="warning", timeout=30,
                markup=False,
            )
        if self.warm_grader and self._session is not None:
            # after the first card is up: the grading process then imports sympy beside it
            self.call_from_thread(self.set_timer, GRADER_DELAY, self._warm_grader)

    @work(thread=True, group="startup")
    def _warm_grader(self) -> None:
        try:
            self.wait_session().warm_up()
        except Exception:  # noqa: BLE001 - the first answer starts it again if need be
            pass

    async def action_quit(self) -> None:
        """Quit (ctrl+q); a review with a graded or saving card first saves its rating."""
        from quizact.tui.screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            self.screen.action_quit_app()  # it knows when a rating must be saved first
        else:
            self.exit()

    # -- navigation ----------------------------------------------------------------------

    def action_review(self) -> None:
        from quizact.tui.screens.review import ReviewScreen

        with self._first_lock:  # the first card drawn at start-up, once
            first, self._first = self._first, None
        self.push_screen(ReviewScreen(sitting=first))

    def practice(self, queue: list[tuple[str, str]]) -> None:
        from quizact.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(practice=queue))

    def action_practice(self) -> None:
        from quizact.tui.screens.practice import PracticeForm

        def start(request: PracticeRequest | None) -> None:
            if request is not None:
                self._practice_queue(request)

        self.push_screen(PracticeForm(), start)

    @work(thread=True, group="practice")
    def _practice_queue(self, request: PracticeRequest) -> None:
        session = self.wait_session()
        queue = session.practice_queue(self.rng, packs=request.packs or None, tags=request.tags or None,
                                       count=request.count)  # fmt: skip
        if queue:
            self.call_from_thread(self.practice, queue)
            return
        self.call_from_thread(self.notify, "No cards match those packs and tags.", severity="warning")
        if isinstance(self.screen, Screen) and self.screen.id == "base":  # started in practice
            from quizact.tui.screens.dashboard import DashboardScreen

            self.call_from_thread(self.push_screen, DashboardScreen())

    def action_browse(self) -> None:
        from quizact.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    def action_stats(self) -> None:
        from quizact.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_settings(self) -> None:
        from quizact.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_help(self, topic: Literal["keys", "syntax"] = "keys") -> None:
        """The keys (``?``) or how to type answers (F1)."""
        from quizact.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.action_topic(topic)
        else:
            self.push_screen(HelpScreen(topic))

    def action_optimize(self) -> None:
        from quizact.tui.screens.optimize import OptimizeScreen

        self.push_screen(OptimizeScreen())

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's own commands (:data:`PALETTE`) first, then every key of the current screen."""
        for title, help, target in PALETTE:
            yield SystemCommand(title, help, partial(self.palette_go, target))
        yield from super().get_system_commands(screen)
        yield SystemCommand("Light / dark", "Switch between the light and the dark theme", self.action_toggle_dark)
        yield SystemCommand(
            "Optimize FSRS parameters", "Fit the scheduler to your review history", self.action_optimize
        )
        own = {title for title, _, _ in PALETTE}
        seen: set[str] = {f"app.{target}" for target in SCREENS} | {"undo", "undo_typing", "toggle_dark"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.action in seen:
                continue
            if binding.description in own:
                continue  # listed once, above
            if not binding.show and active.node not in (screen, self):
                continue  # a widget's own hidden keys (a table's cursor moves): not commands
            seen.add(binding.action)
            node = active.node

            async def run(node: object = node, action: str = binding.action) -> None:
                await node.run_action(action)  # type: ignore[attr-defined]

            yield SystemCommand(binding.description, f"key: {self.get_key_display(binding)}", run)

    def palette_go(self, target: str) -> None:
        """A palette command, from whichever screen is up: open ``target``'s screen (a
        dialog on top gives way; the screens below keep their state), or undo."""
        from quizact.tui.screens.optimize import OptimizeScreen

        screen = self.screen
        if isinstance(screen, OptimizeScreen) and screen.running:
            self.notify("The fit is still running; the dialog closes once it ends.", severity="warning")
            return
        if target == "undo":
            self._palette_undo(screen)
            return
        if type(screen).__name__ == SCREENS[target] and not getattr(screen, "practice", False):
            title = next(t for t, _, name in PALETTE if name == target)
            self.notify(f"{title} is already open.", timeout=3)
            return
        if isinstance(screen, ModalScreen):
            screen.dismiss(None)
        getattr(self, f"action_{target}")()

    def _palette_undo(self, screen: Screen) -> None:
        from quizact.tui.screens.review import ReviewScreen

        if not isinstance(screen, ReviewScreen):
            self._undo_elsewhere()
        elif screen.practice:
            self.notify("Practice does not change the schedule: there is nothing here to undo.", timeout=4)
        elif screen.phase in ("loading", "saving"):
            self.notify("A moment: the card is still being saved or drawn.", timeout=3)
        else:
            screen.action_undo()  # as u: a graded card is rated first

    @work(thread=True, group="palette")
    def _undo_elsewhere(self) -> None:
        try:
            can = self.wait_session().can_undo()
        except RuntimeError as exc:  # the collection could not be opened
            self.call_from_thread(self.notify, visible(exc), severity="error", markup=False)
            return
        if not can:
            self.call_from_thread(self.notify, "Nothing to undo.", timeout=3)
            return
        self.call_from_thread(self._review_undo)

    def _review_undo(self) -> None:
        from quizact.tui.screens.review import ReviewScreen

        if isinstance(self.screen, ModalScreen):
            self.screen.dismiss(None)
        self.push_screen(ReviewScreen(undo=True))


def run(db: str | None = None, start: Start = "dashboard", *, tags: Iterable[str] | None = None,
        packs: Iterable[str] | None = None, count: int = 20, timezone: str | None = None) -> None:  # fmt: skip
    """Open the app on the collection ``db`` (None: the default one).

    ``start``: ``"dashboard"`` (``quizact``), ``"review"`` (straight to the first due
    card: ``quizact review``) or ``"practice"`` (``quizact practice --tag T --pack P
    --count N``: a drill of those cards; the schedule is not touched). ``timezone`` is
    stored when the collection is created (the machine's zone, as the CLI passes it).
    """

    def open_session(now):  # type: ignore[no-untyped-def]
        from quizact.session import Session

        return Session.open(db, now, timezone=timezone)

    practice = PracticeRequest(list(packs or ()), list(tags or ()), count) if start == "practice" else None
    app = QuizactApp(open_session, start=start, practice=practice)
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
