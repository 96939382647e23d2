"""``quizact pack check``: everything that can be known about a pack without a learner.

Loading finds syntax and schema problems; the checks here draw variants and look at what
the cards refer to: params that cannot be drawn, placeholders and formulas naming
undefined params, and (through ``quizact.grading.cardcheck``) every card's grader.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from quizact.packs import formula
from quizact.packs.errors import Problem
from quizact.packs.loader import Pack, read_pack
from quizact.packs.params import ParamError, WhereError, instantiate, placeholders

DEFAULT_VARIANTS = 50


def _texts(card: Any) -> Iterator[str]:
    yield card.prompt
    yield card.explain
    for step in getattr(card, "steps", []) or []:
        yield step.prompt


def _formulas(card: Any) -> Iterator[str]:
    yield from card.where
    if card.kind == "numeric" and isinstance(card.answer, str):
        yield card.answer
    for step in getattr(card, "steps", []) or []:
        if step.kind == "numeric" and isinstance(step.answer, str):
            yield step.answer


def _plot_problems(card: Any) -> list[str]:
    """A ``plot:`` must name something the app can draw."""
    plot = card.plot
    if plot is None:
        return []
    if plot.function is None:
        network = getattr(card, "network", None)
        if isinstance(network, dict) and network.get("train"):
            return []
        return ["plot: give function: (an activation); only a card whose network trains plots its loss curve"]
    from quizact.nn.activations import canonical_activation

    try:
        if canonical_activation(plot.function) == "softmax":
            return ["plot: softmax is not element-wise; plot an element-wise activation"]
    except ValueError as exc:
        return [f"plot: {exc}"]
    if plot.mark is not None and plot.mark not in card.params:
        return [f"plot mark: '{plot.mark}' is not a param of this card"]
    return []


def check_card_static(card: Any) -> list[str]:
    """Problems visible without drawing: undefined names in prompts and formulas, a plot
    of nothing."""
    out: list[str] = _plot_problems(card)
    names = set(card.params) | {s.name for s in getattr(card, "steps", []) or [] if s.name}
    for text in _texts(card):
        for name in sorted(placeholders(text) - names):
            out.append(f"{{{name}}} in a prompt is not a param of this card")
    for text in _formulas(card):
        try:
            missing = formula.names(text) - names
        except formula.FormulaError as exc:
            out.append(str(exc))
            continue
        for name in sorted(missing):
            out.append(f"formula {text!r} uses '{name}', which is neither a param nor a named step")
    return out


def check_card_variants(card: Any, n: int) -> list[str]:
    """Draw ``n`` variants; report the first seed that cannot be drawn."""
    if not card.params:
        return []
    for seed in range(n):
        try:
            instantiate(card, seed)
        except WhereError as exc:
            return [f"{exc} (seed {seed})"]
        except (ParamError, formula.FormulaError) as exc:
            return [f"params cannot be drawn (seed {seed}): {exc}"]
    return []


def check_pack(path: str | Path, variants: int = DEFAULT_VARIANTS, deep: bool = True) -> tuple[Pack | None, list[Problem]]:
    """All problems of one pack, located; ``deep`` also runs every card's grader."""
    pack, problems = read_pack(path)
    if pack is None:
        return None, problems
    for card in pack.cards:
        loc = pack.where[card.id]
        found = check_card_static(card)
        if not found:
            found = check_card_variants(card, variants)
        if not found and deep:
            from quizact.grading.cardcheck import check_card

            found = check_card(card, variants)
        problems += [Problem(loc.file, loc.line, card.id, msg) for msg in found]
    return pack, sorted(set(problems), key=lambda p: (p.file, p.line, p.card, p.message))
