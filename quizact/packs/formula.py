"""Numeric formulas written by pack authors (``where:`` constraints, numeric ``answer:``).

A formula is parsed with :mod:`ast` (which only parses, never runs) and then evaluated by
walking a whitelist of node types: numbers, the card's params, arithmetic (``^`` is a
power, ``@`` a matrix product), comparisons, ``and``/``or``/``not``, indexing with
constants (``W1[0, 1]``) and a fixed set of functions. Nothing else is accepted, so no
formula can reach Python's ``eval``, attributes or imports.

Vectors behave as in NumPy: ``z > 0`` and ``and``/``or``/``not`` work entry by entry and
give a vector of truth values, which ``any``, ``all`` and ``sum`` (a count) reduce.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

MAX_LEN = 500
MAX_POWER = 64


class FormulaError(ValueError):
    """A formula is malformed, uses something not allowed, or cannot be computed."""


def _np():
    import numpy

    return numpy


def _functions() -> dict[str, Callable[..., Any]]:
    np = _np()

    def sigmoid(z):
        z = np.asarray(z, dtype=float)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

    def softplus(z):
        z = np.asarray(z, dtype=float)
        return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))

    def softmax(z, temperature=1.0):
        z = np.asarray(z, dtype=float) / temperature
        e = np.exp(z - np.max(z))
        return e / e.sum()

    def phi(z):
        return 0.5 * (1 + np.vectorize(math.erf)(np.asarray(z, dtype=float) / math.sqrt(2)))

    def extreme(reduce, pairwise):
        def f(*args):
            if len(args) == 1:
                return reduce(args[0])
            out = args[0]
            for a in args[1:]:
                out = pairwise(out, a)
            return out

        return f

    return {
        "abs": np.abs, "min": extreme(np.min, np.minimum), "max": extreme(np.max, np.maximum), "sum": np.sum, "mean": np.mean,
        "all": np.all, "any": np.any, "exp": np.exp, "log": np.log, "ln": np.log,
        "sqrt": np.sqrt, "tanh": np.tanh, "cosh": np.cosh, "sinh": np.sinh,
        "sigmoid": sigmoid, "relu": lambda z: np.maximum(z, 0), "softplus": softplus,
        "softmax": softmax, "Phi": phi, "erf": np.vectorize(math.erf),
        "round": np.round, "norm": np.linalg.norm, "det": np.linalg.det,
        "transpose": np.transpose, "outer": np.outer, "dot": np.dot,
        "sign": np.sign, "heaviside": lambda z: np.heaviside(z, 0.0),
    }


FUNCTION_NAMES = frozenset(
    "abs min max sum mean all any exp log ln sqrt tanh cosh sinh sigmoid relu softplus "
    "softmax Phi erf round norm det transpose outer dot sign heaviside".split()
)
CONSTANTS = {"pi": math.pi, "e": math.e}

def _power(a: Any, b: Any) -> Any:
    """``a ** b``, whole numbers taken as floats: an exponent computed in the formula
    (``9^(9*9^9)``, which the checks in :func:`parse` cannot see) overflows at once instead
    of building an exact integer of hundreds of millions of digits."""
    if isinstance(a, int) and isinstance(b, int):
        a = float(a)
    try:
        return a**b
    except OverflowError:
        raise OverflowError("a power too large to compute") from None


_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: _power(a, b),
    ast.MatMult: lambda a, b: a @ b,
    ast.Mod: lambda a, b: a % b,
}
_CMPOPS = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


@lru_cache(maxsize=4096)
def parse(text: str) -> ast.Expression:
    """Parse and whitelist-check a formula; ``^`` means power."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("empty formula")
    if len(text) > MAX_LEN:
        raise FormulaError(f"formula longer than {MAX_LEN} characters")
    source = text.replace("^", "**").replace("−", "-").replace("·", "*").replace("×", "*")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse formula {text!r}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError(f"formula {text!r} is nested too deeply") from None
    _check(tree.body, depth=0)
    return tree


def names(text: str) -> set[str]:
    """The parameter names a formula refers to (functions and constants excluded)."""
    tree = parse(text)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in FUNCTION_NAMES and node.id not in CONSTANTS:
            found.add(node.id)
    return found


