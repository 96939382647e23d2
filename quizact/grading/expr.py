"""Safe parser for the formulas learners type: own tokenizer + Pratt parser, no eval.

``parse(text, variables)`` accepts what people write on paper (``2z``, ``e^-z``, ``σ(z)``,
``tanh²(z)``, ``|z|``, ``z(1-z)``) and builds the sympy expression directly from a
whitelist of names, after checking size caps on its own tree. Nothing the learner typed
reaches ``eval``, ``sympify`` or ``parse_expr``. sympy is imported only inside ``parse``.
"""

from __future__ import annotations

import keyword
import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from quizact.functions import LEARNER
from quizact.grading.lexer import (  # noqa: F401 - re-exported for callers
    ALIASES,
    ALWAYS_FORBIDDEN,
    COMPARE,
    DEFAULT_FUNCTIONS,
    DISPLAY,
    FUNCTIONS,
    GREEK,
    OPTIONAL_FUNCTIONS,
    AnswerError,
    Token,
    canonical_function,
    canonical_symbol,
    tokenize,
)

MAX_DEPTH = 50
MAX_NODES = 300
MAX_NUMBER_CHARS = 30
MAX_EXPONENT = 100.0


@dataclass(frozen=True, slots=True)
class Node:
    """The parser's own tree, checked against the caps before sympy sees it."""

    kind: str  # num sym const neg add sub mul div pow call cmp
    value: str
    args: tuple[Node, ...]
    pos: int


@dataclass(frozen=True)
class ParsedExpr:
    """A parsed answer: the sympy expression and what it used."""

    expr: Any
    text: str
    functions: frozenset[str]
    symbols: frozenset[str]
    variables: tuple[str, ...] = ()
    constants: tuple[str, ...] = ()


