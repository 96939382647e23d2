"""Number-box arithmetic benchmark: ``read_number`` on arithmetic answers against a plain
number (the scanner's fast path) read in the same run, paired per round.

    python -m benchmarks.bench_arith [--quick] [--rounds N] [--json]

Prints medians of wall and CPU time per call with each input's ratio to the plain number.
The first arithmetic read in a process also imports mpmath; it is measured apart.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from quizact.grading.numeric import NumberError, read_number

INPUTS = {
    "plain 0.6248": "0.6248",
    "1/(1+e^-0.51)": "1/(1+e^-0.51)",
    "(1 + 1e-12) - 1 (cancels)": "(1 + 1e-12) - 1",
    "vector of 8 sigmoids": "[" + ", ".join(f"1/(1+e^-0.{k}1)" for k in range(1, 9)) + "]",
    "60-term sum": " + ".join(f"{k}/7" for k in range(1, 61)),
    "1,999 chars, nested": "(" * 999 + "1" + ")" * 999,
}
BASE = "plain 0.6248"


def _once(text: str) -> None:
    try:
        read_number(text)
    except NumberError:
        pass


def measure(rounds: int, calls: int) -> dict[str, dict[str, float]]:
    wall: dict[str, list[float]] = {k: [] for k in INPUTS}
    cpu: dict[str, list[float]] = {k: [] for k in INPUTS}
    for text in INPUTS.values():
        _once(text)  # warm: mpmath imported, caches filled
    for _ in range(rounds):  # each round times every input, so drift hits all alike
        for name, text in INPUTS.items():
            w, c = time.perf_counter(), time.process_time()
            for _ in range(calls):
                _once(text)
            wall[name].append((time.perf_counter() - w) * 1000 / calls)
            cpu[name].append((time.process_time() - c) * 1000 / calls)
    out = {}
    for name in INPUTS:
        ratios = [a / b for a, b in zip(wall[name], wall[BASE])]
        out[name] = {"wall_ms": statistics.median(wall[name]), "cpu_ms": statistics.median(cpu[name]),
                     "ratio_to_plain": statistics.median(ratios)}  # fmt: skip
    return out


def first_read_ms() -> float:
    """A fresh process: the first arithmetic read, mpmath's import included."""
    code = ("import time; from quizact.grading.numeric import read_number; t = time.perf_counter(); "
            "read_number('1/(1+e^-0.51)'); print((time.perf_counter() - t) * 1000)")  # fmt: skip
    return float(subprocess.check_output([sys.executable, "-c", code], text=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--calls", type=int, default=20, help="calls timed per input and round")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 9)
    figures = measure(rounds, args.calls)
    first = first_read_ms()
    if args.json:
        print(json.dumps({"first_read_ms": first, **figures}, indent=2))
        return
    print(f"read_number ({rounds} rounds x {args.calls} calls):")
    for name, f in figures.items():
        print(f"  {name:28s} {f['wall_ms']:8.3f} ms wall  {f['cpu_ms']:8.3f} ms CPU   "
              f"ratio to plain {f['ratio_to_plain']:7.1f}x")  # fmt: skip
    print(f"  first arithmetic read in a fresh process (imports mpmath): {first:.1f} ms")


if __name__ == "__main__":
    main()
