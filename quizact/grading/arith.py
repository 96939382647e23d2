"""Constant arithmetic typed in a number box: ``1/(1+e^-0.51)``, ``0.25^5``, ``2^-1``.

An entry of a number box that is not a plain number is read by the learner's formula
parser (``expr._Parser``, the same tokens, precedence and function names as a formula
answer) with no variables, then evaluated here by walking its tree with mpmath: no
sympy, no ``eval``. Decimals are read as the decimals they spell, and the value is
computed at 30 and then 60 significant digits (doubling up to ``MAX_DIGITS``) until two
precisions agree far below float64's own rounding, so ``(1 + 1e-12) - 1`` is exactly
``1e-12`` and an expression is graded as typing its value would be.

Precedence is Python's: ``-2^2`` is ``-(2^2) = -4``, ``2^3^2`` is ``2^(3^2)``; ``e^x``
is exp(x); a number written next to a name or ``(`` is multiplied (``2pi``), two numbers
side by side are refused.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Iterable

from quizact.functions import LEARNER
from quizact.grading.expr import MAX_NUMBER_CHARS, Node, _Parser
from quizact.grading.lexer import DEFAULT_FUNCTIONS, DISPLAY, AnswerError
from quizact.grading.numeric import NumberError, Typed, _Scanner

#: Most digits an evaluation may use before it gives up on an expression that cancels.
MAX_DIGITS = 480
#: Largest power of ten an intermediate value may reach.
MAX_MAGNITUDE = 1000
MAX_BITS = int(MAX_MAGNITUDE * 3.3219)  # the same, as a power of two
#: A final value must lie in float64's normal range (like a typed number: 1e-300 … 1e300).
MAX_DECADE = 300


class ArithError(ValueError):
    """An entry that is not constant arithmetic; ``pos`` is a 0-based column in it."""

    def __init__(self, message: str, pos: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass(frozen=True)
class Arith:
    """One evaluated entry: its value and how it was read (``1/(1 + e^(−0.51))``)."""

    value: float
    shown: str


class _NumberParser(_Parser):
    """The formula parser with no variables, and number-box wording for what it refuses."""

    def unknown(self, name: str) -> str:
        if name.lower() in ("nan", "inf", "infinity"):
            return "give a finite number"
        return f"'{name}' is not a number: type a number or arithmetic (no variables)"

    def primary(self) -> Node:
        tok = self.peek()
        if tok.kind == "num":
            _, _, exponent = tok.text.lower().partition("e")
            if exponent and (len(exponent.lstrip("+-")) > 5 or abs(int(exponent)) > MAX_DECADE):
                raise AnswerError("number out of range", tok.pos)
            if len(tok.text) > MAX_NUMBER_CHARS:
                raise AnswerError("too many digits", tok.pos)
        if self.is_op(tok, "(") and self.is_op(self.peek(1), ")"):
            raise AnswerError("empty parentheses: put a number or arithmetic inside", tok.pos)
        return super().primary()


def parse_tree(text: str) -> Node:
    """The parser's tree of ``text`` (no variables); raises ``ArithError`` with a column."""
    try:
        parser = _NumberParser(text, (), (), DEFAULT_FUNCTIONS)
        return parser.parse()
    except AnswerError as err:
        raise ArithError(err.message, err.pos) from None
    except RecursionError:
        raise ArithError("too complex (nested too deeply)", 0) from None


def read(text: str, forbid: Iterable[str] = ()) -> Arith:
    """Evaluate one entry; refuse any function in ``forbid`` (canonical names)."""
    tree = parse_tree(text)
    refused = _first_forbidden(tree, frozenset(forbid))
    if refused is not None:
        func, pos = refused
        typed = _typed_name(text, pos)
        raise ArithError(f"this card asks you to compute {DISPLAY.get(func, func)} yourself: "
                         f"type the number or arithmetic without {typed}", pos)  # fmt: skip
    return Arith(evaluate(tree), show(tree))


