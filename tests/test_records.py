"""``quizact.records.record``: records compare, hash and print exactly as the methods
``@dataclass(frozen=True)`` generates, checked against twins the standard library builds,
for every record class on the way to the first card."""

from __future__ import annotations

import dataclasses

import pytest

from quizact import optimizer, reading, scheduling, session, sitting
from quizact.packs import params
from quizact.records import record
from quizact.storage import cards, journal, packs, settings, timeutil

CLASSES = [
    session.Presented, session.Graded, session.Undone, scheduling.RatingResult, optimizer.Progress,
    cards.CardInfo, journal.UndoEntry, packs.CardRow, packs.SyncReport, packs.PackInfo, settings.Settings,
    timeutil.StudyDay, params.Variant, sitting.PracticeRequest, sitting.Outlook, reading.Preview, reading.AnswerSpec,
]  # fmt: skip


def twin(cls: type) -> type:
    """The same fields, in a class whose methods ``dataclasses`` generates."""
    spec = [(f.name, "object", dataclasses.field(default=None, compare=f.compare, hash=f.hash, repr=f.repr))
            for f in dataclasses.fields(cls)]  # fmt: skip
    made = dataclasses.make_dataclass(cls.__name__, spec, frozen=True)
    made.__qualname__ = cls.__qualname__
    return made


def made(cls: type, values: dict) -> object:
    """An instance holding ``values`` (set as ``__init__`` would, without its checks)."""
    obj = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_a_record_behaves_as_a_generated_frozen_dataclass(cls):
    assert dataclasses.is_dataclass(cls)
    mirror = twin(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    one = {n: (i, f"v{i}") for i, n in enumerate(names)}
    other = {**one, names[-1]: "changed"}
    a, b, c = made(cls, one), made(cls, dict(one)), made(cls, other)
    ta, tc = mirror(**one), mirror(**other)
    assert repr(a) == repr(ta) and repr(c) == repr(tc)
    assert hash(a) == hash(ta) == hash(b) and hash(c) == hash(tc)
    assert a == b and not a != b
    assert (a == c) == (ta == tc) is False
    assert a != ta  # another class: never equal, as generated __eq__ says
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.__setattr__(names[0], 1)


def test_a_class_keeps_the_methods_it_defines():
    @record
    class Own:
        x: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

    assert repr(Own(1)) == "own" and Own(1) == Own(2)
    assert Own.__hash__ is None  # as Python has it for a class defining __eq__ alone


def test_a_record_holding_itself_prints_without_recursing():
    @record
    class Box:
        items: list

    box = Box([])
    box.items.append(box)
    assert repr(box) == f"{Box.__qualname__}(items=[...])"


def test_fields_left_out_of_comparison_hashing_or_printing_are_left_out_as_generated():
    from dataclasses import field

    @record
    class Marked:
        kept: int
        unseen: int = field(default=0, repr=False)
        uncompared: int = field(default=0, compare=False)
        unhashed: int = field(default=0, hash=False)

    mirror = twin(Marked)
    for values in ({"kept": 1, "unseen": 2, "uncompared": 3, "unhashed": 4},
                   {"kept": 1, "unseen": 2, "uncompared": 5, "unhashed": 6}):  # fmt: skip
        assert repr(Marked(**values)) == repr(mirror(**values))
        assert hash(Marked(**values)) == hash(mirror(**values))
    assert Marked(1, 2, 3, 4) == Marked(1, 2, 5, 4) != Marked(1, 2, 3, 6)
    assert repr(Marked(1, 2, 3, 4)) == f"{Marked.__qualname__}(kept=1, uncompared=3, unhashed=4)"
