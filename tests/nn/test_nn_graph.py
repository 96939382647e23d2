"""The quantity graph against the real pass: a quantity moves exactly when one of its ancestors is changed."""

from __future__ import annotations

import numpy as np
import pytest

from quizact.nn import NetworkSpec, evaluate, quantity_names
from quizact.nn.graph import ancestors, parents, sources
from quizact.nn.names import STAGE_ORDER, parse_name

# Smooth activations and generic numbers, so that every real dependency shows as a change.
PARAMS = {
    "x": [0.7, -0.4],
    "W1": [[0.3, -0.5], [0.8, 0.2], [-0.6, 0.4]],
    "b1": [0.1, -0.2, 0.05],
    "W2": [[0.5, -0.3, 0.7], [-0.2, 0.6, 0.1]],
    "b2": [0.02, -0.03],
    "lr": 0.3,
}
SPECS = {
    "tanh-sigmoid-mse": (
        NetworkSpec(layers=(2, 3, 2), activations=("tanh", "sigmoid"), loss="squared_error"),
        {**PARAMS, "y": [0.2, 0.9]},
    ),
    "fused-softmax": (
        NetworkSpec(layers=(2, 3, 2), activations=("tanh", "softmax"), loss="softmax_cross_entropy"),
        {**PARAMS, "y": 1},
    ),
    "clipped-no-bias": (
        NetworkSpec(layers=(2, 3, 2), activations=("sigmoid", "identity"), loss="squared_error", bias=False, clip=0.01),
        {k: v for k, v in {**PARAMS, "y": [0.2, 0.9]}.items() if not k.startswith("b")},
    ),
}


def _traced(spec):
    return [n for n in quantity_names(spec) if parse_name(spec, n).stage in STAGE_ORDER]


@pytest.mark.parametrize("which", sorted(SPECS))
def test_graph_matches_what_the_pass_computes(which):
    spec, params = SPECS[which]
    names = _traced(spec)
    true = evaluate(spec, params, names)
    rng = np.random.default_rng(1)
    for j in names:
        if j == "y" and which == "fused-softmax":
            continue  # a class index: no continuous perturbation
        bumped = true[j] + rng.uniform(0.2, 0.5, size=np.shape(true[j]))
        moved = evaluate(spec, params, names, overrides={j: bumped})
        for k in names:
            if k == j:
                continue
            changed = not np.allclose(moved[k], true[k], rtol=1e-12, atol=1e-12)
            assert changed == (j in ancestors(spec, k)), f"{which}: perturbing {j} {'moved' if changed else 'left'} {k}"


COURSE = NetworkSpec(layers=(1, 1, 1), activations=("relu", "identity"), bias=False, loss="squared_error")


def test_hand_written_parents_of_the_course_network():
    # z2 = W2·a1; dL/dW2 = dL/dz2 · a1; W2' = W2 − lr·dL/dW2 (no clipping: scale 1)
    assert parents(COURSE, "z2") == ("a1", "W2")
    assert parents(COURSE, "grad.W2") == ("dL/dz2", "a1")
    assert parents(COURSE, "clip_scale") == ()
    assert ancestors(COURSE, "updated.W2") >= {"W2", "lr", "grad.W2", "dL/dz2", "z2", "a1", "z1", "x", "W1"}
    assert "grad.W1" not in ancestors(COURSE, "updated.W2")


def test_sources_stop_at_values_already_given():
    steps = ["z1", "a1", "z2", "loss", "dL/dz2", "grad.W2", "grad.W1"]
    # W2's update reads grad.W2 only: not grad.W1, and nothing above grad.W2
    assert sources(COURSE, "updated.W2", steps) == ["grad.W2"]
    assert sources(COURSE, "updated.W1", steps) == ["grad.W1"]
    # dL/dW1 = dL/dz2 · W2 · relu′(z1) · x: the given dL/dz2 and z1 (and a1, from which relu′ is read)
    assert sources(COURSE, "grad.W1", steps[:5]) == ["z1", "a1", "dL/dz2"]
    assert sources(COURSE, "z2", ["z1"]) == ["z1"]  # through a1, which was not given
    assert sources(COURSE, "z2", ["z1", "a1"]) == ["a1"]
    assert sources(COURSE, "z2", ["grad.W1"]) == []


def test_an_element_hides_nothing_above_it():
    spec, _ = SPECS["tanh-sigmoid-mse"]
    assert sources(spec, "a1", ["z1[0]"]) == ["z1[0]"]
    assert sources(spec, "z2", ["z1[0]", "a1[1]"]) == ["z1[0]", "a1[1]"]
    assert sources(spec, "z2", ["z1[0]", "a1"]) == ["a1"]
