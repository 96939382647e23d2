"""Your-data benchmark: what the automatic daily backup adds to opening the collection, and
how long ``quizact backup`` and ``quizact export reviews`` take, on a collection with a long
review log.

    python -m benchmarks.bench_backup [--quick] [--rounds N] [--json]

Builds 5,000 cards and 200,000 reviews (``--quick``: 1,000 and 20,000). Each round opens the
collection twice through ``Session.open`` (no packs to load): once when today's backup
already exists (the baseline: every later open of the day) and once after deleting it (the
first open of a study day, which takes it); then a backup alone and an export of the log as
CSV. Prints medians of wall and CPU time, with each figure's ratio to the baseline open,
paired per round.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quizact import paths
from quizact.session import Session
from quizact.storage import CardRow, Collection
from quizact.storage.backup import backup_file, daily_name
from quizact.storage.export import REVIEW_FIELDS, write_csv

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)


def build(path: Path, n_cards: int, n_reviews: int) -> None:
    with Collection.open(path, timezone="UTC") as col:
        rows = [CardRow(f"card-{i:05d}", "numeric", ("topic",), f"h{i}") for i in range(n_cards)]
        col.sync_pack("bench", "Bench", 1, "builtin", rows, now=NOW)
        with col.transaction() as conn:
            conn.executemany(
                "INSERT INTO reviews (pack_id, card_id, reviewed_at, mode, rating, status, score, answers, "
                "seed, duration_ms, state_before, state_after, stability_after, difficulty_after, due_after) "
                "VALUES ('bench', ?, ?, 'review', 3, 'correct', 1.0, '[\"0.25\"]', ?, 4000, 2, 2, 12.5, 5.1, ?)",
                (
                    (f"card-{i % n_cards:05d}", (NOW - timedelta(minutes=i)).isoformat(), i,
                     (NOW + timedelta(days=3)).isoformat())
                    for i in range(n_reviews)
                ),
            )  # fmt: skip


def _timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000


def measure(path: Path, rounds: int) -> dict[str, dict[str, float]]:
    names = ("open", "first open of the day", "backup", "export reviews csv")
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    today = paths.backups_dir(path) / daily_name(path.stem, NOW.date())

    def open_close() -> None:
        Session.open(path, NOW, sources=[]).close()

    def export() -> None:
        s = Session.open(path, NOW, sources=[])
        try:
            write_csv(s.export_reviews(), REVIEW_FIELDS, io.StringIO())
        finally:
            s.close()

    open_close()  # warm: today's backup exists, pages cached
    for r in range(rounds):
        figures = {}
        figures["open"] = _timed(open_close)
        today.unlink()
        figures["first open of the day"] = _timed(open_close)
        assert today.exists()
        figures["backup"] = _timed(lambda r=r: backup_file(path, path.with_name(f"copy-{r}.sqlite3")))
        figures["export reviews csv"] = _timed(export)
        for n, (w, c) in figures.items():
            wall[n].append(w)
            cpu[n].append(c)
    return {
        n: {"wall_ms": statistics.median(wall[n]), "cpu_ms": statistics.median(cpu[n]),
            "ratio_to_open": statistics.median(a / b for a, b in zip(wall[n], wall["open"]))}
        for n in names
    }  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 cards, 20,000 reviews")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    n_cards, n_reviews = (1_000, 20_000) if args.quick else (5_000, 200_000)
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ["QUIZACT_HOME"] = tmp  # the backups go to the throwaway folder
        path = Path(tmp) / "bench.sqlite3"
        build(path, n_cards, n_reviews)
        size = path.stat().st_size
        figures = measure(path, args.rounds)
    if args.json:
        print(json.dumps({"cards": n_cards, "reviews": n_reviews, "bytes": size, **figures}, indent=2))
        return
    print(f"{n_cards:,} cards, {n_reviews:,} reviews, {size / 1e6:.1f} MB ({args.rounds} rounds):")
    for name, f in figures.items():
        print(f"  {name:22s} {f['wall_ms']:8.1f} ms wall  {f['cpu_ms']:8.1f} ms CPU   "
              f"ratio to open {f['ratio_to_open']:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
