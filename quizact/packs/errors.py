"""Located problems found in a pack: one ``FILE:LINE: CARD_ID: message`` line each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from quizact.textsafe import one_line


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    card: str  # the card id, or "-" for a problem outside any card
    message: str

    def __str__(self) -> str:
        # Exactly one line per problem: every field is pack text or a path, and a newline or a
        # control character in any of them is shown escaped, never acted on.
        message = one_line(" ".join(self.message.splitlines()))
        return f"{one_line(self.file)}:{self.line}: {one_line(self.card)}: {message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class PackError(Exception):
    """A pack could not be loaded; ``problems`` says every reason, located."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
