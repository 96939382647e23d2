"""Safe YAML reading that remembers where every key is.

``yaml.SafeLoader`` composes the node tree (so ``!!python/object`` and friends are never
constructed), a depth cap stops hostile nesting, a cap on what aliases add stops "billion
laughs" documents (a few anchors that expand to billions of values), and the line of every mapping key and
sequence item is kept in a ``Lines`` index so errors can point at the offending field.

A clean file may be read by yaml-rs (``fast_load``, ~20x faster) instead; see there for when.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 300_000  # values in one file (the 10,000-card benchmark file holds about 270,000)
MAX_ALIAS_GROWTH = 10_000  # values that aliases may add to a document, beyond those written

Loc = tuple[str | int, ...]


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass
class Lines:
    """Line numbers (1-based) of every key and item, by path from the document root."""

    at: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of ``loc`` or of its nearest located ancestor."""
        loc = tuple(loc)
        while loc:
            if loc in self.at:
                return self.at[loc]
            loc = loc[:-1]
        return self.at.get((), 1)


class _Located:
    """Constructing a value that Python refuses (an integer of 5,000 digits) is a located
    problem, not a ValueError from deep inside PyYAML."""

    def construct_object(self, node, deep=False):  # type: ignore[no-untyped-def]
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except ValueError as exc:
            what = str(exc)
            if "integer string conversion" in what:
                what = f"a number longer than {sys.get_int_max_str_digits()} digits"
            raise YamlProblem(node.start_mark.line + 1, f"cannot read this value: {what}") from None

    def resolve(self, kind, value, implicit):  # type: ignore[no-untyped-def]
        """The tag of a plain scalar depends on its text alone (packs use no path resolvers):
        resolve each distinct text once instead of running every implicit regex per value."""
        if kind is _Scalar and implicit[0]:
            tag = _TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[misc]
                if len(_TAGS) < 100_000:
                    _TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


_Scalar = yaml.ScalarNode
_TAGS: dict[str, str] = {}  # plain scalar text -> its tag (SafeLoader's resolvers depend on nothing else)


class _Loader(_Located, yaml.SafeLoader):
    """A SafeLoader with a nesting cap (PyYAML's composer recurses)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # untyped in PyYAML's stubs
            raise YamlProblem(mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CSafe = getattr(yaml, "CSafeLoader", None)  # libyaml: ~10x faster than the pure-Python scanner
_FAST = None if _CSafe is None else type("_FastLoader", (_Located, _CSafe), {})
_DEEP_DASHES = re.compile(r"^(?:[ \t]*-[ \t]+){%d}" % (MAX_DEPTH + 1), re.M)  # more compact "- - …" than MAX_DEPTH


def _maybe_deep(text: str) -> bool:
    """A cheap upper bound on flow and compact nesting. When it is high, the pure-Python
    loader (whose depth cap gives a located error) is used instead of libyaml's recursion."""
    if text.count("[") + text.count("{") > MAX_DEPTH and _flow_depth(text) > MAX_DEPTH:
        return True
    return _DEEP_DASHES.search(text) is not None


def _flow_depth(text: str) -> int:
    depth = best = 0
    for ch in re.sub(r"[^\[\]{}]+", "", text):
        if ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return best


def _check_size(text: str) -> None:
    """Refuse a file of more than ``MAX_NODES`` values before its node tree is built (each
    node costs a few hundred bytes). Counting the structural characters bounds the count
    from above for free; only a file near the limit is counted exactly, by streaming its
    parse events (libyaml when available), stopping at the limit.

    The bound: every value but the first follows its own indicator (``:`` a mapping value,
    ``-``, ``[`` or ``,`` an item, a line break, ``{``, ``,`` or ``?`` a key); a key after
    ``{``, ``,`` or ``?`` may bring an implicit null value (``{a, b}``), so those count twice."""
    bound = 2 + sum(text.count(c) for c in ":-\n[") + 2 * sum(text.count(c) for c in ",{?")
    if bound <= MAX_NODES:
        return
    count = 0
    for event in yaml.parse(text, Loader=_CSafe or yaml.SafeLoader):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
            count += 1
            if count > MAX_NODES:
                assert event.start_mark is not None  # the parser marks every event
                raise YamlProblem(
                    event.start_mark.line + 1,
                    f"more than {MAX_NODES:,} values in one file; split the pack into cards/*.yaml files",
                )


