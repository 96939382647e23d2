"""Automatic daily backups: taken when the collection is first opened on a study day (the
app and every command open it through ``Session.open``), named after the study day, kept
``backups_kept_days`` days (a setting, default 14; on the settings screen too), pruned."""

from __future__ import annotations

import random
import re
import sqlite3
import zlib
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from textual.widgets import Input

from quizact.cli import main
from quizact.scheduling import Rating
from quizact.session import Session
from quizact.storage.collection import Collection
from tests import inside
from tests.conftest import SAMPLE

UTC = timezone.utc


def open_at(db, when: datetime) -> Session:
    return Session.open(db, when, timezone="UTC", sources=[SAMPLE])


def opened(db, when: datetime) -> list[str]:
    """Open and close the collection at ``when``; the problems it reported."""
    s = open_at(db, when)
    problems = list(s.problems)
    s.close()
    return problems


@pytest.fixture
def db(tmp_path):
    return tmp_path / "c.sqlite3"


@pytest.fixture
def folder(db, _isolated_home):
    """Where the daily backups of ``db`` go: worked out here from docs/cli.md ("backup")."""
    return _isolated_home / "backups" / f"c-{zlib.crc32(str(db.resolve()).encode()):08x}"


def days_in(folder) -> list[str]:
    return sorted(
        m.group(1) for p in folder.iterdir() if (m := re.fullmatch(r"c-(\d{4}-\d{2}-\d{2})\.sqlite3", p.name))
    )


def test_one_backup_per_study_day_named_after_it(db, folder):
    # rollover at 4 a.m. (UTC here): 03:00 on 2 March still belongs to the study day of 1 March
    assert opened(db, datetime(2026, 3, 2, 3, 0, tzinfo=UTC)) == []
    assert days_in(folder) == ["2026-03-01"]
    opened(db, datetime(2026, 3, 2, 3, 59, tzinfo=UTC))
    assert days_in(folder) == ["2026-03-01"]  # the same study day: no second copy
    opened(db, datetime(2026, 3, 2, 4, 0, tzinfo=UTC))
    assert days_in(folder) == ["2026-03-01", "2026-03-02"]


def test_a_daily_backup_holds_what_was_committed_before(db, folder):
    day1 = datetime(2026, 3, 2, 12, tzinfo=UTC)
    s = open_at(db, day1)
    try:
        shown = s.present("quizact-sample", "relu-definition", day1, random.Random(0), seed=11)
        s.rate(shown, Rating.Good, day1)
    finally:
        s.close()
    opened(db, day1 + timedelta(days=1))
    con = sqlite3.connect(folder / "c-2026-03-03.sqlite3")
    try:
        assert con.execute("SELECT card_id, seed, rating FROM reviews").fetchall() == [("relu-definition", 11, 3)]
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()


def test_kept_fourteen_days_by_default_and_pruned(db, folder):
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    for d in range(20):  # opened at noon on 1 … 20 March
        opened(db, start + timedelta(days=d))
    # on 20 March a backup of day d is deleted once 20 - d >= 14: 1 … 6 March are gone
    assert days_in(folder) == [f"2026-03-{d:02d}" for d in range(7, 21)]
    manual = folder / "c-manual-20260301-120000.sqlite3"
    manual.write_bytes(b"")  # backups taken by hand are never pruned
    with Collection.open(db) as col:
        col.update_settings(backups_kept_days=3)
    opened(db, start + timedelta(days=20))
    assert days_in(folder) == ["2026-03-19", "2026-03-20", "2026-03-21"]
    assert manual.exists()


