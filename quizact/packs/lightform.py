"""A prompt's light form: its Markdown parsed once, when the pack cache is written.

The app shows a prompt as Markdown. Parsing it on the first frame means importing
markdown-it (and, through Textual's Markdown widget, Pygments): a sizeable part of the
start-up. Prompts are paragraphs of text with bold and italics, so the pack cache keeps,
per card, the paragraphs markdown-it makes of the prompt, each as its text and styled spans
exactly as Textual's Markdown widget builds them from the same tokens, and the app draws
those (``quizact.tui.widgets.prompt``) without any parser.

Prompts hold parameter placeholders (``{x}``, ``{W1[0,1]:.2f}``) filled per variant. In the
light form each placeholder is one private-use character; :func:`fill` puts the drawn
values in where they are plain numbers (digits, signs, a decimal point or exponent,
brackets and commas of a list, a percent sign). A form is only kept when probe numbers of
every such shape, put in its placeholders, parse to what :func:`fill` gives (so a number
can never start a list, close an emphasis or join a link there); anything else (another
block than a paragraph, an inline link or image, a value of another shape) is drawn by
the Markdown widget, as before.

A form is plain tuples of strings and ints, so reading it back from the cache imports
nothing: ``(pieces, sources, paragraphs)`` with the prompt's text around each placeholder,
each placeholder as written, and per paragraph ``(text, ((start, end, style), ...))``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from quizact.packs.params import PLACEHOLDER_RE, is_matrix, render
from quizact.textsafe import visible

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

Span = tuple[int, int, str]
Paragraph = tuple[str, tuple[Span, ...]]
Form = tuple[tuple[str, ...], tuple[str, ...], tuple[Paragraph, ...]]

SENTINEL = 0xE000  # placeholder i is chr(SENTINEL + i), in Unicode's private-use area
MAX_PLACEHOLDERS = 0x1000
#: how each inline token is styled: the component classes of Textual's Markdown widget
STYLES = {"em_open": ".em", "strong_open": ".strong", "s_open": ".s"}
INLINE = {"text", "softbreak", "hardbreak", "code_inline", *STYLES, "em_close", "strong_close", "s_close"}
#: a value put in as it is: a number, a list of numbers or a percentage
VALUE_RE = re.compile(r"[0-9+\-\[](?:[0-9.,eE+\- \[\]]*[0-9\]%])?")
#: one value of each shape VALUE_RE allows (first and last character), tried in every form
PROBES = ("1", "-1.5", "+2", "[1, -2]", "[[0.5, 2.5e+05]]", "12.5%", "1e-05")
_WHITESPACE = re.compile(r"\s+")
_parser: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    """The parser Textual's Markdown widget uses (imported only when a cache is written)."""
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("gfm-like")
    return _parser


def paragraphs(markdown: str) -> tuple[Paragraph, ...] | None:
    """The paragraphs of ``markdown`` as Textual's Markdown widget renders them, or None
    when it holds anything but paragraphs of plain, emphasised or code text."""
    out: list[Paragraph] = []
    tokens = _markdown().parse(markdown)
    expected = "paragraph_open"
    for token in tokens:
        if token.type != expected or token.level != (1 if expected == "inline" else 0):
            return None
        if token.type == "inline":
            para = _inline(token.children or [])
            if para is None:
                return None
            out.append(para)
        expected = {"paragraph_open": "inline", "inline": "paragraph_close", "paragraph_close": "paragraph_open"}[
            token.type
        ]
    return tuple(out) if expected == "paragraph_open" else None


def _inline(children: Iterable[Any]) -> Paragraph | None:
    """As ``MarkdownBlock._token_to_content`` builds Content from an inline token."""
    parts: list[str] = []
    spans: list[Span] = []
    stack: list[tuple[str, int]] = []
    position = 0
    for child in children:
        kind = child.type
        if kind not in INLINE:
            return None
        if kind == "text":
            text = _WHITESPACE.sub(" ", child.content)
        elif kind == "hardbreak":
            text = "\n"
        elif kind == "softbreak":
            text = " "
        elif kind == "code_inline":
            text = child.content
            spans.append((position, position + len(text), ".code_inline"))
        elif kind in STYLES:
            stack.append((STYLES[kind], position))
            continue
        else:  # a close
            style, start = stack.pop()
            spans.append((start, position, style))
            continue
        parts.append(text)
        position += len(text)
    return "".join(parts), tuple(spans)


