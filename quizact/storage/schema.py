"""The collection's schema, its version and the migrations that reach it.

``MIGRATIONS[i]`` takes a collection from version ``i`` to ``i + 1``; the schema version
is ``len(MIGRATIONS)``. Migrations run in one transaction, after a ``VACUUM INTO`` backup
of an existing file (see :func:`backup_before_migration`).

Card ``state``: 0 new (never reviewed), then fsrs' ``State``: 1 learning, 2 review,
3 relearning. Instants are UTC ISO text (see ``timeutil.iso``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

NEW = 0

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE packs (
    pack_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version,
    source TEXT NOT NULL,
    content_hash TEXT,
    installed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE cards (
    pack_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT,
    position INTEGER NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due TEXT,
    last_review TEXT,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    buried_until TEXT,
    flags TEXT NOT NULL DEFAULT '[]',
    retired INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    PRIMARY KEY (pack_id, card_id)
);
-- The queue indexes cover every column the due/new/learning queries read.
CREATE INDEX idx_cards_queue ON cards (state, due, position, buried_until, pack_id)
    WHERE suspended = 0 AND retired = 0;
CREATE INDEX idx_cards_pack_queue ON cards (pack_id, state, due, position, buried_until)
    WHERE suspended = 0 AND retired = 0;
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pack_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('review', 'practice')),
    rating INTEGER CHECK (rating BETWEEN 1 AND 4),
    status TEXT,
    score REAL,
    answers TEXT,
    seed,
    duration_ms INTEGER,
    state_before INTEGER,
    step_before INTEGER,
    stability_before REAL,
    difficulty_before REAL,
    due_before TEXT,
    last_review_before TEXT,
    ivl_before REAL,
    state_after INTEGER,
    step_after INTEGER,
    stability_after REAL,
    difficulty_after REAL,
    due_after TEXT
);
CREATE INDEX idx_reviews_time ON reviews (reviewed_at, mode, state_before);
CREATE INDEX idx_reviews_card ON reviews (pack_id, card_id, reviewed_at);
-- Undo journal: the card row as it was before each undoable action.
CREATE TABLE undo (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL,
    pack_id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    card_before TEXT NOT NULL,
    review_id INTEGER,
    created_at TEXT NOT NULL
);
"""


def _v1(conn: sqlite3.Connection) -> None:
    for statement in _V1.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v2(conn: sqlite3.Connection) -> None:
    """Whether a rated answer came after a retry, so an undone rating proposes what it did."""
    conn.execute("ALTER TABLE reviews ADD COLUMN retried INTEGER NOT NULL DEFAULT 0")


def _v3(conn: sqlite3.Connection) -> None:
    """The few cards set aside (suspended, retired, ever buried, flagged), so the stats
    count them without reading every card."""
    conn.execute(
        "CREATE INDEX idx_cards_aside ON cards (suspended, retired, buried_until, flags) "
        "WHERE suspended = 1 OR retired = 1 OR buried_until IS NOT NULL OR flags <> '[]'"
    )


def _v4(conn: sqlite3.Connection) -> None:
    """Manual schedule changes (a due date set by hand, a card forgotten), append-only
    beside the review log, as Anki's "Manual" entries (see ``storage.history``)."""
    conn.execute(
        "CREATE TABLE card_log ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " pack_id TEXT NOT NULL, card_id TEXT NOT NULL, logged_at TEXT NOT NULL,"
        " action TEXT NOT NULL CHECK (action IN ('reschedule', 'forget')),"
        " state_before INTEGER, stability_before REAL, difficulty_before REAL,"
        " due_before TEXT, last_review_before TEXT, state_after INTEGER, due_after TEXT)"
    )
    conn.execute("CREATE INDEX idx_card_log_card ON card_log (pack_id, card_id, logged_at)")


def _v5(conn: sqlite3.Connection) -> None:
    """What each review answered: the card's content hash then (which version of the card),
    and the grading's outcome (``outcome``: JSON, the verdict's mistake and each step's
    status and mistake), for the author's item analysis (``storage.itemstats``). Older
    rows keep NULL in both."""
    conn.execute("ALTER TABLE reviews ADD COLUMN content_hash TEXT")
    conn.execute("ALTER TABLE reviews ADD COLUMN outcome TEXT")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5]


def schema_version() -> int:
    """The version this code writes (read at call time so tests can extend MIGRATIONS)."""
    return len(MIGRATIONS)


class NotACollection(Exception):
    """An SQLite database that quizact did not create."""


def read_version(conn: sqlite3.Connection) -> int:
    """0 for an empty database; raises :class:`NotACollection` for someone else's."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not names:
        return 0
    if "meta" not in names:
        raise NotACollection
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise NotACollection
    return int(row[0])


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Run the migrations after ``current`` (call inside a write transaction)."""
    for version in range(current, schema_version()):
        MIGRATIONS[version](conn)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(schema_version()),),
    )


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


def vacuum_into(conn: sqlite3.Connection, dest: Path) -> Path:
    """A consistent, compact copy of the database at ``dest`` (written then renamed)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    conn.execute("VACUUM INTO ?", (str(tmp),))
    tmp.replace(dest)
    return dest


def backup_before_migration(conn: sqlite3.Connection, path: Path, current: int) -> Path:
    base = f"{path.stem}-v{current}-before-v{schema_version()}"
    folder = backup_dir(path)
    dest = folder / f"{base}.sqlite"
    n = 1
    while dest.exists():
        dest = folder / f"{base}-{n}.sqlite"
        n += 1
    return vacuum_into(conn, dest)
