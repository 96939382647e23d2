"""Every broken fixture yields exactly the located problems an instructor needs to read."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main

BROKEN = Path(__file__).parent / "broken"

EXPECTED = {
    "syntax.yaml": [
        "9: -: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar that starts on line 7)",
    ],
    "unknown_field.yaml": [
        "5: typo: missing required field 'prompt'",
        "7: typo: unknown field 'promt' (did you mean 'prompt'?)",
    ],
    "duplicate_ids.yaml": [
        "9: same: duplicate card id (first at {dir}/duplicate_ids.yaml:5)",
    ],
    "kinds_and_types.yaml": [
        "5: no-kind: missing required field 'kind' (one of recall, choice, symbolic, numeric, steps)",
        "8: odd-kind: unknown kind 'essay' (expected one of recall, choice, symbolic, numeric, steps)",
        "13: bad-types: tags: Input should be a valid list",
        "15: bad-types: tolerance.rtol: Input should be a valid number, unable to parse string as a number",
        "16: no-correct-option: no option is marked correct: true",
    ],
    "params.yaml": [
        "8: reversed-range: params: param 'x': uniform: low 1 is above high 0",
        "11: undefined-placeholder: prompt: {{W}} names 'W', which is neither a param, a let nor a step of this card",
        "17: undefined-in-formula: formula 'x * lr' uses 'lr', which is neither a param, a let nor a named step",
        "23: impossible-where: params cannot be drawn (seed 0): no draw satisfied where: ['x > 5'] in 500 tries",
    ],
    "python_tag.yaml": [
        "7: -: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' (only plain data is allowed)",
    ],
    "not_utf8.yaml": ["7: -: not valid UTF-8 (byte 0xe9)"],
    "deep.yaml": ["8: -: nesting deeper than 64 levels"],
    "graders.yaml": [
        "5: nan-answer: answer is not finite (seed 0): nan",
        "11: always-zero: answer is 0 for every variant (degenerate; add a where: constraint)",
        "17: unknown-quantity: value 'grad.W2': unknown quantity 'grad.W2': layer 2 does not exist: this network "
        "has layers 1..1; did you mean 'grad.W1', 'grad.b1', 'grad_norm.1', 'grad_clipped.W1'?",
        "24: bad-network: network: activations[0]: unknown activation 'rleu'; did you mean 'relu', 'elu', 'silu'? "
        "(known: identity, relu, leaky_relu, elu, gelu, gelu_tanh, swish, softplus, sigmoid, tanh, softmax, "
        "linear, silu)",
        "29: reference-does-not-parse: answer: the reference 'sigmoid(z)*(1 - sigmoid(z)' grades invalid: "
        "expected ')' (column 27)",
        "34: mistake-equals-answer: answer: mistake 1 'sigmoid(z) - sigmoid(z)^2' is equivalent to the answer",
    ],
    "meta.yaml": [
        "1: -: pack: 'Not An Id' is not a valid id: use lowercase letters, digits, '.', '_' and '-'",
        "1: -: missing required field 'name'",
    ],
}


def run_check(*args: str):
    return CliRunner().invoke(main, ["pack", "check", *args])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_problem_is_one_located_line(name, monkeypatch):
    monkeypatch.chdir(BROKEN.parent.parent.parent)
    result = run_check(str(BROKEN.relative_to(Path.cwd()) / name))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    rel = BROKEN.relative_to(Path.cwd())
    expected = [f"{rel}/{name}:{line.format(dir=rel)}" for line in EXPECTED[name]]
    assert result.stdout.splitlines() == expected


def test_every_fixture_is_covered():
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


def test_python_tag_is_never_constructed(tmp_path):
    run_check(str(BROKEN / "python_tag.yaml"))
    assert not Path("/tmp/quizact-pwned").exists()


def test_huge_file_is_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("pack: big\nname: Big\nversion: 1\n# " + "x" * (5 * 1024 * 1024) + "\n")
    result = run_check(str(big))
    assert result.exit_code == 1
    assert result.stdout.strip().endswith(": -: file is 5.2 MB; packs are limited to 5 MB per file")


def test_yaml_duplicate_keys_are_located(tmp_path):
    f = tmp_path / "dupkey.yaml"
    f.write_text("pack: d\nname: D\nversion: 1\ncards:\n"
                 "  - id: a\n    kind: recall\n    prompt: p\n    prompt: q\n    answer: x\n")
    result = run_check(str(f))
    assert result.stdout.strip() == f"{f}:8: -: duplicate key 'prompt'"


def test_json_output(tmp_path):
    import json

    result = run_check("--json", str(BROKEN / "duplicate_ids.yaml"))
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["ok"] is False
    assert [(p["line"], p["card"]) for p in data["problems"]] == [(9, "same")]


def test_usage_errors_exit_2():
    assert run_check().exit_code == 2
    assert CliRunner().invoke(main, ["pack", "check", "--variants", "0", "x"]).exit_code == 2


def test_missing_path_is_a_problem_not_a_traceback(tmp_path):
    result = run_check(str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "no such file or folder" in result.stdout


def test_folder_without_pack_yaml(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "cards").mkdir()
    result = run_check(str(tmp_path / "p" / "cards"))
    assert result.exit_code == 1
