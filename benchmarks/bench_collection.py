"""Collection benchmark: dashboard counts, next card and a durable rating on a big collection.

    python -m benchmarks.bench_collection [--quick] [--dir DIR] [--json] [--cli]

Builds a collection of 50,000 cards (10 packs) and 1,000,000 reviews (``--quick``: 5,000
and 100,000) with executemany in transactions, then measures, as medians:

- the dashboard: ``Study.counts(now)`` + ``Study.next_card(now)`` (goal ≤ 50 ms);
- a durable rating: ``Study.rate`` (fsrs + card update + review row + undo entry, one
  ``synchronous=FULL`` WAL commit; goal ≤ 10 ms in DESIGN.md, ≤ 2 ms stretch);

each beside a raw ``sqlite3`` baseline of the same shape in the same run (the same
queries with no Python around them; one UPDATE + one INSERT committed), as ratios, and
the raw commit with ``synchronous=NORMAL`` to show what FULL costs. ``--dir`` puts the
file on the disk you care about (default: a temporary directory).

It then times the Session calls the dashboard and stats screens make beside raw sqlite3
running the statements those calls ran (traced), paired per round, CPU beside wall.
Last, it times ``quizact stats --json`` as a process beside a plain sqlite3 script process
running the statements that command ran, paired per round (goal ≤ 1.5×; ``--cli``: only
this; ``--no-cli``: all but this). The collection is built up to the current time, since
the command reads the clock.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from quizact.scheduling import Study
from quizact.session import Session
from quizact.storage import CardRow, Collection
from quizact.storage.timeutil import iso, study_day

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
PACKS = 10


def build(path: Path, n_cards: int, n_reviews: int) -> dict[str, float]:
    rng = random.Random(0)
    timings = {}
    with Collection.open(path) as col:
        per_pack = n_cards // PACKS
        start = time.perf_counter()
        for p in range(PACKS):
            rows = [CardRow(f"card-{i:05d}", "symbolic", ("bench",), f"h{i}") for i in range(per_pack)]
            col.sync_pack(f"pack-{p}", f"Pack {p}", 1, "builtin", rows, now=NOW - timedelta(days=1100))
        timings["sync_pack_ms_per_1000_cards"] = (time.perf_counter() - start) * 1000 / (n_cards / 1000)
        keys = [tuple(r) for r in col.query("SELECT pack_id, card_id FROM cards ORDER BY position")]

        # card states: 20% new, 4% learning/relearning (some due now), the rest in review
        updates = []
        for pack_id, card_id in keys:
            roll = rng.random()
            if roll < 0.20:
                continue
            last = NOW - timedelta(days=rng.uniform(1, 60))
            if roll < 0.24:
                state, step, due = rng.choice((1, 3)), 0, NOW + timedelta(minutes=rng.uniform(-30, 600))
            else:  # ~1% due today, the rest spread over the next 200 days, a few overdue
                state, step, due = 2, None, NOW + timedelta(days=rng.uniform(-2, 200))
            updates.append(
                (state, step, rng.uniform(1, 200), rng.uniform(1, 10), iso(due), iso(last),
                 rng.randint(1, 40), rng.randint(0, 5), pack_id, card_id)
            )  # fmt: skip
        reviewed = [(u[8], u[9]) for u in updates]
        start = time.perf_counter()
        with col.transaction() as conn:
            conn.executemany(
                "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, reps = ?, lapses = ? WHERE pack_id = ? AND card_id = ?",
                updates,
            )
        day = study_day(NOW, "UTC", 4)
        batch: list[tuple] = []
        sql = (
            "INSERT INTO reviews (pack_id, card_id, reviewed_at, mode, rating, status, score, answers, "
            "seed, duration_ms, state_before, stability_before, difficulty_before, due_before, "
            "state_after, stability_after, difficulty_after, due_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        # three years of history, appended in time order as real use does; the last 100
        # reviews were done earlier today (15 of them on new cards)
        first = NOW - timedelta(days=1095)
        span = (day.start - first).total_seconds()
        times = sorted(first + timedelta(seconds=rng.uniform(0, span)) for _ in range(n_reviews - 100))
        times += sorted(day.start + timedelta(seconds=rng.uniform(0, 3600)) for _ in range(100))
        for i, at in enumerate(times):
            pack_id, card_id = reviewed[rng.randrange(len(reviewed))]
            today = i >= n_reviews - 100
            state_before = 0 if today and i < n_reviews - 85 else rng.choice((1, 2, 2, 2, 3))
            mode = "practice" if not today and rng.random() < 0.05 else "review"
            due = iso(at + timedelta(days=3))
            batch.append(
                (pack_id, card_id, iso(at), mode, rng.randint(1, 4), "correct", 1.0, '["x"]', i, 4000,
                 state_before, 5.0, 5.0, due, 2, 8.0, 5.0, due)
            )  # fmt: skip
            if len(batch) == 50_000:
                with col.transaction() as conn:
                    conn.executemany(sql, batch)
                batch.clear()
        with col.transaction() as conn:
            conn.executemany(sql, batch)
        timings["fill_reviews_s"] = time.perf_counter() - start
    return timings


def median_ms(fn, runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def raw_dashboard(conn: sqlite3.Connection, packs: list[str]):
    """The dashboard's queries, straight on a connection (no settings, no Python around them)."""
    day = study_day(NOW, "UTC", 4)
    p = {"now": iso(NOW), "end": day.end_iso, "start": day.start_iso, "lim": 200}
    active = "suspended = 0 AND retired = 0 AND (buried_until IS NULL OR buried_until <= :now)"
    queries = [
        "SELECT sum(state_before = 0), sum(state_before = 2) FROM reviews "
        "WHERE reviewed_at >= :start AND reviewed_at < :end AND mode = 'review'",
        "SELECT pack_id FROM packs WHERE removed = 0",
    ]
    per_pack = [
        f"SELECT count(*) FROM cards WHERE pack_id = :pack AND {active} AND state IN (1, 3) AND due < :end",
        f"SELECT count(*) FROM (SELECT 1 FROM cards WHERE pack_id = :pack AND {active} "
        "AND state = 2 AND due < :end LIMIT :lim)",
        f"SELECT count(*) FROM (SELECT 1 FROM cards WHERE pack_id = :pack AND {active} AND state = 0 LIMIT :lim)",
    ]
    next_card = [
        f"SELECT pack_id, card_id FROM cards WHERE {active} AND state IN (1, 3) AND due <= :now "
        "ORDER BY due, position LIMIT 1",
    ]

    def run():
        for q in queries:
            conn.execute(q, p).fetchall()
        for pack in packs:
            for q in per_pack:
                conn.execute(q, {**p, "pack": pack}).fetchone()
        for q in next_card:
            conn.execute(q, p).fetchone()

    return run


