"""The JSON-lines sitting's requests, one at a time, over a real collection: every bad line
gets one ``{"error": …}`` line and the sitting goes on; nothing bad costs an attempt."""

from __future__ import annotations

import io
import json
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.jsonl import MAX_LINE, JsonlSitting
from quizact.session import Session
from tests import inside

SAMPLE = Path(__file__).resolve().parents[1] / "content" / "examples" / "sample.yaml"
PACK = "quizact-sample"
NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)


@pytest.fixture
def session(tmp_path):
    s = Session.open(tmp_path / "c.sqlite3", NOW, sources=[SAMPLE])
    yield s
    s.close()


def only(session: Session, card_id: str) -> None:
    for card in session.packs[PACK].cards:
        if card.id != card_id:
            inside.study(session).bury(PACK, card.id, NOW)
    inside.collection(session).query("DELETE FROM undo")


def run(session: Session, *lines: bytes | str | dict) -> list[dict]:
    """Each line sent, in order; the answers, one per line."""
    raw = b"".join((json.dumps(x).encode() if isinstance(x, dict) else x.encode() if isinstance(x, str) else x)
                   + b"\n" for x in lines)  # fmt: skip
    out = io.StringIO()
    JsonlSitting(session, session.sitting(random.Random(7)), lambda: NOW).run(io.BytesIO(raw), out)
    replies = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(replies) == len(lines)
    return replies


def reviews(session: Session) -> list[tuple]:
    return inside.collection(session).query("SELECT card_id, rating, status, answers FROM reviews ORDER BY id")


HOSTILE = [
    (b"not json", "not JSON"),
    (b"[1, 2]", "a request is a JSON object, not list"),
    (b'"next"', "a request is a JSON object, not str"),
    (b"\xff\xfe{}", "not UTF-8 (byte 1)"),
    (b'{"op": "fly"}', "unknown op"),
    (b'{"op": 3}', "unknown op"),
    (b"{}", "unknown op"),
    (b"", "empty line"),
    (b"[" * 100_000, "line too long"),
    (b"[" * 60_000, "nested too deeply"),
    (b'{"op": "answer", "text": 5}', '"text" must be a string, not number'),
    (b'{"op": "answer", "text": null}', '"text" must be a string, not null'),
    (b'{"op": "answer", "answers": "0.2"}', '"answers" must be a non-empty array of strings, not string'),
    (b'{"op": "answer", "answers": [1]}', '"answers"[0] must be a string, not number'),
    (b'{"op": "answer", "text": "0.2\\u0000"}', "control character"),
    (b'{"op": "answer", "text": "\\u001b[31m0.2"}', "control character"),
    (b'{"op": "answer", "text": "0.2", "answers": ["0.2"]}', 'give "text"'),
    (b'{"op": "answer"}', 'give "text"'),
    (b'{"op": "rate", "rating": "superb"}', '"rating" is again, hard, good or easy'),
    (b'{"op": "rate", "rating": 7}', '"rating" is again, hard, good or easy'),
    (b'{"op": "rate", "rating": true}', '"rating" is again, hard, good or easy'),
    (b'{"op": "rate"}', "answer the card first"),
    (b'{"op": "reveal"}', "a numeric card is answered, not revealed"),
    (b'{"op": "retry"}', "only a wrong answer"),
]


