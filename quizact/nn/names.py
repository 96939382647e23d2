"""The names of the quantities a card can ask for, parsed and checked without computing.

A name is a base (``z1``, ``grad.W2``, ``loss`` …) optionally followed by an element
index in brackets (``grad.W1[0,1]``, ``a1[2]``, ``loss_curve[-1]``).  See docs/nn.md.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, cast

if TYPE_CHECKING:
    from quizact.nn.spec import NetworkSpec

Kind = Literal["example", "weight", "bias", "scalar", "curve"]
Stage = Literal["param", "forward", "loss", "backward", "update", "scenario", "dead"]
STAGE_ORDER = ("param", "forward", "loss", "backward", "update")

SCENARIO = ("loss_curve", "grad_norm_curve", "final_loss", "steps_to_target", "runs_failed")
DEAD = ("dead_fraction", "dead_units")


class QuantityError(ValueError):
    """A quantity cannot be computed from this spec and these parameters."""


class UnknownQuantity(QuantityError):
    """A name that does not denote a quantity of this network; ``hint`` says what does."""

    def __init__(self, name: str, hint: str) -> None:
        self.name, self.hint = name, hint
        super().__init__(f"unknown quantity {name!r}: {hint}")


@dataclass(frozen=True)
class Ref:
    """A parsed name: canonical ``key`` (aliases resolved) and an optional element index."""

    text: str
    key: str
    kind: Kind
    stage: Stage
    layer: int | None
    index: tuple[int, ...] | None


# (pattern, canonical template, kind, stage); {0} is the layer number.
_PATTERNS: list[tuple[re.Pattern[str], str, Kind, Stage]] = [
    (re.compile(p), key, cast(Kind, kind), cast(Stage, stage))  # each one of the literals
    for p, key, kind, stage in [
        (r"x|a0", "x", "example", "forward"),
        (r"y", "y", "example", "loss"),
        (r"lr", "lr", "scalar", "param"),
        (r"W(\d+)", "W{0}", "weight", "forward"),
        (r"b(\d+)", "b{0}", "bias", "forward"),
        (r"z(\d+)", "z{0}", "example", "forward"),
        (r"a(\d+)", "a{0}", "example", "forward"),
        (r"output", "a{L}", "example", "forward"),
        (r"loss", "loss", "scalar", "loss"),
        (r"dL/dx", "dL/da0", "example", "backward"),
        (r"dL/da(\d+)", "dL/da{0}", "example", "backward"),
        (r"dL/dz(\d+)", "dL/dz{0}", "example", "backward"),
        (r"(?:grad\.|dL/d)W(\d+)", "grad.W{0}", "weight", "backward"),
        (r"(?:grad\.|dL/d)b(\d+)", "grad.b{0}", "bias", "backward"),
        (r"grad_norm", "grad_norm", "scalar", "update"),
        (r"grad_norm\.(\d+)", "grad_norm.{0}", "scalar", "update"),
        (r"clip_scale", "clip_scale", "scalar", "update"),
        (r"grad_clipped\.W(\d+)", "grad_clipped.W{0}", "weight", "update"),
        (r"grad_clipped\.b(\d+)", "grad_clipped.b{0}", "bias", "update"),
        (r"updated\.W(\d+)", "updated.W{0}", "weight", "update"),
        (r"updated\.b(\d+)", "updated.b{0}", "bias", "update"),
        (r"loss_curve|grad_norm_curve", "{name}", "curve", "scenario"),
        (r"final_loss|steps_to_target|runs_failed", "{name}", "scalar", "scenario"),
        (r"dead_fraction|dead_units", "{name}", "scalar", "dead"),
    ]
]
_INDEXED = re.compile(r"^(?P<base>[^\[\]]+?)(?:\[(?P<index>[^\[\]]*)\])?$")


def quantity_names(spec: NetworkSpec, *, aliases: bool = False) -> list[str]:
    """Every base name of ``spec``, in computation order (aliases appended if asked)."""
    L, bias = spec.depth, spec.bias
    layers = range(1, L + 1)
    names = ["x", "y", "lr"]
    for l in layers:
        names += [f"W{l}"] + ([f"b{l}"] if bias else [])
    for l in layers:
        names += [f"z{l}", f"a{l}"]
    names.append("loss")
    for l in range(L, 0, -1):
        names += [f"dL/da{l}", f"dL/dz{l}", f"grad.W{l}"] + ([f"grad.b{l}"] if bias else [])
    names.append("dL/da0")
    names += [f"grad_norm.{l}" for l in layers] + ["grad_norm", "clip_scale"]
    for l in layers:
        for kind in ("W", "b") if bias else ("W",):
            names += [f"grad_clipped.{kind}{l}", f"updated.{kind}{l}"]
    if spec.train is not None:
        names += list(SCENARIO)
    names += list(DEAD)
    if aliases:
        names += ["a0", "output", "dL/dx"]
        names += [f"dL/d{k}{l}" for l in layers for k in (("W", "b") if bias else ("W",))]
    return names


def parse_name(spec: NetworkSpec, name: str) -> Ref:
    """Parse and check ``name`` against ``spec``; raises :class:`UnknownQuantity`."""
    return _parse(spec, name)


def check_name(spec: NetworkSpec, name: str) -> str | None:
    """An error message for a bad name, or None if ``spec`` has this quantity."""
    try:
        _parse(spec, name)
    except UnknownQuantity as exc:
        return str(exc)
    return None


@lru_cache(maxsize=4096)
def _parse(spec: NetworkSpec, name: str) -> Ref:
    if not isinstance(name, str):
        raise UnknownQuantity(repr(name), "a quantity name must be a string")
    text = "".join(name.split())
    m = _INDEXED.match(text)
    if not m:
        raise UnknownQuantity(name, "write an element as name[i] or name[i,j], e.g. grad.W1[0,1]")
    base = m["base"]
    for pattern, template, kind, stage in _PATTERNS:
        pm = pattern.fullmatch(base)
        if pm:
            layer = int(pm[1]) if pm.groups() and pm[1] is not None else None
            key = template.format(layer, L=spec.depth, name=base)
            if key.startswith("a") and key[1:].isdigit():
                layer = int(key[1:])
            ref = Ref(name, key, kind, stage, layer, _index(name, m["index"]))
            _check(spec, ref, base)
            return ref
    raise UnknownQuantity(name, _suggest(spec, base))


def _index(name: str, raw: str | None) -> tuple[int, ...] | None:
    if raw is None:
        return None
    try:
        idx = tuple(int(p) for p in raw.split(","))
    except ValueError:
        raise UnknownQuantity(name, f"index [{raw}] must be integers, e.g. [0] or [0,1]") from None
    if not 1 <= len(idx) <= 2:
        raise UnknownQuantity(name, "an index has one or two integers")
    return idx


def _check(spec: NetworkSpec, ref: Ref, base: str) -> None:
    L, name, layer = spec.depth, ref.text, ref.layer
    if layer is not None:
        low = 0 if ref.key.startswith(("dL/da", "a")) else 1
        if not low <= layer <= L:
            raise UnknownQuantity(
                name, f"layer {layer} does not exist: this network has layers {low}..{L}"
                + _did_you_mean(spec, base)
            )
    if ref.kind == "bias" and not spec.bias:
        raise UnknownQuantity(name, "this network has no biases (bias: false)")
    if ref.stage == "scenario" and spec.train is None:
        raise UnknownQuantity(name, f"{base} is a training result: the network needs a train: block")
    if ref.index is not None:
        _check_index(spec, ref)


def _check_index(spec: NetworkSpec, ref: Ref) -> None:
    idx, name = ref.index, ref.text
    assert idx is not None
    if ref.kind == "scalar":
        raise UnknownQuantity(name, f"{ref.key} is a single number: drop the index")
    if ref.kind in ("curve", "bias") and len(idx) != 1:
        raise UnknownQuantity(name, f"{ref.key} is a vector: use one index, e.g. [0]")
    if ref.kind == "weight" and len(idx) != 2:
        raise UnknownQuantity(name, f"{ref.key} is a matrix: use two indices [row, column]")
    n = spec.layers
    shape: tuple[int | None, ...] | None = None
    if ref.kind == "weight":
        assert ref.layer is not None  # a weight's name has its layer
        shape = (n[ref.layer], n[ref.layer - 1])
    elif ref.kind == "bias":
        assert ref.layer is not None
        shape = (n[ref.layer],)
    elif ref.kind == "example" and len(idx) == 2:
        unit_layer = spec.depth if ref.key == "y" else (ref.layer or 0)
        shape = (None, n[unit_layer])
    if shape is None:
        return
    for i, size in zip(idx, shape):
        if size is not None and not -size <= i < size:
            what = f"shape {shape}" if None not in shape else f"{shape[-1]} unit(s) per example"
            raise UnknownQuantity(name, f"index {i} out of range: {ref.key} has {what}")


def _suggest(spec: NetworkSpec, base: str) -> str:
    return "not a quantity of this network" + (_did_you_mean(spec, base) or "; see docs/nn.md")


def _did_you_mean(spec: NetworkSpec, base: str) -> str:
    known = quantity_names(spec, aliases=True)
    same_case = [n for n in known if n.lower() == base.lower()]
    close = same_case + [
        n for n in difflib.get_close_matches(base, known, n=4, cutoff=0.5) if n not in same_case
    ]
    close = close[:4]
    return f"; did you mean {', '.join(map(repr, close))}?" if close else ""


def kind_of(key: str) -> Kind:
    """The kind of a canonical trace key (as produced by the network pass)."""
    return _kind_of(key)


@lru_cache(maxsize=1024)
def _kind_of(key: str) -> Kind:
    for pattern, _, kind, _ in _PATTERNS:
        if pattern.fullmatch(key):
            return kind
    raise KeyError(key)
