"""Text from a learner or a pack, made safe to print.

Every string that reaches a terminal from outside the program (a typed answer, a card id, a
prompt, a YAML value) goes through :func:`visible` first. It keeps ordinary text, including
non-ASCII letters and mathematical symbols, and replaces everything a terminal would act on
instead of showing: C0 and C1 control characters (ESC, BEL, CR, NUL, CSI U+009B, …), DEL,
line and paragraph separators, and the bidirectional overrides and isolates that reorder what
the reader sees. Each such character becomes a visible escape (``\\x1b``, ``\\u202e``), so the
reader sees that it was there and nothing acts on it.

Rich markup is a separate concern: widgets show learner and pack text as plain ``Text`` (or
with ``markup=False``), never as markup.
"""

from __future__ import annotations

import unicodedata

#: Format characters that change the order or direction in which text is displayed.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Line and paragraph separators: a terminal or a log reader may start a new line.
SEPARATORS = frozenset("\u2028\u2029\x85")


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def unsafe(ch: str) -> bool:
    """True for a character that a terminal would act on rather than show."""
    if ch in BIDI or ch in SEPARATORS:
        return True
    return unicodedata.category(ch) == "Cc"  # C0, DEL and C1 controls


def visible(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control, separator and bidi character shown as an escape.

    ``keep_newlines`` keeps ``\\n`` (for multi-line prompts); tabs become spaces either way.
    """
    s = str(text)
    if s.isprintable() and not any(ch in BIDI for ch in s):
        return s  # the common case: nothing to do
    out = []
    for ch in s:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif unsafe(ch):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: object) -> str:
    """``text`` on one line: a newline is shown as ``\\x0a`` like any other control."""
    return visible(text, keep_newlines=False)


def caret(text: object, pos: int) -> tuple[str, int]:
    """``text`` on one line, and the column at which its character ``pos`` now shows.

    An escape takes several columns (``\\x1b`` four), so a caret placed under the raw
    position would point at the wrong character once the text is shown escaped.
    """
    s = str(text)
    return one_line(s), len(one_line(s[: max(0, pos)]))
