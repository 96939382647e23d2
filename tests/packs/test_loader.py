"""The loader on good packs: one file, a folder, every card kind, content hashes."""

from __future__ import annotations

import textwrap

from quizact.packs.loader import load_pack, read_pack
from quizact.packs.models import KINDS
from tests.conftest import SAMPLE


def test_sample_pack_has_one_card_of_each_kind():
    pack = load_pack(SAMPLE)
    assert pack.id == "quizact-sample"
    assert sorted(c.kind for c in pack.cards) == sorted(KINDS)
    assert pack.where["sigmoid-derivative"].line > 1


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def test_folder_pack(tmp_path):
    write(tmp_path / "p" / "pack.yaml", """\
        pack: folder-pack
        name: Folder
        version: 2
        cards:
          - {id: head, kind: recall, prompt: p, answer: a}
        """)
    write(tmp_path / "p" / "cards" / "a.yaml", """\
        - {id: one, kind: recall, prompt: p, answer: a}
        """)
    write(tmp_path / "p" / "cards" / "b.yaml", """\
        cards:
          - {id: two, kind: recall, prompt: p, answer: a}
          - {id: one, kind: recall, prompt: p, answer: a}
        """)
    pack, problems = read_pack(tmp_path / "p")
    assert [c.id for c in pack.cards] == ["head", "one", "two"]
    assert [(p.line, p.card, p.message.split(" (")[0]) for p in problems] == [(3, "one", "duplicate card id")]
    assert problems[0].file.endswith("b.yaml")


def test_content_hash_changes_with_content(tmp_path):
    f = tmp_path / "p.yaml"
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: p, answer: a}\n")
    h1 = load_pack(f).hashes["a"]
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: p2, answer: a}\n")
    assert load_pack(f).hashes["a"] != h1


def test_cache_returns_the_same_pack_and_notices_changes(tmp_path):
    f = tmp_path / "p.yaml"
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: p, answer: a}\n")
    first, _ = read_pack(f, cache=True)
    again, _ = read_pack(f, cache=True)
    assert again.cards == first.cards and again is not first
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: changed, answer: a}\n")
    changed, _ = read_pack(f, cache=True)
    assert changed.cards[0].prompt == "changed"


def test_cache_keeps_one_entry_per_pack_and_notices_a_same_size_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZACT_HOME", str(tmp_path / "home"))
    f = tmp_path / "p.yaml"
    head = "pack: h\nname: H\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: p, answer: "
    for answer in ("aa", "bb", "cc"):  # same size each time: only the bytes tell them apart
        write(f, head + answer + "}\n")
        pack, _ = read_pack(f, cache=True)
        assert pack.cards[0].answer == answer
    assert len(list((tmp_path / "home" / "cache" / "packs").iterdir())) == 1


def test_cache_writes_its_own_entry_and_touches_no_other_file(tmp_path, monkeypatch):
    # (the clean-up of the first cache format's entries is gone: no collection written
    # since then holds them, and the cache deletes nothing it did not write)
    monkeypatch.setenv("QUIZACT_HOME", str(tmp_path / "home"))
    cache = tmp_path / "home" / "cache" / "packs"
    cache.mkdir(parents=True)
    (cache / ("ab" * 32 + ".pickle")).write_bytes(b"old")
    (cache / "notes.txt").write_text("not ours to delete")
    f = tmp_path / "p.yaml"
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: p, answer: a}\n")
    read_pack(f, cache=True)
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["ab" * 32 + ".pickle", "notes.txt", "p.yaml"]


def test_pack_digest_follows_content_not_file_layout(tmp_path):
    f = tmp_path / "p.yaml"
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: p, answer: a}\n")
    one = load_pack(f).digest
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n\n  - {id: a,   kind: recall, prompt: p, answer: a}\n")
    assert load_pack(f).digest == one  # layout only
    write(f, "pack: h\nname: H\nversion: 2\ncards:\n  - {id: a, kind: recall, prompt: p, answer: a}\n")
    assert load_pack(f).digest != one


def test_a_field_of_another_kind_is_named_as_such(tmp_path):
    f = tmp_path / "p.yaml"
    write(f, "pack: h\nname: H\nversion: 1\ncards:\n"
             "  - {id: s, kind: symbolic, prompt: p, variables: [z], answer: z, tolerance: {rtol: 0.1}}\n")
    _, problems = read_pack(f)
    assert [p.message for p in problems] == ["unknown field 'tolerance' (a symbolic card has no 'tolerance')"]


