"""Settings: the core validates; errors show beside the field; good values are saved."""

from __future__ import annotations

from textual.widgets import Input

from tests import inside

from .conftest import drive, make_app, settle


def test_invalid_values_are_shown_inline_and_valid_ones_saved(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("comma")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#desired_retention", Input).value = "1.5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(screen.query_one("#error-desired_retention").render())
        assert error == "Desired retention must be between 70% and 99% (you typed 1.5)"
        assert inside.collection(session).settings().desired_retention == 0.9
        screen.query_one("#desired_retention", Input).value = "0.85"
        screen.query_one("#learning_steps", Input).value = "2m, 15m"
        screen.query_one("#new_per_day", Input).value = "ten"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "whole number" in str(screen.query_one("#error-new_per_day").render())
        screen.query_one("#new_per_day", Input).value = "10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(screen.query_one("#error-desired_retention").render()) == ""

    drive(app, scenario)
    s = inside.collection(session).settings()
    assert (s.desired_retention, s.new_per_day, s.learning_steps) == (0.85, 10, ("2m", "15m"))
