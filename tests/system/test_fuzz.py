"""Hypothesis fuzzing at the boundaries: the pack loader and the number parser never let
an exception escape, whatever they are given."""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizact.grading.card import grade
from quizact.grading.numeric import NumberError, parse_number
from quizact.packs.loader import parse_card, read_pack
from quizact.packs.params import instantiate

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=20))
FIELDS = ["id", "kind", "prompt", "answer", "params", "where", "tags", "steps", "options", "network",
          "variables", "value", "tolerance", "mistakes", "explain", "promt", "domain", "require"]
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(FIELDS + ["uniform", "choice", "integer", "decimals", "shape"]), inner, max_size=5),
), max_leaves=20)
cards = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)
packs = st.fixed_dictionaries({"pack": st.sampled_from(["p", "Bad Id", 3]), "name": scalars, "version": scalars,
                               "cards": st.lists(st.one_of(cards, values), max_size=4)})


@FAST
@given(packs)
def test_loader_on_structured_junk(tmp_path_factory, data):
    f = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True))
    pack, problems = read_pack(f)
    assert pack is not None or problems
    for p in problems:
        assert p.line >= 1 and str(p).startswith(str(f))


@FAST
@given(st.text(alphabet=string.printable + "−·σ[]{}:-!&*|>'\"%@`", max_size=300))
def test_loader_on_arbitrary_text(tmp_path_factory, text):
    f = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    f.write_text(text)
    pack, problems = read_pack(f)
    assert pack is not None or problems


@FAST
@given(st.binary(max_size=200))
def test_loader_on_arbitrary_bytes(tmp_path_factory, data):
    f = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    f.write_bytes(data)
    read_pack(f)


@FAST
@given(st.text(max_size=200))
def test_number_parser(text):
    try:
        parse_number(text)
    except NumberError as exc:
        assert exc.message


CARD = parse_card({"id": "n", "kind": "numeric", "prompt": "p",
                   "params": {"x": {"uniform": [0, 1], "decimals": 2}}, "answer": "[x, 2*x]"})


@FAST
@given(st.text(alphabet="0123456789.,-+/eE[] x×^*nainf", max_size=60))
def test_numeric_grader_never_raises(text):
    v = grade(CARD, instantiate(CARD, 1), [text])
    assert v.status in ("correct", "incorrect", "invalid")


# -- hostile pack files: anchors, aliases and control characters in every string field --------

import time  # noqa: E402

import pytest  # noqa: E402

from quizact.packcheck import check_pack  # noqa: E402
from quizact.packs.errors import PackError  # noqa: E402
from quizact.packs.loader import load_pack  # noqa: E402
from quizact.textsafe import unsafe  # noqa: E402

SOAK = settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
MODEST = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
CONTROLS = ["\x1b", "\x07", "\r", "\x00", "\x9b", "\u202e", "\n", "\u2028", "\x1b]0;pwned\x07", "\x1b[2J"]
BOUND_S = 5.0  # CPU seconds, as asked of pack check for any file

