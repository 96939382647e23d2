"""``quizact study --jsonl``: a headless sitting over JSON lines drives the same Sitting as
the app. The proof: one sitting (answers right and wrong, a retry, ratings, an undo) played
once through ``quizact study --jsonl`` in a subprocess and once through the app's Pilot,
on two copies of one real collection file, at the same fixed time with the same seed,
leaves the two files with the same review rows and the same card states and due dates."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizact.session import Session
from quizact.tui.app import QuizactApp

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "examples" / "sample.yaml"
PACK = "quizact-sample"
NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
SEED = 7
RATINGS = 9  # ratings saved (an undone one included) before the comparison


@pytest.fixture
def template(tmp_path, monkeypatch) -> Path:
    """A collection holding only the sample pack (the built-in packs installed, then removed
    by the learner: never reinstalled), with the sample pack among the user's packs."""
    home = tmp_path / "home"
    (home / "packs").mkdir(parents=True)
    shutil.copy(SAMPLE, home / "packs" / "sample.yaml")
    monkeypatch.setenv("QUIZACT_HOME", str(home))
    monkeypatch.delenv("QUIZACT_DB", raising=False)
    db = tmp_path / "template.sqlite3"
    session = Session.open(db, NOW)
    for info in session.pack_infos():
        if info.pack_id != PACK:
            session.remove_pack(info.pack_id)
    session.close()
    again = Session.open(db, NOW)
    assert set(again.packs) == {PACK}
    again.close()
    return db


class Policy:
    """What the learner does with each card shown, the same in both runs: by card and by how
    often it has been shown. Returns a list of moves: ("reveal",), ("answer", [texts]),
    ("retry",), ("rate", rating or None for the proposal), ("undo",)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.undone = False

    def moves(self, card_id: str, options: list[str]) -> list[tuple]:
        times = self.seen.get(card_id, 0)
        self.seen[card_id] = times + 1
        if card_id == "relu-definition":
            return [("reveal",), ("rate", 1 if times == 0 else 3)]
        if card_id == "sigmoid-range":
            right = "abc"[options.index("(0, 1)")]
            letter = right if times else next(c for c in "abc" if c != right)  # wrong the first time
            return [("answer", [letter]), ("rate", None)]
        if card_id == "sigmoid-derivative":
            if times == 0:  # σ itself is a listed mistake; then right at the second try
                return [
                    ("answer", ["sigmoid(z)"]), ("retry",), ("answer", ["sigmoid(z)*(1-sigmoid(z))"]), ("rate", None)
                ]
            return [("answer", ["sigmoid(z)*(1 - sigmoid(z))"]), ("rate", 4)]
        if card_id == "sigmoid-slope-at-z":  # σ′ never exceeds 0.25: 0.5 is wrong for every z
            if not self.undone:
                self.undone = True
                return [("answer", ["0.5"]), ("rate", 4), ("undo",), ("rate", 1)]
            return [("answer", ["0.5"]), ("rate", None)]
        assert card_id == "backprop-relu-mse", card_id
        return [("answer", ["1", "2", "3", "4", "5"]), ("rate", None)]


def table(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def on_disk(db: Path) -> dict[str, list[tuple]]:
    """What the sitting left: every review row and every card's state and due date."""
    return {
        "reviews": table(db, "SELECT * FROM reviews ORDER BY id"),
        "cards": table(db, "SELECT * FROM cards ORDER BY pack_id, card_id"),
    }


# -- the JSON-lines run ---------------------------------------------------------------------


class Client:
    """``quizact study --jsonl`` in a subprocess, one request and one answer at a time."""

    def __init__(self, db: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        argv = [sys.executable, "-m", "quizact", "--db", str(db), "study", "--jsonl", "--seed", str(SEED),
                "--now", NOW.strftime("%Y-%m-%dT%H:%M:%S%z")]  # fmt: skip
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=REPO)

    def ask(self, request: dict | bytes) -> dict:
        line = request if isinstance(request, bytes) else json.dumps(request).encode()
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + b"\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        assert reply, "the sitting ended"
        return json.loads(reply)

    def close(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=60)


