"""Error carried forward: which earlier steps of a ``steps`` card a step is computed from.

A numeric step uses the named steps its formula mentions, or, for a network ``value``,
the earlier quantities upstream of it in the network's graph (``quizact.nn.graph``). Only
those can make a later answer "consistent with your earlier …".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizact.packs import formula


@dataclass(frozen=True)
class Given:
    """An earlier numeric step as the learner answered it."""

    step: Any
    label: str
    roots: tuple[str, ...]  # the wrong steps its value comes from: itself if wrong, none if right


def uses(ctx: Any, step: Any, given: list[Given]) -> list[Given]:
    """The earlier steps ``step`` is computed from: its formula's names, or the graph of the
    network of ``ctx`` (a grading context)."""
    try:
        if step.value is not None:
            spec = ctx.spec
            if spec is None:
                return []
            from quizact.nn.graph import sources

            by_value = {g.step.value: g for g in given if g.step.value is not None}
            return [by_value[v] for v in sources(spec, step.value, list(by_value))]
        if isinstance(step.answer, str):
            used = formula.names(step.answer)
            return [g for g in given if g.step.name in used]
    except ValueError:  # a name or formula the grader reports itself, as a pack problem
        return []
    return []


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
