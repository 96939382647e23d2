"""Start-up stays light: neither sympy nor NumPy (nor plotext) before the first frame, and
with the pack cache warm, nothing that only parsing or the CLI needs (pydantic, PyYAML,
click, OpenSSL's hashlib) before the first card.

Run in a fresh interpreter, since other tests have long imported them in this one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import SAMPLE

PROBE = r"""
import asyncio, json, sys
HEAVY = ("numpy", "sympy", "plotext", "textual_plotext", "quizact.nn")
PARSING = ("pydantic", "yaml", "click", "hashlib")
seen = {"import": sorted(m for m in HEAVY if m in sys.modules)}
import quizact.launch
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
        seen["parsing"] = sorted(m for m in PARSING if m in sys.modules)
    print(json.dumps(seen))

if __name__ == "__main__":
    asyncio.run(main())
"""


def probe(tmp_path) -> dict:
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    env = {**os.environ, "QUIZACT_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, str(script), str(tmp_path / "c.sqlite3"), str(SAMPLE)],
                         capture_output=True, text=True, timeout=120, env=env)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_sympy_or_numpy_before_the_first_frame(tmp_path):
    seen = probe(tmp_path)
    assert seen["card"] == "relu-definition"  # a recall card: nothing heavy needed at all
    for moment in ("import", "import app", "mount", "first frame", "after first card"):
        assert seen[moment] == [], (moment, seen)
    assert "pydantic" in seen["parsing"]  # the first start parsed the pack (and cached it)


def test_a_cached_pack_opens_without_pydantic_yaml_click_or_hashlib(tmp_path):
    probe(tmp_path)  # parses SAMPLE and fills the pack cache
    seen = probe(tmp_path)
    assert seen["card"] == "relu-definition"
    assert seen["parsing"] == [], seen
