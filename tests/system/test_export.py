"""``quizact export reviews`` and ``quizact export cards``: a real collection with real
ratings (real fsrs), exported through the real CLI as CSV and JSON, to a file and to
standard output, and read back."""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.scheduling import Rating
from quizact.session import Session
from tests.conftest import NOW, SAMPLE

PACK = "quizact-sample"
HOSTILE = "0\x1b[2J\u202e+1"  # an answer holding a terminal escape and a bidi override
# fsrs 6 defaults: a new card rated Good starts at stability w[2]; retrievability
# R = (1 + F·t/S)^D with D = -w[20], F = 0.9^(1/D) - 1, t in whole days since the review
W2, DECAY = 2.3065, -0.1542
FACTOR = 0.9 ** (1 / DECAY) - 1


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path):
    """A collection with the sample pack added and three reviews: a recall card rated Good,
    a numeric card answered wrong (Again), and a practice attempt with a hostile answer."""
    db = tmp_path / "c.sqlite3"
    out = cli("--db", str(db), "pack", "add", str(SAMPLE))
    assert out.exit_code == 0, out.output
    s = Session.open(db, NOW)
    try:
        rng = random.Random(0)
        shown = s.present(PACK, "relu-definition", NOW, rng, seed=77)
        s.rate(shown, Rating.Good, NOW + timedelta(seconds=5))
        later = NOW + timedelta(minutes=1)
        shown = s.present(PACK, "sigmoid-slope-at-z", later, rng, seed=5)
        graded = s.submit(shown, ["0"], later)
        assert graded.verdict.status == "incorrect" and graded.proposed == Rating.Again
        s.rate(shown, graded.proposed, later + timedelta(seconds=12), graded=graded, answers=["0"])
        shown = s.present(PACK, "sigmoid-slope-at-z", later, rng, mode="practice", seed=9)
        s.rate(shown, Rating.Again, later + timedelta(seconds=20), answers=[HOSTILE])
    finally:
        s.close()
    return db


def test_reviews_as_csv_on_standard_output(db):
    out = cli("--db", str(db), "export", "reviews")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 3
    first, second, third = rows
    assert list(first) == ["id", "reviewed_at", "pack", "card", "mode", "rating", "rating_name", "status",
                           "score", "answers", "seed", "duration_ms", "retried", "state_before", "step_before",
                           "stability_before", "difficulty_before", "due_before", "last_review_before",
                           "interval_before", "state_after", "step_after", "stability_after",
                           "difficulty_after", "due_after"]  # fmt: skip
    # a new recall card rated Good: fsrs' first learning step done, 10 minutes to the next
    assert {k: first[k] for k in ("id", "reviewed_at", "pack", "card", "mode", "rating", "rating_name", "status",
                                  "score", "answers", "seed", "duration_ms", "retried", "state_before",
                                  "state_after", "step_after", "due_after")} == {
        "id": "1", "reviewed_at": "2026-03-02T15:30:05.000000+00:00", "pack": PACK, "card": "relu-definition",
        "mode": "review", "rating": "3", "rating_name": "good", "status": "self", "score": "", "answers": "[]",
        "seed": "77", "duration_ms": "5000", "retried": "0", "state_before": "new", "state_after": "learning",
        "step_after": "1", "due_after": "2026-03-02T15:40:05.000000+00:00",
    }  # fmt: skip
    assert float(first["stability_after"]) == pytest.approx(W2)
    assert (first["stability_before"], first["due_before"], first["last_review_before"]) == ("", "", "")
    assert (second["rating"], second["rating_name"], second["status"], second["score"]) == (
        "1", "again", "incorrect", "0.0"
    )
    assert (second["answers"], second["seed"], second["duration_ms"]) == ('["0"]', "5", "12000")
    assert (third["mode"], third["rating_name"], third["seed"]) == ("practice", "again", "9")
    assert json.loads(third["answers"]) == [HOSTILE]  # read back exactly
    assert "\x1b" not in out.stdout and "\u202e" not in out.stdout  # but never printed raw


def test_reviews_equal_the_stored_log(db):
    """Every column is the stored one (states named, lists decoded), review by review."""
    data = json.loads(cli("--db", str(db), "export", "reviews", "--format", "json").stdout)
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    stored = con.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    con.close()
    names = {0: "new", 1: "learning", 2: "review", 3: "relearning", None: None}
    assert [r["id"] for r in data] == [r["id"] for r in stored] == [1, 2, 3]
    for row, raw in zip(data, stored):
        for col in ("reviewed_at", "mode", "rating", "status", "score", "seed", "duration_ms", "step_before",
                    "stability_before", "difficulty_before", "due_before", "last_review_before", "step_after",
                    "stability_after", "difficulty_after", "due_after"):  # fmt: skip
            assert row[col] == raw[col], col
        assert (row["pack"], row["card"], row["interval_before"]) == (raw["pack_id"], raw["card_id"], raw["ivl_before"])
        assert row["state_before"] == names[raw["state_before"]] and row["state_after"] == names[raw["state_after"]]
        assert row["answers"] == (json.loads(raw["answers"]) if raw["answers"] else [])
        assert row["retried"] is bool(raw["retried"])


