"""For random networks and steps cards, the value of every automatic mistake at every step
grades not-correct at the card's tolerance, in every variant drawn.

The mistake values come from the network layer (``quizact.nn``), the verdicts from the
grader: a mistake typed exactly is never a ✓, even where the tolerance alone would take it.
"""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizact.grading.card import Context, grade_numeric_item
from quizact.nn.quantities import MISTAKES, evaluate, evaluate_mistake
from quizact.nn.spec import NetworkSpec
from quizact.packs.loader import parse_card
from quizact.packs.params import instantiate

STEPS = ["z1", "a1", "z2", "loss", "dL/dz2", "grad.W2", "dL/da1", "dL/dz1", "grad.W1",
         "updated.W2", "updated.W1"]
TOLERANCES = [{"sigfigs": 3}, {"sigfigs": 2}, {"decimals": 3}, {"decimals": 2}, {"rtol": 0.01}, {}]


@st.composite
def steps_cards(draw):
    n0, n1, n2 = (draw(st.integers(1, 3)) for _ in range(3))
    hidden = draw(st.sampled_from(["relu", "sigmoid", "tanh", "leaky_relu", "identity"]))
    out = draw(st.sampled_from(["identity", "sigmoid", "tanh"]))
    bias = draw(st.booleans())
    loss = draw(st.sampled_from(["squared_error", "half_squared_error"]))
    params = {
        "x": {"uniform": [-2, 2], "decimals": 1, "shape": [n0]},
        "W1": {"uniform": [-1, 1], "decimals": 1, "shape": [n1, n0]},
        "W2": {"uniform": [-1, 1], "decimals": 1, "shape": [n2, n1]},
        "y": {"uniform": [-1, 1], "decimals": 1, "shape": [n2]},
        "lr": {"choice": [0.1, 0.05, 0.01]},
    }
    if bias:
        params["b1"] = {"uniform": [-0.5, 0.5], "decimals": 1, "shape": [n1]}
        params["b2"] = {"uniform": [-0.5, 0.5], "decimals": 1, "shape": [n2]}
    names = draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=5, unique=True))
    tolerance = draw(st.sampled_from(TOLERANCES))
    return parse_card({
        "id": "random-net", "kind": "steps", "prompt": "p",
        "network": {"layers": [n0, n1, n2], "activations": [hidden, out], "bias": bias, "loss": loss},
        "params": params,
        "steps": [{"prompt": n, "value": n, **({"tolerance": tolerance} if tolerance else {})} for n in names],
    })


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=steps_cards(), seeds=st.lists(st.integers(0, 10_000), min_size=1, max_size=3, unique=True))
def test_every_automatic_mistake_grades_not_correct(card, seeds):
    spec = NetworkSpec.model_validate(card.network)
    for seed in seeds:
        variant = instantiate(card, seed)
        for step in card.steps:
            right = np.asarray(evaluate(spec, variant.params, [step.value])[step.value], dtype=float)
            for mistake_id in MISTAKES:
                wrong = evaluate_mistake(spec, variant.params, [step.value], mistake_id)
                if wrong is None:
                    continue
                value = np.asarray(wrong[step.value], dtype=float)
                if not np.all(np.isfinite(value)) or np.allclose(value, right, rtol=1e-12, atol=1e-15):
                    continue  # the mistake changes nothing at this step: not a mistake here
                typed = json.dumps(value.item() if value.size == 1 else value.tolist())
                result, _ = grade_numeric_item(step, Context(card, variant), typed)
                assert result.status != "correct", (seed, step.value, mistake_id, typed, result)