def _check_aliases(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand it by more than ``MAX_ALIAS_GROWTH`` values,
    or that refers to itself (an anchor used inside its own value).

    The composer shares an aliased node instead of copying it, so the node graph stays as
    small as the text; everything that walks the data (the line index, validation, hashing)
    sees it expanded. Sizes are counted once per node, so this costs one pass over the graph.
    """
    size: dict[int, int] = {}  # expanded size of each finished node
    active: set[int] = set()
    shared: yaml.Node | None = None  # the first node reached twice: an anchor
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # iterative post-order: a deep document cannot overflow the stack
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            active.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            continue
        if key in size:
            if shared is None:
                shared = node
            continue
        if key in active:  # ``active`` holds exactly the nodes on the path from the root
            raise YamlProblem(node.start_mark.line + 1, "a YAML alias refers to its own anchor (a recursive value)")
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children)
    growth = size[id(root)] - len(size)
    if growth > MAX_ALIAS_GROWTH:
        line = (shared or root).start_mark.line + 1
        raise YamlProblem(
            line,
            f"YAML aliases expand this file by {growth:,} values (at most {MAX_ALIAS_GROWTH:,}); "
            f"the anchor on this line is repeated too often",
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _index(node: yaml.Node, loc: Loc, lines: Lines) -> None:
    if len(loc) > MAX_DEPTH:
        raise YamlProblem(node.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels")
    lines.at.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise YamlProblem(key.start_mark.line + 1, f"duplicate key '{key.value}'")
                seen.add(key.value)
                sub = loc + (key.value,)
                lines.at[sub] = key.start_mark.line + 1
                _index(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        here = lines.at[loc]
        for i, item in enumerate(node.value):
            if isinstance(item, yaml.ScalarNode) and item.start_mark.line + 1 == here:
                continue  # a scalar on its list's line: ``Lines.line`` falls back to that line
            _index(item, loc + (i,), lines)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))
_MERGE = "tag:yaml.org,2002:merge"


def _construct(loader: Any, node: yaml.Node, made: dict[Any, Any]) -> Any:
    """The data of a node graph: plain strings, lists and dicts built directly, every other
    value (numbers, booleans, merge keys, timestamps) by the loader's own constructors, each
    distinct scalar once. A node reached twice (an alias) gives the same object, as
    PyYAML's ``construct_document`` does; a third of its cost on large packs."""
    key = id(node)
    if key in made:
        return made[key]
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        scalar = (tag, node.value)
        if scalar not in made:
            made[scalar] = loader.construct_object(node, deep=True)
        return made[scalar]
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
        items: list[Any] = []
        made[key] = items
        items.extend(_construct(loader, item, made) for item in node.value)
        return items
    if isinstance(node, yaml.MappingNode) and tag == _MAP and all(k.tag != _MERGE for k, _ in node.value):
        mapping: dict[Any, Any] = {}
        made[key] = mapping
        for k, v in node.value:
            name = _construct(loader, k, made)
            if isinstance(name, (list, dict)):
                raise YamlProblem(k.start_mark.line + 1, "a mapping key must be a plain value, not a list or mapping")
            mapping[name] = _construct(loader, v, made)
        return mapping
    made[key] = value = loader.construct_object(node, deep=True)
    return value


def read_text(path: Path) -> str:
    """The file's text, refusing huge and non-UTF-8 files with a located reason."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlProblem(1, f"file is {size / 1e6:.1f} MB; packs are limited to 5 MB per file")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem(line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None


def load(text: str, *, counted: bool = False) -> tuple[Any, Lines]:
    """Parse one YAML document safely; returns the data and its line index. ``counted``:
    ``fast_load`` already read this very text within ``MAX_NODES`` (no alias adds values
    there), so the size check is skipped."""
    try:
        if not counted:
            _check_size(text)
    except yaml.MarkedYAMLError:
        pass  # a syntax error: the loader below reports it, located
    loader = _Loader(text) if _FAST is None or _maybe_deep(text) else _FAST(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Lines()
        if "&" in text:  # no anchor, no alias
            _check_aliases(node)
        lines = Lines()
        _index(node, (), lines)
        data = _construct(loader, node, {})
        return data, lines
    except YamlProblem:
        raise
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        tag = (exc.problem or "").replace("could not determine a constructor for the tag ", "")
        raise YamlProblem(line, f"unsupported YAML tag {tag} (only plain data is allowed)") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        raise YamlProblem(line, f"YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlProblem(1, "YAML nested too deeply") from None
    finally:
        loader.dispose()



# --- the fast path -------------------------------------------------------------------------
#
# yaml-rs (a YAML 1.2 parser in Rust) reads a 10,000-card pack in ~0.1 s where PyYAML takes
# seconds. YAML 1.1 (PyYAML) and 1.2 read some plain scalars differently (``yes``/``on`` are
# booleans in 1.1 only; ``017`` is octal in 1.1, ``0o17`` in 1.2; ``1e3`` is a float in 1.2
# only; ``12:30`` is a base-60 integer in 1.1; ``<<`` merges in 1.1), and PyYAML treats
# U+0085/U+2028/U+2029 as line breaks. So the fast path is taken only for text where no such
# form can occur, checked on the text before parsing: no anchor, alias, tag or directive;
# no plain scalar that is ``yes``/``no``/``on``/``off``, ``true``/``null`` in an odd case, a number
# in any form but ``-12``/``0.5``/``1.0e-6``, ``.inf``/``.nan``, a date, ``<<`` or ``=``; no tab, no
# non-printable character, no 1.1-only line break;
# not deeply nested; within the size cap. Anything else (and any error yaml-rs reports, and
# any mapping key that is not a string, or too many values) goes to ``load``, so a pack means the same either way
# and problems are reported, located, by the same code. The check is conservative: a prose
# line that starts with ``on`` just takes the slower path.

try:  # an optional speed-up: without a wheel for this platform, everything goes through PyYAML
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - depends on the platform
    _yaml_rs = None  # type: ignore[assignment]  # tested for None before each use

_START = r"(?:\n(?:---)?[ \t]*(?:[-?:][ \t]+)*|:[ \t]+|[\[{,][ \t]*)"  # where a node may begin (after "\n")
_END = r"[ \t\r]*(?:$|#|[,\]}]|:(?:[ \t\r]|$))"  # where a plain scalar may end
_SIMPLE = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+][0-9]+)?)?"  # numbers both versions read alike
_RISKY = re.compile(
    _START + "(?:" + "|".join([
        r"[&*!]",  # an anchor, an alias or a tag
        # each lookahead on the first character only skips, at once, the many places where
        # the rest cannot match (a third of the check's time on a 10,000-card pack)
        r"(?=[yYnNoO<=])(?i:yes|no|on|off|y|n|<<|=)" + _END,
        r"(?=[tTfFnN])(?!(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)" + _END + r")(?i:true|false|null)"
        + _END,
        r"[-+]?\.(?i:inf|nan)",
        r"[0-9]{4}-[0-9]",  # a date or timestamp
        r"(?=[-+.0-9])(?!" + _SIMPLE + _END + r")[-+]?\.?[0-9][0-9a-zA-Z_.:+-]*" + _END,
    ]) + ")"
    + r"|\n%",  # a directive
    re.M,
)
_ODD = re.compile(  # tab, U+0085, U+2028/9, BOM, non-printable
    r"[^\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def fast_load(text: str) -> tuple[Any, Lines | None] | None:
    """The data of a clean file read by yaml-rs, or ``None`` when it must go through
    ``load``. The ``Lines`` index holds only the line of each item of the top-level list or
    ``cards:`` list (what a clean pack keeps); a caller that finds a problem re-reads the
    file with ``load`` for exact lines."""
    if _yaml_rs is None or _ODD.search(text) or _RISKY.search("\n" + text) or _maybe_deep(text):
        return None
    try:
        data = _yaml_rs.loads(text)
    except Exception:  # noqa: BLE001 - any refusal: PyYAML reports it, located
        return None
    if not _plain(data):
        return None
    lines = _item_lines(text, data)
    if lines is None:
        return None
    return data, lines


def _plain(data: Any) -> bool:
    """Only string keys, at most ``MAX_DEPTH`` levels and ``MAX_NODES`` values (yaml-rs read
    text without aliases, so the data is no larger than the text)."""
    try:
        return _count(data, 0) <= MAX_NODES
    except _NotPlain:
        return False


class _NotPlain(Exception):
    pass


_SCALARS = frozenset({str, float, bool, type(None)})


def _count(value: Any, depth: int) -> int:
    kind = type(value)
    if kind is dict:
        if depth >= MAX_DEPTH:
            raise _NotPlain
        n = 1 + len(value)  # the mapping and its keys
        for k, v in value.items():
            if type(k) is not str:
                raise _NotPlain
            t = type(v)
            n += 1 if t in _SCALARS else _count(v, depth + 1)
        return n
    if kind is list:
        if depth >= MAX_DEPTH:
            raise _NotPlain
        n = 1
        for v in value:
            n += 1 if type(v) in _SCALARS else _count(v, depth + 1)
        return n
    if kind is int:
        if value.bit_length() > 3 * (sys.get_int_max_str_digits() or 10**6):
            raise _NotPlain  # too long to print: ``load`` refuses it, located
        return 1
    if kind in _SCALARS:
        return 1
    raise _NotPlain


def _item_lines(text: str, data: Any) -> Lines | None:
    """The line of each item of the cards list (the document itself, or its ``cards:``),
    found on the text: a block list's items are the lines that start with ``-`` at its
    indentation, up to the first line less indented or level with it that is not an item.
    ``None`` when the layout is anything else (a flow list, a count that does not match)."""
    lines = Lines()
    if isinstance(data, list):
        base: Loc = ()
        items, start = data, 0
    elif isinstance(data, dict) and isinstance(data.get("cards"), list):
        base, items = ("cards",), data["cards"]
        heads = [m.end() for m in re.finditer(r"^cards:[ \t\r]*(?:#[^\n]*)?\n", text, re.M)]
        if len(heads) != 1:
            return None if items else lines
        start = heads[0]
    else:
        return lines
    if not items:
        return lines
    first = re.compile(r"^( *)[^ \r\n#]", re.M).search(text, start)
    if first is None:
        return None
    n = len(first.group(1))
    stop = re.compile(rf"^(?! {{{n}}}-(?:[ \r\n]|$)| {{{n + 1},}}|[ \t]*(?:#|\r?$))", re.M).search(text, first.start())
    section = text[: stop.start() if stop else len(text)]
    found = [m for m in re.finditer(rf"^ {{{n}}}-(?:[ \r]+(#)?|(?=\n)|$)", section[first.start():], re.M)]
    if len(found) != len(items):
        return None
    content = re.compile(r"^[ \t]*[^ \t\r\n#]", re.M)
    line, at = text.count("\n", 0, first.start()) + 1, first.start()
    for k, m in enumerate(found):
        pos = first.start() + m.start()
        line += text.count("\n", at, pos)
        at = pos
        after = section[first.start() + m.end():first.start() + m.end() + 1]
        if m.end() - m.start() == n + 1 or m.group(1) or after in ("\n", ""):
            nxt = content.search(text, first.start() + m.end())  # the item begins on a later line
            if nxt is None:
                return None
            lines.at[base + (k,)] = line + text.count("\n", pos, nxt.start())
        else:
            lines.at[base + (k,)] = line
    return lines
