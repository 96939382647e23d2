"""Fixtures for the app tests: a real collection over the sample pack, a settable clock.

The sample pack (content/examples/sample.yaml) has one card of each kind, new, in the
order recall, choice, symbolic, numeric, steps: ``session.next`` draws them in that order.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizact.session import Session
from quizact.tui.app import QuizactApp
from tests import inside

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "content" / "examples" / "sample.yaml"
PACK = "quizact-sample"
ORDER = ("relu-definition", "sigmoid-range", "sigmoid-derivative", "sigmoid-slope-at-z", "backprop-relu-mse")
NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
SEED = 7


class Clock:
    """The app's clock: fixed unless a test moves it."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def _quick_preview(monkeypatch):
    """The preview's and the filter's debounce, shortened so ``settle`` sees their work."""
    from quizact.tui.screens import browse
    from quizact.tui.widgets import answer_box

    monkeypatch.setattr(answer_box, "DEBOUNCE", 0.01)
    monkeypatch.setattr(browse, "DEBOUNCE", 0.01)


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch):
    """A steady (not blinking) cursor, so a snapshot does not depend on the blink's phase."""
    from textual.widgets import Input

    init = Input.__init__

    def steady(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", steady)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(tmp_path):
    s = Session.open(tmp_path / "c.sqlite3", NOW, sources=[SAMPLE])
    yield s
    s.close()


def drive(app: QuizactApp, scenario, size: tuple[int, int] = (100, 36)) -> None:
    """Run ``await scenario(pilot)`` against ``app`` once its first workers are done."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


def make_app(session: Session, clock: Clock | None = None, **kwargs) -> QuizactApp:
    kwargs.setdefault("seed", SEED)
    kwargs.setdefault("warm_grader", False)
    return QuizactApp(session, clock=clock or Clock(), **kwargs)


def only(session: Session, *card_ids: str) -> None:
    """Bury every sample card except ``card_ids``, so review starts on them."""
    for card_id in ORDER:
        if card_id not in card_ids:
            inside.study(session).bury(PACK, card_id, NOW)
    inside.study(session).collection.query("DELETE FROM undo")  # these set-up burials are not the learner's


async def settle(pilot, rounds: int = 60) -> None:
    """Let timers (the 150 ms preview debounce), workers and messages finish."""
    app = pilot.app
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # a worker just created is pending, not running: wait until every one has finished,
        # twice in a row (a screen pushed by the last key starts its loader a round later)
        quiet = quiet + 1 if all(w.is_finished for w in app.workers) else 0
        if quiet >= 2:
            break


async def until(pilot, condition, seconds: float = 10.0) -> bool:
    """Pause until ``condition()`` holds (a slow machine draws a pushed screen's rows late)."""
    import time

    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            return False
        await settle(pilot, rounds=2)
    return True


async def type_text(pilot, text: str) -> None:
    """Type into the focused box (at once: key-by-key presses cost ~70 ms each)."""
    from textual.widgets import Input

    focused = pilot.app.focused
    assert isinstance(focused, Input), f"typing needs an answer box focused, not {focused!r}"
    focused.insert_text_at_cursor(text)
    await pilot.pause()


def rows(session: Session) -> list[dict]:
    return [inside.collection(session).card_row(PACK, card_id) for card_id in ORDER]


def reviews(session: Session, mode: str | None = None) -> list[tuple]:
    sql = "SELECT card_id, mode, rating, status FROM reviews"
    if mode:
        return inside.collection(session).query(sql + " WHERE mode = ? ORDER BY id", (mode,))
    return inside.collection(session).query(sql + " ORDER BY id")


def screen_text(app: QuizactApp) -> str:
    """The visible text of the current screen (all widget contents, roughly in order)."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query(Static):
        if widget.display:
            parts.append(str(widget.render()))
    return "\n".join(parts)