def test_an_edit_rebuilds_only_the_light_forms_of_changed_prompts(tmp_path, monkeypatch):
    """The Markdown parse behind a prompt's light form is the slow part of writing the
    cache: a prompt the earlier entry already had keeps its form (or its lack of one), and
    the forms equal those built afresh; a new cache format builds every one again."""
    from quizact.packs import lightform, loader

    monkeypatch.setenv("QUIZACT_HOME", str(tmp_path / "home"))
    built: list[str] = []
    real = lightform.build
    monkeypatch.setattr(lightform, "build", lambda prompt: built.append(prompt) or real(prompt))
    f = tmp_path / "p.yaml"
    head = "pack: h\nname: H\nversion: 1\ncards:\n"

    def pack_with(b_prompt: str):
        write(f, head + "  - {id: a, kind: recall, prompt: 'The **mean** of a batch', answer: x}\n"
                 f"  - {{id: b, kind: recall, prompt: '{b_prompt}', answer: x}}\n"
                 "  - {id: c, kind: recall, prompt: 'See [the notes](http://example.org)', answer: x}\n")  # fmt: skip
        built.clear()
        pack, problems = read_pack(f, cache=True)
        assert not problems
        return pack

    pack = pack_with("Plain *emphasis*")
    assert sorted(built) == sorted(c.prompt for c in pack.cards)
    assert set(pack.prompts) == {"a", "b"}  # a link is drawn by the Markdown widget
    pack = pack_with("Changed *emphasis*")
    assert built == ["Changed *emphasis*"]
    fresh = {c.id: real(c.prompt) for c in pack.cards if real(c.prompt) is not None}
    assert pack.prompts == fresh
    assert pack.prompts["b"][2] == (("Changed emphasis", ((8, 16, ".em"),)),)  # "emphasis" at 8–16, by hand
    monkeypatch.setattr(loader, "CACHE_FORMAT", "another")
    pack = pack_with("Changed again")
    assert sorted(built) == sorted(c.prompt for c in pack.cards)


def test_the_cache_format_follows_the_records_fields(tmp_path, monkeypatch):
    """A field added to a pack record changes the cache key by itself (no hand-bumped
    constant): a cache entry written before is read from YAML again, never unpickled
    into records that lack the new field."""
    import types

    from quizact.packs import loader, models
    from quizact.records import record

    def shape_with(extra: str | None, *, type_: str = "int") -> str:
        module = types.ModuleType(models.__name__)
        for name, value in vars(models).items():
            if isinstance(value, type) and value.__module__ == models.__name__:
                setattr(module, name, value)
        if extra is not None:  # NumericCard with one more field, as an edit of models.py would give
            namespace = {"__annotations__": {extra: type_}, extra: 0, "__module__": models.__name__,
                         "__qualname__": "NumericCard"}
            module.NumericCard = record(type("NumericCard", (models.NumericCard,), namespace))
        return loader._record_shape.__wrapped__(module)

    same = shape_with(None)
    assert same == loader._record_shape()  # the module copy is the real one
    assert shape_with("hint_count") != same  # a field added
    assert shape_with("hint_count") != shape_with("hint_total")  # a field named otherwise
    assert shape_with("hint_count", type_="str") != shape_with("hint_count")  # retyped

    # and the key in use carries it: a pack cached under another shape is read again
    path = tmp_path / "p.yaml"
    path.write_text("pack: p\nname: P\nversion: 1\ncards:\n  - {id: a, kind: recall, prompt: q, answer: r}\n")
    monkeypatch.setenv("QUIZACT_HOME", str(tmp_path / "home"))
    read_pack(path, cache=True)
    entry = loader._cache_entry(path)
    assert entry is not None and entry[1][1] == loader.record_format()
    monkeypatch.setattr(loader, "_record_shape", lambda: "0badf00d")
    reads = []
    real_read = loader.read_pack

    def counting(p, *a, **k):
        reads.append(p)
        return real_read(p, *a, **k)

    monkeypatch.setattr(loader, "read_pack", counting)
    pack, problems = loader._cached(path)
    assert problems == [] and pack is not None and reads == [path]  # parsed again, not unpickled
