"""The real app in a pseudo-terminal, killed with SIGKILL at random moments while a
learner answers and rates — and right after the rating key: every rating the screen
counted as done is in the file, the file stays sound, and two processes can work on one
collection at once (a second process holding the write lock makes the app wait, never
fail, and loses nothing)."""

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

from tests.lock_holder import hold_lock

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
    return subprocess.run(
        [sys.executable, "-m", "quizact", *args], env=env, capture_output=True, text=True, timeout=120
    )


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
@pytest.mark.timeout(3600)  # 50 app starts on a shared machine: far past the default limit
def test_sigkill_soak(home):
    kill_cycles(home, runs=50, seed=1)


class App:
    """The real app in a pseudo-terminal, read as a learner reads it."""

    def __init__(self, home: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the real app, as a learner starts it
            os.environ.update(QUIZACT_HOME=str(home), TERM="xterm-256color", COLUMNS="100", LINES="30")
            os.execv(sys.executable, [sys.executable, "-m", "quizact", "review"])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.text = ""  # everything shown since the last ``mark``
        self.all = ""  # everything shown (the latest part)
        self.done = 0  # the highest "N done" shown

    def read(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    chunk = ANSI.sub("", os.read(self.fd, 65536).decode("utf-8", "replace"))
                except OSError:
                    return
                self.text += chunk
                self.all = (self.all + chunk)[-200000:]
                found = re.findall(r"(\d+) done", self.all[-20000:])
                if found:
                    self.done = max(self.done, int(found[-1]))

    def wait_for(self, pattern: str, timeout: float = 60.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            m = re.search(pattern, self.text)
            if m:
                return m.group(0)
            self.read(0.1)
        raise AssertionError(f"never shown: {pattern!r}; last screen text: {self.text[-1500:]!r}")

    def press(self, key: bytes) -> None:
        self.text = ""
        os.write(self.fd, key)

    def answer_and_grade(self) -> None:
        """A (wrong) number and Enter; returns once the rating bar is up."""
        self.wait_for("a number, fraction")  # an empty answer box: a new card is up
        self.press(b"1")
        self.read(0.2)
        self.press(b"\r")
        self.wait_for("Again")

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def kill_right_after_rating(home: Path, runs: int, seed: int) -> None:
    """Rate a few cards, then SIGKILL 0–0.5 s after the last rating key."""
    rng = random.Random(seed)
    for _ in range(runs):
        before = reviews(home)
        app = App(home)
        try:
            for i in range(rng.randint(0, 2)):
                app.answer_and_grade()
                app.press(b"\r")  # Enter accepts the proposed rating
                app.wait_for(rf"\b{i + 1} done")
            app.answer_and_grade()
            app.press(b"\r")
            app.read(rng.uniform(0.0, 0.5))
        finally:
            app.kill()
        after = reviews(home)
        assert after >= before + app.done, (before, app.done, after)  # every counted rating is saved
    con = sqlite3.connect(home / "collection.sqlite3")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_sigkill_right_after_the_rating_key(home):
    kill_right_after_rating(home, runs=5, seed=20261202)


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_sigkill_right_after_the_rating_key_soak(home):
    kill_right_after_rating(home, runs=50, seed=2)


@pytest.mark.parametrize("seconds", [2.0, 7.0])
def test_a_second_process_holding_the_write_lock_loses_nothing(home, seconds):
    """Past the collection's 5 s busy wait too: the app says it waits, then saves."""
    before = reviews(home)
    app = App(home)
    try:
        app.answer_and_grade()
        holder = hold_lock(home / "collection.sqlite3", seconds)
        app.press(b"\r")  # rate while the other process holds the lock
        app.wait_for("waiting for another quizact", timeout=seconds)
        assert app.done == 0  # not counted while it is not saved
        holder.wait(timeout=seconds + 30)
        app.wait_for(r"\b1 done", timeout=30)
        app.wait_for("What is", timeout=30)  # the next card
        app.read(0.3)
        assert not re.search(r"Something went wrong|CollectionError|locked", app.all)
    finally:
        app.kill()
    assert reviews(home) == before + 1


def test_two_processes_on_one_collection(home):
    """The app rates cards while the CLI reads and writes the same collection."""
    import threading

    codes: list[int] = []

    def cli_loop():
        for _ in range(5):
            codes.append(quizact(home, "stats", "--json").returncode)

    app = App(home)
    t = threading.Thread(target=cli_loop)
    t.start()
    try:
        for i in range(2):
            app.answer_and_grade()
            app.press(b"\r")
            app.wait_for(rf"\b{i + 1} done")
    finally:
        t.join()
        app.kill()
    assert codes and all(rc == 0 for rc in codes)
    assert reviews(home) == 2
