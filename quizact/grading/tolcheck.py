"""Checks that a numeric card's tolerance means what its prompt and its mistakes need.

* ``precision_problems``: a prompt that asks for "three significant figures" (or "2
  decimal places", "3 s.f.", "2 d.p.") must be graded at that precision;
* ``separation_problems``: in one variant, every listed and automatic mistake must lie so
  far from the right value that every answer within the tolerance is nearer the right
  value than the mistake (grading calls an answer nearer a mistake that mistake), and the
  answer printed at the card's precision must be within the tolerance.
"""

from __future__ import annotations

import re
from typing import Any

from quizact.grading import numeric
from quizact.kinds import items_of, spec_of

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_STATED = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|\d{1,2})[\s-]+"
    r"(significant[\s-]+(?:figures?|digits?)|sig\.?[\s-]*figs?|s\.\s?f\.|decimal[\s-]+places?|d\.\s?p\.)",
    re.IGNORECASE,
)


def stated_precision(text: str) -> tuple[str, int] | None:
    """``("sigfigs", 3)`` for a text asking for three significant figures, ``("decimals", 2)``
    for two decimal places; None when it states no precision."""
    m = _STATED.search(text or "")
    if m is None:
        return None
    count = m.group(1).lower()
    n = _WORDS[count] if count in _WORDS else int(count)
    kind = "decimals" if m.group(2).lower().startswith("d") else "sigfigs"
    return kind, n


def _agrees(tol: numeric.Tol, stated: tuple[str, int]) -> bool:
    kind, n = stated
    exact = tol.sigfigs is None and tol.decimals is None and not tol.atol and tol.rtol <= numeric.EXACT
    given: int | None = getattr(tol, kind)  # sigfigs or decimals
    return exact or given == n


def precision_problems(card: Any) -> list[str]:
    """Prompts that ask for a precision their step's tolerance does not grade at."""
    numbers = items_of(card, "numeric")
    if not numbers:
        return []
    if not spec_of(card).stepwise:
        items = [("answer", card, stated_precision(card.prompt))]
    else:
        overall = stated_precision(card.prompt)
        items = [(f"step {k}", s, stated_precision(s.prompt) or overall)
                 for k, s in enumerate(card.steps, 1) if s in numbers]
    out = []
    for label, item, stated in items:
        if stated is not None and not _agrees(item.tolerance, stated):
            kind, n = stated
            asked = f"{n} {'decimal places' if kind == 'decimals' else 'significant figures'}"
            out.append(f"{label}: the prompt asks for {asked} but the tolerance grades at "
                       f"{numeric.precision_label(item.tolerance)}; write tolerance: {{{kind}: {n}}}")
    return out


def separation_problems(item: Any, ctx: Any, value: Any) -> list[tuple[str, str]]:
    """``(key, message)`` for each known mistake the item's tolerance does not separate from
    the right ``value`` in this variant (the caller adds the seed)."""
    import numpy as np

    tol = item.tolerance
    with np.errstate(all="ignore"):  # a mistake may overflow: that only separates it further
        return _separation(item, ctx, value, tol)


def _separation(item: Any, ctx: Any, value: Any, tol: Any) -> list[tuple[str, str]]:
    import numpy as np

    from quizact.grading.card import mistake_values

    shown = numeric.format_expected(value, tol)
    right = value.ravel()
    printed = np.asarray([float(numeric.format_number(e, tol)) for e in right])  # as solve shows it
    widths = np.asarray([numeric.half_width(float(e), tol) for e in right])
    out = []
    if not np.all(np.abs(printed - right) <= widths):
        out.append(("printed", f"the answer printed at the card's precision, {shown}, is outside its tolerance"))
    listed = {m.id or f"listed:{k}": f"mistake {k + 1}" for k, m in enumerate(item.mistakes)}
    for mistake_id, _, wrong in mistake_values(item, ctx, value):
        d = np.abs(wrong.ravel() - right)
        # Some answer within the tolerance is nearer the mistake than the right value exactly
        # when the tolerance box reaches past the bisecting plane: Σ wᵢ·|dᵢ| > ‖d‖²/2.
        if float(np.dot(widths, d)) * 2 < float(np.dot(d, d)):
            continue  # separated: every accepted answer is nearer the right value
        name = listed.get(mistake_id, f"mistake {mistake_id}")
        wrong_shown = numeric.format_expected(wrong.reshape(value.shape), numeric.FULL)
        if np.all(d <= widths):
            out.append((mistake_id, f"{name} gives {wrong_shown}, inside the tolerance "
                                    f"({numeric.precision_label(tol)}) of the answer {shown}; "
                                    "ask for more digits or tighten the tolerance"))
        else:
            out.append((mistake_id, f"{name} gives {wrong_shown}, so close to the answer {shown} that an "
                                    f"answer within the tolerance ({numeric.precision_label(tol)}) can be "
                                    "nearer the mistake; ask for more digits or tighten the tolerance"))
    return out