def _join_names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Parser:
    def __init__(self, text: str, variables: Sequence[str], constants: Sequence[str],
                 functions: frozenset[str]) -> None:  # fmt: skip
        self.text = text
        self.tokens = tokenize(text)
        self.variables = tuple(variables)
        self.constants = tuple(constants)
        self.declared = set(variables) | set(constants)
        self.allowed = functions
        self.i = self.depth = self.nodes = self.abs_depth = 0
        self.functions: set[str] = set()
        self.symbols: set[str] = set()

    # -- helpers -----------------------------------------------------------------------
    def peek(self, k: int = 0) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return tok

    def is_op(self, tok: Token, *ops: str) -> bool:
        return tok.kind == "op" and tok.text in ops

    def fail(self, tok: Token, message: str) -> AnswerError:
        return AnswerError(tok.text if tok.kind == "bad" else message, tok.pos)

    def node(self, kind: str, value: str, args: tuple[Node, ...], pos: int) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise AnswerError(f"too complex (more than {MAX_NODES} parts)", pos)
        return Node(kind, value, args, pos)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AnswerError(f"too complex (nested more than {MAX_DEPTH} levels)", pos)

    def expect(self, op: str, message: str) -> Token:
        tok = self.peek()
        if not self.is_op(tok, op):
            raise self.fail(tok, COMPARISON if self.is_op(tok, *COMPARE) else message)
        return self.advance()

    # -- grammar -----------------------------------------------------------------------
    def parse(self) -> Node:
        if not self.text.strip():
            raise AnswerError("empty answer", 0)
        for tok in self.tokens:  # "f(z) = ..." : say so before complaining about f
            if tok.kind == "bad" and tok.text.startswith("'='"):
                raise AnswerError(tok.text, tok.pos)
        tree = self.expression()
        tok = self.peek()
        if tok.kind != "end":
            if self.is_op(tok, ")"):
                raise AnswerError("unmatched ')'", tok.pos)
            if self.is_op(tok, ","):
                raise AnswerError("',' only separates function arguments", tok.pos)
            if self.is_op(tok, *COMPARE):
                raise AnswerError(COMPARISON, tok.pos)
            raise self.fail(tok, f"unexpected {tok.text!r}")
        return tree

    def expression(self) -> Node:
        left = self.term()
        while self.is_op(self.peek(), "+", "-"):
            tok = self.advance()
            left = self.node("add" if tok.text == "+" else "sub", "", (left, self.term()), tok.pos)
        return left

    def term(self) -> Node:
        left = self.unary()
        while True:
            tok = self.peek()
            if self.is_op(tok, "*", "/"):
                self.advance()
                kind = "mul" if tok.text == "*" else "div"
                left = self.node(kind, "", (left, self.unary()), tok.pos)
            elif tok.kind == "name" or self.is_op(tok, "(", "√") or (
                self.is_op(tok, "|") and self.abs_depth == 0
            ):
                left = self.node("mul", "", (left, self.unary()), tok.pos)
            elif tok.kind == "num":
                raise AnswerError(f"missing operator (such as '*') before {tok.text!r}", tok.pos)
            else:
                return left

    def unary(self) -> Node:
        tok = self.peek()
        if not self.is_op(tok, "-", "+"):
            return self.power()
        self.enter(tok.pos)
        self.advance()
        operand = self.unary()
        self.depth -= 1
        return operand if tok.text == "+" else self.node("neg", "", (operand,), tok.pos)

    def power(self) -> Node:
        base = self.primary()
        if self.is_op(self.peek(), "^"):
            tok = self.advance()
            self.enter(tok.pos)
            exponent = self.unary()
            self.depth -= 1
            return self.node("pow", "", (base, exponent), tok.pos)
        return base

    def primary(self) -> Node:
        tok = self.peek()
        if tok.kind == "num":
            self.advance()
            mantissa, _, exponent = tok.text.lower().partition("e")
            if len(tok.text) > MAX_NUMBER_CHARS or (exponent and abs(int(exponent)) > 300):
                raise AnswerError("too complex (number too long)", tok.pos)
            return self.node("num", tok.text, (), tok.pos)
        if tok.kind == "name":
            return self.name()
        if not self.is_op(tok, "(", "|", "√"):
            if tok.kind == "end":
                raise AnswerError("incomplete expression: expected a number, variable or '('", tok.pos)
            raise self.fail(tok, f"expected a number, variable or '(' before {tok.text!r}")
        self.enter(tok.pos)
        self.advance()
        if tok.text == "(":
            result = self.expression()
            self.expect(")", "expected ')'")
        elif tok.text == "|":
            self.abs_depth += 1
            inner = self.expression()
            self.abs_depth -= 1
            self.expect("|", "expected '|' to close the absolute value")
            self.functions.add("abs")
            result = self.node("call", "abs", (inner,), tok.pos)
        else:
            self.functions.add("sqrt")
            result = self.node("call", "sqrt", (self.power(),), tok.pos)
        self.depth -= 1
        return result

    def name(self) -> Node:
        tok = self.advance()
        name = tok.text
        if name in self.declared:
            self.symbols.add(name)
            return self.node("sym", name, (), tok.pos)
        if name in ("e", "pi"):
            self.symbols.add(name)
            if name == "e" and self.is_op(self.peek(), "^"):
                self.functions.add("exp")
            return self.node("const", name, (), tok.pos)
        func = canonical_function(name)
        follows_call = self.is_op(self.peek(), "(")
        if func is not None and func in self.allowed:
            return self.call(func, tok)
        if func is not None or name.lower() in ALWAYS_FORBIDDEN or (follows_call and len(name) > 1):
            raise AnswerError(f"function '{name}' is not allowed here", tok.pos)
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            raise AnswerError(f"'{name}' is not allowed here", tok.pos)
        parts = self.split(name)
        if parts:
            nodes = [self.node("sym", p, (), tok.pos) for p in parts]
            self.symbols.update(parts)
            result = nodes[0]
            for nxt in nodes[1:]:
                result = self.node("mul", "", (result, nxt), tok.pos)
            return result
        raise AnswerError(self.unknown(name), tok.pos)

    def unknown(self, name: str) -> str:
        if not self.variables:
            where = "this card has no variables"
        elif len(self.variables) == 1:
            where = f"this card's variable is {self.variables[0]}"
        else:
            where = f"this card's variables are {_join_names(self.variables)}"
        if self.constants:
            where += f" (constants: {_join_names(self.constants)})"
        return f"unknown symbol '{name}' — {where}"

    def split(self, name: str) -> list[str] | None:
        """``zz`` -> [z, z] when the (short) name is a run of declared symbols, else None."""
        if not name.isalpha() or len(name) > 12:
            return None
        for size in range(len(name), 0, -1):
            head, rest = name[:size], name[size:]
            if head in self.declared and rest:
                tail = [rest] if rest in self.declared else self.split(rest)
                if tail:
                    return [head, *tail]
        return None

    def call(self, func: str, tok: Token) -> Node:
        power: Node | None = None
        nxt = self.peek()
        if self.is_op(nxt, "^") and self.peek(1).kind == "num" and self.is_op(self.peek(2), "("):
            self.advance()  # tanh^2(z) and tanh²(z) mean tanh(z)^2
            num = self.advance()
            power = self.node("num", num.text, (), num.pos)
        elif not self.is_op(nxt, "("):
            raise self.fail(nxt, f"expected '(' after '{tok.text}'")
        self.advance()
        self.enter(tok.pos)
        self.functions.add(func)
        saved_abs, self.abs_depth = self.abs_depth, 0
        args = [self.comparison() if func == "where" else self.expression()]
        while self.is_op(self.peek(), ","):
            self.advance()
            args.append(self.expression())
        self.expect(")", f"expected ')' to close '{tok.text}('")
        self.abs_depth = saved_abs
        self.depth -= 1
        lo, hi = FUNCTIONS[func]
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = f"{lo}" if lo == hi else f"at least {lo}" if hi is None else f"{lo} or {hi}"
            noun = "argument" if want == "1" else "arguments"
            raise AnswerError(f"{tok.text} takes {want} {noun} (got {len(args)})", tok.pos)
        result = self.node("call", func, tuple(args), tok.pos)
        if power is not None:
            result = self.node("pow", "", (result, power), power.pos)
        return result

    def comparison(self) -> Node:
        left = self.expression()
        tok = self.peek()
        if not self.is_op(tok, *COMPARE):
            raise self.fail(tok, "where(...) needs a condition first, e.g. where(z > 0, 1, 0)")
        self.advance()
        return self.node("cmp", tok.text, (left, self.expression()), tok.pos)


