"""Ratings through fsrs: pinned intervals, the review row, leeches, proposals, formatting."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quizact.scheduling import (
    CardNotFound,
    Rating,
    format_interval,
    make_scheduler,
    propose_rating,
)
from quizact.storage import Collection, Settings


def test_pinned_interval_history(collection, study, add_pack, now):
    add_pack(collection, 1)
    t, seen, times = now, [], []
    for rating in (3, 3, 3, 3, 1, 3, 3, 3):
        result = study.rate("p", "c0000", rating, t)
        seen.append((result.state, result.interval))
        times.append(t)
        t = result.due
    d, m = timedelta(days=1), timedelta(minutes=1)
    assert seen == [
        (1, 10 * m), (2, 2 * d), (2, 9 * d), (2, 43 * d),
        (3, 10 * m), (2, 3 * d), (2, 6 * d), (2, 20 * d),
    ]  # fmt: skip
    # stability and difficulty are fsrs' own, review for review
    plain = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1, due=now)
    for rating, at in zip((3, 3, 3, 3, 1, 3, 3, 3), times):
        card, _ = plain.review_card(card, fsrs.Rating(rating), at)
    stored = collection.card("p", "c0000")
    assert (stored.stability, stored.difficulty, stored.state) == (card.stability, card.difficulty, card.state)
    assert (stored.reps, stored.lapses) == (8, 1)


def test_fuzz_is_reproducible(tmp_path, add_pack, now):
    from quizact.scheduling import Study

    dues = []
    for name in ("one", "two"):
        with Collection.open(tmp_path / f"{name}.sqlite") as col:
            add_pack(col, 1)
            study, t = Study(col), now
            for _ in range(6):
                t = study.rate("p", "c0000", 3, t).due
            dues.append(t)
    assert dues[0] == dues[1]
    s = make_scheduler(Settings(), rng=random.Random(1))
    card = fsrs.Card(card_id=1, state=fsrs.State.Review, stability=50.0, difficulty=5.0, due=now, last_review=now)
    intervals = {s.review_card(card, fsrs.Rating.Good, now + timedelta(days=50))[0].due for _ in range(30)}
    assert len(intervals) > 1  # fuzz is on, drawn from the given rng


def test_review_row_records_before_and_after(collection, study, add_pack, now):
    add_pack(collection, 1)
    first = study.rate("p", "c0000", 3, now)
    before = collection.card_row("p", "c0000")
    result = study.rate(
        "p", "c0000", Rating.Hard, now + timedelta(minutes=12), status="correct", score=0.5,
        answers=["sigmoid(z)", "0.25"], seed=2**70, duration_ms=5300,
    )  # fmt: skip
    row = dict(
        zip(
            [c[1] for c in collection.query("PRAGMA table_info(reviews)")],
            collection.query_one("SELECT * FROM reviews WHERE id = ?", (result.review_id,)),
        )
    )
    after = collection.card_row("p", "c0000")
    assert result.review_id == first.review_id + 1
    assert (row["mode"], row["rating"], row["status"], row["score"]) == ("review", 2, "correct", 0.5)
    assert json.loads(row["answers"]) == ["sigmoid(z)", "0.25"] and row["seed"] == str(2**70)
    assert row["duration_ms"] == 5300 and row["reviewed_at"] == "2026-03-02T15:42:00.000000+00:00"
    assert (row["state_before"], row["step_before"], row["stability_before"]) == (1, 1, before["stability"])
    assert (row["due_before"], row["last_review_before"]) == (before["due"], before["last_review"])
    assert (row["state_after"], row["stability_after"], row["due_after"]) == (
        after["state"], after["stability"], after["due"],
    )  # fmt: skip
    assert result.to_dict()["rating"] == 2


def test_rating_accepts_any_aware_now_and_rejects_naive(collection, study, add_pack):
    add_pack(collection, 2)
    result = study.rate("p", "c0000", 3, datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Paris")))
    assert result.due.isoformat() == "2026-03-02T09:10:00+00:00"
    with pytest.raises(ValueError, match="timezone-aware"):
        study.rate("p", "c0001", 3, datetime(2026, 3, 2, 10))


def test_unknown_or_retired_cards(collection, study, add_pack, now):
    add_pack(collection, 2)
    collection.sync_pack("p", "P", 2, "builtin", [], now=now)
    with pytest.raises(CardNotFound):
        study.rate("p", "c0000", 3, now)
    with pytest.raises(CardNotFound):
        study.rate("p", "zzz", 3, now)
    with pytest.raises(ValueError):
        study.rate("p", "c0001", 5, now)
    with pytest.raises(ValueError, match="status must be one of"):
        study.rate("p", "c0001", 3, now, status="great")


def test_leech_is_flagged_and_suspended_at_the_threshold(collection, study, add_pack, now):
    collection.update_settings(leech_threshold=3)
    add_pack(collection, 1)
    t = study.rate("p", "c0000", 4, now).due  # straight to review
    lapses = []
    for _ in range(3):
        result = study.rate("p", "c0000", 1, t)  # a lapse
        lapses.append((result.lapses, result.leech))
        if not result.leech:
            t = study.rate("p", "c0000", 3, result.due).due  # relearned
    assert lapses == [(1, False), (2, False), (3, True)]
    card = collection.card("p", "c0000")
    assert card.suspended and card.flags == ("leech",)
    assert study.next_card(t + timedelta(days=365)) is None
    assert study.stats(t)["counts_by_state"]["leech"] == 1


def test_again_on_a_learning_card_is_not_a_lapse(collection, study, add_pack, now):
    collection.update_settings(leech_threshold=1)
    add_pack(collection, 1)
    for i in range(3):
        study.rate("p", "c0000", 1, now + timedelta(minutes=i))
    card = collection.card("p", "c0000")
    assert card.lapses == 0 and not card.suspended


def test_preview_intervals_for_a_new_card(collection, study, add_pack, now):
    add_pack(collection, 1)
    preview = study.preview_intervals(("p", "c0000"), now)
    assert preview == {
        Rating.Again: timedelta(minutes=1),
        Rating.Hard: timedelta(minutes=5, seconds=30),
        Rating.Good: timedelta(minutes=10),
        Rating.Easy: timedelta(days=8),
    }
    assert [format_interval(v) for v in preview.values()] == ["1m", "6m", "10m", "8d"]
    assert collection.card("p", "c0000").is_new  # previewing changes nothing
    with pytest.raises(CardNotFound):
        study.preview_intervals(("p", "nope"), now)


@pytest.mark.parametrize(
    ("status", "score", "retried", "rating"),
    [
        ("incorrect", 0.0, False, Rating.Again),
        ("incorrect", 0.5, True, Rating.Hard),  # partial credit
        ("incorrect", 0.5, False, Rating.Hard),
        ("correct", 1.0, False, Rating.Good),
        ("correct", None, False, Rating.Good),
        ("correct", 1.0, True, Rating.Hard),
        ("correct", 0.67, False, Rating.Hard),
    ],
)
def test_propose_rating(status, score, retried, rating):
    assert propose_rating(status, score, retried) == rating


@pytest.mark.parametrize("status", ["invalid", "self"])
def test_no_proposal_without_a_verdict(status):
    with pytest.raises(ValueError, match="no rating to propose"):
        propose_rating(status, None)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=90), "2h"),
        (timedelta(hours=23), "23h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=63), "2.1mo"),
        (timedelta(days=360), "12mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=438), "1.2y"),
    ],
)
def test_format_interval(delta, text):
    assert format_interval(delta) == text
