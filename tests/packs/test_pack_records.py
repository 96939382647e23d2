"""Pack records compare, hash and print exactly as the methods ``@dataclass(frozen=True)``
would generate for them (they inherit hand-written ones, cheaper to import): checked
against twins that the standard library's dataclass machinery builds, over every record
of the built-in pack."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from quizact.packs import models
from quizact.packs.loader import read_pack
from quizact.session import library


def twin(cls: type) -> type:
    """The same fields in a class whose methods ``dataclasses`` generates."""
    spec = [(f.name, "object", dataclasses.field(default=None, compare=f.compare, hash=f.hash, repr=f.repr))
            for f in dataclasses.fields(cls)]  # fmt: skip
    made = dataclasses.make_dataclass(cls.__name__, spec, frozen=True, kw_only=True)
    made.__qualname__ = cls.__qualname__
    return made


def records(value, out):
    """Every record reachable from ``value``."""
    if dataclasses.is_dataclass(value) and isinstance(value, models.Strict):
        out.append(value)
        for f in dataclasses.fields(value):
            records(getattr(value, f.name), out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            records(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            records(v, out)
    return out


@pytest.fixture(scope="module")
def pack_records():
    pack, problems = read_pack(library()[0])
    assert not problems
    return records([pack.meta, *pack.cards], [])


def as_twin(record, twins):
    cls = type(record)
    if cls not in twins:
        twins[cls] = twin(cls)
    return twins[cls](**{f.name: getattr(record, f.name) for f in dataclasses.fields(record)})


def test_records_print_compare_and_hash_as_generated_ones(pack_records):
    twins: dict = {}
    kinds = {type(r).__name__ for r in pack_records}
    assert {"PackMeta", "ChoiceCard", "StepsCard", "Step", "Tolerance", "Option", "Mistake"} <= kinds
    for record in pack_records:
        mirror = as_twin(record, twins)
        assert repr(record) == repr(mirror)
        try:
            expected = hash(mirror)
        except TypeError:  # a list field: unhashable either way
            with pytest.raises(TypeError):
                hash(record)
        else:
            assert hash(record) == expected
        assert record == dataclasses.replace(record) and not record != dataclasses.replace(record)
        assert record != object() and (record == mirror) is False  # another class is never equal
    for a, b in itertools.islice(itertools.combinations(pack_records, 2), 20000):
        assert (a == b) == (as_twin(a, twins) == as_twin(b, twins) and type(a) is type(b))


def test_records_stay_frozen(pack_records):
    with pytest.raises(dataclasses.FrozenInstanceError):
        pack_records[0].name = "renamed"  # type: ignore[misc]
