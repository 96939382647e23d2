"""Start-up benchmark: process start → the first due card's prompt on the terminal.

    python -m benchmarks.bench_startup [--reps N | --quick] [--command CMD] [--json]

Builds a collection with due cards (built-in packs, some reviews due today) in a
temporary ``QUIZACT_HOME``, then starts, in a pseudo-terminal, alternately:

- ``python -m quizact review`` (straight into review; ``--command`` to start it another
  way, e.g. ``--command quizact`` for the dashboard is *not* comparable: it shows no
  card), timed until the first due card's prompt text appears in the output;
- a trivial Textual app showing one line, timed until that line appears;
- the same trivial app showing its line with Textual's ``Markdown`` widget (what the
  review screen renders a prompt with), for reference: the part of the gap that any
  Markdown prompt costs;

and prints the medians and the ratios (goal ≤ 1.2 against the first trivial app). Each is
run once untimed first, so all start from warm file caches and written ``.pyc`` files, as
an installed app would.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shlex
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
TRIVIAL_MARKDOWN_APP = TRIVIAL_APP.replace("Static", "Markdown")
QUIZACT_REVIEW = ["-m", "quizact", "review"]
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


def run_once(argv: list[str], text: str, env: dict[str, str]) -> float:
    """Seconds from fork to ``text`` appearing on the pseudo-terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: its own session, the pty as its terminal
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    seen = ""
    elapsed = None
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk.decode("utf-8", "replace")
            if text in ANSI.sub("", seen):
                elapsed = time.perf_counter() - start
                break
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)  # the app and its grading processes
            except ProcessLookupError:
                break
            time.sleep(0.2)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        os.close(fd)
    if elapsed is None:
        tail = ANSI.sub("", seen)[-500:]
        raise RuntimeError(f"{text!r} never appeared within {TIMEOUT:.0f}s; output ended: {tail!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--command", help="how to start quizact in review (default: python -m quizact review)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--quick", action="store_true", help="3 timed runs of each")
    args = parser.parse_args()
    if args.quick:
        args.reps = 3

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        text = build_collection(home)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(QUIZACT_HOME=str(home), TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
        env.pop("QUIZACT_DB", None)
        env.pop("NO_COLOR", None)
        scripts = {"trivial": TRIVIAL_APP, "markdown": TRIVIAL_MARKDOWN_APP}
        commands = {"quizact": shlex.split(args.command) if args.command else [sys.executable, *QUIZACT_REVIEW]}
        for name, source in scripts.items():
            (Path(tmp) / f"{name}.py").write_text(source)
            commands[name] = [sys.executable, str(Path(tmp) / f"{name}.py")]
        texts = {"quizact": text, "trivial": TRIVIAL_TEXT, "markdown": TRIVIAL_TEXT}
        for name, command in commands.items():  # warm-up: caches and .pyc files
            run_once(command, texts[name], env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.reps):  # interleaved, so load changes hit all alike
            for name, command in commands.items():
                times[name].append(run_once(command, texts[name], env))

    med = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "first_card_text": text,
        "reps": args.reps,
        "quizact_first_card_s": med["quizact"],
        "trivial_textual_s": med["trivial"],
        "trivial_markdown_s": med["markdown"],
        "ratio": med["quizact"] / med["trivial"],
        "markdown_ratio": med["markdown"] / med["trivial"],
        "goal_ratio": 1.2,
        "runs": times,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"first due card shows {text!r}")
    labels = {"quizact": "quizact → first card", "trivial": "trivial Textual app",
              "markdown": "  same, line in Markdown"}  # fmt: skip
    for name, label in labels.items():
        runs = ", ".join(f"{t * 1000:.0f}" for t in times[name])
        print(f"{label:<25} median {med[name] * 1000:7.0f} ms   (runs: {runs})")
    print(f"ratio {result['ratio']:.2f}  (goal ≤ 1.2)   "
          f"Markdown alone: {result['markdown_ratio']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
