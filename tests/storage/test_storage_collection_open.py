"""Opening, refusing, migrating and backing up collection files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from quizact.storage import Collection, CollectionError, SettingsError, schema


def test_new_collection_is_wal_full_and_versioned(collection, db_path):
    assert collection.query_one("PRAGMA journal_mode")[0] == "wal"
    assert collection.query_one("PRAGMA synchronous")[0] == 2  # FULL
    assert collection.query_one("PRAGMA busy_timeout")[0] == 5000
    assert collection.query_one("SELECT value FROM meta WHERE key = 'schema_version'")[0] == str(
        schema.schema_version()
    )
    names = {r[0] for r in collection.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"idx_cards_queue", "idx_cards_pack_queue", "idx_reviews_time"} <= names
    assert db_path.exists()


def test_reopen_keeps_data(db_path, now, make_cards):
    with Collection.open(db_path) as col:
        col.sync_pack("p", "P", 1, "builtin", make_cards("a", "b"), now=now)
    with Collection.open(db_path) as col:
        assert [c.card_id for c in col.cards()] == ["a", "b"]


def test_memory_collection(now, make_cards):
    with Collection.open(":memory:") as col:
        col.sync_pack("p", "P", 1, "builtin", make_cards("a"), now=now)
        assert col.path is None and col.card("p", "a").is_new


def test_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are my notes, not a database\n" * 20)
    before = path.read_bytes()
    with pytest.raises(CollectionError, match=r"is not a quizact collection \(not an SQLite database\)"):
        Collection.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_someone_elses_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CollectionError, match="is not a quizact collection"):
        Collection.open(path)
    assert path.read_bytes() == before


def test_bad_timezone_fails_before_creating_anything(tmp_path):
    with pytest.raises(SettingsError, match="Time zone must be a time zone name like Europe/Paris"):
        Collection.open(tmp_path / "new.sqlite", timezone="Nowhere/Special")
    assert list(tmp_path.iterdir()) == []


def test_directory_is_refused(tmp_path):
    with pytest.raises(CollectionError, match="directory"):
        Collection.open(tmp_path)


def test_newer_schema_is_refused_untouched(db_path):
    Collection.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(CollectionError) as err:
        Collection.open(db_path)
    assert "99" in str(err.value) and f"up to version {schema.schema_version()}" in str(err.value)
    assert db_path.read_bytes() == before


def test_newer_schema_waiting_in_the_wal_is_refused_untouched(db_path, tmp_path):
    """A crash left the upgrade in the WAL: refusing must not checkpoint it into the file."""
    Collection.open(db_path).close()
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal"):
        (crashed / f"c.sqlite{suffix}").write_bytes(Path(f"{db_path}{suffix}").read_bytes())
    writer.close()
    main, wal = crashed / "c.sqlite", crashed / "c.sqlite-wal"
    before = main.read_bytes(), wal.read_bytes()
    assert before[1]  # the change is only in the WAL
    with pytest.raises(CollectionError, match="99"):
        Collection.open(main)
    assert (main.read_bytes(), wal.read_bytes()) == before


def test_locked_collection_is_refused_untouched(db_path):
    Collection.open(db_path).close()
    before = db_path.read_bytes()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CollectionError, match="locked by another program"):
            Collection.open(db_path, busy_timeout_ms=100)
        assert db_path.read_bytes() == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    Collection.open(db_path).close()  # usable again once released


def test_write_waits_then_reports_a_held_lock(db_path, now, make_cards):
    with Collection.open(db_path, busy_timeout_ms=100) as col:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(CollectionError, match="locked"):
                col.sync_pack("p", "P", 1, "builtin", make_cards("a"), now=now)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert col.list_packs() == []
        col.sync_pack("p", "P", 1, "builtin", make_cards("a"), now=now)


def test_migration_backs_up_first(db_path, now, make_cards, monkeypatch):
    with Collection.open(db_path) as col:
        col.sync_pack("p", "P", 1, "builtin", make_cards("a", "b"), now=now)
    v1 = schema.schema_version()

    def add_notes(conn):
        conn.execute("ALTER TABLE cards ADD COLUMN note TEXT")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_notes])
    with Collection.open(db_path) as col:
        assert col.query_one("SELECT value FROM meta WHERE key = 'schema_version'")[0] == str(v1 + 1)
        assert col.query_one("SELECT count(*) FROM cards WHERE note IS NULL")[0] == 2
    backups = list((db_path.parent / "backups").iterdir())
    assert [b.name for b in backups] == [f"collection-v{v1}-before-v{v1 + 1}.sqlite"]
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(v1)
    assert old.execute("SELECT count(*) FROM cards").fetchone()[0] == 2
    old.close()


def test_failed_migration_leaves_the_old_version(db_path, monkeypatch):
    Collection.open(db_path).close()
    v1 = schema.schema_version()

    def broken(conn):
        conn.execute("ALTER TABLE cards ADD COLUMN half_done TEXT")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    with pytest.raises(RuntimeError, match="migration bug"):
        Collection.open(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(v1)
    assert "half_done" not in {r[1] for r in conn.execute("PRAGMA table_info(cards)")}
    conn.close()


def test_daily_backup_once_a_day_keeps_five(collection, db_path, now):
    made = [collection.daily_backup(now + timedelta(days=d)) for d in range(7)]
    assert all(made)
    assert collection.daily_backup(now + timedelta(days=6, hours=1)) is None  # same study day
    kept = sorted(p.name for p in (db_path.parent / "backups").iterdir())
    assert kept == [p.name for p in made[2:]]
    with Collection.open(made[-1]) as copy:
        assert copy.integrity_check() == "ok"


def test_sqlite_utils_view_of_the_same_connection(collection, now, make_cards):
    collection.sync_pack("p", "P", 1, "builtin", make_cards("a", "b"), now=now)
    assert collection.db["cards"].count == 2
    assert {r["card_id"] for r in collection.db["cards"].rows} == {"a", "b"}


def test_core_imports_stay_light(tmp_path):
    code = (
        "import sys, datetime\n"
        "from quizact.storage import Collection, CardRow\n"
        "from quizact.scheduling import Study\n"
        f"col = Collection.open({str(tmp_path / 'c.sqlite')!r})\n"
        "now = datetime.datetime(2026, 3, 2, tzinfo=datetime.timezone.utc)\n"
        "col.sync_pack('p', 'P', 1, 'builtin', [CardRow('a', 'recall')], now=now)\n"
        "s = Study(col); s.counts(now); s.rate(*s.next_card(now), 3, now); s.stats(now)\n"
        "heavy = {'numpy', 'sympy', 'textual', 'torch', 'pandas', 'sqlite_utils'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"


def test_a_version_1_file_gains_the_retried_column_and_keeps_its_reviews(db_path, now, make_cards, monkeypatch):
    # build a file as the first release wrote it: only the first migration
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    with Collection.open(db_path) as col:
        col.sync_pack("p", "P", 1, "builtin", make_cards("a"), now=now)
        with col.transaction() as conn:
            conn.execute("INSERT INTO reviews (pack_id, card_id, reviewed_at, mode, rating, status) "
                         "VALUES ('p', 'a', '2026-03-02T15:30:00.000000+00:00', 'review', 3, 'correct')")
    monkeypatch.undo()
    with Collection.open(db_path) as col:
        assert col.query_one("SELECT value FROM meta WHERE key = 'schema_version'")[0] == str(schema.schema_version())
        assert col.query("SELECT card_id, rating, retried FROM reviews") == [("a", 3, 0)]
    assert [b.name for b in (db_path.parent / "backups").iterdir()] == [
        f"collection-v1-before-v{schema.schema_version()}.sqlite"
    ]
