"""What happened in one sitting: the cards answered, how, and for how long (plain data)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Outcome:
    pack_id: str
    card_id: str
    kind: str
    status: str  # correct | incorrect | self (recall)
    rating: int


@dataclass
class Tally:
    started: datetime | None = None
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def drop_last(self, pack_id: str, card_id: str) -> None:
        """An undone rating no longer counts."""
        for i in range(len(self.outcomes) - 1, -1, -1):
            if (self.outcomes[i].pack_id, self.outcomes[i].card_id) == (pack_id, card_id):
                del self.outcomes[i]
                return

    @property
    def done(self) -> int:
        return len(self.outcomes)

    @property
    def right(self) -> int:
        """Graded right, or (recall) rated Hard or better."""
        return sum(o.status == "correct" or (o.status == "self" and o.rating >= 2) for o in self.outcomes)

    @property
    def accuracy(self) -> float | None:
        return self.right / self.done if self.done else None

    def ratings(self) -> Counter[int]:
        return Counter(o.rating for o in self.outcomes)

    def elapsed(self, now: datetime) -> float:
        return (now - self.started).total_seconds() if self.started else 0.0
