"""The entry point: the app's own starts skip click; every other command line reaches it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from quizact.launch import app_start


@pytest.mark.parametrize(
    "args, expected",
    [
        ([], (None, "dashboard")),
        (["review"], (None, "review")),
        (["--db", "c.sqlite3"], ("c.sqlite3", "dashboard")),
        (["--db", "c.sqlite3", "review"], ("c.sqlite3", "review")),
        (["--db=c.sqlite3", "review"], ("c.sqlite3", "review")),
        (["review", "--help"], None),
        (["--help"], None),
        (["stats"], None),
        (["practice", "--count", "5"], None),
        (["review", "extra"], None),
        (["--db"], None),
        (["--db="], None),
    ],
)
def test_app_start(args, expected, monkeypatch):
    monkeypatch.delenv("QUIZACT_DB", raising=False)
    assert app_start(args) == expected


def test_app_start_reads_quizact_db_and_leaves_a_folder_to_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZACT_DB", str(tmp_path / "c.sqlite3"))
    assert app_start(["review"]) == (str(tmp_path / "c.sqlite3"), "review")
    assert app_start(["--db", str(tmp_path / "d.sqlite3")]) == (str(tmp_path / "d.sqlite3"), "dashboard")
    assert app_start(["--db", str(tmp_path)]) is None  # a folder: click says what is wrong


def test_everything_else_goes_to_the_cli():
    run = [sys.executable, "-m", "quizact"]
    out = subprocess.run([*run, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("quizact, version ")
    out = subprocess.run([*run, "--db", "/", "review"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "is a directory" in out.stderr
    out = subprocess.run([*run, "reveiw"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "No such command 'reveiw'" in out.stderr


STATS_PROBE = (
    "import sys\n"
    "from quizact.launch import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:  # click's command exits\n"
    "    sys.stdout.flush()\n"
    "    print('click' in sys.modules, file=sys.stderr)\n"
)


def _reviewed(db, now):
    """A collection over the built-in packs with a few ratings an hour ago."""
    import random
    from datetime import timedelta

    from quizact.session import Session

    session = Session.open(db, now - timedelta(hours=1))
    rng = random.Random(3)
    for rating in (1, 3, 4):
        shown = session.next(now - timedelta(hours=1), rng)
        session.rate(shown, rating, now - timedelta(hours=1))
    session.close()


def test_stats_json_is_answered_without_click_as_the_click_command_answers(tmp_path):
    import json
    from datetime import datetime, timezone

    from click.testing import CliRunner

    from quizact.cli import main as cli

    db = tmp_path / "c.sqlite3"
    _reviewed(db, datetime.now(timezone.utc))
    args = ["--db", str(db), "stats", "--json"]
    fast = subprocess.run([sys.executable, "-c", STATS_PROBE, *args], capture_output=True, text=True, timeout=60)
    assert fast.returncode == 0, fast.stderr
    assert fast.stderr.strip() == "False"  # click was never imported
    slow = CliRunner().invoke(cli, args)
    assert slow.exit_code == 0, slow.output
    assert fast.stdout == slow.output
    data = json.loads(fast.stdout)
    assert data["counts_by_state"]["learning"] + data["counts_by_state"]["review"] == 3  # the three rated
    from quizact.packs.loader import load_pack
    from quizact.paths import builtin_packs

    total = sum(len(load_pack(path).cards) for path in builtin_packs())
    assert data["counts_by_state"]["new"] == total - 3  # the built-in pack's other cards
    assert data["today"]["total"]["new"] == 20 - 3  # the default 20 new a day, 3 begun today


def test_stats_json_leaves_warnings_and_other_forms_to_the_click_command(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "packs").mkdir(parents=True)
    (home / "packs" / "broken.yaml").write_text("pack: broken\ncards: [\n")
    monkeypatch.setenv("QUIZACT_HOME", str(home))
    db = str(tmp_path / "c.sqlite3")
    out = subprocess.run([sys.executable, "-c", STATS_PROBE, "--db", db, "stats", "--json"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0
    assert "warning: pack" in out.stderr and "broken" in out.stderr  # said by the click command
    assert out.stderr.strip().endswith("True")  # which is why click was imported
    assert '"counts_by_state"' in out.stdout
    out = subprocess.run([sys.executable, "-c", STATS_PROBE, "--db", db, "stats"], capture_output=True, text=True,
                         timeout=60)  # fmt: skip
    assert out.returncode == 0 and out.stdout.startswith("today: ") and out.stderr.strip().endswith("True")
