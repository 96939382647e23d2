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
