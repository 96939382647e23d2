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
