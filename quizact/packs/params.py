"""Seeded random variants of a card.

A card's ``params`` map names to specs, drawn in the order written:

* a number (``lr: 0.1``) — fixed;
* a list (``x: [1, {uniform: [0, 1]}]``) — a vector or matrix whose items are specs;
* ``{choice: [...]}``, ``{uniform: [lo, hi], decimals: 2}``, ``{integer: [lo, hi]}``,
  ``{normal: [mean, sd], decimals: 2}``, each with an optional ``shape: [rows, cols]`` and
  ``exclude: [0]`` (values never drawn).

``let:`` formulas (``packs.lets``) are computed from each draw before ``where`` is
checked, so ``where`` may use them. ``where:`` formulas must each give one truth value and
all hold (a comparison of vectors is a vector of truth values: wrap it in ``all(...)`` or
``any(...)``); a draw that breaks one is redrawn (from the same generator, so still
deterministic). ``instantiate(card, seed)`` gives the same numbers for
the same seed on every machine: draws go through ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import TYPE_CHECKING, Any

from quizact.packs import formula
from quizact.records import record

if TYPE_CHECKING:
    import numpy as np

MAX_REDRAWS = 500
MAX_ELEMENTS = 400
DRAW_KEYS = ("choice", "uniform", "integer", "normal")
OPTION_KEYS = ("decimals", "shape", "exclude")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PLACEHOLDER_RE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)((?:\[[A-Za-z0-9_, -]+\])?)(?::([^{}]*))?\}(?!\})")


class ParamError(ValueError):
    """A params spec cannot be drawn."""


@record
class Variant:
    """One drawn instance of a card: its seed and plain (JSON-ready) values: the drawn
    params, then the computed lets (``lets`` names those), so every use of a param sees
    the lets too."""

    card_id: str
    seed: int
    params: dict[str, Any] = field(default_factory=dict)
    lets: tuple[str, ...] = ()


def validate_params(params: dict[str, Any]) -> None:
    """Raise ParamError (a ValueError, so pydantic reports it) for an undrawable spec."""
    for name, spec in params.items():
        if not NAME_RE.match(str(name)) or str(name).startswith("__"):
            raise ParamError(f"'{name}' is not a valid param name")
        try:
            _validate(spec, depth=0)
        except ParamError as exc:
            raise ParamError(f"param '{name}': {exc}") from None


def _pair(spec: dict[str, Any], key: str) -> tuple[float, float]:
    value = spec[key]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        raise ParamError(f"{key} needs two numbers, as in {key}: [0, 1]")
    lo, hi = value
    if key != "normal" and lo > hi:
        raise ParamError(f"{key}: low {lo} is above high {hi}")
    if key == "normal" and hi <= 0:
        raise ParamError("normal: the standard deviation must be positive")
    if key == "integer" and not all(isinstance(v, int) for v in value):
        raise ParamError("integer needs two whole numbers")
    return lo, hi


def _validate(spec: Any, depth: int) -> None:
    if depth > 4:
        raise ParamError("nested more than 4 levels")
    if isinstance(spec, bool) or spec is None:
        raise ParamError(f"{spec!r} is not a number or a draw")
    if isinstance(spec, (int, float)):
        return
    if isinstance(spec, list):
        if not spec:
            raise ParamError("an empty list")
        for item in spec:
            _validate(item, depth + 1)
        return
    if not isinstance(spec, dict):
        raise ParamError(f"{spec!r} is not a number, a list or a draw such as {{uniform: [0, 1]}}")
    kinds = [k for k in DRAW_KEYS if k in spec]
    unknown = [k for k in spec if k not in DRAW_KEYS and k not in OPTION_KEYS]
    if unknown:
        raise ParamError(f"unknown key '{unknown[0]}' (expected one of {', '.join(DRAW_KEYS + OPTION_KEYS)})")
    if len(kinds) != 1:
        raise ParamError(f"give exactly one of {', '.join(DRAW_KEYS)}")
    draw = kinds[0]
    if draw == "choice":  # a draw key (not a card's kind)
        if not isinstance(spec["choice"], list) or not spec["choice"]:
            raise ParamError("choice needs a non-empty list")
        for item in spec["choice"]:
            _validate(item, depth + 1)
    else:
        _pair(spec, draw)
    decimals = spec.get("decimals")
    if decimals is not None and (not isinstance(decimals, int) or not 0 <= decimals <= 12):
        raise ParamError("decimals must be a whole number from 0 to 12")
    shape = spec.get("shape")
    if shape is not None:
        if not isinstance(shape, list) or not 1 <= len(shape) <= 2 or not all(
            isinstance(s, int) and s >= 1 for s in shape
        ):
            raise ParamError("shape must be [n] or [rows, cols] of positive whole numbers")
        if shape[0] * (shape[1] if len(shape) > 1 else 1) > MAX_ELEMENTS:
            raise ParamError(f"shape has more than {MAX_ELEMENTS} elements")
    exclude = spec.get("exclude", [])
    if not isinstance(exclude, list):
        raise ParamError("exclude must be a list of values")


def _draw(spec: Any, rng: np.random.Generator) -> Any:
    if isinstance(spec, (int, float)):
        return spec
    if isinstance(spec, list):
        return [_draw(item, rng) for item in spec]
    shape = spec.get("shape")
    if shape:
        if len(shape) == 1:
            return [_draw_one(spec, rng) for _ in range(shape[0])]
        return [[_draw_one(spec, rng) for _ in range(shape[1])] for _ in range(shape[0])]
    return _draw_one(spec, rng)


def _draw_one(spec: dict[str, Any], rng: np.random.Generator) -> Any:
    exclude = spec.get("exclude", [])
    for _ in range(MAX_REDRAWS):
        if "choice" in spec:
            value = _draw(spec["choice"][int(rng.integers(len(spec["choice"])))], rng)
        elif "integer" in spec:
            lo, hi = spec["integer"]
            value = int(rng.integers(lo, hi + 1))
        else:
            lo, hi = spec["uniform"] if "uniform" in spec else spec["normal"]
            value = float(rng.uniform(lo, hi) if "uniform" in spec else rng.normal(lo, hi))
            if spec.get("decimals") is not None:
                value = round(value, spec["decimals"])
                value = 0.0 if value == 0 else value  # no "-0.0" in prompts
        if value not in exclude:
            return value
    raise ParamError(f"every draw is excluded by {exclude}")


def draw(params: dict[str, Any], where: list[str], seed: int, lets: dict[str, Any] | None = None) -> dict[str, Any]:
    """Draw every param from ``seed`` and compute the ``lets`` (``packs.lets``), redrawing
    until all ``where`` formulas hold. A let that cannot be computed for a draw that
    ``where`` accepts raises ``LetError``."""
    import numpy as np

    from quizact.packs import lets as computed

    rng = np.random.default_rng(seed)
    for _ in range(MAX_REDRAWS):
        values = {name: _draw(spec, rng) for name, spec in params.items()}
        failed = computed.compute(lets, values) if lets else {}
        decidable = [cond for cond in where if not formula.names(cond) & failed.keys()]
        if all(_holds(cond, values) for cond in decidable):
            if failed:
                raise computed.failure(lets or {}, failed, seed)
            return values
    raise ParamError(f"no draw satisfied where: {where} in {MAX_REDRAWS} tries")


class WhereError(ParamError):
    """A ``where:`` formula that does not give one truth value."""


def _holds(cond: str, values: dict[str, Any]) -> bool:
    import numpy as np

    result = np.asarray(formula.evaluate(cond, values))
    if result.dtype != np.bool_:
        what = "a number" if result.size == 1 else f"{result.size} numbers"
        raise WhereError(f"where {cond!r} gives {what}, not one truth value; compare it, as in ({cond}) > 0")
    if result.shape != ():
        raise WhereError(
            f"where {cond!r} gives {result.size} truth values (one per entry), not one; "
            f"write all(...) or any(...) around it"
        )
    return bool(result)


def instantiate(card: Any, seed: int) -> Variant:
    """The variant of ``card`` for ``seed``: deterministic on every machine."""
    lets = getattr(card, "let", None) or {}
    values = draw(card.params, card.where, seed, lets) if card.params or lets else {}
    return Variant(card_id=card.id, seed=int(seed), params=values, lets=tuple(lets))


def option_order(card: Any, variant: Variant) -> list[int]:
    """The order a choice card's options are shown in for this variant (shuffled by its seed)."""
    order = list(range(len(card.options)))
    if card.shuffle:
        import random

        random.Random(variant.seed).shuffle(order)
    return order


