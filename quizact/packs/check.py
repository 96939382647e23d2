"""``quizact pack check``: everything that can be known about a pack without a learner.

Loading finds syntax and schema problems; the checks here draw variants and look at what
the cards refer to: params that cannot be drawn, placeholders and formulas naming
undefined params, and (through ``quizact.grading.cardcheck``) every card's grader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from quizact.packs import choices, formula
from quizact.packs.braces import brace_problems
from quizact.packs.lets import LetError, check_lets
from quizact.packs.params import ParamError, RenderError, Variant, WhereError, instantiate, render
from quizact.packs.rulenames import name_problems as rule_name_problems

DEFAULT_VARIANTS = 50


def timed_texts(card: Any) -> Iterator[tuple[str, str, bool]]:
    """Every text a learner or ``solve`` sees filled with a variant's values, with its label
    and whether it is shown only once the card is graded (``after``): prompt, explanation,
    a recall card's answer, options and their feedback, step prompts, formula answers and
    mistakes (symbolic ones are filled before they are parsed), the mistakes' feedback and
    that of the feedback rules."""
    yield "prompt", card.prompt, False
    yield "explain", card.explain, True
    if card.kind == "recall":
        yield "answer", card.answer, True
    for k, option in enumerate(getattr(card, "options", None) or [], 1):
        yield f"option {k}", option.text, False
        yield f"option {k} feedback", option.feedback, True
    items = [(f"step {k} ", step) for k, step in enumerate(getattr(card, "steps", None) or [], 1)]
    for label, step in items:
        yield f"{label}prompt", step.prompt, False
    for label, item in [("", card), *items]:
        symbolic = getattr(item, "kind", None) == "symbolic" and isinstance(item.answer, str)
        if symbolic:
            yield f"{label}answer", item.answer, False
        for k, m in enumerate(getattr(item, "mistakes", None) or [], 1):
            if symbolic:
                yield f"{label}mistake {k}", str(m.answer), False
            yield f"{label}mistake {k} feedback", m.feedback, True
        for k, rule in enumerate(getattr(item, "feedback", None) or [], 1):
            yield f"{label}feedback rule {k}", rule.say, True


def shown_texts(card: Any) -> Iterator[tuple[str, str]]:
    """``timed_texts`` without the time: each text with its label."""
    for label, text, _ in timed_texts(card):
        yield label, text


#: The values the texts shown once a card is graded are filled with, for a variant (the
#: params and lets and each named step's right value): the grader computes them, so the
#: caller passes its function in (``quizact.packcheck``); packs never import grading.
ShownValues = Callable[[Any, Variant], dict[str, Any]]


def render_problems(card: Any, variant: Variant, shown_values: ShownValues) -> list[str]:
    """What cannot be filled in ``card``'s texts for ``variant``: one message per text.
    Texts shown after grading are filled with ``shown_values`` (the named steps' too)."""
    out = []
    after_values = None
    for label, text, after in timed_texts(card):
        if text and "{" in text:
            values = variant.params
            if after and getattr(card, "steps", None):
                if after_values is None:
                    after_values = shown_values(card, variant)
                values = after_values
            try:
                render(text, values, strict=True)
            except RenderError as exc:
                out.append(f"{label}: {exc} (seed {variant.seed})")
    return out


def _formulas(card: Any) -> Iterator[str]:
    yield from card.where
    if card.kind == "choice":
        yield from choices.formulas(card)
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
    if plot.quantity is not None:
        network = getattr(card, "network", None)
        if not isinstance(network, dict):
            return ["plot quantity: needs a network: on the card"]
        if plot.over not in card.params:
            return [f"plot over: '{plot.over}' is not a param of this card (it is the value the plot varies)"]
        return []
    if plot.formula is not None:
        known = set(card.params) | set(card.let) | {plot.var}
        try:
            missing = sorted(formula.names(plot.formula) - known)
        except formula.FormulaError as exc:
            return [f"plot formula: {exc}"]
        if missing:
            return [f"plot formula {plot.formula!r} uses '{missing[0]}', which is neither {plot.var} (the plot's var) "
                    "nor a param or let of this card"]
        if plot.var in card.params or plot.var in card.let:
            return [f"plot var: '{plot.var}' is also a param or let; name the plot's variable otherwise"]
        if plot.mark is not None and plot.mark not in card.params and plot.mark not in card.let:
            return [f"plot mark: '{plot.mark}' is neither a param nor a let of this card"]
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
    values = set(card.params) | set(card.let)
    steps = {s.name for s in getattr(card, "steps", []) or [] if s.name}
    names = values | steps
    for label, text, after in timed_texts(card):
        out += brace_problems(label, text, values, steps, after=after)
    for text in _formulas(card):
        try:
            missing = formula.names(text) - names
        except formula.FormulaError as exc:
            out.append(str(exc))
            continue
        for name in sorted(missing):
            out.append(f"formula {text!r} uses '{name}', which is neither a param, a let nor a named step")
    return out + rule_name_problems(card)


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


def check_card_plot(card: Any, n: int) -> list[str]:
    """A formula plot draws for each of ``n`` variants: one number at each point of its
    range, finite at two points at least (else the plot would show nothing)."""
    plot = card.plot
    if plot is None or (plot.formula is None and plot.quantity is None):
        return []
    if plot.quantity is not None:
        return _quantity_plot_problems(card, n)
    for seed in range(n if card.params else 1):
        params = instantiate(card, seed).params
        try:
            xs, _ = formula.curve(plot.formula, plot.var, params, plot.range[0], plot.range[1], 41)
        except formula.FormulaError as exc:
            return [f"plot formula cannot be drawn (seed {seed}): {exc}"]
        if len(xs) < 2:
            return [f"plot formula {plot.formula!r} has no finite value over range {list(plot.range)} (seed {seed})"]
    return []


def _quantity_plot_problems(card: Any, n: int) -> list[str]:
    """A quantity plot draws for each variant: the quantity is a name of the network, one
    number, finite at both ends of the range."""
    import math

    from pydantic import ValidationError

    from quizact.nn.names import check_name
    from quizact.nn.quantities import sweep
    from quizact.nn.spec import NetworkSpec, with_params

    plot = card.plot
    for seed in range(n if card.params else 1):
        params = instantiate(card, seed).params
        try:
            spec = NetworkSpec.model_validate(with_params(card.network, params))
        except ValidationError:
            return []  # the network's own problem, reported by the grader's checks
        why = check_name(spec, plot.quantity)
        if why:
            return [f"plot quantity '{plot.quantity}': {why}"]
        try:
            ends = sweep(spec, params, plot.quantity, plot.over, plot.range)
        except Exception as exc:  # noqa: BLE001 - whatever stops the network stops the plot
            return [f"plot quantity '{plot.quantity}' cannot be drawn over {plot.over} (seed {seed}): {exc}"]
        if not all(math.isfinite(y) for y in ends):
            return [f"plot quantity '{plot.quantity}' is not finite over {plot.over} in {list(plot.range)} "
                    f"(seed {seed})"]
    return []


def check_card_texts(card: Any, n: int, shown_values: ShownValues) -> list[str]:
    """Fill every shown text with each of ``n`` variants (drawable: see above); report the
    first seed at which some text cannot be filled."""
    if not any("{" in text for _, text in shown_texts(card) if text):
        return []
    for seed in range(n if card.params else 1):
        found = render_problems(card, instantiate(card, seed), shown_values)
        if found:
            return found
    return []


def check_card_choices(card: Any, n: int) -> list[str]:
    """A choice card's ``correct:`` formulas must fit its options for each of ``n``
    variants: the first seed where they do not."""
    if card.kind != "choice" or not choices.formulas(card):
        return []
    for seed in range(n if card.params else 1):
        try:
            choices.correct_options(card, instantiate(card, seed).params)
        except ValueError as exc:
            return [f"{exc} (seed {seed})"]
    return []
