"""A hostile pack and hostile typed answers in the real app: what the screen shows.

The pack (tests/hostile.py) puts terminal controls and Rich markup in every text field. The
rendered screen must show the markup as typed and each control as a visible escape, and never
hold the raw control itself.
"""

from __future__ import annotations

import pytest

from quizact.session import Session
from tests.hostile import MARKUP, PACK_ID, SHOWN, assert_clean, write_pack

from .conftest import NOW, drive, make_app, settle, type_text

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
            session.study.bury(PACK_ID, other, NOW)
    session.study.collection.query("DELETE FROM undo")
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


def test_a_typed_answer_with_controls_and_markup(hostile, clock):
    app = review(hostile, "h-symbolic", clock, warm_grader=True)

    async def scenario(pilot):
        assert shows(app, "P-symbolic")
        await type_text(pilot, TYPED)
        text, under = await caret_under(pilot, TYPED_SHOWN)  # the live error, before Enter
        assert under.index("^") == 26 and text[26] == "="
        await pilot.press("enter")  # graded: invalid, with the grader's own caret line
        await settle(pilot, rounds=200)
        assert TYPED_SHOWN in rendered(app)
        assert_clean(rendered(app))
        box = app.screen.query_one("AnswerBox Input")
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


def test_steps_prompts(hostile, clock):
    app = review(hostile, "h-steps", clock)

    async def scenario(pilot):
        assert shows(app, "P-steps") and shows(app, "1. S-one") and shows(app, "2. S-two")
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
        assert f"▐X▌ N {head}" in rendered(app) and f"T {head}" in rendered(app)
        assert_clean(rendered(app))
        await pilot.press("escape", "b")
        await settle(pilot)
        assert shows(app, "T")  # the tags column of the browse table
        await pilot.press("enter")  # the preview of the card under the cursor
        await settle(pilot)
        text = rendered(app)
        assert any(f"P-{name[2:]} {SHOWN}" in text for name in CARDS), text
        assert_clean(text)

    drive(app, scenario, size=SIZE)
