"""Crash safety and concurrency, with real processes on a real file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from quizact.storage import CardRow, Collection

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys, datetime
from quizact.storage import Collection
from quizact.scheduling import Study

path, base, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
study = Study(Collection.open(path))
start = datetime.datetime(2026, 3, 2, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=base)
print("ready", flush=True)
i = 0
while count < 0 or i < count:
    card = f"c{(i * 7 + base) % 50:03d}"
    result = study.rate("p", card, 1 + i % 4, start + datetime.timedelta(seconds=i))
    print(result.review_id, flush=True)  # only after the commit returned
    i += 1
"""


def _collection(path, now):
    with Collection.open(path) as col:
        col.sync_pack("p", "P", 1, "builtin", [CardRow(f"c{i:03d}", "recall") for i in range(50)], now=now)


def _spawn(path, base, count=-1):
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(base), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _consistent(path):
    with Collection.open(path) as col:
        assert col.integrity_check() == "ok"
        reviews = col.query_one("SELECT count(*) FROM reviews WHERE mode = 'review'")[0]
        reps = col.query_one("SELECT sum(reps) FROM cards")[0]
        assert reps == reviews  # card update and review row always land together
        return {r[0] for r in col.query("SELECT id FROM reviews")}


def test_killed_while_rating_loses_nothing_reported(db_path, now):
    _collection(db_path, now)
    rng = random.Random(7)
    reported: set[int] = set()
    for kill in range(10):
        child = _spawn(db_path, base=kill * 100_000)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL
        complete = out.split("\n")[:-1]  # the last piece may be a half-written line
        reported |= {int(line) for line in complete}
    assert len(reported) > 20
    stored = _consistent(db_path)
    assert reported <= stored


def test_two_processes_rating_at_once(db_path, now):
    _collection(db_path, now)
    children = [_spawn(db_path, base=b, count=120) for b in (0, 1)]
    outputs = [c.communicate(timeout=60) for c in children]
    for child, (_out, err) in zip(children, outputs):
        assert child.returncode == 0, err
    ids = [int(line) for out, _ in outputs for line in out.split()[1:]]
    assert len(ids) == 240 == len(set(ids))
    assert _consistent(db_path) == set(ids)