def build(prompt: str) -> Form | None:
    """The light form of a prompt template, or None when the Markdown widget must draw it."""
    matches = list(PLACEHOLDER_RE.finditer(prompt))
    if any(is_matrix(m) for m in matches):  # an aligned block: a code block, not a paragraph
        return None
    if len(matches) > MAX_PLACEHOLDERS or any(SENTINEL <= ord(c) < SENTINEL + MAX_PLACEHOLDERS for c in prompt):
        return None
    pieces, sources, at = [], [], 0
    for m in matches:
        pieces.append(prompt[at : m.start()])
        sources.append(m.group(0))
        at = m.end()
    pieces.append(prompt[at:])
    marked = "".join(p + chr(SENTINEL + i) for i, p in enumerate(pieces[:-1])) + pieces[-1]
    for i in range(len(sources)):  # a value starting a line could start a list or a heading
        before = marked[: marked.index(chr(SENTINEL + i))].rsplit("\n", 1)[-1]
        if not before.strip():
            return None
    paras = paragraphs(_shown(marked))
    if paras is None:
        return None
    marks = {chr(SENTINEL + i) for i in range(len(sources))}
    for text, spans in paras:  # in inline code a value would be shown as written
        if any(marks.intersection(text[start:end]) for start, end, style in spans if style == ".code_inline"):
            return None
    form: Form = (tuple(pieces), tuple(sources), paras)
    for probe in PROBES if sources else ():
        values = [probe] * len(sources)
        if paragraphs(_shown(_joined(form, values))) != _filled(form, values):
            return None
    return form


def fill(form: Form, params: dict[str, Any], prompt: str) -> tuple[Paragraph, ...] | None:
    """The paragraphs of ``prompt`` (the form's template rendered with ``params``), or
    None when a value is not a plain number (the Markdown widget then draws it)."""
    pieces, sources, paras = form
    if not sources:
        return paras
    values = [render(source, params) for source in sources]
    if not all(VALUE_RE.fullmatch(v) for v in values) or _joined(form, values) != prompt:
        return None
    return _filled(form, values)


def _shown(text: str) -> str:
    """What the Markdown widget is given: the rendered prompt, made safe to show."""
    return visible(text.replace("{{", "{").replace("}}", "}"), keep_newlines=True)


def _joined(form: Form, values: list[str]) -> str:
    """The template with ``values`` in its placeholders, as ``render`` fills it."""
    pieces = form[0]
    out = "".join(p + v for p, v in zip(pieces, values)) + pieces[-1]
    return out.replace("{{", "{").replace("}}", "}")


def _filled(form: Form, values: list[str]) -> tuple[Paragraph, ...]:
    """The form's paragraphs with each placeholder character replaced by its value."""
    shown = [_WHITESPACE.sub(" ", v) for v in values]
    out = []
    for text, spans in form[2]:
        parts, grown, growth = [], 0, [0] * (len(text) + 1)  # growth[p]: added before position p
        for pos, ch in enumerate(text):
            i = ord(ch) - SENTINEL
            if 0 <= i < len(shown):
                parts.append(shown[i])
                grown += len(shown[i]) - 1
            else:
                parts.append(ch)
            growth[pos + 1] = grown
        out.append(("".join(parts), tuple((s + growth[s], e + growth[e], style) for s, e, style in spans)))
    return tuple(out)


def forms(cards: Iterable[Any], known: dict[str, Form | None] | None = None) -> dict[str, Form]:
    """Each card's light prompt form (cards drawn by the Markdown widget are left out).
    ``known``: forms already built, by prompt (None: drawn by the Markdown widget), which
    a form depends on alone."""
    known = known or {}
    out = {}
    for card in cards:
        form = known[card.prompt] if card.prompt in known else build(card.prompt)
        if form is not None:
            out[card.id] = form
    return out
