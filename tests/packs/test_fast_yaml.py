"""The fast YAML path (yaml-rs) gives exactly the data the located PyYAML path gives, or
declines; where YAML 1.1 and 1.2 read a scalar differently it declines, so a pack means the
same with or without yaml-rs installed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from quizact.packs import loader, yamlsrc

pytest.importorskip("yaml_rs")

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted({*ROOT.glob("content/**/*.yaml"), *ROOT.glob("tests/packs/**/*.yaml")})


def same(a, b) -> bool:
    """Equal values of equal types all the way down (``1 == 1.0 == True`` in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_and_test_file_reads_alike(path):
    try:
        text = yamlsrc.read_text(path)
    except yamlsrc.YamlProblem:
        return
    fast = yamlsrc.fast_load(text)
    if fast is None:
        return
    data, lines = yamlsrc.load(text)
    assert same(fast[0], data)
    for loc, line in fast[1].at.items():  # the cards' lines, as the located index has them
        assert lines.line(loc) == line, loc


def test_the_shipped_cards_files_take_the_fast_path():
    # the built-in packs' card files are clean: they must not all fall back (the guard is
    # conservative, but not so much that it never applies)
    taken = [p for p in FILES if "content" in p.parts and yamlsrc.fast_load(p.read_text()) is not None]
    assert len(taken) >= 3, taken


# scalars where YAML 1.1 (PyYAML) and 1.2 (yaml-rs) differ, or may: PyYAML's reading is the
# pack's meaning, pinned here by hand
TRICKY = {
    "yes": True, "no": False, "on": True, "off": False, "Yes": True, "NO": False, "y": "y",
    "017": 15, "0o17": "0o17", "09": "09", "0x1f": 31, "1_000": 1000, "1e3": "1e3",
    "1.0e3": "1.0e3", "1.5e+3": 1500.0, "+.5": "+.5", "+1": 1, "12:30": 750, "1:20:30": 4830,
    ".inf": math.inf, "-.inf": -math.inf, ".NaN": math.nan, "~": None, "null": None, "nUll": "nUll",
    "tRue": "tRue", "2001-12-14": yaml.safe_load("2001-12-14"), "0.5": 0.5, "-3": -3, "1.0e-6": 1e-6,
}


@pytest.mark.parametrize("scalar", sorted(TRICKY))
@pytest.mark.parametrize("form", ["k: {}\n", "- {}\n", "[a, {}]\n", "{{k: {}}}\n", "k:\n  - {}  # c\n", "{}: k\n"])
def test_tricky_scalars_mean_what_pyyaml_reads(scalar, form):
    text = form.format(scalar)
    data, _ = yamlsrc.load(text)
    expected = TRICKY[scalar]
    got = data["k"] if form.startswith("k") else data[-1] if isinstance(data, list) else data
    if form == "{}: k\n":
        got = next(iter(data)) if not (isinstance(expected, float) and math.isnan(expected)) else expected
    if form.startswith("k:\n"):
        got = data["k"][0]
    if form.startswith("{{"):
        got = data["k"]
    assert same(got, expected)
    fast = yamlsrc.fast_load(text)
    assert fast is None or same(fast[0], data), (text, fast)


def test_a_merge_key_is_read_by_pyyaml():
    text = "a: {<<: {x: 1}, y: 2}\n"
    assert yamlsrc.fast_load(text) is None
    assert yamlsrc.load(text)[0] == {"a": {"x": 1, "y": 2}}


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "%YAML 1.1\n---\na: 1\n", "a:\tb\n", "a: b\u2028c\n",
    "a: 1\na: 2\n", "1: a\n'1': b\n", "? [a]\n: b\n", "a: [" * 70 + "]" * 70 + "\n",
])
def test_anything_unusual_declines_the_fast_path(text):
    assert yamlsrc.fast_load(text) is None


def test_quoted_lookalikes_stay_strings():
    text = 'a: "yes"\nb: \'017\'\nc: "1e3"\n'
    fast = yamlsrc.fast_load(text)
    assert fast is not None and fast[0] == {"a": "yes", "b": "017", "c": "1e3"}