def test_cards_as_json_to_a_file(db, tmp_path):
    dest = tmp_path / "out" / "cards.json"
    out = cli("--db", str(db), "export", "cards", "-o", str(dest), "--pack", PACK)
    assert out.exit_code == 0, out.output
    assert out.stdout == f"wrote 5 cards to {dest} (json)\n"  # json: from the suffix
    data = json.loads(dest.read_text(encoding="utf-8"))
    assert [c["card"] for c in data] == ["relu-definition", "sigmoid-range", "sigmoid-derivative",
                                         "sigmoid-slope-at-z", "backprop-relu-mse"]  # the pack's order
    recall = data[0]
    assert {k: recall[k] for k in ("pack", "kind", "tags", "state", "step", "due", "last_review", "reps",
                                   "lapses", "suspended", "flags", "retired", "buried_until")} == {
        "pack": PACK, "kind": "recall", "tags": ["activations", "relu"], "state": "learning", "step": 1,
        "due": "2026-03-02T15:40:05.000000+00:00", "last_review": "2026-03-02T15:30:05.000000+00:00",
        "reps": 1, "lapses": 0, "suspended": False, "flags": [], "retired": False, "buried_until": None,
    }  # fmt: skip
    assert recall["stability"] == pytest.approx(W2)
    now = datetime.now(timezone.utc)  # the command's own clock: whole days since the review
    days = {(t - datetime(2026, 3, 2, 15, 30, 5, tzinfo=timezone.utc)).days for t in (now - timedelta(minutes=1), now)}
    assert any(recall["retrievability"] == pytest.approx((1 + FACTOR * d / W2) ** DECAY, abs=1e-6) for d in days)
    new = data[1]
    assert (new["state"], new["stability"], new["retrievability"], new["due"], new["reps"]) == (
        "new", None, None, None, 0
    )


def test_retrievability_at_a_given_time(db):
    """Three days after a Good on a new card: R = (1 + F·3/w2)^D, worked from fsrs' formula."""
    s = Session.open(db, NOW, sources=[SAMPLE])
    try:
        rows = {r["card"]: r for r in s.export_cards(NOW + timedelta(days=3, hours=1))}
    finally:
        s.close()
    expected = (1 + FACTOR * 3 / W2) ** DECAY
    # by hand: F = 0.9^(-6.485) - 1 = 0.9805; (1 + 0.9805·3/2.3065)^-0.1542 = 2.2753^-0.1542 = 0.8809
    assert expected == pytest.approx(0.8809, abs=5e-4)
    assert rows["relu-definition"]["retrievability"] == pytest.approx(expected, abs=1e-6)


def test_cards_as_csv_to_a_file(db, tmp_path):
    dest = tmp_path / "cards.txt"
    out = cli("--db", str(db), "export", "cards", "--output", str(dest))
    assert out.exit_code == 0, out.output
    rows = [r for r in csv.DictReader(io.StringIO(dest.read_text(encoding="utf-8"))) if r["pack"] == PACK]
    numeric = next(r for r in rows if r["card"] == "sigmoid-slope-at-z")
    assert (numeric["kind"], numeric["state"], numeric["reps"], numeric["lapses"]) == ("numeric", "learning", "1", "0")
    assert json.loads(numeric["tags"]) == ["activations", "sigmoid", "saturation"]
    assert (numeric["suspended"], numeric["retired"], numeric["flags"]) == ("0", "0", "[]")
    assert numeric["step"] == "0"  # Again on a new card: back to the first learning step


def test_an_unknown_pack_is_one_clear_line(db):
    out = CliRunner().invoke(main, ["--db", str(db), "export", "reviews", "--pack", "nope"])
    assert out.exit_code == 1
    assert out.output.splitlines()[-1].startswith("Error: no pack 'nope' in this collection (packs: ")


def test_an_unwritable_destination_is_one_clear_line(db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = CliRunner().invoke(main, ["--db", str(db), "export", "reviews", "-o", str(blocker / "r.csv")])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert out.output.startswith(f"Error: cannot write {blocker / 'r.csv'}: ")


def test_json_flag_is_format_json(db):
    a = cli("--db", str(db), "export", "reviews", "--json").stdout
    b = cli("--db", str(db), "export", "reviews", "--format", "json").stdout
    assert a == b and [r["id"] for r in json.loads(a)] == [1, 2, 3]
