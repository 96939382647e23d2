"""Grading in a killable worker process, with a hard time limit and a memory cap.

``GradingWorker.start()`` pre-spawns a process (forkserver where available, else spawn)
that imports sympy and grades one warm-up answer. ``submit(fn_name, kwargs, timeout)``
returns the task's result, or an ``invalid`` StepResult ("took too long to check") after
killing the process and starting a fresh one. ``grade_async`` runs a submission in a
thread so an asyncio UI never blocks. Importing this module imports neither sympy nor
NumPy. ``grade_expression`` itself stays the plain in-process path for tests and the CLI.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import multiprocessing
import signal
import sys
import threading
from collections.abc import Mapping
from typing import Any

from quizact.grading.symbolic import TIMEOUT_FEEDBACK
from quizact.grading.verdict import StepResult

MEMORY_LIMIT = 1536 * 1024 * 1024
STARTUP_TIMEOUT = 60.0
#: The tasks a worker runs, by name: "module:function". A worker runs the names of its own
#: table and nothing else (tests give theirs a few more, e.g. one that sleeps).
TASKS = {
    "grade_expression": "quizact.grading.symbolic:grade_expression",
    "prepare_expression": "quizact.grading.symbolic:prepare_expression",
    "grade_card": "quizact.grading.card:grade",
    "grade_steps": "quizact.grading.card:grade_steps",
}
_PRELOAD = ["numpy", "sympy", "mpmath", "quizact.grading.mathfuncs", "quizact.grading.numeval",
            "quizact.grading.errorscale", "quizact.grading.hpeval", "quizact.grading.exact", "quizact.grading.careful",
            "quizact.grading.symbolic", "quizact.grading.card"]


def _resolve(tasks: Mapping[str, str], fn_name: str) -> Any:
    target = tasks.get(fn_name)
    if target is None:
        raise ValueError(f"unknown grading task {fn_name!r}")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _warm_up() -> None:
    from quizact.grading.symbolic import grade_expression

    grade_expression("e^-z/(1+e^-z)^2", "sigmoid(z)*(1-sigmoid(z))", ["z"], about="sigmoid")
    grade_expression("1 - tanh(z)", "1 - tanh(z)^2", ["z"], about="tanh")
    # values that cancel: warms the exact and the high-precision checks
    grade_expression("z^4 - 40z^3 + 600z^2 - 4000z + 10000", "(z-10)^4", ["z"], domain={"z": [9.9, 10.1]})
    grade_expression("sigmoid(z) + (z+1e8)^2 - 2e8 z - 1e16", "sigmoid(z) + z^2", ["z"])


def _child(conn: Any, memory_limit: int | None, tasks: Mapping[str, str]) -> None:
    """The worker loop: warm up, cap memory, then answer ``(fn_name, kwargs)`` requests."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the app's business, not ours
    _warm_up()
    if memory_limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        except (ImportError, ValueError, OSError):
            pass
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn_name, kwargs = message
        try:
            reply = ("ok", _resolve(tasks, fn_name)(**kwargs))
        except BaseException as exc:  # noqa: BLE001 - report, keep serving
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result
            conn.send(("error", f"unpicklable result: {exc}"))


_tracker_lock = threading.Lock()


def _ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    Where ``sys.stderr`` has been replaced by an object whose ``fileno()`` is -1 (a
    running Textual app captures it), the tracker would pass that descriptor on and
    spawning fails with "bad value(s) in fds_to_keep". Starting the tracker once with the
    process's real stderr avoids it.
    """
    from multiprocessing import resource_tracker

    with _tracker_lock:
        if getattr(resource_tracker._resource_tracker, "_fd", None) is not None:
            return
        saved, real = sys.stderr, sys.__stderr__
        try:
            if real is not None and saved is not real:
                sys.stderr = real
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class GradingWorker:
    """One pre-spawned grading process; thread-safe, one request at a time."""

    def __init__(self, memory_limit: int | None = MEMORY_LIMIT, tasks: Mapping[str, str] | None = None) -> None:
        self.memory_limit = memory_limit
        self.tasks = dict(TASKS if tasks is None else tasks)
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Any = None
        self._ready = False
        self.restarts = 0

    def start(self, wait: bool = False) -> GradingWorker:
        """Spawn the process (if not running); with ``wait``, block until it is warm."""
        with self._lock:
            self._spawn()
            if wait:
                self._wait_ready()
        return self

    def _spawn(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        _ensure_resource_tracker()
        ctx = _context()
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_child, args=(child, self.memory_limit, self.tasks), daemon=True,
                                    name="quizact-grader")  # fmt: skip
        self._process.start()
        child.close()
        self._conn, self._ready = parent, False

    def _wait_ready(self) -> None:
        if self._ready:
            return
        if not self._conn.poll(STARTUP_TIMEOUT):
            raise RuntimeError("the grading worker did not start")
        status, _ = self._conn.recv()
        if status != "ready":
            raise RuntimeError("the grading worker failed to start")
        self._ready = True

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None
        self._ready = False

    def restart(self) -> None:
        self._kill()
        self.restarts += 1
        self._spawn()

    def submit(self, fn_name: str, kwargs: dict[str, Any] | None = None, timeout: float = 2.0) -> Any:
        """Run ``self.tasks[fn_name](**kwargs)`` in the worker with a hard ``timeout`` (seconds)."""
        with self._lock:
            try:
                self._spawn()
                self._wait_ready()
                self._conn.send((fn_name, dict(kwargs or {})))
                if not self._conn.poll(timeout):
                    self.restart()
                    return StepResult("invalid", 0.0, feedback=TIMEOUT_FEEDBACK)
                status, payload = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError, RuntimeError):
                self.restart()
                return StepResult("invalid", 0.0, feedback="could not check this answer (the grader stopped)")
        if status == "ok":
            return payload
        return StepResult("invalid", 0.0, feedback=f"could not check this answer ({payload.split(':')[0]})")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.send(None)
                except (OSError, BrokenPipeError):
                    pass
            if self._process is not None:
                self._process.join(1)
            self._kill()

    def __enter__(self) -> GradingWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: GradingWorker | None = None
_shared_lock = threading.Lock()


def get_worker() -> GradingWorker:
    """The process-wide worker, created and started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = GradingWorker().start()
            atexit.register(_shared.close)
        return _shared


async def grade_async(text: str, reference_text: str, variables: list[str], *, timeout: float = 2.0,
                      worker: GradingWorker | None = None, **kwargs: Any) -> StepResult:  # fmt: skip
    """``grade_expression`` in the worker, awaited without blocking the event loop."""
    w = worker or get_worker()
    payload = {"text": text, "reference_text": reference_text, "variables": list(variables), **kwargs}
    return await asyncio.to_thread(w.submit, "grade_expression", payload, timeout)
