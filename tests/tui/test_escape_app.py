"""A hostile pack and hostile typed answers in the real app: what the screen shows.

The pack (tests/hostile.py) puts terminal controls and Rich markup in every text field. The
rendered screen must show the markup as typed and each control as a visible escape, and never
hold the raw control itself.
"""

from __future__ import annotations

import pytest

from quizact.session import Session
from tests import inside
from tests.hostile import MARKUP, PACK_ID, SHOWN, assert_clean, write_pack

from .conftest import NOW, drive, make_app, settle, type_text, until

SIZE = (230, 60)  # wide enough for a hostile line not to wrap
CARDS = ("h-recall", "h-choice", "h-symbolic", "h-steps")


@pytest.fixture
def hostile(tmp_path):
    s = Session.open(tmp_path / "c.sqlite3", NOW, sources=[write_pack(tmp_path)])
    yield s
    s.close()


def rendered(app) -> str:
    """Every character the terminal would be sent for the current screen, toasts included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def shows(app, label: str) -> bool:
    return f"{label} {SHOWN} {MARKUP}" in rendered(app)


def review(session: Session, card_id: str, clock, **kwargs):
    for other in CARDS:
        if other != card_id:
            inside.study(session).bury(PACK_ID, other, NOW)
    inside.study(session).collection.query("DELETE FROM undo")
    return make_app(session, clock, start="review", **kwargs)


def test_recall_prompt_answer_and_explanation(hostile, clock):
    app = review(hostile, "h-recall", clock)

    async def scenario(pilot):
        assert shows(app, "P-recall")
        await pilot.press("space")
        await settle(pilot)
        assert shows(app, "A-recall")
        await pilot.press("e")
        await settle(pilot)
        assert shows(app, "E-recall")
        assert_clean(rendered(app))

    drive(app, scenario, size=SIZE)


def test_choice_options_and_their_feedback(hostile, clock):
    app = review(hostile, "h-choice", clock)

    async def scenario(pilot):
        text = rendered(app)
        assert shows(app, "P-choice") and f"O-right {SHOWN} {MARKUP}" in text
        assert f"O-wrong {SHOWN} {MARKUP}" in text
        await pilot.press("a", "b", "enter")  # both picked or one: either way feedback shows
        await settle(pilot)
        text = rendered(app)
        assert f"F-right {SHOWN} {MARKUP}" in text or f"F-wrong {SHOWN} {MARKUP}" in text
        assert_clean(text)

    drive(app, scenario, size=SIZE)


# typed: controls that the lexer takes as spaces (CR, VT), then markup; the first character
# the lexer refuses is the '=' of '[link=': raw index 20, shown at column 26 (CR and VT each
# take 4 columns instead of 1)
TYPED = "z\r+\x0b[bold]x[/] [link=https://x]y[/] [/]"
TYPED_SHOWN = "z\\x0d+\\x0b[bold]x[/] [link=https://x]y[/] [/]"


async def caret_under(pilot, shown: str) -> tuple[str, str]:
    """The line showing ``shown`` and the line under it, once the live error is up."""
    for _ in range(100):
        await settle(pilot)
        lines = rendered(pilot.app).splitlines()
        row = next((i for i, line in enumerate(lines) if shown in line), None)
        if row is not None and "^" in lines[row + 1]:
            start = lines[row].index(shown)
            return lines[row][start:], lines[row + 1][start:]
        await pilot.pause(0.05)
    raise AssertionError("no caret line under " + shown)


# typed or pasted: every control shows as its escape in the box itself (worked by hand)
PASTED = "z+\x1b]0;pwned\x07\x9b\u202e [bold]x[/] [link=https://x]y[/] [/]"
PASTED_SHOWN = "z+\\x1b]0;pwned\\x07\\x9b\\u202e [bold]x[/] [link=https://x]y[/] [/]"


def test_a_typed_answer_with_controls_and_markup(hostile, clock):
    app = review(hostile, "h-symbolic", clock, warm_grader=True)

    async def scenario(pilot):
        assert shows(app, "P-symbolic")
        box = app.screen.query_one("AnswerBox Input")
        box.value = TYPED  # set as it is, not typed: the live error still escapes it
        text, under = await caret_under(pilot, TYPED_SHOWN)
        assert under.index("^") == 26 and text[26] == "="
        box.value = ""
        await type_text(pilot, PASTED)
        assert box.value == PASTED_SHOWN
        await pilot.press("enter")  # graded: invalid (the backslash), costs nothing
        await settle(pilot, rounds=200)
        text = rendered(app)
        assert PASTED_SHOWN in text and "not counted" in text
        assert_clean(text)
        box.value = ""
        await type_text(pilot, "sigmoid(z)")
        await pilot.press("enter")
        await settle(pilot, rounds=200)
        assert shows(app, "F-mistake")
        await pilot.press("e")
        await settle(pilot)
        assert shows(app, "E-symbolic")
        assert_clean(rendered(app))

    drive(app, scenario, size=SIZE)


def test_steps_prompts_and_an_unreadable_step(hostile, clock):
    app = review(hostile, "h-steps", clock, warm_grader=True)

    async def scenario(pilot):
        assert shows(app, "P-steps") and shows(app, "1. S-one") and shows(app, "2. S-two")
        assert_clean(rendered(app))
        box = app.screen.query_one("#step-0 Input")
        box.value = "1\x9b"  # set as it is (typing would escape it): the number scanner quotes it
        await caret_under(pilot, "1\\x9b")  # the live error first, so it cannot come after
        await pilot.press("enter")
        await settle(pilot, rounds=200)
        error = str(app.screen.query_one("#step-0 .error").render())
        assert "unexpected '\\x9b'" in error and "not counted" in error
        assert_clean(error)
        box.value = ""
        await type_text(pilot, "1\x9b")  # typed: the box holds the escape, never the control
        assert box.value == "1\\x9b"
        assert_clean(rendered(app))

    drive(app, scenario, size=SIZE)


def test_dashboard_practice_browse_and_preview_show_pack_text_plainly(hostile, clock):
    app = make_app(hostile, clock, start="dashboard")
    head = "\\x1b]0;pwned\\x07|"  # the start of SHOWN: as much as a narrow list shows

    async def scenario(pilot):
        assert shows(app, "N")  # the pack's name in the dashboard table
        assert_clean(rendered(app))
        await pilot.press("p")  # the practice dialog lists packs by name and the tags
        await settle(pilot)
        assert f"[ ] N {head}" in rendered(app) and f"T {head}" in rendered(app)
        assert_clean(rendered(app))
        await pilot.press("escape", "b")
        assert await until(pilot, lambda: shows(app, "T"))  # the tags column of the browse table
        await pilot.press("enter")  # the preview of the card under the cursor
        await settle(pilot)
        text = rendered(app)
        assert any(f"P-{name[2:]} {SHOWN}" in text for name in CARDS), text
        assert_clean(text)

    drive(app, scenario, size=SIZE)


def test_a_setting_typed_with_markup_is_quoted_plainly(hostile, clock):
    app = make_app(hostile, clock)

    async def scenario(pilot):
        await pilot.press("comma")
        await settle(pilot)
        app.screen.query_one("#learning_steps").value = "[bold]1m[/] [/]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # the collection refuses the first step and quotes it; shown as typed, not as markup
        assert "(you typed [bold]1m[/])" in rendered(app)

    drive(app, scenario, size=SIZE)


def test_a_collection_error_quoting_a_hostile_path(tmp_path, clock):
    from quizact.tui.app import QuizactApp

    folder = tmp_path / "[bold]x [link=y]z \x1b[2J"  # no '/' in a folder name: no closing tags
    folder.mkdir()
    bad = folder / "c.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    app = QuizactApp(lambda now: Session.open(bad, NOW), clock=clock, seed=7, start="review", warm_grader=False)

    async def scenario(pilot):
        shown = "[bold]x [link=y]z \\x1b[2J/c.sqlite3"
        assert shown in rendered(app)  # the review screen says why there are no cards
        assert_clean(rendered(app))
        toasts = [n for n in app._notifications if n.title == "Cannot open the collection"]
        assert toasts and all(shown in n.message and not n.markup for n in toasts)
        assert_clean(toasts[0].message)

    drive(app, scenario, size=SIZE)
