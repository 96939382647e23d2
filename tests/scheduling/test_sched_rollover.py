"""The study day rolls over at 4 a.m. local time in the collection's time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from quizact.storage import study_day

NY = ZoneInfo("America/New_York")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


@pytest.mark.parametrize(
    ("when", "day"),
    [
        (local(2026, 3, 2, 3, 59), date(2026, 3, 1)),
        (local(2026, 3, 2, 4, 0), date(2026, 3, 2)),
        (local(2026, 3, 2, 23, 59), date(2026, 3, 2)),
        (local(2026, 3, 3, 0, 30), date(2026, 3, 2)),
        (datetime(2026, 3, 2, 8, 59, tzinfo=timezone.utc), date(2026, 3, 1)),  # 03:59 EST
        (datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc), date(2026, 3, 2)),
    ],
)
def test_day_of_an_instant(when, day):
    sd = study_day(when, "America/New_York", 4)
    assert sd.date == day
    assert sd.start <= when < sd.end


def test_bounds_are_utc_and_follow_daylight_saving():
    # DST starts on 2026-03-08 at 2 a.m.: the study day from 4 a.m. on the 7th is 23 hours long
    before = study_day(local(2026, 3, 7, 12), "America/New_York", 4)
    assert before.start == datetime(2026, 3, 7, 9, tzinfo=timezone.utc)  # 4 a.m. EST
    assert before.end - before.start == timedelta(hours=23)
    dst = study_day(local(2026, 3, 8, 12), "America/New_York", 4)
    assert dst.start == before.end == datetime(2026, 3, 8, 8, tzinfo=timezone.utc)  # 4 a.m. EDT
    assert dst.end - dst.start == timedelta(hours=24)
    assert dst.start_iso == "2026-03-08T08:00:00.000000+00:00"


def test_other_rollover_hours_and_zones():
    assert study_day(datetime(2026, 3, 2, 0, 30, tzinfo=timezone.utc), "UTC", 0).date == date(2026, 3, 2)
    tokyo = study_day(datetime(2026, 3, 1, 18, 59, tzinfo=timezone.utc), "Asia/Tokyo", 4)  # 03:59 JST
    assert tokyo.date == date(2026, 3, 1)


def test_naive_now_is_rejected():
    with pytest.raises(ValueError, match="timezone-aware"):
        study_day(datetime(2026, 3, 2, 12), "UTC", 4)


def test_a_review_at_0359_counts_for_the_previous_day(collection, study, add_pack):
    collection.update_settings(timezone="America/New_York", new_per_day=1)
    add_pack(collection, 5)
    late = local(2026, 3, 2, 3, 59)  # still study day 2026-03-01
    first = study.next_card(late)
    study.rate(*first, 4, late)
    assert study.counts(late)["done_today"] == {"new": 1, "review": 0}
    assert study.next_card(local(2026, 3, 2, 3, 59, 30)) is None  # the day's one new card is used
    morning = local(2026, 3, 2, 4, 0)
    assert study.counts(morning)["done_today"] == {"new": 0, "review": 0}
    assert study.next_card(morning) not in (None, first)
    assert study.stats(morning)["reviews_per_day"] == {"2026-03-01": 1}
