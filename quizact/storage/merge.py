"""Merging another copy's review log into this collection (a laptop and a desktop).

A review is one event: the card (``pack_id``, ``card_id``), the instant it was rated
(``reviewed_at``, UTC to the microsecond), ``mode``, and what the learner did then —
``rating``, ``status``, ``score``, ``answers``, ``seed``, ``duration_ms``, ``retried``.
Two rows that agree on all of these are the same review (:data:`IDENTITY`); the local
``id`` and the scheduling snapshot kept with a review (``state_before`` … ``due_after``)
are not part of it, so a review copied from one file to another stays one review.

The merge copies the other file's reviews that this collection lacks, then recomputes
each card that gained a review by replaying its whole merged log, in time order, through
:meth:`quizact.scheduling.Study.rate` — the code that rates a card in the app — on a
scratch in-memory collection holding this collection's settings. The card's scheduling
columns (state, step, stability, difficulty, due, last review, reps, lapses) are the
replay's; its suspended, buried and flag columns are this collection's, except that a
copied review that makes the card a leech tags it (and suspends it when the leech action
says so), as rating it here would have. Everything happens in one transaction, after a
backup of this collection made with SQLite's backup API.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from quizact.storage import schema
from quizact.storage.cards import CARD_COLUMNS, REVIEW_COLUMNS, fetch_row, insert_review, write_sched
from quizact.storage.collection import SQLITE_HEADER, Collection, CollectionError
from quizact.storage.timeutil import parse

#: the columns that make two review rows the same event
IDENTITY = (
    "pack_id", "card_id", "reviewed_at", "mode", "rating", "status", "score", "answers",
    "seed", "duration_ms", "retried",
)  # fmt: skip
#: what the replay recomputes (the rest of a card's scheduling columns stay this collection's)
REPLAYED = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_ORDER = ", ".join(IDENTITY[2:])  # time order; ties broken by the event itself, never by local ids

Key = tuple[Any, ...]
#: whether this collection's copy of a pack holds a card (an imported card row is retired when not)
KnownCard = Callable[[str, str], bool]


class MergeError(CollectionError):
    """The merge was refused or failed; nothing was changed. The message is one line."""


@dataclass(frozen=True)
class MergeReport:
    other: str
    added: int = 0  # reviews copied into this collection
    duplicates: int = 0  # the other file's reviews this collection already had
    recomputed: tuple[tuple[str, str], ...] = ()  # cards whose state was replayed
    imported: tuple[tuple[str, str], ...] = ()  # card rows copied (their pack is installed here)
    unknown: int = 0  # copied reviews of cards this collection does not have (pack not installed)
    unknown_packs: tuple[str, ...] = ()
    leeches: tuple[tuple[str, str], ...] = ()  # cards a copied review made leeches
    backup: str | None = None  # None when there was nothing to merge (nothing was written)

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for k in ("recomputed", "imported", "leeches"):
            d[k] = [list(x) for x in d[k]]
        d["unknown_packs"] = list(self.unknown_packs)
        return d


@dataclass
class _Other:
    reviews: list[dict[str, Any]]
    cards: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


def merge(
    target: Collection, other_path: str | Path, now: datetime, *, known: KnownCard | None = None
) -> MergeReport:
    """Merge ``other_path``'s review log into ``target`` (see the module docstring)."""
    other_file = Path(other_path)
    name = str(other_file)
    if target.path is not None and other_file.exists() and _same_file(target.path, other_file):
        raise MergeError(f"{name} is this collection itself; give the other copy's file")
    other = _read_other(other_file)
    with target._lock:
        if not _missing(target.conn, other.reviews)[0]:
            return MergeReport(name, duplicates=len(other.reviews))
        from quizact.storage.backup import BackupError

        try:
            backup = _backup(target, now)
        except (OSError, sqlite3.Error, BackupError) as exc:
            why = " ".join(str(exc).split()) or type(exc).__name__
            raise MergeError(f"{name}: cannot back up this collection first ({why}); nothing was merged") from None
        try:
            with target.transaction() as conn:
                report = _apply(conn, target, other, known)
        except MergeError as exc:
            raise MergeError(f"{name}: {exc}; nothing was merged (backup: {backup})") from None
        except (sqlite3.Error, CollectionError, ValueError, TypeError, KeyError) as exc:
            why = " ".join(str(exc).split()) or type(exc).__name__
            raise MergeError(f"{name}: merge failed ({why}); nothing was merged (backup: {backup})") from None
    return MergeReport(name, backup=str(backup) if backup else None, **report)


