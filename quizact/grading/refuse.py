"""Which functions a number box refuses: the card's own subject (σ on a card that asks for σ(z)).

A ``forbid:`` list on a numeric card or step names them. Without one, the default rule: a
card or step whose ``answer:`` formula is, as a whole, one call of a function in
``SUBJECT_FUNCTIONS`` (``sigmoid(z)``, ``tanh(z)``) asks the learner to compute that
function, so typing it is refused. ``forbid: []`` refuses nothing. Cheap to import (no
sympy, no NumPy): the app asks it when it shows a card.
"""

from __future__ import annotations

from typing import Any

from quizact.functions import LEARNER
from quizact.grading.lexer import canonical_function

#: Functions a card's subject can be (refused by default where the answer is one call of it).
SUBJECT_FUNCTIONS = frozenset(n for n, f in LEARNER.items() if f.subject)


def forbidden(item: Any) -> tuple[str, ...]:
    """The functions a numeric card or step refuses: its ``forbid:`` list when it has
    one, else (the default rule) the function its ``answer:`` formula is one call of,
    when that is a subject function (``sigmoid(z)`` refuses σ)."""
    listed = getattr(item, "forbid", None)
    if listed is not None:
        return tuple(dict.fromkeys(canonical_function(f) or f for f in listed))
    answer = getattr(item, "answer", None)
    if not isinstance(answer, str):
        return ()
    func = outer_call(answer)
    return (func,) if func in SUBJECT_FUNCTIONS else ()


def outer_call(formula_text: str) -> str | None:
    """The learner-side name of the function a pack formula is one call of, if any."""
    import ast

    try:
        tree = ast.parse(formula_text.strip().replace("^", "**"), mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return None
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name):
        return canonical_function(tree.func.id)
    return None
