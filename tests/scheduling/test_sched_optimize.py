"""Fitting FSRS parameters: the minimum counted as fsrs counts, clear errors without the
extra or the data, stored only when better, and the CLI saying which (exit 3 when not).

fsrs' optimizer stands in for itself here (it needs torch); the real one runs in
``test_optimizer_real.py``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizact.cli import main
from quizact.optimizer import spaced_reviews
from quizact.scheduling import OptimizerUnavailable, TooFewReviews, optimize
from quizact.storage.cards import insert_review
from quizact.storage.timeutil import iso


def fill(col, n, now):
    """``n`` reviews of 40 cards, each card once a day: every review after a card's first is
    a day after its previous one."""
    with col.transaction() as conn:
        for i in range(n):
            insert_review(
                conn, pack_id="p", card_id=f"c{i % 40}", reviewed_at=iso(now + timedelta(days=i // 40)),
                mode="review", rating=1 + i % 4, duration_ms=1000,
            )  # fmt: skip


def add(col, card, times, rating=3):
    with col.transaction() as conn:
        for t in times:
            insert_review(conn, pack_id="p", card_id=card, reviewed_at=iso(t), mode="review", rating=rating,
                          duration_ms=1000)  # fmt: skip


def test_600_reviews_with_198_a_day_apart_are_too_few(collection, now):
    # 99 cards x 6 reviews: 09:00, 09:10, 09:20 on day 0, 09:20 next day (24 h: counts),
    # 10:00 that day (40 min: does not), 10:00 the day after (counts): 2 each, 198 in all;
    # a 100th card has 6 reviews an hour apart (none counts). 600 rows.
    h = timedelta(hours=1)
    for k in range(99):
        t0 = now + timedelta(minutes=k)
        add(collection, f"c{k}", [t0, t0 + h / 6, t0 + h / 3, t0 + h / 3 + timedelta(days=1),
                                  t0 + h + timedelta(days=1), t0 + h + timedelta(days=2)])  # fmt: skip
    add(collection, "hourly", [now + k * h for k in range(6)])
    with pytest.raises(TooFewReviews, match=r"at least 512 reviews .* this collection has 198 \(of 600 reviews\)"):
        optimize(collection)


def test_a_day_means_24_hours_and_a_card_counts_its_first_64_reviews(now):
    day = timedelta(days=1)
    almost = day - timedelta(seconds=1)
    assert spaced_reviews([("a", now), ("a", now + almost)]) == 0
    assert spaced_reviews([("a", now), ("a", now + day)]) == 1
    assert spaced_reviews([("a", now + day), ("a", now)]) == 1  # in time order, whatever the log's order
    assert spaced_reviews([("a", now), ("b", now + day)]) == 0  # another card's review is no gap
    assert spaced_reviews([("a", now + k * day) for k in range(100)]) == 63


def test_too_few_reviews_cli_says_so(db_path, now, collection):
    fill(collection, 100, now)
    result = CliRunner().invoke(main, ["--db", str(db_path), "optimize"])
    assert result.exit_code == 1
    assert "at least 512 reviews made a day or more after the same card's previous review" in result.output
    assert "has 60 (of 100 reviews)" in result.output  # 40 cards: first reviews never count


def test_optimizer_not_installed(collection, now, monkeypatch):
    import fsrs.optimizer

    class Missing:
        def __init__(self, *args, **kwargs):
            raise ImportError("Optimizer is not installed")

    monkeypatch.setattr(fsrs.optimizer, "Optimizer", Missing)
    fill(collection, 600, now)
    with pytest.raises(OptimizerUnavailable, match=r"quizact\[optimizer\]"):
        optimize(collection)


class FakeOptimizer:
    fitted = [p * 1.01 if i < 4 else p for i, p in enumerate(DEFAULT_PARAMETERS)]
    losses = {tuple(DEFAULT_PARAMETERS): 0.40, tuple(fitted): 0.35}
    seen: list = []

    def __init__(self, review_logs):
        FakeOptimizer.seen = list(review_logs)

    def _compute_batch_loss(self, *, parameters):
        return self.losses[tuple(parameters)]

    def compute_optimal_parameters(self, verbose=False):
        return list(self.fitted)


class Worse(FakeOptimizer):
    losses = {tuple(DEFAULT_PARAMETERS): 0.4839, tuple(FakeOptimizer.fitted): 0.4904}


def test_fitted_parameters_are_stored(collection, now, monkeypatch):
    import fsrs.optimizer

    monkeypatch.setattr(fsrs.optimizer, "Optimizer", FakeOptimizer)
    fill(collection, 600, now)
    reports = []
    result = optimize(collection, progress=reports.append)
    assert result == {
        "reviews": 600, "spaced": 560, "parameters": FakeOptimizer.fitted, "fitted": FakeOptimizer.fitted,
        "loss_before": 0.40, "loss_after": 0.35, "applied": True,
    }  # fmt: skip
    assert collection.settings().fsrs_parameters == tuple(FakeOptimizer.fitted)
    logs = FakeOptimizer.seen
    assert len(logs) == 600 and len({log.card_id for log in logs}) == 40
    assert logs[0].review_datetime == now and int(logs[1].rating) == 2
    assert reports[-1].fraction == 1.0 and reports[-1].stage == "stored"


def test_worse_parameters_are_not_stored(collection, now, monkeypatch):
    import fsrs.optimizer

    monkeypatch.setattr(fsrs.optimizer, "Optimizer", Worse)
    fill(collection, 600, now)
    result = optimize(collection)
    assert not result["applied"] and collection.settings().fsrs_parameters is None
    assert result["parameters"] == list(DEFAULT_PARAMETERS) and result["fitted"] == Worse.fitted


def test_cli_says_a_worse_fit_is_not_stored_and_exits_3(db_path, collection, now, monkeypatch):
    import fsrs.optimizer

    monkeypatch.setattr(fsrs.optimizer, "Optimizer", Worse)
    fill(collection, 600, now)
    result = CliRunner().invoke(main, ["--db", str(db_path), "optimize"])
    assert result.exit_code == 3
    assert "log loss 0.4839 with the current parameters, 0.4904 with the fitted ones" in result.output
    assert "not stored: the fitted parameters predict your reviews worse" in result.output
    assert collection.settings().fsrs_parameters is None


def test_cli_stores_a_better_fit_and_exits_0(db_path, collection, now, monkeypatch):
    import json

    import fsrs.optimizer

    monkeypatch.setattr(fsrs.optimizer, "Optimizer", FakeOptimizer)
    fill(collection, 600, now)
    result = CliRunner().invoke(main, ["--db", str(db_path), "optimize", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["applied"] is True and data["spaced"] == 560 and data["loss_after"] == 0.35
    assert collection.settings().fsrs_parameters == tuple(FakeOptimizer.fitted)
