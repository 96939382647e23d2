"""Start-up stays light: neither sympy nor NumPy (nor plotext) before the first frame.

Run in a fresh interpreter, since other tests have long imported them in this one.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import SAMPLE

PROBE = r"""
import asyncio, json, sys
HEAVY = ("numpy", "sympy", "plotext", "textual_plotext", "quizact.nn")
seen = {"import": sorted(m for m in HEAVY if m in sys.modules)}
from quizact.tui.app import QuizactApp
seen["import app"] = sorted(m for m in HEAVY if m in sys.modules)

class Probe(QuizactApp):
    def on_mount(self):  # runs before QuizactApp.on_mount (Textual calls both)
        seen["mount"] = sorted(m for m in HEAVY if m in sys.modules)
        self.call_after_refresh(lambda: seen.setdefault("first frame", sorted(m for m in HEAVY if m in sys.modules)))

def open_session(now):
    from quizact.session import Session
    return Session.open(sys.argv[1], now, sources=[sys.argv[2]])

async def main():
    app = Probe(open_session, start="review", warm_grader=False)
    async with app.run_test() as pilot:
        for _ in range(600):
            await pilot.pause(0.05)
            if getattr(app.screen, "shown", None) is not None:
                break
        seen["card"] = app.screen.shown.card_id
        seen["after first card"] = sorted(m for m in HEAVY if m in sys.modules)
    print(json.dumps(seen))

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_no_sympy_or_numpy_before_the_first_frame(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    out = subprocess.run([sys.executable, str(script), str(tmp_path / "c.sqlite3"), str(SAMPLE)],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["card"] == "relu-definition"  # a recall card: nothing heavy needed at all
    for moment in ("import", "import app", "mount", "first frame", "after first card"):
        assert seen[moment] == [], (moment, seen)
