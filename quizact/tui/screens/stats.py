"""Statistics: a review heatmap, reviews per day, the 30-day forecast and retention."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from quizact.tui.services import percent
from quizact.tui.widgets.footer import Footer
from quizact.tui.widgets.heatmap import ReviewHeatmap

if TYPE_CHECKING:
    from quizact.tui.app import QuizactApp


def overview(stats: dict[str, Any]) -> Content:
    c = stats["counts_by_state"]
    r = stats["retention"]
    streak = stats["streak"]["days"]
    today = stats["reviews_per_day"].get(stats["forecast"][0]["date"], 0)  # the study day's date

    def ret(key: str) -> str:
        t = r[key]
        n = t["passed"] + t["failed"]
        return f"{percent(t['retention'])} ({n})" if n else "—"

    return Content.assemble(
        ("Cards  ", "bold"), f"{c['new']} new · {c['learning'] + c['relearning']} learning · {c['review']} review",
        f" · {c['suspended']} suspended · {c['buried']} buried · {c['leech']} leeches\n",
        ("Retention (last 30 days)  ", "bold"), f"all {ret('total')} · young {ret('young')} · mature {ret('mature')}",
        ("   Streak  ", "bold"), f"{streak} day{'s' if streak != 1 else ''}",
        ("\nToday  ", "bold"), f"{today} review{'s' if today != 1 else ''}",
    )  # fmt: skip


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    app: QuizactApp

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static("Counting…", id="stats-overview")
            yield Static(Content.styled("Reviews, last year", "bold"), classes="stats-title")
            yield ReviewHeatmap(id="heatmap")
            yield Horizontal(id="stats-plots")
            yield Horizontal(id="stats-plots-2")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True)
    def load(self) -> None:
        session = self.app.wait_session()
        now = self.app.clock()
        stats = session.stats(now)
        desired = session.settings().desired_retention
        from quizact.tui.widgets import plots  # plotext: loaded here, off the start-up path

        today = date.fromisoformat(stats["forecast"][0]["date"])
        per_day = stats["reviews_per_day"]
        last = [today - timedelta(days=k) for k in range(29, -1, -1)]
        reviews = plots.BarData("Reviews per day (30 days)", [d.strftime("%d") for d in last],
                                {"reviews": [per_day.get(d.isoformat(), 0) for d in last]})  # fmt: skip
        fc = stats["forecast"]
        forecast = plots.BarData("Due, next 30 days", [f["date"][8:] for f in fc],
                                 {"review": [f["review"] for f in fc],
                                  "learning": [f["learning"] for f in fc]})  # fmt: skip
        r = stats["retention"]
        names = [k for k in ("young", "mature", "total") if r[k]["retention"] is not None]
        retention = plots.BarData(f"Retention vs desired {desired:.0%}", names,
                                  {"retention %": [round(100 * r[k]["retention"], 1) for k in names]},
                                  ymax=100)  # fmt: skip
        self.app.call_from_thread(self._show, stats, today, [reviews, forecast, retention])

    def _show(self, stats: dict[str, Any], today: date, charts: list[Any]) -> None:
        from quizact.tui.widgets.plots import BarPlot

        self.query_one("#stats-overview", Static).update(overview(stats))
        self.query_one(ReviewHeatmap).show(stats["reviews_per_day"], today)
        self.query_one("#stats-plots").mount_all(
            [BarPlot(charts[0], id="plot-reviews"), BarPlot(charts[1], id="plot-forecast")]
        )
        if charts[2].labels:
            self.query_one("#stats-plots-2").mount(BarPlot(charts[2], id="plot-retention"))
        else:
            self.query_one("#stats-plots-2").mount(
                Static("Retention appears once review cards (past their learning steps) come back due.",
                       classes="stats-note")  # fmt: skip
            )
