"""Optimizer benchmark: fitting FSRS parameters to a review log, CPU per review.

    python -m benchmarks.bench_optimizer [--quick] [--cards N]

Simulates a learner (``N`` cards, 9 reviews each, each review when the default scheduler
says it is due; the same simulation as ``tests/scheduling/test_optimizer_real.py``), then
times ``quizact.optimizer.optimize`` on that collection (reading the log, fsrs' fit, the
losses before and after, storing the parameters) beside fsrs' own
``Optimizer(logs).compute_optimal_parameters()`` on the same review logs, paired per
round, CPU beside wall, and prints the CPU time per review. Needs the optimizer extra
(``pip install 'quizact[optimizer]'``; torch==2.13.0 is the CPU build on this machine);
without it, says so and exits 0.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2 rounds")
    ap.add_argument("--cards", type=int, default=200, help="simulated cards, 9 reviews each (default 200)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        import pandas  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        print("optimizer extra not installed (pip install 'quizact[optimizer]'): skipped")
        return
    from fsrs import Rating, ReviewLog
    from fsrs.optimizer import Optimizer

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from quizact.optimizer import optimize
    from quizact.storage import Collection
    from quizact.storage.timeutil import parse
    from tests.scheduling.test_optimizer_real import simulate

    torch.set_num_threads(1)  # one core, as a shared machine gives; CPU time is what is compared
    rounds = 2 if args.quick else args.rounds
    now = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection.open(Path(tmp) / "c.sqlite3")
        simulate(col, now, cards=args.cards, reviews_per_card=9)
        rows = col.query("SELECT card_id, rating, reviewed_at, duration_ms FROM reviews ORDER BY reviewed_at, id")
        logs = [ReviewLog(int(c[1:]) + 1, Rating(r), parse(t), d) for c, r, t, d in rows]

        def ours() -> None:
            col.update_settings(fsrs_parameters=None)
            optimize(col)

        def theirs() -> None:
            Optimizer(logs).compute_optimal_parameters()

        samples: dict[str, list[tuple[float, float]]] = {"quizact": [], "fsrs": []}
        for _ in range(rounds):
            for name, fn in (("quizact", ours), ("fsrs", theirs)):
                w, c = time.perf_counter(), time.process_time()
                fn()
                samples[name].append((time.perf_counter() - w, time.process_time() - c))
        col.close()
    n = len(logs)
    med = {k: (statistics.median(s[0] for s in v), statistics.median(s[1] for s in v)) for k, v in samples.items()}
    ratio = statistics.median(a[1] / b[1] for a, b in zip(samples["quizact"], samples["fsrs"]))
    print(f"{n:,} reviews of {args.cards} cards, {rounds} rounds, torch on 1 thread")
    print(f"  quizact optimize          {med['quizact'][0]:6.2f} s wall, {med['quizact'][1]:6.2f} s CPU"
          f"   {med['quizact'][1] / n * 1000:.2f} ms CPU per review")  # fmt: skip
    print(f"  fsrs Optimizer alone      {med['fsrs'][0]:6.2f} s wall, {med['fsrs'][1]:6.2f} s CPU"
          f"   {med['fsrs'][1] / n * 1000:.2f} ms CPU per review")  # fmt: skip
    print(f"  per-round CPU ratio {ratio:.2f} (quizact also computes the loss before and after and stores)")


if __name__ == "__main__":
    main()
