"""Every ``{…}`` in a card's texts names something, or ``pack check`` says what is wrong.

A brace in a prompt, explanation, step prompt, option text, feedback or symbolic answer is
one of: ``{{`` or ``}}`` (a literal brace), or a placeholder (``{x}``, ``{W[0,1]}``,
``{z[k]}``, ``{p:.3f}``) naming a param or a let, or, in a text shown once the card is
graded (the explanation, feedback, a recall card's answer), a named step, filled with its
right value. Anything else (``{z*2}``, ``{ z }``, a ``{`` never closed) would be shown as
written, so it is an error with the fix.
"""

from __future__ import annotations

import re

from quizact.packs import formula
from quizact.packs.params import PLACEHOLDER_RE

BRACES_RE = re.compile(r"\{\{|\}\}|\{[^{}]*\}|\{")
_INDEX_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SHAPES = "{name}, {name[0,1]} or {name:.3f}"


def _not_a_placeholder(label: str, token: str) -> str:
    inner = token[1:-1].strip()
    if PLACEHOLDER_RE.fullmatch(f"{{{inner}}}"):
        return (f"{label}: {token} is not a placeholder: write {{{inner}}} (no spaces), "
                "or {{ and }} for literal braces")
    text, colon, spec = inner.rpartition(":") if ":" in inner else (inner, "", "")
    try:
        formula.parse(text.strip())
        fix = f'compute it in let: (let: {{v: "{text.strip()}"}}, then {{v{colon}{spec}}})'
    except formula.FormulaError:
        fix = "compute it in let:"
    return f"{label}: {token} is not a placeholder ({SHAPES}): {fix}, or write {{{{ and }}}} for literal braces"


def brace_problems(label: str, text: str, values: set[str], steps: set[str], *, after: bool) -> list[str]:
    """What is wrong with the braces of one ``text`` (labelled ``label``): ``values`` are
    the card's params and lets, ``steps`` its step names, usable when the text is shown
    ``after`` grading."""
    out = []
    for m in BRACES_RE.finditer(text or ""):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if token == "{":
            out.append(f"{label}: a '{{' with no closing '}}'; write {{{{ for a literal brace")
            continue
        placeholder = PLACEHOLDER_RE.fullmatch(token)
        if placeholder is None:
            out.append(_not_a_placeholder(label, token))
            continue
        used = [placeholder.group(1), *_INDEX_NAME_RE.findall(placeholder.group(2) or "")]
        for name in dict.fromkeys(used):
            if name in values:
                continue
            if name in steps:
                if not after:
                    out.append(f"{label}: {token} names step '{name}', whose value is known only once the card "
                               "is graded; use it in explain: or feedback")
                elif name != used[0]:
                    out.append(f"{label}: {token} indexes with step '{name}'; index with a param or a let")
                continue
            out.append(f"{label}: {token} names '{name}', which is neither a param, a let nor a step of this card")
    return out