def test_zero_days_takes_no_backup(db, folder):
    opened(db, datetime(2026, 3, 1, 12, tzinfo=UTC))
    with Collection.open(db) as col:
        col.update_settings(backups_kept_days=0)
    opened(db, datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert days_in(folder) == ["2026-03-01"]


def test_a_failed_daily_backup_is_a_warning_and_studying_goes_on(db, _isolated_home):
    (_isolated_home / "backups").write_text("not a folder")
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    s = open_at(db, when)
    try:
        assert s.problems == []  # the packs loaded: this is no pack's fault
        assert s.backup_problem.startswith("the daily backup was not taken: cannot create ")
        assert s.counts(when)["packs"]["quizact-sample"]["new"] == 5
    finally:
        s.close()


def test_a_failed_daily_backup_in_the_cli_and_the_app(tmp_path, _isolated_home):
    from tests.tui.conftest import NOW, Clock, drive, make_app, settle

    (_isolated_home / "backups").write_text("not a folder")
    out = CliRunner().invoke(main, ["--db", str(tmp_path / "c.sqlite3"), "stats"])
    assert out.exit_code == 0
    assert out.stderr.startswith("warning: the daily backup was not taken: cannot create ")
    assert out.stdout.startswith("today: ")  # and the command did its work
    app = make_app(Session.open(tmp_path / "d.sqlite3", NOW, sources=[SAMPLE]), Clock())

    async def scenario(pilot):
        await settle(pilot)
        toasts = [n for n in pilot.app._notifications if n.title == "Daily backup"]
        assert len(toasts) == 1 and toasts[0].message.startswith("the daily backup was not taken: ")
        assert not [n for n in pilot.app._notifications if n.title == "Some packs were skipped"]

    try:
        drive(app, scenario, size=(80, 24))
    finally:
        app.session.close()


def test_the_default_collection_backs_up_into_the_data_folder(_isolated_home):
    """Any command opening the collection takes the day's backup, in QUIZACT_HOME/backups."""
    out = CliRunner().invoke(main, ["stats"])
    assert out.exit_code == 0, out.output
    made = [p.name for p in (_isolated_home / "backups").iterdir()]
    assert len(made) == 1 and re.fullmatch(r"collection-\d{4}-\d{2}-\d{2}\.sqlite3", made[0])
    day = date.fromisoformat(made[0][len("collection-"):-len(".sqlite3")])
    assert abs((day - datetime.now(UTC).date()).days) <= 1  # today's study day, in the local zone
    assert CliRunner().invoke(main, ["stats"]).exit_code == 0
    assert len(list((_isolated_home / "backups").iterdir())) == 1


def test_the_setting_through_the_cli(tmp_path):
    db = str(tmp_path / "c.sqlite3")
    out = CliRunner().invoke(main, ["--db", db, "settings"])
    assert "Daily backups kept: 14" in out.output.splitlines()
    out = CliRunner().invoke(main, ["--db", db, "settings", "--backups-kept", "30"])
    assert out.exit_code == 0, out.output
    with Collection.open(db) as col:
        assert col.settings().backups_kept_days == 30
    out = CliRunner().invoke(main, ["--db", db, "settings", "--backups-kept", "-1"])
    assert out.exit_code == 1
    assert out.output == "Error: not saved: Daily backups kept must be between 0 and 3650 days (you typed -1)\n"


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_the_setting_on_the_settings_screen(tmp_path, size):
    from tests.tui.conftest import NOW, Clock, drive, make_app, settle

    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[SAMPLE])
    app = make_app(session, Clock())

    async def scenario(pilot):
        await pilot.press("comma")
        await settle(pilot)
        box = pilot.app.screen.query_one("#backups_kept_days", Input)
        assert box.value == "14"
        box.value = "-2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(pilot.app.screen.query_one("#error-backups_kept_days").render())
        assert error == "Daily backups kept must be between 0 and 3650 days (you typed -2)"
        box.value = "21"
        await pilot.press("ctrl+s")
        await settle(pilot)
        with Collection.open(inside.collection(session).path) as col:  # on disk, read by another connection
            assert col.settings().backups_kept_days == 21

    try:
        drive(app, scenario, size=size)
    finally:
        session.close()
