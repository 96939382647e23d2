"""Names and tokens of the answer language: Greek letters, the function whitelist, aliases.

The functions, their arities and aliases come from the table in ``quizact/functions.py``.

``tokenize`` never raises: characters that cannot appear in an answer become ``bad``
tokens carrying their message, which the parser raises (with a caret) when it reaches them,
so the first problem reported is the leftmost one the parser meets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizact.functions import GREEK as GREEK  # the answer language's names, defined with the table
from quizact.functions import LEARNER
from quizact.functions import canonical_function as canonical_function
from quizact.textsafe import caret

#: canonical function name -> (min args, max args); ``None`` = any number (from the table).
FUNCTIONS: dict[str, tuple[int, int | None]] = {n: f.arity for n, f in LEARNER.items()}
OPTIONAL_FUNCTIONS = frozenset(n for n, f in LEARNER.items() if f.optional)
DEFAULT_FUNCTIONS = frozenset(FUNCTIONS) - OPTIONAL_FUNCTIONS
ALIASES = {a: n for n, f in LEARNER.items() for a in f.aliases}
#: Never allowed, whatever a card says (they would let the answer compute itself).
ALWAYS_FORBIDDEN = ("diff", "derivative", "integrate", "subs", "simplify", "limit")
#: How form messages and previews name each function.
DISPLAY = {n: f.display for n, f in LEARNER.items() if f.display}

_DIGITS = frozenset("0123456789")
_NUM = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPS = {"+": "+", "-": "-", "−": "-", "–": "-", "*": "*", "·": "*", "×": "*", "⋅": "*",
        "∗": "*", "•": "*", "/": "/", "÷": "/", "∕": "/", "^": "^", "(": "(", ")": ")",
        ",": ",", "|": "|", "√": "√", "<": "<", ">": ">", "≤": "<=", "≥": ">="}  # fmt: skip
_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
_BAD = {
    '"': "quotes are not allowed: type a formula, not text",
    "=": "'=' is not allowed: type only the expression (no 'f(z) =')",
    ";": "';' is not allowed: type a single expression",
    ".": "'.' is not allowed here (no attribute access)",
    "!": "'!' (factorial) is not allowed",
    ":": "':' is not allowed here",
    **{b: f"brackets '{b}' are not allowed: use ( )" for b in "[]{}"},
}
COMPARE = ("<", ">", "<=", ">=")


class AnswerError(ValueError):
    """An answer that cannot be graded (costs no attempt); ``pos`` is a 0-based column."""

    def __init__(self, message: str, pos: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos

    def caret_line(self, text: str, width: int = 60) -> str:
        """The text (a window of it if long) and a ``^`` under ``pos``; controls shown escaped."""
        start = max(0, min(self.pos - width // 2, len(text) - width))
        shown, col = caret(text[start : start + width], self.pos - start)
        pre = "…" if start > 0 else ""
        post = "…" if start + width < len(text) else ""
        return f"{pre}{shown}{post}\n{' ' * (len(pre) + col)}^"


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num | name | op | bad | end
    text: str
    pos: int


def canonical_symbol(name: str) -> str:
    return GREEK.get(name, name)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; unusable characters become ``bad`` tokens (raised later)."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            m = _NUM.match(text, i)
            assert m is not None
            out.append(Token("num", m.group(), i))
            i = m.end()
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            m = _NAME.match(text, i)
            assert m is not None
            out.append(Token("name", m.group(), i))
            i = m.end()
        elif ch in GREEK:
            out.append(Token("name", GREEK[ch], i))
            i += 1
        elif ch == "*" and text.startswith("**", i):
            out.append(Token("op", "^", i))
            i += 2
        elif ch in "<>" and text.startswith("=", i + 1):
            out.append(Token("op", ch + "=", i))
            i += 2
        elif ch in _OPS:
            out.append(Token("op", _OPS[ch], i))
            i += 1
        elif ch in _SUPERSCRIPT or ch == "⁻":
            j = i + (ch == "⁻")
            while j < n and text[j] in _SUPERSCRIPT:
                j += 1
            digits = "".join(_SUPERSCRIPT[c] for c in text[i + (ch == "⁻") : j]) or "1"
            out.append(Token("op", "^", i))
            if ch == "⁻":
                out += [Token("op", "(", i), Token("op", "-", i)]
            out.append(Token("num", digits, i))
            if ch == "⁻":
                out.append(Token("op", ")", i))
            i = j
        elif ch in "'′’`":
            prime = i > 0 and (text[i - 1].isalnum() or text[i - 1] == ")")
            msg = (
                "primes (′) are not supported: type the derivative itself"
                if prime
                else "quotes are not allowed: type a formula, not text"
            )
            out.append(Token("bad", msg, i))
            i += 1
        else:
            out.append(Token("bad", _BAD.get(ch, f"unexpected character {ch!r}"), i))
            i += 1
    out.append(Token("end", "", n))
    return out
