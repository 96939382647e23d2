"""Pack formulas over vectors: comparisons entry by entry, reduced by any/all/sum; where: is one truth value."""

from __future__ import annotations

import textwrap

import pytest

from quizact.packcheck import check_pack
from quizact.packs import formula
from quizact.packs.loader import parse_card
from quizact.packs.params import ParamError, WhereError, instantiate

Z = {"z": [0.0, 1.8, -1.4, 1.8]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # entries > 0: 1.8 and 1.8 (0 is not > 0, -1.4 is not): two of four
        ("any(z > 0)", True),
        ("all(z > 0)", False),
        ("sum(z > 0)", 2),
        ("sum(z >= 0)", 3),  # 0 counts now
        ("sum(z < 0)", 1),  # only -1.4
        ("any(z > 0.5)", True),
        ("all(z > -2)", True),
        ("any(z > 2)", False),
        ("sum(z > 0 and z < 2)", 2),  # both 1.8s
        ("sum(z < 0 or z > 1)", 3),  # -1.4, 1.8, 1.8
        ("sum(not z > 0)", 2),  # 0 and -1.4
        ("sum(-2 < z < 1)", 2),  # chained: 0 and -1.4
        ("sum(z == 1.8)", 2),
    ],
)
def test_reductions_over_vector_comparisons(text, expected):
    assert formula.evaluate(text, Z) == expected


def test_a_vector_comparison_is_entry_by_entry():
    assert formula.evaluate("z > 0", Z).tolist() == [False, True, False, True]
    assert formula.evaluate("0 < z < 1.8", Z).tolist() == [False, False, False, False]  # 1.8 < 1.8 is false


def test_scalar_comparisons_and_logic_are_unchanged():
    assert formula.evaluate("a > 0 and b < 1", {"a": 1, "b": 0.5})
    assert not formula.evaluate("a > 0 and b < 1", {"a": -1, "b": 0.5})
    assert formula.evaluate("not a > 0 or b == 2", {"a": 1, "b": 2})
    assert formula.evaluate("1 < a < 3", {"a": 2}) and not formula.evaluate("1 < a < 3", {"a": 3})


def test_a_count_is_usable_in_an_answer():
    # the number of positive pre-activations, times 0.5: 2 * 0.5 = 1.0
    assert float(formula.evaluate("0.5 * sum(z > 0)", Z)) == 1.0


def _card(where):
    spec = {"uniform": [-1, 1], "decimals": 2, "shape": [4]}
    return parse_card(
        {"id": "c", "kind": "numeric", "prompt": "p", "params": {"z": spec}, "where": where, "answer": "1"}
    )


def test_where_any_means_any_not_all():
    seeds = range(60)
    any_card, all_card = _card(["any(z > 0.5)"]), _card(["all(z > 0)"])
    drawn = [instantiate(any_card, s).params["z"] for s in seeds]
    assert all(max(z) > 0.5 for z in drawn)
    # four uniform draws in [-1, 1] all above 0.5 has chance (1/4)^4 = 1/256; any-draws must
    # include many that are not all above 0.5, or "any" would still silently mean "all"
    assert sum(min(z) <= 0.5 for z in drawn) > 40
    assert all(min(instantiate(all_card, s).params["z"]) > 0 for s in range(5))


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("z > 0.5", "gives 4 truth values"),
        ("abs(z) - 0.1", "gives 4 numbers, not one truth value"),
        ("sum(z)", "gives a number, not one truth value"),
    ],
)
def test_a_where_that_is_not_one_truth_value_is_an_error(where, said):
    with pytest.raises(WhereError, match=said) as info:
        instantiate(_card([where]), 0)
    assert isinstance(info.value, ParamError)


def _vector_pack(tmp_path):
    path = tmp_path / "vec.yaml"
    path.write_text(textwrap.dedent("""\
        pack: vec
        name: Vectors
        version: 1
        cards:
          - id: fine
            kind: numeric
            prompt: "Count the positive entries of {z}."
            params: {z: {uniform: [-1, 1], decimals: 2, shape: [4]}}
            where: ["any(z > 0.5)"]
            answer: "sum(z > 0)"
            tolerance: {rtol: 0, atol: 0.1}
          - id: several
            kind: numeric
            prompt: "Sum {z}."
            params: {z: {uniform: [-1, 1], decimals: 2, shape: [4]}}
            where: ["z > 0.5"]
            answer: "sum(z)"
    """))
    return path


def test_pack_check_locates_a_where_that_is_not_one_truth_value(tmp_path):
    path = _vector_pack(tmp_path)
    _, problems = check_pack(path, variants=5, deep=False)
    assert [(p.file, p.line, p.card) for p in problems] == [(str(path), 12, "several")]
    assert "where 'z > 0.5' gives 4 truth values" in problems[0].message
    assert "all(...) or any(...)" in problems[0].message
    assert "Traceback" not in str(problems[0])


def test_and_or_stop_once_one_truth_value_settles_them():
    # a = 0: "a != 0" is false, so "1/a > 2" (a division by zero) is never computed
    assert not formula.evaluate("a != 0 and 1/a > 2", {"a": 0})
    assert formula.evaluate("a == 0 or 1/a > 2", {"a": 0})
    assert formula.evaluate("a != 0 and 1/a > 2", {"a": 0.25})  # 1/0.25 = 4 > 2
    with pytest.raises(formula.FormulaError):
        formula.evaluate("a == 0 and 1/a > 2", {"a": 0})


def test_the_cli_prints_it_as_one_located_line(tmp_path):
    from click.testing import CliRunner

    from quizact.cli import main

    path = _vector_pack(tmp_path)
    result = CliRunner().invoke(main, ["pack", "check", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "where" in line]
    assert len(lines) == 1 and lines[0].startswith(f"{path}:12: several: where 'z > 0.5' gives 4 truth values")
    assert "Traceback" not in result.output
