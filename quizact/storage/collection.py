"""The collection: one SQLite file holding packs, card state, the review log and settings.

Durability: WAL with ``synchronous=FULL``, so each commit fsyncs the WAL. WAL with
``NORMAL`` survives a killed process but may lose the last commits on power loss; a
rating the learner saw saved must survive both (see benchmarks/bench_collection.py for
what FULL costs). Every write is one ``BEGIN IMMEDIATE`` transaction, so two processes
sharing a collection wait for each other (``busy_timeout``) instead of failing.

The hot path uses the stdlib ``sqlite3`` connection directly: importing sqlite-utils
costs ~0.2 s and pulls NumPy in, which must stay off the start-up path. ``Collection.db``
wraps the same connection in a ``sqlite_utils.Database`` for tools and scripts.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizact.storage import packs as _packs
from quizact.storage import schema
from quizact.storage.cards import CARD_COLUMNS, CardInfo, fetch_row
from quizact.storage.settings import Settings
from quizact.storage.timeutil import iso, study_day

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"
DAILY_BACKUPS_KEPT = 5


class CollectionError(Exception):
    """The collection cannot be opened or written; the message says why and what to do."""


class _RolledBack(Exception):
    """Leaves a dry run's transaction, which rolls it back."""

    def __init__(self, report: _packs.SyncReport) -> None:
        self.report = report


class CollectionLocked(CollectionError):
    """Another process held the write lock longer than the wait allowed; nothing was written."""


