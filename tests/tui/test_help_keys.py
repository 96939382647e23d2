"""F1 opens how to type answers; ? opens the keys; each brings its part to the top."""

from __future__ import annotations

import pytest

from quizact.tui.screens.help import HelpScreen
from quizact.tui.widgets.answer_box import AnswerBox

from .conftest import drive, make_app, only, settle, until

SIZES = [(120, 36), (80, 24)]


def rendered(app) -> list[str]:
    """The screen's lines as the terminal shows them (text only, no styles)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def first_line_with(lines: list[str], text: str) -> int | None:
    return next((i for i, line in enumerate(lines) if text in line), None)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_f1_in_the_answer_box_shows_the_answer_syntax_at_the_top(session, clock, size):
    only(session, "sigmoid-derivative")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        review = app.screen
        await pilot.press(*"sigmoid(z")
        await pilot.press("f1")
        assert await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await settle(pilot)
        lines = rendered(app)
        top = first_line_with(lines, "Typing formulas")
        assert top is not None and top <= 4, lines[:8]  # under the header, not scrolled to
        assert first_line_with(lines, "implicit multiplication") is not None  # the table itself
        assert first_line_with(lines, "Every screen lists its keys") is None  # the keys are below
        footer = lines[-1]
        assert "? Keys" in footer and "esc Back" in footer and "Answer syntax" not in footer

        await pilot.press("question_mark")  # the keys, to the top
        await settle(pilot)
        lines = rendered(app)
        assert first_line_with(lines, "Every screen lists its keys") is not None
        assert first_line_with(lines, "Typing formulas") is None
        assert "f1 Answer syntax" in lines[-1] and "? Keys" not in lines[-1]

        await pilot.press("f1")
        await settle(pilot)
        assert first_line_with(rendered(app), "Typing formulas") is not None

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is review
        assert review.query_one(AnswerBox).value == "sigmoid(z"  # what was typed is still there

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_question_mark_on_the_dashboard_shows_the_keys(session, clock, size):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("question_mark")
        assert await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await settle(pilot)
        lines = rendered(app)
        assert first_line_with(lines, "Keys") is not None and first_line_with(lines, "Keys") <= 4
        assert first_line_with(lines, "Dashboard") is not None
        await pilot.press("q")
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"

    drive(app, scenario, size=size)
