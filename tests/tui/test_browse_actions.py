"""Browse's actions on the card under the cursor — flag, set due date, forget, unbury —
each saved through the Session, and shown in the table only once it is on disk."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from textual.widgets import Input

from quizact.scheduling import Rating
from tests import inside

from .browse_support import NOW, SIZES, open_browse_on, rendered, review, row_of
from .conftest import PACK, drive, make_app, settle, until

CARD = ["card", "pack", "kind", "state", "due", "lapses", "tags", "flag"]


def cell(app, card_id: str, column: str) -> str:
    return row_of(app.screen, card_id)[CARD.index(column)]


def toasts(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def stored(session, card_id: str) -> dict:
    return inside.collection(session).card_row(PACK, card_id)


class Held:
    """Another connection holding the collection's write lock, as another quizact would."""

    def __init__(self, session) -> None:
        self.conn = sqlite3.connect(inside.collection(session).path, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


async def wait_a_little(pilot, rounds: int = 15) -> None:
    for _ in range(rounds):
        await pilot.pause(0.02)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_flags_are_saved_then_shown_in_the_flag_column(session, clock, size):
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "relu-def")
        held = Held(session)
        await pilot.press("f")
        await wait_a_little(pilot)
        assert cell(app, "relu-definition", "flag") == ""  # not on disk yet: not shown
        held.release()
        assert await until(pilot, lambda: cell(app, "relu-definition", "flag") == "red")
        assert stored(session, "relu-definition")["flags"] == '["red"]'
        assert "red" in rendered(app).splitlines()[5]  # the first row, its Flag column
        await pilot.press("f")  # f cycles: red → orange
        assert await until(pilot, lambda: cell(app, "relu-definition", "flag") == "orange")
        await pilot.press("ctrl+4")  # Anki's ctrl+4: blue
        assert await until(pilot, lambda: cell(app, "relu-definition", "flag") == "blue")
        await pilot.press("ctrl+4")  # again: off
        assert await until(pilot, lambda: cell(app, "relu-definition", "flag") == "")
        assert stored(session, "relu-definition")["flags"] == "[]"
        await pilot.press("escape")  # from the filter's words the flag is searchable too
        await settle(pilot)

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_set_due_date_from_the_dialog(session, clock, size):
    review(session, "relu-definition", Rating.Easy, NOW)  # a review card, due in 8 days
    clock.now = NOW + timedelta(hours=1)
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "relu-def")
        assert cell(app, "relu-definition", "due") == "in 8d"
        before = stored(session, "relu-definition")
        await pilot.press("d")
        await settle(pilot)
        box = app.screen.query_one("#due-input", Input)
        box.value = "next week"
        await pilot.press("enter")
        assert await until(pilot, lambda: "Type a number of days" in rendered(app))
        assert "(you typed next week)" in rendered(app)
        assert stored(session, "relu-definition") == before  # nothing saved
        box.value = "3"
        held = Held(session)
        await pilot.press("enter")
        await wait_a_little(pilot)
        assert type(app.screen).__name__ == "DueDateDialog"  # still waiting for the disk
        held.release()
        assert await until(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
        assert await until(pilot, lambda: cell(app, "relu-definition", "due") == "in 3d")
        after = stored(session, "relu-definition")
        assert after["due"] == "2026-03-05T16:30:00.000000+00:00"  # 3 study days on, at this hour
        assert after["stability"] == before["stability"] and after["last_review"] == before["last_review"]
        assert inside.collection(session).query("SELECT action FROM card_log") == [("reschedule",)]
        assert inside.collection(session).query("SELECT count(*) FROM reviews") == [(1,)]

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_forget_asks_first_then_the_card_is_new(session, clock, size):
    review(session, "relu-definition", Rating.Good, NOW)
    clock.now = NOW + timedelta(minutes=1)
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "relu-def")
        assert cell(app, "relu-definition", "state") == "learning"
        await pilot.press("r")
        await settle(pilot)
        assert "Forget relu-definition? It goes back to new" in rendered(app)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert stored(session, "relu-definition")["state"] == 1
        held = Held(session)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await wait_a_little(pilot)
        assert cell(app, "relu-definition", "state") == "learning"  # not committed: not shown
        held.release()
        assert await until(pilot, lambda: cell(app, "relu-definition", "state") == "new")
        assert cell(app, "relu-definition", "due") == "—"
        row = stored(session, "relu-definition")
        assert (row["state"], row["stability"], row["due"], row["reps"]) == (0, None, None, 1)
        assert inside.collection(session).query("SELECT action, state_before FROM card_log") == [("forget", 1)]

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_unbury_brings_a_buried_card_back(session, clock, size):
    inside.study(session).bury(PACK, "sigmoid-range", NOW)
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "sigmoid-range")
        assert cell(app, "sigmoid-range", "state") == "buried"
        held = Held(session)
        await pilot.press("u")
        await wait_a_little(pilot)
        assert cell(app, "sigmoid-range", "state") == "buried"
        held.release()
        assert await until(pilot, lambda: cell(app, "sigmoid-range", "state") == "new")
        assert stored(session, "sigmoid-range")["buried_until"] is None

    drive(app, scenario, size=size)


def test_action_letters_act_and_other_letters_still_start_the_filter(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("f")  # an action: the first card (pack order) is flagged, no filter typed
        assert await until(pilot, lambda: stored(session, "relu-definition")["flags"] == '["red"]')
        assert app.screen.query_one("#filter", Input).value == ""
        await pilot.press("s", "i")  # "s" is no action: it starts the filter, "i" is then typed
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "si"

    drive(app, scenario)


def test_a_change_that_cannot_be_saved_is_said_in_one_line_and_not_shown(session, clock):
    inside.collection(session).busy_timeout_ms = 100  # give up on another writer's lock quickly
    inside.collection(session).conn.execute("PRAGMA busy_timeout = 100")
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "relu-def")
        held = Held(session)
        await pilot.press("f")
        assert await until(pilot, lambda: "Not saved:" in toasts(app))
        assert "is locked by another program" in toasts(app)
        assert cell(app, "relu-definition", "flag") == "" and stored(session, "relu-definition")["flags"] == "[]"
        await pilot.press("d")
        await settle(pilot)
        app.screen.query_one("#due-input", Input).value = "3"
        await pilot.press("enter")
        assert await until(pilot, lambda: "Not saved:" in str(app.screen.query_one("#due-error").render()))
        held.release()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f")  # the lock gone, the same key saves
        assert await until(pilot, lambda: cell(app, "relu-definition", "flag") == "red")

    drive(app, scenario, size=(80, 24))