def test_card_lines_come_from_the_text(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "pack: p\nname: P\nversion: 1\ncards:\n"
        "  - id: one\n    kind: recall\n    prompt: p\n    answer: a\n"
        "  # a comment\n"
        "  -\n    id: two\n    kind: recall\n    prompt: |\n      - not an item\n    answer: a\n"
    )
    fast = yamlsrc.fast_load(path.read_text())
    assert fast is not None and fast[1].at == {("cards", 0): 5, ("cards", 1): 11}
    pack, problems = loader.read_pack(path)
    assert problems == [] and (pack.where["one"].line, pack.where["two"].line) == (5, 11)


def test_a_problem_in_a_fast_file_is_located_as_before(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("pack: p\nname: P\nversion: 1\ncards:\n  - id: one\n    kind: recall\n    prompt: p\n"
                    "    answer: a\n    hint: [1, 2]\n")
    assert yamlsrc.fast_load(path.read_text()) is not None
    [problem] = loader.read_pack(path)[1]
    assert (problem.line, problem.card) == (9, "one")


def test_the_raw_cards_are_not_kept(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("pack: p\nname: P\nversion: 1\ncards:\n  - {id: one, kind: recall, prompt: p, answer: a}\n")
    pack, problems = loader.read_pack(path)
    assert problems == [] and pack.meta.cards == [] and [c.id for c in pack.cards] == ["one"]


def test_without_yaml_rs_a_pack_loads_the_same(tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_text("pack: p\nname: P\nversion: 1\ncards:\n"
                    + "".join(f"  - id: c{i}\n    kind: recall\n    prompt: p {i}\n    answer: a\n" for i in range(3)))
    assert yamlsrc.fast_load(path.read_text()) is not None
    with_rs, problems = loader.read_pack(path)
    assert problems == []
    monkeypatch.setattr(yamlsrc, "_yaml_rs", None)
    assert yamlsrc.fast_load(path.read_text()) is None
    without, problems = loader.read_pack(path)
    assert problems == []
    assert (with_rs.cards, with_rs.where, with_rs.hashes, with_rs.digest) == (
        without.cards, without.where, without.hashes, without.digest)
    assert [without.where[f"c{i}"].line for i in range(3)] == [5, 9, 13]


@pytest.mark.parametrize("text", [
    'a: "\\x41\\u00e9\\N\\_\\L\\P\\e\\0"\n', "a: 'it''s\n  ok'\n", "a: |+\n  b\n\n", "a: |-\n  b\n   c\n",
    "a: >\n  b\n  c\n\n  d\n", "a: plain\n  folded\n\n  more\n", "a: b #c\nd: 'b #c'\n", "a: \"a\\\n  b\"\n",
    "a: 'a\n\n\n  b'\n", "- a\n- b:\n", "a: -0.0\n", "a: 0.50\n", "a: 1.0e+3\n", "a: x:y\n", "k: v\n...\n",
])
def test_string_and_number_forms_read_alike(text):
    fast = yamlsrc.fast_load(text)
    assert fast is not None, "this form is clean: the fast path should take it"
    assert same(fast[0], yamlsrc.load(text)[0])


@pytest.mark.parametrize("indent", ["", "  ", "\t"])
def test_compact_nesting_beyond_the_cap_declines_the_fast_path(indent):
    """``- - - x`` nests one level per dash: 64 levels (MAX_DEPTH) may take the fast path,
    65 go to the loader whose depth cap reports them, located."""
    assert yamlsrc.MAX_DEPTH == 64
    at_cap = indent + "- " * 64 + "x\n"
    beyond = indent + "- " * 65 + "x\n"
    assert not yamlsrc._maybe_deep("cards:\n" + at_cap)
    assert yamlsrc._maybe_deep("cards:\n" + beyond)
    assert yamlsrc._maybe_deep("a: 1\n" + beyond + "b: 2\n")  # on any line, not only the first
