"""Run every benchmark and print its figures, each as a ratio against a baseline measured
in the same run (these machines are noisy; absolute times drift).

    python -m benchmarks            # the full run (builds a 1,000,000-review collection)
    python -m benchmarks --quick    # a short run
    python -m benchmarks --only nn,symbolic

Each benchmark is also runnable on its own: ``python -m benchmarks.bench_NAME --help``.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time

#: name -> (module, extra args for --quick)
BENCHES = {
    "startup": ("benchmarks.bench_startup", ["--quick"]),
    "symbolic": ("benchmarks.bench_symbolic", ["--quick"]),
    "nn": ("benchmarks.bench_nn", ["--repeat", "5"]),
    "collection": ("benchmarks.bench_collection", ["--quick"]),
    "packs": ("benchmarks.bench_packs", ["--quick"]),
    "settings": ("benchmarks.bench_settings", ["--quick"]),
    "backup": ("benchmarks.bench_backup", ["--quick"]),
    "merge": ("benchmarks.bench_merge", ["--quick"]),
    "browse": ("benchmarks.bench_browse", ["--quick"]),
    "counts": ("benchmarks.bench_counts", ["--quick"]),
    "arith": ("benchmarks.bench_arith", ["--quick"]),
    "curriculum": ("benchmarks.bench_curriculum", ["--quick"]),
    "answer_burst": ("benchmarks.bench_answer_burst", ["--quick"]),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a short run of every benchmark")
    ap.add_argument("--only", help="comma-separated names: " + ", ".join(BENCHES))
    args = ap.parse_args(argv)
    names = args.only.split(",") if args.only else list(BENCHES)
    print(f"# quizact benchmarks · Python {platform.python_version()} · {platform.machine()} · "
          f"{platform.processor() or platform.platform()}")
    failed = []
    for name in names:
        module, quick = BENCHES[name]
        cmd = [sys.executable, "-m", module, *(quick if args.quick else [])]
        print(f"\n## {name}  ({' '.join(cmd[2:])})", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd)
        print(f"({time.perf_counter() - t0:.1f} s)", flush=True)
        if rc:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
