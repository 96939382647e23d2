"""Leaving, undoing and saving a card in review, checked in the collection: undo brings
a card back as it was rated; a graded card cannot be left without its rating; keys typed
while an answer is graded never change it; a rating counts only once it is on disk, and a
second process holding the write lock makes the screen wait, never fail."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input

from tests import inside
from tests.lock_holder import hold_lock

from .conftest import PACK, drive, make_app, only, reviews, screen_text, settle, type_text


def boxes(app) -> list[str]:
    return [box.value for box in app.screen.card_view.query(Input)]


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def test_undo_brings_back_the_same_variant_typed_answers_verdict_and_rating_bar(session, clock):
    only(session, "sigmoid-slope-at-z", "backprop-relu-mse")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        assert screen.shown.card_id == "sigmoid-slope-at-z"
        await type_text(pilot, "0.5")  # σ′ never exceeds 0.25: wrong for every z
        await pilot.press("enter")
        await settle(pilot)
        seed, prompt = screen.shown.variant.seed, screen.shown.prompt
        verdict = screen.card_view.graded.verdict
        assert verdict.status == "incorrect" and screen.card_view.proposed == 1
        await pilot.press("4")  # Easy, against the proposal
        await settle(pilot)
        assert screen.shown.card_id == "backprop-relu-mse" and screen.tally.done == 1
        await pilot.press("escape", "u")  # out of the answer box, then undo
        await settle(pilot)
        view = screen.card_view
        assert screen.shown.card_id == "sigmoid-slope-at-z"
        assert screen.shown.variant.seed == seed and screen.shown.prompt == prompt  # not a fresh draw
        assert boxes(app) == ["0.5"]  # the typed answer, frozen as graded
        assert view.graded.verdict == verdict and screen.phase == "graded"
        assert view.query_one("#verdict").display and view.query_one("#rating").display
        assert view.proposed == 1  # the rating bar proposes Again again
        assert screen.tally.done == 0 and reviews(session) == []
        await pilot.press("3")  # rated again, differently
        await settle(pilot)
        assert reviews(session) == [("sigmoid-slope-at-z", "review", 3, "incorrect")]

    drive(app, scenario)


def test_undo_brings_back_every_step_answered(session, clock):
    only(session, "backprop-relu-mse")
    app = make_app(session, clock, start="review")
    typed = ["1", "2", "3", "4", "5"]

    async def scenario(pilot):
        screen = app.screen
        for text in typed:
            await type_text(pilot, text)
            await pilot.press("enter")
            await settle(pilot)
        assert screen.phase == "graded"
        seed, marks = screen.shown.variant.seed, [r.result for r in screen.card_view.query("StepRow")]
        await pilot.press("enter")  # the proposal
        await settle(pilot)
        assert len(reviews(session)) == 1
        app.set_focus(None)
        await pilot.press("u")
        await settle(pilot)
        assert screen.shown.variant.seed == seed
        assert boxes(app) == typed
        assert [r.result for r in screen.card_view.query("StepRow")] == marks
        assert screen.phase == "graded"

    drive(app, scenario)


def test_escape_after_a_verdict_saves_the_proposed_rating_undoably(session, clock):
    only(session, "sigmoid-slope-at-z", "backprop-relu-mse")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        await type_text(pilot, "0.5")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.phase == "graded"
        await pilot.press("escape")  # leave the graded card
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
        assert reviews(session) == [("sigmoid-slope-at-z", "review", 1, "incorrect")]  # Again, proposed
        assert any("saved as Again" in n for n in notes(app))

    drive(app, scenario)
    assert session.undo().card_id == "sigmoid-slope-at-z"  # … and undoable
    assert reviews(session) == []


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
def test_quit_after_a_verdict_saves_the_proposed_rating(session, clock, key):
    only(session, "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        await type_text(pilot, "0.5")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)

    drive(app, scenario)
    assert reviews(session) == [("sigmoid-slope-at-z", "review", 1, "incorrect")]


def test_undo_on_a_graded_card_does_not_dodge_it(session, clock):
    only(session, "relu-definition", "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        await pilot.press("space", "3")
        await settle(pilot)
        await type_text(pilot, "0.5")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")  # back to the previous card? not past a graded one
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-slope-at-z" and screen.phase == "graded"
        assert reviews(session) == [("relu-definition", "review", 3, "self")]
        assert any("Rate this card first" in n for n in notes(app))

    drive(app, scenario)


def test_the_undo_hint_after_bury_names_a_key_that_works_in_the_answer_box(session, clock):
    only(session, "sigmoid-slope-at-z", "backprop-relu-mse")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        await pilot.press("escape", "minus")  # bury
        await settle(pilot)
        assert screen.shown.card_id == "backprop-relu-mse"
        assert isinstance(app.focused, Input)  # the next card's first box has the focus
        hint = next(n for n in notes(app) if n.startswith("Buried"))
        assert "ctrl+z" in hint
        await pilot.press("ctrl+z")  # the key the hint names, pressed where the focus is
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-slope-at-z"
        assert inside.collection(session).card(PACK, "sigmoid-slope-at-z").buried_until is None
        assert boxes(app) == [""]  # nothing typed into a box

    drive(app, scenario)


def slow_grading(monkeypatch, seconds: float) -> None:
    """Every grading call of the app waits ``seconds`` first (it runs in a worker thread)."""
    from quizact.sitting import Sitting

    for name in ("submit", "grade_steps"):
        real = getattr(Sitting, name)

        def slow(*args, _real=real, **kwargs):
            time.sleep(seconds)
            return _real(*args, **kwargs)

        monkeypatch.setattr(Sitting, name, slow)


def test_keys_typed_while_a_step_is_graded_keep_its_answer(session, clock, monkeypatch):
    only(session, "backprop-relu-mse")
    slow_grading(monkeypatch, 0.4)  # grading slow enough to type into
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        view = app.screen.card_view
        await type_text(pilot, "0.2")
        await pilot.press("enter")
        await pilot.press("7", "enter")  # typed on at once, while step 1 is being graded
        assert view.busy
        await settle(pilot)
        rows = list(view.query("StepRow"))
        assert boxes(app)[:2] == ["0.2", "7"]  # step 1 graded as typed; the 7 went to step 2
        assert rows[0].result is not None and rows[0].result.status == "incorrect"
        assert rows[1].result is not None  # the Enter typed meanwhile checked step 2
        assert all(r.result is None or "empty" not in (r.result.feedback or "") for r in rows)
        assert isinstance(app.focused, Input) and app.focused is rows[2].box.input

    drive(app, scenario)


def test_keys_typed_while_an_answer_is_graded_keep_it(session, clock, monkeypatch):
    only(session, "sigmoid-slope-at-z")
    slow_grading(monkeypatch, 1.0)
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        view = app.screen.card_view
        await type_text(pilot, "0.5")
        await pilot.press("enter")
        assert view.busy
        await pilot.press("1", "backspace", "backspace", "backspace", "backspace")
        assert view.busy
        await settle(pilot)
        assert boxes(app) == ["0.5"] and view.answers == ["0.5"]
        assert app.screen.phase == "graded"

    drive(app, scenario)


def test_a_rating_counts_only_once_saved_and_waits_out_a_held_lock(session, clock):
    only(session, "relu-definition", "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        await pilot.press("space")
        await settle(pilot)
        holder = hold_lock(inside.collection(session).path, 2.0)  # another quizact writing, 2 s
        held = time.monotonic()  # the holder lets go 2 s from now, not before
        await pilot.press("3")
        seen_waiting = False
        while time.monotonic() < held + 1.6:
            await pilot.pause(0.1)
            if time.monotonic() >= held + 1.9:
                break  # a slow pause: the holder may have let go already
            assert screen.tally.done == 0 and screen.shown.card_id == "relu-definition"
            seen_waiting |= "waiting for another quizact" in screen_text(app)
        assert seen_waiting
        holder.wait(timeout=10)
        await settle(pilot)
        assert screen.tally.done == 1 and screen.shown.card_id == "sigmoid-slope-at-z"
        assert "waiting" not in screen_text(app)
        assert not [n for n in app._notifications if n.severity == "error"]

    drive(app, scenario)
    assert reviews(session) == [("relu-definition", "review", 3, "self")]


def test_quit_while_a_save_waits_for_the_lock_says_it_was_not_saved(session, clock):
    only(session, "relu-definition", "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        await pilot.press("space")
        await settle(pilot)
        holder = hold_lock(inside.collection(session).path, 3.0)
        try:
            await pilot.press("3")
            await pilot.pause(0.8)
            assert "waiting for another quizact" in screen_text(app)
            await pilot.press("q")  # the learner gives up waiting
            for _ in range(40):  # the save stops waiting at its next attempt (≤ 0.5 s)
                await pilot.pause(0.1)
                said.extend(str(r) for r in app._exit_renderables)
                if said:
                    break
            assert screen.tally.done == 0
        finally:
            holder.wait(timeout=10)

    said: list[str] = []  # what the app prints as it exits
    drive(app, scenario)
    assert any("not saved" in r for r in said)
    assert reviews(session) == []  # not counted, not saved


def test_a_burst_of_keys_grades_each_step_as_it_was_when_enter_was_pressed(session, clock):
    """Keys arriving together (a paste, a fast typist over ssh): the text a step had when
    Enter reached it is what is graded, whatever follows."""
    from textual import events

    only(session, "backprop-relu-mse")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        view = app.screen.card_view
        keys = [("1", "1"), ("enter", "\r"), ("1", "1"), ("enter", "\r"), ("full_stop", "."), ("3", "3"),
                ("enter", "\r"), ("4", "4")]  # fmt: skip
        for key, char in keys:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await settle(pilot)
        rows = list(view.query("StepRow"))
        # each Enter ended its step and had it checked; what followed went on to the next step
        assert boxes(app) == ["1", "1", ".3", "4", ""]
        assert [r.result is not None for r in rows] == [True, True, True, False, False]
        assert app.focused is rows[3].box.input and view.answers == []

    drive(app, scenario)
