"""Numbers typed by learners, and how close they must be.

Accepted input: plain numbers (``0.25``, ``-1.4``, ``.5``), scientific notation
(``4.54e-5``, ``4.54×10^-5``), fractions (``-7/5``), vectors (``[0.1, -0.2]`` or
``0.1, -0.2``) and matrices (``[[1, 2], [3, 4]]``, or rows split by ``;`` or new lines:
``1, 2; 3, 4``). Parsing is a small hand-written scanner: nothing typed is ever evaluated
as code.

Input the scanner cannot read is tried as constant arithmetic, entry by entry
(``1/(1+e^-0.51)``, ``[2^-1, 0.25^5]``; see ``arith``): an arithmetic entry counts as
exact, like a fraction, and ``read_number`` says how it was read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Iterable, Protocol, TypeAlias

from quizact.textsafe import caret

if TYPE_CHECKING:
    from quizact.packs.models import Card

MAX_LEN = 2000
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TIMES_TEN = re.compile(r"\s*[*x×·]\s*10\s*(?:\^|\*\*)\s*\(?\s*([+-]?\d+)\s*\)?")


class NumberError(ValueError):
    """Input that is not a number (or vector of numbers): costs no attempt."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.message = message
        self.pos = pos

    def caret_line(self, text: str) -> str:
        if self.pos is None:
            return self.message
        shown, col = caret(text, self.pos)  # controls shown escaped, the caret still under pos
        return f"{shown}\n{' ' * col}^\n{self.message}"


@dataclass(frozen=True)
class Typed:
    """One number as typed: its value and how many significant digits it carries."""

    value: float
    digits: int | None  # None for exact input such as fractions and integers


#: A number box's value: one ``Typed``, or a (nested) list of them.
Numbers: TypeAlias = "Typed | list[Numbers]"


class Tol(Protocol):
    """What numbers are compared and printed by: a card's ``Tolerance``, or ``FULL``/``FOUR``."""

    @property
    def rtol(self) -> float: ...
    @property
    def atol(self) -> float | None: ...
    @property
    def sigfigs(self) -> int | None: ...
    @property
    def decimals(self) -> int | None: ...


def _normalise(text: str) -> str:
    return (
        text.replace("−", "-").replace("–", "-").replace("\u2009", "").replace("\u00a0", " ")
    )


def _sig_digits(literal: str) -> int | None:
    mantissa = re.split(r"[eE]", literal.lstrip("+-"))[0]
    if "." not in mantissa:
        return None  # an integer such as 2 is taken as exact
    digits = mantissa.replace(".", "").lstrip("0")
    return max(len(digits), 1)


