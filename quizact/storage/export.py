"""The learner's data out of the collection: the review log and the card states, as rows.

Each row is a plain dict whose keys are the columns documented in docs/cli.md ("quizact
export"). States are named (``new``, ``learning``, ``review``, ``relearning``), instants are
UTC ISO 8601 as stored, lists (answers, tags, flags) stay lists. :func:`write_csv` and
:func:`write_json` turn rows into text: in CSV a list is one cell of JSON text, a missing
value an empty cell and a yes/no 1 or 0; in JSON they are lists, ``null`` and booleans.

Both writers show every control or bidirectional character of a learner's answer or a
pack's tag as a JSON ``\\u`` escape inside JSON text, so printing an export to a terminal
is safe and reading it back gives the same strings.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizact.storage.timeutil import iso
from quizact.textsafe import BIDI

if TYPE_CHECKING:
    from quizact.storage.collection import Collection

STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}

REVIEW_FIELDS = (
    "id", "reviewed_at", "pack", "card", "mode", "rating", "rating_name", "status", "score",
    "answers", "seed", "duration_ms", "retried",
    "state_before", "step_before", "stability_before", "difficulty_before", "due_before",
    "last_review_before", "interval_before",
    "state_after", "step_after", "stability_after", "difficulty_after", "due_after",
)  # fmt: skip

CARD_FIELDS = (
    "pack", "card", "kind", "tags", "state", "step", "stability", "difficulty", "retrievability",
    "due", "last_review", "reps", "lapses", "suspended", "buried_until", "flags", "retired", "added_at",
)  # fmt: skip

_REVIEW_SQL = (
    "SELECT id, reviewed_at, pack_id, card_id, mode, rating, status, score, answers, seed, "
    "duration_ms, retried, state_before, step_before, stability_before, difficulty_before, "
    "due_before, last_review_before, ivl_before, state_after, step_after, stability_after, "
    "difficulty_after, due_after FROM reviews"
)


def _where(packs: list[str] | None) -> tuple[str, list[str]]:
    if packs is None:
        return "", []
    return f" WHERE pack_id IN ({', '.join('?' * len(packs))})", list(packs)


def json_list(text: str | None) -> list[Any]:
    """A JSON list column as a list (a lone value as a one-item list; text that is not JSON as itself)."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return [text]
    return value if isinstance(value, list) else [value]


def review_rows(collection: Collection, packs: list[str] | None = None) -> list[dict[str, Any]]:
    """Every logged review and practice attempt (of ``packs``, or all), oldest first."""
    where, params = _where(packs)
    rows = collection.query(_REVIEW_SQL + where + " ORDER BY reviewed_at, id", params)
    out = []
    for r in rows:
        row = dict(zip(REVIEW_FIELDS[:6] + REVIEW_FIELDS[7:], r))
        row["rating_name"] = RATING_NAMES.get(row["rating"])
        row["answers"] = json_list(row["answers"])
        row["retried"] = bool(row["retried"])
        for key in ("state_before", "state_after"):
            row[key] = STATE_NAMES.get(row[key], row[key])
        out.append({k: row[k] for k in REVIEW_FIELDS})
    return out


def card_rows(collection: Collection, now: datetime, packs: list[str] | None = None) -> list[dict[str, Any]]:
    """Every card (of ``packs``, or all; retired cards too), in pack order, with its
    retrievability at ``now`` (the chance of recalling it now, by FSRS; None for a new card)."""
    from quizact.scheduling import NEW, fsrs_card, make_scheduler

    settings = collection.settings()
    schedulers: dict[str, Any] = {}
    out = []
    for card in collection.cards(include_retired=True):
        if packs is not None and card.pack_id not in packs:
            continue
        retrievability = None
        if card.state != NEW and card.stability is not None and card.last_review is not None:
            if card.pack_id not in schedulers:
                schedulers[card.pack_id] = make_scheduler(settings.for_pack(card.pack_id), fuzz=False)
            r = schedulers[card.pack_id].get_card_retrievability(fsrs_card(card, now), now)
            retrievability = round(float(r), 6)
        out.append({
            "pack": card.pack_id, "card": card.card_id, "kind": card.kind, "tags": list(card.tags),
            "state": STATE_NAMES.get(card.state, card.state), "step": card.step,
            "stability": card.stability, "difficulty": card.difficulty, "retrievability": retrievability,
            "due": iso(card.due) if card.due else None,
            "last_review": iso(card.last_review) if card.last_review else None,
            "reps": card.reps, "lapses": card.lapses, "suspended": bool(card.suspended),
            "buried_until": iso(card.buried_until) if card.buried_until else None,
            "flags": list(card.flags), "retired": bool(card.retired),
            "added_at": iso(card.added_at) if card.added_at else None,
        })  # fmt: skip
    return out


#: what ``textsafe.unsafe`` refuses (C0 but the newline, DEL, C1, separators, bidi), as one class
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI)) + "]")


def _escaped_json(value: Any, **dumps: Any) -> str:
    """JSON text with every control and bidi character as a ``\\u`` escape (still valid JSON:
    it decodes to the same strings)."""
    text = json.dumps(value, ensure_ascii=False, **dumps)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple, dict)):
        return _escaped_json(value)
    return value


def write_csv(rows: Iterable[dict[str, Any]], fields: tuple[str, ...], out: io.TextIOBase) -> int:
    """Write a header line and one line per row; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    n = 0
    for row in rows:
        writer.writerow([_cell(row[f]) for f in fields])
        n += 1
    return n


def write_json(rows: list[dict[str, Any]], out: io.TextIOBase) -> int:
    """Write the rows as one JSON array; returns the number of rows."""
    out.write(_escaped_json(rows, indent=2) + "\n")
    return len(rows)
