"""The registry of card kinds: one module per kind (``recall``, ``choice``, ``symbolic``,
``numeric``, ``steps``), each one :class:`KindSpec`, found here by the card's ``kind``.

Code that behaves differently for different kinds asks the card's spec (``spec_of(card)``)
rather than comparing ``card.kind`` with a name: adding a kind is its record in
``quizact.packs.models``, its module here, its widget in the app
(``quizact/tui/widgets/kinds.py``) and its docs (CONTRIBUTING.md, "Adding a card kind").
The kinds whose answer may be a step of a ``steps`` card (numeric, symbolic) are also
:class:`ItemSpec` and listed in ``ITEM_SPECS``.

Light: importing the registry imports no grader (sympy, NumPy) and no record (pydantic).
"""

from __future__ import annotations

from typing import Any

from quizact.kinds import choice, numeric, recall, steps, symbolic
from quizact.kinds.base import ItemSpec, KindSpec, count_problem

__all__ = [
    "ITEM_SPECS", "KIND_SPECS", "ItemSpec", "KindSpec", "count_problem", "item_spec", "items_of", "register",
    "spec_of",
]  # fmt: skip

KIND_SPECS: dict[str, KindSpec] = {}
ITEM_SPECS: dict[str, ItemSpec] = {}


def register(spec: KindSpec, item: ItemSpec | None = None) -> None:
    """Make ``spec`` the kind named ``spec.name`` (and, with ``item``, a kind of step)."""
    KIND_SPECS[spec.name] = spec
    if item is not None:
        ITEM_SPECS[item.name] = item


def spec_of(card: Any) -> KindSpec:
    """The spec of a card (or of a kind's name); KeyError for a kind not registered."""
    return KIND_SPECS[card if isinstance(card, str) else card.kind]


def item_spec(item: Any) -> ItemSpec:
    """The spec of one typed answer: a numeric or symbolic card, or one step."""
    return ITEM_SPECS[item.kind]


def items_of(card: Any, kind: str) -> list[Any]:
    """``card``'s typed answers (the card itself, or its steps) that are of ``kind``."""
    return [i for i in KIND_SPECS[card.kind].items(card) if i.kind == kind]


register(recall.SPEC)
register(choice.SPEC)
register(symbolic.SPEC, symbolic.SPEC)
register(numeric.SPEC, numeric.SPEC)
register(steps.SPEC)
