"""Load a pack from YAML into validated records, reporting every problem with its place.

A pack is either one YAML file (metadata and ``cards:``) or a folder holding ``pack.yaml``
(metadata, optionally ``cards:``) and ``cards/*.yaml`` (each a list of cards, or a mapping
with ``cards:``). Each card is validated on its own, so one bad card never hides another.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import pickle
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizact.packs import curriculum, models
from quizact.packs.curriculum import CardPlace
from quizact.packs.errors import PackError, Problem
from quizact.packs.models import KINDS, PackMeta

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

# part of the cache key, with the records' own fingerprint (``record_format``): bump it by hand
# only for a change the records' fields do not show (say, the light forms' layout)
CACHE_FORMAT = "9"


@lru_cache(maxsize=None)
def _adapter(what: str) -> TypeAdapter[Any]:
    """pydantic's validator for a card (``"card"``) or a pack head (``"meta"``), built on
    first use: a pack read from the cache never imports pydantic."""
    from typing import Annotated

    from pydantic import Field, TypeAdapter

    models.bind_validators()
    if what == "meta":
        return TypeAdapter(PackMeta)
    return TypeAdapter(Annotated[models.Card, Field(discriminator="kind")])


def parse_card(raw: dict[str, Any]) -> models.Card:
    """Validate one card given as a mapping (raises pydantic's ``ValidationError``)."""
    card: models.Card = _adapter("card").validate_python(raw)
    return card


@dataclass(frozen=True)
class Located:
    file: str
    line: int


@dataclass
class Pack:
    meta: PackMeta
    cards: list[Any]
    path: Path
    where: dict[str, Located] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # card id → hash of its YAML
    digest: str = ""  # a hash of the head and every card: tells the collection it changed
    prompts: dict[str, Any] = field(default_factory=dict)  # card id → light form (packs.lightform), cached packs

    @property
    def id(self) -> str:
        return self.meta.pack

    def card(self, card_id: str) -> Any:
        for card in self.cards:
            if card.id == card_id:
                return card
        raise KeyError(card_id)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _cut_formula(raw: Any, loc: tuple[int | str, ...]) -> tuple[tuple[int | str, ...], str] | None:
    """For an error inside a mapping where YAML cut a formula at its commas
    (``{answer: max(alpha*z, z)}`` reads as ``answer: max(alpha*z`` and a key ``z)``): the
    mapping's location and the hint to quote the formula."""
    for depth in (len(loc) - 1, len(loc) - 2):
        mapping: Any = raw
        for part in loc[:depth]:
            try:
                mapping = mapping[part]
            except (KeyError, IndexError, TypeError):
                mapping = None
                break
        if not isinstance(mapping, dict) or loc[depth] not in mapping or mapping[loc[depth]] is not None:
            continue
        items = list(mapping.items())
        for i, (key, value) in enumerate(items):
            if isinstance(value, str) and value.count("(") + value.count("[") > value.count(")") + value.count("]"):
                rest = []
                for k, v in items[i + 1:]:
                    if v is not None:
                        break
                    rest.append(str(k))
                if rest:
                    whole = ", ".join([value, *rest])
                    return loc[:depth], (f"this looks like a formula cut at its commas (in {{…}} a comma ends a "
                                         f'value); quote it: {key}: "{whole}"')
    return None


def _pydantic_problems(
    exc: ValidationError, file: str, lines: Any, base: tuple[int | str, ...], card: str, raw: Any = None
) -> list[Problem]:
    out = []
    cut: set[tuple[int | str, ...]] = set()  # mappings already told to quote a formula
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = None
        # discriminated unions insert the kind tag ("symbolic") into the location
        if loc and loc[0] in KINDS:
            kind, loc = loc[0], loc[1:]
        where = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        quote = _cut_formula(raw, loc) if loc else None
        if quote is not None:
            if quote[0] in cut:
                continue
            cut.add(quote[0])
            loc, msg = quote
            where = ".".join(str(p) for p in loc)
        elif err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            msg = f"unknown field '{loc[-1]}'" + _suggest(str(loc[-1]), kind if len(loc) == 1 else None)
            where = ".".join(str(p) for p in loc[:-1])
        elif err["type"] in ("missing", "missing_keyword_argument"):
            msg = f"missing required field '{loc[-1]}'"
            where = ".".join(str(p) for p in loc[:-1])
        elif err["type"] == "union_tag_invalid":
            kind = err.get("input", {}).get("kind") if isinstance(err.get("input"), dict) else None
            msg = f"unknown kind '{kind}' (expected one of {', '.join(KINDS)})"
            loc = loc + ("kind",)
        elif loc and loc[-1] == "domain" and err["type"] == "dict_type":
            msg = ("give a range per variable, as domain: {z: [-2, 2]} (a bare [low, high] names no variable; "
                   "variables left out keep [-3, 3])")
        elif err["type"] == "string_pattern_mismatch":
            msg = f"'{err['input']}' is not a valid id: use lowercase letters, digits, '.', '_' and '-'"
        elif err["type"] == "union_tag_not_found":
            msg = f"missing required field 'kind' (one of {', '.join(KINDS)})"
        text = f"{where}: {msg}" if where else msg
        out.append(Problem(file, lines.line(base + loc), card, text))
    return out


@lru_cache(maxsize=1)
def _field_names() -> frozenset[str]:
    names: set[str] = set()
    for model in models.__dict__.values():
        if isinstance(model, type) and issubclass(model, models.Strict):
            names |= {f.name for f in dataclasses.fields(model)}
    return frozenset(names)


def _suggest(name: str, kind: str | None = None) -> str:
    if name in _field_names():  # a real field, of some other record
        return f" (a {kind} card has no '{name}')" if kind else ""
    close = difflib.get_close_matches(name, sorted(_field_names()), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _sha(blob: str) -> str:
    import hashlib  # OpenSSL's load is felt at start-up: only when a pack is parsed

    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _card_hash(raw: dict[str, Any]) -> str:
    return _sha(json.dumps(raw, sort_keys=True, default=str))


def _pack_digest(pack: Pack) -> str:
    # the head's fields but its raw cards (already in the hashes), without asdict's deep copy
    head = {f.name: getattr(pack.meta, f.name) for f in dataclasses.fields(pack.meta) if f.name != "cards"}
    return _sha(repr((head, sorted(pack.hashes.items()))))


def _read(path: Path, problems: list[Problem], fast: bool, counted: set[str]) -> tuple[Any, Any] | None:
    """The data and line index of one file; with ``fast``, a clean file may be read by
    yaml-rs, whose index holds only the cards' lines (see ``yamlsrc.fast_load``). A text
    the fast read accepted joins ``counted``: its values were counted within the caps, so
    a re-read for exact lines need not count them again."""
    from quizact.packs import yamlsrc  # PyYAML: only when a pack is actually parsed

    file = _display(path)
    try:
        text = yamlsrc.read_text(path)
        read = yamlsrc.fast_load(text) if fast else None
        if read is not None:
            counted.add(text)
            return read
        return yamlsrc.load(text, counted=text in counted)
    except yamlsrc.YamlProblem as exc:
        problems.append(Problem(file, exc.line, "-", exc.message))
    except OSError as exc:
        problems.append(Problem(file, 1, "-", f"cannot read: {exc.strerror or exc}"))
    return None


def _rename_problems(renamed: dict[str, str], cards: dict[str, Any], file: str, lines: Any) -> list[Problem]:
    """``renamed: {old: new}`` moves a card's history from an id that left the pack to one in
    it: ``old`` is gone, ``new`` is a card, and no id is both (a chain or a cycle would
    depend on the order the moves are made in), nor the target of two moves."""
    out = []
    targets: dict[str, str] = {}
    for old, new in renamed.items():
        line = lines.line(("renamed", old))
        if old == new:
            why = "renamed to itself"
        elif new in renamed:
            path = [old, new]
            while path[-1] in renamed and renamed[path[-1]] not in path:
                path.append(renamed[path[-1]])
            if path[-1] in renamed:
                why = "renames form a cycle: " + " → ".join([*path, renamed[path[-1]]])
            else:
                chain = " → ".join(path)
                why = f"renamed to '{new}', which is renamed too ({chain}): rename '{old}' to '{path[-1]}'"
        elif old in cards:
            why = f"renamed to '{new}', but '{old}' is still a card of this pack"
        elif new not in cards:
            why = f"renamed to '{new}', which is not a card"
        elif new in targets:
            why = f"renamed to '{new}', which '{targets[new]}' is renamed to as well"
        else:
            targets[new] = old
            continue
        out.append(Problem(file, line, old, why))
    return out


def _reset_problems(reset: list[str], cards: dict[str, Any], file: str, lines: Any) -> list[Problem]:
    """``reset: [id, …]`` names cards of this pack (each once) whose change is substantive."""
    out, seen = [], set()
    for i, card_id in enumerate(reset):
        line = lines.line(("reset", i))
        if card_id in seen:
            out.append(Problem(file, line, card_id, "listed twice in reset"))
        elif card_id not in cards:
            close = difflib.get_close_matches(card_id, sorted(cards), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            out.append(Problem(file, line, card_id, f"reset names '{card_id}', which is not a card{hint}"))
        seen.add(card_id)
    return out


def load_pack(path: str | Path) -> Pack:
    """Load and validate a pack; raises PackError listing every located problem."""
    pack, problems = read_pack(path)
    if problems or pack is None:
        raise PackError(problems or [Problem(str(path), 1, "-", "not a pack")])
    return pack


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        cards = path / "cards"
        return [path / "pack.yaml", *sorted(cards.glob("*.yaml")), *sorted(cards.glob("*.yml"))]
    return [path]


def record_format() -> str:
    """The cache's format: ``CACHE_FORMAT`` and a fingerprint of the shape of what the cache
    pickles (``_record_shape``). Adding, removing, renaming or retyping a field of a pack
    record changes it, so a cache written before the change is never served after it (it
    would unpickle into objects that lack the new attribute)."""
    return f"{CACHE_FORMAT}-{_record_shape()}"


@lru_cache(maxsize=1)
def _record_shape(module: Any = None) -> str:
    """Every record class of the pack models (or of ``module``), with each field's name and
    declared type, and the ``Pack`` and ``Located`` around them, as one checksum."""
    module = models if module is None else module
    classes = [Pack, Located] + sorted(
        (c for c in vars(module).values()
         if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == module.__name__),
        key=lambda c: c.__qualname__,
    )
    shape = "|".join(
        c.__qualname__ + ":" + ",".join(f"{f.name}={f.type}" for f in dataclasses.fields(c)) for c in classes
    )
    return f"{zlib.crc32(shape.encode()):08x}"


def _cache_entry(path: Path) -> tuple[Path, tuple[Any, ...]] | None:
    """Where ``path``'s parsed pack is cached, and the key its files must still match.

    One entry per pack folder or file, overwritten when the pack changes, so the cache
    never grows. The key holds each file's size and two checksums of its bytes: enough
    to notice any edit (this is a local, disposable cache, not a defence against forgery:
    whoever can edit it can edit the pack), cheaper at start-up than a cryptographic hash.
    """
    from quizact import __version__, paths

    try:
        source = path.resolve()
        key: list[Any] = [__version__, record_format(), str(source)]
        for f in _files(path):
            data = f.read_bytes()
            key.append((f.name, len(data), zlib.crc32(data), zlib.adler32(data)))
    except OSError:
        return None
    name = f"{source.name}-{zlib.crc32(str(source).encode()):08x}.pickle"
    return paths.cache_dir() / "packs" / name, tuple(key)


def _cached(path: Path) -> tuple[Pack | None, list[Problem]]:
    entry = _cache_entry(path)
    earlier: dict[str, Any] = {}  # prompt -> its light form (None: drawn by Markdown), from the entry before
    if entry is not None and entry[0].is_file():
        try:
            key, pack = pickle.loads(entry[0].read_bytes())
            if key == entry[1] and isinstance(pack, Pack):
                pack.path = path
                return pack, []
            if isinstance(pack, Pack) and tuple(key[:2]) == entry[1][:2]:  # the pack changed, not the format
                earlier = {card.prompt: pack.prompts.get(card.id) for card in pack.cards}
        except Exception:  # a stale or damaged cache entry: load from YAML
            pass
    pack, problems = read_pack(path)
    if pack is not None and not problems and entry is not None:
        store, key = entry
        from quizact.packs.lightform import forms

        # the app draws these prompts without a Markdown parser; a prompt the earlier entry
        # had keeps its form (the Markdown parse of a 10,000-card pack's prompts takes seconds)
        pack.prompts = forms(pack.cards, known=earlier)
        try:
            store.parent.mkdir(parents=True, exist_ok=True)
            tmp = store.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((key, pack)))
            tmp.replace(store)
        except OSError:
            pass
    return pack, problems


def read_pack(path: str | Path, *, cache: bool = False) -> tuple[Pack | None, list[Problem]]:
    """Load a pack, returning what loaded and the list of problems (empty when clean).

    With ``cache``, a clean pack is kept (pickled) in the cache folder, so an unchanged
    pack loads without parsing YAML, and without importing PyYAML or pydantic.
    """
    path = Path(path)
    if cache:
        return _cached(path)
    counted: set[str] = set()
    pack, problems = _read_pack(path, True, counted)
    if problems:  # located exactly as PyYAML's line index has them
        pack, problems = _read_pack(path, False, counted)
    return pack, problems


def _read_pack(path: Path, fast: bool, counted: set[str]) -> tuple[Pack | None, list[Problem]]:
    problems: list[Problem] = []
    if path.is_dir():
        head = path / "pack.yaml"
        if not head.is_file():
            return None, [Problem(_display(path), 1, "-", "a pack folder needs a pack.yaml")]
        card_files = sorted((path / "cards").glob("*.yaml")) + sorted((path / "cards").glob("*.yml"))
    elif path.is_file():
        head, card_files = path, []
    else:
        return None, [Problem(str(path), 1, "-", "no such file or folder")]

    read = _read(head, problems, fast, counted)
    if read is None:
        return None, problems
    data, lines = read
    file = _display(head)
    if not isinstance(data, dict):
        return None, [Problem(file, 1, "-", "a pack starts with a mapping: pack:, name:, version:, cards:")]
    from pydantic import ValidationError

    try:
        meta = _adapter("meta").validate_python(data)
    except ValidationError as exc:
        return None, _pydantic_problems(exc, file, lines, (), "-", data)

    raw_cards: list[tuple[dict[str, Any], str, Any, tuple[Any, ...]]] = [  # each location ends in an index
        (c, file, lines, ("cards", i)) for i, c in enumerate(data.get("cards") or [])
    ]
    for card_file in card_files:
        read = _read(card_file, problems, fast, counted)
        if read is None:
            continue
        cdata, clines = read
        cname = _display(card_file)
        base: tuple[int | str, ...] = ()
        if isinstance(cdata, dict) and set(cdata) == {"cards"}:
            cdata, base = cdata["cards"], ("cards",)
        if not isinstance(cdata, list):
            problems.append(Problem(cname, 1, "-", "a cards file holds a list of cards (or cards: [...])"))
            continue
        raw_cards += [(c, cname, clines, base + (i,)) for i, c in enumerate(cdata)]

    pack = Pack(meta=meta, cards=[], path=path)
    places: list[CardPlace] = []
    for raw, cfile, clines, loc in raw_cards:
        line = clines.line(loc)
        card_id = str(raw.get("id", f"#{loc[-1] + 1}")) if isinstance(raw, dict) else f"#{loc[-1] + 1}"
        if not isinstance(raw, dict):
            problems.append(Problem(cfile, line, card_id, "a card is a mapping with id:, kind:, prompt:"))
            continue
        if card_id in pack.where:
            first = pack.where[card_id]
            problems.append(Problem(cfile, line, card_id, f"duplicate card id (first at {first.file}:{first.line})"))
            continue
        try:  # the pack's index_from for a card that gives none (validated once, not replaced after)
            card = parse_card(raw if raw.get("index_from") is not None else {**raw, "index_from": meta.index_from})
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, cfile, clines, loc, card_id, raw))
            pack.where.setdefault(card_id, Located(cfile, line))
            continue
        pack.cards.append(card)
        pack.where[card_id] = Located(cfile, line)
        pack.hashes[card_id] = _card_hash(raw)
        places.append(CardPlace(card_id, card.topic, cfile, clines.line(loc + ("topic",))))
    problems += _rename_problems(meta.renamed, pack.where, file, lines)
    problems += _reset_problems(meta.reset, pack.where, file, lines)
    problems += curriculum.problems(meta.curriculum, places, file, lines.line)
    pack.cards = curriculum.introduction_order(meta.curriculum, pack.cards)  # "pack order"
    pack.meta = dataclasses.replace(meta, cards=[])  # the raw cards: validated above, not kept
    pack.digest = _pack_digest(pack)
    return pack, problems
