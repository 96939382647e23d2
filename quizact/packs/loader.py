"""Load a pack from YAML into validated models, reporting every problem with its place.

A pack is either one YAML file (metadata and ``cards:``) or a folder holding ``pack.yaml``
(metadata, optionally ``cards:``) and ``cards/*.yaml`` (each a list of cards, or a mapping
with ``cards:``). Each card is validated on its own, so one bad card never hides another.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import pickle
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from quizact.packs import models
from quizact.packs.errors import PackError, Problem
from quizact.packs.models import KINDS, Card, PackMeta



@lru_cache(maxsize=1)
def _card_adapter() -> TypeAdapter:
    """Built on first use: a pack read from the cache never pays for it."""
    return TypeAdapter(Card)


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
    hashes: dict[str, str] = field(default_factory=dict)

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


def _pydantic_problems(exc: ValidationError, file: str, lines: Any, base: tuple, card: str) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        # discriminated unions insert the kind tag ("symbolic") into the location
        if loc and loc[0] in KINDS:
            loc = loc[1:]
        where = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown field '{loc[-1]}'" + _suggest(str(loc[-1]))
            where = ".".join(str(p) for p in loc[:-1])
        elif err["type"] == "missing":
            msg = f"missing required field '{loc[-1]}'"
            where = ".".join(str(p) for p in loc[:-1])
        elif err["type"] == "union_tag_invalid":
            kind = err.get("input", {}).get("kind") if isinstance(err.get("input"), dict) else None
            msg = f"unknown kind '{kind}' (expected one of {', '.join(KINDS)})"
            loc = loc + ("kind",)
        elif err["type"] == "string_pattern_mismatch":
            msg = f"'{err['input']}' is not a valid id: use lowercase letters, digits, '.', '_' and '-'"
        elif err["type"] == "union_tag_not_found":
            msg = f"missing required field 'kind' (one of {', '.join(KINDS)})"
        text = f"{where}: {msg}" if where else msg
        out.append(Problem(file, lines.line(base + loc), card, text))
    return out


def _field_names() -> set[str]:
    names: set[str] = set()
    for model in models.__dict__.values():
        if isinstance(model, type) and issubclass(model, models.Strict):
            names |= set(model.model_fields)
    return names


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, sorted(_field_names()), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _card_hash(raw: dict) -> str:
    blob = json.dumps(raw, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _read(path: Path, problems: list[Problem]) -> tuple[Any, Any] | None:
    from quizact.packs import yamlsrc  # PyYAML: only when a pack is actually parsed

    file = _display(path)
    try:
        return yamlsrc.load(yamlsrc.read_text(path))
    except yamlsrc.YamlProblem as exc:
        problems.append(Problem(file, exc.line, "-", exc.message))
    except OSError as exc:
        problems.append(Problem(file, 1, "-", f"cannot read: {exc.strerror or exc}"))
    return None


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


def _cache_key(path: Path) -> str | None:
    from quizact import __version__

    digest = hashlib.sha256(__version__.encode())
    try:
        for f in _files(path):
            digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def read_pack(path: str | Path, *, cache: bool = False) -> tuple[Pack | None, list[Problem]]:
    """Load a pack, returning what loaded and the list of problems (empty when clean).

    With ``cache``, a clean pack is kept (pickled, keyed by a hash of its files' bytes) in
    the cache folder, so an unchanged pack loads without parsing YAML again.
    """
    path = Path(path)
    if cache:
        from quizact import paths

        key = _cache_key(path)
        store = paths.cache_dir() / "packs" / f"{key}.pickle" if key else None
        if store is not None and store.is_file():
            try:
                pack = pickle.loads(store.read_bytes())
                if isinstance(pack, Pack):
                    pack.path = path
                    return pack, []
            except Exception:  # a stale or damaged cache entry: load from YAML
                pass
        pack, problems = read_pack(path)
        if pack is not None and not problems and store is not None:
            try:
                store.parent.mkdir(parents=True, exist_ok=True)
                tmp = store.with_suffix(".tmp")
                tmp.write_bytes(pickle.dumps(pack))
                tmp.replace(store)
            except OSError:
                pass
        return pack, problems
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

    read = _read(head, problems)
    if read is None:
        return None, problems
    data, lines = read
    file = _display(head)
    if not isinstance(data, dict):
        return None, [Problem(file, 1, "-", "a pack starts with a mapping: pack:, name:, version:, cards:")]
    try:
        meta = PackMeta.model_validate(data)
    except ValidationError as exc:
        return None, _pydantic_problems(exc, file, lines, (), "-")

    raw_cards: list[tuple[dict, str, Any, tuple]] = [
        (c, file, lines, ("cards", i)) for i, c in enumerate(data.get("cards") or [])
    ]
    for card_file in card_files:
        read = _read(card_file, problems)
        if read is None:
            continue
        cdata, clines = read
        cname = _display(card_file)
        base: tuple = ()
        if isinstance(cdata, dict) and set(cdata) == {"cards"}:
            cdata, base = cdata["cards"], ("cards",)
        if not isinstance(cdata, list):
            problems.append(Problem(cname, 1, "-", "a cards file holds a list of cards (or cards: [...])"))
            continue
        raw_cards += [(c, cname, clines, base + (i,)) for i, c in enumerate(cdata)]

    pack = Pack(meta=meta, cards=[], path=path)
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
        try:
            card = _card_adapter().validate_python(raw)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, cfile, clines, loc, card_id))
            pack.where.setdefault(card_id, Located(cfile, line))
            continue
        pack.cards.append(card)
        pack.where[card_id] = Located(cfile, line)
        pack.hashes[card_id] = _card_hash(raw)
    for old, new in meta.renamed.items():
        if new not in pack.where:
            problems.append(Problem(file, lines.line(("renamed", old)), old, f"renamed to '{new}', which is not a card"))
    return pack, problems
