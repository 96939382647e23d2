"""Statistics for the dashboard, the stats screen and ``quizact stats --json``: plain,
JSON-ready dicts.

Days are study days in the collection's time zone (they roll over at ``rollover_hour``),
named by the local date they start on. Only ``mode = 'review'`` rows count; practice
never does.

Each figure is one statement that aggregates in SQLite: the study days' UTC bounds are
computed here (time zones and clock changes are Python's job) and passed as one JSON
array, ``[[start, end], ...]``, which the statement reads with ``json_each``; every day is
then an indexed range of ``reviews.reviewed_at`` (``idx_reviews_time``) or ``cards.due``
(``idx_cards_queue``). Nothing loops over review rows in Python.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from quizact.storage.timeutil import day_start, iso, study_day

if TYPE_CHECKING:
    from quizact.storage.collection import Collection

MATURE_DAYS = 21  # Anki's line between young and mature intervals

#: the study days of the ``?`` JSON parameter as rows ``(i, s, e)``: index, UTC start, end
_DAYS = "d AS (SELECT key AS i, json_extract(value, '$[0]') AS s, json_extract(value, '$[1]') AS e FROM json_each(?))"

REVIEWS_PER_DAY_SQL = (
    f"WITH {_DAYS} SELECT i, (SELECT count(*) FROM reviews WHERE reviewed_at >= s AND reviewed_at < e "
    "AND mode = 'review') FROM d"
)
STUDIED_SQL = (
    f"WITH {_DAYS} SELECT i, EXISTS (SELECT 1 FROM reviews WHERE reviewed_at >= s AND reviewed_at < e "
    "AND mode = 'review') FROM d"
)
_DUE = "SELECT count(*) FROM cards WHERE suspended = 0 AND retired = 0 AND state IN ({}) AND due >= s AND due < e"
FORECAST_SQL = f"WITH {_DAYS} SELECT i, ({_DUE.format('1, 3')}), ({_DUE.format('2')}) FROM d"
# As Anki: the first review (by time, then id) of a review-state card each study day
# counts; pass = rating >= 2 (Hard); mature = reviewed at an interval of 21 days or more.
RETENTION_SQL = (
    f"WITH {_DAYS}, firsts AS (SELECT r.rating AS rating, r.ivl_before AS ivl, row_number() OVER "
    "(PARTITION BY r.pack_id, r.card_id, d.i ORDER BY r.reviewed_at, r.id) AS nth "
    "FROM d JOIN reviews AS r ON r.reviewed_at >= d.s AND r.reviewed_at < d.e "
    "AND r.mode = 'review' AND r.state_before = 2 AND r.rating IS NOT NULL) "
    f"SELECT coalesce(ivl >= {MATURE_DAYS}, 0), coalesce(sum(rating >= 2), 0), coalesce(sum(rating < 2), 0) "
    "FROM firsts WHERE nth = 1 GROUP BY 1"
)
STATES_SQL = "SELECT state, count(*) FROM cards WHERE retired = 0 AND suspended = 0 GROUP BY state"
# Only cards set aside in some way can add to these sums; the WHERE (a superset of them)
# is the condition of the partial index idx_cards_aside, so the set-aside few are read.
ASIDE_SQL = (
    "SELECT coalesce(sum(suspended = 1 AND retired = 0), 0), "
    "coalesce(sum(suspended = 0 AND retired = 0 AND buried_until > ?), 0), "
    "coalesce(sum(retired = 0 AND flags LIKE '%\"leech\"%'), 0), coalesce(sum(retired), 0) FROM cards "
    "WHERE suspended = 1 OR retired = 1 OR buried_until IS NOT NULL OR flags <> '[]'"
)


def _today(col: Collection, now: datetime) -> tuple[date, str, int]:
    s = col.settings()
    return study_day(now, s.timezone, s.rollover_hour).date, s.timezone, s.rollover_hour


def day_bounds(first: date, n: int, tz_name: str, rollover_hour: int) -> list[list[str]]:
    """``[[start, end], ...]`` (stored form) of the ``n`` study days from ``first`` on, as
    :func:`quizact.storage.timeutil.day_of` gives them (both from ``day_start``)."""
    starts = [iso(day_start(first + timedelta(days=k), tz_name, rollover_hour)) for k in range(n + 1)]
    return [[starts[k], starts[k + 1]] for k in range(n)]


def _last_days(col: Collection, now: datetime, days: int) -> tuple[list[date], str]:
    """The last ``days`` study days up to today (oldest first) and their bounds as JSON."""
    today, tz_name, rollover = _today(col, now)
    first = today - timedelta(days=days - 1)
    return [first + timedelta(days=k) for k in range(days)], json.dumps(day_bounds(first, days, tz_name, rollover))


def reviews_per_day(col: Collection, now: datetime, days: int = 365) -> dict[str, int]:
    """``{"2026-03-02": 41, ...}`` for the last ``days`` study days (days without reviews left out)."""
    dates, bounds = _last_days(col, now, days)
    return {dates[i].isoformat(): n for i, n in col.query(REVIEWS_PER_DAY_SQL, (bounds,)) if n}


def reviews_today(col: Collection, now: datetime) -> int:
    """Reviews in today's study day: :func:`reviews_per_day`'s figure for today."""
    return sum(reviews_per_day(col, now, days=1).values())


def forecast(col: Collection, now: datetime, days: int = 30) -> list[dict[str, Any]]:
    """Cards falling due on each of the next ``days`` study days (today includes overdue ones)."""
    today, tz_name, rollover = _today(col, now)
    bounds = day_bounds(today, days, tz_name, rollover)
    bounds[0][0] = ""  # today: everything due before its end
    rows = col.query(FORECAST_SQL, (json.dumps(bounds),))
    return [
        {"date": (today + timedelta(days=i)).isoformat(), "learning": learning, "review": review}
        for i, learning, review in rows
    ]


def true_retention(col: Collection, now: datetime, days: int = 30) -> dict[str, Any]:
    """Pass rate of review-state cards over the last ``days`` study days, young vs mature.

    As Anki: only the first review of a card each day counts; pass = rating ≥ 2 (Hard);
    young = the interval it was reviewed at is under 21 days (or unknown).
    """
    _, bounds = _last_days(col, now, days)
    tally: dict[str, dict[str, Any]] = {k: {"passed": 0, "failed": 0} for k in ("young", "mature", "total")}
    for mature, passed, failed in col.query(RETENTION_SQL, (bounds,)):
        for key in ("mature" if mature else "young", "total"):
            tally[key]["passed"] += passed
            tally[key]["failed"] += failed
    for t in tally.values():
        n = t["passed"] + t["failed"]
        t["retention"] = t["passed"] / n if n else None
    return {"days": days, **tally}


def counts_by_state(col: Collection, now: datetime) -> dict[str, int]:
    """Active cards by state, plus suspended, buried (today), leeches and retired."""
    out = dict.fromkeys(("new", "learning", "review", "relearning"), 0)
    names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
    for state, n in col.query(STATES_SQL):
        out[names[state]] = n
    row = col.query_one(ASIDE_SQL, (iso(now),))
    out.update(zip(("suspended", "buried", "leech", "retired"), row or (0, 0, 0, 0)))
    return out


def streak(col: Collection, now: datetime) -> dict[str, Any]:
    """Consecutive study days with a review, ending today (or yesterday if today has none yet).

    The days are asked about in windows going back from today, each twice as long as the
    one before, so a streak of ``n`` days costs about ``2n`` indexed look-ups in a handful
    of statements.
    """
    today, tz_name, rollover = _today(col, now)
    studied_today, n, newest, window = False, 0, today, 16
    while True:
        first = newest - timedelta(days=window - 1)
        rows = col.query(STUDIED_SQL, (json.dumps(day_bounds(first, window, tz_name, rollover)),))
        flags = [bool(studied) for _, studied in sorted(rows, reverse=True)]  # newest first
        if newest == today:
            studied_today = flags[0]
            if not studied_today:
                flags = flags[1:]  # the streak may still end yesterday
        for studied in flags:
            if not studied:
                return {"days": n, "studied_today": studied_today}
            n += 1
        newest, window = first - timedelta(days=1), window * 2


def summary(col: Collection, now: datetime) -> dict[str, Any]:
    return {
        "counts_by_state": counts_by_state(col, now),
        "reviews_per_day": reviews_per_day(col, now),
        "forecast": forecast(col, now),
        "retention": true_retention(col, now),
        "streak": streak(col, now),
    }
