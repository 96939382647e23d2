"""Computed variables: a card's ``let:`` formulas, evaluated per variant.

``let:`` maps names to formulas over the card's params and the lets written before them
(``{p: "sigmoid(z)", q: "1 - p"}``). They are computed, in the order written, for every
draw of the params, before ``where:`` is checked, so ``where`` may use them too; a draw
that ``where`` rejects is drawn again as usual. A let is then usable wherever a param is:
placeholders, formula answers and mistakes, symbolic constants, plot marks.

A let that cannot be computed (``1/x`` at x = 0, ``log`` of a negative number, an
infinite or undefined result) is an error for the variant, unless ``where`` rejects that
draw anyway: a ``where`` that does not use the failed let decides first, so
``where: ["x != 0"]`` guards ``let: {r: "1/x"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quizact.packs import formula
from quizact.packs.params import MAX_ELEMENTS, NAME_RE, ParamError


class LetError(ParamError):
    """A let that cannot be computed for a drawn variant."""


def validate_lets(lets: dict[str, Any]) -> None:
    """Raise ValueError (pydantic reports it, located) for a let pydantic lets through:
    a bad name, a formula that does not parse."""
    for name, text in lets.items():
        if not NAME_RE.match(str(name)) or str(name).startswith("__"):
            raise ValueError(f"'{name}' is not a valid let name")
        if isinstance(text, str):
            try:
                formula.parse(text)
            except formula.FormulaError as exc:
                raise ValueError(f"{name}: {exc}") from None
        elif isinstance(text, bool) or not isinstance(text, (int, float)):
            raise ValueError(f"{name}: {_brief(text)} is not a formula; write one in quotes, as in {name}: \"[1, 2]\"")


def _brief(value: Any) -> str:
    import reprlib

    return reprlib.repr(value)


def _plain(value: Any) -> Any:
    """A let's value as params hold theirs: a number, a truth value or nested lists."""
    import numpy as np

    array = np.asarray(value)
    if array.dtype == object or not (array.dtype == np.bool_ or np.issubdtype(array.dtype, np.number)):
        raise ValueError("it is not a number, a truth value, a vector or a matrix")
    if np.iscomplexobj(array):
        raise ValueError("it is a complex number")
    if array.ndim > 2:
        raise ValueError(f"it has {array.ndim} axes; a let is a number, a vector or a matrix")
    if array.size > MAX_ELEMENTS:
        raise ValueError(f"it has {array.size} entries (at most {MAX_ELEMENTS})")
    if array.dtype != np.bool_ and not np.all(np.isfinite(array)):
        raise ValueError("it is not a finite number" if array.ndim == 0 else "some entries are not finite numbers")
    plain = array.tolist()
    if isinstance(plain, float) and plain == 0:
        plain = 0.0  # no "-0.0" in prompts
    return plain


def _shown(values: Mapping[str, Any], names: set[str]) -> str:
    from quizact.packs.params import format_value

    return ", ".join(f"{n} = {format_value(values[n])}" for n in sorted(names) if n in values)


def compute(lets: Mapping[str, Any], values: dict[str, Any]) -> dict[str, str]:
    """Add each let's value to ``values`` (in order); return the lets that failed, each
    with its reason (a let using a failed one fails too)."""
    failed: dict[str, str] = {}
    for name, text in lets.items():
        if not isinstance(text, str):
            values[name] = text
            continue
        used = formula.names(text)
        broken = sorted(used & failed.keys())
        if broken:
            failed[name] = f"it uses {broken[0]}, which cannot be computed"
            continue
        try:
            values[name] = _plain(formula.evaluate(text, values))
        except formula.FormulaError as exc:
            reason = str(exc).removeprefix(f"cannot compute {text!r}: ").replace("float division", "division")
            failed[name] = f"{reason} ({_shown(values, used)})" if used & values.keys() else reason
        except ValueError as exc:
            failed[name] = f"{exc} ({_shown(values, used)})" if used & values.keys() else str(exc)
    return failed


def failure(lets: Mapping[str, Any], failed: Mapping[str, str], seed: int) -> LetError:
    """The error for the first let that failed at ``seed``."""
    name = next(iter(failed))
    return LetError(f"let {name} = {lets[name]!r} cannot be computed for seed {seed}: {failed[name]}")


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the let graph (as a path that returns to its start), or None."""
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt, [*path, nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for start in graph:
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def check_lets(card: Any) -> list[str]:
    """What is wrong with a card's lets without drawing: clashing names, formulas naming
    something unknown, a later let or a step, and cycles."""
    lets: dict[str, Any] = getattr(card, "let", None) or {}
    if not lets:
        return []
    steps = {s.name for s in getattr(card, "steps", None) or [] if s.name}
    out = []
    for name in lets:
        if name in card.params:
            out.append(f"let {name}: a param is already named '{name}'")
        elif name in steps:
            out.append(f"let {name}: a step is already named '{name}'")
        elif name in formula.FUNCTION_NAMES or name in formula.CONSTANTS:
            what = "function" if name in formula.FUNCTION_NAMES else "constant"
            out.append(f"let {name}: '{name}' is a formula {what}; choose another name")
    order = list(lets)
    graph = {name: formula.names(text) & lets.keys() if isinstance(text, str) else set() for name, text in lets.items()}
    cycle = _cycle(graph)
    if cycle:
        out.append("lets form a cycle: " + " → ".join(cycle))
    for k, (name, text) in enumerate(lets.items()):
        if not isinstance(text, str):
            continue
        for used in sorted(formula.names(text)):
            if used in card.params and used not in lets:
                continue
            if used in lets:
                if not cycle and order.index(used) > k:
                    out.append(f"let {name} uses '{used}', which is defined after it; "
                               "lets are computed in the order written")
            elif used in steps:
                out.append(f"let {name} uses step '{used}'; lets are computed from the params, before any step")
            else:
                out.append(f"let {name} uses '{used}', which is neither a param nor an earlier let")
    return out
