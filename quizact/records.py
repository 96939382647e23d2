"""``@record``: a frozen dataclass whose ``__eq__``, ``__hash__`` and ``__repr__`` are shared
functions, written once, rather than generated and compiled for each class at import.

``@dataclass(frozen=True)`` compiles six methods per class when its module is imported;
the records on the way to the first card (the session's, the storage's, the scheduler's)
are imported at every start. Three of the six are the same for every class but for the
field names, so they are defined here, reading the names from ``dataclasses.fields`` once
per class; they behave as the generated ones (``tests/test_records.py``).
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, fields
from typing import Any, Callable, TypeVar, dataclass_transform, overload

R = TypeVar("R")
_names: dict[tuple[type, str], tuple[str, ...]] = {}


def _field_names(cls: type, which: str) -> tuple[str, ...]:
    key = (cls, which)
    names = _names.get(key)
    if names is None:
        if which == "compare":
            names = tuple(f.name for f in fields(cls) if f.compare)
        elif which == "hash":
            names = tuple(f.name for f in fields(cls) if (f.compare if f.hash is None else f.hash))
        else:
            names = tuple(f.name for f in fields(cls) if f.repr)
        _names[key] = names
    return names


def record_eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]  # what a generated __eq__ returns
    names = _field_names(self.__class__, "compare")
    return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)


def record_hash(self: Any) -> int:
    return hash(tuple(getattr(self, n) for n in _field_names(self.__class__, "hash")))


@reprlib.recursive_repr()
def record_repr(self: Any) -> str:
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in _field_names(self.__class__, "repr"))
    return f"{self.__class__.__qualname__}({shown})"


@overload
def record(cls: type[R], /) -> type[R]: ...
@overload
def record(cls: None = None, /, **options: Any) -> Callable[[type[R]], type[R]]: ...


@dataclass_transform(frozen_default=True)
def record(cls: type[R] | None = None, /, **options: Any) -> type[R] | Callable[[type[R]], type[R]]:
    """``@dataclass(frozen=True, **options)`` with the shared methods (where the class
    does not define its own)."""

    def wrap(cls: type[R]) -> type[R]:
        own = set(cls.__dict__)
        cls = dataclass(frozen=True, eq=False, repr=False, **options)(cls)
        if "__eq__" not in own:
            cls.__eq__ = record_eq  # type: ignore[method-assign]
            if "__hash__" not in own:
                cls.__hash__ = record_hash  # type: ignore[method-assign]
        if "__repr__" not in own:
            cls.__repr__ = record_repr  # type: ignore[method-assign]
        return cls

    return wrap if cls is None else wrap(cls)
