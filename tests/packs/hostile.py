"""Hostile pack files (alias bombs, deep nesting, huge scalars, many keys), and a runner
that measures a real ``quizact`` process's CPU time and peak memory."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HEAD = "pack: hostile\nname: Hostile\nversion: 1\n"
CARD = "  - {id: ok, kind: recall, prompt: p, answer: a}\n"


def laughs(levels: int = 9, width: int = 9) -> str:
    """The "billion laughs": each anchor repeats the previous one ``width`` times."""
    out = [HEAD, "l0: &l0 [" + ", ".join(["lol"] * width) + "]\n"]
    for i in range(1, levels):
        out.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]\n")
    out.append(f"cards:\n  - {{id: bomb, kind: recall, prompt: p, answer: *l{levels - 1}}}\n")
    return "".join(out)


def block_laughs(levels: int = 30) -> str:
    """Doubling anchors in block style, used as a card's tags."""
    out = [HEAD, "x0: &x0 lol\n"]
    for i in range(1, levels):
        out.append(f"x{i}: &x{i}\n  - *x{i - 1}\n  - *x{i - 1}\n")
    out.append(f"cards:\n  - id: bomb\n    kind: recall\n    prompt: p\n    answer: a\n    tags: *x{levels - 1}\n")
    return "".join(out)


def merge_laughs(levels: int = 40) -> str:
    """Merge keys (``<<``) that double at every level."""
    out = [HEAD, "m0: &m0 {k: 1}\n"]
    out += [f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], k{i}: 1}}\n" for i in range(1, levels)]
    return "".join(out) + "cards:\n" + CARD


HOSTILE = {
    "laughs": laughs(),
    "block-laughs": block_laughs(),
    "merge-laughs": merge_laughs(),
    "recursive-anchor": HEAD + "cards: &c\n  - *c\n",
    "deep-flow": HEAD + "cards:\n" + CARD + "x: " + "[" * 200_000 + "]" * 200_000 + "\n",
    "deep-block": HEAD + "cards:\n" + CARD + "x:\n" + "".join("  " * i + "- \n" for i in range(1, 1500)),
    "deep-mapping": HEAD + "cards:\n" + CARD + "x:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 3000)),
    "huge-scalar": HEAD + "cards:\n  - {id: big, kind: recall, prompt: '" + "x" * 4_900_000 + "', answer: a}\n",
    "many-keys": HEAD + "cards:\n  - id: keys\n    kind: recall\n    prompt: p\n    answer: a\n"
    + "".join(f"    k{i}: {i}\n" for i in range(250_000)),
    "long-flow-list": HEAD + "cards:\n" + CARD + "x: [" + ", ".join(["1"] * 1_500_000) + "]\n",
    "near-the-limit": HEAD + "cards:\n" + CARD + "x: [" + ", ".join(["1"] * 295_000) + "]\n",
    "big-valid-pack": HEAD + "cards:\n"
    + "".join(f"  - {{id: c{i}, kind: recall, prompt: p, answer: a}}\n" for i in range(8000)),
    "many-cards": HEAD + "cards:\n" + "".join(f"  - {{id: c{i}, kind: recall, prompt: p}}\n" for i in range(60_000)),
    "huge-integer": HEAD.replace("version: 1", "version: " + "9" * 100_000) + "cards:\n" + CARD,
    "too-big": HEAD + "cards:\n" + CARD + "# " + "x" * 6_000_000 + "\n",
}


@dataclass(frozen=True)
class Run:
    returncode: int  # -9 when killed at the timeout
    stdout: str
    stderr: str
    cpu_s: float  # user + system time of the process
    wall_s: float
    max_rss_mb: float  # peak resident memory


# A small parent process runs quizact and reports its rusage. Measured straight from the
# test process, Linux would report the test process's own peak (the fork's memory counts
# towards the child's high-water mark, and pytest with sympy loaded is large).
_MEASURE = """
import resource, subprocess, sys, time
timeout = float(sys.argv[1])
start = time.monotonic()
proc = subprocess.Popen([sys.executable, "-m", "quizact", *sys.argv[2:]], stdin=subprocess.DEVNULL)
try:
    proc.wait(timeout)
except subprocess.TimeoutExpired:
    proc.kill()
    proc.wait()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(f"\\nMEASURED {proc.returncode} {ru.ru_utime + ru.ru_stime} "
                 f"{time.monotonic() - start} {ru.ru_maxrss}\\n")
"""


def run_quizact(args: list[str], timeout: float = 60.0, env: dict | None = None) -> Run:
    """Run ``python -m quizact ARGS`` in a real process; killed past ``timeout`` seconds."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(timeout), *args], capture_output=True,
                         env=env, timeout=timeout + 30)
    stderr = out.stderr.decode(errors="replace")
    body, _, measured = stderr.rpartition("\nMEASURED ")
    code, cpu, wall, rss = measured.split()
    return Run(int(code), out.stdout.decode(errors="replace"), body, float(cpu), float(wall), int(rss) / 1024)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path
