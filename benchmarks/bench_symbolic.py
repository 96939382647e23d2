"""Symbolic grading speed: quizact's numeric-first grader beside sympy's own checks.

Grades every pair of the rewrite bank (``tests/grading/rewrite_bank.py``) warm, once each
(as a learner's fresh answer would be), and in the same run times ``simplify(a - b) == 0``
and ``a.equals(b)`` on the same pairs in a separate process with a per-pair time limit
(a pair over the limit counts as a timeout at the limit). Prints p50/p95, the ratios, how
often each method got the verdict right, and the first grade after a worker has warmed.

    python -m benchmarks.bench_symbolic [--quick] [--timeout SECONDS]

Then grades the reference answer and every listed mistake of every symbolic card and step
of the built-in packs (``content/``) at several variants, wall and CPU time beside each
other, with parsing alone as the same-run baseline; and a few ill-conditioned answers
(expanded polynomials, large cancelling terms), the ones float64 alone cannot decide.

Goals: quizact p95 ≤ 50 ms, ≥ 10× faster than ``equals`` at p95; built-in packs p95
≤ 20 ms; first grade after the worker is warm ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def load_bank() -> list[dict]:
    spec = importlib.util.spec_from_file_location("rewrite_bank", ROOT / "tests" / "grading" / "rewrite_bank.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BANK


def bank_pairs(bank: list[dict], quick: bool) -> list[tuple[dict, str, bool]]:
    out = []
    for card in bank:
        right, wrong = card["right"], [a for a, _ in card["wrong"]]
        if quick:
            right, wrong = right[:4], wrong[:2]
        out += [(card, a, True) for a in right] + [(card, a, False) for a in wrong]
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# ---------------------------------------------------------------- quizact


def _grade(card: dict, text: str) -> Any:
    from quizact.grading.symbolic import grade_expression

    return grade_expression(text, card["reference"], card["variables"], constants=card["constants"],
                            about=card["about"])  # fmt: skip


def bench_unprepared(bank: list[dict]) -> list[float]:
    """The first wrong answer on each card nobody prepared (fills its misconception cache)."""
    _grade({"reference": "2*z", "variables": ["z"], "constants": [], "about": "relu"}, "0")  # imports
    times = []
    for card in bank:
        t = time.perf_counter()
        _grade(card, "0")
        times.append(time.perf_counter() - t)
    return times


def bench_quizact(pairs: list[tuple[dict, str, bool]]) -> tuple[list[float], int]:
    from quizact.grading.symbolic import prepare_expression

    for card in {c["id"]: c for c, _, _ in pairs}.values():  # warm: as when a card is shown
        prepare_expression(card["reference"], card["variables"], constants=card["constants"], about=card["about"])
    times, right = [], 0
    for card, text, equal in pairs:
        t = time.perf_counter()
        r = _grade(card, text)
        times.append(time.perf_counter() - t)
        right += (r.status == "correct") == equal
    return times, right


# ---------------------------------------------------------------- the built-in packs


def pack_pairs(seeds: int) -> list[tuple[Any, Any, Any, str]]:
    """Every symbolic card and symbolic step of the built-in packs, at ``seeds`` variants:
    ``(card, item, variant, answer)`` for the reference answer and each listed mistake."""
    from quizact.packs.loader import load_pack
    from quizact.packs.params import instantiate, render

    out = []
    content = ROOT / "content"
    for path in sorted(p.parent for p in content.glob("*/pack.yaml")) + sorted(content.glob("examples/*.yaml")):
        for card in load_pack(path).cards:
            items = [card] if card.kind == "symbolic" else [
                s for s in getattr(card, "steps", []) if getattr(s, "kind", None) == "symbolic"]  # fmt: skip
            for seed in range(seeds):
                variant = instantiate(card, seed)
                for item in items:
                    texts = [item.answer, *(str(m.answer) for m in item.mistakes)]
                    out += [(card, item, variant, render(t, variant.params)) for t in texts]
    return out


def bench_packs(pairs: list[tuple[Any, Any, Any, str]]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each grade, warm (a throw-away answer first, as when a card
    is shown and prepared), each answer once."""
    from quizact.grading.card import Context, grade_symbolic_item

    for card, item, variant, _ in pairs:
        grade_symbolic_item(item, Context(card, variant), "0")
    wall, cpu = [], []
    for card, item, variant, text in pairs:
        t, c = time.perf_counter(), time.process_time()
        grade_symbolic_item(item, Context(card, variant), text)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def bench_parse(pairs: list[tuple[Any, Any, Any, str]]) -> tuple[list[float], list[float]]:
    """The same-run baseline for the packs: parsing each answer alone (no comparison), wall
    and CPU seconds."""
    from quizact.grading.expr import parse

    wall, cpu = [], []
    for _, item, _, text in pairs:
        t, c = time.perf_counter(), time.process_time()
        parse(text, item.variables, constants=tuple(item.constants))
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def ill_conditioned_pairs() -> list[tuple[str, str, dict | None]]:
    """Answers whose large terms cancel, so float64 alone cannot decide them: ``(answer,
    reference, domain)``, right and off-by-one forms."""
    import sympy as sp

    z = sp.Symbol("z")

    def expanded(e: Any) -> str:
        return str(sp.expand(e)).replace("**", "^")

    p12 = expanded((z - 3) ** 12)
    s10 = expanded((10 * z - 5) ** 10).replace("z", "sigmoid(z)")
    pairs = [
        (p12, "(z-3)^12", {"z": [2.5, 3.5]}),
        ("(z + 1e8)^2 - 1e16 - 2e8 z", "z^2", None),
        ("1e16 + 1 - 1e16 - 1 + z^2", "z^2", None),
        ("(e^z + 1e8)^2 - 1e16 - 2e8 e^z", "e^(2z)", None),
        (s10, "(10 sigmoid(z) - 5)^10", {"z": [-0.3, 0.3]}),
    ]
    return [(a + extra, r, d) for a, r, d in pairs for extra in ("", " + 1")]  # right, then off by one


