"""Browse: filter, sort, preview a fresh variant, suspend and unsuspend."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from tests import inside

from .conftest import PACK, drive, make_app, screen_text, settle


def card_column(app) -> list[str]:
    return card_column_of(app.screen)


def card_column_of(screen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def test_filter_sort_preview_and_suspend(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("b")
        await settle(pilot)
        assert card_column(app)[0] == "relu-definition"  # pack order
        await pilot.press("1")  # sort by card id
        assert card_column(app) == sorted(card_column(app))
        await pilot.press("1")  # again: reversed
        assert card_column(app) == sorted(card_column(app), reverse=True)
        await pilot.press("slash")
        app.screen.query_one("#filter", Input).value = "sigmoid choice"
        await settle(pilot)
        assert card_column(app) == ["sigmoid-range"]
        await pilot.press("enter")  # back to the table
        await pilot.press("enter")  # preview
        await settle(pilot)
        assert type(app.screen).__name__ == "PreviewScreen"
        text = screen_text(app)
        assert "sigmoid-range" in text and "Answer:" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert inside.collection(session).card(PACK, "sigmoid-range").suspended
        assert "suspended" in [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert not inside.collection(session).card(PACK, "sigmoid-range").suspended
        assert "5 cards" in screen_text(app) or "1 of 5 cards" in screen_text(app)

    drive(app, scenario)


def test_typing_on_the_table_filters_and_down_goes_back_to_it(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.focused, DataTable)
        await pilot.press("s", "i", "g", "m")  # no "/" first: the letters start the filter
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "sigm"
        assert card_column(app) and all("sigmoid" in c for c in card_column(app))
        await pilot.press("down")
        table = app.screen.query_one(DataTable)
        assert app.focused is table and table.cursor_row == 0
        await pilot.press("down", "enter")  # the second card
        await settle(pilot)
        assert type(app.screen).__name__ == "PreviewScreen"
        assert card_column_of(app.screen_stack[-2])[1] in screen_text(app)

    drive(app, scenario)