COMPARISON = ("comparisons are not part of answers: use H(z), the step that is 1 where z > 0 and 0 elsewhere "
              "(or where(z > 0, a, b) for two pieces)")


def _const_value(node: Node, memo: dict[int, float | None]) -> float | None:
    """Float value of a constant subtree (None if it has symbols); enforces the caps."""
    key = id(node)
    if key in memo:
        return memo[key]
    vals = [_const_value(a, memo) for a in node.args]
    value: float | None = None
    if node.kind == "pow" and vals[1] is not None and abs(vals[1]) > MAX_EXPONENT:
        raise AnswerError(f"too complex (exponent {vals[1]:.3g} is too large)", node.args[1].pos)
    if node.kind == "call" and node.value == "exp" and vals[0] is not None and vals[0] > MAX_EXPONENT:
        raise AnswerError(f"too complex (exponent {vals[0]:.3g} is too large)", node.pos)
    if node.kind == "call" and node.value == "factorial":
        v = vals[0]
        if v is None or not math.isfinite(v) or v != int(v) or not 0 <= v <= 20:
            raise AnswerError("too complex (factorial of a whole number up to 20 only)", node.pos)
    if all(v is not None for v in vals) and node.kind != "sym":
        value = _fold(node, [v for v in vals if v is not None])
        if value is not None and math.isinf(value):
            raise AnswerError("too complex (number too large)", node.pos)
    memo[key] = value
    return value


_MATH = {n: f.scalar for n, f in LEARNER.items() if f.scalar is not None}


def _fold(node: Node, vals: list[float]) -> float | None:
    try:
        k = node.kind
        if k == "num":
            return float(node.value)
        if k == "const":
            return math.e if node.value == "e" else math.pi
        if k == "neg":
            return -vals[0]
        if k in ("add", "sub", "mul", "div"):
            a, b = vals
            return {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b if b else math.nan}[k]
        if k == "pow":
            return math.pow(vals[0], vals[1])
        if k == "cmp":
            a, b = vals
            return float({"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[node.value])
        if k == "call" and node.value == "where":
            return vals[1] if vals[0] else vals[2]
        if k == "call" and node.value in _MATH:
            return float(_MATH[node.value](*vals))
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError, TypeError):
        return math.nan
    return None


def check_tree(tree: Node) -> None:
    """Apply the exponent, factorial and magnitude caps to a parsed tree."""
    _const_value(tree, {})


def parse(
    text: str,
    variables: Sequence[str],
    *,
    constants: Sequence[str] = (),
    extra_functions: Iterable[str] = (),
    max_len: int = 500,
) -> ParsedExpr:
    """Parse a typed formula safely into a :class:`ParsedExpr`; raise :class:`AnswerError`."""
    if not isinstance(text, str):
        raise AnswerError("the answer must be text", 0)
    if len(text) > max_len:
        raise AnswerError(f"answer too long ({len(text)} characters; the limit is {max_len})", max_len)
    names_v = tuple(canonical_symbol(v) for v in variables)
    names_c = tuple(canonical_symbol(c) for c in constants)
    extra = {canonical_function(f) or f for f in extra_functions}
    unknown = extra - set(FUNCTIONS)
    if unknown:
        raise ValueError(f"unknown extra functions: {sorted(unknown)}")
    parser = _Parser(text, names_v, names_c, DEFAULT_FUNCTIONS | frozenset(extra))
    try:
        tree = parser.parse()
        check_tree(tree)
    except RecursionError:
        raise AnswerError("too complex (nested too deeply)", 0) from None
    from quizact.grading import mathfuncs  # sympy is imported here, never at start-up

    try:
        expr = mathfuncs.build(tree)
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        raise AnswerError(f"could not interpret this expression ({exc})", 0) from None
    return ParsedExpr(
        expr=expr,
        text=text,
        functions=frozenset(parser.functions),
        symbols=frozenset(parser.symbols),
        variables=names_v,
        constants=names_c,
    )
