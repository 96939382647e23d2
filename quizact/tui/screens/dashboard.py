"""The dashboard: what is due today per pack, the streak, retention, and where to go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from quizact.textsafe import one_line, visible
from quizact.tui.services import percent, relative
from quizact.tui.start import release_gc
from quizact.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizact.tui.app import QuizactApp


@dataclass(frozen=True)
class Overview:
    counts: dict[str, Any]
    retention: dict[str, Any] = field(default_factory=dict)
    next_learning: Any = None
    reviews_today: int = 0


class DashboardScreen(Screen[None]):
    BINDINGS = [
        Binding("r,enter", "app.review", "Review"),
        Binding("p", "app.practice", "Practice"),
        Binding("b", "app.browse", "Browse"),
        Binding("s", "app.stats", "Stats"),
        Binding("comma", "app.settings", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    app: QuizactApp
    _fresh = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dash-body"):
            yield Static("Opening your collection…", id="due-line")
            table: DataTable[Any] = DataTable(id="packs", cursor_type="none", zebra_stripes=True)
            table.add_column("Pack", key="pack")
            for name in ("New", "Learning", "Due"):
                table.add_column(name, key=name.lower(), width=9)
            yield table
            yield Static("", id="stats-line")
        yield Footer()

    def on_mount(self) -> None:
        first = self.app.take_first_overview()  # at start-up: read with the session, shown in the first frame
        if first is None:
            self.refresh_counts()
            return
        self._fresh = True
        self._show(self._overview(first))

    def on_screen_resume(self) -> None:
        if self._fresh:  # the figures on screen were read a moment ago (on_mount)
            self._fresh = False
            return
        self.refresh_counts()

    @work(thread=True, exclusive=True, group="dashboard")
    def refresh_counts(self) -> None:
        try:
            session = self.app.wait_session()
        except RuntimeError as exc:
            self.app.call_from_thread(self.query_one("#due-line", Static).update, Content(visible(exc)))
            return
        self.app.call_from_thread(self._show, self._overview(session.dashboard(self.app.clock())))

    @staticmethod
    def _overview(d: dict[str, Any]) -> Overview:
        return Overview(d["counts"], d["retention"], d["next_learning"], d.get("reviews_today", 0))

    def _show(self, o: Overview) -> None:
        counts = o.counts
        table = self.query_one("#packs", DataTable)
        table.clear()
        for pack_id, c in sorted(counts["packs"].items(), key=lambda kv: counts["names"].get(kv[0], kv[0])):
            table.add_row(Text(one_line(counts["names"].get(pack_id, pack_id))), *self._cells(c), key=pack_id)
        total = counts["total"]
        if len(counts["packs"]) > 1:
            table.add_row(Content.styled("All packs", "bold"), *self._cells(total), key="__total__")
        left = total["new"] + total["learning"] + total["due"]
        now = self.app.clock()
        if left:
            line = Content.assemble((f"{left} card{'s' if left != 1 else ''} to study today", "bold"),
                                    " — press r to start")  # fmt: skip
        elif o.next_learning is not None:
            line = Content.assemble(("Nothing due right now", "bold"),
                                    f" — next learning card {relative(o.next_learning, now)}; "
                                    "p to practice")  # fmt: skip
        else:
            line = Content.assemble(("All done for today", "bold"), " — p to practice without touching the schedule")
        self.query_one("#due-line", Static).update(line)
        self.call_after_refresh(release_gc)  # start-up's first meaningful frame (quizact.tui.start)
        streak = counts.get("streak", {})
        days = streak.get("days", 0)
        done = counts.get("done_today", {})
        ret = o.retention.get("total", {})
        n = ret.get("passed", 0) + ret.get("failed", 0)
        retention = f"{percent(ret.get('retention'))} of {n} reviews (30 days)" if n else "— (no reviews yet)"
        self.query_one("#stats-line", Static).update(
            Content.assemble(
                ("Streak ", "dim"), f"{days} day{'s' if days != 1 else ''}",
                ("" if streak.get("studied_today") or not days else " (study today to keep it)"),
                ("   Today ", "dim"), f"{o.reviews_today} review{'s' if o.reviews_today != 1 else ''}"
                f" ({done.get('new', 0)} new)",
                ("   Retention ", "dim"), retention,
            )  # fmt: skip
        )

    @staticmethod
    def _cells(c: dict[str, int]) -> list[Content]:
        styles = {"new": "$text-primary", "learning": "$text-warning", "due": "$text-success"}
        return [Content.styled(str(c[k]), styles[k] if c[k] else "dim") for k in ("new", "learning", "due")]
