"""Pack loading: the built-in packs, and a generated 10,000-card pack.

    python -m benchmarks.bench_packs [--quick]

Prints the time to load and validate each (and to load it again from the pack cache, as
the app does at start-up when nothing changed), beside ``yaml.safe_load`` of the same files
alone (the floor any YAML pack format pays), as a ratio. Budgets: built-in packs well
under 100 ms; a 10,000-card pack under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from quizact.packs.loader import read_pack
from quizact.paths import builtin_packs


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
            load = timed(lambda: read_pack(path), repeat)
            read_pack(path, cache=True)
            cached = timed(lambda: read_pack(path, cache=True), repeat)
            base = timed(lambda: yaml_only(path), repeat)
            print(f"{name:<24}{len(pack.cards):>7}{load:>10.1f}{cached:>11.1f}{base:>10.1f}"
                  f"{load / base:>8.2f}{cached / base:>15.3f}")


if __name__ == "__main__":
    main()
