"""Pack updates that must not brick a collection: ``renamed:`` is checked, ``pack add`` is
all or nothing, and a broken installed pack is skipped with a one-line reason while the
collection opens and the rest is studied. Real files, real collections, real processes."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.packs.loader import read_pack
from quizact.scheduling import Rating
from quizact.session import Session
from quizact.storage import Collection
from tests.conftest import NOW, SAMPLE

V1 = """\
pack: mine
name: Mine
version: 1
cards:
  - {id: a, kind: recall, prompt: "card a", answer: x}
  - {id: b, kind: recall, prompt: "card b", answer: x}
"""
# the update: a rename whose old id is still in the pack
STILL_THERE = V1.replace("version: 1", "version: 2\nrenamed: {a: b}")
# a valid-looking rename (a is gone, b is there) that the collection refuses once b has history
ONTO_REVIEWED = STILL_THERE.replace('  - {id: a, kind: recall, prompt: "card a", answer: x}\n', "")


@contextmanager
def opened(db: Path, sources=None):
    session = Session.open(db, NOW, sources=sources)
    try:
        yield session
    finally:
        session.close()


def quizact(*args, home: Path, db: Path):
    env = {**os.environ, "QUIZACT_HOME": str(home), "QUIZACT_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "quizact", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.fixture
def world(tmp_path, _isolated_home):
    """A collection with pack ``mine`` v1 installed by ``pack add`` and card b reviewed once."""
    db = tmp_path / "c.sqlite"
    v1 = tmp_path / "v1.yaml"
    v1.write_text(V1)
    out = quizact("pack", "add", v1, home=_isolated_home, db=db)
    assert out.returncode == 0, out.stderr
    installed = _isolated_home / "packs" / "mine.yaml"
    with opened(db, [installed]) as s:
        s.rate(s.present("mine", "b", NOW, random.Random(0)), Rating.Good, NOW)
    return db, installed, _isolated_home, tmp_path


def state(db: Path) -> tuple:
    with Collection.open(db) as col:
        return (col.query("SELECT pack_id, version, content_hash FROM packs ORDER BY pack_id"),
                col.query("SELECT pack_id, card_id, reps, retired FROM cards WHERE pack_id = 'mine' ORDER BY card_id"),
                col.query("SELECT card_id, rating FROM reviews"))


def test_pack_check_validates_renamed(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent("""\
        pack: ren
        name: Ren
        version: 2
        renamed:
          kept: other
          same: same
          a: b
          b: c
          x: y
          y: x
          gone: nowhere
          p: c
          ok: other
        cards:
          - {id: kept, kind: recall, prompt: p, answer: a}
          - {id: other, kind: recall, prompt: p, answer: a}
          - {id: c, kind: recall, prompt: p, answer: a}
          - {id: y, kind: recall, prompt: p, answer: a}
        """))
    _, problems = read_pack(path)
    assert [(p.line, p.card, p.message) for p in problems] == [
        (5, "kept", "renamed to 'other', but 'kept' is still a card of this pack"),
        (6, "same", "renamed to itself"),
        (7, "a", "renamed to 'b', which is renamed too (a → b → c): rename 'a' to 'c'"),
        (9, "x", "renames form a cycle: x → y → x"),
        (10, "y", "renames form a cycle: y → x → y"),
        (11, "gone", "renamed to 'nowhere', which is not a card"),
        (12, "p", "renamed to 'c', which 'b' is renamed to as well"),
        # b → c and ok → other are sound: b is gone and c is a card; "kept" is refused above
    ]


def test_a_rename_of_an_id_still_in_the_pack_is_refused_by_check_and_add(world):
    db, installed, home, tmp = world
    before, v1_bytes = state(db), installed.read_bytes()
    v2 = tmp / "v2.yaml"
    v2.write_text(STILL_THERE)
    check = quizact("pack", "check", v2, home=home, db=db)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [f"{v2}:4: a: renamed to 'b', but 'a' is still a card of this pack"]
    add = quizact("pack", "add", v2, home=home, db=db)
    assert add.returncode == 1 and "Traceback" not in add.stderr and "not added: 1 problem(s)" in add.stderr
    assert installed.read_bytes() == v1_bytes and state(db) == before
    assert quizact("pack", "list", home=home, db=db).returncode == 0


def test_pack_add_is_all_or_nothing_when_the_collection_refuses_it(world):
    db, installed, home, tmp = world
    before, v1_bytes = state(db), installed.read_bytes()
    v2 = tmp / "v2.yaml"
    v2.write_text(ONTO_REVIEWED)
    add = quizact("pack", "add", v2, home=home, db=db)
    assert add.returncode == 1 and "Traceback" not in add.stderr
    assert add.stderr.strip() == f"Error: {v2}: not added: cannot rename 'a' to 'b': 'b' already has review history"
    assert installed.read_bytes() == v1_bytes and state(db) == before
    assert sorted(p.name for p in installed.parent.iterdir()) == ["mine.yaml"]  # nothing staged is left
    stats = quizact("stats", "--json", home=home, db=db)
    assert stats.returncode == 0 and stats.stderr == ""


def test_pack_add_puts_the_earlier_files_back_when_moving_them_fails(world, monkeypatch):
    db, installed, home, tmp = world
    before, v1_bytes = state(db), installed.read_bytes()
    v2 = tmp / "v2.yaml"
    v2.write_text(V1.replace("version: 1", "version: 2").replace("card a", "card A"))
    real_replace = os.replace

    def failing_replace(src, dst):  # the new version cannot be moved in (a full disk, say)
        if Path(dst) == installed and Path(src).name == "mine.yaml":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    out = CliRunner().invoke(main, ["--db", str(db), "pack", "add", str(v2)])
    assert out.exit_code == 1 and "not added: [Errno 28] No space left on device" in out.output
    monkeypatch.setattr(os, "replace", real_replace)
    assert installed.read_bytes() == v1_bytes and state(db) == before
    assert sorted(p.name for p in installed.parent.iterdir()) == ["mine.yaml"]
    out = CliRunner().invoke(main, ["--db", str(db), "pack", "add", str(v2)])  # and then it works
    assert out.exit_code == 0 and "updated mine" in out.output and "1 changed" in out.output
    assert installed.read_text() == v2.read_text()


def test_a_failure_before_commit_applies_nothing(collection, now):
    def fail():
        raise OSError("cannot place the files")

    with pytest.raises(OSError):
        collection.sync_pack("p", "P", 1, "src", [("a", "recall")], now=now, before_commit=fail)
    assert collection.list_packs(include_removed=True) == [] and collection.query("SELECT * FROM cards") == []


BROKEN = {
    "bad YAML": ("pack: mine\nname: [unclosed\n", "home/packs/mine.yaml:3: -: YAML syntax error"),
    "bad rename": (STILL_THERE, "mine.yaml:4: a: renamed to 'b', but 'a' is still a card of this pack"),
    "rename onto history": (ONTO_REVIEWED, "cannot rename 'a' to 'b': 'b' already has review history"),
    "bad card": (V1.replace("answer: x}", "answer: x, promt: typo}"), "unknown field 'promt'"),
}


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_a_broken_installed_pack_never_stops_the_collection(world, how):
    db, installed, home, tmp = world
    text, why = BROKEN[how]
    before = state(db)
    installed.write_text(text)  # edited by hand after it was added
    for command in (["stats"], ["pack", "list"]):
        out = quizact(*command, home=home, db=db)
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        [warning] = out.stderr.splitlines()  # exactly one line, naming the pack and why
        assert warning.startswith("warning: pack ") and "mine" in warning and "is broken and was skipped" in warning
        assert why.split("home/")[-1] in warning
    assert "nn-foundations" in out.stdout  # the other packs are there
    with opened(db) as s:  # and studied: the built-in pack's cards come up
        assert "mine" not in s.packs and "nn-foundations" in s.packs and len(s.problems) == 1
        shown = s.next(NOW, random.Random(1))
        assert shown is not None and shown.pack_id == "nn-foundations"
    assert state(db)[1:] == before[1:]  # mine's cards and history untouched


def test_the_app_opens_and_names_the_broken_pack(tmp_path):
    from quizact.tui.screens.review import ReviewScreen
    from tests.tui.conftest import make_app, settle

    broken = tmp_path / "mine.yaml"
    broken.write_text(STILL_THERE)
    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[broken, SAMPLE])
    app = make_app(session, start="review")

    async def main_() -> None:
        async with app.run_test(size=(100, 36)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen) and app.screen.shown.pack_id == "quizact-sample"
            [note] = list(app._notifications)
            assert note.title == "Some packs were skipped" and note.severity == "warning"
            assert note.message == session.problems[0]
            assert "pack mine" in note.message and "'a' is still a card of this pack" in note.message

    try:
        asyncio.run(main_())
    finally:
        session.close()
