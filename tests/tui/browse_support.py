"""Shared by the browse tests: reviews made through the real Session, the screen's text."""

from __future__ import annotations

import math
import random
from datetime import timedelta

from textual.widgets import DataTable

from quizact.scheduling import Rating

from .conftest import NOW, PACK, settle

SIZES = [(120, 36), (80, 24)]


def review(session, card_id: str, rating: Rating, at, answer: str | None = None, seconds: float = 12.0):
    """Show ``card_id`` ``seconds`` before ``at``, grade ``answer`` and rate it at ``at``."""
    shown = session.present(PACK, card_id, at - timedelta(seconds=seconds), random.Random(11))
    graded = session.submit(shown, answer, at) if answer is not None else None
    session.rate(shown, rating, at, graded=graded, answers=[answer] if answer is not None else None)
    return shown


def slope_answer(z: float) -> str:
    """σ′(z) to three significant figures, worked by hand: σ(z)(1 − σ(z))."""
    s = 1 / (1 + math.exp(-z))
    return f"{s * (1 - s):.3g}"


def rendered(app) -> str:
    """Every character the terminal would be sent for the current screen."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def table_rows(screen, selector: str = "DataTable") -> list[list[str]]:
    table = screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def row_of(screen, card_id: str) -> list[str]:
    return next(r for r in table_rows(screen) if r[0] == card_id)


async def open_browse_on(pilot, words: str) -> None:
    """Browse, filtered to ``words``, the cursor on the first row."""
    from textual.widgets import Input

    await pilot.press("b")
    await settle(pilot)
    pilot.app.screen.query_one("#filter", Input).value = words
    await settle(pilot)
    pilot.app.screen.query_one(DataTable).focus()
    await settle(pilot)


__all__ = ["NOW", "SIZES", "open_browse_on", "rendered", "review", "row_of", "slope_answer", "table_rows"]
