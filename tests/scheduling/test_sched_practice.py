"""Practice is logged apart and never changes the schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizact.scheduling import CardNotFound


def test_practice_leaves_every_card_row_untouched(collection, study, add_pack, all_rows, now):
    ids = add_pack(collection, 5)
    study.rate("p", ids[0], 3, now)
    study.rate("p", ids[1], 4, now)
    rows, counts, undo = all_rows(collection), study.counts(now), study.undo_depth()
    for i in range(40):
        review_id = study.log_practice(
            "p", ids[i % 5], now + timedelta(minutes=i), status=("correct", "incorrect", "invalid")[i % 3],
            score=(i % 3) / 2, answers={"step1": "0.5"}, seed=i, duration_ms=900,
        )  # fmt: skip
        assert review_id > 0
    assert all_rows(collection) == rows
    assert study.counts(now) == counts and study.undo_depth() == undo
    modes = dict(collection.query("SELECT mode, count(*) FROM reviews GROUP BY mode"))
    assert modes == {"practice": 40, "review": 2}
    assert study.stats(now)["reviews_per_day"] == {"2026-03-02": 2}


def test_practice_may_log_a_self_rating(collection, study, add_pack, now):
    add_pack(collection, 1)
    review_id = study.log_practice("p", "c0000", now, status="self", rating=2)
    assert collection.query_one("SELECT rating, mode FROM reviews WHERE id = ?", (review_id,)) == (2, "practice")


def test_practice_on_an_unknown_card(collection, study, now):
    with pytest.raises(CardNotFound):
        study.log_practice("p", "missing", now, status="correct")
