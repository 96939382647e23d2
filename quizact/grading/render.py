"""Readable unicode for parsed expressions: the "interpreted as" preview.

``interpreted_as(parse("sigmoid(z)*(1-sigmoid(z))"))`` is ``σ(z)·(1 − σ(z))``. The format:
``·`` between factors, ``−`` for minus, ``/`` for division with a parenthesised compound
denominator, superscript digits for small whole powers (``z²``), ``e^(−z)`` for
exponentials, ``√`` for square roots, ``|z|``, ``max(0, z)``, ``H(z)``, ``Φ(z)``, ``φ(z)``,
``ln(z)``, ``where(z < 0, a, b)``, Greek names as letters (``alpha`` -> ``α``). Terms and
factors keep the order of the tree, so the output is deterministic. No sympy import here:
nodes are recognised by their class names and ``is_*`` flags.
"""

from __future__ import annotations

from typing import Any

from quizact.functions import BY_NODE
from quizact.grading.lexer import GREEK

_GREEK_OUT = {name: ch for ch, name in GREEK.items() if name not in ("phi", "Phi", "sigma")}
_GREEK_OUT.update({"phi": "φ", "Phi": "Φ", "sigma": "σ"})
_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: sympy node -> how the preview names it (``sigmoid`` -> ``σ``), from the function table.
_FUNC_NAMES = {node: f.shown for node, f in BY_NODE.items()}
_REL = {"<": "<", ">": ">", "<=": "≤", ">=": "≥", "==": "=", "!=": "≠"}
ADD, MUL, POW, ATOM = 10, 20, 30, 40
MINUS = "−"


def display_name(name: str) -> str:
    """``alpha`` -> ``α``; other names unchanged."""
    return _GREEK_OUT.get(name, name)


def interpreted_as(expr: Any) -> str:
    """Readable unicode for a sympy expression or a :class:`~quizact.grading.expr.ParsedExpr`."""
    expr = getattr(expr, "expr", expr)
    return _fmt(expr)[0]


def _paren(s: tuple[str, int], level: int) -> str:
    return f"({s[0]})" if s[1] < level else s[0]


def _is_neg_number(e: Any) -> bool:
    return bool(e.is_Number and e.is_extended_negative)


def _split_sign(e: Any) -> tuple[bool, Any]:
    """(True, -e) when e prints with a leading minus, else (False, e)."""
    if _is_neg_number(e):
        return True, -e
    if e.is_Mul and e.args and _is_neg_number(e.args[0]):
        c, rest = -e.args[0], e.args[1:]
        args = rest if c == 1 else (c, *rest)
        if len(args) == 1:
            return True, args[0]
        return True, e.func(*args, evaluate=False)
    return False, e


def _number(e: Any) -> tuple[str, int]:
    if e.is_Integer:
        s = str(int(e))
    elif e.is_Rational:
        s = f"{e.p}/{e.q}"
    elif e.is_Float:
        f = float(e)
        s = str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    else:
        s = str(e)
    if s.startswith("-"):
        return MINUS + s[1:], ADD
    return s, (MUL if "/" in s else ATOM)


def _fmt(e: Any) -> tuple[str, int]:
    if e.is_Number:
        return _number(e)
    if e.is_Symbol:
        return display_name(e.name), ATOM
    name = type(e).__name__
    if name == "Exp1":
        return "e", ATOM
    if name == "Pi":
        return "π", ATOM
    if e.is_Add:
        return _add(e)
    if e.is_Mul:
        return _mul(e)
    if e.is_Pow:
        return _pow(e)
    if name == "exp":
        return "e^" + _paren(_fmt(e.args[0]), ATOM), POW
    if name == "Abs":
        return f"|{_fmt(e.args[0])[0]}|", ATOM
    if name == "Heaviside":
        return f"H({_fmt(e.args[0])[0]})", ATOM
    if name == "Where":
        code, lhs, rhs, a, b = e.args
        op = _REL[("<", ">", "<=", ">=")[int(code)]]
        return f"where({_fmt(lhs)[0]} {op} {_fmt(rhs)[0]}, {_fmt(a)[0]}, {_fmt(b)[0]})", ATOM
    if e.is_Piecewise:
        return _piecewise(e)
    if e.is_Relational:
        rel = _REL.get(e.rel_op, e.rel_op)
        return f"{_fmt(e.lhs)[0]} {rel} {_fmt(e.rhs)[0]}", ADD - 1
    if e.is_Function:
        args = ", ".join(_fmt(a)[0] for a in e.args)
        return f"{_FUNC_NAMES.get(name, name)}({args})", ATOM
    return str(e).replace("**", "^").replace("*", "·"), ADD


