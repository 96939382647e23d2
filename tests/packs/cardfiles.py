"""Small packs written on the fly for the authoring tests, and their ``pack check`` lines."""

from __future__ import annotations

import textwrap
from pathlib import Path

from quizact.packcheck import check_pack


def write_cards(folder: Path, cards: str, pack: str = "p", name: str = "p.yaml") -> Path:
    """A one-file pack ``pack`` in ``folder`` holding ``cards`` (YAML list items, dedented)."""
    path = folder / name
    head = f"pack: {pack}\nname: {pack.upper()}\nversion: 1\ncards:\n"
    path.write_text(head + textwrap.indent(textwrap.dedent(cards), "  "))
    return path


def problems(path: Path, variants: int = 5, *, deep: bool = False, located: bool = False) -> list[str]:
    """``pack check``'s messages for ``path`` (``located``: as ``LINE: CARD: message``)."""
    _, found = check_pack(path, variants=variants, deep=deep)
    return [f"{p.line}: {p.card}: {p.message}" if located else p.message for p in found]