def _check(node: ast.AST, depth: int) -> None:
    if depth > 40:
        raise FormulaError("formula nested too deeply")
    match node:
        case ast.Constant(value=v) if isinstance(v, (int, float)) and not isinstance(v, bool):
            return
        case ast.Name(id=name):
            if name.startswith("_"):
                raise FormulaError(f"name {name!r} is not allowed")
            return
        case ast.BinOp(left=l, op=op, right=r) if type(op) in _BINOPS:
            _check(l, depth + 1)
            _check(r, depth + 1)
            if isinstance(op, ast.Pow) and isinstance(r, ast.Constant) and abs(r.value) > MAX_POWER:
                raise FormulaError(f"exponent {r.value} is too large")
            if isinstance(op, ast.Pow) and isinstance(r, ast.BinOp) and isinstance(r.op, ast.Pow):
                raise FormulaError("power towers are not allowed")
        case ast.UnaryOp(op=ast.USub() | ast.UAdd() | ast.Not(), operand=o):
            _check(o, depth + 1)
        case ast.BoolOp(values=vals):
            for v in vals:
                _check(v, depth + 1)
        case ast.Compare(left=l, comparators=rs, ops=ops) if all(type(o) in _CMPOPS for o in ops):
            _check(l, depth + 1)
            for r in rs:
                _check(r, depth + 1)
        case ast.Call(func=ast.Name(id=fn), args=args, keywords=[]) if fn in FUNCTION_NAMES:
            for a in args:
                _check(a, depth + 1)
        case ast.Call(func=ast.Name(id=fn)):
            raise FormulaError(f"function {fn!r} is not allowed in a formula")
        case ast.Subscript(value=ast.Name(), slice=sl):
            items = sl.elts if isinstance(sl, ast.Tuple) else [sl]
            for item in items:
                ok = isinstance(item, ast.Constant) and isinstance(item.value, int)
                ok = ok or (
                    isinstance(item, ast.UnaryOp)
                    and isinstance(item.op, ast.USub)
                    and isinstance(item.operand, ast.Constant)
                    and isinstance(item.operand.value, int)
                )
                if not ok:
                    raise FormulaError("indices must be whole numbers, as in W1[0, 1]")
        case ast.List(elts=elts):
            for e in elts:
                _check(e, depth + 1)
        case _:
            raise FormulaError(f"{type(node).__name__.lower()} is not allowed in a formula")


def evaluate(text: str, params: Mapping[str, Any]) -> Any:
    """Evaluate a formula over ``params``; raises FormulaError on any problem."""
    np = _np()
    tree = parse(text)
    funcs = _functions()

    def ev(node: ast.AST) -> Any:
        match node:
            case ast.Constant(value=v):
                return v
            case ast.Name(id=name):
                if name in params:
                    v = params[name]
                    return np.asarray(v, dtype=float) if isinstance(v, list) else v
                if name in CONSTANTS:
                    return CONSTANTS[name]
                raise FormulaError(f"undefined name {name!r} (not a param of this card)")
            case ast.BinOp(left=l, op=op, right=r):
                return _BINOPS[type(op)](ev(l), ev(r))
            case ast.UnaryOp(op=op, operand=o):
                v = ev(o)
                return -v if isinstance(op, ast.USub) else (+v if isinstance(op, ast.UAdd) else np.logical_not(v))
            case ast.BoolOp(op=op, values=vals):
                is_and = isinstance(op, ast.And)
                combine = np.logical_and if is_and else np.logical_or
                truth = None
                for v in vals:
                    value = np.asarray(ev(v)).astype(bool)
                    truth = value if truth is None else combine(truth, value)
                    if truth.shape == () and bool(truth) != is_and:  # settled, as Python's and/or
                        break
                return truth
            case ast.Compare(left=l, ops=ops, comparators=rs):
                left, truth = ev(l), None
                for o, r in zip(ops, rs):  # a < b < c is (a < b) and (b < c), entry by entry
                    right = ev(r)
                    step = np.asarray(_CMPOPS[type(o)](np.asarray(left), np.asarray(right)))
                    truth = step if truth is None else np.logical_and(truth, step)
                    left = right
                return truth
            case ast.Call(func=ast.Name(id=fn), args=args):
                return funcs[fn](*[ev(a) for a in args])
            case ast.Subscript(value=ast.Name(id=name), slice=sl):
                base = np.asarray(ev(ast.Name(id=name)), dtype=float)
                idx = tuple(ev(i) for i in sl.elts) if isinstance(sl, ast.Tuple) else ev(sl)
                return base[idx]
            case ast.List(elts=elts):
                return np.asarray([ev(e) for e in elts], dtype=float)
        raise FormulaError("unsupported formula")  # unreachable after _check

    try:
        with np.errstate(all="ignore"):
            return ev(tree.body)
    except FormulaError:
        raise
    except (IndexError, TypeError, ValueError, ZeroDivisionError, OverflowError, np.linalg.LinAlgError) as exc:
        raise FormulaError(f"cannot compute {text!r}: {exc}") from None