def _typed_name(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[pos:end] or text[pos : pos + 1]


def _first_forbidden(tree: Node, forbid: frozenset[str]) -> tuple[str, int] | None:
    """The leftmost use of a refused function (``e^x`` counts as exp), if any."""
    if not forbid:
        return None
    found: list[tuple[int, str]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.kind == "call" and node.value in forbid:
            found.append((node.pos, node.value))
        if node.kind == "pow" and node.args[0].kind == "const" and node.args[0].value == "e" and "exp" in forbid:
            found.append((node.args[0].pos, "exp"))
        stack.extend(node.args)
    if not found:
        return None
    pos, func = min(found)
    return func, pos


# ---------------------------------------------------------------- a number box's entries


def read_entries(text: str, forbid: frozenset[str]) -> tuple[Any, str | None]:
    """A number box's text (normalised and stripped) as nested ``Typed`` values and how
    it was read (None when no entry was arithmetic); raises ``NumberError``. Control
    characters are refused where they stand, as the plain scanner refuses them."""
    for i, ch in enumerate(text):
        if ch not in " \t" and (ch.isspace() or not ch.isprintable()):
            raise NumberError(f"unexpected '{ch}'", i)
    return _Entries(text, forbid).read()


class _Entries:
    """Brackets and commas as the scanner reads them; each entry a plain number or
    constant arithmetic (commas inside parentheses belong to a function's arguments)."""

    def __init__(self, text: str, forbid: frozenset[str]):
        self.text, self.forbid = text, forbid
        self.i = 0
        self.arithmetic = False

    def peek(self) -> str:
        while self.i < len(self.text) and self.text[self.i] in " \t":
            self.i += 1
        return self.text[self.i] if self.i < len(self.text) else ""

    def read(self) -> tuple[Any, str | None]:
        items = [self.item(0)]
        while self.peek() == ",":
            self.i += 1
            items.append(self.item(0))
        if self.peek():
            raise NumberError(f"unexpected '{self.peek()}'", self.i)
        values = [v for v, _ in items]
        shown = [s for _, s in items]
        value, text = (values[0], shown[0]) if len(items) == 1 else (values, "[" + ", ".join(shown) + "]")
        return value, (text if self.arithmetic else None)

    def item(self, depth: int) -> tuple[Any, str]:
        if depth > 3:
            raise NumberError("nested too deeply", self.i)
        if self.peek() == "[":
            self.i += 1
            items = [self.item(depth + 1)]
            while self.peek() == ",":
                self.i += 1
                items.append(self.item(depth + 1))
            if self.peek() != "]":
                raise NumberError("expected ']'", self.i)
            self.i += 1
            return [v for v, _ in items], "[" + ", ".join(s for _, s in items) + "]"
        return self.entry()

    def entry(self) -> tuple[Typed, str]:
        start = self.i
        parens = 0
        while self.i < len(self.text):
            ch = self.text[self.i]
            if ch == "(":
                parens += 1
            elif ch == ")":
                parens -= 1
            elif parens <= 0 and ch in ",[]":
                break
            self.i += 1
        raw = self.text[start : self.i]
        lead = len(raw) - len(raw.lstrip(" \t"))
        body = raw.strip(" \t")
        if not body:
            raise NumberError("expected a number", start)
        plain = _Scanner(body)
        try:
            typed = plain.number()
            if plain.peek() == "":
                return typed, body
        except NumberError:
            pass
        try:
            got = read(body, self.forbid)
        except ArithError as err:
            raise NumberError(err.message, start + lead + err.pos) from None
        self.arithmetic = True
        return Typed(got.value, None), got.shown


# ---------------------------------------------------------------- evaluation


class _Fail(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message, self.pos = message, pos


_local = threading.local()


def _context() -> Any:
    """This thread's own mpmath context: its precision is set here without touching the
    global one that sympy (a formula preview in another thread) relies on."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        from mpmath.ctx_mp import MPContext

        ctx = _local.ctx = MPContext()
    return ctx


def evaluate(tree: Node) -> float:
    """The float nearest the value of ``tree``, decided in high precision."""
    mp = _context()
    before = None
    digits = 30
    while True:
        mp.dps = digits
        try:
            value, scale = _Eval(mp).run(tree)
        except _Fail as fail:
            raise ArithError(fail.message, fail.pos) from None
        noise = scale * mp.mpf(10) ** (8 - digits)
        if before is not None:
            (v1, n1), v2 = before, value
            if abs(v2) <= noise and abs(v1) <= n1:
                return 0.0  # zero up to rounding at both precisions (sin(pi), 1 - 1)
            if abs(v1 - v2) <= abs(v2) * mp.mpf(10) ** -22:
                return _final(mp, v2, tree.pos)
        before = (value, noise)
        if digits >= MAX_DIGITS:
            raise ArithError("its terms cancel too much to evaluate: type its value", tree.pos)
        digits = min(2 * digits, MAX_DIGITS)


def _final(mp: Any, value: Any, pos: int) -> float:
    if value == 0:
        return 0.0
    if not (-MAX_DECADE <= float(mp.log10(abs(value))) <= MAX_DECADE):
        raise ArithError("number out of range", pos)
    return float(value)


class _Eval:
    """One walk of a tree at the current working precision; ``scale``: the largest
    intermediate magnitude (what rounding errors are relative to)."""

    def __init__(self, mp: Any) -> None:
        self.mp = mp
        self.scale = mp.mpf(1)

    def run(self, tree: Node) -> tuple[Any, Any]:
        value = self.node(tree)
        if isinstance(value, bool):
            raise _Fail("a comparison is not a number", tree.pos)
        return value, self.scale

    def check(self, x: Any, pos: int) -> Any:
        mp = self.mp
        if isinstance(x, mp.mpc):
            raise _Fail("not a real number", pos)
        if not mp.isfinite(x):
            raise _Fail("number out of range", pos)
        if x != 0 and abs(mp.mag(x)) > MAX_BITS:  # mag: a cheap bound on log2|x|
            raise _Fail("number out of range", pos)
        if abs(x) > self.scale:
            self.scale = abs(x)
        return x

    def node(self, n: Node) -> Any:
        mp, k = self.mp, n.kind
        if k == "num":
            return self.check(mp.mpf(n.value), n.pos)
        if k == "const":
            return +mp.e if n.value == "e" else +mp.pi
        if k == "cmp":
            a, b = (self.node(x) for x in n.args)
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[n.value]
        if k == "call" and n.value == "where":
            cond = self.node(n.args[0])
            return self.node(n.args[1] if cond else n.args[2])
        vals = [self.node(x) for x in n.args]
        if any(isinstance(v, bool) for v in vals):
            raise _Fail("comparisons are only allowed inside where(...)", n.pos)
        if k == "neg":
            return -vals[0]
        if k == "add":
            return self.check(vals[0] + vals[1], n.pos)
        if k == "sub":
            return self.check(vals[0] - vals[1], n.pos)
        if k == "mul":
            return self.check(vals[0] * vals[1], n.pos)
        if k == "div":
            if vals[1] == 0:
                raise _Fail("division by zero", n.pos)
            return self.check(vals[0] / vals[1], n.pos)
        if k == "pow":
            return self.power(vals[0], vals[1], n)
        if k == "call":
            return self.call(n.value, vals, n.pos)
        raise _Fail(f"'{n.value or k}' is not allowed in a number", n.pos)

    def power(self, base: Any, ex: Any, n: Node) -> Any:
        mp = self.mp
        if base == 0:
            if ex < 0:
                raise _Fail("division by zero (0 to a negative power)", n.pos)
            return mp.mpf(1) if ex == 0 else mp.mpf(0)
        if base < 0 and ex != int(ex):
            raise _Fail("not a real number (a negative number to a fractional power)", n.pos)
        if abs(ex) * abs(float(mp.log10(abs(base)))) > MAX_MAGNITUDE:
            raise _Fail("number out of range", n.pos)
        return self.check(mp.power(base, ex), n.pos)

    def call(self, name: str, vals: list[Any], pos: int) -> Any:
        mp = self.mp
        x = vals[0]
        if name in ("exp", "sinh", "cosh") and abs(x) > MAX_MAGNITUDE * 2.3:
            raise _Fail("number out of range", pos)
        if name == "log":
            if x <= 0 or (len(vals) > 1 and (vals[1] <= 0 or vals[1] == 1)):
                raise _Fail("logarithm of a number ≤ 0 (or to base 1)", pos)
            return self.check(mp.log(x) if len(vals) == 1 else mp.log(x) / mp.log(vals[1]), pos)
        if name == "sqrt":
            if x < 0:
                raise _Fail("square root of a negative number", pos)
            return self.check(mp.sqrt(x), pos)
        if name == "tan" and mp.cos(x) == 0:
            raise _Fail("division by zero (tan of an odd multiple of π/2)", pos)
        fn = _MP_FUNCS.get(name)
        if fn is None:
            raise _Fail(f"function '{name}' is not allowed in a number", pos)
        return self.check(fn(mp, *vals), pos)


#: The learner's functions -> their mpmath forms ``(mp, *args)``, from the function table.
_MP_FUNCS = {n: f.mpmath for n, f in LEARNER.items() if f.mpmath is not None}


# ---------------------------------------------------------------- how it was read

_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def _prec(n: Node) -> int:
    return _PREC.get(n.kind, 5)


def show(n: Node) -> str:
    """The tree as read, with the parentheses that make its grouping plain:
    ``1/(1 + e^(−0.51))``, ``−(2^2)``, ``σ(0.5)``."""
    k = n.kind
    if k == "num":
        return n.value
    if k == "const":
        return "e" if n.value == "e" else "π"
    if k == "neg":
        inner = n.args[0]
        return "−" + (_wrap(inner) if _prec(inner) < 5 else show(inner))
    if k in ("add", "sub"):
        a, b = n.args
        right = _wrap(b) if _prec(b) <= 1 or b.kind == "neg" else show(b)
        return f"{show(a)} {'+' if k == 'add' else '−'} {right}"
    if k in ("mul", "div"):
        a, b = n.args
        left = _wrap(a) if _prec(a) < 2 else show(a)
        right = _wrap(b) if _prec(b) <= 2 or b.kind == "neg" else show(b)
        return f"{left}{'·' if k == 'mul' else '/'}{right}"
    if k == "pow":
        a, b = n.args
        base = _wrap(a) if _prec(a) <= 4 else show(a)
        ex = show(b) if b.kind in ("num", "const") else _wrap(b)
        return f"{base}^{ex}"
    if k == "cmp":
        a, b = n.args
        return f"{show(a)} {n.value.replace('<=', '≤').replace('>=', '≥')} {show(b)}"
    if k == "call":
        if n.value == "abs":
            return f"|{show(n.args[0])}|"
        name = DISPLAY.get(n.value, n.value)
        if n.value == "log" and len(n.args) == 2:
            name = "log"
        return f"{name}({', '.join(show(a) for a in n.args)})"
    return n.value


def _wrap(n: Node) -> str:
    return f"({show(n)})"
