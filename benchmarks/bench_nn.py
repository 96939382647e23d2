"""Network benchmark: the course's hand-worked backprop card through ``evaluate()``.

    python -m benchmarks.bench_nn [--repeat N] [--json]

Times, as medians over batches of calls, with warm caches:

- ``evaluate()`` of the nine steps quantities of the hand-worked card (z1 … updated.W1);
- the same with the learner's z1 carried forward (``overrides``);
- ``NetworkSpec.model_validate`` + ``evaluate()`` (what a grader does per step);
- ``mistake_candidates()`` for a wrong updated.W1 (nine mistake recomputations);
- grading the whole nine-step card warm in-process (goal ≤ 5 ms), all right, and with a
  wrong z2 carried forward through the seven later steps;

beside a baseline in the same run: one forward + backward + SGD step of the same network
written inline in plain NumPy, and prints each as a ratio to it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import numpy as np

from quizact.nn import NetworkSpec, evaluate, mistake_candidates

NETWORK = {"layers": [1, 1, 1], "activations": ["relu", "identity"], "bias": False,
           "loss": "squared_error"}
PARAMS = {"x": 2.0, "y": 1.0, "W1": 0.5, "W2": 0.3, "lr": 0.1}
STEPS = ["z1", "a1", "z2", "loss", "dL/dz2", "grad.W2", "grad.W1", "updated.W2", "updated.W1"]


def inline_numpy() -> dict[str, np.ndarray]:
    """Forward, backward and one SGD step of the same network, by hand."""
    x, y = np.array([[2.0]]), np.array([[1.0]])
    W1, W2, lr = np.array([[0.5]]), np.array([[0.3]]), 0.1
    z1 = x @ W1.T
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ W2.T
    loss = ((z2 - y) ** 2).sum(axis=1).mean()
    dz2 = 2.0 * (z2 - y) / x.shape[0]
    gW2 = dz2.T @ a1
    dz1 = (dz2 @ W2) * (z1 > 0)
    gW1 = dz1.T @ x
    return {"z1": z1, "a1": a1, "z2": z2, "loss": loss, "dL/dz2": dz2, "grad.W2": gW2,
            "grad.W1": gW1, "updated.W2": W2 - lr * gW2, "updated.W1": W1 - lr * gW1}


def median_us(fn: Callable[[], object], repeat: int, number: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times) * 1e6


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=15, help="batches per measurement")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)

    spec = NetworkSpec.model_validate(NETWORK)
    expected = inline_numpy()
    got = evaluate(spec, PARAMS, STEPS)
    for name in STEPS:  # both compute the same numbers
        assert np.allclose(np.ravel(got[name]), np.ravel(expected[name])), name

    from quizact.grading.card import grade
    from quizact.packs.loader import parse_card
    from quizact.packs.params import instantiate

    card = parse_card({
        "id": "walkthrough", "kind": "steps", "prompt": "p", "network": NETWORK, "params": PARAMS,
        "steps": [{"prompt": name, "value": name} for name in STEPS],
    })
    variant = instantiate(card, 0)
    right = ["1", "1", "0.3", "0.49", "-1.4", "-1.4", "-0.84", "0.44", "0.584"]
    ecf = ["1", "1", "0.4", "0.36", "-1.2", "-1.2", "-0.72", "0.42", "0.572"]  # z2 wrong, rest carried
    assert grade(card, variant, right).status == "correct"

    n = max(args.repeat, 3)
    results = {
        "inline_numpy_us": median_us(inline_numpy, n, 2000),
        "evaluate_us": median_us(lambda: evaluate(spec, PARAMS, STEPS), n, 300),
        "evaluate_overrides_us": median_us(
            lambda: evaluate(spec, PARAMS, STEPS, overrides={"z1": 2.0}), n, 300),
        "validate_and_evaluate_us": median_us(
            lambda: evaluate(NetworkSpec.model_validate(NETWORK), PARAMS, STEPS), n, 300),
        "mistake_candidates_us": median_us(
            lambda: mistake_candidates(spec, PARAMS, "updated.W1", 0.416), n, 30),
        "grade_steps_card_us": median_us(lambda: grade(card, variant, right), n, 30),
        "grade_steps_card_ecf_us": median_us(lambda: grade(card, variant, ecf), n, 10),
    }
    base = results["inline_numpy_us"]
    if args.json:
        print(json.dumps({**results, **{k.replace("_us", "_ratio"): v / base
                                        for k, v in results.items() if k != "inline_numpy_us"}},
                         indent=2))
    else:
        print(f"{'measurement':<28}{'median µs':>12}{'× inline':>10}")
        for key, value in results.items():
            print(f"{key.removesuffix('_us'):<28}{value:>12.1f}{value / base:>10.1f}")
    return results


if __name__ == "__main__":
    main()