def _fraction(literal: str, pos: int) -> Fraction:
    """The exact value of a literal, refusing huge exponents before computing anything."""
    exp_part = re.search(r"[eE]([+-]?\d+)$", literal)
    if exp_part and (len(exp_part.group(1)) > 5 or abs(int(exp_part.group(1))) > 300):
        raise NumberError("number out of range", pos + len(literal))
    if len(literal) > 60:
        raise NumberError("too many digits", pos)
    return Fraction(literal)


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.i = 0

    def skip(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t":
            self.i += 1

    def peek(self) -> str:
        self.skip()
        return self.text[self.i] if self.i < len(self.text) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise NumberError(f"expected '{ch}'", self.i)
        self.i += 1

    def number(self) -> Typed:
        self.skip()
        m = _NUMBER.match(self.text, self.i)
        if not m:
            word = re.match(r"[A-Za-z]+", self.text[self.i:])
            if word and word.group(0).lower() in ("nan", "inf", "infinity"):
                raise NumberError("give a finite number", self.i)
            raise NumberError("expected a number", self.i)
        literal = m.group(0)
        value = _fraction(literal, self.i)
        self.i = m.end()
        digits = _sig_digits(literal)
        times = _TIMES_TEN.match(self.text, self.i)
        if times:
            exp = int(times.group(1))
            if abs(exp) > 300:
                raise NumberError("exponent out of range", self.i)
            value *= Fraction(10) ** exp
            digits = digits or len(literal.lstrip("+-").lstrip("0")) or 1
            self.i = times.end()
        if self.peek() == "/":
            self.i += 1
            self.skip()
            start = self.i
            d = _NUMBER.match(self.text, self.i)
            if not d:
                raise NumberError("expected a denominator", self.i)
            self.i = d.end()
            denominator = _fraction(d.group(0), start)
            if denominator == 0:
                raise NumberError("division by zero", start)
            value /= denominator
            digits = None
        try:
            as_float = float(value)
        except OverflowError:
            as_float = math.inf
        if not math.isfinite(as_float):
            raise NumberError("number out of range", self.i)
        return Typed(as_float, digits)

    def item(self, depth: int) -> Numbers:
        if depth > 3:
            raise NumberError("nested too deeply", self.i)
        if self.peek() == "[":
            self.i += 1
            items = [self.item(depth + 1)]
            while self.peek() == ",":
                self.i += 1
                items.append(self.item(depth + 1))
            self.expect("]")
            return items
        return self.number()


def parse_number(text: str, forbid: Iterable[str] = ()) -> Any:
    """Parse a learner's number, vector or matrix into nested lists of ``Typed``."""
    return read_number(text, forbid).value


@dataclass(frozen=True)
class Reading:
    """A number box's text as read: nested ``Typed`` values and, when an entry was
    arithmetic, how the whole was read (``[1/2, 0.3]``); ``shown`` is None otherwise."""

    value: Any
    shown: str | None = None


def read_number(text: str, forbid: Iterable[str] = ()) -> Reading:
    """Read a number box: the plain scanner first, then arithmetic entry by entry.

    ``forbid``: canonical function names refused in arithmetic (the card's subject). A
    column in a ``NumberError`` is in the stripped text.
    """
    if not isinstance(text, str):
        raise NumberError("expected text")
    if len(text) > MAX_LEN:
        raise NumberError(f"answer longer than {MAX_LEN} characters")
    text = _normalise(text).strip()
    if not text:
        raise NumberError("empty answer: type a number")
    if ";" in text or "\n" in text:
        rows, where = _rows(text)
        if ";" in rows or "\n" in rows:  # a split inside unbalanced brackets: these are not rows
            at = min(i for i, ch in enumerate(text) if ch in ";\n")
            raise NumberError("unexpected ';': rows are split by ; or new lines outside brackets"
                              if text[at] == ";" else "unexpected line break inside brackets", at)
        try:
            return read_number(rows, forbid)
        except NumberError as exc:  # its column, in the text as typed
            pos = exc.pos if exc.pos is None else where[exc.pos] if exc.pos < len(where) else len(text)
            raise NumberError(exc.message, pos) from None
    scanner = _Scanner(text)
    try:
        items = [scanner.item(0)]
        while scanner.peek() == ",":
            scanner.i += 1
            items.append(scanner.item(0))
        if scanner.peek():
            raise NumberError(f"unexpected '{scanner.peek()}'", scanner.i)
    except NumberError:  # not plain numbers: each entry may be arithmetic
        from quizact.grading.arith import read_entries

        value, shown = read_entries(text, frozenset(forbid))
        reading = Reading(value, shown)
    else:
        reading = Reading(items[0] if len(items) == 1 else items)
    _check_rectangular(reading.value)
    return reading


_OPEN, _CLOSE = "[(", "])"


def _top_level(text: str, stops: str) -> list[int]:
    """Positions of the characters of ``stops`` outside brackets and parentheses."""
    depth, out = 0, []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif depth == 0 and ch in stops:
            out.append(i)
    return out


def _bracketed(text: str) -> bool:
    """Whether ``text`` is one bracketed list: ``[`` at its start matched by ``]`` at its end."""
    if not (text.startswith("[") and text.endswith("]")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in _OPEN
        depth -= ch in _CLOSE
        if depth == 0:
            return i == len(text) - 1
    return False


def _rows(text: str) -> tuple[str, list[int]]:
    """Rows separated by ``;`` or new lines (``1, 2; 3, 4``, also inside one pair of
    brackets: ``[1, 2; 3, 4]``) as the nested list they stand for (``[[1, 2], [3, 4]]``),
    and, for each character of it, the position in ``text`` it comes from (for a caret)."""
    start, inner = 0, text
    if _bracketed(text) and _top_level(text[1:-1], ";\n"):
        start, inner = 1, text[1:-1]
    cuts = [-1, *_top_level(inner, ";\n"), len(inner)]
    out, where = ["["], [start]
    for a, b in zip(cuts, cuts[1:]):
        piece = inner[a + 1 : b]
        if not piece.strip():
            continue  # a blank line, or a ; closing the last row
        lead = len(piece) - len(piece.lstrip())
        piece, at = piece.strip(), start + a + 1 + lead
        if len(out) > 1:
            out.append(", ")
            where += [at, at]
        wrap = not _bracketed(piece)
        if wrap:
            out.append("[")
            where.append(at)
        out.append(piece)
        where += range(at, at + len(piece))
        if wrap:
            out.append("]")
            where.append(at + len(piece))
    out.append("]")
    where.append(len(text))
    return "".join(out), where


def _shape(x: Numbers) -> tuple[int, ...]:
    if isinstance(x, Typed):
        return ()
    inner = {_shape(i) for i in x}
    if len(inner) != 1:
        raise NumberError("rows of different lengths")
    return (len(x), *inner.pop())


def _check_rectangular(x: Numbers) -> None:
    _shape(x)


def flatten(x: Numbers) -> list[Typed]:
    if isinstance(x, Typed):
        return [x]
    return [t for item in x for t in flatten(item)]


def shape_of(x: Numbers) -> tuple[int, ...]:
    return _shape(x)


@dataclass(frozen=True)
class Closeness:
    ok: bool
    precision: bool = False  # right to the digits given, but too few digits


SLACK = 1 + 1e-9  # a value printed exactly at the edge (0.5 units of the last digit) is in


def half_width(expected: float, tol: Tol) -> float:
    """How far an answer may lie from ``expected`` and still be right under ``tol``.

    ``decimals: N``: half a unit of the Nth decimal; ``sigfigs: N``: half a unit of the Nth
    significant figure of the expected value (0 when it is 0); otherwise ``rtol`` times the
    expected value. ``atol`` is added only where a card writes it.
    """
    if tol.decimals is not None:
        width = 0.5 * 10.0 ** -tol.decimals
    elif tol.sigfigs:
        width = 0.0 if expected == 0 else 0.5 * 10.0 ** (_exponent(expected) - tol.sigfigs + 1)
    else:
        width = tol.rtol * abs(expected)
    return width * SLACK + (tol.atol or 0.0)


def within(value: float, expected: float, tol: Tol) -> bool:
    return abs(value - expected) <= half_width(expected, tol)


def _exponent(x: float) -> int:
    """The power of ten of ``x``'s leading digit (``4.54e-5`` -> -5)."""
    return int(math.floor(math.log10(abs(x))))


def _too_few_digits(t: Typed, expected: float, tol: Tol) -> bool:
    """Right to the digits the learner gave, but fewer digits than the card asks for."""
    if t.digits is None or expected == 0 or t.value == 0:
        return False
    own = 0.5 * 10 ** (_exponent(t.value) - t.digits + 1) * SLACK
    if abs(t.value - expected) > own:
        return False
    if tol.decimals is not None:
        return t.digits - _exponent(t.value) - 1 < tol.decimals
    return t.digits < digits_needed(tol)


def compare(typed: list[Typed], expected: list[float], tol: Tol) -> Closeness:
    """Compare flattened typed numbers with flattened expected values under ``tol``."""
    precision = False
    ok = True
    for t, e in zip(typed, expected):
        if within(t.value, e, tol):
            continue
        ok = False
        if _too_few_digits(t, e, tol):
            precision = True
            continue
        precision = False
        break
    return Closeness(True) if ok else Closeness(False, precision=precision)


def digits_needed(tol: Tol) -> int:
    """Significant figures that always pass ``tol`` (its own count for ``sigfigs``)."""
    if tol.sigfigs:
        return tol.sigfigs
    return max(2, math.ceil(-math.log10(max(tol.rtol, 1e-15))) + 1)


def precision_request(tol: Tol) -> str:
    """What to ask a learner for: ``3 significant figures``, ``2 decimal places``."""
    if tol.decimals is not None:
        return f"{tol.decimals} decimal place{'s' if tol.decimals != 1 else ''}"
    n = digits_needed(tol)
    return f"{n} significant figure{'s' if n != 1 else ''}"


EXACT = 1e-6  # a relative tolerance this tight asks for the exact value


def precision_label(tol: Tol) -> str:
    """The precision a card asks for, short enough to sit beside an answer box.

    ``3 s.f.``, ``2 d.p.``, ``±0.1 %`` (a relative tolerance), ``±0.01`` (an absolute one).
    """
    atol = f"±{_short(tol.atol)}" if tol.atol else ""
    if tol.decimals is not None:
        main = f"{tol.decimals} d.p."
    elif tol.sigfigs:
        main = f"{tol.sigfigs} s.f."
    elif tol.rtol and tol.rtol <= EXACT:
        main = "exact"
    elif tol.rtol:
        main = f"±{_short(tol.rtol * 100)} %"
    else:
        return atol or "exact"
    return f"{main} (or {atol})" if atol else main


def precision_labels(card: Card) -> list[str]:
    """The precision each answer box of ``card`` asks for; ``""`` for a non-numeric answer."""
    from quizact.kinds import items_of, spec_of

    numbers = [id(i) for i in items_of(card, "numeric")]
    return [precision_label(i.tolerance) if id(i) in numbers else "" for i in spec_of(card).items(card)] or [""]


def _short(x: float) -> str:
    return _plain(f"{x:.3g}")


def _plain(text: str) -> str:
    """``4.54e-05`` -> ``4.54e-5``."""
    return re.sub(r"e([+-])0*(\d)", lambda m: f"e{'-' if m.group(1) == '-' else ''}{m.group(2)}", text)


def format_number(x: float, tol: Tol) -> str:
    """One expected number at the precision ``tol`` asks for; never ``-0``.

    ``sigfigs: 3`` -> ``0.500``, ``4.54e-5``; ``decimals: 2`` -> ``0.10``; a relative
    tolerance -> the digits that always pass it, trailing zeros dropped (``0.4992``).
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if tol.decimals is not None:
        text = f"{x:.{tol.decimals}f}"
        return text.lstrip("-") if float(text) == 0 else text
    n = digits_needed(tol)
    rounded = float(f"{x:.{n - 1}e}")
    if rounded == 0:
        return "0"
    exp = _exponent(rounded)
    if -4 <= exp < 6:
        text = f"{rounded:.{max(0, n - 1 - exp)}f}"
    else:
        text = f"{rounded:.{n - 1}e}"
    if not tol.sigfigs:  # a relative tolerance names no digit count: drop trailing zeros
        mantissa, _, power = text.partition("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = mantissa + ("e" + power if power else "")
    return _plain(text)


@dataclass(frozen=True)
class _Full:
    """A tolerance-like rule that prints numbers at full precision (12 significant figures)."""

    rtol: float = 1e-11
    atol: float | None = None
    sigfigs: int | None = None
    decimals: int | None = None


FULL = _Full()


def format_expected(value: Any, tol: Tol) -> str:
    """An expected number, vector or matrix at the card's precision: ``[0.659, 0.242]``."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_expected(v, tol) for v in value) + "]"
    if hasattr(value, "tolist"):
        return format_expected(value.item() if value.size == 1 else value.tolist(), tol)
    return format_number(value, tol)


@dataclass(frozen=True)
class _Four:
    """A tolerance-like rule that prints numbers to 4 significant figures, trailing
    zeros dropped (``0.6248``, ``-4``)."""

    rtol: float = 1e-3
    atol: float | None = None
    sigfigs: int | None = None
    decimals: int | None = None


FOUR = _Four()


def interpreted(reading: Reading, tol: Tol | None = None) -> str | None:
    """How an arithmetic answer was read, with its value at the card's precision (4
    significant figures without one): ``1/(1 + e^(−0.51)) = 0.6248``; None for plain
    numbers."""
    if reading.shown is None:
        return None

    def values(x: Numbers) -> str:
        if isinstance(x, list):
            return "[" + ", ".join(values(v) for v in x) + "]"
        text = format_number(x.value, tol or FOUR)
        return "−" + text[1:] if text.startswith("-") else text

    return f"{reading.shown} = {values(reading.value)}"
