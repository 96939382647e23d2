"""Statistics for the stats screen and ``quizact stats --json``: plain, JSON-ready dicts.

Days are study days in the collection's time zone (they roll over at ``rollover_hour``),
named by the local date they start on. Only ``mode = 'review'`` rows count; practice
never does. Each figure is a few indexed range queries on ``reviews.reviewed_at`` or
``cards.due``.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from quizact.storage.timeutil import StudyDay, day_of, iso, study_day

if TYPE_CHECKING:
    from quizact.storage.collection import Collection

MATURE_DAYS = 21  # Anki's line between young and mature intervals


def _days(col: Collection, now: datetime) -> tuple[StudyDay, Any]:
    s = col.settings()
    return study_day(now, s.timezone, s.rollover_hour), lambda d: day_of(d, s.timezone, s.rollover_hour)


_IN_DAY = "FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? AND mode = 'review'"


def _reviews_on(col: Collection, day: StudyDay) -> int:
    row = col.query_one(f"SELECT count(*) {_IN_DAY}", (day.start_iso, day.end_iso))
    return row[0] if row else 0


def _studied_on(col: Collection, day: StudyDay) -> bool:
    return col.query_one(f"SELECT 1 {_IN_DAY} LIMIT 1", (day.start_iso, day.end_iso)) is not None


def reviews_per_day(col: Collection, now: datetime, days: int = 365) -> dict[str, int]:
    """``{"2026-03-02": 41, ...}`` for the last ``days`` study days (days without reviews left out)."""
    today, day_of_ = _days(col, now)
    out = {}
    for back in range(days - 1, -1, -1):
        d = today.date - timedelta(days=back)
        n = _reviews_on(col, day_of_(d))
        if n:
            out[d.isoformat()] = n
    return out


def forecast(col: Collection, now: datetime, days: int = 30) -> list[dict[str, Any]]:
    """Cards falling due on each of the next ``days`` study days (today includes overdue ones)."""
    today, day_of_ = _days(col, now)
    out = []
    for ahead in range(days):
        day = day_of_(today.date + timedelta(days=ahead))
        start = "" if ahead == 0 else day.start_iso
        counts = {}
        for name, states in (("learning", "1, 3"), ("review", "2")):
            row = col.query_one(
                f"SELECT count(*) FROM cards WHERE suspended = 0 AND retired = 0 AND state IN ({states}) "
                "AND due >= ? AND due < ?",
                (start, day.end_iso),
            )
            counts[name] = row[0] if row else 0
        out.append({"date": day.date.isoformat(), **counts})
    return out


def true_retention(col: Collection, now: datetime, days: int = 30) -> dict[str, Any]:
    """Pass rate of review-state cards over the last ``days`` study days, young vs mature.

    As Anki: only the first review of a card each day counts; pass = rating ≥ 2 (Hard);
    young = the interval it was reviewed at is under 21 days.
    """
    today, day_of_ = _days(col, now)
    starts = [day_of_(today.date - timedelta(days=back)).start_iso for back in range(days - 1, -1, -1)]
    rows = col.query(
        "SELECT pack_id, card_id, reviewed_at, rating, ivl_before FROM reviews "
        "WHERE reviewed_at >= ? AND reviewed_at < ? AND mode = 'review' AND state_before = 2 "
        "AND rating IS NOT NULL ORDER BY reviewed_at, id",
        (starts[0], today.end_iso),
    )
    seen: set[tuple[str, str, int]] = set()
    tally = {k: {"passed": 0, "failed": 0} for k in ("young", "mature", "total")}
    for pack_id, card_id, at, rating, ivl in rows:
        key = (pack_id, card_id, bisect_right(starts, at))
        if key in seen:
            continue
        seen.add(key)
        outcome = "passed" if rating >= 2 else "failed"
        tally["mature" if ivl is not None and ivl >= MATURE_DAYS else "young"][outcome] += 1
        tally["total"][outcome] += 1
    for t in tally.values():
        n = t["passed"] + t["failed"]
        t["retention"] = t["passed"] / n if n else None
    return {"days": days, **tally}


def counts_by_state(col: Collection, now: datetime) -> dict[str, int]:
    """Active cards by state, plus suspended, buried (today), leeches and retired."""
    out = dict.fromkeys(("new", "learning", "review", "relearning"), 0)
    names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
    for state, n in col.query(
        "SELECT state, count(*) FROM cards WHERE retired = 0 AND suspended = 0 GROUP BY state"
    ):
        out[names[state]] = n
    row = col.query_one(
        "SELECT coalesce(sum(suspended = 1 AND retired = 0), 0), "
        "coalesce(sum(suspended = 0 AND retired = 0 AND buried_until > ?), 0), "
        "coalesce(sum(retired = 0 AND flags LIKE '%\"leech\"%'), 0), coalesce(sum(retired), 0) FROM cards",
        (iso(now),),
    )
    out.update(zip(("suspended", "buried", "leech", "retired"), row or (0, 0, 0, 0)))
    return out


def streak(col: Collection, now: datetime) -> dict[str, Any]:
    """Consecutive study days with a review, ending today (or yesterday if today has none yet)."""
    today, day_of_ = _days(col, now)
    studied_today = _studied_on(col, today)
    d: date = today.date if studied_today else today.date - timedelta(days=1)
    n = 0
    while _studied_on(col, day_of_(d)):
        n += 1
        d -= timedelta(days=1)
    return {"days": n, "studied_today": studied_today}


def summary(col: Collection, now: datetime) -> dict[str, Any]:
    return {
        "counts_by_state": counts_by_state(col, now),
        "reviews_per_day": reviews_per_day(col, now),
        "forecast": forecast(col, now),
        "retention": true_retention(col, now),
        "streak": streak(col, now),
    }
