"""The daily queue: limits, order, learning steps, bury and suspend, over simulated days."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from quizact.storage import study_day

NY = ZoneInfo("America/New_York")


def test_limits_hold_over_forty_simulated_days(collection, study, add_pack):
    collection.update_settings(timezone="America/New_York", new_per_day=10, reviews_per_day=8)
    add_pack(collection, 150)
    rng = random.Random(3)
    review_limit_hit = 0
    for day in range(40):
        t = datetime(2026, 3, 2, 19, 0, tzinfo=NY) + timedelta(days=day)
        counts = study.counts(t)
        due_cards = collection.query_one(
            "SELECT count(*) FROM cards WHERE state = 2 AND due < ? AND suspended = 0",
            (study.day(t).end_iso,),
        )[0]
        new_cards = collection.query_one("SELECT count(*) FROM cards WHERE state = 0")[0]
        assert counts["total"]["new"] == min(10, new_cards)
        assert counts["total"]["due"] == min(8, due_cards)
        review_limit_hit += due_cards > 8
        shown = 0
        while (key := study.next_card(t)) is not None:
            study.rate(*key, 1 if rng.random() < 0.15 else 3, t)
            t += timedelta(seconds=40)
            shown += 1
            assert shown < 500
        assert study.counts(t)["total"] == {"new": 0, "learning": 0, "due": 0} or (
            study.next_learning_due(t) is not None
        )
    rows = collection.query("SELECT reviewed_at, state_before FROM reviews WHERE mode = 'review'")
    per_day: Counter = Counter()
    for at, state_before in rows:
        d = study_day(datetime.fromisoformat(at), "America/New_York", 4).date
        per_day[(d, state_before)] += 1
    days = {d for d, _ in per_day}
    assert len(days) == 40
    assert all(per_day[(d, 0)] <= 10 and per_day[(d, 2)] <= 8 for d in days)
    assert sum(per_day[(d, 0)] for d in days) == 150  # every card was introduced, 10 a day
    assert max(per_day[(d, 2)] for d in days) == 8 and review_limit_hit >= 3


def test_order_is_learning_then_reviews_then_new(collection, study, add_pack, now):
    add_pack(collection, 4)
    study.rate("p", "c0000", 4, now)  # review, due in days
    study.rate("p", "c0001", 4, now)
    study.rate("p", "c0002", 1, now)  # learning, due in 1 minute
    later = now + timedelta(days=30)
    assert study.next_card(later) == ("p", "c0002")
    study.rate("p", "c0002", 4, later)
    order = []
    while (key := study.next_card(later)) is not None:
        order.append(key[1])
        study.rate(*key, 4, later)
    assert order == ["c0000", "c0001", "c0003"]  # reviews by due date, then the new card


def test_learning_cards_come_back_when_due(collection, study, add_pack, now):
    collection.update_settings(learn_ahead_minutes=0)
    add_pack(collection, 1)
    study.rate("p", "c0000", 3, now)  # step 1: due in 10 minutes
    assert study.counts(now)["total"]["learning"] == 1
    assert study.next_card(now + timedelta(minutes=9)) is None
    assert study.next_learning_due(now) == now + timedelta(minutes=10)
    assert study.next_card(now + timedelta(minutes=10)) == ("p", "c0000")


def test_learn_ahead_when_nothing_else_is_left(collection, study, add_pack, now):
    add_pack(collection, 1)
    study.rate("p", "c0000", 3, now)  # due in 10 minutes; learn-ahead is 20
    assert study.next_card(now) == ("p", "c0000")
    collection.update_settings(learn_ahead_minutes=5)
    assert study.next_card(now) is None


def test_bury_until_the_next_study_day(collection, study, add_pack, now):
    add_pack(collection, 2)
    until = study.bury("p", "c0000", now)
    assert until == study.day(now).end
    assert study.next_card(now) == ("p", "c0001")
    assert study.counts(now)["total"]["new"] == 1
    assert study.next_card(until - timedelta(seconds=1)) == ("p", "c0001")
    assert study.next_card(until) == ("p", "c0000")  # unburied by the rollover, nothing to clear


def test_suspend_and_unsuspend(collection, study, add_pack, now):
    add_pack(collection, 2)
    study.suspend("p", "c0000", now)
    assert study.next_card(now) == ("p", "c0001") and collection.card("p", "c0000").suspended
    study.unsuspend("p", "c0000", now)
    assert study.next_card(now) == ("p", "c0000")


def test_counts_per_pack_and_filters(collection, study, add_pack, now):
    collection.update_settings(new_per_day=5)
    add_pack(collection, 3, "a")
    add_pack(collection, 4, "b")
    counts = study.counts(now)
    assert counts["packs"] == {
        "a": {"new": 3, "learning": 0, "due": 0},
        "b": {"new": 4, "learning": 0, "due": 0},
    }
    assert counts["total"]["new"] == 5  # the limit is shared
    assert study.counts(now, packs=["b"])["packs"].keys() == {"b"}
    assert study.next_card(now) == ("a", "c0000")
    assert study.next_card(now, packs=["b"]) == ("b", "c0000")
    assert study.next_card(now, packs=["nope"]) is None


def test_zero_limits(collection, study, add_pack, now):
    add_pack(collection, 2)
    study.rate("p", "c0000", 4, now)
    collection.update_settings(new_per_day=0, reviews_per_day=0)
    later = now + timedelta(days=60)
    assert study.counts(later)["total"] == {"new": 0, "learning": 0, "due": 0}
    assert study.next_card(later) is None
