"""Start-up benchmark: process start → the first meaningful screen, paired per round with a
trivial Textual app.

    python -m benchmarks.bench_startup [--rounds N | --quick] [--json]

Builds a collection with due reviews (the built-in pack, its cache written, a dozen cards
due again today) in a temporary ``QUIZACT_HOME``, then, round after round, starts in a
pseudo-terminal each of:

- a trivial Textual app showing one line, timed until that line appears (the baseline);
- ``python -m quizact review``, timed until the first due card's prompt appears;
- ``python -m quizact`` (the dashboard), timed until "… cards to study today" appears;

in an order that rotates from round to round. A process is killed (SIGKILL) the moment
its text is seen, so its CPU time (user + system, from ``wait4``) is what it spent until
then. Each round gives a ratio per quizact start against that round's baseline, for wall
and CPU time; the medians of those per-round ratios are the figures (goals: review ≤ 1.35,
dashboard ≤ 1.3). Every command is run once untimed first, so all start from warm file
caches and written ``.pyc`` files, as an installed app would.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

COLS, ROWS = 200, 50
TIMEOUT = 60.0
TRIVIAL_TEXT = "trivial app ready"
TRIVIAL_APP = f"""
from textual.app import App
from textual.widgets import Static

class Trivial(App):
    def compose(self):
        yield Static({TRIVIAL_TEXT!r})

Trivial().run()
"""
DASHBOARD_TEXT = "to study today"
GOALS = {"review": 1.35, "dashboard": 1.3}
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")


def build_collection(home: Path) -> str:
    """A collection with due reviews and new cards; returns text the first card shows."""
    os.environ["QUIZACT_HOME"] = str(home)
    import random

    from quizact.session import Session

    now = datetime.now(timezone.utc)
    past = now - timedelta(days=40)
    session = Session.open(None, past)
    rng = random.Random(0)
    for _ in range(12):  # learnt 40 days ago; an Again makes each due again by now
        shown = session.next(past, rng)
        if shown is None:
            break
        session.rate(shown, 1, past)
        session.rate(shown, 3, past + timedelta(minutes=15))
    first = session.next(now, rng)
    session.close()
    assert first is not None, "no due card in the benchmark collection"
    return needle(first.card.prompt)


def needle(prompt: str) -> str:
    """A piece of the prompt that survives Markdown rendering and parameter filling."""
    plain = prompt.split("{")[0]
    plain = re.sub(r"[*_`#>\[\]]", "", plain)
    words = plain.split()
    return " ".join(words[:4])[:40]


def run_once(argv: list[str], text: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds from fork to ``text`` appearing on the pseudo-terminal; the
    process is killed the moment it appears, so its CPU time is what it spent until then."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: its own session, the pty as its terminal
        try:
            os.chdir(env.get("PYTHONPATH", ".").split(os.pathsep)[0] or ".")  # `-m` imports from here first
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    seen = ""
    elapsed = None
    cpu = 0.0
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([fd], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk.decode("utf-8", "replace")
            if text in ANSI.sub("", seen[-20000:]):
                elapsed = time.perf_counter() - start
                break
    finally:
        try:
            os.killpg(pid, signal.SIGKILL)  # the app and any grading process it started
        except ProcessLookupError:
            pass
        try:
            _, _, usage = os.wait4(pid, 0)
            cpu = usage.ru_utime + usage.ru_stime
        except ChildProcessError:
            pass
        os.close(fd)
    if elapsed is None:
        tail = ANSI.sub("", seen)[-500:]
        raise RuntimeError(f"{text!r} never appeared within {TIMEOUT:.0f}s; output ended: {tail!r}")
    return elapsed, cpu


def measure(rounds: int, warmup: bool = True, against: Path | None = None) -> dict:
    """Run the rounds; returns the per-round figures and their medians."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        text = build_collection(home)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(QUIZACT_HOME=str(home), TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
        for name in ("QUIZACT_DB", "NO_COLOR", "TEXTUAL"):
            env.pop(name, None)
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text(TRIVIAL_APP)
        commands = {
            "trivial": ([sys.executable, str(trivial)], TRIVIAL_TEXT),
            "review": ([sys.executable, "-m", "quizact", "review"], text),
            "dashboard": ([sys.executable, "-m", "quizact"], DASHBOARD_TEXT),
        }
        envs = {name: env for name in commands}
        if against is not None:  # the same starts from another source tree, in the same rounds
            for name in ("review", "dashboard"):
                commands[f"{name}@against"] = commands[name]
                envs[f"{name}@against"] = {**env, "PYTHONPATH": str(against)}
        if warmup:  # caches and .pyc files
            for name, (argv, needle_text) in commands.items():
                run_once(argv, needle_text, envs[name])
        names = list(commands)
        runs: list[dict[str, tuple[float, float]]] = []
        for r in range(rounds):  # interleaved, the order rotating, so load changes hit all alike
            order = names[r % len(names):] + names[: r % len(names)]
            runs.append({name: run_once(*commands[name], envs[name]) for name in order})
    def paired(name: str, base: str) -> dict[str, list[float]]:
        return {"wall": [run[name][0] / run[base][0] for run in runs],
                "cpu": [run[name][1] / run[base][1] for run in runs]}  # fmt: skip

    ratios = {name: paired(name, "trivial") for name in names if name != "trivial"}
    if against is not None:
        for name in ("review", "dashboard"):
            ratios[f"{name}_vs_against"] = paired(name, f"{name}@against")
    return {
        "first_card_text": text,
        "rounds": rounds,
        "median_s": {n: {"wall": statistics.median(r[n][0] for r in runs),
                         "cpu": statistics.median(r[n][1] for r in runs)} for n in names},  # fmt: skip
        "ratio": {n: {k: statistics.median(v) for k, v in ratios[n].items()} for n in ratios},
        "goal": GOALS,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument("--quick", action="store_true", help="5 rounds")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--against", type=Path, metavar="TREE",
                        help="also time quizact review and quizact from another source tree (PYTHONPATH=TREE) "
                             "in the same rounds, to measure one change: "
                             "prints this tree's per-round ratios to it")  # fmt: skip
    args = parser.parse_args()
    rounds = 5 if args.quick else args.rounds
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    result = measure(rounds, against=args.against)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{rounds} rounds; the first due card shows {result['first_card_text']!r}")
    labels = {"trivial": "trivial Textual app", "review": "quizact review → first card",
              "dashboard": "quizact → dashboard"}  # fmt: skip
    for name, label in labels.items():
        med = result["median_s"][name]
        print(f"{label:<30} median wall {med['wall'] * 1000:6.0f} ms   CPU {med['cpu'] * 1000:6.0f} ms")
    for name in ("review", "dashboard"):
        ratio = result["ratio"][name]
        print(f"{name:<10} per-round ratio to the trivial app: median {ratio['wall']:.2f} (CPU {ratio['cpu']:.2f})"
              f"   goal ≤ {GOALS[name]}")  # fmt: skip
    if args.against is not None:
        for name in ("review", "dashboard"):
            ratio = result["ratio"][f"{name}_vs_against"]
            print(f"{name:<10} this tree / {args.against}: "
                  f"per-round median {ratio['wall']:.3f} (CPU {ratio['cpu']:.3f})")


if __name__ == "__main__":
    main()
