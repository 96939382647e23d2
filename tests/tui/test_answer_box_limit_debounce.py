"""The "interpreted as" preview is parsed when typing pauses, not once per key."""

from __future__ import annotations

import pytest

from quizact.tui.widgets import answer_box
from quizact.tui.widgets.answer_box import AnswerBox

from .conftest import drive, make_app, only, settle

SIZES = [(120, 36), (80, 24)]


@pytest.fixture(autouse=True)
def _quick_preview():
    """This file keeps the app's own debounce (the shared fixture shortens it)."""


@pytest.fixture
def parses(monkeypatch):
    """The texts the real preview function was called with."""
    seen: list[str] = []
    real = answer_box.preview

    def counted(spec, text):
        seen.append(text)
        return real(spec, text)

    monkeypatch.setattr(answer_box, "preview", counted)
    return seen


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_500_keys_parse_a_few_times_and_the_last_text_once_typing_stops(session, clock, size, parses):
    only(session, "sigmoid-derivative")
    app = make_app(session, clock, start="review")
    keys = list("sigmoid(z)*(1-sigmoid(z))+") * 19 + list("z" * 6)  # 26 * 19 + 6 = 500 keys
    assert len(keys) == 500

    async def scenario(pilot):
        box = app.screen.query_one(AnswerBox)
        await pilot.press(*keys)
        typed = len(parses)
        await settle(pilot)
        await pilot.pause(3 * answer_box.DEBOUNCE)
        await settle(pilot)
        assert box.value == "".join(keys)
        assert typed <= 5, f"{typed} parses while 500 keys were typed"
        assert 1 <= len(parses) <= 6
        assert parses[-1] == "".join(keys)  # once typing stopped: the whole answer

    drive(app, scenario, size=size)
