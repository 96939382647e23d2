"""Settings: defaults, validation at the boundary, persistence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizact.storage import Collection, Settings, SettingsError
from quizact.storage.settings import format_step, parse_step


def test_defaults():
    s = Settings()
    assert (s.desired_retention, s.new_per_day, s.reviews_per_day) == (0.9, 20, 200)
    assert s.learning_steps == ("1m", "10m") and s.relearning_steps == ("10m",)
    assert (s.leech_threshold, s.rollover_hour, s.timezone) == (8, 4, "UTC")
    assert s.learning_deltas == (timedelta(minutes=1), timedelta(minutes=10))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"desired_retention": 0.69}, r"^Desired retention must be between 70% and 99% \(you typed 0\.69\)$"),
        ({"desired_retention": 1.2}, r"^Desired retention must be between 70% and 99% \(you typed 1\.2\)$"),
        ({"desired_retention": 0.995}, "Desired retention"),
        ({"desired_retention": "high"}, r"Desired retention .*\(you typed high\)"),
        ({"new_per_day": -1}, r"^New cards per day must be at least 0 \(you typed -1\)$"),
        ({"new_per_day": 2.5}, r"^New cards per day must be a whole number \(you typed 2\.5\)$"),
        ({"new_per_day": True}, "whole number"),
        ({"reviews_per_day": -5}, "Reviews per day"),
        ({"leech_threshold": 0}, r"^Leech threshold must be at least 1 \(a number of lapses\) \(you typed 0\)$"),
        ({"rollover_hour": 24}, r"^Rollover hour must be between 0 and 23 \(an hour of the day\) \(you typed 24\)$"),
        ({"maximum_interval": 0}, r"^Maximum interval must be between 1 and 36500 days \(you typed 0\)$"),
        ({"leech_action": "delete"}, r"^Leech action must be one of suspend, tag \(you typed delete\)$"),
        ({"new_card_order": "newest"}, r"^New-card order must be one of pack, random, tag \(you typed newest\)$"),
        ({"timezone": "Mars/Olympus_Mons"}, "Time zone must be a time zone name like Europe/Paris"),
        ({"timezone": ""}, "time zone name"),
        ({"learning_steps": ["1m", "soon"]},
         r"^Learning steps must be numbers with a unit, like 1m 10m 1h 1d \(you typed soon\)$"),
        ({"learning_steps": "1m"}, "must be a list"),
        ({"relearning_steps": ["0m"]}, "Relearning steps must be longer than zero"),
        ({"fsrs_parameters": [0.2] * 5}, "must be 21 numbers"),
        ({"fsrs_parameters": [*DEFAULT_PARAMETERS[:-1], 5.0]}, r"FSRS parameters number 21 must be between"),
        ({"presets": {"long": {"new_per_day": 5}}}, "cannot set New cards per day for a pack"),
        ({"presets": {"long": {"maximum_interval": 0}}}, r"^Maximum interval must be between 1 and 36500 days"),
        ({"pack_presets": {"nn": "missing"}}, "preset that does not exist"),
        ({"colour": "blue"}, "unknown setting"),
    ],
)
def test_out_of_range_values_are_rejected(changes, message):
    with pytest.raises(SettingsError, match=message):
        Settings().replace(**changes)
    with pytest.raises(SettingsError, match=message):
        Settings.from_dict(changes)


def test_edges_are_accepted():
    s = Settings(desired_retention=0.7, new_per_day=0, reviews_per_day=0, rollover_hour=0, leech_threshold=1)
    assert s.desired_retention == 0.7
    assert Settings(desired_retention=0.99, rollover_hour=23, timezone="America/New_York").rollover_hour == 23


def test_steps_are_normalised():
    s = Settings(learning_steps=[timedelta(minutes=1), "1.5h", 86400], relearning_steps=["90s"])
    assert s.learning_steps == ("1m", "90m", "1d") and s.relearning_steps == ("90s",)
    assert parse_step("10m") == timedelta(minutes=10) and format_step(timedelta(seconds=30)) == "30s"


def test_round_trip_through_dict():
    s = Settings(timezone="Europe/Paris", fsrs_parameters=DEFAULT_PARAMETERS)
    assert Settings.from_dict(s.to_dict()) == s


def test_update_persists_and_validates(db_path):
    with Collection.open(db_path, timezone="America/New_York") as col:
        assert col.settings().timezone == "America/New_York"
        col.update_settings(new_per_day=5, learning_steps=["2m"])
        with pytest.raises(SettingsError, match="Desired retention") as info:
            col.update_settings(desired_retention=1.5)
        assert info.value.field == "desired_retention"
    with Collection.open(db_path, timezone="Asia/Tokyo") as col:  # the stored zone wins
        s = col.settings()
        assert (s.new_per_day, s.learning_steps, s.timezone) == (5, ("2m",), "America/New_York")
        assert s.desired_retention == 0.9


def test_settings_changed_by_another_connection_are_seen(db_path):
    with Collection.open(db_path) as a, Collection.open(db_path) as b:
        assert a.settings().new_per_day == 20
        b.update_settings(new_per_day=7)
        assert a.settings().new_per_day == 7
