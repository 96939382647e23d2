"""Merge benchmark: ``quizact merge`` of two diverged copies, against rating the same
reviews once through ``Study.rate`` on an in-memory collection (the work a replay repeats),
measured in the same run, paired per round.

    python -m benchmarks.bench_merge [--quick] [--rounds N] [--json]

Builds a collection of 2,000 cards (``--quick``: 300) with 4 reviews each, then two copies
that each add one review to every card (so every card is recomputed from 6 reviews), and
prints medians of wall and CPU time for: the merge (backup, dedupe, copy, replay, one
transaction; a fresh copy of the target each round), a merge with nothing new (the file
already merged: read and dedupe only), and the baseline; with each one's ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quizact.scheduling import Rating, Study
from quizact.storage import CardRow, Collection
from quizact.storage.merge import merge

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
HISTORY = [(timedelta(0), 3), (timedelta(minutes=2), 3), (timedelta(minutes=15), 3), (timedelta(days=4), 3)]


def _cards(n: int) -> list[CardRow]:
    return [CardRow(f"card-{i:05d}", "recall", ("t",), f"h{i}") for i in range(n)]


def build(path: Path, n: int, extra: tuple[timedelta, int] | None) -> None:
    """``n`` cards with the shared history, plus one review of every card at ``extra``."""
    col = Collection.open(":memory:")
    try:
        col.sync_pack("bench", "Bench", 1, "builtin", _cards(n), now=NOW)
        study = Study(col)
        plan = HISTORY + ([extra] if extra else [])
        for i in range(n):
            for offset, rating in plan:
                study.rate("bench", f"card-{i:05d}", rating, NOW + offset + timedelta(seconds=i))
        col.backup(path)
    finally:
        col.close()


def baseline(n: int, plan: list[tuple[timedelta, int]]) -> None:
    """Rate every card's merged log once, live, on an in-memory collection."""
    col = Collection.open(":memory:")
    try:
        col.sync_pack("bench", "Bench", 1, "builtin", _cards(n), now=NOW)
        study = Study(col)
        for i in range(n):
            for offset, rating in sorted(plan):
                study.rate("bench", f"card-{i:05d}", Rating(rating), NOW + offset + timedelta(seconds=i))
    finally:
        col.close()


def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000


def measure(tmp: Path, n: int, rounds: int) -> dict[str, dict[str, float]]:
    a, b = (timedelta(days=12), 3), (timedelta(days=11), 2)
    laptop, desktop = tmp / "laptop.sqlite", tmp / "desktop.sqlite"
    build(laptop, n, a)
    build(desktop, n, b)
    merged = tmp / "merged.sqlite"
    shutil.copy(laptop, merged)
    with Collection.open(merged) as col:
        report = merge(col, desktop, NOW + timedelta(days=20))
    assert report.added == n and len(report.recomputed) == n, report
    names = ("merge", "nothing_new", "baseline")
    wall: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    for r in range(rounds):
        target = tmp / f"target-{r}.sqlite"
        shutil.copy(laptop, target)
        again = tmp / f"again-{r}.sqlite"
        shutil.copy(merged, again)

        def run_merge(path: Path = target) -> None:
            with Collection.open(path) as col:
                merge(col, desktop, NOW + timedelta(days=20))

        for name, fn in (
            ("merge", run_merge),
            ("nothing_new", lambda again=again: run_merge(again)),
            ("baseline", lambda: baseline(n, [*HISTORY, a, b])),
        ):
            w, c = timed(fn)
            wall[name].append(w)
            cpu[name].append(c)
        for p in tmp.glob(f"*-{r}.sqlite*"):
            p.unlink()
        shutil.rmtree(tmp / "backups", ignore_errors=True)
    out = {}
    for name in names:
        ratios = [x / y for x, y in zip(wall[name], wall["baseline"])]
        out[name] = {
            "wall_ms": statistics.median(wall[name]), "cpu_ms": statistics.median(cpu[name]),
            "ratio_to_baseline": statistics.median(ratios),
        }  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 cards")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    n = 300 if args.quick else 2_000
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(Path(tmp), n, args.rounds)
    if args.json:
        print(json.dumps({"cards": n, "reviews_per_card": len(HISTORY) + 2, **figures}, indent=2))
        return
    print(f"merge of two diverged copies, {n:,} cards x {len(HISTORY) + 2} reviews, "
          f"{n:,} added ({args.rounds} rounds):")
    for name, f in figures.items():
        print(f"  {name:12s} {f['wall_ms']:9.1f} ms wall  {f['cpu_ms']:9.1f} ms CPU   "
              f"ratio to baseline {f['ratio_to_baseline']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
