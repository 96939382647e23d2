"""Each screen's footer lists that screen's keys, and only keys that work there.

The lists are written by hand, screen by screen and state by state; each key listed must
also reach its action (not be typed into a focused box), and the line must show it whole.
"""

from __future__ import annotations

import string

import pytest
from textual.actions import parse
from textual.keys import _character_to_key
from textual.widgets import Input

from quizact.tui.screens.help import HelpScreen
from quizact.tui.screens.review import ReviewScreen
from quizact.tui.widgets.footer import Footer
from tests import inside

from .conftest import PACK, drive, make_app, only, settle, type_text, until
from .test_help_keys import rendered

SIZES = [(120, 36), (80, 24)]
PALETTE = "^p palette"


def footer_is(app, *expected: str) -> None:
    """The footer lists ``expected``, all of it shown whole; the palette's hint may give way
    to the screen's keys when they fill the line."""
    footer = app.screen.query_one(Footer)
    listed = [f"{key} {description}" for key, description, _, _ in footer.keys()]
    assert listed + [PALETTE] == list(expected), type(app.screen).__name__
    line = rendered(app)[-1]
    if PALETTE not in line:
        assert len(" ".join(expected)) + 2 > app.size.width, line  # it did not fit
        expected = expected[:-1]
    assert "…" not in line and all(entry in line for entry in expected), line  # all shown, none cut
    typing = isinstance(app.focused, Input)
    for key, description, node, action in footer.keys():
        namespace, name, params = parse(action)
        target = {"app": app, "screen": app.screen}.get(namespace, node)
        assert getattr(target, f"action_{name}", None) is not None, action
        assert target.check_action(name, params), action
        if typing:  # a printable key in a focused box is typed, not a command
            keys = [k for k, active in app.screen.active_bindings.items()
                    if (active.binding.action, active.binding.description) == (action, description)]  # fmt: skip
            assert keys and not any(typed(k) for k in keys), (key, description)


def typed(key: str) -> bool:
    """Whether a box takes ``key`` (a binding's key name) as text."""
    return len(key) == 1 or key in PRINTABLE_KEYS


PRINTABLE_KEYS = {_character_to_key(c) for c in string.printable if c.isprintable()}


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_review_footers_follow_the_card_and_the_focus(session, clock, size):
    app = make_app(session, clock, start="review")  # the sample: recall, choice, symbolic, …

    async def scenario(pilot):
        screen = app.screen
        assert screen.shown.card_id == "relu-definition"
        footer_is(app, "space Show answer", "u Undo", "- Bury", "! Suspend", "esc Back", PALETTE)
        await pilot.press("space")
        await settle(pilot)
        footer_is(app, "⏎ Accept", "e Explain", "u Undo", "- Bury", "! Suspend", "q Quit", "esc Back", PALETTE)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-range"  # a choice card
        footer_is(app, "⏎ Check answer", "u Undo", "- Bury", "! Suspend", "esc Back", PALETTE)
        await pilot.press("minus")  # bury it: the symbolic card
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-derivative" and isinstance(app.focused, Input)
        footer_is(app, "⏎ Check answer", "^z Undo", "f1 Syntax", "esc Leave box", PALETTE)
        await pilot.press("f1")  # listed: it works from the box
        assert await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        footer_is(app, "esc Back", "? Keys", PALETTE)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # "Leave box": the box loses the focus, the screen stays
        await settle(pilot)
        assert app.screen is screen and not isinstance(app.focused, Input)
        footer_is(app, "⏎ Answer", "u Undo", "- Bury", "! Suspend", "f1 Syntax", "esc Back", PALETTE)
        await pilot.press("enter")  # "Answer": back in the box
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await type_text(pilot, "z")
        await pilot.press("enter")  # "Check answer"
        assert await until(pilot, lambda: screen.phase == "graded")
        await settle(pilot)
        footer_is(app, "⏎ Accept", "e Explain", "t Try again", "g Plot", "u Undo", "- Bury", "! Suspend",
                  "q Quit", "esc Back", PALETTE)  # fmt: skip
        await pilot.press("t")  # "Try again": the box, open again
        await settle(pilot)
        assert screen.phase == "answering" and isinstance(app.focused, Input)
        footer_is(app, "⏎ Check answer", "^z Undo", "f1 Syntax", "esc Leave box", PALETTE)

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_the_end_of_a_sitting_and_practice(session, clock, size):
    only(session, "relu-definition")
    inside.study(session).bury(PACK, "relu-definition", clock())
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        assert await until(pilot, lambda: app.screen.phase == "done")
        footer_is(app, "u Undo", "r Check again", "q Quit", "esc Back", PALETTE)
        app.practice([(PACK, "sigmoid-slope-at-z")])
        assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.practice
                           and app.screen.shown is not None)  # fmt: skip
        await settle(pilot)
        footer_is(app, "⏎ Check answer", "f1 Syntax", "esc Leave box", PALETTE)  # no undo, bury, suspend

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_every_other_screen_lists_its_own_keys(session, clock, size):
    app = make_app(session, clock)

    async def to(key: str, screen: str, pilot) -> None:
        await pilot.press(key)
        assert await until(pilot, lambda: type(app.screen).__name__ == screen), (key, screen)
        await settle(pilot)

    async def scenario(pilot):
        footer_is(app, "r Review", "p Practice", "b Browse", "s Stats", ", Settings", "? Help", "q Quit", PALETTE)
        await to("p", "PracticeForm", pilot)
        footer_is(app, "space Tick/untick", "esc Cancel", "^s Start", PALETTE)  # not the dashboard's
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert app.focused.id == "practice-count"
        footer_is(app, "esc Cancel", "^s Start", PALETTE)
        await to("escape", "DashboardScreen", pilot)  # "Cancel"

        await to("b", "BrowseScreen", pilot)
        footer_is(app, "i Info", "d Due", "r Forget", "f Flag", "! Suspend", "u Unbury", "esc Back", PALETTE)
        await pilot.press("slash")
        await settle(pilot)
        footer_is(app, "esc Back", PALETTE)
        await pilot.press("escape")
        await settle(pilot)
        await to("enter", "PreviewScreen", pilot)
        footer_is(app, "n New variant", "p Practice it", "esc Close", PALETTE)
        await to("escape", "BrowseScreen", pilot)
        await to("escape", "DashboardScreen", pilot)

        await to("s", "StatsScreen", pilot)
        footer_is(app, "esc Back", PALETTE)
        await to("escape", "DashboardScreen", pilot)
        await to("comma", "SettingsScreen", pilot)
        footer_is(app, "^s Save", "esc Back", PALETTE)
        await to("escape", "DashboardScreen", pilot)
        await to("question_mark", "HelpScreen", pilot)
        footer_is(app, "esc Back", "f1 Answer syntax", PALETTE)
        await pilot.press("f1")
        await settle(pilot)
        footer_is(app, "esc Back", "? Keys", PALETTE)
        await to("escape", "DashboardScreen", pilot)

        app.action_optimize()  # too few reviews: it ends at once
        assert await until(pilot, lambda: type(app.screen).__name__ == "OptimizeScreen" and not app.screen.running)
        await settle(pilot)
        footer_is(app, "esc Close", PALETTE)  # not the dashboard's keys under the dialog
        await to("escape", "DashboardScreen", pilot)

    drive(app, scenario, size=size)
