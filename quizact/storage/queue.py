"""The study queue in SQL: what is left today and which card comes next.

The rules (``quizact.scheduling`` describes them): learning cards when due, then review
cards due this study day (up to ``reviews_per_day``), then new cards in the new-card order
(pack order, random, or by tag; up to ``new_per_day``); when nothing else is left, a
learning card due within ``learn_ahead_minutes``. Today's done counts come from the review
log, so an undo gives the card back. Each is one or a few indexed queries; nothing here
writes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from quizact.storage.collection import Collection
from quizact.storage.timeutil import iso, parse, study_day

_ACTIVE = "suspended = 0 AND retired = 0 AND (buried_until IS NULL OR buried_until <= :now)"
_LEARNING = f"{_ACTIVE} AND state IN (1, 3)"


def today(collection: Collection, now: datetime) -> dict[str, Any]:
    """Query parameters for the queue: now, today's end, and what today's limits leave."""
    s = collection.settings()
    day = study_day(now, s.timezone, s.rollover_hour)
    new_done, rev_done = collection.query_one(
        "SELECT coalesce(sum(state_before = 0), 0), coalesce(sum(state_before = 2), 0) "
        "FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? AND mode = 'review'",
        (day.start_iso, day.end_iso),
    ) or (0, 0)
    return {
        "now": iso(now), "end": day.end_iso,
        "ahead": iso(now + timedelta(minutes=s.learn_ahead_minutes)),
        # learning cards counted today: due before today's end, or shown now by learn-ahead
        "learn_end": max(day.end_iso, iso(now + timedelta(minutes=s.learn_ahead_minutes, microseconds=1))),
        "new_left": max(0, s.new_per_day - new_done),
        "rev_left": max(0, s.reviews_per_day - rev_done),
        "new_done": new_done, "rev_done": rev_done,
    }  # fmt: skip

def counts(collection: Collection, now: datetime, packs: list[str] | None = None) -> dict[str, Any]:
    """``{"packs": {id: {new, learning, due}}, "total": {...}, "done_today": {new, review}}``.

    Due and new are what today's limits still allow (per pack and in total); learning
    is the learning and relearning cards that come back today (or within the learn-ahead
    limit, which may reach past the rollover). Done today: new cards and review-state
    cards rated (what the limits count; every review today is ``stats.reviews_today``).
    """
    p = today(collection, now)
    active = collection.query("SELECT pack_id FROM packs WHERE removed = 0 ORDER BY pack_id")
    capped = "SELECT count(*) FROM (SELECT 1 FROM cards WHERE pack_id = :pack AND {} LIMIT {})"
    queries = {
        "new": capped.format(f"{_ACTIVE} AND state = 0", ":new_left"),
        "learning": f"SELECT count(*) FROM cards WHERE pack_id = :pack AND {_LEARNING} AND due < :learn_end",
        "due": capped.format(f"{_ACTIVE} AND state = 2 AND due < :end", ":rev_left"),
    }
    per_pack = {}
    for (pack_id,) in active:
        if packs is None or pack_id in packs:
            q = {**p, "pack": pack_id}
            per_pack[pack_id] = {k: _count(collection, sql, q) for k, sql in queries.items()}
    total = {k: sum(c[k] for c in per_pack.values()) for k in queries}
    total["new"] = min(total["new"], p["new_left"])
    total["due"] = min(total["due"], p["rev_left"])
    return {"packs": per_pack, "total": total, "done_today": {"new": p["new_done"], "review": p["rev_done"]}}

def _count(collection: Collection, sql: str, params: dict[str, Any]) -> int:
    row = collection.query_one(sql, params)
    return row[0] if row else 0

def next_card(collection: Collection, now: datetime, packs: list[str] | None = None) -> tuple[str, str] | None:
    """The next (pack_id, card_id) to study, or None when nothing is left for now."""
    p = today(collection, now)
    only = ""
    if packs is not None:
        only = f" AND pack_id IN ({', '.join(f':p{i}' for i in range(len(packs)))})"
        p.update({f"p{i}": pack for i, pack in enumerate(packs)})
    steps: list[str | None] = [f"{_LEARNING} AND due <= :now"]
    if p["rev_left"]:
        steps.append(f"{_ACTIVE} AND state = 2 AND due < :end")
    new = f"{_ACTIVE} AND state = 0"  # due is NULL: the index's position order
    order = collection.settings().new_card_order
    if p["new_left"]:
        steps.append(new if order == "pack" else None)  # None: in ``order``, below
    steps.append(f"{_LEARNING} AND due <= :ahead")
    for cond in steps:
        if cond is None:
            found = _next_new(collection, f"{new}{only}", p, order, now)
            if found:
                return found
            continue
        row = collection.query_one(
            f"SELECT pack_id, card_id FROM cards WHERE {cond}{only} ORDER BY due, position LIMIT 1", p
        )
        if row:
            return row[0], row[1]
    return None

def _next_new(
    collection: Collection, cond: str, params: dict[str, Any], order: str, now: datetime
) -> tuple[str, str] | None:
    """The first new card in ``order``: "random" (shuffled afresh each study day, steady
    within it) or "tag" (grouped by first tag in name order, untagged last; pack order
    within a group). One query each, ordered in SQLite."""
    if order == "random":
        s = collection.settings()
        params = {**params, **_day_shuffle(study_day(now, s.timezone, s.rollover_hour).date)}
        key = _SHUFFLE
    else:
        key = "coalesce(json_extract(tags, '$[0]'), x''), position"  # a blob sorts after text
    row = collection.query_one(
        f"SELECT pack_id, card_id FROM cards WHERE {cond} ORDER BY {key} LIMIT 1", params
    )
    return (row[0], row[1]) if row else None

def next_learning_due(collection: Collection, now: datetime) -> datetime | None:
    """When the next learning card (due later today) comes up, for "come back in 8m"."""
    row = collection.query_one(
        f"SELECT min(due) FROM cards WHERE {_LEARNING} AND due < :end", today(collection, now)
    )
    return parse(row[0]) if row and row[0] else None


#: a card's place in the study day's shuffle: its (unique) position times a multiplier drawn
#: from the day, modulo a prime — a different permutation each day, one multiplication a row
_SHUFFLE = "(position * :mult + :add) % 2147483647, position"


def _day_shuffle(day: date) -> dict[str, int]:
    import hashlib

    digest = hashlib.sha256(f"new-card order {day.isoformat()}".encode()).digest()
    mult = int.from_bytes(digest[:4], "big") % 2147483646 + 1
    return {"mult": mult, "add": int.from_bytes(digest[4:8], "big") % 2147483647}
