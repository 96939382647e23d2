"""The example card of ``content/examples/authoring.yaml`` that shows its vectors as blocks
and diagnoses a wrong answer with feedback rules: ``pack check`` passes it, ``solve`` prints
the blocks and the worked answer, ``grade`` gives each rule's feedback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizact.cli import main
from quizact.packcheck import check_pack

EXAMPLES = Path(__file__).resolve().parents[2] / "content" / "examples" / "authoring.yaml"
CARD = "layer-weight-gradient"
# Seed 3 draws d = [2, −3] and x = [−0.5, 0.6, 0.2]. By hand, entry (i, j) of dL/dW is
# dᵢ·xⱼ: row 1 is 2·x = [−1, 1.2, 0.4], row 2 is −3·x = [1.5, −1.8, −0.6].
EXPECTED = "[[-1, 1.2, 0.4], [1.5, -1.8, -0.6]]"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_examples_pass_pack_check():
    _, problems = check_pack(EXAMPLES, variants=100)
    assert [str(p) for p in problems] == []


def test_solve_prints_the_vectors_and_the_worked_matrix_as_blocks():
    out = run("solve", str(EXAMPLES), CARD, "--seed", "3")
    assert out.exit_code == 0, out.output
    assert "  d = [2, -3]\n  x = [-0.5, 0.6, 0.2]\n" in out.output
    assert (
        "            ⎡  2 ⎤      ⎡ -0.5 ⎤\n"
        "    dL/dz = ⎣ -3 ⎦, x = ⎢  0.6 ⎥\n"
        "                        ⎣  0.2 ⎦\n"
    ) in out.output
    assert f"answer: {EXPECTED}  (exact)\n" in out.output
    assert (
        "    dL/dW = ⎡ -1.00   1.20   0.40 ⎤\n"
        "            ⎣  1.50  -1.80  -0.60 ⎦\n"
    ) in out.output


@pytest.mark.parametrize("seed", range(8))
def test_solve_json_answer_is_the_outer_product_of_the_drawn_vectors(seed):
    data = json.loads(run("solve", str(EXAMPLES), CARD, "--seed", str(seed), "--json").output)
    d, x = data["params"]["d"], data["params"]["x"]
    worked = [[di * xj for xj in x] for di in d]  # here, not by the pack
    assert [v for row in data["answers"][0] for v in row] == pytest.approx([v for row in worked for v in row])


@pytest.mark.parametrize("answer", ["-1, 1.2, 0.4; 1.5, -1.8, -0.6", "-1, 1.2, 0.4\n1.5, -1.8, -0.6", EXPECTED])
def test_grade_accepts_the_matrix_typed_by_rows(answer):
    out = run("grade", str(EXAMPLES), CARD, "--seed", "3", "--answer", answer)
    assert out.exit_code == 0 and out.output.startswith("correct (score 1.00)")


def test_grade_names_a_transposed_answer():
    out = run("grade", str(EXAMPLES), CARD, "--seed", "3", "--answer", "-1, 1.5; 1.2, -1.8; 0.4, -0.6")
    assert out.exit_code == 1
    assert out.output == (
        "incorrect (score 0.00)\n"
        "you transposed: dL/dW has the shape of W, 2 rows × 3 columns, and row i is dL/dzᵢ · x "
        f"(expected {EXPECTED})\n"
    )


def test_grade_gives_the_sign_rule_partial_credit_and_json_names_the_rule():
    out = run("grade", str(EXAMPLES), CARD, "--seed", "3", "--answer", "1, -1.2, -0.4; -1.5, 1.8, 0.6", "--json")
    data = json.loads(out.output)
    assert (data["status"], data["score"], data["mistake"]) == ("incorrect", 0.5, "rule:1")
    assert data["feedback"].startswith("the sign is off: dL/dW = dL/dz · xᵀ has no minus")


def test_grade_falls_through_to_the_entries_that_are_off():
    out = run("grade", str(EXAMPLES), CARD, "--seed", "3", "--answer", "-1, 1.2, 0.4; 1.5, -1.8, 0.6")
    assert out.exit_code == 1
    assert f"not right (entry (2, 3) is off; expected {EXPECTED})" in out.output


def test_a_wrong_shape_costs_nothing():
    out = run("grade", str(EXAMPLES), CARD, "--seed", "3", "--answer", "-1, 1.2, 0.4, 1.5, -1.8, -0.6")
    assert out.exit_code == 3
    assert "expected 2 rows × 3 columns, you typed a list of 6 numbers" in out.output
