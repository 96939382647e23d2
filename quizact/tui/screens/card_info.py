"""Card info, as in Anki's browser: the card's state and memory (stability, difficulty,
retrievability now) and every past review, practice attempt and manual change; Enter on
one replays its variant (its seed) in the preview."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from quizact.textsafe import one_line
from quizact.tui.columns import clip, fit
from quizact.tui.services import RATING_NAMES, STATE_NAMES, percent, relative
from quizact.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizact.front import CardReport, HistoryEntry
    from quizact.tui.app import QuizactApp

COLUMNS = (("date", "Date"), ("type", "Type"), ("rating", "Rating"), ("verdict", "Verdict"),
           ("answer", "Answer"), ("time", "Time"), ("interval", "Interval"))  # fmt: skip
TYPES = {0: "learn", 1: "learn", 2: "review", 3: "relearn"}  # a review, by the state it was rated in
MANUAL = {"reschedule": "set due", "forget": "forget"}
DATE = "%Y-%m-%d %H:%M"


def verdict(entry: HistoryEntry) -> str:
    if entry.status == "self":
        return "self-rated"
    if entry.status == "invalid":
        return "unreadable"
    if entry.score is not None and 0 < entry.score < 1:
        return f"partial {entry.score:.0%}"
    return {"correct": "right", "incorrect": "wrong"}.get(entry.status or "", "—")


def took(ms: int | None) -> str:
    if ms is None:
        return "—"
    seconds = round(ms / 1000)
    return f"{seconds}s" if seconds < 60 else f"{seconds // 60}m{seconds % 60:02d}s"


def history_cells(entry: HistoryEntry, local: Any) -> dict[str, str]:
    """One history line as text (``local``: the collection's time zone)."""
    from datetime import timedelta

    from quizact.front import format_interval

    at = entry.at.astimezone(local).strftime(DATE)
    interval = "—" if entry.interval is None else format_interval(timedelta(seconds=entry.interval))
    if entry.kind in MANUAL:
        due = entry.due_after.astimezone(local).strftime("due %Y-%m-%d") if entry.due_after else "back to new"
        return {"date": at, "type": MANUAL[entry.kind], "rating": "—", "verdict": "—", "answer": due,
                "time": "—", "interval": interval if entry.due_after else "—"}  # fmt: skip
    kind = "practice" if entry.kind == "practice" else TYPES.get(entry.state_before or 0, "review")
    answer = " | ".join(entry.answers) if entry.answers else "—"
    rating = RATING_NAMES[entry.rating - 1] if entry.rating else "—"
    return {"date": at, "type": kind, "rating": rating, "verdict": verdict(entry), "answer": answer,
            "time": took(entry.duration_ms), "interval": interval}  # fmt: skip


def summary(report: CardReport, local: Any) -> list[str]:
    info, now = report.info, report.now
    state = STATE_NAMES.get(info.state, "?")
    if info.suspended:
        state += " (suspended)"
    if info.buried_until is not None and info.buried_until > now:
        state += " (buried until " + info.buried_until.astimezone(local).strftime(DATE) + ")"
    due = "—"
    if not info.is_new and info.due is not None:
        due = f"{relative(info.due, now)} ({info.due.astimezone(local).strftime(DATE)})"
    memory = "no memory yet (new)"
    if info.stability is not None and info.difficulty is not None:
        stability = f"{info.stability:.1f}" if info.stability >= 1 else f"{info.stability:.2g}"
        memory = (f"stability {stability} days · difficulty {info.difficulty:.1f}/10 · "
                  f"retrievability now {percent(report.retrievability)}")  # fmt: skip
    reviews = sum(e.kind == "review" for e in report.history)
    practice = sum(e.kind == "practice" for e in report.history)
    flags = ", ".join(f for f in info.flags) or "none"
    return [
        f"State {state} · due {due}",
        memory[0].upper() + memory[1:],
        f"Reviews {reviews} · lapses {info.lapses} · practice {practice} · flags {flags} · "
        f"added {info.added_at.astimezone(local).strftime('%Y-%m-%d')}",
    ]


class CardInfoScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "replay", "Replay its variant"),
        Binding("escape,q", "back", "Back"),
    ]

    app: QuizactApp

    def __init__(self, pack_id: str, card_id: str) -> None:
        super().__init__()
        self.pack_id, self.card_id = pack_id, card_id
        self.entries: list[HistoryEntry] = []
        self.report: CardReport | None = None
        self._local: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(one_line(f"{self.pack_id} / {self.card_id}"), id="info-title", markup=False)
        yield Static("Loading…", id="info-summary", markup=False)
        yield DataTable(id="info-history", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="info-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        session = self.app.wait_session()
        report = session.card_info(self.pack_id, self.card_id, self.app.clock())
        from quizact.front import zone

        local = zone(session.settings().timezone)
        self.app.call_from_thread(self._show, report, local)

    def _show(self, report: CardReport | None, local: Any) -> None:
        if report is None:
            self.query_one("#info-summary", Static).update("This card is not in the collection.")
            return
        self.report, self._local = report, local
        info = report.info
        self.query_one("#info-title", Static).update(one_line(f"{info.pack_id} / {info.card_id} · {info.kind}"))
        self.query_one("#info-summary", Static).update("\n".join(one_line(line) for line in summary(report, local)))
        self.entries = list(reversed(report.history))  # newest first, as Anki lists them
        self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        texts = [{k: one_line(v) for k, v in history_cells(e, self._local).items()} for e in self.entries]
        natural = {key: max([cell_len(label)] + [cell_len(t[key]) for t in texts]) for key, label in COLUMNS}
        room = max(self.size.width or self.app.size.width, 40) - 2 - len(COLUMNS)
        widths = fit(natural, {"answer": 1}, room, {"answer": 6})
        table.clear(columns=True)
        for key, label in COLUMNS:
            table.add_column(Text(label), width=widths[key] + 1, key=key)
        for i, text in enumerate(texts):
            table.add_row(*(Text(clip(text[k], widths[k])) for k, _ in COLUMNS), key=str(i))
        replayable = any(e.replayable for e in self.entries)
        self.query_one("#info-status", Static).update(
            (f"{n} {'entry' if n == 1 else 'entries'}, newest first" if (n := len(self.entries)) else "Never reviewed")
            + (" · Enter replays one (the same numbers)" if replayable else "")
        )

    def on_resize(self) -> None:
        if self.report is not None:
            self.refill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_replay()

    def action_replay(self) -> None:
        from quizact.tui.screens.preview import PreviewScreen

        table = self.query_one(DataTable)
        if not table.row_count:
            return
        entry = self.entries[table.cursor_row]
        if not entry.replayable:
            self.notify("That entry has no variant to replay.", timeout=3)
            return
        when = entry.at.astimezone(self._local).strftime(DATE)
        self.app.push_screen(PreviewScreen(self.pack_id, self.card_id, seed=entry.seed,
                                           answers=entry.answers, note=f"the {entry.kind} of {when}"))  # fmt: skip

    def action_back(self) -> None:
        self.dismiss()
