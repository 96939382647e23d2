"""``quizact backup``: a consistent copy through SQLite's backup API, through the real CLI,
taken while another process keeps writing to the collection and while another holds an
uncommitted write."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
import sys
import time
import zlib
from datetime import timedelta

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.scheduling import Rating
from quizact.session import Session
from tests import inside
from tests.conftest import NOW, SAMPLE

PACK = "quizact-sample"

# Another program writing, as the app does: every transaction logs a review and bumps the
# card's reps together, with a bulky answer so the file grows over many pages.
WRITER = """\
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
con.execute("PRAGMA busy_timeout = 10000")
end = time.monotonic() + float(sys.argv[2])
n = 0
print("writing", flush=True)
while time.monotonic() < end:
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO reviews (pack_id, card_id, reviewed_at, mode, rating, answers) "
                "VALUES ('quizact-sample', 'relu-definition', '2026-03-02T15:30:00.000000+00:00', "
                "'review', 3, ?)", ('["' + 'x' * 3000 + '"]',))
    con.execute("UPDATE cards SET reps = reps + 1 WHERE pack_id = 'quizact-sample' AND card_id = 'relu-definition'")
    con.execute("COMMIT")
    n += 1
print(n, flush=True)
con.close()
"""

# A program in the middle of a write: its transaction is open, not committed.
HOLDER = """\
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO reviews (pack_id, card_id, reviewed_at, mode) "
            "VALUES ('quizact-sample', 'sigmoid-range', '2026-03-02T16:00:00.000000+00:00', 'practice')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
"""


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def db(tmp_path):
    db = tmp_path / "c.sqlite3"
    assert cli("--db", str(db), "pack", "add", str(SAMPLE)).exit_code == 0
    s = Session.open(db, NOW)
    try:
        shown = s.present(PACK, "relu-definition", NOW, random.Random(0), seed=3)
        s.rate(shown, Rating.Good, NOW + timedelta(seconds=4))
    finally:
        s.close()
    return db


def read(path, sql: str):
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_backup_to_a_file(db, tmp_path):
    dest = tmp_path / "safe" / "copy.sqlite3"
    out = cli("--db", str(db), "backup", str(dest))
    assert out.exit_code == 0, out.output
    assert out.output == f"backed up to {dest} ({dest.stat().st_size} bytes)\n"
    assert dest.read_bytes()[:16] == b"SQLite format 3\x00"
    assert read(dest, "PRAGMA integrity_check") == [("ok",)]
    assert read(dest, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert not (tmp_path / "safe" / "copy.sqlite3-wal").exists()
    for sql in ("SELECT * FROM reviews ORDER BY id", "SELECT * FROM cards ORDER BY pack_id, card_id",
                "SELECT * FROM settings ORDER BY key", "SELECT * FROM packs"):  # fmt: skip
        assert read(dest, sql) == read(db, sql)
    assert read(dest, "SELECT card_id, rating, seed FROM reviews") == [("relu-definition", 3, 3)]
    s = Session.open(dest, NOW, sources=[SAMPLE])  # it opens as a collection
    try:
        assert inside.collection(s).card(PACK, "relu-definition").reps == 1
    finally:
        s.close()


def test_backup_without_a_destination_goes_to_the_backups_folder(db, _isolated_home):
    out = cli("--db", str(db), "backup")
    assert out.exit_code == 0, out.output
    # a collection given with --db: a folder named after its file and a digest of its place
    folder = _isolated_home / "backups" / f"c-{zlib.crc32(str(db.resolve()).encode()):08x}"
    made = [p.name for p in folder.iterdir() if "manual" in p.name]
    assert len(made) == 1 and re.fullmatch(r"c-manual-\d{8}-\d{6}\.sqlite3", made[0])
    assert f"backed up to {folder / made[0]} (" in out.output


def test_backups_are_consistent_while_another_process_writes(db, tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), "4"], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        taken = []
        while writer.poll() is None and len(taken) < 12:
            committed = read(db, "SELECT count(*) FROM reviews")[0][0]  # before the copy starts
            dest = tmp_path / f"b{len(taken)}.sqlite3"
            out = cli("--db", str(db), "backup", str(dest))
            assert out.exit_code == 0, out.output
            taken.append((dest, committed))
            time.sleep(0.05)
        written = int(writer.communicate(timeout=60)[0].strip())
    finally:
        if writer.poll() is None:
            writer.kill()
    assert written > 10 and len(taken) >= 3
    counts = []
    for dest, committed in taken:
        assert read(dest, "PRAGMA integrity_check") == [("ok",)]
        where = "pack_id = 'quizact-sample' AND card_id = 'relu-definition'"
        reviews = read(dest, f"SELECT count(*) FROM reviews WHERE {where} AND mode = 'review'")[0][0]
        reps = read(dest, f"SELECT reps FROM cards WHERE {where}")[0][0]
        assert reviews == reps  # each transaction whole or not at all: never half a write
        assert read(dest, "SELECT count(*) FROM reviews")[0][0] >= committed  # nothing committed is missed
        counts.append(reviews)
    assert counts == sorted(counts) and counts[-1] > counts[0]  # taken while the log grew


def test_a_backup_leaves_out_an_uncommitted_write_and_does_not_wait_for_it(db, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "8"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        dest = tmp_path / "during.sqlite3"
        started = time.monotonic()
        out = cli("--db", str(db), "backup", str(dest))
        waited = time.monotonic() - started
        assert out.exit_code == 0, out.output
        assert holder.poll() is None and waited < 8  # done while the other write was still open
    finally:
        holder.kill()
        holder.wait()
    assert read(dest, "SELECT count(*) FROM reviews WHERE mode = 'practice'") == [(0,)]
    assert read(dest, "SELECT count(*) FROM reviews") == [(1,)]


def test_bad_destinations_are_one_clear_line(db, tmp_path):
    out = cli("--db", str(db), "backup", str(db))
    assert out.exit_code == 1
    assert out.output == f"Error: {db} is the collection itself: choose another file for the backup\n"
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    out = cli("--db", str(db), "backup", str(blocker / "b.sqlite3"))
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert out.output.startswith(f"Error: cannot create {blocker}: ")


def test_backup_json(db, tmp_path):
    dest = tmp_path / "j.sqlite3"
    out = cli("--db", str(db), "backup", str(dest), "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"path": str(dest), "bytes": dest.stat().st_size}
