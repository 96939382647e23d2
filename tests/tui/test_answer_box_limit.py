"""The answer box holds at most 2,000 characters: more is refused whole, with a message."""

from __future__ import annotations

import pytest
from textual import events

from quizact.tui.widgets.answer_box import AnswerBox

from .conftest import drive, make_app, only, screen_text, settle

SIZES = [(120, 36), (80, 24)]
LIMIT = 2000  # the limit, written here by hand


def error_line(app) -> str:
    box = app.screen.query_one(AnswerBox)
    line = box.query_one(".error")
    return str(line.render()) if box.has_class("-invalid") and line.display else ""


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_a_paste_past_the_limit_is_refused_and_the_typed_text_stays(session, clock, size):
    only(session, "sigmoid-derivative")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        box = app.screen.query_one(AnswerBox)
        await pilot.press(*"sigmoid(z)")
        await settle(pilot)
        assert box.value == "sigmoid(z)"

        app.post_message(events.Paste("1" * 2500))  # as the terminal delivers a paste
        await settle(pilot)
        assert box.value == "sigmoid(z)"  # nothing lost, nothing half-pasted
        message = error_line(app)
        assert "Not pasted" in message and "2,000" in message and "2,500" in message
        assert "Not pasted" in screen_text(app)

        app.post_message(events.Paste("+z" * 995))  # 10 + 1,990: exactly the limit
        await settle(pilot)
        assert len(box.value) == LIMIT and box.value.startswith("sigmoid(z)+z+z")
        assert "Not pasted" not in error_line(app)

        await pilot.press("z")  # one key more
        await settle(pilot)
        assert len(box.value) == LIMIT
        assert "further keys are not added" in error_line(app)

        await pilot.press("backspace")
        await settle(pilot)
        assert len(box.value) == LIMIT - 1
        assert "2,000" not in error_line(app)  # the message goes with the change
        await pilot.press("z")
        assert len(box.value) == LIMIT  # room for one again

        await pilot.press("backspace")
        await settle(pilot)
        for _ in range(3):  # a burst: one key fits, two do not, then the preview runs
            box.input.post_message(events.Key("z", "z"))
        await settle(pilot)
        assert len(box.value) == LIMIT
        assert "further keys are not added" in error_line(app)  # not replaced by the parse's error

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_typing_over_a_selection_counts_what_it_replaces(session, clock, size):
    only(session, "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        box = app.screen.query_one(AnswerBox)
        app.post_message(events.Paste("1" * LIMIT))
        await settle(pilot)
        assert len(box.value) == LIMIT
        box.input.selection = (0, 10)  # ten characters selected
        app.post_message(events.Paste("0.25"))  # replaces them: 1,994 characters in all
        await settle(pilot)
        assert box.value == "0.25" + "1" * (LIMIT - 10)
        assert error_line(app) == "" or "Not pasted" not in error_line(app)

    drive(app, scenario, size=size)
