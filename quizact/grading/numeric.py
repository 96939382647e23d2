"""Numbers typed by learners, and how close they must be.

Accepted input: plain numbers (``0.25``, ``-1.4``, ``.5``), scientific notation
(``4.54e-5``, ``4.54×10^-5``), fractions (``-7/5``), vectors (``[0.1, -0.2]`` or
``0.1, -0.2``) and matrices (``[[1, 2], [3, 4]]``). Parsing is a small hand-written
scanner: nothing typed is ever evaluated as code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from quizact.textsafe import caret

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

    def item(self, depth: int):
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


def parse_number(text: str):
    """Parse a learner's number, vector or matrix into nested lists of ``Typed``."""
    if not isinstance(text, str):
        raise NumberError("expected text")
    if len(text) > MAX_LEN:
        raise NumberError(f"answer longer than {MAX_LEN} characters")
    text = _normalise(text).strip()
    if not text:
        raise NumberError("empty answer: type a number")
    scanner = _Scanner(text)
    items = [scanner.item(0)]
    while scanner.peek() == ",":
        scanner.i += 1
        items.append(scanner.item(0))
    if scanner.peek():
        raise NumberError(f"unexpected '{scanner.peek()}'", scanner.i)
    result = items[0] if len(items) == 1 else items
    _check_rectangular(result)
    return result


def _shape(x) -> tuple[int, ...]:
    if isinstance(x, Typed):
        return ()
    inner = {_shape(i) for i in x}
    if len(inner) != 1:
        raise NumberError("rows of different lengths")
    return (len(x), *inner.pop())


def _check_rectangular(x) -> None:
    _shape(x)


def flatten(x) -> list[Typed]:
    if isinstance(x, Typed):
        return [x]
    return [t for item in x for t in flatten(item)]


def shape_of(x) -> tuple[int, ...]:
    return _shape(x)


@dataclass(frozen=True)
class Closeness:
    ok: bool
    precision: bool = False  # right to the digits given, but too few digits
    worst: int = 0  # index (flattened) of the worst entry


def within(value: float, expected: float, rtol: float, atol: float, sigfigs: int | None) -> bool:
    if sigfigs:
        if expected == 0:
            return abs(value) <= atol
        half_ulp = 0.5 * 10 ** (math.floor(math.log10(abs(expected))) - sigfigs + 1)
        return abs(value - expected) <= half_ulp * (1 + 1e-9) + atol
    return abs(value - expected) <= atol + rtol * abs(expected)


def compare(typed: list[Typed], expected: list[float], rtol: float, atol: float, sigfigs: int | None) -> Closeness:
    """Compare flattened typed numbers with flattened expected values."""
    precision, worst, worst_err = False, 0, -1.0
    ok = True
    for k, (t, e) in enumerate(zip(typed, expected)):
        err = abs(t.value - e) / (abs(e) + atol)
        if err > worst_err:
            worst, worst_err = k, err
        if within(t.value, e, rtol, atol, sigfigs):
            continue
        ok = False
        if t.digits is not None and e != 0:
            half_ulp = 0.5 * 10 ** (math.floor(math.log10(abs(t.value or e))) - t.digits + 1)
            need = sigfigs or 3
            if abs(t.value - e) <= half_ulp * (1 + 1e-9) and t.digits < need + 2:
                precision = True
                continue
        precision = False
        break
    if ok:
        return Closeness(True, worst=worst)
    return Closeness(False, precision=precision, worst=worst)


def digits_needed(rtol: float, sigfigs: int | None) -> int:
    """Significant figures a learner should give to pass the tolerance comfortably."""
    if sigfigs:
        return sigfigs
    return max(2, math.ceil(-math.log10(max(rtol, 1e-15))) + 1)