def format_value(value: Any, fmt: str | None = None) -> str:
    """A param value as a learner reads it: ``0.5``, ``-1.4``, ``[[0.1, 0.2], [0.3, 0.4]]``."""
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v, fmt) for v in value) + "]"
    if hasattr(value, "tolist"):
        return format_value(value.tolist(), fmt)
    if isinstance(value, bool) and not fmt:
        return "true" if value else "false"
    if fmt:
        return format(value, fmt)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:.1f}"
        return f"{value:.10g}"
    return str(value)


class RenderError(ValueError):
    """A placeholder cannot be filled: a bad format spec, an index out of range."""


# Python's format-spec mini-language, with width and precision kept small: ``{x:999999999}``
# would otherwise build a gigabyte of padding.
_SPEC_RE = re.compile(r"^(?:.?[<>=^])?[+\- ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<prec>\d+))?[bcdeEfFgGnosxX%]?$", re.S)
MAX_WIDTH = 100
MAX_PRECISION = 30


def _check_spec(fmt: str) -> None:
    spec = _SPEC_RE.match(fmt)
    if spec is None:
        raise RenderError(f"'{fmt}' is not a format spec (such as .3f, .2e or .1%)")
    if spec.group("width") and int(spec.group("width")) > MAX_WIDTH:
        raise RenderError(f"width {spec.group('width')} in '{fmt}' is over {MAX_WIDTH}")
    if spec.group("prec") and int(spec.group("prec")) > MAX_PRECISION:
        raise RenderError(f"precision {spec.group('prec')} in '{fmt}' is over {MAX_PRECISION}")


