"""Numeric formulas written by pack authors (``where:`` constraints, numeric ``answer:``).

A formula is parsed with :mod:`ast` (which only parses, never runs) and then evaluated by
walking a whitelist of node types: numbers, the card's params, arithmetic (``^`` is a
power, ``@`` a matrix product), comparisons, ``and``/``or``/``not``, indexing and slicing
of any value with whole numbers (``W1[0, 1]``, ``z[k]``, ``softmax(z)[argmax(z)]``,
``W[:, 0]``) and the pack functions of the table in ``quizact/functions.py``. Nothing else
is accepted, so no formula can reach Python's ``eval``, attributes, strings or imports;
the size caps (length, nesting, exponent, no power towers, ``onehot`` length) bound the work.

Vectors behave as in NumPy: ``z > 0`` and ``and``/``or``/``not`` work entry by entry and
give a vector of truth values, which ``any``, ``all`` and ``sum`` (a count) reduce.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import ModuleType

from quizact.functions import PACK_NAMES, numpy_form

MAX_LEN = 500
MAX_POWER = 64
#: Most entries a formula may build (``onehot``); the same cap as a param's ``shape``.
MAX_ENTRIES = 400


class FormulaError(ValueError):
    """A formula is malformed, uses something not allowed, or cannot be computed."""


def _np() -> ModuleType:
    import numpy

    return numpy


#: Every function a formula may call (aliases included), from ``quizact/functions.py``.
FUNCTION_NAMES = frozenset(PACK_NAMES)
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


_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: _power(a, b),
    ast.MatMult: lambda a, b: a @ b,
    ast.Mod: lambda a, b: a % b,
}
_CMPOPS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
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
            if (isinstance(op, ast.Pow) and isinstance(r, ast.Constant) and isinstance(r.value, (int, float))
                    and abs(r.value) > MAX_POWER):
                raise FormulaError(f"exponent {r.value} is too large")
            if isinstance(op, ast.Pow) and isinstance(r, ast.BinOp) and isinstance(r.op, ast.Pow):
                raise FormulaError("power towers are not allowed")
        case ast.UnaryOp(op=ast.USub() | ast.UAdd() | ast.Not(), operand=o):
            _check(o, depth + 1)
        case ast.BoolOp(values=vals):
            for item in vals:
                _check(item, depth + 1)
        case ast.Compare(left=l, comparators=rs, ops=ops) if all(type(o) in _CMPOPS for o in ops):
            _check(l, depth + 1)
            for r in rs:
                _check(r, depth + 1)
        case ast.Call(func=ast.Name(id=fn), args=args, keywords=[]) if fn in FUNCTION_NAMES:
            entry = PACK_NAMES[fn]
            least, most = entry.pack_arity or entry.arity
            if len(args) < least or (most is not None and len(args) > most):
                want = str(least) if least == most else f"{least}–{most}" if most else f"at least {least}"
                raise FormulaError(f"{fn} takes {want} argument{'s' if most != 1 else ''} (got {len(args)})")
            for a in args:
                _check(a, depth + 1)
        case ast.Call(func=ast.Name(id=fn)):
            raise FormulaError(f"function {fn!r} is not allowed in a formula")
        case ast.Subscript(value=base, slice=sl):
            _check(base, depth + 1)
            for item in sl.elts if isinstance(sl, ast.Tuple) else [sl]:
                if isinstance(item, ast.Slice):
                    for part in (item.lower, item.upper, item.step):
                        if part is not None:
                            _check(part, depth + 1)
                else:
                    _check(item, depth + 1)
        case ast.List(elts=elts):
            for e in elts:
                _check(e, depth + 1)
        case _:
            raise FormulaError(f"{type(node).__name__.lower()} is not allowed in a formula")


def evaluate(text: str, params: Mapping[str, Any], *, close: Callable[[Any, Any], Any] | None = None) -> Any:
    """Evaluate a formula over ``params``; raises FormulaError on any problem. ``close``:
    what ``allclose(a, b)`` (two arguments) means here, when not its table form (a feedback
    rule compares at the answer's tolerance)."""
    np = _np()
    tree = parse(text)

    from quizact.numforms import whole as as_whole

    def whole(node: ast.AST, what: str) -> int:
        try:
            return as_whole(ev(node), what)
        except ValueError as exc:
            raise FormulaError(f"{exc} in {text!r}") from None

    def index(item: ast.AST) -> int | slice:
        if isinstance(item, ast.Slice):
            bounds = (item.lower, item.upper, item.step)
            lo, hi, step = (None if p is None else whole(p, "a slice bound") for p in bounds)
            if step == 0:
                raise FormulaError(f"a slice step cannot be 0 in {text!r}")
            return slice(lo, hi, step)
        return whole(item, f"the index {ast.unparse(item)}")

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
                for item in vals:
                    value = np.asarray(ev(item)).astype(bool)
                    truth = value if truth is None else combine(truth, value)
                    if truth.shape == () and bool(truth) != is_and:  # settled, as Python's and/or
                        break
                return truth
            case ast.Compare(left=l, ops=ops, comparators=rs):
                left, truth = ev(l), None
                for cmp, r in zip(ops, rs):  # a < b < c is (a < b) and (b < c), entry by entry
                    right = ev(r)
                    step = np.asarray(_CMPOPS[type(cmp)](np.asarray(left), np.asarray(right)))
                    truth = step if truth is None else np.logical_and(truth, step)
                    left = right
                return truth
            case ast.Call(func=ast.Name(id="onehot"), args=[k, n]):
                return numpy_form("onehot")(ev(k), ev(n), MAX_ENTRIES)
            case ast.Call(func=ast.Name(id="outer"), args=[a, b]):
                u, v = np.asarray(ev(a)), np.asarray(ev(b))
                if u.size * v.size > MAX_ENTRIES**2:
                    raise FormulaError(f"outer product of {u.size} by {v.size} entries is too large in {text!r}")
                return numpy_form("outer")(u, v)
            case ast.Call(func=ast.Name(id="allclose"), args=[a, b]) if close is not None:
                return close(ev(a), ev(b))
            case ast.Call(func=ast.Name(id=fn), args=args):
                return numpy_form(fn)(*[ev(a) for a in args])
            case ast.Subscript(value=b, slice=sl):
                base = np.asarray(ev(b), dtype=float)
                items = sl.elts if isinstance(sl, ast.Tuple) else [sl]
                idx = tuple(index(i) for i in items)
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


def curve(text: str, var: str, params: Mapping[str, Any], lo: float, hi: float,
          points: int) -> tuple[list[float], list[float]]:
    """The formula's value at ``points`` values of ``var`` from ``lo`` to ``hi``, the params
    (and lets) held at the variant's; a point where it has no finite single value is left
    out (a plot draws the rest). Raises ``FormulaError`` when the formula gives other than one
    number at a point."""
    np = _np()
    xs_out, ys_out = [], []
    failed: FormulaError | None = None
    for x in np.linspace(lo, hi, points).tolist():
        try:
            y = np.asarray(evaluate(text, {**params, var: x}), dtype=float)
        except FormulaError as exc:  # no value here (a division by zero at one point, say)
            failed = exc
            continue
        if y.shape != ():
            raise FormulaError(f"gives {y.size} numbers at {var} = {x:g}, not one; index it (such as [0])")
        if np.isfinite(y):
            xs_out.append(x)
            ys_out.append(float(y))
    if not xs_out and failed is not None:
        raise failed
    return xs_out, ys_out
