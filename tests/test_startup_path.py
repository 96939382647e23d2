"""The path to the first card stays light: ``quizact review`` — the real entry point, in a
real terminal (a pseudo-terminal), over a real collection with the built-in pack cached and
reviews due — has not imported sympy, NumPy, pydantic, PyYAML or markdown-it when the first
review card is drawn.

The moment is the one the app marks itself: once the first card has been drawn, garbage
collection is released and what lives is frozen (``quizact.tui.start.release_gc`` calls
``gc.freeze()``). The probe wraps the standard library's ``gc.freeze`` (nothing of quizact
is replaced), notes there what is imported and what the screen shows, then quits the app.
A fresh process, since this one has long imported all of them.
"""

from __future__ import annotations

import json
import os
import pty
import random
import select
import signal
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizact.session import Session

WATCHED = ("sympy", "numpy", "pydantic", "yaml", "markdown_it")
PROBE = r"""
import gc, json, sys

out, db = sys.argv[1], sys.argv[2]
WATCHED = %r
real_freeze = gc.freeze


def freeze():
    from textual._context import active_app

    app = active_app.get(None)
    screen = app.screen if app is not None else None
    shown = getattr(screen, "shown", None)
    prompts = list(screen.query("#prompt")) if screen is not None else []
    record = {
        "screen": type(screen).__name__,
        "card": shown.card_id if shown is not None else None,
        "prompt_widget": [type(w).__name__ for w in prompts],
        "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(WATCHED)),
        "modules": sorted(m for m in sys.modules if m.split(".")[0] in WATCHED),
    }
    with open(out, "w") as f:
        json.dump(record, f)
    real_freeze()
    if app is not None:
        app.exit()


gc.freeze = freeze
sys.argv = ["quizact", "--db", db, "review"]
import runpy

runpy.run_module("quizact", run_name="__main__", alter_sys=True)
""" % (WATCHED,)


@pytest.fixture
def due_collection(tmp_path, monkeypatch):
    """A collection over the built-in packs (their cache written), a dozen reviews due now;
    returns (collection path, ids of the cards due)."""
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZACT_HOME", str(home))
    monkeypatch.delenv("QUIZACT_DB", raising=False)
    db = tmp_path / "c.sqlite3"
    now = datetime.now(timezone.utc)
    past = now - timedelta(days=40)
    session = Session.open(db, past)
    assert "nn-foundations" in session.packs
    rng = random.Random(0)
    due = set()
    for _ in range(12):  # learnt 40 days ago: each is due again by now
        shown = session.next(past, rng)
        assert shown is not None
        session.rate(shown, 1, past)
        session.rate(shown, 3, past + timedelta(minutes=15))
        due.add(shown.card_id)
    session.close()
    assert list((home / "cache").rglob("*")), "the pack cache was written"
    return db, due


def first_card(tmp_path: Path, db: Path) -> dict:
    """Run ``python -m quizact --db DB review`` in a pseudo-terminal until the probe quits it."""
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    out = tmp_path / "first-card.json"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env.pop("NO_COLOR", None)
    argv = [sys.executable, str(script), str(out), str(db)]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    seen = b""
    deadline = time.monotonic() + 120
    status = None
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                seen = (seen + chunk)[-20000:]
                if chunk:
                    continue
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            status = None
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert out.exists(), f"the app never drew a card; terminal output ended: {seen[-2000:]!r}"
    return json.loads(out.read_text())


def test_quizact_review_draws_the_first_card_without_heavy_modules(tmp_path, due_collection):
    db, due = due_collection
    record = first_card(tmp_path, db)
    assert record["screen"] == "ReviewScreen"
    assert record["card"] in due  # a review card, due now
    assert record["prompt_widget"] == ["PromptText"]  # drawn from the cached light form
    assert record["loaded"] == [], record["modules"]
