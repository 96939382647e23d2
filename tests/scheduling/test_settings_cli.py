"""``quizact settings``: shows and changes every setting, per pack too, with --json;
a bad value is one plain line and saves nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.storage.collection import Collection

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "examples" / "sample.yaml"
PACK = "quizact-sample"


@pytest.fixture
def db(tmp_path):
    db = str(tmp_path / "c.sqlite3")
    out = CliRunner().invoke(main, ["--db", db, "pack", "add", str(SAMPLE)])
    assert out.exit_code == 0, out.output
    return db


def run(db, *args):
    return CliRunner().invoke(main, ["--db", db, "settings", *args])


def stored(db):
    with Collection.open(db) as col:
        return col.settings()


def test_show_as_text_and_json(db):
    out = run(db)
    assert out.exit_code == 0
    for line in ("Desired retention: 90%", "Maximum interval: 36500", "Leech action: suspend",
                 "New-card order: pack", "Rollover hour: 4"):  # fmt: skip
        assert line in out.output.splitlines()
    data = json.loads(run(db, "--json").output)
    assert (data["desired_retention"], data["maximum_interval"], data["leech_threshold"]) == (0.9, 36500, 8)
    assert (data["presets"], data["pack_presets"]) == ({}, {})


def test_every_setting_changed(db):
    out = run(db, "--desired-retention", "85%", "--new-per-day", "5", "--reviews-per-day", "50",
              "--learning-steps", "2m 20m", "--relearning-steps", "5m", "--max-interval", "180",
              "--leech-threshold", "4", "--leech-action", "tag", "--new-card-order", "tag",
              "--rollover-hour", "6", "--timezone", "Asia/Tokyo", "--learn-ahead", "0", "--json")  # fmt: skip
    assert out.exit_code == 0, out.output
    s = stored(db)
    assert (s.desired_retention, s.new_per_day, s.reviews_per_day) == (0.85, 5, 50)
    assert (s.learning_steps, s.relearning_steps, s.maximum_interval) == (("2m", "20m"), ("5m",), 180)
    assert (s.leech_threshold, s.leech_action, s.new_card_order) == (4, "tag", "tag")
    assert (s.rollover_hour, s.timezone, s.learn_ahead_minutes) == (6, "Asia/Tokyo", 0)
    assert json.loads(out.output)["maximum_interval"] == 180


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--desired-retention", "1.2"], "Desired retention must be between 70% and 99% (you typed 1.2)"),
        (["--desired-retention", "lots"], "Desired retention must be a percentage such as 90% or 0.9 (you typed lots)"),
        (["--max-interval", "0"], "Maximum interval must be between 1 and 36500 days (you typed 0)"),
        (["--max-interval", "long"], "Maximum interval must be a whole number (you typed long)"),
        (["--leech-action", "delete"], "Leech action must be one of suspend, tag (you typed delete)"),
        (["--new-card-order", "oldest"], "New-card order must be one of pack, random, tag (you typed oldest)"),
        (["--rollover-hour", "24"], "Rollover hour must be between 0 and 23 (an hour of the day) (you typed 24)"),
        (["--pack", "nowhere", "--max-interval", "9"], "There is no pack named nowhere in this collection"),
        (["--pack", PACK, "--new-per-day", "3"], "New cards per day is the same for every pack"),
    ],
)
def test_bad_values_are_one_plain_line_and_save_nothing(db, args, message):
    before = stored(db)
    out = run(db, "--new-per-day", "7", *args) if "--pack" not in args else run(db, *args)
    assert out.exit_code == 1
    assert out.output.startswith(f"Error: not saved: {message}") and out.output.count("\n") == 1
    assert "Traceback" not in out.output
    assert stored(db) == before


def test_a_pack_preset(db):
    out = run(db, "--pack", PACK, "--max-interval", "90", "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["pack"], data["preset"], data["maximum_interval"]) == (PACK, PACK, 90)
    s = stored(db)
    assert s.maximum_interval == 36500 and s.for_pack(PACK).maximum_interval == 90
    assert s.presets == {PACK: {"maximum_interval": 90}}
    assert "preset quizact-sample (quizact-sample): Maximum interval 90" in run(db).output
    # a named preset, then back to the collection's own settings
    assert run(db, "--pack", PACK, "--preset", "gentle", "--leech-action", "tag").exit_code == 0
    s = stored(db)
    assert s.pack_presets == {PACK: "gentle"} and s.for_pack(PACK).leech_action == "tag"
    assert s.for_pack(PACK).maximum_interval == 36500  # "gentle" sets only the leech action
    assert run(db, "--pack", PACK, "--preset", "default").exit_code == 0
    assert stored(db).pack_presets == {} and stored(db).for_pack(PACK).leech_action == "suspend"
