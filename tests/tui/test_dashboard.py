"""The dashboard's figures, and every screen reachable from it and back."""

from __future__ import annotations

from .conftest import PACK, drive, make_app, screen_text, settle


def test_dashboard_shows_counts_streak_and_retention(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        text = screen_text(app)
        assert "5 cards to study today" in text
        assert "Streak 0 days" in text and "Retention — (no reviews yet)" in text
        table = app.screen.query_one("#packs")
        assert [str(c) for c in table.get_row(PACK)] == ["quizact sample pack", "5", "0", "0"]

    drive(app, scenario)


def test_keys_open_screens_and_escape_returns(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        for key, screen, expect in [
            ("b", "BrowseScreen", "5 of 5 cards"),
            ("s", "StatsScreen", "Reviews, last year"),
            ("comma", "SettingsScreen", "Desired retention"),
            ("question_mark", "HelpScreen", None),
        ]:
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ == screen
            if expect:
                assert expect in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert type(app.screen).__name__ == "DashboardScreen"

    drive(app, scenario, size=(80, 24))


def test_theme_toggle_and_palette_lists_screen_keys(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Review", "Practice", "Browse", "Stats", "Settings", "Light / dark"} <= set(commands)

    drive(app, scenario)


def test_no_color_is_honoured(session, clock, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(session, clock)
    assert app.no_color
