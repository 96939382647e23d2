"""Column widths for a table that must fit its screen: fixed columns keep their full
width, flexible ones (long ids, tags) share what is left and are cut with an ellipsis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"
LEAST = 6  # a flexible column never gets fewer cells than this (nor than its header)


def clip(text: str, width: int, *, middle: bool = False) -> str:
    """``text`` in at most ``width`` cells, its end (or, with ``middle``, its middle: ids
    that differ only at the end stay apart) replaced by an ellipsis if cut."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    if not middle or width < 8:
        return set_cell_size(text, width - 1).rstrip() + ELLIPSIS
    tail = (width - 1) // 3
    end = text[::-1]
    kept = ""
    for ch in end:  # the last ``tail`` cells, whole characters only
        if cell_len(kept) + cell_len(ch) > tail:
            break
        kept = ch + kept
    head = set_cell_size(text, width - 1 - cell_len(kept))
    return head + ELLIPSIS + kept


def fit(natural: Mapping[str, int], flexible: Mapping[str, int], room: int,
        least: Mapping[str, int] | None = None) -> dict[str, int]:  # fmt: skip
    """Widths for columns whose content wants ``natural`` cells, in ``room`` cells.

    Columns not in ``flexible`` get their natural width. Flexible ones (value: a weight)
    share the rest in proportion to their weights, none beyond its natural width and,
    where the room allows, none below ``least`` (default :data:`LEAST`); what a column
    does not need goes to the others.
    """
    widths = {k: v for k, v in natural.items() if k not in flexible}
    left = room - sum(widths.values())
    want = {k: natural[k] for k in flexible}
    floor = {k: min(want[k], (least or {}).get(k, LEAST)) for k in flexible}
    open_: Sequence[str] = list(flexible)
    got: dict[str, int] = {}
    while open_:
        weight = sum(flexible[k] for k in open_)
        share = {k: max(floor[k], left * flexible[k] // weight) for k in open_}
        done = [k for k in open_ if want[k] <= share[k]]
        if not done:
            for k in open_:
                got[k] = share[k]
            break
        for k in done:
            got[k] = want[k]
            left -= want[k]
        open_ = [k for k in open_ if k not in done]
    widths.update(got)
    return {k: widths[k] for k in natural}