def bench_ill_conditioned(pairs: list[tuple[str, str, dict | None]],
                          seeds: int) -> tuple[list[float], list[float], int]:  # fmt: skip
    """Wall and CPU seconds of each grade, and how many verdicts were right."""
    from quizact.grading.symbolic import grade_expression

    wall, cpu, right = [], [], 0
    for answer, reference, domain in pairs:
        grade_expression("0", reference, ["z"], domain=domain)  # the card is shown
        for seed in range(seeds):
            t, c = time.perf_counter(), time.process_time()
            r = grade_expression(answer, reference, ["z"], domain=domain, seed=seed)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            right += (r.status == "correct") == (not answer.endswith(" + 1"))
    return wall, cpu, right


# ---------------------------------------------------------------- sympy baselines


def _standard(text: str, card: dict) -> Any:
    """The answer as plain sympy: our parser, then custom functions rewritten away."""
    import sympy as sp

    from quizact.grading.automistakes import _evaluated
    from quizact.grading.expr import parse
    from quizact.grading.mathfuncs import Where, normcdf, normpdf, sigmoid

    e = _evaluated(parse(text, card["variables"], constants=card["constants"]).expr)
    e = e.replace(lambda x: isinstance(x, sigmoid), lambda x: 1 / (1 + sp.exp(-x.args[0])))
    e = e.replace(lambda x: isinstance(x, normcdf), lambda x: (1 + sp.erf(x.args[0] / sp.sqrt(2))) / 2)
    e = e.replace(lambda x: isinstance(x, normpdf), lambda x: sp.exp(-x.args[0] ** 2 / 2) / sp.sqrt(2 * sp.pi))
    return e.replace(lambda x: isinstance(x, Where), lambda x: x.rewrite(sp.Piecewise))


def _baseline_child(conn: Any) -> None:
    import sympy as sp

    while True:
        msg = conn.recv()
        if msg is None:
            return
        method, card, text = msg
        try:
            a, b = _standard(text, card), _standard(card["reference"], card)
            t = time.perf_counter()
            verdict = sp.simplify(a - b) == 0 if method == "simplify" else bool(a.equals(b))
            conn.send((time.perf_counter() - t, verdict))
        except Exception as exc:  # noqa: BLE001 - a crash is a wrong verdict, timed as 0
            conn.send((0.0, f"error: {type(exc).__name__}"))


class _Baseline:
    """A sympy process fed one pair at a time; killed and restarted when a pair hangs."""

    def __init__(self, method: str) -> None:
        self.method = method
        self.ctx = multiprocessing.get_context("spawn")
        self.proc: Any = None
        self.conn: Any = None

    def start(self, card: dict) -> None:
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_baseline_child, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.conn.send((self.method, card, card["reference"]))  # warm: imports, caches
        self.conn.poll(120)
        self.conn.recv()

    def run(self, card: dict, text: str, timeout: float) -> tuple[float, Any]:
        if self.proc is None:
            self.start(card)
        self.conn.send((self.method, card, text))
        if self.conn.poll(timeout + 5.0):  # + parsing and rewriting, which are not timed
            elapsed, verdict = self.conn.recv()
            return (elapsed, verdict) if elapsed <= timeout else (timeout, "timeout")
        self.proc.kill()
        self.proc.join()
        self.proc = None
        return timeout, "timeout"

    def close(self) -> None:
        if self.proc is not None:
            self.conn.send(None)
            self.proc.join(5)


def bench_baseline(method: str, pairs: list[tuple[dict, str, bool]], timeout: float) -> tuple[list[float], int, int]:
    base = _Baseline(method)
    times, right, timeouts = [], 0, 0
    for card, text, equal in pairs:
        elapsed, verdict = base.run(card, text, timeout)
        times.append(elapsed)
        timeouts += verdict == "timeout"
        right += verdict is equal
    base.close()
    return times, right, timeouts


# ---------------------------------------------------------------- worker


