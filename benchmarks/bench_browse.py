"""Browse benchmark: the card-info read and the table's column fitting, each against a
baseline measured in the same run, paired per round.

    python -m benchmarks.bench_browse [--quick] [--rounds N] [--json]

Builds 50,000 cards (``--quick``: 5,000) and a review log of 200,000 reviews (20,000), one
card holding 1,000 of them. Card info of that card (``Session.card_info``: its row, every
review, its retrievability) is timed against reading the card's row alone. Fitting the
browse table to 80 columns (natural widths of every cell, then ``columns.fit``) is timed
against making the cells it fits (``browse.cells`` and escaping), which the table did
already. Prints medians of wall and CPU time with each ratio to its baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quizact.session import Session
from quizact.storage import CardRow, Collection
from quizact.storage.cards import insert_review
from quizact.storage.timeutil import iso

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
BUSY = 1_000  # reviews of the card whose info is read


def build(path: Path, n_cards: int, n_reviews: int) -> None:
    with Collection.open(path) as col:
        rows = [CardRow(f"a-card-with-a-longish-id-{i:05d}", "symbolic", ("activations", f"topic-{i % 37:02d}"), "h")
                for i in range(n_cards)]  # fmt: skip
        col.sync_pack("bench-pack", "Bench", 1, "builtin", rows, now=NOW)
        with col.transaction() as conn:
            for r in range(n_reviews):
                card = 0 if r < BUSY else 1 + r % (n_cards - 1)
                at = iso(NOW - timedelta(minutes=n_reviews - r))
                insert_review(conn, pack_id="bench-pack", card_id=f"a-card-with-a-longish-id-{card:05d}",
                              reviewed_at=at, mode="review", rating=3, status="correct", answers=["0.25"],
                              seed=r, duration_ms=5000, state_before=2,
                              due_after=iso(NOW + timedelta(days=3)))  # fmt: skip
            conn.execute("UPDATE cards SET state = 2, stability = 5.0, difficulty = 5.0, due = ?, last_review = ? "
                         "WHERE card_id = 'a-card-with-a-longish-id-00000'",
                         (iso(NOW), iso(NOW - timedelta(days=2))))  # fmt: skip


def _timed(fn, calls: int) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - w) * 1000 / calls, (time.process_time() - c) * 1000 / calls


def measure(path: Path, rounds: int) -> dict[str, dict[str, float]]:
    from quizact.textsafe import one_line
    from quizact.tui.columns import fit
    from quizact.tui.screens.browse import COLUMNS, FLEXIBLE, Row, cells, state_of

    session = Session(Collection.open(path), {})
    card = ("bench-pack", "a-card-with-a-longish-id-00000")
    infos = session.cards()
    rows = [Row(i, state_of(i, NOW), "") for i in infos]
    texts: list[dict[str, str]] = []

    def make_cells() -> None:
        texts[:] = [{k: one_line(v) for k, v in cells(r, NOW).items()} for r in rows]

    def fit_columns() -> None:
        from rich.cells import cell_len

        natural = {key: max([cell_len(label)] + [cell_len(t[key]) for t in texts]) for key, label in COLUMNS}
        fit(natural, FLEXIBLE, 80 - 2 - len(COLUMNS), {key: len(label) for key, label in COLUMNS})

    pairs = {
        "card info": (lambda: session.card(*card), lambda: session.card_info(*card, NOW), 20),
        "fit to 80 columns": (make_cells, fit_columns, 1),
    }
    out = {}
    try:
        assert len(session.card_info(*card, NOW).history) == BUSY
        for name, (base, work, calls) in pairs.items():
            base()
            work()  # warm
            walls: list[tuple[float, float]] = []
            cpus: list[tuple[float, float]] = []
            for _ in range(rounds):  # paired: the baseline, then the work, in every round
                bw, bc = _timed(base, calls)
                ww, wc = _timed(work, calls)
                walls.append((bw, ww))
                cpus.append((bc, wc))
            out[name] = {
                "baseline_wall_ms": statistics.median(b for b, _ in walls),
                "wall_ms": statistics.median(w for _, w in walls),
                "cpu_ms": statistics.median(w for _, w in cpus),
                "ratio": statistics.median(w / b for b, w in walls),
            }  # fmt: skip
    finally:
        session.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cards, 20,000 reviews")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    n_cards, n_reviews = (5_000, 20_000) if args.quick else (50_000, 200_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        build(path, n_cards, n_reviews)
        figures = measure(path, args.rounds)
    if args.json:
        print(json.dumps({"cards": n_cards, "reviews": n_reviews, **figures}, indent=2))
        return
    print(f"browse, {n_cards:,} cards, {n_reviews:,} reviews ({args.rounds} rounds):")
    baselines = {"card info": "the card's row alone", "fit to 80 columns": "making the cells"}
    for name, f in figures.items():
        print(f"  {name:18s} {f['wall_ms']:8.2f} ms wall  {f['cpu_ms']:8.2f} ms CPU   "
              f"{f['ratio']:.2f}x {baselines[name]} ({f['baseline_wall_ms']:.2f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