def _fill(m: re.Match[str], values: dict[str, Any]) -> str:
    name, index, fmt = m.group(1), m.group(2), m.group(3)
    value = values[name]
    if fmt:
        _check_spec(fmt)
    try:
        if index:
            value = formula.evaluate(f"{name}{index}", values).item()
        return format_value(value, fmt or None)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, ArithmeticError) as exc:
        raise RenderError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def render(text: str, values: dict[str, Any], *, strict: bool = False) -> str:
    """Fill ``{name}``, ``{W1[0,1]}`` and ``{name:.3f}`` placeholders; ``{{`` is a brace.
    A line holding ``{W1:matrix}`` (or ``{W1:matrix:.2f}``) is laid out as an aligned
    block (:func:`matrix_lines`).

    A placeholder that cannot be filled raises ``RenderError`` with ``strict`` (what
    ``pack check`` uses to report it); otherwise it shows the plain value, or stays as
    written, so a learner still sees the card.
    """
    if ":matrix" in text:
        return _render_blocks(text, values, strict)
    return _render_line(text, values, strict)


def _render_line(text: str, values: dict[str, Any], strict: bool) -> str:
    def sub(m: re.Match[str]) -> str:
        whole: str = m.group(0)
        if m.group(1) not in values:
            return whole
        try:
            return _fill(m, values)
        except RenderError as exc:
            if strict:
                raise RenderError(f"cannot fill {m.group(0)}: {exc}") from None
            if m.group(2):
                return whole
            try:
                return format_value(values[m.group(1)])
            except Exception:  # noqa: BLE001 - a value that cannot be shown at all
                return whole

    return PLACEHOLDER_RE.sub(sub, text).replace("{{", "{").replace("}}", "}")


# ---------------------------------------------------------------- aligned blocks

#: how a block is indented: four spaces make it a code block in Markdown, whose widget
#: keeps its columns, and read as an indented display in plain text
BLOCK_INDENT = "    "
_BRACKETS = {"one": ("[ ", " ]"), "top": ("⎡ ", " ⎤"), "mid": ("⎢ ", " ⎥"), "bottom": ("⎣ ", " ⎦")}


