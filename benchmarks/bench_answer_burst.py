"""Answer-box burst benchmark: a burst of keys (a paste typed out, as a terminal without
bracketed paste delivers it) into a symbolic card's box, with the box's length limit
against the same box without it, measured in the same run, paired per round.

    python -m benchmarks.bench_answer_burst [--quick] [--rounds N] [--keys N] [--json]

Runs the real app headless over the sample pack, posts ``--keys`` key events to the
answer box at once and prints medians of the longest event-loop stall (the gap between
ticks of a 50 ms timer: how long the clock froze), of wall and CPU time until every key
is handled, with the limited box's ratio to the unlimited one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "examples" / "sample.yaml"
CARDS = ("relu-definition", "sigmoid-range", "sigmoid-derivative", "sigmoid-slope-at-z", "backprop-relu-mse")
KINDS = ("limited", "unlimited")


def one_burst(keys: int, limited: bool) -> dict[str, float]:
    from datetime import datetime, timezone

    from textual import events

    from quizact.session import Session
    from quizact.tui.app import QuizactApp
    from quizact.tui.widgets import answer_box

    now = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
    answer_box.MAX_ANSWER = 2000 if limited else 10**9
    with tempfile.TemporaryDirectory() as tmp:
        session = Session.open(Path(tmp) / "c.sqlite3", now, sources=[SAMPLE])
        for card in CARDS:
            if card != "sigmoid-derivative":
                session._study.bury("quizact-sample", card, now)
        app = QuizactApp(session, clock=lambda: now, seed=7, start="review", warm_grader=False)
        figures: dict[str, float] = {}

        async def main() -> None:
            async with app.run_test(size=(120, 36)) as pilot:
                for _ in range(40):  # until the card's box has the focus
                    await pilot.pause(0.05)
                    if isinstance(app.focused, answer_box.AnswerInput):
                        break
                box = app.focused
                gaps: list[float] = []
                last = [time.perf_counter()]

                def tick() -> None:
                    t = time.perf_counter()
                    gaps.append(t - last[0])
                    last[0] = t

                app.set_interval(0.05, tick)
                await pilot.pause(0.2)
                gaps.clear()
                w, c = time.perf_counter(), time.process_time()
                last[0] = w
                for _ in range(keys):
                    box.post_message(events.Key("z", "z"))
                while not box._message_queue.empty():
                    await asyncio.sleep(0.005)
                figures["wall_s"] = time.perf_counter() - w
                figures["cpu_s"] = time.process_time() - c
                await pilot.pause(0.1)
                figures["stall_s"] = max(gaps, default=figures["wall_s"])
                figures["chars"] = len(box.value)

        asyncio.run(main())
        session.close()
    return figures


def measure(rounds: int, keys: int) -> dict[str, dict[str, float]]:
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in KINDS}
    for _ in range(rounds):  # each round runs both, so drift hits both alike
        for kind in KINDS:
            runs[kind].append(one_burst(keys, kind == "limited"))
    out = {}
    for kind in KINDS:
        ratios = [a["stall_s"] / b["stall_s"] for a, b in zip(runs[kind], runs["unlimited"])]
        out[kind] = {
            "stall_s": statistics.median(r["stall_s"] for r in runs[kind]),
            "wall_s": statistics.median(r["wall_s"] for r in runs[kind]),
            "cpu_s": statistics.median(r["cpu_s"] for r in runs[kind]),
            "chars": runs[kind][0]["chars"],
            "stall_ratio_to_unlimited": statistics.median(ratios),
        }  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keys", type=int, default=6600, help="keys in the burst (the issue's 6,600)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else args.rounds
    figures = measure(rounds, args.keys)
    if args.json:
        print(json.dumps({"keys": args.keys, **figures}, indent=2))
        return
    print(f"answer box, a burst of {args.keys:,} keys ({rounds} rounds):")
    for kind, f in figures.items():
        print(f"  {kind:9s} {int(f['chars']):6,} chars kept  longest stall {f['stall_s']:6.2f} s  "
              f"{f['wall_s']:6.2f} s wall  {f['cpu_s']:6.2f} s CPU   "
              f"stall ratio {f['stall_ratio_to_unlimited']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
