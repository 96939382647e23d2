"""Which options of a choice card are right for a variant.

An option's ``correct:`` is ``true``/``false`` or a formula over the params and lets that
gives one truth value (``correct: "z[1] <= 0"``). Instead, the card may say ``correct:``
once, as a formula giving

* one truth value per option, in the order written (``correct: "z1 <= 0"`` for options
  "unit 1", "unit 2", … when ``z1`` is a vector), or
* the position of the right option, or a list of positions, counted from 0 in the order
  written, as formula indices are (``correct: "argmax(z)"``, ``correct: "[0, 2]"``).

Each variant must have at least one right option, and exactly one unless the card says
``multiple: true``; ``pack check`` evaluates the formulas for every variant it draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quizact.packs import formula


class ChoiceError(ValueError):
    """A ``correct:`` formula whose result does not fit the options for a variant."""


def _option_truth(k: int, text: str, values: Mapping[str, Any]) -> bool:
    import numpy as np

    result = np.asarray(formula.evaluate(text, values))
    if result.dtype != np.bool_ or result.shape != ():
        what = f"{result.size} values" if result.size != 1 else "a number"
        raise ChoiceError(
            f"option {k} correct: {text!r} gives {what}, not one truth value; compare, as in ({text}) > 0"
        )
    return bool(result)


def _card_positions(text: str, n: int, values: Mapping[str, Any]) -> set[int]:
    import numpy as np

    result = np.asarray(formula.evaluate(text, values))
    if result.dtype == np.bool_:
        if result.shape != (n,):
            got = "one truth value" if result.shape == () else f"{result.size} truth values"
            raise ChoiceError(f"correct: {text!r} gives {got} for {n} options; give one per option, or positions")
        return {int(i) for i in np.flatnonzero(result)}
    if result.ndim > 1 or not np.issubdtype(result.dtype, np.number) or result.size == 0:
        raise ChoiceError(f"correct: {text!r} gives neither truth values nor option positions")
    flat = result.reshape(-1)
    if not np.all(np.isfinite(flat)) or np.any(flat != np.round(flat)):
        raise ChoiceError(f"correct: {text!r} gives {formula_value(flat)}, not whole-number positions")
    positions = {int(p) for p in flat}
    outside = sorted(p for p in positions if not 0 <= p < n)
    if outside:
        raise ChoiceError(f"correct: {text!r} gives position {outside[0]}, but the {n} options are 0 … {n - 1} "
                          "(counted from 0, in the order written)")
    return positions


def formula_value(values: Any) -> str:
    from quizact.packs.params import format_value

    return format_value(values.tolist() if values.size > 1 else values.item())


def correct_options(card: Any, values: Mapping[str, Any]) -> frozenset[int]:
    """The indices (in the order written) of the right options for a variant's ``values``;
    raises ChoiceError when a formula does not fit."""
    n = len(card.options)
    if card.correct is not None:
        right = _card_positions(card.correct, n, values)
    else:
        right = {k for k, o in enumerate(card.options)
                 if (_option_truth(k + 1, o.correct, values) if isinstance(o.correct, str) else o.correct)}
    if not right:
        raise ChoiceError("no option is right for this variant")
    if len(right) > 1 and not card.multiple:
        raise ChoiceError(f"{len(right)} options are right for this variant; set multiple: true")
    return frozenset(right)


def formulas(card: Any) -> list[str]:
    """The ``correct:`` formulas of a choice card (for the names they use)."""
    found = [card.correct] if card.correct is not None else []
    return found + [o.correct for o in card.options if isinstance(o.correct, str)]
