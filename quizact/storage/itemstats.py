"""Item analysis for a pack's author (``quizact pack stats``): how each card, and each step
of a steps card, fared in the review log, practice included.

Per card:

- ``attempts``: review and practice rows of the card.
- ``first_try_accuracy``: of the attempts with a verdict, the share right at the first
  submission: graded ``correct`` without a retry, or, for a self-rated (recall) card, rated
  Hard, Good or Easy. An attempt without a verdict (a self-rated practice attempt with no
  rating, an invalid answer) is not counted. None when no attempt is counted.
- ``median_ms``: the median time from the card shown to its rating, in milliseconds.
- ``lapses`` / ``lapse_rate``: reviews of the card while it was in the review state (not
  learning) that were rated Again, and their share of all its reviews in the review state
  (the lapses FSRS counts). None when there was no such review.
- ``wrong_answers``: the three answers most often graded wrong (a steps card's answers
  joined with ``; ``; a choice card's options picked, as the pack writes them) with their
  counts, most frequent first, ties in text order.
- ``mistakes``: every diagnosed mistake (the grading's ``mistake`` id) with its count.
- ``versions``: attempts per content hash of the card as answered (``null``: reviews logged
  before the hash was kept).

Per step (steps cards): ``attempts`` (attempts in which the step was graded correct or
incorrect), ``first_try_accuracy`` (the step right in an attempt without a retry),
``lapse_rate`` (of the card's reviews in the review state in which the step was graded, the
share rated Again with this step wrong), ``wrong_answers`` and ``mistakes`` as for the card;
``median_ms`` is None: a review keeps one time for the whole card.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from typing import TYPE_CHECKING, Any

from quizact.kinds import KIND_SPECS
from quizact.storage.export import json_list

if TYPE_CHECKING:
    from quizact.storage.collection import Collection

REVIEW_STATE = 2  # fsrs' State.Review, as stored in state_before
AGAIN = 1
TOP_WRONG = 3

_REVIEWS = (
    "SELECT card_id, mode, rating, status, answers, duration_ms, state_before, retried, outcome, content_hash "
    "FROM reviews WHERE pack_id = ? ORDER BY reviewed_at, id"
)


def _stepwise(kind: str) -> bool:
    """Cards of ``kind`` are answered in steps, each tallied (a kind no longer known: not)."""
    return kind in KIND_SPECS and KIND_SPECS[kind].stepwise


def _ranked(counter: Counter[str], top: int | None = None) -> list[dict[str, Any]]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"text": text, "count": n} for text, n in ranked[:top]]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _answers(text: str | None) -> list[str]:
    return [str(v) for v in json_list(text)]


def _first_try(status: str | None, rating: int | None, retried: bool) -> bool | None:
    """Right at the first submission? None when the attempt has no verdict to count."""
    if status in ("correct", "incorrect"):
        return status == "correct" and not retried
    if status == "self" and rating is not None:
        return rating > AGAIN
    return None


class _Tally:
    """One card's or one step's counts."""

    def __init__(self) -> None:
        self.attempts = 0
        self.counted = 0
        self.first_right = 0
        self.times: list[int] = []
        self.in_review = 0
        self.lapses = 0
        self.wrong: Counter[str] = Counter()
        self.mistakes: Counter[str] = Counter()

    def result(self, with_time: bool = True) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "first_try_accuracy": _share(self.first_right, self.counted),
            "median_ms": float(statistics.median(self.times)) if with_time and self.times else None,
            "lapses": self.lapses,
            "lapse_rate": _share(self.lapses, self.in_review),
            "wrong_answers": _ranked(self.wrong, TOP_WRONG),
            "mistakes": _ranked(self.mistakes),
        }


def pack_item_stats(collection: Collection, pack_id: str) -> list[dict[str, Any]]:
    """Every card of ``pack_id`` (retired ones too, marked), in pack order, with its figures
    and, for a steps card, its steps' (see the module doc)."""
    cards = collection.query(
        "SELECT card_id, kind, retired, content_hash FROM cards WHERE pack_id = ? ORDER BY position", (pack_id,)
    )
    tallies = {c[0]: _Tally() for c in cards}
    steps: dict[str, list[_Tally]] = {c[0]: [] for c in cards if _stepwise(c[1])}
    versions: dict[str, Counter[str | None]] = {c[0]: Counter() for c in cards}
    for card_id, mode, rating, status, answers, ms, state_before, retried, outcome, content_hash in collection.query(
        _REVIEWS, (pack_id,)
    ):
        tally = tallies.get(card_id)
        if tally is None:  # a review of a card row that is gone: nothing to report it under
            continue
        versions[card_id][content_hash] += 1
        tally.attempts += 1
        first = _first_try(status, rating, bool(retried))
        if first is not None:
            tally.counted += 1
            tally.first_right += first
        if ms is not None:
            tally.times.append(ms)
        in_review = mode == "review" and state_before == REVIEW_STATE
        lapsed = in_review and rating == AGAIN
        tally.in_review += in_review
        tally.lapses += lapsed
        given = _answers(answers)
        graded = json.loads(outcome) if outcome else {}
        picked = graded.get("chosen") or given  # a choice card: the options, not the shuffled letters
        if status == "incorrect" and picked:
            tally.wrong["; ".join(picked)] += 1
        if graded.get("mistake"):
            tally.mistakes[graded["mistake"]] += 1
        if card_id not in steps:
            continue
        for k, step in enumerate(graded.get("steps") or []):
            while len(steps[card_id]) <= k:
                steps[card_id].append(_Tally())
            s = steps[card_id][k]
            if step.get("status") not in ("correct", "incorrect"):
                continue
            right = step["status"] == "correct"
            s.attempts += 1
            s.counted += 1
            s.first_right += right and not retried
            s.in_review += in_review
            s.lapses += lapsed and not right
            if not right and k < len(given):
                s.wrong[given[k]] += 1
            if step.get("mistake"):
                s.mistakes[step["mistake"]] += 1
    out = []
    for card_id, kind, retired, current in cards:
        row = {"card_id": card_id, "kind": kind, "retired": bool(retired), **tallies[card_id].result()}
        row["versions"] = [
            {"content_hash": h, "attempts": n, "current": h is not None and h == current}
            for h, n in versions[card_id].items()
        ]
        if _stepwise(kind):
            row["steps"] = [{"step": k + 1, **s.result(with_time=False)} for k, s in enumerate(steps[card_id])]
        out.append(row)
    return out
