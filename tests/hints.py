"""What a learner could copy from text shown before grading, to try as an answer."""

from __future__ import annotations

import re

#: a number, unless it states a precision ("3 s.f.", "2 decimals"), which answers nothing
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?:/\d+)?(?![\w.])(?!\s*(?:s\.f\.|sig|decimal|d\.p\.))")


def split_top(text: str) -> list[str]:
    """``text`` cut at the commas outside brackets and parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "([" and 1 or (ch in ")]" and -1 or 0)
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, text[start:]] if p.strip()]


def candidates(text: str) -> set[str]:
    """What a learner could copy from ``text`` as an answer: each example after "e.g."
    (and the whole list of them), and every number in it."""
    found = set(NUMBER.findall(text))
    if "e.g." in text:
        examples = text.split("e.g.", 1)[1].split("   (", 1)[0].strip()
        found |= {examples, *split_top(examples)}
    return found
