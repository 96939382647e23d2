"""Fitting FSRS parameters: clear errors without the extra or the data, stored when better."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizact.scheduling import OptimizerUnavailable, TooFewReviews, optimize
from quizact.storage.cards import insert_review
from quizact.storage.timeutil import iso


def fill(col, n, now):
    with col.transaction() as conn:
        for i in range(n):
            insert_review(
                conn, pack_id="p", card_id=f"c{i % 40}", reviewed_at=iso(now + timedelta(days=i // 40)),
                mode="review", rating=1 + i % 4, duration_ms=1000,
            )  # fmt: skip


def test_too_few_reviews(collection, now):
    fill(collection, 100, now)
    with pytest.raises(TooFewReviews, match="at least 512 reviews; this collection has 100"):
        optimize(collection)


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


def test_fitted_parameters_are_stored(collection, now, monkeypatch):
    import fsrs.optimizer

    monkeypatch.setattr(fsrs.optimizer, "Optimizer", FakeOptimizer)
    fill(collection, 600, now)
    result = optimize(collection)
    assert result == {
        "reviews": 600, "parameters": FakeOptimizer.fitted,
        "loss_before": 0.40, "loss_after": 0.35, "applied": True,
    }  # fmt: skip
    assert collection.settings().fsrs_parameters == tuple(FakeOptimizer.fitted)
    logs = FakeOptimizer.seen
    assert len(logs) == 600 and len({log.card_id for log in logs}) == 40
    assert logs[0].review_datetime == now and int(logs[1].rating) == 2


def test_worse_parameters_are_not_stored(collection, now, monkeypatch):
    import fsrs.optimizer

    class Worse(FakeOptimizer):
        losses = {tuple(DEFAULT_PARAMETERS): 0.30, tuple(FakeOptimizer.fitted): 0.35}

    monkeypatch.setattr(fsrs.optimizer, "Optimizer", Worse)
    fill(collection, 600, now)
    result = optimize(collection)
    assert not result["applied"] and collection.settings().fsrs_parameters is None
