"""Browse: filter, sort, preview a fresh variant, suspend and unsuspend."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from .conftest import PACK, drive, make_app, screen_text, settle


def card_column(app) -> list[str]:
    table = app.screen.query_one(DataTable)
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
        assert session.collection.card(PACK, "sigmoid-range").suspended
        assert "suspended" in [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert not session.collection.card(PACK, "sigmoid-range").suspended
        assert "5 cards" in screen_text(app) or "1 of 5 cards" in screen_text(app)

    drive(app, scenario)
