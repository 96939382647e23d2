"""Installing, updating and removing packs: review history follows a card's id.

Callers hand plain data (``CardRow``s), never pack objects. A card whose id survives an
update keeps its schedule and history; a new id starts as new; a vanished id is retired
(hidden, history kept); ``renamed`` moves a card's state and history to its new id. A
changed card named in ``reset`` (a substantive change) goes back to new: its history is
kept, a "forget" entry in the manual log says when.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from quizact.records import record
from quizact.storage.cards import fetch_row, write_sched
from quizact.storage.history import log_manual
from quizact.storage.schema import NEW


class SyncError(ValueError):
    """The pack data cannot be applied (duplicate ids, conflicting renames)."""


@record
class CardRow:
    card_id: str
    kind: str
    tags: tuple[str, ...] = ()
    content_hash: str | None = None


@record
class SyncReport:
    """Card ids per outcome; ``added`` includes retired cards that came back."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    unchanged: tuple[str, ...] = ()
    reset: tuple[str, ...] = ()  # changed cards in the pack's ``reset`` whose schedule went back to new

    def to_dict(self) -> dict[str, Any]:
        return {k: [list(x) if isinstance(x, tuple) else x for x in v] for k, v in self.__dict__.items()}


@record
class PackInfo:
    pack_id: str
    name: str
    version: Any
    source: str
    content_hash: str | None
    installed_at: str
    updated_at: str
    removed: bool
    cards: int  # active (not retired) cards

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _rename(conn: sqlite3.Connection, pack_id: str, old: str, new: str) -> bool:
    def exists(card_id: str) -> tuple[int] | None:
        row: tuple[int] | None = conn.execute(
            "SELECT reps FROM cards WHERE pack_id = ? AND card_id = ?", (pack_id, card_id)
        ).fetchone()
        return row

    if old == new or exists(old) is None:
        return False  # nothing to move (e.g. the rename was applied by an earlier sync)
    target = exists(new)
    if target is not None:
        history = conn.execute(
            "SELECT 1 FROM reviews WHERE pack_id = ? AND card_id = ? LIMIT 1", (pack_id, new)
        ).fetchone()
        if target[0] or history:
            raise SyncError(f"cannot rename {old!r} to {new!r}: {new!r} already has review history")
        conn.execute("DELETE FROM cards WHERE pack_id = ? AND card_id = ?", (pack_id, new))
    for table in ("cards", "reviews", "undo", "card_log"):
        conn.execute(
            f"UPDATE {table} SET card_id = ? WHERE pack_id = ? AND card_id = ?", (new, pack_id, old)
        )
    return True


def _as_card_row(card: CardRow | Mapping[str, Any] | tuple[Any, ...]) -> CardRow:
    if isinstance(card, CardRow):
        return card
    if isinstance(card, Mapping):
        return CardRow(**card)
    return CardRow(*card)


def _positions(conn: sqlite3.Connection, rows: list[CardRow], existing: Mapping[str, tuple[Any, ...]]) -> list[int]:
    """Each row's position, so that the pack's cards are in the order given (the pack's
    curriculum, or its file order): the positions its surviving cards hold already, in
    ascending order, then, for the cards it gains, the positions right after them. The
    cards of later packs move up to make room, so a pack keeps its place among the others
    (a new pack goes after all of them); positions stay unique."""
    held = sorted(existing[r.card_id][4] for r in rows if r.card_id in existing)
    gained = len(rows) - len(held)
    if held:
        last = held[-1]
        if gained:
            conn.execute("UPDATE cards SET position = position + ? WHERE position > ?", (gained, last))
    else:
        last = conn.execute("SELECT coalesce(max(position), 0) FROM cards").fetchone()[0]
    return held + list(range(last + 1, last + 1 + gained))