def raw_commit(conn: sqlite3.Connection, keys: list[tuple[str, str]]):
    it = iter(keys)

    def run():
        pack_id, card_id = next(it)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE cards SET state = 2, stability = 9.5, difficulty = 5.1, due = ?, last_review = ?, "
            "reps = reps + 1 WHERE pack_id = ? AND card_id = ?",
            (iso(NOW + timedelta(days=9)), iso(NOW), pack_id, card_id),
        )
        conn.execute(
            "INSERT INTO reviews (pack_id, card_id, reviewed_at, mode, rating, state_before, due_after) "
            "VALUES (?, ?, ?, 'review', 3, 2, ?)",
            (pack_id, card_id, iso(NOW), iso(NOW + timedelta(days=9))),
        )
        conn.execute("COMMIT")

    return run


def traced(col: Collection, fn) -> list[str]:
    """The SQL statements (parameters inlined) that ``fn`` runs on the collection."""
    statements: list[str] = []
    col.conn.set_trace_callback(statements.append)
    try:
        fn()
    finally:
        col.conn.set_trace_callback(None)
    return statements


def paired(fn, statements: list[str], raw: sqlite3.Connection, rounds: int) -> dict[str, float]:
    """Median wall and CPU ms of ``fn`` and of a raw connection running ``statements``,
    interleaved round by round, with the median of the per-round ratios."""
    def run_raw():
        for sql in statements:
            raw.execute(sql).fetchall()

    fn(), run_raw()  # warm
    walls: dict[str, list[float]] = {"real": [], "raw": []}
    cpus: dict[str, list[float]] = {"real": [], "raw": []}
    for _ in range(rounds):
        for name, f in (("real", fn), ("raw", run_raw)):
            w, c = time.perf_counter(), time.process_time()
            f()
            walls[name].append((time.perf_counter() - w) * 1000)
            cpus[name].append((time.process_time() - c) * 1000)
    med = statistics.median
    return {
        "ms": med(walls["real"]), "cpu_ms": med(cpus["real"]), "raw_ms": med(walls["raw"]),
        "raw_cpu_ms": med(cpus["raw"]), "ratio": med(a / b for a, b in zip(walls["real"], walls["raw"])),
    }  # fmt: skip