class Collection:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, busy_timeout_ms: int) -> None:
        self.conn = conn
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        self._settings: tuple[int, Settings] | None = None
        self._db: sqlite_utils.Database | None = None

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, *, timezone: str | None = None, busy_timeout_ms: int = 5000
    ) -> Collection:
        """Open (creating or migrating) a collection; ``":memory:"`` for a throwaway one.

        ``timezone`` (an IANA name, normally the machine's local zone) is stored as the
        collection's time zone when the collection is created; later it is ignored.
        Refused files (not SQLite, not quizact's, newer schema, locked) are left untouched.
        """
        if timezone is not None:
            Settings(timezone=timezone)  # a bad zone name fails before anything is created
        file = None if str(path) == ":memory:" else Path(path)
        if file is not None:
            _check_header(file)
            if file.exists() and file.stat().st_size:
                _probe(file, busy_timeout_ms)  # refuse before opening for writing
            file.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(":memory:" if file is None else str(file), busy_timeout_ms)
        col = cls(conn, file, busy_timeout_ms)
        try:
            with col._guard():
                version = _checked_version(conn, str(file or ":memory:"))
                if file is not None:
                    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if mode.lower() != "wal":  # pragma: no cover - e.g. a read-only medium
                        raise CollectionError(f"{file}: cannot use WAL mode (got {mode!r})")
                conn.execute("PRAGMA synchronous = FULL")
                if version < schema.schema_version():
                    col._migrate(version, timezone)
        except BaseException:
            conn.close()
            raise
        return col

    def _migrate(self, version: int, timezone: str | None) -> None:
        if version > 0 and self.path is not None:
            schema.backup_before_migration(self.conn, self.path, version)
        with self.transaction() as conn:
            current = schema.read_version(conn)  # another process may have migrated meanwhile
            if current >= schema.schema_version():
                return
            schema.migrate(conn, current)
            if current == 0:
                settings = Settings(timezone=timezone or "UTC")
                self._write_settings(conn, settings)

    def close(self, optimize: bool = True) -> None:
        """Close, first letting SQLite refresh its planner statistics if they are stale
        (unless not ``optimize``: a dry run writes nothing)."""
        with self._lock:
            try:
                if optimize:
                    self.conn.execute("PRAGMA analysis_limit = 400")
                    self.conn.execute("PRAGMA optimize")
            except sqlite3.Error:  # pragma: no cover - e.g. another process holds the lock
                pass
            self.conn.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- low-level access ----------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as e:
            if _is_locked(e):
                waited = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]  # patience() may lower it
                raise CollectionLocked(_locked_message(self.path or ":memory:", waited)) from e
            raise
        except sqlite3.DatabaseError as e:
            raise CollectionError(f"{self.path or ':memory:'}: {e}") from e

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), committed on leaving the block."""
        with self._lock, self._guard():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    @contextmanager
    def patience(self, ms: int) -> Iterator[None]:
        """Within the block, a write waits at most ``ms`` for another process's lock
        (then raises :class:`CollectionLocked`), so a caller can say it is waiting and retry."""
        with self._lock:
            self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
            try:
                yield
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._guard():
            return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> tuple[Any, ...] | None:
        with self._lock, self._guard():
            row: tuple[Any, ...] | None = self.conn.execute(sql, params).fetchone()
            return row

    @property
    def db(self) -> sqlite_utils.Database:
        """The same connection as a ``sqlite_utils.Database`` (imports sqlite-utils, NumPy)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # -- settings ------------------------------------------------------------------------

    def settings(self) -> Settings:
        with self._lock, self._guard():
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            if self._settings is None or self._settings[0] != version:
                stored = {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM settings")}
                known = Settings.__dataclass_fields__
                self._settings = (version, Settings(**{k: v for k, v in stored.items() if k in known}))
            return self._settings[1]

    def update_settings(self, **changes: Any) -> Settings:
        """Validate and store changed settings; raises ``SettingsError`` on a bad value."""
        new = self.settings().replace(**changes)
        with self.transaction() as conn:
            self._write_settings(conn, new)
        self._settings = None
        return new

    @staticmethod
    def _write_settings(conn: sqlite3.Connection, settings: Settings) -> None:
        conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v)) for k, v in settings.to_dict().items()],
        )

    # -- cards and packs -----------------------------------------------------------------

    def card_row(self, pack_id: str, card_id: str) -> dict[str, Any] | None:
        """The stored row, as is (tests compare these)."""
        with self._lock, self._guard():
            return fetch_row(self.conn, pack_id, card_id)

    def card(self, pack_id: str, card_id: str) -> CardInfo | None:
        row = self.card_row(pack_id, card_id)
        return CardInfo.from_row(row) if row else None

    def card_history(self, pack_id: str, card_id: str) -> list[Any]:
        """Every review, practice attempt and manual change of a card, oldest first
        (``storage.history.HistoryEntry``)."""
        from quizact.storage.history import card_history

        with self._lock, self._guard():
            return card_history(self.conn, pack_id, card_id)

    def cards(
        self, pack_id: str | None = None, *, tag: str | None = None, include_retired: bool = False
    ) -> list[CardInfo]:
        """Cards in pack order, optionally of one pack and/or carrying ``tag``."""
        where, params = ["1"], []
        if pack_id is not None:
            where.append("pack_id = ?")
            params.append(pack_id)
        if tag is not None:
            where.append("EXISTS (SELECT 1 FROM json_each(cards.tags) WHERE value = ?)")
            params.append(tag)
        if not include_retired:
            where.append("retired = 0")
        rows = self.query(
            f"SELECT {', '.join(CARD_COLUMNS)} FROM cards WHERE {' AND '.join(where)} ORDER BY position",
            params,
        )
        return [CardInfo.from_row(dict(zip(CARD_COLUMNS, r))) for r in rows]

    def sync_pack(
        self,
        pack_id: str,
        name: str,
        version: Any,
        source: str,
        cards: Iterable[_packs.CardRow],
        renamed: Mapping[str, str] | None = None,
        now: datetime | None = None,
        *,
        content_hash: str | None = None,
        before_commit: Callable[[], None] | None = None,
        reset: Iterable[str] = (),
        dry_run: bool = False,
    ) -> _packs.SyncReport:
        """Install or update a pack in one transaction (see ``storage.packs``); ``now`` is required.

        ``before_commit`` runs inside the transaction once the pack is applied (``pack add``
        puts the pack's files in place there): if it raises, nothing is committed. With
        ``dry_run`` the update is made and rolled back: the report says what it would do."""
        if now is None:
            raise TypeError("sync_pack() needs now (a timezone-aware datetime)")
        try:
            with self.transaction() as conn:
                report = _packs.sync_pack(
                    conn, pack_id, name, version, source, cards, renamed, iso(now), content_hash, reset
                )
                if dry_run:
                    raise _RolledBack(report)
                if before_commit is not None:
                    before_commit()
                return report
        except _RolledBack as done:
            return done.report

    def remove_pack(self, pack_id: str, purge: bool = False) -> None:
        with self.transaction() as conn:
            if not _packs.remove_pack(conn, pack_id, purge):
                raise CollectionError(f"no pack {pack_id!r} in this collection")

    def list_packs(self, include_removed: bool = False) -> list[_packs.PackInfo]:
        with self._lock, self._guard():
            return _packs.list_packs(self.conn, include_removed)

    # -- maintenance ---------------------------------------------------------------------

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy via ``VACUUM INTO`` (``dest`` is replaced)."""
        with self._lock, self._guard():
            return schema.vacuum_into(self.conn, Path(dest))

    def daily_backup(self, now: datetime, keep: int = DAILY_BACKUPS_KEPT) -> Path | None:
        """Back up once per study day into ``backups/`` beside the file, keeping the last ``keep``.

        Returns the new backup, or None when today's exists (or the collection is in memory).
        """
        if self.path is None:
            return None
        s = self.settings()
        day = study_day(now, s.timezone, s.rollover_hour).date
        folder = schema.backup_dir(self.path)
        dest = folder / f"{self.path.stem}-daily-{day.isoformat()}.sqlite"
        if dest.exists():
            return None
        self.backup(dest)
        for old in sorted(folder.glob(f"{self.path.stem}-daily-*.sqlite"))[:-keep]:
            old.unlink(missing_ok=True)
        return dest

    def integrity_check(self) -> str:
        return str(self.query_one("PRAGMA integrity_check")[0])  # type: ignore[index]


def _is_locked(e: sqlite3.OperationalError) -> bool:
    return getattr(e, "sqlite_errorcode", None) in (5, 6) or "locked" in str(e)


def _locked_message(name: object, busy_timeout_ms: int) -> str:
    return (
        f"{name} is locked by another program (waited {busy_timeout_ms} ms); "
        "close the other quizact and try again"
    )


def _connect(target: str, busy_timeout_ms: int, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target,
        uri=uri,
        isolation_level=None,  # explicit BEGIN IMMEDIATE / COMMIT only
        timeout=busy_timeout_ms / 1000,
        check_same_thread=False,  # Collection guards it with a lock
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return conn


def _checked_version(conn: sqlite3.Connection, name: str) -> int:
    try:
        version = schema.read_version(conn)
    except (schema.NotACollection, sqlite3.DatabaseError) as e:
        if isinstance(e, sqlite3.OperationalError) and _is_locked(e):
            raise
        raise CollectionError(f"{name} is not a quizact collection") from None
    if version > schema.schema_version():
        raise CollectionError(
            f"{name} was written by a newer quizact (collection schema version {version}; "
            f"this quizact reads up to version {schema.schema_version()}). Upgrade quizact to open it."
        )
    return version


def _probe(file: Path, busy_timeout_ms: int) -> None:
    """Check an existing file through a read-only connection, which cannot change it
    (not even by the checkpoint SQLite runs when the last connection closes)."""
    try:
        conn = _connect(f"{file.resolve().as_uri()}?mode=ro", busy_timeout_ms, uri=True)
    except sqlite3.Error:  # pragma: no cover - let the read-write open report it
        return
    try:
        _checked_version(conn, str(file))
    except sqlite3.OperationalError as e:
        if _is_locked(e):
            raise CollectionError(_locked_message(file, busy_timeout_ms)) from e
        raise CollectionError(f"{file} cannot be read: {e}") from e
    finally:
        conn.close()


def _check_header(file: Path) -> None:
    if file.is_dir():
        raise CollectionError(f"{file} is a directory, not a quizact collection")
    if not file.exists():
        return
    with file.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise CollectionError(f"{file} is not a quizact collection (not an SQLite database)")
