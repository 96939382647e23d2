"""``runs_failed``: a seed-spread statistic over several training runs, checked against a
separate NumPy training loop written here (ReLU hidden layer, sigmoid output, mean BCE)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizact.nn.quantities import QuantityError, evaluate
from quizact.nn.spec import NetworkSpec

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
Y = np.array([0, 1, 1, 0], float)


def he_weights(seed: int, layers: list[int]) -> list[np.ndarray]:
    # the documented scheme: the second of two generators spawned from the seed, N(0, 2/n_in)
    rng = np.random.default_rng(seed).spawn(2)[1]
    return [rng.normal(0, math.sqrt(2 / layers[l - 1]), (layers[l], layers[l - 1])) for l in range(1, len(layers))]


def reaches(W1, b1, W2, b2, lr: float, steps: int, target: float) -> bool:
    for _k in range(steps + 1):
        z1 = X @ W1.T + b1
        a1 = np.maximum(z1, 0)
        p = 1 / (1 + np.exp(-(a1 @ W2.T + b2)[:, 0]))
        if -np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)) <= target:
            return True
        d2 = ((p - Y) / 4)[:, None]
        d1 = (d2 @ W2) * (z1 > 0)
        W1, b1, W2, b2 = W1 - lr * d1.T @ X, b1 - lr * d1.sum(0), W2 - lr * d2.T @ a1, b2 - lr * d2.sum(0)
    return False


def spec(width: int, **train) -> NetworkSpec:
    return NetworkSpec.model_validate({
        "layers": [2, width, 1], "activations": ["relu", "sigmoid"], "loss": "bce",
        "train": {"data": "xor", "steps": 1000, "lr": 0.5, "target_loss": 0.1, **train},
    })  # fmt: skip


@pytest.mark.parametrize("width, lr, bias", [(3, 0.5, 0.0), (3, 1.0, -0.5), (3, 0.5, 0.5)])
def test_runs_failed_counts_the_runs_that_never_reach_the_target(width, lr, bias):
    own = 0
    for seed in range(20):
        W1, W2 = he_weights(seed, [2, width, 1])
        own += not reaches(W1, np.full(width, bias), W2, np.full(1, bias), lr, 1000, 0.1)
    got = evaluate(spec(width, runs=20, lr=lr, bias_init=bias), {}, "runs_failed")["runs_failed"]
    assert int(got) == own
    assert {(3, 0.5, 0.0): 11, (3, 1.0, -0.5): 19, (3, 0.5, 0.5): 4}[width, lr, bias] == own


def test_runs_start_at_the_seed_and_one_run_is_the_card_run():
    one = evaluate(spec(3, seed=4), {}, ["runs_failed", "steps_to_target"])
    assert int(one["runs_failed"]) == (int(one["steps_to_target"]) < 0)
    # params override the block like every other train field
    assert evaluate(spec(3, runs=20), {"bias_init": 0.5}, "runs_failed")["runs_failed"] == 4


def test_runs_failed_refuses_starting_weights_from_the_params():
    params = {"W1": [[0.5, 0.9], [-0.7, 0.9], [-0.4, -0.3]], "b1": [0, 0, 0], "W2": [0.1, 0.2, 0.3], "b2": 0}
    with pytest.raises(QuantityError, match="give no W1"):
        evaluate(spec(3, runs=5), params, "runs_failed")


def test_runs_failed_needs_a_target():
    from quizact.nn.params import MissingParameter

    s = NetworkSpec.model_validate({"layers": [2, 3, 1], "activations": ["relu", "sigmoid"], "loss": "bce",
                                    "train": {"data": "xor", "runs": 3}})  # fmt: skip
    with pytest.raises(MissingParameter, match="runs_failed needs train.target_loss"):
        evaluate(s, {}, "runs_failed")


def test_runs_failed_on_a_given_x_without_y_asks_for_y():
    # the learner's own inputs with the block's training: the targets must be given too, as for
    # steps_to_target (it was an AttributeError from deep inside the cache key)
    from quizact.nn.params import MissingParameter

    with pytest.raises(MissingParameter, match="y is needed"):
        evaluate(spec(3, runs=2), {"x": X.tolist()}, "runs_failed")
    with pytest.raises(MissingParameter, match="y is needed"):
        evaluate(spec(3, runs=2), {"x": X.tolist()}, "steps_to_target")
    given = evaluate(spec(3, runs=2), {"x": X.tolist(), "y": Y.tolist()}, "runs_failed")["runs_failed"]
    assert int(given) == int(evaluate(spec(3, runs=2), {}, "runs_failed")["runs_failed"])  # xor is X, Y