def _add(e: Any) -> tuple[str, int]:
    parts: list[str] = []
    for i, term in enumerate(e.args):
        neg, mag = _split_sign(term)
        s = _fmt(mag)
        if i == 0:
            parts.append((MINUS if neg else "") + (_paren(s, MUL) if neg else s[0]))
        elif neg:
            parts.append(f" {MINUS} {_paren(s, MUL)}")
        else:
            parts.append(f" + {_paren(s, ADD + 1) if s[0].startswith(MINUS) else s[0]}")
    return "".join(parts), ADD


def _mul(e: Any) -> tuple[str, int]:
    neg, e2 = _split_sign(e)
    factors = e2.args if e2.is_Mul else (e2,)
    num: list[Any] = []
    den: list[Any] = []
    for f in factors:
        if f.is_Pow and _is_neg_number(f.exp):
            den.append(f.base if f.exp == -1 else f.func(f.base, -f.exp, evaluate=False))
        elif f.is_Rational and not f.is_Integer:
            from sympy import Integer

            if f.p != 1:
                num.append(Integer(f.p))
            den.append(Integer(f.q))
        else:
            num.append(f)
    if len(num) > 1:
        num = [f for f in num if f != 1]
    text = "·".join(_paren(_fmt(f), MUL + 1 if i else MUL) for i, f in enumerate(num)) or "1"
    if den:
        d = _fmt(den[0]) if len(den) == 1 else ("·".join(_paren(_fmt(f), MUL + 1) for f in den), MUL)
        text += "/" + _paren(d, POW)
    if neg:
        return MINUS + text, ADD
    return text, MUL


def _pow(e: Any) -> tuple[str, int]:
    base, ex = e.args
    if ex.is_Rational and ex.p == 1 and ex.q == 2:
        return "√" + _paren(_fmt(base), ATOM), POW
    if _is_neg_number(ex):
        den = base if ex == -1 else e.func(base, -ex, evaluate=False)
        return "1/" + _paren(_fmt(den), POW), MUL
    b = _paren(_fmt(base), ATOM)
    if ex.is_Integer and 0 <= int(ex) < 10:
        return b + str(int(ex)).translate(_SUPER), POW
    return f"{b}^{_paren(_fmt(ex), ATOM)}", POW


def _piecewise(e: Any) -> tuple[str, int]:
    pieces = list(e.args)
    if len(pieces) == 2 and pieces[1].cond == True:  # noqa: E712 - sympy true
        (a, cond), (b, _) = pieces
        return f"where({_fmt(cond)[0]}, {_fmt(a)[0]}, {_fmt(b)[0]})", ATOM
    inner = "; ".join(
        f"{_fmt(p.expr)[0]} if {_fmt(p.cond)[0]}" if p.cond != True else f"{_fmt(p.expr)[0]} otherwise"  # noqa: E712
        for p in pieces
    )
    return "{" + inner + "}", ATOM


def preview(text: str, variables: list[str] | tuple[str, ...], *, constants: tuple[str, ...] = ()) -> str:
    """The "interpreted as" line for a typed answer; raises ``AnswerError`` like ``parse``."""
    from quizact.grading.expr import parse

    return interpreted_as(parse(text, variables, constants=constants))
