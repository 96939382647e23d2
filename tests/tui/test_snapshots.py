"""SVG snapshots of the key screens (fixed clock and seeds: deterministic).

Update with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs
in ``tests/tui/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from quizact.tui.screens.review import ReviewScreen
from tests import inside

from .conftest import make_app, only, settle, type_text


def test_dashboard(snap_compare, session, clock):
    app = make_app(session, clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_recall_revealed(snap_compare, session, clock):
    only(session, "relu-definition")
    app = make_app(session, clock, start="review")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_practice_choice_graded(snap_compare, session, clock):
    app = make_app(session, clock)

    async def run_before(pilot):
        await settle(pilot)
        app.practice([("quizact-sample", "sigmoid-range")])
        await settle(pilot)
        await pilot.press("a", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_symbolic_invalid_with_caret(snap_compare, session, clock):
    only(session, "sigmoid-derivative")
    app = make_app(session, clock, start="review")

    async def run_before(pilot):
        await settle(pilot)
        await type_text(pilot, "sigmoid(z)(1 - sigmoid(z)")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_symbolic_graded_with_plot(snap_compare, session, clock):
    only(session, "sigmoid-derivative")
    app = make_app(session, clock, start="review")

    async def run_before(pilot):
        await settle(pilot)
        await type_text(pilot, "sigmoid(z)")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(110, 40), run_before=run_before)


def test_steps_error_carried_forward(snap_compare, session, clock):
    only(session, "backprop-relu-mse")
    app = make_app(session, clock, start="review")

    async def run_before(pilot):
        await settle(pilot)
        p = app.screen.shown.variant.params
        z1 = p["W1"] * p["x"] + 1.0
        for answer in (f"{z1:g}", f"{p['W2'] * z1:g}"):
            await type_text(pilot, answer)
            await pilot.press("enter")
            await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 36), run_before=run_before)


def test_session_summary(snap_compare, session, clock):
    only(session, "relu-definition")
    inside.collection(session).update_settings(learning_steps=["1d"])
    app = make_app(session, clock, start="review")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.phase == "done"

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_practice_form(snap_compare, session, clock):
    app = make_app(session, clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#practice-tags", SelectionList).select("sigmoid")
        app.screen.query_one("#practice-count", Input).value = "10"
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_browse(snap_compare, session, clock):
    app = make_app(session, clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_stats(snap_compare, session, clock):
    only(session, "relu-definition", "sigmoid-range")
    for card_id, rating in (("relu-definition", 3), ("sigmoid-range", 1)):
        inside.study(session).rate("quizact-sample", card_id, rating, clock.now)
    app = make_app(session, clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run_before)
