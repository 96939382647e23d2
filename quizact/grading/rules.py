"""Feedback rules: an author's own diagnosis of a wrong numeric answer.

A numeric card or step may list ``feedback:`` rules, each a pack formula ``when`` over the
learner's answer ``ans``, the right value ``expected``, the params, lets and named steps
(their right values), with the feedback ``say`` and an optional ``score``. Once the normal
grade has found an answer wrong, the rules are tried in order and the first whose ``when``
holds gives its feedback, and its score as partial credit: the answer stays wrong, so a
rule can never turn ✗ into ✓. A rule that cannot be computed for this answer (``ans @ x``
for an answer of another shape) does not match. Formulas are evaluated by the pack formula
walker (``packs.formula``), never by Python's ``eval``; ``allclose(a, b)`` there compares
at the answer's tolerance.

``pack check`` evaluates every rule on each drawn variant, with the right value as
``ans``: a rule that cannot be computed, or gives other than one truth value, is reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from quizact.grading import numeric
from quizact.grading.verdict import StepResult
from quizact.kinds import items_of
from quizact.packs import formula
from quizact.packs.rulenames import label_of

#: the names a rule sees besides the card's params, lets and named steps



def _np() -> Any:
    import numpy

    return numpy


def closeness(tolerance: Any) -> Callable[[Any, Any], Any]:
    """``allclose(a, b)`` at ``tolerance``: a has b's shape (axes of length one aside) and
    each entry is within the tolerance of b's, as an answer is of the right value."""
    np = _np()

    def close(a: Any, b: Any) -> Any:
        a, b = np.squeeze(np.asarray(a, dtype=float)), np.squeeze(np.asarray(b, dtype=float))
        if a.shape != b.shape:
            return np.bool_(False)
        return np.bool_(all(numeric.within(x, y, tolerance) for x, y in zip(a.ravel().tolist(), b.ravel().tolist())))

    return close


def truth(rule: Any, values: dict[str, Any], tolerance: Any) -> bool:
    """Whether ``rule`` holds over ``values``; raises ``FormulaError`` when it cannot be
    computed or does not give one truth value."""
    np = _np()
    with np.errstate(all="ignore"):
        result = np.asarray(formula.evaluate(rule.when, values, close=closeness(tolerance)))
    if result.dtype != np.bool_:
        what = "a number" if result.size == 1 else f"{result.size} numbers"
        raise formula.FormulaError(f"gives {what}, not one truth value; compare it, as in ({rule.when}) > 0")
    if result.shape != ():
        raise formula.FormulaError(f"gives {result.size} truth values (one per entry), not one; "
                                   "write all(...) or any(...) around it")
    return bool(result)


def scope(ctx: Any, ans: Any, expected: Any) -> dict[str, Any]:
    """What a rule's formula is computed over."""
    values: dict[str, Any] = ctx.scope(False)
    values.update(ans=ans, expected=expected)
    return values


def apply(item: Any, ctx: Any, result: StepResult, ans: Any, expected: Any) -> StepResult:
    """``result`` (a wrong answer's), with the first matching rule's feedback and score."""
    if result.status != "incorrect" or not item.feedback:
        return result
    values = scope(ctx, ans, expected)
    for k, rule in enumerate(item.feedback):
        try:
            matched = truth(rule, values, item.tolerance)
        except formula.FormulaError:
            continue  # cannot be computed for this answer: not this rule
        if matched:
            from quizact.grading.card import shown_text

            said = shown_text(rule.say, ctx)
            detail = f" (expected {result.expected})" if result.expected else ""
            return dataclasses.replace(result, score=float(rule.score), feedback=f"{said}{detail}",
                                       mistake=rule.id or f"rule:{k}")  # fmt: skip
    return result


def problems(card: Any, variants: int) -> list[str]:
    """``pack check``: each rule evaluated on every drawn variant (``ans`` the right value)."""
    from quizact.grading.card import Context, _expected
    from quizact.packs.params import instantiate

    items = items_of(card, "numeric")
    items = [i for i in items if getattr(i, "feedback", None)]
    if not items:
        return []
    for seed in range(variants if card.params else 1):
        ctx = Context(card, instantiate(card, seed))
        out = []
        for item in items:
            label = label_of(card, item)
            try:
                expected = _expected(item, ctx, carried=False)
            except Exception:  # noqa: BLE001 - the answer's own check reports it
                continue
            values = scope(ctx, expected, expected)
            for k, rule in enumerate(item.feedback, 1):
                try:
                    truth(rule, values, item.tolerance)
                except formula.FormulaError as exc:
                    message = str(exc).removeprefix(f"cannot compute {rule.when!r}: ")
                    out.append(f"{label}feedback rule {k}: when {rule.when!r} cannot be evaluated "
                               f"(seed {seed}): {message}")
        if out:
            return out
    return []