@pytest.mark.parametrize("line, error", HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
def test_a_hostile_line_gets_an_error_line_and_costs_no_attempt(session, line, error):
    only(session, "sigmoid-slope-at-z")
    first, bad, again, answered = run(session, {"op": "next"}, line, {"op": "next"}, {"op": "answer", "text": "0.5"})
    assert first["card"]["id"] == "sigmoid-slope-at-z"
    assert error in bad["error"], bad
    assert set(bad) <= {"op", "error"}
    assert again["card"] == first["card"]  # the same card, the same variant: the sitting went on
    # right or wrong, 0.5 is graded at the first try: nothing before it was an attempt
    assert answered["verdict"]["status"] == "incorrect" and answered["verdict"]["retried"] is False
    assert answered["verdict"]["proposed"] == "again"
    assert reviews(session) == []


def test_a_line_too_long_is_skipped_whole_and_the_next_line_read(session):
    only(session, "relu-definition")
    replies = run(session, b'{"op": "next", "pad": "' + b"x" * (3 * MAX_LINE) + b'"}', {"op": "status"})
    assert "line too long" in replies[0]["error"] and replies[1]["op"] == "status"


def test_an_unreadable_answer_costs_no_attempt(session):
    only(session, "sigmoid-derivative")
    replies = run(session, {"op": "next"}, {"op": "answer", "text": "sigmoid(z"}, {"op": "rate"},
                  {"op": "answer", "text": "sigmoid(z)*(1-sigmoid(z))"}, {"op": "rate", "id": "r1"})  # fmt: skip
    assert replies[1]["invalid"] is True and replies[1]["error"]
    assert replies[2]["error"] == "answer the card first"  # the unreadable answer is no attempt to rate
    assert replies[3]["verdict"]["status"] == "correct" and replies[3]["verdict"]["proposed"] == "good"
    assert replies[4]["rating"] == "good" and replies[4]["id"] == "r1"
    assert reviews(session) == [("sigmoid-derivative", 3, "correct", '["sigmoid(z)*(1-sigmoid(z))"]')]


def test_answer_rate_undo_and_rate_again(session):
    only(session, "sigmoid-slope-at-z")
    replies = run(session, {"op": "next"}, {"op": "answer", "text": "0.5"}, {"op": "answer", "text": "0.1"},
                  {"op": "rate", "rating": "easy"}, {"op": "undo"}, {"op": "rate", "rating": 1},
                  {"op": "status"})  # fmt: skip
    assert replies[2]["error"].startswith("this card is graded")  # no second answer without a retry
    assert replies[3]["rating"] == "easy" and replies[3]["state"] == "review"
    undo = replies[4]
    assert undo["undone"] == {"action": "rate", "pack": PACK, "id": "sigmoid-slope-at-z"}
    assert undo["card"]["seed"] == replies[0]["card"]["seed"] and undo["answers"] == ["0.5"]
    assert undo["verdict"]["status"] == "incorrect"
    assert replies[5]["rating"] == "again" and replies[5]["state"] == "learning"
    assert replies[6]["done"] == 1  # the undone rating no longer counts
    assert reviews(session) == [("sigmoid-slope-at-z", 1, "incorrect", '["0.5"]')]


def test_recall_is_revealed_then_rated(session):
    only(session, "relu-definition")
    replies = run(session, {"op": "next"}, {"op": "answer", "text": "max"}, {"op": "rate"}, {"op": "reveal"},
                  {"op": "rate"})  # fmt: skip
    assert replies[1]["error"].startswith("a recall card is not answered")
    assert replies[2]["error"] == "reveal the card first"
    assert "max(0, z)" in replies[3]["answer"] and replies[3]["intervals"]["good"] == "10m"
    assert replies[4]["rating"] == "good" and replies[4]["due"] == "2026-03-02T15:40:00+00:00"
    assert reviews(session) == [("relu-definition", 3, "self", None)]


def test_the_end_of_the_sitting_says_so(session):
    only(session, "relu-definition")
    replies = run(session, {"op": "next"}, {"op": "bury"}, {"op": "next"}, {"op": "bury"})
    assert replies[1]["buried_until"] == "2026-03-03T04:00:00+00:00"
    assert replies[2]["card"] is None and replies[2]["finished"] is True and replies[2]["done"] == 0
    assert replies[3]["error"] == "no card is shown: ask for the next card first"


def test_pack_text_is_written_escaped(session):
    """Control and bidi characters in pack text come out as \\u escapes (``ensure_ascii``)."""
    only(session, "relu-definition")
    out = io.StringIO()
    sitting = session.sitting(random.Random(7))
    JsonlSitting(session, sitting, lambda: NOW).run(io.BytesIO(b'{"op": "next"}\n{"op": "bogus\\u202e\\u001b"}\n'), out)
    assert out.getvalue().isascii()
    assert "\\u202e" in out.getvalue() or "bogus" not in out.getvalue()


def test_the_cli_runs_a_practice_sitting_over_json_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZACT_HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "packs").mkdir(parents=True)
    (tmp_path / "home" / "packs" / "sample.yaml").write_bytes(SAMPLE.read_bytes())
    requests = [{"op": "next"}, {"op": "reveal"}, {"op": "rate", "rating": "good"}, {"op": "undo"}]
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "c.sqlite3"), "study", "--jsonl", "--practice",
                                       "--pack", PACK, "--tag", "relu", "--count", "1", "--seed", "1",
                                       "--now", "2026-03-02T15:30:00"],
                                input="".join(json.dumps(r) + "\n" for r in requests))  # fmt: skip
    assert result.exit_code == 0, result.output
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert replies[0]["left"] == 1 and replies[0]["card"]["pack"] == PACK
    assert "error" not in replies[2] and replies[2].get("practice") is True and replies[2]["left"] == 0
    assert "nothing to undo" in replies[3]["error"]
