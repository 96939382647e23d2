"""A second real process that holds a collection's write lock (``BEGIN IMMEDIATE``) for a
while, as another quizact writing would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HOLD = """\
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
con.close()
"""


def hold_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Start the holder; returns once it holds the lock (it lets go after ``seconds``)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc
