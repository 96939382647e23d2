"""``quizact merge OTHER`` through the real command: two copies of one collection that
diverged, merged by the ``quizact`` process; refusals are one line, never a traceback."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.scheduling import Rating
from quizact.session import Session
from tests.conftest import NOW

EVENT = "pack_id, card_id, reviewed_at, mode, rating, status, score, answers, seed, duration_ms, retried"


def quizact(*args: str) -> subprocess.CompletedProcess:
    out = subprocess.run(
        [sys.executable, "-m", "quizact", *args], capture_output=True, timeout=300, env=dict(os.environ), text=True
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


def events(path: Path) -> set[tuple]:
    with sqlite3.connect(path) as conn:
        return set(conn.execute(f"SELECT {EVENT} FROM reviews"))


def states(path: Path) -> dict:
    with sqlite3.connect(path) as conn:
        return {
            r[0]: r[1:]
            for r in conn.execute("SELECT card_id, state, step, stability, difficulty, due, reps, lapses FROM cards")
        }


def rate_first(path: Path, count: int, offset: timedelta, ratings) -> None:
    """Rate the first ``count`` new cards of the built-in packs, as the CLI's session sees them."""
    s = Session.open(path, NOW)
    try:
        when = NOW + offset
        rng = random.Random(1)
        for _ in range(count):
            shown = s.next(when, rng)
            assert shown is not None
            for k, rating in enumerate(ratings):
                s.rate(shown, rating, when + timedelta(minutes=15 * k))
                shown = s.present(shown.pack_id, shown.card_id, when, rng)
            when += timedelta(minutes=1)
    finally:
        s.close()


@pytest.fixture
def copies(tmp_path) -> tuple[Path, Path]:
    origin = tmp_path / "origin.sqlite3"
    rate_first(origin, 1, timedelta(0), [Rating.Good])
    laptop, desktop = tmp_path / "laptop.sqlite3", tmp_path / "desktop.sqlite3"
    shutil.copy(origin, laptop)
    shutil.copy(origin, desktop)
    rate_first(laptop, 2, timedelta(hours=1), [Rating.Good, Rating.Good])
    rate_first(desktop, 1, timedelta(hours=2), [Rating.Again, Rating.Good, Rating.Good])
    return laptop, desktop


def test_merge_through_the_real_command(copies, tmp_path):
    laptop, desktop = copies
    expected = events(laptop) | events(desktop)
    added = len(expected) - len(events(laptop))
    shared = len(events(laptop) & events(desktop))
    out = quizact("--db", str(laptop), "merge", str(desktop))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].endswith(f"{added} review(s) added, 1 card(s) recomputed, {shared} duplicate(s) skipped")
    assert lines[-1].startswith("backup (before the merge): ") and Path(lines[-1].split(": ", 1)[1]).is_file()
    assert events(laptop) == expected
    again = quizact("--db", str(laptop), "merge", str(desktop))
    assert again.returncode == 0
    assert again.stdout.splitlines() == [
        f"merged {desktop}: 0 review(s) added, 0 card(s) recomputed, {len(events(desktop))} duplicate(s) skipped",
        "nothing to merge: no change made",
    ]
    # the other way round: both copies end with the same reviews and card states
    assert quizact("--db", str(desktop), "merge", str(laptop)).returncode == 0
    assert events(desktop) == events(laptop) == expected
    assert states(desktop) == states(laptop)


def test_merge_json_and_refusals(copies, tmp_path):
    laptop, desktop = copies
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(laptop), "merge", str(desktop), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["added"] == 3 and len(data["recomputed"]) == 1 and data["unknown"] == 0
    text = tmp_path / "notes.txt"
    text.write_text("not a collection")
    result = runner.invoke(main, ["--db", str(laptop), "merge", str(text)])
    assert result.exit_code == 1
    assert result.output == f"Error: {text} is not a quizact collection (not an SQLite database)\n"
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(desktop, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    result = runner.invoke(main, ["--db", str(laptop), "merge", str(newer)])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {newer} was written by a newer quizact (collection schema version 99;")
    result = runner.invoke(main, ["--db", str(laptop), "merge", str(tmp_path / "missing.sqlite3")])
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'missing.sqlite3'} does not exist\n")


def test_merge_has_help():
    result = CliRunner().invoke(main, ["merge", "--help"])
    assert result.exit_code == 0 and "review log" in result.output
