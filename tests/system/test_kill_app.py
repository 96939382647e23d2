"""The real app in a pseudo-terminal, killed with SIGKILL at random moments while a
learner answers and rates: no committed review is lost, the file stays sound, and two
processes can work on one collection at once."""

from __future__ import annotations

import fcntl
import os
import pty
import random
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

PACK = """\
pack: drill
name: Drill
version: 1
cards:
""" + "".join(
    f"""  - id: n{i}
    kind: numeric
    prompt: "What is {{x}} times 3?"
    params: {{x: {{integer: [2, 9]}}}}
    answer: 3*x
    explain: "Three times {{x}}."
"""
    for i in range(40)
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def quizact(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QUIZACT_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "quizact", *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def home(tmp_path):
    (tmp_path / "drill.yaml").write_text(PACK)
    home = tmp_path / "home"
    assert quizact(home, "pack", "add", str(tmp_path / "drill.yaml")).returncode == 0
    assert quizact(home, "pack", "remove", "nn-foundations").returncode == 0
    return home


def reviews(home: Path) -> int:
    con = sqlite3.connect(home / "collection.sqlite3")
    try:
        return con.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        con.close()


def run_and_kill(home: Path, seconds: float, rng: random.Random) -> int:
    """Answer and rate cards in the app for ``seconds``, then SIGKILL it. Returns the
    highest "N done" the screen showed (each of those ratings was committed)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real app, as a learner starts it
        os.environ.update(QUIZACT_HOME=str(home), TERM="xterm-256color", COLUMNS="100", LINES="30")
        os.execv(sys.executable, [sys.executable, "-m", "quizact", "review"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen, done = "", 0
    deadline = time.monotonic() + seconds
    keys = [b"1", b"\r", b"\r"]  # a (wrong) number, Enter to grade, Enter to accept the rating
    k = 0
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(fd, 65536).decode("utf-8", "replace")
                except OSError:
                    break
                seen = seen[-20000:]
                found = re.findall(r"(\d+) done", ANSI.sub("", seen))
                if found:
                    done = max(done, int(found[-1]))
            if "What is" in ANSI.sub("", seen) and rng.random() < 0.5:
                os.write(fd, keys[k % 3])
                k += 1
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return done


def kill_cycles(home: Path, runs: int, seed: int) -> None:
    rng = random.Random(seed)
    most_shown = 0
    for _ in range(runs):
        before = reviews(home)
        shown_done = run_and_kill(home, rng.uniform(2.5, 6.0), rng)
        after = reviews(home)
        # every rating the screen counted as done was committed before the next card showed
        assert after >= before + shown_done, (before, shown_done, after)
        most_shown = max(most_shown, shown_done)
    assert most_shown > 0, "the learner never got to rate a card"
    con = sqlite3.connect(home / "collection.sqlite3")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_sigkill_during_a_session_loses_nothing(home):
    kill_cycles(home, runs=5, seed=20261123)


@pytest.mark.soak
def test_sigkill_soak(home):
    kill_cycles(home, runs=50, seed=1)


def test_two_processes_on_one_collection(home):
    """The app rates cards while the CLI reads and writes the same collection."""
    rng = random.Random(7)
    pid_done = []
    import threading

    def cli_loop():
        for _ in range(5):
            out = quizact(home, "stats", "--json")
            pid_done.append(out.returncode)

    t = threading.Thread(target=cli_loop)
    t.start()
    run_and_kill(home, 6.0, rng)
    t.join()
    assert pid_done and all(rc == 0 for rc in pid_done)
    assert reviews(home) > 0
