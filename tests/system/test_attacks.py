"""An attack corpus through ``quizact grade``: every input is answered quickly with
``invalid`` or ``incorrect``, and none of it runs (a sentinel file is never created)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from quizact.cli import main
from tests.conftest import SAMPLE


def corpus(sentinel):
    return [
        f"__import__('os').system('touch {sentinel}')",
        f"exec(\"open('{sentinel}', 'w')\")",
        "().__class__.__bases__[0].__subclasses__()",
        "z.__class__",
        "lambda: 1",
        "'abc'",
        "9**9**9",
        "9^9^9^9",
        "factorial(10**10)",
        "(z+1)**100000",
        "(" * 5000 + "z" + ")" * 5000,
        "z" + "+z" * 5000,
        "sigmoid(" * 300 + "z" + ")" * 300,
        "10**10**10 * z",
        "z; import os",
        "eval('1')",
        "\x00\x01\x02",
        "",
    ]


@pytest.fixture(scope="module")
def warm():
    from quizact.grading.worker import get_worker

    get_worker().start(wait=True)


def test_attack_corpus_through_grade(tmp_path, warm):
    sentinel = tmp_path / "SENTINEL"
    runner = CliRunner()
    for attack in corpus(sentinel):
        t0 = time.perf_counter()
        out = runner.invoke(main, ["grade", str(SAMPLE), "sigmoid-derivative", "--json", "--answer", attack])
        elapsed = time.perf_counter() - t0
        assert out.exit_code in (1, 3), (attack[:40], out.output)
        assert json.loads(out.stdout)["status"] in ("invalid", "incorrect")
        assert elapsed < 2.5, (attack[:40], elapsed)
    assert not sentinel.exists()


def test_attack_through_a_real_process(tmp_path):
    sentinel = tmp_path / "SENTINEL"
    attack = f"__import__('os').system('touch {sentinel}')"
    out = subprocess.run([sys.executable, "-m", "quizact", "grade", str(SAMPLE), "sigmoid-derivative", "--json",
                          "--answer", attack], capture_output=True, text=True, timeout=60)
    assert out.returncode == 3 and json.loads(out.stdout)["status"] == "invalid"
    assert not sentinel.exists()


def test_numeric_attacks(tmp_path):
    runner = CliRunner()
    for attack in ["1e99999999", "1/1e-99999", "[" * 1000, "9" * 10_000, "nan", "-inf", "2**1000"]:
        out = runner.invoke(main, ["grade", str(SAMPLE), "sigmoid-slope-at-z", "--json", "--answer", attack])
        assert json.loads(out.stdout)["status"] == "invalid", attack[:20]
