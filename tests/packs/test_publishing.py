"""Publishing a pack update safely: ``pack add --dry-run`` shows the update's diff (and the
renames the author may have meant) and changes nothing; each review keeps the content hash
of the card as answered; ``reset:`` sends a substantively changed card back to new. Real
collection files, reviews through the real Session and Sitting (real fsrs)."""

from __future__ import annotations

import difflib
import hashlib
import random
import shutil
import sqlite3
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.packs.loader import read_pack
from quizact.packs.lookalike import THRESHOLD, lookalikes
from quizact.scheduling import Rating
from quizact.session import Session
from quizact.storage import Collection, schema
from tests.conftest import NOW
from tests.packs.cardfiles import problems

V1 = """\
pack: mine
name: Mine
version: 1
cards:
  - {id: relu-neg, kind: recall, prompt: "What does ReLU output for a negative input?", answer: "0"}
  - {id: tanh-range, kind: recall, prompt: "What is the range of tanh?", answer: "(-1, 1)"}
  - {id: sig-range, kind: recall, prompt: "What is the range of the sigmoid?", answer: "(0, 1)"}
  - {id: gone, kind: recall, prompt: "Name three activation functions.", answer: "relu, tanh, sigmoid"}
  - {id: kept, kind: recall, prompt: "Is ReLU differentiable at 0?", answer: "no"}
"""
# v2: relu-neg becomes relu-negative (prompt reworded slightly), tanh-range and sig-range
# change (sig-range substantively: listed in reset), gone is dropped for an unrelated card
V2 = """\
pack: mine
name: "Mine \\e[2J v2"
version: 2
reset: [sig-range]
cards:
  - {id: relu-negative, kind: recall, prompt: "What does ReLU output for negative inputs?", answer: "0"}
  - {id: tanh-range, kind: recall, prompt: "What is the range of tanh(z)?", answer: "(-1, 1)"}
  - {id: sig-range, kind: recall, prompt: "What is the range of the sigmoid, and why?", answer: "(0, 1)"}
  - {id: softmax-sum, kind: recall, prompt: "What do softmax outputs add up to?", answer: "1"}
  - {id: kept, kind: recall, prompt: "Is ReLU differentiable at 0?", answer: "no"}
"""


def add(db: Path, path: Path, *extra: str):
    return CliRunner().invoke(main, ["--db", str(db), "pack", "add", str(path), *extra])


def review(db: Path, home: Path, card_ids: list[str], at, rating=Rating.Easy) -> None:
    """Review each card once through a Sitting (a recall card: reveal, then rate)."""
    session = Session.open(db, at, sources=[home / "packs" / "mine.yaml"])
    try:
        rng = random.Random(3)
        for card_id in card_ids:
            sitting = session.sitting(rng, shown=session.present("mine", card_id, at, rng))
            sitting.next(at)
            sitting.reveal()
            sitting.rate(rating, at + timedelta(seconds=5))
    finally:
        session.close()


@pytest.fixture
def world(tmp_path, _isolated_home):
    """``mine`` v1 added by ``pack add``, every card reviewed once (Easy: in review), and v2 written."""
    db = tmp_path / "c.sqlite"
    v1, v2 = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    v1.write_text(V1)
    v2.write_text(V2)
    out = add(db, v1)
    assert out.exit_code == 0, out.output
    review(db, _isolated_home, ["relu-neg", "tanh-range", "sig-range", "gone", "kept"], NOW)
    return db, v1, v2, _isolated_home


def on_disk(db: Path, home: Path) -> tuple:
    """The collection file's bytes and row counts, and the packs and backups folders."""
    conn = sqlite3.connect(db)
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("cards", "reviews", "card_log", "undo")]
    states = conn.execute("SELECT card_id, state, due, retired, content_hash FROM cards ORDER BY card_id").fetchall()
    conn.close()
    folders = sorted(str(p.relative_to(home)) for sub in ("packs", "backups") for p in (home / sub).rglob("*"))
    folders += [sub for sub in ("packs", "backups") if (home / sub).exists()]
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in db.parent.iterdir() if p.is_file()}
    return files, counts, states, folders


# -- pack add --dry-run ------------------------------------------------------------------


def test_dry_run_prints_the_diff_and_changes_nothing(world):
    db, _, v2, home = world
    shutil.rmtree(home / "backups")  # today's backup was taken by pack add: would the dry run take one?
    before = on_disk(db, home)
    out = add(db, v2, "--dry-run")
    assert out.exit_code == 0, out.output
    assert out.output.splitlines() == [
        "dry run: would update mine (Mine \\x1b[2J v2, version 2); nothing was changed",
        "new (2): relu-negative, softmax-sum",
        "changed (2): tanh-range, sig-range",
        "retired (2): gone, relu-neg",
        "renamed (0): -",
        "unchanged: 1",
        "reset to new (1): sig-range",
        "did you mean renamed: {relu-neg: relu-negative}? (same kind, prompts 96% alike)",
    ]
    assert on_disk(db, home) == before  # not a byte, not a row, not a file (no backup either)
    with Collection.open(db) as col:  # and the schedule: sig-range is still in review
        assert col.card("mine", "sig-range").state == 2


