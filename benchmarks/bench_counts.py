"""Counts benchmark: ``Study.queue_counts`` (Anki's three numbers, recounted after every
rating and with every card drawn) against ``Study.next_card`` (the draw itself), measured
in the same run, paired per round.

    python -m benchmarks.bench_counts [--quick] [--rounds N] [--calls N] [--json]

Builds 50,000 cards in 10 packs (``--quick``: 5,000): a fifth review cards due today, a
twentieth in learning, the rest new, and prints medians of wall and CPU time per call with
the counts' ratio to the draw.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quizact.scheduling import Study
from quizact.storage import CardRow, Collection
from quizact.storage.timeutil import iso

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
PACKS = 10


def build(path: Path, n_cards: int) -> None:
    with Collection.open(path) as col:
        for p in range(PACKS):
            rows = [CardRow(f"card-{i:05d}", "recall", ("t",), f"h{i}") for i in range(n_cards // PACKS)]
            col.sync_pack(f"pack-{p}", f"Pack {p}", 1, "builtin", rows, now=NOW)
        with col.transaction() as conn:
            conn.execute("UPDATE cards SET state = 2, stability = 5, difficulty = 5, due = ?, last_review = ? "
                         "WHERE position % 5 = 0", (iso(NOW - timedelta(hours=1)), iso(NOW - timedelta(days=5))))
            conn.execute("UPDATE cards SET state = 1, stability = 1, difficulty = 5, due = ?, last_review = ? "
                         "WHERE position % 20 = 1", (iso(NOW + timedelta(minutes=5)), iso(NOW)))  # fmt: skip


def measure(path: Path, rounds: int, calls: int) -> dict[str, dict[str, float]]:
    names = ("next_card", "queue_counts")
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    with Collection.open(path) as col:
        study = Study(col)
        packs = [f"pack-{p}" for p in range(PACKS)]
        current = study.next_card(NOW, packs=packs)
        run = {"next_card": lambda: study.next_card(NOW, packs=packs),
               "queue_counts": lambda: study.queue_counts(NOW, packs=packs, current=current)}  # fmt: skip
        for _ in range(rounds):  # each round times both, so drift hits them alike
            for name in names:
                run[name]()  # warm
                w, c = time.perf_counter(), time.process_time()
                for _ in range(calls):
                    run[name]()
                wall[name].append((time.perf_counter() - w) * 1000 / calls)
                cpu[name].append((time.process_time() - c) * 1000 / calls)
    ratios = [a / b for a, b in zip(wall["queue_counts"], wall["next_card"])]
    out = {n: {"wall_ms": statistics.median(wall[n]), "cpu_ms": statistics.median(cpu[n])} for n in names}
    out["queue_counts"]["ratio_to_next_card"] = statistics.median(ratios)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cards")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=10, help="calls timed per measure and round")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    n_cards = 5_000 if args.quick else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        build(path, n_cards)
        figures = measure(path, args.rounds, args.calls)
    if args.json:
        print(json.dumps({"cards": n_cards, **figures}, indent=2))
        return
    print(f"counts vs the draw, {n_cards:,} cards in {PACKS} packs ({args.rounds} rounds x {args.calls} calls):")
    for name, f in figures.items():
        ratio = f" ratio to next_card {f['ratio_to_next_card']:.2f}x" if "ratio_to_next_card" in f else ""
        print(f"  {name:13s} {f['wall_ms']:8.2f} ms wall  {f['cpu_ms']:8.2f} ms CPU  {ratio}")


if __name__ == "__main__":
    main()
