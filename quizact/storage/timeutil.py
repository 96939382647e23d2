"""Instants as sortable text, and the study day (which rolls over at a local hour).

Every instant stored in the collection is UTC ISO 8601 with microseconds, e.g.
``2026-03-02T15:30:00.000000+00:00``: fixed width, so text order is time order and the
due/reviewed_at indexes answer range queries. Nothing here reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from quizact.records import record

UTC = timezone.utc


def as_utc(now: datetime) -> datetime:
    """``now`` converted to UTC (``tzinfo is timezone.utc``, as fsrs requires)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.astimezone(UTC)


def iso(dt: datetime) -> str:
    """The stored form of an instant."""
    return as_utc(dt).isoformat(timespec="microseconds")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@lru_cache(maxsize=32)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@record
class StudyDay:
    """One study day: the local ``date`` it is named after and its UTC bounds [start, end)."""

    date: date
    start: datetime
    end: datetime

    @property
    def start_iso(self) -> str:
        return iso(self.start)

    @property
    def end_iso(self) -> str:
        return iso(self.end)


def day_start(d: date, tz_name: str, rollover_hour: int) -> datetime:
    """When the study day named ``d`` starts (UTC): ``rollover_hour`` local time on ``d``.
    The one definition of a study day's bounds (:func:`day_of`, ``stats.day_bounds``)."""
    return datetime.combine(d, time(rollover_hour), tzinfo=zone(tz_name)).astimezone(UTC)


def day_of(d: date, tz_name: str, rollover_hour: int) -> StudyDay:
    """The study day named ``d``: from ``rollover_hour`` on ``d`` to the same hour on ``d + 1``."""
    return StudyDay(d, day_start(d, tz_name, rollover_hour), day_start(d + timedelta(days=1), tz_name, rollover_hour))


def study_day(now: datetime, tz_name: str, rollover_hour: int) -> StudyDay:
    """The study day containing ``now``: before the rollover hour it is still yesterday."""
    local = as_utc(now).astimezone(zone(tz_name))
    d = local.date()
    if local.hour < rollover_hour:
        d -= timedelta(days=1)
    return day_of(d, tz_name, rollover_hour)