def sync_pack(
    conn: sqlite3.Connection,
    pack_id: str,
    name: str,
    version: Any,
    source: str,
    cards: Iterable[CardRow | Mapping[str, Any] | tuple[Any, ...]],
    renamed: Mapping[str, str] | None,
    now_iso: str,
    content_hash: str | None = None,
    reset: Iterable[str] = (),
) -> SyncReport:
    """Apply one pack's card list (call inside a write transaction)."""
    rows = [_as_card_row(c) for c in cards]
    ids = [r.card_id for r in rows]
    present = set(ids)
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1) if len(present) != len(ids) else []
    if dupes:
        raise SyncError(f"pack {pack_id!r}: duplicate card id(s): {', '.join(dupes)}")
    renamed = dict(renamed or {})
    clash = sorted(old for old in renamed if old in present)
    if clash:
        raise SyncError(f"pack {pack_id!r}: renamed id(s) still present in the pack: {', '.join(clash)}")

    conn.execute(
        "INSERT INTO packs (pack_id, name, version, source, content_hash, installed_at, updated_at, removed) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (pack_id) DO UPDATE SET name = excluded.name, "
        "version = excluded.version, source = excluded.source, content_hash = excluded.content_hash, "
        "updated_at = excluded.updated_at, removed = 0",
        (pack_id, name, version, source, content_hash, now_iso, now_iso),
    )
    moved = tuple((old, new) for old, new in renamed.items() if _rename(conn, pack_id, old, new))

    existing = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT card_id, kind, tags, content_hash, retired, position FROM cards WHERE pack_id = ?", (pack_id,)
        )
    }
    positions = _positions(conn, rows, existing)
    updated: list[str]
    added, updated, unchanged, inserts, updates = [], [], [], [], []
    for r, position in zip(rows, positions):
        tags = json.dumps(list(r.tags))
        old = existing.get(r.card_id)
        if old is None:
            inserts.append((pack_id, r.card_id, r.kind, tags, r.content_hash, position, now_iso))
            added.append(r.card_id)
        elif old[3] or old[:3] != (r.kind, tags, r.content_hash):
            updates.append((r.kind, tags, r.content_hash, pack_id, r.card_id))
            (added if old[3] else updated).append(r.card_id)
        else:
            unchanged.append(r.card_id)
    conn.executemany(
        "INSERT INTO cards (pack_id, card_id, kind, tags, content_hash, position, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )
    conn.executemany(
        "UPDATE cards SET kind = ?, tags = ?, content_hash = ?, retired = 0 WHERE pack_id = ? AND card_id = ?",
        updates,
    )
    conn.executemany(
        "UPDATE cards SET position = ? WHERE pack_id = ? AND card_id = ?",
        [(p, pack_id, r.card_id) for r, p in zip(rows, positions)
         if r.card_id in existing and existing[r.card_id][4] != p],
    )
    retired = sorted(cid for cid, old in existing.items() if cid not in present and not old[3])
    conn.executemany(
        "UPDATE cards SET retired = 1 WHERE pack_id = ? AND card_id = ?", [(pack_id, c) for c in retired]
    )
    wanted = set(reset)
    changed = [r.card_id for r in rows if r.card_id in wanted and r.card_id in existing
               and existing[r.card_id][2] != r.content_hash]  # fmt: skip
    started_over = tuple(c for c in changed if _reset(conn, pack_id, c, now_iso))
    return SyncReport(tuple(added), tuple(updated), tuple(retired), moved, tuple(unchanged), started_over)


def _reset(conn: sqlite3.Connection, pack_id: str, card_id: str, now_iso: str) -> bool:
    """Put a card back to new, its reviews kept (False when it is new already). Its undo
    entries go: undoing a rating made before the reset must not bring the old schedule back."""
    before = fetch_row(conn, pack_id, card_id)
    if before is None or before["state"] == NEW:
        return False
    after = {**before, "state": NEW, "step": None, "stability": None, "difficulty": None,
             "due": None, "last_review": None}  # fmt: skip
    write_sched(conn, after)
    log_manual(conn, "forget", before, after, now_iso)
    conn.execute("DELETE FROM undo WHERE pack_id = ? AND card_id = ?", (pack_id, card_id))
    return True


def remove_pack(conn: sqlite3.Connection, pack_id: str, purge: bool) -> bool:
    """Hide a pack (history kept) or, with ``purge``, delete it and its history. False if unknown."""
    if conn.execute("SELECT 1 FROM packs WHERE pack_id = ?", (pack_id,)).fetchone() is None:
        return False
    if purge:
        for table in ("reviews", "card_log", "undo", "cards", "packs"):
            conn.execute(f"DELETE FROM {table} WHERE pack_id = ?", (pack_id,))
    else:
        conn.execute("UPDATE packs SET removed = 1 WHERE pack_id = ?", (pack_id,))
        conn.execute("UPDATE cards SET retired = 1 WHERE pack_id = ?", (pack_id,))
    return True


def list_packs(conn: sqlite3.Connection, include_removed: bool) -> list[PackInfo]:
    rows: Iterable[tuple[str, str, Any, str, str | None, str, str, int, int]] = conn.execute(
        "SELECT pack_id, name, version, source, content_hash, installed_at, updated_at, removed, "
        "(SELECT count(*) FROM cards c WHERE c.pack_id = p.pack_id AND c.retired = 0) "
        "FROM packs p WHERE ? OR removed = 0 ORDER BY pack_id",
        (int(include_removed),),
    )
    return [PackInfo(*r[:7], bool(r[7]), r[8]) for r in rows]
