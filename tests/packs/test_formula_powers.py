"""Powers in pack formulas cannot hang the loader: a power tower is refused when the pack
is read (``file:line: card-id: power towers are not allowed``), and an exponent computed in
the formula (which no check of the text can bound) overflows at once instead of building an
exact integer of hundreds of millions of digits.

Real pack files, read by ``quizact pack check`` in a child process with a time limit (a
Python integer power cannot be interrupted inside the process).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from quizact.packs import formula
from tests.conftest import REPO

CARD = """\
pack: powers
name: Powers
version: 1
cards:
  - id: power
    kind: numeric
    params:
      x: 2
      n: 3
    prompt: "Compute it."
    answer: "{answer}"
    tolerance: {{sigfigs: 3}}
"""


def check(tmp_path, answer: str) -> subprocess.CompletedProcess:
    path = tmp_path / "powers.yaml"
    path.write_text(CARD.format(answer=answer), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "QUIZACT_HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, "-m", "quizact", "pack", "check", str(path)], capture_output=True,
                          text=True, timeout=120, env=env, cwd=tmp_path)  # fmt: skip


@pytest.mark.parametrize("answer", ["x^3^2", "9^9^9", "x^(n^2)", "2^(3^(4^5))"])
def test_a_power_tower_is_refused_where_it_is_written(tmp_path, answer):
    done = check(tmp_path, answer)
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["powers.yaml:5: power: power towers are not allowed"]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("answer", ["9^(9*9^9)", "9^-(-9^9)", "((9^64)^64)^64", "x^(n*999999999)"])
def test_a_computed_huge_exponent_is_an_error_not_a_hang(tmp_path, answer):
    done = check(tmp_path, answer)
    assert done.returncode == 1
    assert "powers.yaml:5: power: answer cannot be computed" in done.stdout
    assert "a power too large to compute" in done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize(("answer", "value"), [
    ("(x^3)^2", 64.0), ("x^-2", 0.25), ("x^n", 8.0), ("x^64", 2.0**64), ("(-2)^3", -8.0), ("2^0.5", 2**0.5),
])  # fmt: skip
def test_ordinary_powers_are_computed(answer, value):
    assert formula.evaluate(answer, {"x": 2, "n": 3}) == pytest.approx(value, rel=1e-15)


def test_a_grouped_power_of_a_power_is_allowed(tmp_path):
    done = check(tmp_path, "(x^3)^2")
    assert done.returncode == 0, done.stdout + done.stderr
