"""Collection settings: a frozen dataclass validated on construction.

Stored one key per row in the ``settings`` table (values JSON). Out-of-range or unknown
values raise :class:`SettingsError` with a message naming the setting.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from quizact.storage.timeutil import zone


class SettingsError(ValueError):
    """A setting is unknown, of the wrong type or out of range."""


_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_step(step: str | timedelta | int | float) -> timedelta:
    """``"1m"``, ``"10m"``, ``"1h"``, ``"1d"``, ``"30s"`` (or a timedelta, or seconds)."""
    if isinstance(step, timedelta):
        return step
    if isinstance(step, (int, float)) and not isinstance(step, bool):
        return timedelta(seconds=step)
    m = _STEP.match(str(step))
    if not m:
        raise SettingsError(f"bad step {step!r}: use a number and a unit, like '1m', '10m', '1h', '1d'")
    return timedelta(seconds=float(m.group(1)) * _UNIT[m.group(2)])


def format_step(td: timedelta) -> str:
    seconds = td.total_seconds()
    for unit in ("d", "h", "m"):
        if seconds >= _UNIT[unit] and seconds % _UNIT[unit] == 0:
            return f"{int(seconds // _UNIT[unit])}{unit}"
    return f"{seconds:g}s"


def _steps(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise SettingsError(f"{name} must be a list of steps like ['1m', '10m'], got {value!r}")
    out = []
    for step in value:
        try:
            td = parse_step(step)
        except SettingsError as e:
            raise SettingsError(f"{name}: {e}") from None
        if td <= timedelta(0):
            raise SettingsError(f"{name}: steps must be positive, got {step!r}")
        out.append(format_step(td))
    return tuple(out)


def _int(name: str, value: Any, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(f"{name} must be a whole number, got {value!r}")
    if value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise SettingsError(f"{name} must be {bound}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: tuple[str, ...] = ("1m", "10m")
    relearning_steps: tuple[str, ...] = ("10m",)
    leech_threshold: int = 8
    rollover_hour: int = 4
    timezone: str = "UTC"
    learn_ahead_minutes: int = 20
    maximum_interval: int = 36500
    fsrs_parameters: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        r = self.desired_retention
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0.7 <= r <= 0.99:
            raise SettingsError(f"desired_retention must be between 0.7 and 0.99, got {r!r}")
        object.__setattr__(self, "desired_retention", float(r))
        _int("new_per_day", self.new_per_day, 0)
        _int("reviews_per_day", self.reviews_per_day, 0)
        _int("leech_threshold", self.leech_threshold, 1)
        _int("rollover_hour", self.rollover_hour, 0, 23)
        _int("learn_ahead_minutes", self.learn_ahead_minutes, 0, 24 * 60)
        _int("maximum_interval", self.maximum_interval, 1, 36500)
        object.__setattr__(self, "learning_steps", _steps("learning_steps", self.learning_steps))
        object.__setattr__(self, "relearning_steps", _steps("relearning_steps", self.relearning_steps))
        try:
            if not isinstance(self.timezone, str) or not self.timezone:
                raise ValueError
            zone(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise SettingsError(
                f"timezone must be an IANA time zone name like 'Europe/Paris', got {self.timezone!r}"
            ) from None
        if self.fsrs_parameters is not None:
            object.__setattr__(self, "fsrs_parameters", _parameters(self.fsrs_parameters))

    @property
    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s) for s in self.learning_steps)

    @property
    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s) for s in self.relearning_steps)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["learning_steps"] = list(self.learning_steps)
        d["relearning_steps"] = list(self.relearning_steps)
        if self.fsrs_parameters is not None:
            d["fsrs_parameters"] = list(self.fsrs_parameters)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        try:
            return cls(**data)
        except TypeError as e:  # pragma: no cover - defensive
            raise SettingsError(str(e)) from None

    def replace(self, **changes: Any) -> Settings:
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)


def _parameters(value: Any) -> tuple[float, ...]:
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    try:
        params = tuple(float(p) for p in value)
    except (TypeError, ValueError):
        raise SettingsError(f"fsrs_parameters must be a list of numbers, got {value!r}") from None
    if len(params) != len(LOWER_BOUNDS_PARAMETERS):
        raise SettingsError(
            f"fsrs_parameters must have {len(LOWER_BOUNDS_PARAMETERS)} values, got {len(params)}"
        )
    for i, (p, lo, hi) in enumerate(zip(params, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)):
        if not math.isfinite(p) or not lo <= p <= hi:
            raise SettingsError(f"fsrs_parameters[{i}] = {p} is out of bounds [{lo}, {hi}]")
    return params
