"""One definition of "today": the dashboard's figure, the statistics' figure and a count
made here from first principles agree, with reviews across local midnight, across the
rollover hour and across a clock change (New York, rollover 04:00).

The independent count: a review belongs to the study day named by the local date of its
wall-clock time minus the rollover hours (before 04:00 it is still yesterday).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from quizact.session import Session
from tests.scheduling.test_counts import PACK, write_pack

NY = ZoneInfo("America/New_York")
ROLLOVER = 4

#: local wall-clock times of the reviews, in order: the spring clock change (02:00 -> 03:00
#: on 8 March 2026), local midnights and the 04:00 rollover on either side
LOCAL = [
    (2026, 3, 7, 23, 50), (2026, 3, 8, 0, 10), (2026, 3, 8, 1, 59), (2026, 3, 8, 3, 30),
    (2026, 3, 8, 3, 59), (2026, 3, 8, 4, 0), (2026, 3, 8, 12, 0),
    (2026, 3, 9, 3, 59), (2026, 3, 9, 4, 0), (2026, 3, 9, 23, 59), (2026, 3, 10, 0, 0),
    (2026, 3, 10, 0, 30), (2026, 3, 10, 3, 59), (2026, 3, 10, 4, 0), (2026, 3, 10, 4, 1),
]


def study_date(instant: datetime):
    wall = instant.astimezone(NY).replace(tzinfo=None)
    return (wall - timedelta(hours=ROLLOVER)).date()


def test_dashboard_today_equals_stats_today_equals_an_independent_count(tmp_path):
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    session = Session.open(tmp_path / "c.sqlite3", start, timezone="America/New_York",
                           sources=[write_pack(tmp_path)])  # fmt: skip
    try:
        assert session.settings().rollover_hour == ROLLOVER
        done: list[datetime] = []
        seen = set()
        for i, parts in enumerate(LOCAL):
            when = datetime(*parts, tzinfo=NY).astimezone(timezone.utc)
            card_id = "abcdefgh"[i % 8]  # new cards, learning steps and reviews alike
            session.rate(session.present(PACK, card_id, when, random.Random(i)), 3, when)
            done.append(when)
            for now in (when + timedelta(seconds=1), when + timedelta(minutes=30)):
                expected = sum(study_date(t) == study_date(now) for t in done)
                dashboard = session.dashboard(now)["reviews_today"]
                stats = session.stats(now)
                today = stats["forecast"][0]["date"]
                assert today == study_date(now).isoformat()
                assert dashboard == stats["reviews_per_day"].get(today, 0) == expected, (parts, now)
                seen.add(expected)
        assert max(seen) >= 4 and 1 in seen  # the days really held several reviews, and one
        # by hand: 8 March (04:00 to 04:00) holds 04:00, 12:00 and 9 March 03:59
        assert session.stats(datetime(2026, 3, 9, 7, 59, tzinfo=timezone.utc))["reviews_per_day"]["2026-03-08"] == 3
        # 7 March's study day: 23:50, 00:10, 01:59, 03:30 (EDT, after the jump), 03:59
        assert session.dashboard(datetime(2026, 3, 8, 7, 59, tzinfo=timezone.utc))["reviews_today"] == 5
    finally:
        session.close()
