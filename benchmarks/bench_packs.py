"""Pack loading: the built-in packs, and a generated 10,000-card pack.

    python -m benchmarks.bench_packs [--quick]

Prints the time to load and validate each (and to load it again from the pack cache, as
the app does at start-up when nothing changed), beside ``yaml.safe_load`` of the same files
alone (the floor any PyYAML pack format pays), as a ratio. Then the uncached 10,000-card
load, wall and CPU, paired per round with the same load forced through PyYAML alone (the
located path a file takes without yaml-rs or with a problem). Budgets: built-in packs well
under 100 ms; a 10,000-card pack under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from quizact.packs import yamlsrc
from quizact.packs.loader import _read_pack, read_pack
from quizact.paths import builtin_packs


def paired(fast, slow, repeat: int) -> tuple[float, float, float, float, float]:
    """Median wall and CPU seconds of ``fast`` and ``slow``, run in turn each round, and the
    median of the per-round wall ratios."""
    rows = []
    for _ in range(repeat):
        out = []
        for fn in (fast, slow):
            w, c = time.perf_counter(), time.process_time()
            fn()
            out += [time.perf_counter() - w, time.process_time() - c]
        rows.append(out)
    med = [statistics.median(r[i] for r in rows) for i in range(4)]
    return (*med, statistics.median(r[0] / r[2] for r in rows))


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def yaml_only(path: Path) -> None:
    files = [path] if path.is_file() else [path / "pack.yaml", *sorted((path / "cards").glob("*.yaml"))]
    for f in files:
        yaml.load(f.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def generated(n: int, folder: Path) -> Path:
    cards = []
    for i in range(n):
        kind = ("numeric", "symbolic", "choice", "recall")[i % 4]
        card = {"id": f"card-{i}", "kind": kind, "tags": ["gen"], "prompt": f"Card {i}: x = {{x}}",
                "explain": "worked", "params": {"x": {"uniform": [0, 1], "decimals": 2}}}
        if kind == "numeric":
            card["answer"] = "2*x"
        elif kind == "symbolic":
            card.update(variables=["z"], answer="sigmoid(z)*(1-sigmoid(z))")
        elif kind == "choice":
            card["options"] = [{"text": "a", "correct": True}, {"text": "b"}]
        else:
            card["answer"] = "back"
        cards.append(card)
    path = folder / "big.yaml"
    path.write_text(yaml.safe_dump({"pack": "big", "name": "Big", "version": 1, "cards": cards}))
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = ap.parse_args(argv)
    repeat = 3 if args.quick else 7
    import os

    os.environ.setdefault("QUIZACT_HOME", tempfile.mkdtemp())  # a private pack cache
    print(f"{'pack':<24}{'cards':>7}{'load ms':>10}{'cached ms':>11}{'yaml ms':>10}{'× yaml':>8}{'cached × yaml':>15}")
    rows = [(p.name, p) for p in builtin_packs()]
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("generated", generated(10_000, Path(tmp))))
        for name, path in rows:
            pack, problems = read_pack(path)
            assert pack is not None and not problems, problems[:3]
            load = timed(lambda path=path: read_pack(path), repeat)
            read_pack(path, cache=True)
            cached = timed(lambda path=path: read_pack(path, cache=True), repeat)
            base = timed(lambda path=path: yaml_only(path), repeat)
            print(f"{name:<24}{len(pack.cards):>7}{load:>10.1f}{cached:>11.1f}{base:>10.1f}"
                  f"{load / base:>8.2f}{cached / base:>15.3f}")
        big = rows[-1][1]
        fast_w, fast_c, slow_w, slow_c, ratio = paired(
            lambda: read_pack(big), lambda: _read_pack(big, False, set()), max(3, repeat // 2))
        print(f"\nuncached 10,000-card load: {fast_w:.2f} s wall, {fast_c:.2f} s CPU "
              f"(yaml-rs {'on' if yamlsrc._yaml_rs else 'not installed'}); PyYAML path: {slow_w:.2f} s wall, "
              f"{slow_c:.2f} s CPU; paired ratio {ratio:.2f} (budget 1 s)")
        first_w, first_c, load_w, load_c, ratio = paired(
            lambda: first_open(big), lambda: read_pack(big), 1 if args.quick else 2)
        print(f"first open of the 10,000-card pack as the app does it (read, light prompt forms, cache "
              f"written): {first_w:.2f} s wall, {first_c:.2f} s CPU; the read alone {load_w:.2f} s wall, "
              f"{load_c:.2f} s CPU; paired ratio {ratio:.2f}")


def first_open(path: Path) -> None:
    """``read_pack(path, cache=True)`` with no cache entry: what opening the app costs the first
    time after the pack is added or edited."""
    import shutil

    from quizact import paths

    shutil.rmtree(paths.cache_dir() / "packs", ignore_errors=True)
    pack, problems = read_pack(path, cache=True)
    assert pack is not None and not problems and pack.prompts


if __name__ == "__main__":
    main()
