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
from quizact.packs.lets import LetError, check_lets
from quizact.packs.params import ParamError, RenderError, Variant, WhereError, instantiate, placeholders, render

DEFAULT_VARIANTS = 50


def _texts(card: Any) -> Iterator[str]:
    yield card.prompt
    yield card.explain
    for step in getattr(card, "steps", []) or []:
        yield step.prompt


def shown_texts(card: Any) -> Iterator[tuple[str, str]]:
    """Every text a learner or ``solve`` sees filled with a variant's values, with its label:
    prompt, explanation, options and their feedback, step prompts, formula answers and
    mistakes (symbolic ones are filled before they are parsed)."""
    yield "prompt", card.prompt
    yield "explain", card.explain
    for k, option in enumerate(getattr(card, "options", None) or [], 1):
        yield f"option {k}", option.text
        yield f"option {k} feedback", option.feedback
    items = [(f"step {k} ", step) for k, step in enumerate(getattr(card, "steps", None) or [], 1)]
    for label, step in items:
        yield f"{label}prompt", step.prompt
    for label, item in [("", card), *items]:
        if getattr(item, "kind", None) == "symbolic" and isinstance(item.answer, str):
            yield f"{label}answer", item.answer
            for k, m in enumerate(item.mistakes, 1):
                yield f"{label}mistake {k}", str(m.answer)


def render_problems(card: Any, variant: Variant) -> list[str]:
    """What cannot be filled in ``card``'s texts for ``variant``: one message per text."""
    out = []
    for label, text in shown_texts(card):
        if text and "{" in text:
            try:
                render(text, variant.params, strict=True)
            except RenderError as exc:
                out.append(f"{label}: {exc} (seed {variant.seed})")
    return out


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
    from quizact.nn.activations import canonical_activation, get_activation

    try:
        if not get_activation(plot.function).elementwise:
            name = canonical_activation(plot.function)
            return [f"plot: {name} is not element-wise; plot an element-wise activation"]
    except ValueError as exc:
        return [f"plot: {exc}"]
    if plot.mark is not None and plot.mark not in card.params and plot.mark not in card.let:
        return [f"plot mark: '{plot.mark}' is neither a param nor a let of this card"]
    return []


def check_card_static(card: Any) -> list[str]:
    """Problems visible without drawing: undefined names in prompts and formulas, a plot
    of nothing."""
    out: list[str] = _plot_problems(card) + check_lets(card)
    names = set(card.params) | set(card.let) | {s.name for s in getattr(card, "steps", []) or [] if s.name}
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
            out.append(f"formula {text!r} uses '{name}', which is neither a param, a let nor a named step")
    return out


def check_card_variants(card: Any, n: int) -> list[str]:
    """Draw ``n`` variants; report the first seed that cannot be drawn."""
    if not card.params and not card.let:
        return []
    for seed in range(n if card.params else 1):
        try:
            instantiate(card, seed)
        except LetError as exc:
            return [str(exc)]
        except WhereError as exc:
            return [f"{exc} (seed {seed})"]
        except (ParamError, formula.FormulaError) as exc:
            return [f"params cannot be drawn (seed {seed}): {exc}"]
    return []


def check_card_texts(card: Any, n: int) -> list[str]:
    """Fill every shown text with each of ``n`` variants (drawable: see above); report the
    first seed at which some text cannot be filled."""
    if not any("{" in text for _, text in shown_texts(card)):
        return []
    for seed in range(n if card.params else 1):
        found = render_problems(card, instantiate(card, seed))
        if found:
            return found
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
        if not found:
            found = check_card_texts(card, variants)
        if not found and deep:
            from quizact.grading.cardcheck import check_card

            found = check_card(card, variants)
        problems += [Problem(loc.file, loc.line, card.id, msg) for msg in found]
    return pack, sorted(set(problems), key=lambda p: (p.file, p.line, p.card, p.message))