def play_jsonl(db: Path) -> list[str]:
    client, policy, shown, rated = Client(db), Policy(), [], 0
    try:
        while rated < RATINGS:
            card = client.ask({"op": "next"})["card"]
            assert card is not None, "the sitting ran out of cards"
            shown.append(card["id"])
            options = [o["text"] for o in card.get("options", [])]
            for move in policy.moves(card["id"], options):
                if move[0] == "reveal":
                    reply = client.ask({"op": "reveal"})
                elif move[0] == "answer":
                    texts = move[1]
                    words = {"text": texts[0]} if len(texts) == 1 else {"answers": texts}
                    reply = client.ask({"op": "answer", **words})
                    assert "verdict" in reply, reply
                elif move[0] == "retry":
                    reply = client.ask({"op": "retry"})
                elif move[0] == "rate":
                    reply = client.ask({"op": "rate"} if move[1] is None else {"op": "rate", "rating": move[1]})
                    assert "due" in reply, reply
                    rated += 1
                else:  # as in the app, where the next card is up when u is pressed
                    assert client.ask({"op": "next"})["card"]["id"] != card["id"]
                    reply = client.ask({"op": "undo"})
                    assert reply["undone"]["action"] == "rate" and reply["card"]["id"] == card["id"], reply
                assert "error" not in reply, (move, reply)
    finally:
        assert client.close() == 0
    return shown


# -- the app's run -----------------------------------------------------------------------------


def play_app(db: Path) -> list[str]:
    from textual.widgets import Input

    session = Session.open(db, NOW)
    app = QuizactApp(session, clock=lambda: NOW, seed=SEED, start="review", warm_grader=False)
    policy, shown = Policy(), []

    async def settle(pilot) -> None:
        for _ in range(60):
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            if all(w.is_finished for w in app.workers):
                return

    async def type_into(pilot, text: str) -> None:
        focused = app.focused
        assert isinstance(focused, Input), focused
        focused.value = ""
        focused.insert_text_at_cursor(text)
        await pilot.pause()

    async def scenario(pilot) -> None:
        await settle(pilot)
        screen, rated = app.screen, 0
        while rated < RATINGS:
            assert screen.shown is not None, "the sitting ran out of cards"
            card_id = screen.shown.card_id
            shown.append(card_id)
            for move in policy.moves(card_id, list(screen.shown.options)):
                if move[0] == "reveal":
                    await pilot.press("space")
                elif move[0] == "answer":
                    if screen.shown.card.kind == "choice":
                        await pilot.press(move[1][0], "enter")
                    else:
                        for text in move[1]:
                            await type_into(pilot, text)
                            await pilot.press("enter")
                            await settle(pilot)
                elif move[0] == "retry":
                    await pilot.press("t")
                elif move[0] == "rate":
                    assert screen.phase == "graded", (card_id, move, screen.phase)
                    await pilot.press("enter" if move[1] is None else str(move[1]))
                    rated += 1
                else:
                    app.set_focus(None)
                    await pilot.press("u")
                await settle(pilot)
        assert screen.tally.done == RATINGS - 1  # the undone rating no longer counts

    async def main() -> None:
        async with app.run_test(size=(100, 36)) as pilot:
            await scenario(pilot)

    try:
        asyncio.run(main())
    finally:
        session.close()
    return shown


def test_jsonl_sitting_leaves_the_collection_the_app_leaves(template, tmp_path):
    by_lines, by_app = tmp_path / "lines.sqlite3", tmp_path / "app.sqlite3"
    shutil.copy(template, by_lines)
    shutil.copy(template, by_app)
    shown_lines = play_jsonl(by_lines)
    shown_app = play_app(by_app)
    assert shown_lines == shown_app
    assert set(shown_lines) == {"relu-definition", "sigmoid-range", "sigmoid-derivative", "sigmoid-slope-at-z",
                                "backprop-relu-mse"}  # fmt: skip
    lines, app = on_disk(by_lines), on_disk(by_app)
    assert len(lines["reviews"]) == RATINGS - 1  # the undone rating left no row
    assert lines["reviews"] == app["reviews"]
    assert lines["cards"] == app["cards"]
    statuses = table(by_lines, "SELECT card_id, rating, status FROM reviews ORDER BY id")
    assert ("sigmoid-range", 1, "incorrect") in statuses and ("sigmoid-derivative", 2, "correct") in statuses
    assert ("sigmoid-slope-at-z", 1, "incorrect") in statuses and ("sigmoid-slope-at-z", 4, "incorrect") not in statuses