hostile_text = st.lists(
    st.one_of(st.sampled_from(CONTROLS), st.text(alphabet="abz-_.{}[]:*&!|>'\"%@ x0123", max_size=6),
              st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
    max_size=5,
).map("".join)


def mostly(sound, hostile):
    """Four draws in five from ``sound``, so that most files get past the first problem."""
    return st.integers(0, 4).flatmap(lambda k: hostile if k == 4 else sound)  # draws lean to 0


ids = mostly(st.sampled_from(["a", "b", "c-1", "sigmoid-derivative"]), hostile_text)
formulas = mostly(st.sampled_from(["x", "2*x", "sigmoid(z)*(1 - sigmoid(z))", "x > 0", "{x:.2f}*z", "z"]),
                  hostile_text)
placeholders = st.sampled_from(["{x}", "{x:.3q}", "{x:>99999}", "{W[9,9]}", "{{x}}", "{x:+.2e}", "", "{x:.99999f}"])
prompts = st.tuples(hostile_text, placeholders, hostile_text).map("".join)


@st.composite
def shared(draw, leaf):
    """A value whose parts are the same objects, which PyYAML writes as anchors and aliases;
    deep enough sharing is a "billion laughs"."""
    value = draw(leaf)
    for _ in range(draw(mostly(st.integers(0, 2), st.integers(3, 12)))):
        value = [value] * draw(st.integers(1, 6))
    return value


params = st.dictionaries(mostly(st.just("x"), hostile_text), st.one_of(
    st.floats(-5, 5), st.just({"uniform": [0.1, 1], "decimals": 2}), shared(st.integers(1, 3))), min_size=1, max_size=2)
KIND_FIELDS = {
    "recall": {"answer": prompts},
    "choice": {"options": st.tuples(prompts, prompts, prompts).map(
        lambda t: [{"text": t[0], "correct": True, "feedback": t[2]}, {"text": t[1]}])},
    "symbolic": {"variables": st.lists(mostly(st.just("z"), hostile_text), min_size=1, max_size=2),
                 "answer": st.one_of(formulas, shared(formulas)),
                 "mistakes": st.lists(st.fixed_dictionaries({"answer": formulas, "feedback": hostile_text}),
                                      max_size=2)},
    "numeric": {"params": params, "answer": formulas},
    "steps": {"params": params, "steps": st.lists(st.fixed_dictionaries(
        {"prompt": prompts, "answer": formulas}, optional={"name": hostile_text}), min_size=1, max_size=2)},
}


def hostile_card(kind: str):
    """A card of ``kind`` with hostile text in every string; now and then a wrong field."""
    extra = mostly(st.just({}), st.dictionaries(hostile_text, st.one_of(hostile_text, shared(hostile_text)),
                                                max_size=2))
    fields = st.fixed_dictionaries(
        {"id": ids, "kind": mostly(st.just(kind), hostile_text), "prompt": prompts, **KIND_FIELDS[kind]},
        optional={"tags": mostly(st.lists(hostile_text, max_size=3), shared(hostile_text)),
                  "explain": prompts, "where": st.lists(formulas, max_size=1)},
    )
    return st.tuples(extra, fields).map(lambda pair: {**pair[0], **pair[1]})


hostile_packs = st.fixed_dictionaries(
    {"pack": mostly(st.just("fuzz"), hostile_text), "name": mostly(st.just("Fuzz"), hostile_text),
     "version": mostly(st.just(1), hostile_text)},
    optional={"renamed": st.dictionaries(ids, ids, max_size=3), "description": hostile_text,
              "authors": mostly(st.lists(hostile_text, max_size=2), shared(hostile_text)),
              "cards": st.lists(st.sampled_from(sorted(KIND_FIELDS)).flatmap(hostile_card), min_size=1, max_size=4)},
)


def answers_within_bounds(path):
    """Load and check ``path``: only PackError may escape, each problem is one escaped line."""
    start = time.process_time()
    try:
        load_pack(path)
    except PackError as exc:
        assert exc.problems
    pack, problems = check_pack(path, variants=3)
    assert time.process_time() - start < BOUND_S
    for problem in problems:
        line = str(problem)
        assert "\n" not in line and not any(unsafe(ch) for ch in line), repr(line)
        assert problem.line >= 1
    return problems


def write_hostile(tmp_path_factory, data, aliased: bool):
    f = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    # the dumper writes repeated objects as &anchors and *aliases (unless told to copy them)
    text = yaml.safe_dump(data, allow_unicode=True) if aliased else yaml.dump(
        data, Dumper=_NoAliases, allow_unicode=True)
    f.write_text(text, encoding="utf-8")
    return f, text


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):  # type: ignore[no-untyped-def]
        return True


@pytest.fixture(scope="module")
def warm_checker(tmp_path_factory):
    """Import the graders once, so the first example's time is its own."""
    f = tmp_path_factory.mktemp("warm") / "p.yaml"
    f.write_text("pack: w\nname: W\nversion: 1\ncards:\n"
                 "  - {id: s, kind: symbolic, prompt: p, variables: [z], answer: z}\n")
    check_pack(f, variants=1)


@MODEST
@given(data=hostile_packs)
def test_hostile_pack_files_answer_within_bounds(tmp_path_factory, warm_checker, data):
    f, text = write_hostile(tmp_path_factory, data, aliased=True)
    answers_within_bounds(f)


@pytest.mark.soak
@SOAK
@given(data=hostile_packs)
def test_hostile_pack_files_answer_within_bounds_soak(tmp_path_factory, warm_checker, data):
    f, text = write_hostile(tmp_path_factory, data, aliased=True)
    answers_within_bounds(f)


def test_a_generated_alias_bomb_is_one_located_problem(tmp_path_factory, warm_checker):
    lol = ["lol\x1b[2J"] * 9
    for _ in range(8):
        lol = [lol] * 9
    f, text = write_hostile(tmp_path_factory, {"pack": "bomb", "name": "B", "version": 1,
                                               "cards": [{"id": "x", "kind": "recall", "prompt": "p", "answer": "a",
                                                          "tags": lol}]}, aliased=True)
    assert "&id" in text and "*id" in text
    [problem] = answers_within_bounds(f)
    assert problem.card == "-" and "YAML aliases expand this file" in problem.message
