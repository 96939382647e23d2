"""Typical numeric misconceptions, each a change to one rule of the network pass.

``MISTAKES[id] = (description, feedback)``; :func:`mistake_rules` gives the rules that
reproduce the mistake and :func:`mistake_applies` says whether it can change anything
for this network and batch (e.g. ``no_transpose`` needs a square weight matrix).
"""

from __future__ import annotations

import difflib
from typing import NamedTuple

from quizact.nn.mlp import MLP, Rules
from quizact.nn.names import QuantityError


class Mistake(NamedTuple):
    description: str
    feedback: str


class UnknownMistake(QuantityError):
    """A mistake id that is not in :data:`MISTAKES`."""


class MistakeNotApplicable(QuantityError):
    """The mistake cannot occur in this network (e.g. no square matrix to forget to transpose)."""


MISTAKES: dict[str, Mistake] = {
    "no_activation_derivative": Mistake(
        "forgot the activation derivative: took f′(z) as 1",
        "Going back through an activation multiplies by its slope: dL/dz = dL/da · f′(z).",
    ),
    "derivative_at_activation": Mistake(
        "evaluated the activation derivative at a = f(z) instead of at z",
        "f′ is evaluated at the pre-activation z, not at the output a = f(z).",
    ),
    "dead_relu_passes_gradient": Mistake(
        "let the gradient through a ReLU whose z ≤ 0 (took ReLU′ as 1 there)",
        "ReLU′(z) = 0 for z ≤ 0: an inactive unit passes no gradient back.",
    ),
    "update_sign": Mistake(
        "stepped up the gradient: W + lr·g instead of W − lr·g",
        "Gradient descent moves against the gradient: W ← W − lr · dL/dW.",
    ),
    "no_learning_rate": Mistake(
        "forgot the learning rate: W − g instead of W − lr·g",
        "The step is the gradient scaled by the learning rate: W ← W − lr · dL/dW.",
    ),
    "no_factor_two": Mistake(
        "dropped the 2 when differentiating the squared error",
        "d/da (a − y)² = 2(a − y): the exponent comes down as a factor 2.",
    ),
    "mean_instead_of_sum": Mistake(
        "swapped sum and mean over the output units (divided by, or forgot to divide by, "
        "the number of outputs)",
        "Check how the loss combines the output units: squared error sums them, MSE "
        "averages them (divide by the number of outputs).",
    ),
    "sum_over_batch": Mistake(
        "summed over the batch instead of averaging",
        "The batch loss is the mean over examples, so each gradient carries 1/batch size.",
    ),
    "no_transpose": Mistake(
        "back-propagated through W instead of Wᵀ",
        "Going back through a layer uses the transpose: dL/da_{l−1} = W_lᵀ · dL/dz_l.",
    ),
}

_RULES: dict[str, Rules] = {
    "no_activation_derivative": Rules(derivative="one"),
    "derivative_at_activation": Rules(derivative="at_activation"),
    "dead_relu_passes_gradient": Rules(derivative="relu_passes"),
    "update_sign": Rules(update_sign=1.0),
    "no_learning_rate": Rules(use_lr=False),
    "no_factor_two": Rules(loss_grad_scale=0.5),
    "mean_instead_of_sum": Rules(swap_unit_reduction=True),
    "sum_over_batch": Rules(sum_over_batch=True),
    "no_transpose": Rules(transpose=False),
}


def mistake_rules(mistake_id: str) -> Rules:
    """The pass rules that reproduce ``mistake_id``."""
    if mistake_id not in _RULES:
        close = difflib.get_close_matches(mistake_id, list(MISTAKES), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise UnknownMistake(f"unknown mistake {mistake_id!r}{hint} (known: {', '.join(MISTAKES)})")
    return _RULES[mistake_id]


def mistake_applies(net: MLP, batch: int, mistake_id: str) -> bool:
    """Whether the mistake can change anything in this network with this batch size."""
    mistake_rules(mistake_id)
    acts = [a.name for a in net.activations]
    chained = acts[:-1] if net.fused else acts  # a fused output has no f′ to get wrong
    if mistake_id in ("no_activation_derivative", "derivative_at_activation"):
        return any(a != "identity" for a in chained)
    if mistake_id == "dead_relu_passes_gradient":
        return "relu" in acts
    if mistake_id == "no_factor_two":
        return net.loss.factor_two
    if mistake_id == "mean_instead_of_sum":
        return net.layers[-1] > 1
    if mistake_id == "sum_over_batch":
        return batch > 1
    if mistake_id == "no_transpose":
        return any(n_out == n_in for n_out, n_in in zip(net.layers[1:], net.layers[:-1]))
    return True  # update_sign, no_learning_rate
