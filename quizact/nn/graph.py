"""Which named quantities each quantity is computed from: the graph of one pass of ``run``.

``parents(spec, "grad.W2")`` is ``("dL/dz2", "a1")``: the values ``mlp.run`` reads to
compute it. ``sources(spec, name, given)`` walks the graph upwards and stops at the
quantities in ``given`` (values a learner already gave): the ones it reaches are what
``name`` depends on. A test checks the graph against the real pass by perturbing each
quantity and watching which others move.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from quizact.nn.names import parse_name
from quizact.nn.spec import NetworkSpec

_LAYERED = re.compile(
    r"^(z|a|W|b|dL/da|dL/dz|grad\.W|grad\.b|grad_norm\.|grad_clipped\.W|grad_clipped\.b|updated\.W|updated\.b)(\d+)$"
)


def parents(spec: NetworkSpec, key: str) -> tuple[str, ...]:
    """The canonical keys ``key`` is computed from directly (none for inputs and parameters)."""
    L, bias = spec.depth, spec.bias
    if key == "loss":
        return (f"a{L}", f"z{L}", "y")
    if key == "grad_norm":
        return tuple(f"grad_norm.{l}" for l in range(1, L + 1))
    if key == "clip_scale":  # 1 unless the spec clips gradients
        return ("grad_norm",) if spec.clip is not None else ()
    m = _LAYERED.match(key)
    if m is None:
        return ()  # x, y, lr; training scenarios and dead units are not traced
    base, l = m.group(1), int(m.group(2))
    below = "x" if l == 1 else f"a{l - 1}"
    if base == "z":
        return (below, f"W{l}") + ((f"b{l}",) if bias else ())
    if base == "a":
        return (f"z{l}",)
    if base == "dL/da":
        if l == L:
            return (f"a{L}", "y")
        return (f"dL/dz{l + 1}", f"W{l + 1}")  # dL/da0 (dL/dx) included
    if base == "dL/dz":
        out = (f"dL/da{l}", f"z{l}", f"a{l}")
        return out + ("y",) if l == L else out  # the fused output gradient p − y reads y
    if base == "grad.W":
        return (f"dL/dz{l}", below)
    if base == "grad.b":
        return (f"dL/dz{l}",)
    if base == "grad_norm.":
        return (f"grad.W{l}",) + ((f"grad.b{l}",) if bias else ())
    if base in ("grad_clipped.W", "grad_clipped.b"):
        return (f"grad.{base[-1]}{l}", "clip_scale")
    if base in ("updated.W", "updated.b"):
        return (f"{base[-1]}{l}", f"grad_clipped.{base[-1]}{l}", "lr")
    return ()


def ancestors(spec: NetworkSpec, key: str) -> set[str]:
    """Every key that ``key`` is computed from, directly or not."""
    seen: set[str] = set()
    todo = list(parents(spec, key))
    while todo:
        k = todo.pop()
        if k not in seen:
            seen.add(k)
            todo.extend(parents(spec, k))
    return seen


def sources(spec: NetworkSpec, name: str, given: Iterable[str]) -> list[str]:
    """The names in ``given`` that the quantity ``name`` depends on, in the order given.

    A whole value in ``given`` (``a1``) hides what lies above it: ``z2`` computed from a
    learner's ``a1`` no longer depends on their ``z1``. An element (``z1[0]``) hides nothing,
    since the rest of the array still flows on.
    """
    given = list(given)
    refs = {g: parse_name(spec, g) for g in given}
    whole = {r.key for r in refs.values() if r.index is None}
    target = parse_name(spec, name).key
    reached: set[str] = set()
    todo = list(parents(spec, target))
    while todo:
        k = todo.pop()
        if k in reached:
            continue
        reached.add(k)
        if k not in whole:
            todo.extend(parents(spec, k))
    return [g for g in given if refs[g].key in reached and refs[g].key != target]