# -- reading the other copy -----------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.samefile(b)
    except OSError:
        return False


def _read_other(file: Path) -> _Other:
    """The other collection's reviews and card rows, read through a read-only connection."""
    if file.is_dir():
        raise MergeError(f"{file} is a directory, not a quizact collection")
    if not file.is_file():
        raise MergeError(f"{file} does not exist")
    with file.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise MergeError(f"{file} is not a quizact collection (not an SQLite database)")
    # A file no process is writing (no write-ahead log beside it) is read as immutable, so not
    # even SQLite's shared-memory file is created next to it; otherwise read-only, with its log.
    wal = file.with_name(file.name + "-wal")
    query = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?{query}", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise MergeError(f"{file} cannot be opened: {exc}") from None
    try:
        try:
            version = schema.read_version(conn)
        except (schema.NotACollection, sqlite3.DatabaseError, ValueError):
            raise MergeError(f"{file} is not a quizact collection") from None
        if version == 0:
            raise MergeError(f"{file} is not a quizact collection (it is empty)")
        if version > schema.schema_version():
            raise MergeError(
                f"{file} was written by a newer quizact (collection schema version {version}; "
                f"this quizact reads up to version {schema.schema_version()}); upgrade quizact to merge it"
            )
        try:
            conn.execute("BEGIN")  # one consistent snapshot of both tables
            reviews = _rows(conn, "reviews", REVIEW_COLUMNS, "ORDER BY id")
            cards = _rows(conn, "cards", CARD_COLUMNS, "")
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise MergeError(f"{file} cannot be read: {exc}") from None
    finally:
        conn.close()
    return _Other(reviews, {(c["pack_id"], c["card_id"]): c for c in cards})


def _rows(conn: sqlite3.Connection, table: str, columns: Iterable[str], order: str) -> list[dict[str, Any]]:
    """Every row of ``table``; a column an older schema lacks reads as its default."""
    have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    wanted = list(columns)
    select = ", ".join(c if c in have else ("0" if c == "retried" else "NULL") for c in wanted)
    return [dict(zip(wanted, r)) for r in conn.execute(f"SELECT {select} FROM {table} {order}")]


def _key(row: dict[str, Any]) -> Key:
    return tuple(row[c] for c in IDENTITY)


