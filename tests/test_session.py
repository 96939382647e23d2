"""The headless session over a real collection file and the real packs."""

from __future__ import annotations

import random
import shutil
from datetime import timedelta

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.scheduling import Rating
from quizact.session import Session
from tests import inside
from tests.conftest import SAMPLE


@pytest.fixture
def session(tmp_path, fixed_now):
    s = Session.open(tmp_path / "c.sqlite3", fixed_now, sources=[SAMPLE])
    yield s
    s.close()


def test_first_run_installs_packs(session, fixed_now):
    counts = session.counts(fixed_now)
    assert counts["packs"]["quizact-sample"]["new"] == 5
    assert counts["names"]["quizact-sample"] == "quizact sample pack"


def test_review_loop_commits_each_rating(session, fixed_now, tmp_path):
    rng = random.Random(1)
    shown = session.next(fixed_now, rng)
    assert shown is not None and shown.prompt
    if shown.card.kind == "recall":
        result = session.rate(shown, Rating.Good, fixed_now)
    else:
        from quizact.grading.card import expected_answers

        graded = session.submit(shown, expected_answers(shown.card, shown.variant), fixed_now)
        assert graded.verdict.status == "correct" and graded.proposed == Rating.Good
        assert set(graded.intervals) == set(Rating) and "Good" in graded.bar()
        result = session.rate(shown, graded.proposed, fixed_now, graded=graded)
    # a second connection sees the committed review at once
    other = Session.open(tmp_path / "c.sqlite3", fixed_now, sources=[SAMPLE])
    rows = inside.collection(other).query("SELECT card_id, seed FROM reviews WHERE mode = 'review'")
    assert rows == [(shown.card_id, shown.variant.seed)]
    other.close()
    assert result.review_id == 1


def test_practice_leaves_the_schedule(session, fixed_now):
    before = [
        inside.collection(session).card_row("quizact-sample", c.id) for c in session.packs["quizact-sample"].cards
    ]
    rng = random.Random(3)
    for pack_id, card_id in session.practice_queue(rng, count=5):
        shown = session.present(pack_id, card_id, fixed_now, rng, mode="practice")
        session.rate(shown, Rating.Again, fixed_now + timedelta(seconds=5))
    after = [inside.collection(session).card_row("quizact-sample", c.id) for c in session.packs["quizact-sample"].cards]
    assert before == after
    assert inside.collection(session).query("SELECT count(*) FROM reviews WHERE mode = 'practice'") == [(5,)]


def test_undo_restores_the_card(session, fixed_now):
    shown = session.next(fixed_now, random.Random(0))
    row = inside.collection(session).card_row(shown.pack_id, shown.card_id)
    session.rate(shown, Rating.Easy, fixed_now)
    assert inside.collection(session).card_row(shown.pack_id, shown.card_id) != row
    session.undo()
    assert inside.collection(session).card_row(shown.pack_id, shown.card_id) == row
    assert inside.collection(session).query("SELECT count(*) FROM reviews") == [(0,)]


def test_pack_update_keeps_history(tmp_path, fixed_now):
    pack = tmp_path / "p.yaml"
    shutil.copyfile(SAMPLE, pack)
    s = Session.open(tmp_path / "c.sqlite3", fixed_now, sources=[pack])
    shown = s.present("quizact-sample", "relu-definition", fixed_now, random.Random(0))
    s.rate(shown, Rating.Good, fixed_now)
    s.close()
    text = pack.read_text().replace("id: relu-definition", "id: relu-def").replace(
        "license: CC-BY-4.0", "license: CC-BY-4.0\nrenamed: {relu-definition: relu-def}")
    pack.write_text(text)
    s = Session.open(tmp_path / "c.sqlite3", fixed_now + timedelta(days=1), sources=[pack])
    assert inside.collection(s).card_row("quizact-sample", "relu-def")["reps"] == 1
    assert inside.collection(s).query("SELECT card_id FROM reviews") == [("relu-def",)]
    s.close()


def test_cli_pack_add_list_remove(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "c.sqlite3")
    out = runner.invoke(main, ["--db", db, "pack", "add", str(SAMPLE)])
    assert out.exit_code == 0 and "added quizact-sample" in out.output and "5 new" in out.output
    out = runner.invoke(main, ["--db", db, "pack", "list", "--json"])
    assert "quizact-sample" in out.output
    out = runner.invoke(main, ["--db", db, "pack", "remove", "quizact-sample"])
    assert out.exit_code == 0 and "history kept" in out.output
    assert "quizact-sample" not in runner.invoke(main, ["--db", db, "pack", "list"]).output


def test_cli_refuses_a_broken_pack(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: b\nname: B\nversion: 1\ncards:\n  - {id: a, kind: recall, promt: p, answer: x}\n")
    out = CliRunner().invoke(main, ["--db", str(tmp_path / "c.sqlite3"), "pack", "add", str(bad)])
    assert out.exit_code == 1 and "unknown field 'promt'" in out.output and "not added" in out.output


def test_cli_refuses_a_file_that_is_not_a_collection(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_bytes(b"hello, not sqlite" * 100)
    out = CliRunner().invoke(main, ["--db", str(f), "stats"])
    assert out.exit_code == 1 and "not a quizact collection" in out.output
    assert f.read_bytes() == b"hello, not sqlite" * 100


def test_cli_stats_json(tmp_path):
    import json

    out = CliRunner().invoke(main, ["--db", str(tmp_path / "c.sqlite3"), "stats", "--json"])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert data["today"]["total"]["new"] > 0
