"""Browse: every card in a searchable, sortable table; preview, suspend and unsuspend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static

from quizact.textsafe import one_line
from quizact.tui.services import STATE_NAMES, relative
from quizact.tui.widgets.footer import Footer
from quizact.tui.widgets.plain_input import PlainInput

if TYPE_CHECKING:
    from quizact.storage.cards import CardInfo
    from quizact.tui.app import QuizactApp

COLUMNS = (("card", "Card"), ("pack", "Pack"), ("kind", "Kind"), ("state", "State"), ("due", "Due"),
           ("lapses", "Lapses"), ("tags", "Tags"))  # fmt: skip
FAR = datetime.max.replace(tzinfo=None)
DEBOUNCE = 0.2  # seconds of quiet typing before the table is filtered


@dataclass(frozen=True)
class Row:
    info: CardInfo
    state: str
    haystack: str

    @property
    def key(self) -> str:
        return f"{self.info.pack_id}\x00{self.info.card_id}"


def state_of(info: CardInfo, now: datetime) -> str:
    if info.suspended:
        return "suspended"
    if info.buried_until is not None and info.buried_until > now:
        return "buried"
    name = STATE_NAMES.get(info.state, "?")
    return f"{name} (leech)" if "leech" in info.flags else name


def sort_key(column: str, row: Row) -> Any:
    info = row.info
    return {
        "card": info.card_id, "pack": info.pack_id, "kind": info.kind, "tags": ",".join(info.tags),
        "state": row.state, "lapses": info.lapses,
        "due": info.due.replace(tzinfo=None) if info.due is not None else FAR,
    }[column]  # fmt: skip


class BrowseScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("exclamation_mark", "toggle_suspend", "Suspend/unsuspend"),
        Binding("1", "sort(0)", "Sort", key_display="1‥7"),
        *[Binding(str(i + 1), f"sort({i})", show=False) for i in range(1, len(COLUMNS))],
        Binding("escape", "back", "Back"),
    ]

    app: QuizactApp

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.sort_column = "pack"
        self.reverse = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainInput(placeholder="filter: words from the id, pack, kind, tags or state   (/ to come back here)",
                    id="filter", select_on_focus=False)  # fmt: skip
        table: DataTable[Any] = DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Static("", id="browse-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="browse")
    def load(self, keep: str | None = None) -> None:
        session = self.app.wait_session()
        now = self.app.clock()
        rows = []
        for info in session.collection.cards():
            state = state_of(info, now)
            hay = " ".join((info.card_id, info.pack_id, info.kind, " ".join(info.tags), state)).lower()
            rows.append(Row(info, state, hay))
        self.app.call_from_thread(self._loaded, rows, keep)

    def _loaded(self, rows: list[Row], keep: str | None) -> None:
        self.rows = rows
        self.refill(keep)

    def visible(self) -> list[Row]:
        words = self.query_one("#filter", Input).value.lower().split()
        rows = [r for r in self.rows if all(w in r.haystack for w in words)]
        return sorted(rows, key=lambda r: sort_key(self.sort_column, r), reverse=self.reverse)

    def refill(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        now = self.app.clock()
        shown = self.visible()
        table.clear()
        for row in shown:
            info = row.info
            due = "—" if info.state == 0 or info.due is None else relative(info.due, now)
            cells = (info.card_id, info.pack_id, info.kind, row.state, due, str(info.lapses), ", ".join(info.tags))
            table.add_row(*(Text(one_line(c)) for c in cells), key=row.key)  # plain text, never markup
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep), animate=False)
            except Exception:  # noqa: BLE001 - the row was filtered out
                pass
        arrow = "▼" if self.reverse else "▲"
        label = dict(COLUMNS)[self.sort_column]
        self.query_one("#browse-status", Static).update(
            f"{len(shown)} of {len(self.rows)} cards · sorted by {label} {arrow} · Enter previews"
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.refill)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        """↓ from the filter goes to the table; a letter typed on the table starts filtering."""
        box = self.query_one("#filter", Input)
        if self.focused is box:
            if event.key == "down":
                self.query_one(DataTable).focus()
                event.stop()
        elif event.character and event.character.isalpha() and isinstance(self.focused, DataTable):
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    def action_sort(self, index: int) -> None:
        self.sort_by(COLUMNS[index][0])

    def sort_by(self, column: str) -> None:
        self.reverse = not self.reverse if column == self.sort_column else False
        self.sort_column = column
        self.refill(self._cursor_key())

    def _cursor_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _cursor_card(self) -> tuple[str, str] | None:
        key = self._cursor_key()
        if key is None:
            return None
        pack_id, card_id = key.split("\x00")
        return pack_id, card_id

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from quizact.tui.screens.preview import PreviewScreen

        card = self._cursor_card()
        if card is not None:
            self.app.push_screen(PreviewScreen(*card))

    def action_toggle_suspend(self) -> None:
        card = self._cursor_card()
        if card is not None:
            self._toggle(card)

    @work(thread=True, group="browse-write")
    def _toggle(self, card: tuple[str, str]) -> None:
        session = self.app.wait_session()
        now = self.app.clock()
        info = session.collection.card(*card)
        if info is None:
            return
        if info.suspended:
            session.study.unsuspend(*card, now)
            note = f"{card[1]} unsuspended"
        else:
            session.study.suspend(*card, now)
            note = f"{card[1]} suspended"
        self.app.call_from_thread(self.notify, one_line(note), timeout=3, markup=False)
        self.load(keep="\x00".join(card))

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
        else:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "toggle_suspend", "focus_filter") and isinstance(self.focused, Input):
            return False  # typing in the filter
        return True