def screens(path: Path, rounds: int) -> dict[str, dict[str, float]]:
    """The Session calls the dashboard and stats screens make, beside raw sqlite3 running
    the very statements they ran (captured with a trace callback)."""
    col = Collection.open(path)
    names = {p.pack_id: SimpleNamespace(meta=SimpleNamespace(name=p.name)) for p in col.list_packs()}
    session = Session(col, names)  # type: ignore[arg-type] - counts read only the ids and names
    raw = sqlite3.connect(path, isolation_level=None)
    out = {}
    for name, fn in (("dashboard", lambda: session.dashboard(NOW)),
                     ("stats", lambda: (session.stats(NOW), col.settings().desired_retention))):  # fmt: skip
        out[name] = paired(fn, traced(col, fn), raw, rounds)
    raw.close()
    col.close()
    return out


_PLAIN = (
    "import json, sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "print(json.dumps([conn.execute(s).fetchall() for s in json.load(open(sys.argv[2]))]))\n"
)


def cli(path: Path, rounds: int, home: Path) -> dict[str, float]:
    """``quizact stats --json`` as a process beside a plain sqlite3 script (a process too)
    running the statements that command ran, paired per round."""
    import os
    import subprocess
    import sys

    from click.testing import CliRunner

    import quizact.storage.collection as storage
    from quizact.cli import main as quizact_cli

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # .pyc files, as installed
    env["QUIZACT_HOME"] = str(home)
    statements: list[str] = []
    connect = storage._connect

    def tracing(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    args = ["--db", str(path), "stats", "--json"]
    CliRunner().invoke(quizact_cli, args, env=env)  # installs the built-in packs, writes the pack cache
    storage._connect = tracing
    try:
        assert CliRunner().invoke(quizact_cli, args, env=env).exit_code == 0
    finally:
        storage._connect = connect
    (home / "statements.json").write_text(json.dumps(statements))
    (home / "plain.py").write_text(_PLAIN)
    cmds = {"quizact": [sys.executable, "-m", "quizact", *args],
            "plain": [sys.executable, str(home / "plain.py"), str(path), str(home / "statements.json")]}  # fmt: skip
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    cpus: dict[str, list[float]] = {k: [] for k in cmds}
    for cmd in cmds.values():  # warm: file caches and written .pyc files
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
    for _ in range(rounds):
        for name, cmd in cmds.items():
            before, start = os.times(), time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            walls[name].append((time.perf_counter() - start) * 1000)
            after = os.times()
            cpus[name].append((after.children_user + after.children_system
                               - before.children_user - before.children_system) * 1000)  # fmt: skip
    med = statistics.median
    return {
        "statements": len(statements), "ms": med(walls["quizact"]), "cpu_ms": med(cpus["quizact"]),
        "raw_ms": med(walls["plain"]), "raw_cpu_ms": med(cpus["plain"]),
        "ratio": med(a / b for a, b in zip(walls["quizact"], walls["plain"])),
        "cpu_ratio": med(a / max(b, 1e-9) for a, b in zip(cpus["quizact"], cpus["plain"])),
    }  # fmt: skip


def measure(path: Path, runs: int) -> dict[str, float]:
    out: dict[str, float] = {}
    start = time.perf_counter()
    col = Collection.open(path)
    out["open_ms"] = (time.perf_counter() - start) * 1000
    study = Study(col)
    out["dashboard_ms"] = median_ms(lambda: (study.counts(NOW), study.next_card(NOW)), runs)
    packs = [p.pack_id for p in col.list_packs()]
    raw = sqlite3.connect(path, isolation_level=None)
    out["dashboard_raw_ms"] = median_ms(raw_dashboard(raw, packs), runs)
    out["stats_ms"] = median_ms(lambda: study.stats(NOW), max(3, runs // 10), warmup=1)

    due = col.query("SELECT pack_id, card_id FROM cards WHERE state = 2 ORDER BY due LIMIT ?", (runs * 6 + 30,))
    keys = [tuple(k) for k in due]
    it = iter(keys[: runs + 3])
    out["rate_ms"] = median_ms(lambda: study.rate(*next(it), 3, NOW), runs)
    for mode in ("FULL", "NORMAL"):
        raw.execute(f"PRAGMA synchronous = {mode}")
        batch = keys[runs + 3 :] if mode == "FULL" else keys[2 * runs + 6 :]
        out[f"commit_raw_{mode.lower()}_ms"] = median_ms(raw_commit(raw, batch), runs)
    raw.close()
    col.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cards and 100,000 reviews")
    parser.add_argument("--dir", type=Path, help="where to build the collection (default: a temp dir)")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--cli", action="store_true",
                        help="only `quizact stats --json` as a process vs a plain sqlite3 script (the collection "
                             "is built up to the current time, since the command reads the clock)")  # fmt: skip
    parser.add_argument("--no-cli", action="store_true", help="leave out the `quizact stats --json` comparison")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the `quizact stats --json` comparison")
    args = parser.parse_args(argv)
    n_cards, n_reviews = (5_000, 100_000) if args.quick else (50_000, 1_000_000)
    global NOW
    NOW = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    if args.cli:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            path = Path(tmp) / "bench.sqlite"
            build(path, n_cards, n_reviews)
            (Path(tmp) / "home").mkdir()
            g = cli(path, args.rounds, Path(tmp) / "home")
        print(json.dumps(g, indent=2) if args.json else cli_line(g))
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "bench.sqlite"
        start = time.perf_counter()
        figures = build(path, n_cards, n_reviews)
        figures["build_s"] = time.perf_counter() - start
        figures.update(measure(path, args.runs))
        figures["screens"] = screens(path, max(5, args.runs // 5))
        figures["size_mb"] = path.stat().st_size / 1e6
        if not args.no_cli:
            (Path(tmp) / "home").mkdir()
            figures["cli"] = cli(path, args.rounds, Path(tmp) / "home")
    figures.update(cards=n_cards, reviews=n_reviews)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    f = figures
    print(f"collection: {n_cards:,} cards, {n_reviews:,} reviews, {f['size_mb']:.0f} MB,"
          f" built in {f['build_s']:.1f} s")  # fmt: skip
    print(f"  open                      {f['open_ms']:8.2f} ms")
    print(f"  dashboard (counts + next) {f['dashboard_ms']:8.2f} ms   raw sqlite3 {f['dashboard_raw_ms']:.2f} ms"
          f"   ratio {f['dashboard_ms'] / f['dashboard_raw_ms']:.1f}x   goal 50 ms")  # fmt: skip
    print(f"  durable rating (FULL)     {f['rate_ms']:8.2f} ms   raw commit {f['commit_raw_full_ms']:.2f} ms"
          f"   ratio {f['rate_ms'] / f['commit_raw_full_ms']:.1f}x   goal 10 ms (stretch 2 ms)")  # fmt: skip
    print(f"  raw commit, NORMAL        {f['commit_raw_normal_ms']:8.2f} ms   (FULL costs "
          f"{f['commit_raw_full_ms'] / f['commit_raw_normal_ms']:.1f}x)")  # fmt: skip
    print(f"  stats summary             {f['stats_ms']:8.2f} ms")
    for name, goal in (("dashboard", 50), ("stats", 100)):
        g = f["screens"][name]
        print(f"  {name + ' screen (Session)':26s}{g['ms']:8.2f} ms (CPU {g['cpu_ms']:.2f})   raw sqlite3, same"
              f" statements {g['raw_ms']:.2f} ms (CPU {g['raw_cpu_ms']:.2f})   ratio {g['ratio']:.2f}x"
              f"   goal {goal} ms")
    print(f"  pack sync                 {f['sync_pack_ms_per_1000_cards']:8.2f} ms per 1,000 cards")
    if "cli" in f:
        print(cli_line(f["cli"]))


def cli_line(g: dict[str, float]) -> str:
    return (f"  quizact stats --json (process) {g['ms']:.0f} ms (CPU {g['cpu_ms']:.0f})   plain sqlite3 script, "
            f"the same {g['statements']} statements {g['raw_ms']:.0f} ms (CPU {g['raw_cpu_ms']:.0f})   "
            f"per-round ratio {g['ratio']:.2f}x (CPU {g['cpu_ratio']:.2f}x)   goal 1.5x")  # fmt: skip


if __name__ == "__main__":
    main()
