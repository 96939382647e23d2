"""How the app starts on a factory-opened session: the first frame already shows the first
card when the collection opens quickly; a slow open shows "Loading…" and then the card."""

from __future__ import annotations

import asyncio
import time

from quizact.session import Session
from quizact.tui import app as app_module
from quizact.tui.app import QuizactApp

from .conftest import NOW, ORDER, SAMPLE, Clock, screen_text, settle


def factory(path, delay: float = 0.0):
    def open_session(now):
        time.sleep(delay)
        return Session.open(path, NOW, sources=[SAMPLE])

    return open_session


def first_frame(app: QuizactApp) -> dict:
    """What the review screen holds at its first refresh, and once all is settled."""
    seen: dict = {}

    async def main() -> None:
        async with app.run_test(size=(100, 36)) as pilot:
            screen = app.screen
            seen["first"] = {"screen": type(screen).__name__, "phase": getattr(screen, "phase", None),
                             "loading": bool(screen.query("#loading"))}  # fmt: skip
            await settle(pilot)
            seen["card"] = app.screen.shown.card_id if app.screen.shown else None
            seen["left"] = app.screen.left
            seen["seed"] = app.screen.shown.variant.seed if app.screen.shown else None
        app.session.close()

    asyncio.run(main())
    return seen


def test_a_quick_open_puts_the_first_card_in_the_first_frame(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "OPEN_WAIT", 10.0)  # "quick" whatever the machine's load
    app = QuizactApp(factory(tmp_path / "c.sqlite3"), clock=Clock(), seed=7, start="review", warm_grader=False)
    seen = first_frame(app)
    assert seen["first"] == {"screen": "ReviewScreen", "phase": "answering", "loading": False}
    assert seen["card"] == ORDER[0]
    assert seen["left"] == len(ORDER)  # counted after the card is up


def test_a_slow_open_shows_loading_then_the_card(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "OPEN_WAIT", 0.05)
    app = QuizactApp(factory(tmp_path / "c.sqlite3", delay=0.5), clock=Clock(), seed=7, start="review",
                     warm_grader=False)  # fmt: skip
    seen = first_frame(app)
    assert seen["first"] == {"screen": "ReviewScreen", "phase": "loading", "loading": True}
    assert seen["card"] == ORDER[0]
    assert seen["left"] == len(ORDER)


def test_both_starts_draw_the_same_variant(tmp_path, monkeypatch):
    """Drawn at start-up or by the screen, the first card uses the app's seeded generator alike."""
    monkeypatch.setattr(app_module, "OPEN_WAIT", 10.0)
    quick = QuizactApp(factory(tmp_path / "a.sqlite3"), clock=Clock(), seed=11, start="review", warm_grader=False)
    drawn_at_start = first_frame(quick)
    monkeypatch.setattr(app_module, "OPEN_WAIT", 0.0)  # the screen draws it
    slow = QuizactApp(factory(tmp_path / "b.sqlite3", delay=0.2), clock=Clock(), seed=11, start="review",
                      warm_grader=False)  # fmt: skip
    drawn_by_screen = first_frame(slow)
    assert drawn_at_start["first"]["loading"] is False and drawn_by_screen["first"]["loading"] is True
    assert (drawn_at_start["card"], drawn_at_start["seed"]) == (drawn_by_screen["card"], drawn_by_screen["seed"])


def test_a_collection_that_cannot_open_is_reported_not_a_hang(tmp_path):
    bad = tmp_path / "c.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)

    def open_session(now):
        return Session.open(bad, NOW, sources=[SAMPLE])

    app = QuizactApp(open_session, clock=Clock(), seed=7, start="review", warm_grader=False)
    seen: dict = {}

    async def main() -> None:
        async with app.run_test(size=(100, 36)) as pilot:
            await settle(pilot)
            seen["notes"] = [(n.title, n.message) for n in app._notifications]
            seen["phase"] = app.screen.phase
            seen["body"] = screen_text(app)
            seen["keys"] = sorted(b.binding.action for b in app.screen.active_bindings.values()
                                  if b.enabled and b.binding.show)  # fmt: skip

    asyncio.run(main())
    assert [title for title, _ in seen["notes"]] == ["Cannot open the collection"], seen  # said once
    assert "is not a quizact collection (not an SQLite database)" in seen["notes"][0][1]
    assert seen["phase"] == "done"  # the screen gave up drawing, it did not hang on "loading"
    assert "No cards: the collection could not be opened" in seen["body"]
    assert "undo" not in seen["keys"] and "check_again" not in seen["keys"] and "leave" in seen["keys"], seen
