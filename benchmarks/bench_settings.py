"""New-card order benchmark: ``Study.next_card`` when new cards come in random or tag order,
against pack order (one indexed query) measured in the same run, paired per round.

    python -m benchmarks.bench_settings [--quick] [--rounds N] [--json]

Builds 50,000 cards in 10 packs (``--quick``: 5,000), all new, so the new-card step is the
one answered (learning and review queues empty), and prints medians of wall and CPU time
per call with each order's ratio to pack order.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from quizact.scheduling import Study
from quizact.storage import CardRow, Collection

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
PACKS = 10
ORDERS = ("pack", "random", "tag")


def build(path: Path, n_cards: int) -> None:
    with Collection.open(path) as col:
        for p in range(PACKS):
            rows = [CardRow(f"card-{i:05d}", "symbolic", (f"topic-{i % 37:02d}",), f"h{i}")
                    for i in range(n_cards // PACKS)]  # fmt: skip
            col.sync_pack(f"pack-{p}", f"Pack {p}", 1, "builtin", rows, now=NOW)


def measure(path: Path, rounds: int, calls: int) -> dict[str, dict[str, float]]:
    wall: dict[str, list[float]] = {o: [] for o in ORDERS}
    cpu: dict[str, list[float]] = {o: [] for o in ORDERS}
    with Collection.open(path) as col:
        study = Study(col)
        for _ in range(rounds):  # each round times every order, so drift hits all alike
            for order in ORDERS:
                col.update_settings(new_card_order=order)
                study.next_card(NOW)  # warm: settings cached, pages in memory
                w, c = time.perf_counter(), time.process_time()
                for _ in range(calls):
                    study.next_card(NOW)
                wall[order].append((time.perf_counter() - w) * 1000 / calls)
                cpu[order].append((time.process_time() - c) * 1000 / calls)
    out = {}
    for order in ORDERS:
        ratios = [a / b for a, b in zip(wall[order], wall["pack"])]
        out[order] = {
            "wall_ms": statistics.median(wall[order]), "cpu_ms": statistics.median(cpu[order]),
            "ratio_to_pack": statistics.median(ratios),
        }  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cards")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=10, help="calls timed per order and round")
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
    print(f"next card, {n_cards:,} new cards in {PACKS} packs ({args.rounds} rounds x {args.calls} calls):")
    for order, f in figures.items():
        print(f"  {order:7s} {f['wall_ms']:8.2f} ms wall  {f['cpu_ms']:8.2f} ms CPU   "
              f"ratio to pack order {f['ratio_to_pack']:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
