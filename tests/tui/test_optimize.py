"""The Optimize dialog (command palette): progress while it fits, then how it ended.

fsrs' optimizer stands in for itself here, gated so the test sees the bar part-way; the
real one runs in ``tests/scheduling/test_optimizer_real.py``.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from textual.widgets import ProgressBar, Static

from quizact.storage.cards import insert_review
from quizact.storage.timeutil import iso
from quizact.tui.screens.optimize import OptimizeScreen
from tests import inside
from tests.tui.conftest import NOW, drive, make_app, settle, until


def fill(col, n):
    with col.transaction() as conn:
        for i in range(n):
            insert_review(conn, pack_id="p", card_id=f"c{i % 40}", reviewed_at=iso(NOW + timedelta(days=i // 40)),
                          mode="review", rating=1 + i % 4, duration_ms=1000)  # fmt: skip


FITTED = [p * 1.01 if i < 4 else p for i, p in enumerate(DEFAULT_PARAMETERS)]


def gated_optimizer(gate: threading.Event, halfway: threading.Event, losses):
    class Gated:
        """Reads the cards' histories as fsrs' passes do: the count and the first epoch's
        training, then waits for ``gate``, then the rest."""

        def __init__(self, logs):
            self._revlogs_train = {}
            for log in logs:
                self._revlogs_train.setdefault(log.card_id, []).append(log)

        def _compute_batch_loss(self, *, parameters):
            for k in list(self._revlogs_train):
                self._revlogs_train[k]
            return losses[tuple(parameters)]

        def compute_optimal_parameters(self, verbose=False):
            ids = list(self._revlogs_train)
            for _ in range(2):
                for k in ids:
                    self._revlogs_train[k]
            halfway.set()
            assert gate.wait(20)
            for _ in range(9):
                for k in ids:
                    self._revlogs_train[k]
            return list(FITTED)

    return Gated


def gated_app(session, clock, monkeypatch, losses: dict, *, open_gate: bool):
    """The app over 600 reviews, fsrs' optimizer gated; returns it, the gate and the
    event set half-way through the fit."""
    import fsrs.optimizer

    gate, halfway = threading.Event(), threading.Event()
    if open_gate:
        gate.set()
    monkeypatch.setattr(fsrs.optimizer, "Optimizer", gated_optimizer(gate, halfway, losses))
    fill(inside.collection(session), 600)
    return make_app(session, clock), gate, halfway


def _text(app, wid):
    return str(app.screen.query_one(wid, Static).content)


def test_progress_moves_while_fitting_then_the_fit_is_stored(session, clock, monkeypatch):
    losses = {tuple(DEFAULT_PARAMETERS): 0.40, tuple(FITTED): 0.35}
    app, gate, halfway = gated_app(session, clock, monkeypatch, losses, open_gate=False)

    async def scenario(pilot):
        app.action_optimize()
        for _ in range(200):  # (settle would wait for the gated worker itself)
            if halfway.is_set():
                break
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        assert isinstance(app.screen, OptimizeScreen)
        bar = app.screen.query_one(ProgressBar)
        # three of the twelve passes over the log: the loss before, the count, the first
        # epoch's training
        assert bar.progress / bar.total == 0.25
        assert "fitting: epoch 1 of 5" in _text(app, "#optimize-stage")
        await pilot.press("escape")  # not while it runs
        assert isinstance(app.screen, OptimizeScreen)
        gate.set()
        assert await until(pilot, lambda: not app.screen.running)
        assert bar.progress == bar.total
        assert "Stored the fitted parameters (log loss 0.4000 with the current parameters, 0.3500" in _text(
            app, "#optimize-outcome")
        assert inside.collection(session).settings().fsrs_parameters == tuple(FITTED)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, OptimizeScreen)

    drive(app, scenario)


def test_a_worse_fit_says_it_was_not_stored(session, clock, monkeypatch):
    losses = {tuple(DEFAULT_PARAMETERS): 0.4839, tuple(FITTED): 0.4904}
    app, _, _ = gated_app(session, clock, monkeypatch, losses, open_gate=True)

    async def scenario(pilot):
        app.action_optimize()
        assert await until(pilot, lambda: isinstance(app.screen, OptimizeScreen) and not app.screen.running)
        assert "Not stored: the fitted parameters predict your reviews worse" in _text(app, "#optimize-outcome")
        assert inside.collection(session).settings().fsrs_parameters is None

    drive(app, scenario)


def test_too_little_history_is_explained(session, clock):
    fill(inside.collection(session), 100)
    app = make_app(session, clock)

    async def scenario(pilot):
        app.action_optimize()
        assert await until(pilot, lambda: isinstance(app.screen, OptimizeScreen) and not app.screen.running)
        assert "needs at least 512 reviews made a day or more" in _text(app, "#optimize-outcome")

    drive(app, scenario)


def test_the_command_palette_offers_it(session, clock):
    app = make_app(session, clock)

    async def scenario(pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Optimize FSRS parameters" in titles

    drive(app, scenario)


@pytest.mark.optimizer
def test_the_real_optimizer_in_the_app(session, clock):
    pytest.importorskip("torch", reason="the optimizer extra is not installed: pip install 'quizact[optimizer]'")
    from tests.scheduling.test_optimizer_real import simulate

    simulate(inside.collection(session), NOW, cards=120, reviews_per_card=9)
    app = make_app(session, clock)
    seen: list[float] = []

    async def scenario(pilot):
        app.action_optimize()
        for _ in range(1200):  # (settle would wait for the fit itself)
            await pilot.pause(0.05)
            if isinstance(app.screen, OptimizeScreen):
                bar = app.screen.query_one(ProgressBar)
                seen.append(bar.progress / bar.total)
                if not app.screen.running:
                    break
        assert "Stored the fitted parameters" in _text(app, "#optimize-outcome")
        assert any(0 < f < 1 for f in seen)  # drawn part-way, not only at the start and the end
        assert inside.collection(session).settings().fsrs_parameters is not None

    drive(app, scenario)