def _missing(conn: sqlite3.Connection, reviews: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The other's reviews this collection lacks (each once), and how many it already has."""
    have = set(conn.execute(f"SELECT {', '.join(IDENTITY)} FROM reviews"))
    missing, seen, duplicates = [], set(), 0
    for row in reviews:
        key = _key(row)
        if key in have:
            duplicates += 1
        elif key not in seen:
            seen.add(key)
            missing.append(row)
    return missing, duplicates


# -- writing --------------------------------------------------------------------------------


def _backup(target: Collection, now: datetime) -> Path | None:
    """A copy of ``target`` in its backups folder (``storage.backup``: SQLite's backup API)."""
    from quizact.storage.backup import backup

    if target.path is None:
        return None
    folder = schema.backup_dir(target.path)
    base = f"{target.path.stem}-before-merge-{now.strftime('%Y%m%dT%H%M%S')}"
    dest, n = folder / f"{base}.sqlite", 1
    while dest.exists():
        dest, n = folder / f"{base}-{n}.sqlite", n + 1
    return backup(target.conn, dest)


def _apply(conn: sqlite3.Connection, target: Collection, other: _Other, known: KnownCard | None) -> dict[str, Any]:
    missing, duplicates = _missing(conn, other.reviews)
    installed = {r[0] for r in conn.execute("SELECT pack_id FROM packs WHERE removed = 0")}
    have_cards = {(r[0], r[1]) for r in conn.execute("SELECT pack_id, card_id FROM cards")}
    imported, unknown, unknown_packs = [], 0, set()
    for ref in dict.fromkeys((r["pack_id"], r["card_id"]) for r in missing):
        if ref in have_cards:
            continue
        row = other.cards.get(ref)
        if ref[0] in installed and row is not None:
            _import_card(conn, row, retired=not (known is None or known(*ref)))
            imported.append(ref)
            have_cards.add(ref)
    for row in missing:
        insert_review(conn, **row)
        if (row["pack_id"], row["card_id"]) not in have_cards:
            unknown += 1
            unknown_packs.add(row["pack_id"])
    added = {_key(r) for r in missing}
    affected = [
        ref for ref in dict.fromkeys((r["pack_id"], r["card_id"]) for r in missing if r["mode"] == "review")
        if ref in have_cards
    ]
    leeches = _recompute(conn, target, affected, added)
    conn.executemany("DELETE FROM undo WHERE pack_id = ? AND card_id = ?", affected)
    return dict(
        added=len(missing), duplicates=duplicates, recomputed=tuple(affected), imported=tuple(imported),
        unknown=unknown, unknown_packs=tuple(sorted(unknown_packs)), leeches=tuple(leeches),
    )  # fmt: skip


def _import_card(conn: sqlite3.Connection, row: dict[str, Any], retired: bool) -> None:
    """The other copy's card row as a new card here (its schedule comes from the replay)."""
    position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM cards").fetchone()[0]
    values = {
        **row, "position": position, "state": 0, "step": None, "stability": None, "difficulty": None,
        "due": None, "last_review": None, "reps": 0, "lapses": 0, "retired": int(bool(row["retired"]) or retired),
    }  # fmt: skip
    conn.execute(
        f"INSERT INTO cards ({', '.join(CARD_COLUMNS)}) VALUES ({', '.join(':' + c for c in CARD_COLUMNS)})", values
    )


def _recompute(
    conn: sqlite3.Connection, target: Collection, cards: list[tuple[str, str]], added: set[Key]
) -> list[tuple[str, str]]:
    """Replay each card's merged review log and write its state; returns the new leeches."""
    if not cards:
        return []
    settings = target.settings()
    replay = Replayer(settings)
    leeches = []
    try:
        for pack_id, card_id in cards:
            log = [
                dict(zip(IDENTITY, r))
                for r in conn.execute(
                    f"SELECT {', '.join(IDENTITY)} FROM reviews WHERE pack_id = ? AND card_id = ? "
                    f"AND mode = 'review' ORDER BY {_ORDER}",
                    (pack_id, card_id),
                )
            ]
            state, leech_keys = replay.run(pack_id, card_id, log)
            row = fetch_row(conn, pack_id, card_id)
            assert row is not None
            row.update(state)
            if leech_keys & added:  # a copied review made it a leech, as rating it here would have
                flags = json.loads(row["flags"])
                row["flags"] = json.dumps(flags if "leech" in flags else [*flags, "leech"])
                if settings.for_pack(pack_id).leech_action == "suspend":
                    row["suspended"] = 1
                leeches.append((pack_id, card_id))
            write_sched(conn, row)
    finally:
        replay.close()
    return leeches


class Replayer:
    """Rates a card through :class:`quizact.scheduling.Study` on a scratch in-memory
    collection with the given settings, one logged review after another."""

    def __init__(self, settings: Any) -> None:
        from quizact.scheduling import Study

        self.scratch = Collection.open(":memory:")
        self.scratch.update_settings(**settings.to_dict())
        self.study = Study(self.scratch)

    def run(self, pack_id: str, card_id: str, log: list[dict[str, Any]]) -> tuple[dict[str, Any], set[Key]]:
        """The card's scheduling columns after ``log`` (mode 'review' rows in time order),
        and the keys of the reviews that made it a leech."""
        with self.scratch.transaction() as c:
            for table in ("cards", "reviews", "undo"):
                c.execute(f"DELETE FROM {table}")
            c.execute(
                "INSERT INTO cards (pack_id, card_id, kind, position, added_at) VALUES (?, ?, 'recall', 1, ?)",
                (pack_id, card_id, "1970-01-01T00:00:00.000000+00:00"),
            )
        leech_keys = set()
        for review in log:
            if review["rating"] not in (1, 2, 3, 4):
                raise MergeError(f"a review of {pack_id}/{card_id} has no valid rating ({review['rating']!r})")
            try:
                when = parse(review["reviewed_at"])
            except (TypeError, ValueError):
                raise MergeError(
                    f"a review of {pack_id}/{card_id} has an unreadable time ({review['reviewed_at']!r})"
                ) from None
            result = self.study.rate(
                pack_id, card_id, review["rating"], when, status=review["status"] or "self",
                score=review["score"], answers=review["answers"], seed=review["seed"],
                duration_ms=review["duration_ms"], retried=bool(review["retried"]),
            )  # fmt: skip
            if result.leech:
                leech_keys.add(_key(review))
        row = self.scratch.card_row(pack_id, card_id)
        assert row is not None
        return {c: row[c] for c in REPLAYED}, leech_keys

    def close(self) -> None:
        self.scratch.close()
