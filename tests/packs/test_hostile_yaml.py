"""Hostile pack files: alias bombs, deep nesting, huge scalars and many values each get one
located problem from ``pack check`` and ``pack add`` within 5 s of CPU and 300 MB, in a
real process; small anchors and aliases still work."""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml

from quizact.packs import yamlsrc
from quizact.packs.loader import read_pack
from tests.packs.hostile import HOSTILE, laughs, run_quizact, write

CPU_S = 5.0  # the bound asked of any pack file (CPU time: the machine may be shared)
RSS_MB = 300.0
VALID = {"huge-scalar", "big-valid-pack"}
LINE = re.compile(r"^\S+\.yaml:\d+: -: \S.*$")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_pack_check_answers_any_file_within_bounds(tmp_path, name):
    path = write(tmp_path, name, HOSTILE[name])
    run = run_quizact(["pack", "check", str(path)])
    assert "Traceback" not in run.stderr
    assert run.cpu_s < CPU_S, f"{name}: {run.cpu_s:.2f} s of CPU"
    assert run.max_rss_mb < RSS_MB, f"{name}: {run.max_rss_mb:.0f} MB"
    if name in VALID:
        assert run.returncode == 0 and run.stdout == ""
    else:
        assert run.returncode == 1
        lines = run.stdout.splitlines()
        assert len(lines) == 1 and LINE.match(lines[0]), run.stdout[:300]


@pytest.mark.parametrize("name", ["laughs", "merge-laughs", "recursive-anchor", "long-flow-list"])
def test_pack_add_refuses_hostile_files_within_bounds(tmp_path, _isolated_home, name):
    path = write(tmp_path, name, HOSTILE[name])
    db = tmp_path / "c.sqlite"
    run = run_quizact(["--db", str(db), "pack", "add", str(path)])
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "not added" in run.stderr
    assert run.cpu_s < CPU_S and run.max_rss_mb < RSS_MB
    packs = _isolated_home / "packs"
    assert not packs.exists() or not any(packs.iterdir())


def problems_of(tmp_path, text):
    path = write(tmp_path, "p", text)
    pack, problems = read_pack(path)
    return [(p.line, p.card, p.message) for p in problems]


def test_billion_laughs_is_located_at_an_anchor(tmp_path):
    # 9 levels of 9 aliases: the answer expands to 9**9 = 387,420,489 "lol"s
    [(line, card, message)] = problems_of(tmp_path, laughs())
    assert card == "-" and 4 <= line <= 12  # the lines of the anchors l0..l8
    assert "YAML aliases expand this file by" in message and "at most 10,000" in message


def test_an_anchor_used_inside_itself_is_refused(tmp_path):
    [(line, card, message)] = problems_of(tmp_path, HOSTILE["recursive-anchor"])
    assert (line, card) == (4, "-") and "refers to its own anchor" in message


def test_small_anchors_and_aliases_still_work(tmp_path):
    path = write(tmp_path, "p", textwrap.dedent("""\
        pack: aliased
        name: Aliased
        version: 1
        cards:
          - {id: one, kind: recall, prompt: p, answer: a, tags: &common [activations, relu]}
          - {id: two, kind: recall, prompt: p, answer: a, tags: *common}
        """))
    pack, problems = read_pack(path)
    assert problems == []
    assert pack.card("two").tags == pack.card("one").tags == ["activations", "relu"]


def test_alias_growth_is_counted_exactly():
    # a list of 101 items is 102 values; each alias to it adds 102 values beyond those written
    def doc(copies):
        return "a: &a [" + ", ".join(["1"] * 101) + "]\nb: [" + ", ".join(["*a"] * copies) + "]\n"

    yamlsrc.load(doc(98))  # 98 * 102 = 9,996 values: allowed
    with pytest.raises(yamlsrc.YamlProblem) as exc:
        yamlsrc.load(doc(99))  # 99 * 102 = 10,098
    assert exc.value.line == 1 and "by 10,098 values" in exc.value.message


def test_too_many_values_are_refused_before_building_the_tree():
    text = "[" + ", ".join(["1"] * yamlsrc.MAX_NODES) + "]\n"  # the list and its items: one too many
    with pytest.raises(yamlsrc.YamlProblem) as exc:
        yamlsrc.load(text)
    assert "more than 300,000 values" in exc.value.message
    assert len(yamlsrc.load(text.replace("[1, ", "[", 1))[0]) == yamlsrc.MAX_NODES - 1


def test_keys_without_values_count_twice():
    # {k0, k1, …}: each key brings an implicit null, so 160,000 keys are 320,001 values
    text = "{" + ", ".join(f"k{i}" for i in range(160_000)) + "}\n"
    with pytest.raises(yamlsrc.YamlProblem) as exc:
        yamlsrc.load(text)
    assert "more than 300,000 values" in exc.value.message


def test_a_number_python_refuses_is_a_located_problem(tmp_path):
    [(line, card, message)] = problems_of(tmp_path, HOSTILE["huge-integer"])
    assert (line, card) == (3, "-") and message == "cannot read this value: a number longer than 4300 digits"


def test_plain_data_reads_as_pyyaml_reads_it():
    # the direct constructor must give what SafeLoader gives: merge keys, typed scalars, one
    # object per anchor, strings that look like numbers when quoted
    text = textwrap.dedent("""\
        base: &b {lr: 0.1, steps: 3}
        merged: {<<: *b, steps: 5}
        typed: [1, -2.5e-3, 0x1f, true, no, ~, "7", 2026-01-02, .inf]
        same: [*b, *b]
        """)
    data, _ = yamlsrc.load(text)
    assert data == yaml.safe_load(text)
    assert data["merged"] == {"lr": 0.1, "steps": 5}
    assert data["same"][0] is data["same"][1] is data["base"]


def test_a_list_as_a_mapping_key_is_a_located_problem():
    with pytest.raises(yamlsrc.YamlProblem) as exc:
        yamlsrc.load("a: 1\n? [x, y]\n: 2\n")
    assert exc.value.line == 2 and "mapping key must be a plain value" in exc.value.message


def test_items_of_a_block_list_keep_their_own_lines():
    _, lines = yamlsrc.load("tags:\n  - a\n  - b\nflow: [c, d]\n")
    assert lines.line(("tags", 0)) == 2 and lines.line(("tags", 1)) == 3
    assert lines.line(("flow", 1)) == 4
