"""Practice: a small form, then the review screen marked "schedule unchanged"."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from quizact.tui.screens.practice import PracticeForm
from quizact.tui.screens.review import ReviewScreen
from quizact.tui.widgets.steps import StepsForm

from .conftest import drive, make_app, reviews, rows, screen_text, settle, type_text


async def answer_something(pilot, screen: ReviewScreen) -> None:
    """Give any valid answer to the card on screen (right or wrong does not matter here)."""
    kind = screen.shown.card.kind
    if kind == "recall":
        await pilot.press("space")
    elif kind == "choice":
        await pilot.press("a", "enter")
    elif kind == "steps":
        for _ in screen.card_view.query_one(StepsForm).rows:
            await type_text(pilot, "1")
            await pilot.press("enter")
            await settle(pilot)
    else:
        await type_text(pilot, "1")
        await pilot.press("enter")
    await settle(pilot)
    assert screen.phase == "graded"


def test_practice_leaves_the_schedule_untouched(session, clock):
    before = rows(session)
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PracticeForm)
        form.query_one("#practice-tags", SelectionList).select("sigmoid")
        count = form.query_one("#practice-count", Input)
        count.value = "2"
        count.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.practice
        assert "Practice — schedule unchanged" in screen_text(app)
        assert "sigmoid" in screen.shown.card.tags
        for _ in range(2):
            await answer_something(pilot, screen)
            assert all(not b.binding.action.startswith("undo") for b in screen.active_bindings.values()
                       if b.enabled)  # undo, bury, suspend: review only  # fmt: skip
            await pilot.press("enter")  # rate: logged as practice
            await settle(pilot)
        assert screen.phase == "done"
        assert "Practice finished" in screen_text(app)

    drive(app, scenario)
    assert rows(session) == before  # every card row exactly as it was
    assert [mode for _, mode, _, _ in reviews(session)] == ["practice", "practice"]


def test_practice_form_rejects_a_bad_count(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        form.query_one("#practice-count", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "between 1 and 1000" in str(form.query_one("#practice-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"

    drive(app, scenario)


def test_practice_can_be_the_start_screen(session, clock):
    """``quizact practice --tag backprop --count 1`` opens straight into the drill."""
    from quizact.sitting import PracticeRequest

    app = make_app(session, clock, practice=PracticeRequest([], ["backprop"], 1))

    async def scenario(pilot):
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.practice
        assert screen.shown.card_id == "backprop-relu-mse"
        await pilot.press("escape", "escape")  # out of the answer box, then back
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"

    drive(app, scenario)
