"""Hostile answers: every one answered within 2 s through the worker, and nothing runs."""

from __future__ import annotations

import time

import pytest

from quizact.grading.symbolic import grade_expression
from quizact.grading.worker import GradingWorker

SIG = "sigmoid(z)*(1 - sigmoid(z))"


def attacks(sentinel: str) -> list[str]:
    return [
        f"__import__('os').system('touch {sentinel}')",
        f'exec("open(\'{sentinel}\', \'w\')")',
        f"eval(\"__import__('os').system('touch {sentinel}')\")",
        f"z.__class__.__init__.__globals__['os'].system('touch {sentinel}')",
        "().__class__",
        "().__class__.__bases__[0].__subclasses__()",
        "9**9**9",
        "9^9^9^9",
        "factorial(10**10)",
        "(z+1)**100000",
        "(" * 10_000,
        "(" * 10_000 + "z" + ")" * 10_000,
        "lambda: 1",
        "z.__class__",
        '"abc"',
        "import os",
        "z; import os",
        "[z for z in range(10**9)]",
        "Integral(z, z)",
        "subs(z, 1)",
        "10**10**10",
        "z" * 10_000,
        "max(" + ",".join(f"{i}z" for i in range(1, 100)) + ")",
        "exp(sqrt(where(1 >= 1, 2, 0.5) max(2,2))^10)+-min(3*3,10)",
        "\x00",
        "z\n__import__('os')",
    ]


@pytest.fixture(scope="module")
def worker():
    w = GradingWorker().start(wait=True)
    yield w
    w.close()


@pytest.mark.timeout(120)
def test_attacks_through_the_worker(worker, tmp_path):
    sentinel = tmp_path / "SENTINEL"
    for text in attacks(str(sentinel)):
        t = time.perf_counter()
        r = worker.submit("grade_expression", {"text": text, "reference_text": SIG, "variables": ["z"],
                                               "about": "sigmoid"}, timeout=2.0)  # fmt: skip
        elapsed = time.perf_counter() - t
        assert r.status in ("invalid", "incorrect"), (text[:60], r)
        assert elapsed < 2.5, (text[:60], elapsed)
    assert not sentinel.exists()


def test_attacks_in_process(tmp_path):
    sentinel = tmp_path / "SENTINEL"
    for text in attacks(str(sentinel)):
        r = grade_expression(text, SIG, ["z"], about="sigmoid")
        assert r.status in ("invalid", "incorrect"), (text[:60], r)
    assert not sentinel.exists()