def bench_worker_first_grade(bank: list[dict]) -> tuple[float, list[float]]:
    """A warm worker, then the first grade on each of three cards it has not seen (a wrong
    answer, so the card's misconceptions are built too)."""
    from quizact.grading.worker import GradingWorker

    out = []
    t = time.perf_counter()
    with GradingWorker() as worker:
        worker.start(wait=True)
        ready = time.perf_counter() - t
        for card in bank[2:5]:
            kwargs = {"text": card["wrong"][0][0], "reference_text": card["reference"], "variables": card["variables"],
                      "constants": card["constants"], "about": card["about"]}  # fmt: skip
            t = time.perf_counter()
            worker.submit("grade_expression", kwargs, timeout=2.0)
            out.append(time.perf_counter() - t)
    return ready, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a subset of the bank, shorter time limit")
    parser.add_argument("--timeout", type=float, default=None, help="per-pair limit for sympy (s)")
    args = parser.parse_args(argv)
    timeout = args.timeout or (2.0 if args.quick else 5.0)
    bank = load_bank()
    pairs = bank_pairs(bank, args.quick)
    print(f"{len(pairs)} pairs from {len(bank)} cards; sympy per-pair limit {timeout:g} s\n")

    cold = bench_unprepared(bank)
    q_times, q_right = bench_quizact(pairs)
    rows = [("quizact", q_times, q_right, 0)]
    for method in ("equals", "simplify"):
        times, right, timeouts = bench_baseline(method, pairs, timeout)
        rows.append((f"sympy {method}" if method == "equals" else "simplify(a-b)==0", times, right, timeouts))

    print(f"{'method':<18}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}{'max ms':>10}{'right':>9}{'timeouts':>10}")
    for name, times, right, timeouts in rows:
        ms = [t * 1000 for t in times]
        print(f"{name:<18}{percentile(ms, 50):>10.2f}{percentile(ms, 95):>10.2f}{statistics.mean(ms):>10.2f}"
              f"{max(ms):>10.1f}{f'{right}/{len(times)}':>9}{timeouts:>10}")  # fmt: skip
    q95 = percentile(q_times, 95)
    print()
    for name, times, _, _ in rows[1:]:
        print(f"p95 ratio {name} / quizact: {percentile(times, 95) / q95:.1f}×   "
              f"(p50 ratio {percentile(times, 50) / percentile(q_times, 50):.1f}×)")  # fmt: skip
    print(f"\nfirst wrong answer on a card not prepared: p50 {percentile(cold, 50) * 1000:.1f} ms, "
          f"max {max(cold) * 1000:.1f} ms")  # fmt: skip
    packs = pack_pairs(2 if args.quick else 10)
    p_wall, p_cpu = bench_packs(packs)
    parse_wall, parse_cpu = bench_parse(packs)
    p95 = percentile(p_wall, 95)
    print(f"\nbuilt-in packs: {len(packs)} answers (references and listed mistakes of every symbolic card and step)")
    for name, grade_t, parse_t in (("wall", p_wall, parse_wall), ("cpu ", p_cpu, parse_cpu)):
        print(f"  {name} p50 {percentile(grade_t, 50) * 1000:.2f} ms, p95 {percentile(grade_t, 95) * 1000:.2f} ms, "
              f"max {max(grade_t) * 1000:.1f} ms; ratio to parsing alone (same run) "
              f"p50 {percentile(grade_t, 50) / percentile(parse_t, 50):.1f}×, "
              f"p95 {percentile(grade_t, 95) / percentile(parse_t, 95):.1f}×")  # fmt: skip
    print(f"  built-in packs p95 {p95 * 1000:.1f} ms (goal ≤ 20 ms)")
    ill = ill_conditioned_pairs()
    i_wall, i_cpu, i_right = bench_ill_conditioned(ill, 3 if args.quick else 10)
    print(f"\nill-conditioned answers (decided exactly or in high precision): {len(i_wall)} grades of {len(ill)} pairs,"
          f" {i_right}/{len(i_wall)} verdicts right")  # fmt: skip
    print(f"  wall p50 {percentile(i_wall, 50) * 1000:.1f} ms, p95 {percentile(i_wall, 95) * 1000:.1f} ms; "
          f"cpu p50 {percentile(i_cpu, 50) * 1000:.1f} ms, p95 {percentile(i_cpu, 95) * 1000:.1f} ms; "
          f"p50 ratio to the built-in packs' p50: {percentile(i_wall, 50) / percentile(p_wall, 50):.0f}×")  # fmt: skip
    ready, first = bench_worker_first_grade(bank)
    print(f"worker start to warm: {ready:.2f} s (in the background)")
    print(f"first grade after the worker is warm: {', '.join(f'{t * 1000:.0f} ms' for t in first)}"
          f" (goal ≤ 150 ms)")  # fmt: skip
    print(f"quizact p95 {q95 * 1000:.1f} ms (goal ≤ 50 ms); "
          f"vs equals p95 {percentile(rows[1][1], 95) / q95:.0f}× (goal ≥ 10×)")  # fmt: skip


if __name__ == "__main__":
    main()
