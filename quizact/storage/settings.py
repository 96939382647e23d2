"""Collection settings: a frozen dataclass validated on construction.

Stored one key per row in the ``settings`` table (values JSON). Out-of-range or unknown
values raise :class:`SettingsError` with a message in plain words naming the setting and
what was typed ("Desired retention must be between 70% and 99% (you typed 1.2)"); its
``field`` is the setting's name.

Presets (like Anki's option groups): a named set of some options (``PRESET_OPTIONS``)
assigned to packs; :meth:`Settings.for_pack` gives the settings a pack's cards use.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, field, fields, replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from quizact.records import record
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


#: each setting's name in plain words, for messages and the settings screen
LABELS = {
    "desired_retention": "Desired retention",
    "new_per_day": "New cards per day",
    "reviews_per_day": "Reviews per day",
    "learning_steps": "Learning steps",
    "relearning_steps": "Relearning steps",
    "leech_threshold": "Leech threshold",
    "leech_action": "Leech action",
    "new_card_order": "New-card order",
    "rollover_hour": "Rollover hour",
    "timezone": "Time zone",
    "learn_ahead_minutes": "Learn-ahead limit",
    "maximum_interval": "Maximum interval",
    "backups_kept_days": "Daily backups kept",
    "fsrs_parameters": "FSRS parameters",
    "presets": "Presets",
    "pack_presets": "Pack presets",
}
LEECH_ACTIONS = ("suspend", "tag")
NEW_CARD_ORDERS = ("pack", "random", "tag")
#: the options a preset may set for the packs it is assigned to (the rest are collection-wide)
PRESET_OPTIONS = (
    "desired_retention", "learning_steps", "relearning_steps",
    "maximum_interval", "leech_threshold", "leech_action",
)  # fmt: skip


def _error(name: str, message: str) -> SettingsError:
    err = SettingsError(f"{LABELS.get(name, name)} {message}")
    err.field = name  # type: ignore[attr-defined]
    return err


def _typed(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _steps(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise _error(name, f"must be a list of steps like 1m 10m (you typed {_typed(value)})")
    out = []
    for step in value:
        try:
            td = parse_step(step)
        except SettingsError:
            raise _error(name, f"must be numbers with a unit, like 1m 10m 1h 1d (you typed {_typed(step)})") from None
        if td <= timedelta(0):
            raise _error(name, f"must be longer than zero (you typed {_typed(step)})")
        out.append(format_step(td))
    return tuple(out)


def _int(name: str, value: Any, lo: int, hi: int | None = None, unit: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _error(name, f"must be a whole number (you typed {_typed(value)})")
    if value < lo or (hi is not None and value > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise _error(name, f"must be {bound}{unit} (you typed {value})")
    return value


def _retention(name: str, r: Any) -> float:
    if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0.7 <= r <= 0.99:
        typed = f"{r:g}" if isinstance(r, (int, float)) and not isinstance(r, bool) else _typed(r)
        raise _error(name, f"must be between 70% and 99% (you typed {typed})")
    return float(r)


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _error(name, f"must be one of {', '.join(allowed)} (you typed {_typed(value)})")
    return str(value)


def _check_option(name: str, value: Any) -> Any:
    """One preset option, validated as the collection-wide setting of that name."""
    if name == "desired_retention":
        return _retention(name, value)
    if name in ("learning_steps", "relearning_steps"):
        return list(_steps(name, value))
    if name == "maximum_interval":
        return _int(name, value, 1, 36500, " days")
    if name == "leech_threshold":
        return _int(name, value, 1, None, " (a number of lapses)")
    if name == "leech_action":
        return _choice(name, value, LEECH_ACTIONS)
    raise _error("presets", f"cannot set {LABELS.get(name, name)} for a pack (only {', '.join(PRESET_OPTIONS)})")


def _presets(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise _error("presets", f"must be a mapping of names to options (you typed {_typed(value)})")
    out = {}
    for preset, options in value.items():
        if not isinstance(preset, str) or not preset.strip() or preset == "default":
            raise _error("presets", f"need a name other than 'default' (you typed {_typed(preset)})")
        if not isinstance(options, dict):
            raise _error("presets", f"{preset}: must be a mapping of options (you typed {_typed(options)})")
        out[preset] = {k: _check_option(k, v) for k, v in options.items()}
    return out


@record
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
    leech_action: str = "suspend"  # "suspend", or "tag": only tag the card "leech"
    new_card_order: str = "pack"  # "pack" (file order), "random", or "tag" (grouped by first tag)
    presets: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> PRESET_OPTIONS
    pack_presets: dict[str, str] = field(default_factory=dict)  # pack id -> preset name
    backups_kept_days: int = 14  # days an automatic daily backup is kept (0: none are taken)

    def __post_init__(self) -> None:
        object.__setattr__(self, "desired_retention", _retention("desired_retention", self.desired_retention))
        _int("new_per_day", self.new_per_day, 0)
        _int("reviews_per_day", self.reviews_per_day, 0)
        _int("leech_threshold", self.leech_threshold, 1, None, " (a number of lapses)")
        _int("rollover_hour", self.rollover_hour, 0, 23, " (an hour of the day)")
        _int("learn_ahead_minutes", self.learn_ahead_minutes, 0, 24 * 60, " minutes")
        _int("maximum_interval", self.maximum_interval, 1, 36500, " days")
        _choice("leech_action", self.leech_action, LEECH_ACTIONS)
        _choice("new_card_order", self.new_card_order, NEW_CARD_ORDERS)
        _int("backups_kept_days", self.backups_kept_days, 0, 3650, " days")
        object.__setattr__(self, "learning_steps", _steps("learning_steps", self.learning_steps))
        object.__setattr__(self, "relearning_steps", _steps("relearning_steps", self.relearning_steps))
        try:
            if not isinstance(self.timezone, str) or not self.timezone:
                raise ValueError
            zone(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise _error(
                "timezone", f"must be a time zone name like Europe/Paris (you typed {_typed(self.timezone)})"
            ) from None
        if self.fsrs_parameters is not None:
            object.__setattr__(self, "fsrs_parameters", _parameters(self.fsrs_parameters))
        object.__setattr__(self, "presets", _presets(self.presets))
        if not isinstance(self.pack_presets, dict):
            typed = _typed(self.pack_presets)
            raise _error("pack_presets", f"must be a mapping of packs to presets (you typed {typed})")
        for pack, preset in self.pack_presets.items():
            if preset not in self.presets:
                raise _error("pack_presets", f"name a preset that does not exist: {pack} -> {_typed(preset)}")

    @property
    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s) for s in self.learning_steps)

    @property
    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s) for s in self.relearning_steps)

    def preset_of(self, pack_id: str) -> str:
        """The name of the preset assigned to ``pack_id`` ("default": the collection's own)."""
        return self.pack_presets.get(pack_id, "default")

    def for_pack(self, pack_id: str | None) -> Settings:
        """These settings with the preset assigned to ``pack_id`` applied (if any)."""
        preset = self.pack_presets.get(pack_id) if pack_id is not None else None
        if preset is None:
            return self
        return replace(self, **self.presets[preset])

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

    def with_preset(self, preset: str, **options: Any) -> Settings:
        """These settings with ``preset`` created or changed (``None`` drops an option)."""
        if preset == "default":
            return self.replace(**options)
        merged = dict(self.presets.get(preset, {}))
        for k, v in options.items():
            if v is None:
                merged.pop(k, None)
            else:
                merged[k] = v
        return self.replace(presets={**self.presets, preset: merged})

    def assign(self, pack_id: str, preset: str) -> Settings:
        """``pack_id`` to use ``preset`` ("default": the collection's own settings)."""
        packs = dict(self.pack_presets)
        if preset == "default":
            packs.pop(pack_id, None)
        else:
            if preset not in self.presets:
                raise _error("pack_presets", f"name a preset that does not exist: {_typed(preset)}")
            packs[pack_id] = preset
        return self.replace(pack_presets=packs)


def _parameters(value: Any) -> tuple[float, ...]:
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    try:
        params = tuple(float(p) for p in value)
    except (TypeError, ValueError):
        raise _error("fsrs_parameters", f"must be a list of numbers (you typed {_typed(value)})") from None
    if len(params) != len(LOWER_BOUNDS_PARAMETERS):
        raise _error("fsrs_parameters", f"must be {len(LOWER_BOUNDS_PARAMETERS)} numbers (you gave {len(params)})")
    for i, (p, lo, hi) in enumerate(zip(params, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)):
        if not math.isfinite(p) or not lo <= p <= hi:
            raise _error("fsrs_parameters", f"number {i + 1} must be between {lo} and {hi} (it is {p})")
    return params


#: how each setting is typed as text (the settings screen and the ``settings`` command)
KINDS = {
    "desired_retention": "retention", "new_per_day": "int", "reviews_per_day": "int",
    "learning_steps": "steps", "relearning_steps": "steps", "leech_threshold": "int",
    "leech_action": "text", "new_card_order": "text", "rollover_hour": "int",
    "timezone": "text", "learn_ahead_minutes": "int", "maximum_interval": "int",
    "backups_kept_days": "int",
}  # fmt: skip


def from_text(name: str, text: str) -> Any:
    """A setting typed as text (``90%`` or ``0.9``; ``1m 10m``), in the setting's type.

    Raises :class:`SettingsError` in plain words; the range is checked when the value is
    stored (:class:`Settings`).
    """
    typed = KINDS.get(name)  # how the setting is typed in (not a card's kind)
    if typed is None:
        raise _error(name, "cannot be typed in")
    text = text.strip()
    if not text and typed != "steps":
        raise _error(name, "is empty: type a value")
    if typed == "retention":
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise _error(name, f"must be a percentage such as 90% or 0.9 (you typed {text})") from None
    if typed == "int":
        try:
            return int(text)
        except ValueError:
            raise _error(name, f"must be a whole number (you typed {text})") from None
    if typed == "steps":
        return [s for s in text.replace(",", " ").split() if s]
    return text


def to_text(name: str, value: Any) -> str:
    """A setting as the text :func:`from_text` reads back."""
    if name == "desired_retention":
        return f"{100 * value:g}%"
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


def edit(settings: Settings, changes: dict[str, Any], *, pack_id: str | None = None,
         preset: str | None = None) -> Settings:  # fmt: skip
    """``settings`` with ``changes`` made where they belong.

    Without ``pack_id`` and ``preset`` the changes are collection-wide. With ``preset`` they
    go to that preset (created if new; "default" is the collection's own settings), and with
    ``pack_id`` too the pack is assigned to it. With ``pack_id`` alone they go to the
    pack's preset: a pack still on the default gets a new preset named after it.
    """
    if pack_id is None and preset in (None, "default"):
        return settings.replace(**changes)
    if preset is None:
        assert pack_id is not None
        preset = settings.preset_of(pack_id)
        if preset == "default":
            preset = pack_id
    if preset == "default":
        return settings.assign(pack_id, "default").replace(**changes) if pack_id else settings
    for name in changes:
        if name not in PRESET_OPTIONS:
            allowed = ", ".join(LABELS[o] for o in PRESET_OPTIONS)
            raise _error(name, f"is the same for every pack and cannot go in a preset (only {allowed} can)")
    new = settings.with_preset(preset, **changes)
    return new.assign(pack_id, preset) if pack_id is not None else new
