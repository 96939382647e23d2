"""The real fsrs optimizer (torch) over a simulated learner's review log.

Marked ``optimizer``; runs where the ``optimizer`` extra is installed (CI installs it:
``pip install torch==2.13.0`` takes a CPU build from the machine's disk) and skips with
the reason otherwise.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

pytest.importorskip("torch", reason="the optimizer extra is not installed: pip install 'quizact[optimizer]'")
pytest.importorskip("pandas", reason="the optimizer extra is not installed: pip install 'quizact[optimizer]'")

from fsrs import Card, Rating, Scheduler  # noqa: E402
from fsrs.scheduler import DEFAULT_PARAMETERS  # noqa: E402

from quizact.optimizer import optimize, spaced_reviews  # noqa: E402
from quizact.storage.cards import insert_review  # noqa: E402
from quizact.storage.timeutil import iso, parse  # noqa: E402

pytestmark = pytest.mark.optimizer

# A learner who forgets faster than fsrs' defaults assume: initial stabilities a third.
TRUE = list(DEFAULT_PARAMETERS)
TRUE[0:4] = [w / 3 for w in TRUE[0:4]]


def simulate(col, now, cards: int, reviews_per_card: int, seed: int = 1) -> None:
    """Review each card when the default scheduler says it is due; recall happens with the
    probability the TRUE parameters give."""
    rng = random.Random(seed)
    plan = Scheduler(enable_fuzzing=False)
    truth = Scheduler(parameters=TRUE, enable_fuzzing=False)
    with col.transaction() as conn:
        for k in range(cards):
            shown, real = Card(), Card()
            when = now + timedelta(minutes=k)
            for _ in range(reviews_per_card):
                recalled = real.last_review is None or rng.random() < truth.get_card_retrievability(real, when)
                rating = (
                    Rating.Again if not recalled else rng.choice([Rating.Hard, Rating.Good, Rating.Good, Rating.Easy])
                )
                insert_review(conn, pack_id="p", card_id=f"c{k}", reviewed_at=iso(when), mode="review",
                              rating=int(rating), duration_ms=5000)  # fmt: skip
                shown, _ = plan.review_card(shown, rating, when)
                real, _ = truth.review_card(real, rating, when)
                when = max(shown.due, when + timedelta(minutes=1))


def _spaced(col) -> int:
    rows = col.query("SELECT pack_id, card_id, reviewed_at FROM reviews")
    return spaced_reviews(((p, c), parse(t)) for p, c, t in rows)


def test_real_fit_is_stored_with_progress(collection, now):
    simulate(collection, now, cards=120, reviews_per_card=9)
    assert _spaced(collection) >= 512
    reports = []
    result = optimize(collection, progress=reports.append)
    assert result["applied"] and result["loss_after"] < result["loss_before"]
    assert result["fitted"] != list(DEFAULT_PARAMETERS)
    assert collection.settings().fsrs_parameters == tuple(result["fitted"])
    # the fitted initial stabilities moved towards the learner's (a third of the defaults)
    assert sum(result["fitted"][0:4]) < sum(DEFAULT_PARAMETERS[0:4])
    fractions = [r.fraction for r in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(set(fractions)) > 50  # it moves while fitting, not only at the start and the end
    stages = [r.stage for r in reports]
    assert "fitting: epoch 1 of 5" in stages and "fitting: epoch 5 of 5" in stages
    assert stages[-1] == "stored"


def test_our_minimum_is_fsrs_own(collection, now):
    """Just below 512 spaced reviews fsrs itself returns its defaults; at 512 it fits."""
    from fsrs.optimizer import Optimizer

    simulate(collection, now, cards=120, reviews_per_card=9)
    rows = collection.query("SELECT card_id, rating, reviewed_at FROM reviews ORDER BY reviewed_at")
    from fsrs import ReviewLog

    logs = [ReviewLog(int(c[1:]) + 1, Rating(r), parse(t), 5000) for c, r, t in rows]
    by_time = sorted(logs, key=lambda log: log.review_datetime)

    def count(ls):
        return spaced_reviews((log.card_id, log.review_datetime) for log in ls)

    # drop reviews from the end of the log until exactly 511 spaced reviews are left, then 512
    cut = len(by_time)
    while count(by_time[:cut]) > 512:
        cut -= 1
    at_512 = by_time[:cut]
    assert count(at_512) == 512
    below = at_512[:-1]
    while count(below) > 511:
        below = below[:-1]
    assert count(below) == 511
    assert Optimizer(below).compute_optimal_parameters() == list(DEFAULT_PARAMETERS)
    assert Optimizer(at_512).compute_optimal_parameters() != list(DEFAULT_PARAMETERS)
