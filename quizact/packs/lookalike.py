"""Which retired card looks like a new one: the hint ``pack add --dry-run`` prints
("did you mean ``renamed: {old: new}``?") when an author changed a card's id without saying so.

The rule: two cards look alike when they are of the same kind and their prompts, with runs
of white space made one space, have a ``difflib.SequenceMatcher`` ratio of at least
:data:`THRESHOLD` (0.8). Each retired card is paired with at most one new card and each new
card with at most one retired card, the most alike pairs first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

THRESHOLD = 0.8


def _text(prompt: str) -> str:
    return " ".join(prompt.split())


def similarity(a: str, b: str) -> float:
    """How alike two prompts are, 0 to 1 (``SequenceMatcher.ratio`` of their normalized text)."""
    return difflib.SequenceMatcher(None, _text(a), _text(b), autojunk=False).ratio()


def lookalikes(
    retired: Iterable[Any], new: Iterable[Any], threshold: float = THRESHOLD
) -> list[tuple[str, str, float]]:
    """(old id, new id, ratio) for each retired card that looks like a new card (cards with
    ``id``, ``kind`` and ``prompt``), in the order of the retired cards given."""
    olds, news = list(retired), list(new)
    pairs = sorted(
        ((similarity(o.prompt or "", n.prompt or ""), i, j) for i, o in enumerate(olds) for j, n in enumerate(news)
         if o.kind == n.kind),
        key=lambda p: (-p[0], p[1], p[2]),
    )  # fmt: skip
    taken_old: dict[int, tuple[int, float]] = {}
    taken_new: set[int] = set()
    for ratio, i, j in pairs:
        if ratio < threshold:
            break
        if i not in taken_old and j not in taken_new:
            taken_old[i] = (j, ratio)
            taken_new.add(j)
    return [(olds[i].id, news[j].id, ratio) for i, (j, ratio) in sorted(taken_old.items())]
