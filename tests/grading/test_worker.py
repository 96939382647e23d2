"""The killable grading worker: results, hard timeouts, restarts, asyncio, memory cap."""

from __future__ import annotations

import asyncio
import time

import pytest

from quizact.grading.verdict import StepResult
from quizact.grading.worker import MEMORY_LIMIT, TASKS, GradingWorker, grade_async

SIG = "sigmoid(z)*(1 - sigmoid(z))"


# tasks only these tests run: the shipped worker's table holds the grading tasks alone
TEST_TASKS = {name: f"tests.grading.worker_tasks:{name}" for name in ("ping", "sleep", "limits")}


@pytest.fixture(scope="module")
def worker():
    w = GradingWorker(tasks={**TASKS, **TEST_TASKS}).start(wait=True)
    yield w
    w.close()


def test_grades_in_the_worker(worker):
    r = worker.submit("grade_expression", {"text": "σ(z)(1-σ(z))", "reference_text": SIG, "variables": ["z"]})
    assert isinstance(r, StepResult) and r.status == "correct"


def test_first_grade_after_warm_up_is_quick(worker):
    t = time.perf_counter()
    r = worker.submit("grade_expression", {"text": "sech(z)^2", "reference_text": "1 - tanh(z)^2",
                                           "variables": ["z"], "about": "tanh"})  # fmt: skip
    assert r.status == "correct"
    assert time.perf_counter() - t < 1.0  # the benchmark pins the 150 ms goal


@pytest.mark.timeout(60)
def test_timeout_kills_and_restarts(worker):
    before = worker.restarts
    t = time.perf_counter()
    r = worker.submit("sleep", {"seconds": 30}, timeout=0.5)
    assert time.perf_counter() - t < 2.0
    assert (r.status, r.feedback) == ("invalid", "took too long to check — simplify your answer")
    assert worker.restarts == before + 1
    assert worker.submit("ping", timeout=30) == "pong"


def test_unknown_tasks_are_refused(worker):
    # a name outside the worker's table is refused, even one that names a real function
    for name in ["os:system", "builtins:eval", "quizact.grading.worker:__class__", "quizact.grading.card:grade",
                 "quizact.grading.worker:_resolve"]:
        r = worker.submit(name, {"command": "true"})
        assert r.status == "invalid"


def test_memory_cap(worker):
    assert worker.submit("limits")["RLIMIT_AS"] == MEMORY_LIMIT


def test_grade_async_does_not_block_the_loop(worker):
    async def main():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.001)

        task = asyncio.create_task(ticker())
        r = await grade_async("σ(z) - σ(z)^2", SIG, ["z"], worker=worker)
        task.cancel()
        return r, ticks

    r, ticks = asyncio.run(main())
    assert r.status == "correct" and ticks > 0


def test_the_shipped_table_holds_only_grading_tasks():
    assert set(TASKS) == {"grade_expression", "prepare_expression", "grade_card", "grade_steps"}
    assert all(target.startswith("quizact.grading.") for target in TASKS.values())
    with GradingWorker() as plain:  # without the tests' tasks, "sleep" is an unknown task
        assert plain.submit("sleep", {"seconds": 0}, timeout=30).status == "invalid"
