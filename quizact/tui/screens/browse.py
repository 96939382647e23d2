"""Browse: every card in a searchable, sortable table that fits the screen; preview, card
info, and Anki's browser actions on the card under the cursor (suspend, set due date,
forget, unbury, flags), each saved before the table shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Static

from quizact.textsafe import one_line
from quizact.tui.columns import clip, fit
from quizact.tui.services import STATE_NAMES, relative
from quizact.tui.widgets.footer import Footer
from quizact.tui.widgets.plain_input import PlainInput

if TYPE_CHECKING:
    from quizact.front import CardInfo
    from quizact.tui.app import QuizactApp

COLUMNS = (("card", "Card"), ("pack", "Pack"), ("kind", "Kind"), ("state", "State"), ("due", "Due"),
           ("lapses", "Lapses"), ("tags", "Tags"), ("flag", "Flag"))  # fmt: skip
#: columns that share the room left by the others (by weight), cut with an ellipsis
FLEXIBLE = {"card": 4, "pack": 2, "tags": 2}
MIDDLE = frozenset({"card", "pack"})  # ids are cut in the middle: those alike but for their end stay apart
FLAGS = ("red", "orange", "green", "blue")  # as quizact.reschedule.FLAGS (kept off the start-up path)
FLAG_STYLE = {"red": "bold red", "orange": "bold dark_orange", "green": "bold green", "blue": "bold blue"}
SCROLLBAR = 2  # cells the table's vertical scrollbar takes
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

    @property
    def flag(self) -> str:
        return next((f for f in self.info.flags if f in FLAGS), "")

    @property
    def tags(self) -> str:
        leech = ("leech",) if "leech" in self.info.flags else ()
        return ", ".join(leech + self.info.tags)


def state_of(info: CardInfo, now: datetime) -> str:
    if info.suspended:
        return "suspended"
    if info.buried_until is not None and info.buried_until > now:
        return "buried"
    return STATE_NAMES.get(info.state, "?")


def sort_key(column: str, row: Row) -> Any:
    info = row.info
    return {
        "card": info.card_id, "pack": info.pack_id, "kind": info.kind, "tags": row.tags,
        "state": row.state, "lapses": info.lapses, "flag": (not row.flag, FLAGS.index(row.flag) if row.flag else 0),
        "due": info.due.replace(tzinfo=None) if info.due is not None else FAR,
    }[column]  # fmt: skip


def cells(row: Row, now: datetime) -> dict[str, str]:
    info = row.info
    due = "—" if info.state == 0 or info.due is None else relative(info.due, now)
    return {"card": info.card_id, "pack": info.pack_id, "kind": info.kind, "state": row.state, "due": due,
            "lapses": str(info.lapses), "tags": row.tags, "flag": row.flag}  # fmt: skip


class BrowseScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", show=False),
        Binding("i", "info", "Info"),
        Binding("d", "due", "Due"),
        Binding("r", "forget", "Forget"),
        Binding("f", "cycle_flag", "Flag"),
        *[Binding(f"ctrl+{i + 1}", f"flag('{name}')", f"Flag {name}", show=False) for i, name in enumerate(FLAGS)],
        Binding("exclamation_mark", "toggle_suspend", "Suspend"),
        Binding("u", "unbury", "Unbury"),
        Binding("1", "sort(0)", "Sort", key_display="1‥8", show=False),
        *[Binding(str(i + 1), f"sort({i})", show=False) for i in range(1, len(COLUMNS))],
        Binding("escape", "back", "Back"),
    ]
    #: keys that act on the table; any other letter typed there starts the filter
    ACTION_LETTERS = frozenset("idrfu")

    app: QuizactApp

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.sort_column = "pack"
        self.reverse = False
        self._timer: Timer | None = None
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield PlainInput(placeholder="filter by id, pack, kind, tags, flags or state   (/ returns here)",
                    id="filter", select_on_focus=False)  # fmt: skip
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True, cell_padding=0)
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
        for info in session.cards():
            state = state_of(info, now)
            hay = " ".join((info.card_id, info.pack_id, info.kind, " ".join(info.tags), " ".join(info.flags), state))
            rows.append(Row(info, state, hay.lower()))
        self.app.call_from_thread(self._loaded, rows, keep)

    def _loaded(self, rows: list[Row], keep: str | None) -> None:
        self.rows = rows
        self.refill(keep)

    def visible(self) -> list[Row]:
        words = self.query_one("#filter", Input).value.lower().split()
        rows = [r for r in self.rows if all(w in r.haystack for w in words)]
        return sorted(rows, key=lambda r: sort_key(self.sort_column, r), reverse=self.reverse)

    def _fit(self, shown: list[dict[str, str]]) -> dict[str, int]:
        """Each column's width at this screen width: every column whole but the flexible
        ones, which share the rest (one blank cell separates columns)."""
        natural = {key: max([cell_len(label)] + [cell_len(c[key]) for c in shown]) for key, label in COLUMNS}
        room = max(self.size.width or self.app.size.width, 40) - SCROLLBAR - len(COLUMNS)
        least = {key: cell_len(label) for key, label in COLUMNS}
        return fit(natural, FLEXIBLE, room, least)

    def refill(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        now = self.app.clock()
        shown = self.visible()
        texts = [{k: one_line(v) for k, v in cells(row, now).items()} for row in shown]
        widths = self._fit(texts)
        if widths != self._widths or not table.columns:
            table.clear(columns=True)
            for key, label in COLUMNS:
                table.add_column(Text(clip(label, widths[key])), width=widths[key] + 1, key=key)
            self._widths = widths
        else:
            table.clear()
        for row, text in zip(shown, texts):
            out = [Text(clip(text[k], widths[k], middle=k in MIDDLE)) for k, _ in COLUMNS]  # plain text, never markup
            if row.flag:
                out[-1].stylize(FLAG_STYLE[row.flag])
            table.add_row(*out, key=row.key)
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep), animate=False)
            except Exception:  # noqa: BLE001 - the row was filtered out
                pass
        arrow = "▼" if self.reverse else "▲"
        label = dict(COLUMNS)[self.sort_column]
        self.query_one("#browse-status", Static).update(
            f"{len(shown)} of {len(self.rows)} cards · sorted by {label} {arrow} (1‥8) · Enter previews · / filters"
        )

    def on_resize(self, event: events.Resize) -> None:
        if self.rows:
            self.refill(self._cursor_key())

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.refill)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        """↓ from the filter goes to the table; a letter typed on the table (other than an
        action's) starts filtering."""
        box = self.query_one("#filter", Input)
        if self.focused is box:
            if event.key == "down":
                self.query_one(DataTable).focus()
                event.stop()
        elif (event.character and event.character.isalpha() and event.character not in self.ACTION_LETTERS
              and isinstance(self.focused, DataTable)):  # fmt: skip
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

    def _cursor_row(self) -> Row | None:
        key = self._cursor_key()
        return next((r for r in self.rows if r.key == key), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from quizact.tui.screens.preview import PreviewScreen

        card = self._cursor_card()
        if card is not None:
            self.app.push_screen(PreviewScreen(*card))

    # -- the card under the cursor ---------------------------------------------------------

    def action_info(self) -> None:
        from quizact.tui.screens.card_info import CardInfoScreen

        card = self._cursor_card()
        if card is not None:
            self.app.push_screen(CardInfoScreen(*card), lambda _: self.load(keep="\x00".join(card)))

    def action_due(self) -> None:
        from quizact.tui.screens.card_dialogs import DueDateDialog

        card = self._cursor_card()
        if card is not None:
            self.app.push_screen(DueDateDialog(*card), lambda done: self._changed(card, done))

    def action_forget(self) -> None:
        from quizact.tui.screens.card_dialogs import Confirm

        card = self._cursor_card()
        if card is None:
            return
        question = (f"Forget {card[1]}? It goes back to new (its history is kept; "
                    "undo in Review brings it back).")  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(card, "forget")

        self.app.push_screen(Confirm(one_line(question), "Forget"), answered)

    def action_unbury(self) -> None:
        card = self._cursor_card()
        if card is not None:
            self._write(card, "unbury")

    def action_cycle_flag(self) -> None:
        row = self._cursor_row()
        if row is not None:
            order = ["", *FLAGS]
            self._write((row.info.pack_id, row.info.card_id), "flag", order[(order.index(row.flag) + 1) % len(order)])

    def action_flag(self, name: str) -> None:
        row = self._cursor_row()
        if row is not None:
            self._write((row.info.pack_id, row.info.card_id), "flag", "" if row.flag == name else name)

    def action_toggle_suspend(self) -> None:
        card = self._cursor_card()
        if card is not None:
            self._write(card, "suspend")

    def _changed(self, card: tuple[str, str], note: str | None) -> None:
        if note:
            self.notify(one_line(note), timeout=3, markup=False)
            self.load(keep="\x00".join(card))

    @work(thread=True, group="browse-write")
    def _write(self, card: tuple[str, str], what: str, flag: str = "") -> None:
        """Save one change (committed before the table is reloaded to show it); a change
        that cannot be saved (another quizact holds the collection) is said in one line."""
        session = self.app.wait_session()
        now = self.app.clock()
        try:
            note = self._save(session, card, what, flag, now)
        except Exception as exc:  # noqa: BLE001 - e.g. CollectionLocked: nothing was saved
            self.app.call_from_thread(self.notify, one_line(f"Not saved: {exc}"), severity="error", timeout=6,
                                      markup=False)  # fmt: skip
            return
        if note is not None:
            self.app.call_from_thread(self._changed, card, note)

    @staticmethod
    def _save(session: Any, card: tuple[str, str], what: str, flag: str, now: datetime) -> str | None:
        info = session.card(*card)
        if info is None:
            return None
        if what == "forget":
            session.forget(*card, now)
            return f"{card[1]} is new again"
        if what == "unbury":
            return f"{card[1]} unburied" if session.unbury(*card, now) else f"{card[1]} was not buried"
        if what == "flag":
            session.set_flag(*card, flag or None, now)
            return f"{card[1]} flagged {flag}" if flag else f"{card[1]} unflagged"
        if info.suspended:
            session.unsuspend_card(*card, now)
            return f"{card[1]} unsuspended"
        session.suspend_card(*card, now)
        return f"{card[1]} suspended"

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
        else:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "back" and isinstance(self.focused, Input):
            return False  # typing in the filter
        return True
