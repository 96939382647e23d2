"""The command palette lists the app's own commands on every screen, and each one works
from there: review, practice, browse, stats, settings and undo."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from quizact.tui.screens.practice import PracticeForm
from quizact.tui.screens.review import ReviewScreen
from tests import inside

from .conftest import PACK, drive, make_app, only, reviews, settle, until

SIZES = [(120, 36), (80, 24)]
SIX = ("Review", "Practice", "Browse", "Stats", "Settings", "Undo")


async def open_palette(pilot) -> list[str]:
    """Open the palette (ctrl+p) and return the titles it lists, as a learner sees them."""
    app = pilot.app
    await pilot.press("ctrl+p")
    assert await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await settle(pilot)
    return [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]


async def run(pilot, title: str) -> None:
    """With the palette open: type ``title`` and press Enter on it."""
    app = pilot.app
    await pilot.press(*title)
    await settle(pilot)
    commands = app.screen.query_one(CommandList)
    assert str(commands.get_option_at_index(commands.highlighted or 0).prompt).split("\n")[0] == title
    await pilot.press("enter")
    assert await until(pilot, lambda: not isinstance(app.screen, CommandPalette))
    await settle(pilot)


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def names(app) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack]


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_every_screen_lists_the_six_and_each_switches_screen(session, clock, size):
    app = make_app(session, clock)

    async def on(expected: str, pilot, go: str, then: str) -> None:
        assert type(app.screen).__name__ == expected
        titles = await open_palette(pilot)
        assert set(SIX) <= set(titles), (expected, titles)
        assert all(titles.count(t) == 1 for t in SIX), titles  # each once, not again as a key
        await run(pilot, go)
        assert await until(pilot, lambda: type(app.screen).__name__ == then), (expected, go, names(app))

    async def scenario(pilot):
        await on("DashboardScreen", pilot, "Browse", "BrowseScreen")
        await on("BrowseScreen", pilot, "Stats", "StatsScreen")
        await on("StatsScreen", pilot, "Settings", "SettingsScreen")
        await on("SettingsScreen", pilot, "Practice", "PracticeForm")
        await on("PracticeForm", pilot, "Review", "ReviewScreen")
        assert "PracticeForm" not in names(app)  # the dialog gave way
        review = app.screen
        assert not review.practice and review.shown is not None
        await on("ReviewScreen", pilot, "Browse", "BrowseScreen")
        assert review in app.screen_stack  # the review is still there underneath
        await pilot.press("enter")  # a card's preview (a dialog)
        assert await until(pilot, lambda: type(app.screen).__name__ == "PreviewScreen")
        await on("PreviewScreen", pilot, "Settings", "SettingsScreen")
        assert "PreviewScreen" not in names(app)
        await pilot.press("f1")
        assert await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await on("HelpScreen", pilot, "Stats", "StatsScreen")
        app.action_optimize()  # too few reviews: it ends at once and says so
        assert await until(pilot, lambda: type(app.screen).__name__ == "OptimizeScreen" and not app.screen.running)
        await on("OptimizeScreen", pilot, "Practice", "PracticeForm")
        await pilot.press("ctrl+s")  # a practice drill of every card
        assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.practice)
        await on("ReviewScreen", pilot, "Review", "ReviewScreen")  # practice → the real review
        assert not app.screen.practice

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_review_again_says_it_is_open(session, clock, size):
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        review = app.screen
        await open_palette(pilot)
        await run(pilot, "Review")
        assert app.screen is review and names(app).count("ReviewScreen") == 1
        assert "Review is already open." in notes(app)

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_undo_from_the_dashboard_brings_back_the_rated_card(session, clock, size):
    only(session, "relu-definition")
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_palette(pilot)
        await run(pilot, "Undo")  # nothing done yet
        assert type(app.screen).__name__ == "DashboardScreen"
        assert "Nothing to undo." in notes(app)

        await pilot.press("r")
        assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.shown is not None)
        await pilot.press("space")  # reveal the recall card
        await settle(pilot)
        await pilot.press("enter")  # rate Good: saved
        await settle(pilot)
        assert reviews(session) == [("relu-definition", "review", 3, "self")]
        await pilot.press("escape")
        assert await until(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")

        await open_palette(pilot)
        await run(pilot, "Undo")
        assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.shown is not None)
        screen = app.screen
        assert screen.shown.card_id == "relu-definition" and screen.phase == "graded"  # as it was rated
        assert reviews(session) == []  # the rating is gone from disk
        assert inside.collection(session).card(PACK, "relu-definition").state == 0  # new again
        assert any("Undid rate of relu-definition" in n for n in notes(app))

        await open_palette(pilot)
        await run(pilot, "Undo")  # graded on screen: rated first, as u asks
        assert screen.phase == "graded"
        assert any("Rate this card first" in n for n in notes(app))

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_undo_in_practice_says_there_is_nothing_to_undo(session, clock, size):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("p")
        assert await until(pilot, lambda: isinstance(app.screen, PracticeForm))
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.shown is not None)
        shown = app.screen.shown
        await open_palette(pilot)
        await run(pilot, "Undo")
        assert isinstance(app.screen, ReviewScreen) and app.screen.shown is shown
        assert any("Practice does not change the schedule" in n for n in notes(app))

    drive(app, scenario, size=size)