def is_matrix(m: re.Match[str]) -> bool:
    """Whether a placeholder match is ``{name:matrix}`` or ``{name:matrix:spec}``."""
    fmt = m.group(3)
    return fmt is not None and (fmt == "matrix" or fmt.startswith("matrix:"))


def _split_cell(cell: str) -> tuple[str, str]:
    """A formatted number cut where columns align: before its decimal point (or its
    exponent, or its end)."""
    for mark in (".", "e", "E", "%"):
        at = cell.find(mark)
        if at >= 0:
            return cell[:at], cell[at:]
    return cell, ""


def matrix_lines(value: Any, fmt: str | None = None) -> list[str]:
    """A vector (as a column) or a matrix as lines of text, each entry formatted with
    ``fmt`` (as ``{x}`` shows it without one), columns aligned on the decimal point::

        ⎡  0.5  -1.25 ⎤
        ⎣ 12.0   3.0  ⎦
    """
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, list) or not value:
        raise RenderError("is a single number, not a vector or matrix: write it without :matrix")
    rows = [row if isinstance(row, list) else [row] for row in value]
    if len({len(row) for row in rows}) != 1 or any(isinstance(v, list) for row in rows for v in row):
        raise RenderError("is not a vector or a matrix (rows of equal length)")
    cells = [[_split_cell(format_value(v, fmt)) for v in row] for row in rows]
    widths = [(max(len(row[j][0]) for row in cells), max(len(row[j][1]) for row in cells)) for j in range(len(rows[0]))]
    lines = ["  ".join(head.rjust(wl) + tail.ljust(wr) for (head, tail), (wl, wr) in zip(row, widths)) for row in cells]
    if len(lines) == 1:
        return [_BRACKETS["one"][0] + lines[0] + _BRACKETS["one"][1]]
    places = ["top", *["mid"] * (len(lines) - 2), "bottom"]
    return [_BRACKETS[p][0] + line + _BRACKETS[p][1] for p, line in zip(places, lines)]


def _matrix(m: re.Match[str], values: dict[str, Any]) -> list[str]:
    name, index, fmt = m.group(1), m.group(2), m.group(3)[len("matrix:"):] or None
    if fmt is not None:
        _check_spec(fmt)
    value = values[name]
    try:
        if index:
            value = formula.evaluate(f"{name}{index}", values)
        return matrix_lines(value, fmt)
    except RenderError as exc:
        raise RenderError(f"{name}{index} {exc}") from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, ArithmeticError) as exc:
        raise RenderError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def _render_blocks(text: str, values: dict[str, Any], strict: bool) -> str:
    """``render`` for a text with ``{name:matrix}`` placeholders: each line holding one is
    laid out as a block (the text around each matrix on its middle row, several matrices
    side by side), indented and set apart by blank lines."""
    out: list[str] = []
    apart = False  # a block was just laid out: a line of text after it starts a new paragraph
    for line in text.split("\n"):
        if apart and line.strip():
            out.append("")
        apart = False
        found = [m for m in PLACEHOLDER_RE.finditer(line) if is_matrix(m) and m.group(1) in values]
        blocks: list[list[str]] = []
        at = 0
        for m in found:
            try:
                block = _matrix(m, values)
            except RenderError as exc:
                if strict:
                    raise RenderError(f"cannot fill {m.group(0)}: {exc}") from None
                continue  # shown inline by _render_line: the plain value
            blocks.append([_render_line(line[at : m.start()], values, strict)])
            blocks.append(block)
            at = m.end()
        if not blocks:
            out.append(_render_line(line, values, strict))
            continue
        blocks.append([_render_line(line[at:], values, strict)])
        height = max(len(b) for b in blocks)
        rows = [""] * height
        for block in blocks:
            width, top = max(len(s) for s in block), (height - len(block)) // 2
            for r in range(height):
                rows[r] += block[r - top].ljust(width) if 0 <= r - top < len(block) else " " * width
        if out and out[-1].strip():
            out.append("")
        out += [BLOCK_INDENT + row.rstrip() for row in rows]
        apart = True
    return "\n".join(out)


def placeholders(text: str) -> set[str]:
    """The param names a text refers to with ``{name}``."""
    return {m.group(1) for m in PLACEHOLDER_RE.finditer(text)}
