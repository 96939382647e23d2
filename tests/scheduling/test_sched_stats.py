"""Statistics: heatmap days in the collection's zone, forecast, true retention, streak."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from quizact.storage import stats
from quizact.storage.cards import insert_review
from quizact.storage.timeutil import iso

NY = ZoneInfo("America/New_York")


def log(col, card, at, rating=3, state_before=2, ivl=5.0, mode="review"):
    with col.transaction() as conn:
        insert_review(
            conn, pack_id="p", card_id=card, reviewed_at=iso(at), mode=mode, rating=rating,
            state_before=state_before, ivl_before=ivl,
        )  # fmt: skip


def test_reviews_per_day_uses_study_days_in_the_zone(collection):
    collection.update_settings(timezone="America/New_York")
    now = datetime(2026, 3, 10, 20, 0, tzinfo=NY)
    log(collection, "a", datetime(2026, 3, 10, 3, 59, tzinfo=NY))  # study day 9 March
    log(collection, "a", datetime(2026, 3, 10, 4, 0, tzinfo=NY))
    log(collection, "b", datetime(2026, 3, 10, 23, 30, tzinfo=NY))  # 03:30 UTC on the 11th
    log(collection, "b", datetime(2026, 3, 10, 12, 0, tzinfo=NY), mode="practice")
    log(collection, "c", datetime(2025, 1, 1, 12, 0, tzinfo=NY))  # older than a year
    assert stats.reviews_per_day(collection, now) == {"2026-03-09": 1, "2026-03-10": 2}


def test_forecast(collection, study, add_pack, now):
    add_pack(collection, 3)
    study.rate("p", "c0000", 4, now)  # Easy: review in 8 days
    study.rate("p", "c0001", 3, now)  # learning, due in 10 minutes
    due = collection.card("p", "c0000").due
    days = stats.forecast(collection, now)
    assert len(days) == 30 and days[0] == {"date": "2026-03-02", "learning": 1, "review": 0}
    hit = [d for d in days if d["review"]]
    assert hit == [{"date": (due - timedelta(hours=4)).date().isoformat(), "learning": 0, "review": 1}]
    study.rate("p", "c0002", 4, now - timedelta(days=20))  # overdue counts today
    assert stats.forecast(collection, now)[0]["review"] == 1


def test_true_retention_first_review_per_day_young_and_mature(collection, now):
    day = now.replace(hour=12)
    log(collection, "young", day - timedelta(days=2), rating=1, ivl=3)  # first of the day: fail
    log(collection, "young", day - timedelta(days=2, hours=-1), rating=3, ivl=0.01)  # same day: ignored
    log(collection, "young2", day - timedelta(days=1), rating=2, ivl=20.9)  # Hard is a pass
    log(collection, "mature", day, rating=4, ivl=45)
    log(collection, "mature", day - timedelta(days=3), rating=1, ivl=21)
    log(collection, "mature", day - timedelta(days=40), rating=1, ivl=30)  # outside 30 days
    log(collection, "learning", day, rating=1, state_before=1, ivl=None)  # not a review-state card
    log(collection, "practice", day, rating=1, mode="practice")
    r = stats.true_retention(collection, now.replace(hour=23))
    assert r["young"] == {"passed": 1, "failed": 1, "retention": 0.5}
    assert r["mature"] == {"passed": 1, "failed": 1, "retention": 0.5}
    assert r["total"] == {"passed": 2, "failed": 2, "retention": 0.5}


def test_counts_by_state(collection, study, add_pack, now):
    add_pack(collection, 6)
    study.rate("p", "c0000", 3, now)
    study.rate("p", "c0001", 4, now)
    study.bury("p", "c0002", now)
    study.suspend("p", "c0003", now)
    collection.sync_pack("p", "P", 2, "builtin", [], now=now)  # retire everything ...
    add_pack(collection, 5)  # ... and bring back five
    assert stats.counts_by_state(collection, now) == {
        "new": 2, "learning": 1, "review": 1, "relearning": 0,
        "suspended": 1, "buried": 1, "leech": 0, "retired": 1,
    }  # fmt: skip


def test_streak(collection, now):
    assert stats.streak(collection, now) == {"days": 0, "studied_today": False}
    for back in (1, 2, 3, 5):
        log(collection, "a", now - timedelta(days=back))
    assert stats.streak(collection, now) == {"days": 3, "studied_today": False}
    log(collection, "a", now)
    assert stats.streak(collection, now) == {"days": 4, "studied_today": True}


def test_summary_is_json_ready(collection, study, add_pack, now):
    add_pack(collection, 2)
    study.rate("p", "c0000", 3, now)
    summary = study.stats(now)
    assert set(summary) == {"counts_by_state", "reviews_per_day", "forecast", "retention", "streak"}
    assert json.loads(json.dumps(summary)) == summary
