"""The SQL-aggregated statistics equal a straightforward computation in Python over the
raw review rows, on a small random collection with clock changes, a late rollover hour,
empty days and cards reviewed several times a day."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from quizact.storage import CardRow, stats
from quizact.storage.cards import insert_review
from quizact.storage.timeutil import iso, parse, study_day
from tests import inside

ZONES = [("America/New_York", 4), ("Europe/Berlin", 2), ("Asia/Kolkata", 0), ("UTC", 4)]


def fill(col, now, seed):
    rng = random.Random(seed)
    col.sync_pack("p", "P", 1, "src", [CardRow(f"c{i}", "recall", ("t",), "h") for i in range(12)], now=now)
    rows = []
    for _ in range(900):
        at = now - timedelta(days=rng.choice([rng.uniform(0, 40), rng.uniform(0, 400)]))
        if rng.random() < 0.1:  # around the clock changes and the rollover
            at = at.replace(hour=rng.choice([0, 1, 2, 3, 4, 5]), minute=rng.choice([0, 30, 59]))
        if rng.random() < 0.03:  # an empty month
            continue
        card = f"c{rng.randrange(12)}"
        rows.append((card, at))
        if rng.random() < 0.3:  # the same card again the same day (or the same instant)
            rows.append((card, at + timedelta(minutes=rng.choice([0, 5, 90]))))
    for back in range(0, 20):  # a run of days ending today
        rows.append((f"c{back % 12}", now - timedelta(days=back, minutes=1)))
    with col.transaction() as conn:
        for card, at in rows:
            if at > now:
                continue
            insert_review(
                conn, pack_id="p", card_id=card, reviewed_at=iso(at), mode=rng.choice(["review"] * 9 + ["practice"]),
                rating=rng.randint(1, 4), state_before=rng.choice([0, 1, 2, 2, 2, 3]),
                ivl_before=rng.choice([None, 0.5, 20.99, 21, 60]),
            )  # fmt: skip
    return rng


def reference(col, now):
    s = col.settings()
    day = lambda at: study_day(parse(at), s.timezone, s.rollover_hour).date  # noqa: E731
    today = study_day(now, s.timezone, s.rollover_hour).date
    rows = col.query("SELECT id, card_id, reviewed_at, mode, rating, state_before, ivl_before FROM reviews")
    reviews = [r for r in rows if r[3] == "review"]
    per_day: dict[str, int] = {}
    for r in reviews:
        d = day(r[2])
        if 0 <= (today - d).days < 365:
            per_day[d.isoformat()] = per_day.get(d.isoformat(), 0) + 1
    days = {day(r[2]) for r in reviews}
    d, n = (today if today in days else today - timedelta(days=1)), 0
    while d in days:
        n, d = n + 1, d - timedelta(days=1)
    tally = {k: [0, 0] for k in ("young", "mature", "total")}
    seen = set()
    for r in sorted(reviews, key=lambda r: (r[2], r[0])):
        d = day(r[2])
        if r[5] != 2 or r[4] is None or not 0 <= (today - d).days < 30 or (r[1], d) in seen:
            continue
        seen.add((r[1], d))
        group = "mature" if r[6] is not None and r[6] >= 21 else "young"
        for k in (group, "total"):
            tally[k][0 if r[4] >= 2 else 1] += 1
    return dict(sorted(per_day.items())), {"days": n, "studied_today": today in days}, tally


@pytest.mark.parametrize("tz,rollover", ZONES)
@pytest.mark.parametrize("now", [datetime(2026, 3, 9, 7, 30, tzinfo=timezone.utc),  # a day after the US change
                                 datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)])  # fmt: skip
def test_fast_figures_equal_a_plain_python_computation(collection, tz, rollover, now):
    collection.update_settings(timezone=tz, rollover_hour=rollover)
    fill(collection, now, hash((tz, now)) % 1000)
    per_day, streak, tally = reference(collection, now)
    assert stats.reviews_per_day(collection, now) == per_day
    assert stats.streak(collection, now) == streak
    ret = stats.true_retention(collection, now)
    assert {k: [ret[k]["passed"], ret[k]["failed"]] for k in tally} == tally
    assert streak["days"] >= 19 and len(per_day) < 365  # a real run, and empty days


def test_streak_longer_than_the_first_windows(collection, now):
    with collection.transaction() as conn:
        for back in range(100):
            insert_review(conn, pack_id="p", card_id="a", reviewed_at=iso(now - timedelta(days=back)),
                          mode="review", rating=3, state_before=2)  # fmt: skip
    assert stats.streak(collection, now) == {"days": 100, "studied_today": True}
    assert stats.streak(collection, now + timedelta(days=1)) == {"days": 100, "studied_today": False}
    assert stats.streak(collection, now + timedelta(days=2)) == {"days": 0, "studied_today": False}


def test_set_aside_counts_read_the_partial_index(collection, now):
    plan = " ".join(r[3] for r in collection.query("EXPLAIN QUERY PLAN " + stats.ASIDE_SQL, ("x",)))
    assert "idx_cards_aside" in plan


def test_session_dashboard_gives_what_the_dashboard_shows(collection, now):
    from quizact.session import Session

    collection.sync_pack("p", "P", 1, "src", [CardRow("a", "recall", ("t",), "h")], now=now)
    session = Session(collection, {})
    inside.study(session).rate("p", "a", 1, now - timedelta(days=1))  # Again: learning, due a minute later
    with collection.transaction() as conn:
        insert_review(conn, pack_id="p", card_id="a", reviewed_at=iso(now - timedelta(hours=30)), mode="review",
                      rating=3, state_before=2, ivl_before=30)  # fmt: skip
    d = session.dashboard(now)
    assert d["counts"]["streak"] == {"days": 1, "studied_today": False}
    assert d["retention"]["mature"] == {"passed": 1, "failed": 0, "retention": 1.0}
    assert d["next_learning"] == now - timedelta(days=1) + timedelta(minutes=1)  # its first learning step
