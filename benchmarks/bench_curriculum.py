"""A pack's curriculum: the cost of reading a 10,000-card pack that declares one.

    python -m benchmarks.bench_curriculum [--quick]

Prints, wall and CPU, the uncached read of a generated 10,000-card pack with a 50-topic
curriculum (every card carrying its ``topic:``, the order computed at load), paired per
round with the same pack without a curriculum, and the median of the per-round ratios.
Then the ordering alone (``curriculum.introduction_order``) on those 10,000 cards, for a
chain of topics and for 50 topics open at once (the widest turn). Budget: a 10,000-card
pack under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from quizact.packs.curriculum import introduction_order
from quizact.packs.loader import read_pack
from quizact.packs.models import Topic

CARDS, TOPICS = 10_000, 50


def make_pack(folder: Path, curriculum: bool) -> Path:
    head = f"pack: big-{'curriculum' if curriculum else 'plain'}\nname: Big\nversion: 1\n"
    if curriculum:
        head += "curriculum:\n" + "".join(
            f"  - {{topic: t{i}{f', after: [t{i - 1}]' if i else ''}}}\n" for i in range(TOPICS))
    topic = (lambda k: f"topic: t{k % TOPICS}, ") if curriculum else (lambda k: "")
    cards = "".join(f"- {{id: c{k}, {topic(k)}kind: recall, prompt: p{k}, answer: a}}\n" for k in range(CARDS))
    (folder / "cards").mkdir(parents=True)
    (folder / "pack.yaml").write_text(head)
    (folder / "cards" / "a.yaml").write_text(cards)
    return folder


def timed(fn) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    repeat = 3 if ap.parse_args().quick else 9
    with tempfile.TemporaryDirectory() as tmp:
        plain = make_pack(Path(tmp) / "plain", False)
        ordered = make_pack(Path(tmp) / "ordered", True)
        rows = []
        for _ in range(repeat):
            rows.append([*timed(lambda: read_pack(plain)), *timed(lambda: read_pack(ordered))])
        med = [statistics.median(r[i] for r in rows) for i in range(4)]
        ratio = statistics.median(r[2] / r[0] for r in rows)
        print(f"read {CARDS:,} cards with a {TOPICS}-topic curriculum: {med[2] * 1e3:.0f} ms wall, "
              f"{med[3] * 1e3:.0f} ms CPU; without: {med[0] * 1e3:.0f} ms wall, {med[1] * 1e3:.0f} ms CPU; "
              f"ratio {ratio:.2f}")
    cards = [SimpleNamespace(id=f"c{k}", topic=f"t{k % TOPICS}") for k in range(CARDS)]
    for name, topics in [
        ("a chain of topics", [Topic(topic=f"t{i}", after=[f"t{i - 1}"] if i else []) for i in range(TOPICS)]),
        ("all topics open", [Topic(topic=f"t{i}") for i in range(TOPICS)]),
    ]:
        runs = [timed(lambda topics=topics: introduction_order(topics, cards)) for _ in range(repeat)]
        print(f"order {CARDS:,} cards, {name}: {statistics.median(w for w, _ in runs) * 1e3:.1f} ms wall, "
              f"{statistics.median(c for _, c in runs) * 1e3:.1f} ms CPU")


if __name__ == "__main__":
    main()
