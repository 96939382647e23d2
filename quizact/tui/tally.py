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
    retried: bool = False  # answered after a retry ("t"): right then is not right at the first try

    @property
    def right_first_try(self) -> bool:
        """Graded right without a retry, or (recall) rated Hard or better."""
        if self.status == "self":
            return self.rating >= 2
        return self.status == "correct" and not self.retried


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
        """Reviews (ratings saved): a card seen again in its learning steps counts each time."""
        return len(self.outcomes)

    @property
    def cards(self) -> int:
        """Distinct cards answered."""
        return len({(o.pack_id, o.card_id) for o in self.outcomes})

    @property
    def right(self) -> int:
        """Reviews right at the first try (see :attr:`Outcome.right_first_try`)."""
        return sum(o.right_first_try for o in self.outcomes)

    @property
    def accuracy(self) -> float | None:
        return self.right / self.done if self.done else None

    def ratings(self) -> Counter[int]:
        return Counter(o.rating for o in self.outcomes)

    def elapsed(self, now: datetime) -> float:
        return (now - self.started).total_seconds() if self.started else 0.0
