"""The names a feedback rule's ``when`` formula sees, and the problems ``pack check`` finds
in them without drawing a variant (packs' side of ``quizact.grading.rules``)."""

from __future__ import annotations

from typing import Any

from quizact.packs import formula

#: the names a rule sees besides the card's params, lets and named steps
NAMES = ("ans", "expected")


def label_of(card: Any, item: Any) -> str:
    """How ``pack check`` names an answer of ``card``: ``step 2 `` for a step, else ``""``."""
    if card.kind != "steps":
        return ""
    return next(f"step {k} " for k, step in enumerate(card.steps, 1) if step is item)


def name_problems(card: Any) -> list[str]:
    """Names a rule uses that the card does not define, and params that hide ``ans`` or
    ``expected`` (no draw needed)."""
    defined = set(card.params) | set(card.let) | {s.name for s in getattr(card, "steps", []) or [] if s.name}
    items = [card] if card.kind == "numeric" else [s for s in getattr(card, "steps", []) or [] if s.kind == "numeric"]
    out = []
    for item in items:
        rules = getattr(item, "feedback", None) or []
        if not rules:
            continue
        label = label_of(card, item)
        for name in sorted(defined & set(NAMES)):
            out.append(f"{label}feedback: '{name}' is a param, let or step of this card; rename it, "
                       "as feedback rules use it for the answer")
        for k, rule in enumerate(rules, 1):
            for name in sorted(formula.names(rule.when) - defined - set(NAMES)):
                out.append(f"{label}feedback rule {k}: when {rule.when!r} uses '{name}', which is neither ans, "
                           "expected, a param, a let nor a named step")
    return out
