"""The practice form's ticks read as text, [x] and [ ], not by colour alone."""

from __future__ import annotations

import re

import pytest

from quizact.tui.screens.practice import PracticeForm
from quizact.tui.screens.review import ReviewScreen

from .conftest import drive, make_app, settle, until
from .test_help_keys import rendered

SIZES = [(120, 36), (80, 24)]


def mark(app, label: str) -> str:
    """The box drawn before ``label`` in the form, as text: "[x]" or "[ ]"."""
    found = re.findall(r"(\[.\]) " + re.escape(label), "\n".join(rendered(app)))
    assert len(found) == 1, (label, rendered(app))
    return found[0]


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_ticking_shows_an_x_in_the_text(session, clock, size):
    app = make_app(session, clock)

    async def scenario(pilot):
        await pilot.press("p")
        assert await until(pilot, lambda: isinstance(app.screen, PracticeForm) and
                           app.screen.query_one("#practice-tags").option_count > 0)  # fmt: skip
        await settle(pilot)
        assert mark(app, "quizact sample pack") == "[ ]"
        assert mark(app, "activations (4)") == "[ ]"
        assert "[x]" not in "\n".join(rendered(app))

        await pilot.press("space")  # the packs list has the focus: its first pack
        await settle(pilot)
        assert mark(app, "quizact sample pack") == "[x]"
        assert "space Tick/untick" in rendered(app)[-1]  # the footer says how

        await pilot.press("tab")  # to the tags
        await settle(pilot)
        tags = app.screen.query_one("#practice-tags")
        while tags.get_option_at_index(tags.highlighted).value != "sigmoid":
            await pilot.press("down")
        await settle(pilot)
        assert mark(app, "sigmoid (") == "[ ]"  # scrolled into view, not ticked yet
        await pilot.press("space")
        await settle(pilot)
        assert mark(app, "sigmoid (") == "[x]"
        assert mark(app, "saturation (1)") == "[ ]"  # the tag beside it stays unticked

        await pilot.press("space")  # and off again
        await settle(pilot)
        assert mark(app, "sigmoid (") == "[ ]"
        await pilot.press("space")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "sigmoid" in app.screen.shown.card.tags  # what was ticked is what is drilled

    drive(app, scenario, size=size)
