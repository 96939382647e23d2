"""A pack's curriculum: the order its new cards are introduced in.

``pack.yaml`` lists topics, each with the topics it comes ``after``; each card names its
``topic:``. The order is computed once, when the pack is read: a topic opens when every card
of each of its prerequisites has been introduced, and the open topics take turns, one card
each, in the order the curriculum lists them (within a topic, cards keep their file order).
The collection stores that order as each card's position, so the "pack" new-card order
stays one indexed query.
"""

from __future__ import annotations

import bisect
import difflib
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from quizact.packs.errors import Problem
from quizact.packs.models import Topic


@dataclass(frozen=True)
class CardPlace:
    """Where a card and its ``topic:`` are written (for located problems)."""

    card_id: str
    topic: str | None
    file: str
    line: int


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _listed(names: Sequence[str], most: int = 6) -> str:
    shown = ", ".join(names[:most])
    return shown + (f", … ({len(names)} topics)" if len(names) > most else "")


def _cycles(topics: Sequence[Topic]) -> list[tuple[int, list[str]]]:
    """Each prerequisite cycle once, as (index of its first topic, the path a → … → a)."""
    index = {t.topic: i for i, t in reversed(list(enumerate(topics)))}
    after = {t.topic: [p for p in t.after if p in index] for t in reversed(topics)}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    found: list[tuple[int, list[str]]] = []
    seen: set[frozenset[str]] = set()

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        path.append(name)
        for nxt in after[name]:
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    start = min(cycle, key=index.__getitem__)
                    k = cycle.index(start)
                    ordered = cycle[k:] + cycle[:k]
                    found.append((index[start], [*ordered, start]))
            elif nxt not in state:
                visit(nxt, path)
        path.pop()
        state[name] = 2

    for t in topics:
        if t.topic not in state:
            visit(t.topic, [])
    return sorted(found)


def problems(topics: Sequence[Topic], cards: Sequence[CardPlace], file: str,
             line_of: Callable[[tuple[Any, ...]], int]) -> list[Problem]:  # fmt: skip
    """What is wrong with the curriculum of ``file`` (``pack.yaml``) and the cards' topics:
    a topic declared twice, a prerequisite that is not a topic, a prerequisite cycle, a card
    whose topic is unknown, a card in no topic (when a curriculum is declared), a topic on a
    card of a pack without a curriculum."""
    out: list[Problem] = []
    first: dict[str, int] = {}
    for i, t in enumerate(topics):
        if t.topic in first:
            line = line_of(("curriculum", i, "topic"))
            out.append(Problem(file, line, "-", f"curriculum: topic '{t.topic}' is declared twice "
                                                f"(first at line {line_of(('curriculum', first[t.topic], 'topic'))})"))
        else:
            first[t.topic] = i
    names = list(first)
    for i, t in enumerate(topics):
        for j, before in enumerate(t.after):
            if before not in first:
                out.append(Problem(file, line_of(("curriculum", i, "after", j)), "-",
                                   f"curriculum: topic '{t.topic}' comes after '{before}', which is not a topic"
                                   + _suggest(before, names)))
    for i, path in _cycles(topics):
        out.append(Problem(file, line_of(("curriculum", i, "after")), "-",
                           "curriculum: prerequisites form a cycle: " + " → ".join(path)))
    for c in cards:
        if not topics:
            if c.topic is not None:
                out.append(Problem(c.file, c.line, c.card_id,
                                   f"topic: '{c.topic}', but pack.yaml declares no curriculum: "
                                   "(list the topics there)"))
        elif c.topic is None:
            out.append(Problem(c.file, c.line, c.card_id,
                               f"in no topic: give it topic: (one of {_listed(names)}); "
                               "the pack declares a curriculum"))
        elif c.topic not in first:
            hint = _suggest(c.topic, names) or f" (the curriculum has {_listed(names)})"
            out.append(Problem(c.file, c.line, c.card_id, f"unknown topic '{c.topic}'{hint}"))
    return out


def introduction_order(topics: Sequence[Topic], cards: Sequence[Any]) -> list[Any]:
    """``cards`` in the order they are introduced (unchanged without a curriculum).

    Open topics (every prerequisite's cards all introduced) take turns in curriculum order,
    one card each; a topic opened meanwhile joins in its place. Cards in no known topic,
    and any a cycle keeps from opening, come last in file order (``problems`` reports them).
    """
    if not topics:
        return list(cards)
    order: list[Topic] = []
    seen: set[str] = set()
    for t in topics:
        if t.topic not in seen:
            seen.add(t.topic)
            order.append(t)
    queues: dict[str, deque[Any]] = {t.topic: deque() for t in order}
    rest: list[Any] = []
    for card in cards:
        (queues[card.topic] if card.topic in queues else rest).append(card)
    done: set[str] = set()

    def settle() -> None:  # topics with nothing left whose prerequisites are all done
        grown = True
        while grown:
            grown = False
            for t in order:
                if t.topic not in done and not queues[t.topic] and all(p in done for p in t.after if p in queues):
                    done.add(t.topic)
                    grown = True

    def opened() -> list[int]:  # the open topics with cards left, by curriculum index
        return [k for k, t in enumerate(order)
                if queues[t.topic] and all(p in done for p in t.after if p in queues)]  # fmt: skip

    settle()
    out: list[Any] = []
    ready, last = opened(), -1
    while ready:
        i = bisect.bisect_right(ready, last)
        k = ready[i if i < len(ready) else 0]
        queue = queues[order[k].topic]
        out.append(queue.popleft())
        last = k
        if not queue:  # only then can the open topics change
            settle()
            ready = opened()
    for t in order:  # held back by a cycle
        out += queues[t.topic]
    return out + rest
