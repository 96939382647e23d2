"""Backups of the collection: consistent copies through SQLite's online backup API.

A copy is made in one backup step (``Connection.backup`` with ``pages=-1``), that is inside
one read transaction: in WAL mode that sees the collection as of one commit while another
connection (the open app, a second quizact) keeps writing. The copy is written beside its
destination under a temporary name, checked (``PRAGMA quick_check``), switched out of WAL
so it is one self-contained file, flushed to disk and only then renamed into place: a
backup file that exists is whole.

Daily backups (:func:`daily_backup`) are taken when the collection is first opened on a
study day and kept ``keep_days`` days: named ``<collection>-<YYYY-MM-DD>.sqlite3`` after
the study day, in ``paths.backups_dir``. Nothing here reads the clock: the study day is an
argument.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import date
from pathlib import Path


class BackupError(Exception):
    """The copy could not be written or did not check out; the message says why."""


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # e.g. its folder is a file: nothing was written there
        pass


def backup(conn: sqlite3.Connection, dest: Path) -> Path:
    """Copy the database open on ``conn`` to ``dest`` (replaced if it exists); returns ``dest``."""
    dest = Path(dest)
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder: give a file name for the backup")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create {dest.parent}: {exc.strerror or exc}") from None
    tmp = dest.with_name(f".{dest.name}.partial")
    try:
        _discard(tmp)
        target = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.backup(target, pages=-1)  # one step: one read transaction, one consistent state
            target.execute("PRAGMA journal_mode = DELETE")  # a single file, no -wal beside it
            verdict = target.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            target.close()
        if verdict != "ok":
            raise BackupError(f"the copy did not check out ({verdict}); {dest} was not written")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        _discard(tmp)
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(f"cannot write the backup {dest}: {message}") from None
    except BaseException:
        _discard(tmp)
        raise
    return dest


def backup_file(source: Path, dest: Path, busy_timeout_ms: int = 5000) -> Path:
    """Copy the collection file ``source`` to ``dest`` through a read-only connection of its
    own, so it neither waits on nor disturbs the connections that write to it."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such collection file")
    if source.resolve() == Path(dest).resolve():
        raise BackupError(f"{dest} is the collection itself: choose another file for the backup")
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {source}: {exc}") from None
    try:
        return backup(conn, dest)
    finally:
        conn.close()


def daily_name(stem: str, day: date) -> str:
    return f"{stem}-{day.isoformat()}.sqlite3"


def _dated(folder: Path, stem: str) -> list[tuple[date, Path]]:
    pattern = re.compile(re.escape(stem) + r"-(\d{4}-\d{2}-\d{2})\.sqlite3")
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            m = pattern.fullmatch(path.name)
            if m:
                try:
                    found.append((date.fromisoformat(m.group(1)), path))
                except ValueError:
                    continue
    return sorted(found)


def prune(folder: Path, stem: str, today: date, keep_days: int) -> list[Path]:
    """Delete the daily backups of ``stem`` taken ``keep_days`` or more days before ``today``;
    returns those deleted. Other files in ``folder`` are never touched."""
    gone = []
    for day, path in _dated(folder, stem):
        if (today - day).days >= keep_days:
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def daily_backup(source: Path, folder: Path, today: date, keep_days: int) -> Path | None:
    """Today's backup of the collection file ``source``, taken if it does not exist yet, and
    old ones pruned; None when today's was already there (or ``keep_days`` is 0: automatic
    backups are off)."""
    if keep_days <= 0:
        return None
    stem = Path(source).stem
    dest = folder / daily_name(stem, today)
    made = None
    if not dest.exists():
        made = backup_file(source, dest)
    prune(folder, stem, today, keep_days)
    return made