def doc_example(command: str) -> list[str]:
    """The output lines docs/cli.md shows for ``$ command``."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text()
    block = text.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    return block.splitlines()


def test_the_documented_example_is_what_the_command_prints(world):
    db, _, v2, home = world
    v2.write_text(V2.replace('name: "Mine \\e[2J v2"', "name: Mine"))
    out = add(db, v2, "--dry-run")
    assert out.output.splitlines() == doc_example("quizact pack add mine-v2.yaml --dry-run")


def test_an_update_the_collection_would_refuse_is_reported_by_the_dry_run(world):
    db, _, v2, home = world  # a rename onto kept, which has a review of its own
    v2.write_text(V2.replace("reset: [sig-range]", "renamed: {gone: kept}"))
    before = on_disk(db, home)
    out = add(db, v2, "--dry-run")
    assert out.exit_code == 1
    assert "would not be added: cannot rename 'gone' to 'kept': 'kept' already has review history" in out.output
    assert on_disk(db, home) == before


def test_the_printed_similarity_is_worked_by_hand():
    a, b = "What does ReLU output for a negative input?", "What does ReLU output for negative inputs?"
    # 43 and 42 characters; in common: "What does ReLU output for " (26), "negative input" (14), "?" (1)
    assert (len(a), len(b)) == (43, 42)
    assert lookalikes([Card("relu-neg", "recall", a)], [Card("relu-negative", "recall", b)]) == [
        ("relu-neg", "relu-negative", pytest.approx(2 * 41 / (43 + 42)))]  # 0.965: "96%"


def test_dry_run_of_a_rename_the_author_wrote_shows_it_and_no_hint(world):
    db, _, v2, home = world
    v2.write_text(V2.replace("reset: [sig-range]", "reset: [sig-range]\nrenamed: {relu-neg: relu-negative}"))
    out = add(db, v2, "--dry-run")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert "renamed (1): relu-neg -> relu-negative" in lines
    assert "retired (1): gone" in lines and "new (1): softmax-sum" in lines
    assert not any(line.startswith("did you mean") for line in lines)


def test_a_first_dry_run_creates_no_collection(tmp_path, _isolated_home):
    db, v1 = tmp_path / "none.sqlite", tmp_path / "v1.yaml"
    v1.write_text(V1)
    out = add(db, v1, "--dry-run")
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[:2] == [
        "dry run: would add mine (Mine, version 1); nothing was changed",
        "new (5): relu-neg, tanh-range, sig-range, gone, kept",
    ]
    assert not db.exists() and not (_isolated_home / "packs").exists()


def test_the_real_add_does_what_the_dry_run_said(world):
    db, _, v2, home = world
    out = add(db, v2)
    assert out.exit_code == 0, out.output
    assert out.output.strip() == ("updated mine (Mine \\x1b[2J v2, version 2): 2 new, 2 changed, 2 retired, "
                                  "0 renamed, 1 unchanged, 1 reset to new")  # fmt: skip


class Card:
    def __init__(self, id: str, kind: str, prompt: str):
        self.id, self.kind, self.prompt = id, kind, prompt


def test_lookalike_rule_at_its_threshold():
    # SequenceMatcher: ratio = 2·M / (len a + len b); "abcde" / "abcdX": M = 4, 8/10 = 0.8 (in)
    # "abcd" / "abcX": M = 3, 6/8 = 0.75 (out)
    assert THRESHOLD == 0.8
    assert lookalikes([Card("old", "recall", "abcde")], [Card("new", "recall", "abcdX")]) == [("old", "new", 0.8)]
    assert lookalikes([Card("old", "recall", "abcd")], [Card("new", "recall", "abcX")]) == []


def test_lookalike_needs_the_same_kind_and_pairs_each_card_once():
    old = [Card("a", "recall", "the range of tanh"), Card("b", "recall", "the range of tanh!")]
    assert lookalikes(old, [Card("n", "choice", "the range of tanh")]) == []  # another kind: no
    # two retired cards alike the one new card: only the more alike one is offered
    assert [(o, n) for o, n, _ in lookalikes(old, [Card("n", "recall", "the range of tanh")])] == [("a", "n")]
    # white space does not count
    assert lookalikes([Card("a", "recall", "x  =\n y")], [Card("n", "recall", "x = y")]) == [("a", "n", 1.0)]


def test_dissimilar_cards_get_no_hint(world):
    db, _, v2, home = world  # the negative case through the command: gone vs softmax-sum
    out = add(db, v2, "--dry-run")
    gone, softmax = "Name three activation functions.", "What do softmax outputs add up to?"
    assert difflib.SequenceMatcher(None, gone, softmax).ratio() < 0.8  # the premise
    assert "gone" not in " ".join(line for line in out.output.splitlines() if line.startswith("did you mean"))


# -- the content hash with each review -----------------------------------------------------


def test_each_review_keeps_the_hash_of_the_card_as_answered(world):
    db, _, v2, home = world
    assert add(db, v2).exit_code == 0
    review(db, home, ["tanh-range"], NOW + timedelta(days=3), Rating.Good)
    v1_hash, v2_hash = (read_pack(p)[0].hashes["tanh-range"] for p in (world[1], v2))
    assert v1_hash != v2_hash
    with Collection.open(db) as col:
        got = col.query("SELECT content_hash FROM reviews WHERE card_id = 'tanh-range' ORDER BY id")
    assert got == [(v1_hash,), (v2_hash,)]


def test_older_reviews_keep_null_and_the_collection_still_opens(tmp_path, monkeypatch, _isolated_home):
    db, v1 = tmp_path / "old.sqlite", tmp_path / "v1.yaml"
    v1.write_text(V1)
    full = schema.MIGRATIONS
    monkeypatch.setattr(schema, "MIGRATIONS", full[:4])  # a file as version 4 wrote it
    with Collection.open(db) as col:
        col.sync_pack("mine", "Mine", 1, "x", [("kept", "recall")], now=NOW)
        with col.transaction() as conn:
            conn.execute("INSERT INTO reviews (pack_id, card_id, reviewed_at, mode, rating, status) "
                         "VALUES ('mine', 'kept', ?, 'review', 3, 'self')", (NOW.isoformat(timespec="microseconds"),))
    monkeypatch.setattr(schema, "MIGRATIONS", full)  # (undo() would drop QUIZACT_HOME too)
    assert add(db, v1).exit_code == 0
    review(db, _isolated_home, ["kept"], NOW + timedelta(days=1))
    with Collection.open(db) as col:
        rows = col.query("SELECT content_hash, outcome FROM reviews ORDER BY id")
    assert rows == [(None, None), (read_pack(v1)[0].hashes["kept"], None)]  # a recall card has no verdict
    assert [b.name for b in (tmp_path / "backups").iterdir()] == [f"old-v4-before-v{schema.schema_version()}.sqlite"]


# -- reset: a substantive change -----------------------------------------------------------------


def test_reset_sends_a_changed_card_back_to_new_and_keeps_its_history(world):
    db, _, v2, home = world
    with Collection.open(db) as col:
        before = {c: col.card("mine", c) for c in ("tanh-range", "sig-range", "kept")}
    assert all(b.state == 2 for b in before.values())  # Easy on a new card: in review
    assert add(db, v2).exit_code == 0
    with Collection.open(db) as col:
        sig, tanh, kept = (col.card("mine", c) for c in ("sig-range", "tanh-range", "kept"))
        assert (sig.state, sig.due, sig.stability, sig.last_review) == (0, None, None, None)  # back to new
        assert col.query("SELECT count(*) FROM reviews WHERE card_id = 'sig-range'") == [(1,)]  # history kept
        assert col.query("SELECT card_id, action FROM card_log") == [("sig-range", "forget")]
        # changed but not in reset: its schedule stays; unchanged: stays too
        for now, was in ((tanh, before["tanh-range"]), (kept, before["kept"])):
            assert (now.state, now.due, now.stability) == (was.state, was.due, was.stability)
    # the same file again: sig-range is unchanged now, so it is not reset a second time
    review(db, home, ["sig-range"], NOW + timedelta(days=2))
    out = add(db, v2)
    assert out.exit_code == 0 and "reset" not in out.output
    with Collection.open(db) as col:
        assert col.card("mine", "sig-range").state == 2


def test_undo_after_a_reset_does_not_bring_the_old_schedule_back(world):
    db, _, v2, home = world
    assert add(db, v2).exit_code == 0
    session = Session.open(db, NOW + timedelta(days=1), sources=[home / "packs" / "mine.yaml"])
    try:
        undone = []
        while (entry := session.undo()) is not None:
            undone.append(entry.card_id)
        assert "sig-range" not in undone and "tanh-range" in undone
        assert session.card("mine", "sig-range").state == 0
    finally:
        session.close()


def test_pack_check_refuses_a_reset_of_an_unknown_or_repeated_id(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent("""\
        pack: p
        name: P
        version: 1
        reset:
          - sig-rnge
          - kept
          - kept
        cards:
          - {id: sig-range, kind: recall, prompt: "a", answer: x}
          - {id: kept, kind: recall, prompt: "b", answer: x}
        """))
    assert problems(path, located=True) == [
        "5: sig-rnge: reset names 'sig-rnge', which is not a card (did you mean 'sig-range'?)",
        "7: kept: listed twice in reset",
    ]
    out = CliRunner().invoke(main, ["pack", "check", str(path)])
    assert out.exit_code == 1 and f"{path}:5: sig-rnge: reset names" in out.output
