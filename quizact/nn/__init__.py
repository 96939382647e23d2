"""quizact's included NumPy network: activations, losses, an MLP whose passes expose
every named intermediate, toy data, training, and the named-quantity evaluator.

Importing this package imports NumPy and pydantic; ``quizact`` itself does not import it.
"""

from quizact.nn.activations import ACTIVATIONS, Activation, get_activation
from quizact.nn.data import make_dataset
from quizact.nn.init import init_params
from quizact.nn.losses import LOSSES, Loss, get_loss
from quizact.nn.mistakes import MISTAKES
from quizact.nn.mlp import MLP, Rules, forward, gradients, run, sgd_step
from quizact.nn.quantities import (
    MissingParameter,
    MistakeNotApplicable,
    QuantityError,
    UnknownMistake,
    UnknownQuantity,
    check_name,
    evaluate,
    evaluate_mistake,
    mistake_candidates,
    quantity_names,
)
from quizact.nn.spec import NetworkSpec, TrainSpec
from quizact.nn.train import dead_fraction, dead_units, steps_to_target, train

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "MISTAKES",
    "MLP",
    "Activation",
    "Loss",
    "MissingParameter",
    "MistakeNotApplicable",
    "NetworkSpec",
    "QuantityError",
    "Rules",
    "TrainSpec",
    "UnknownMistake",
    "UnknownQuantity",
    "check_name",
    "dead_fraction",
    "dead_units",
    "evaluate",
    "evaluate_mistake",
    "forward",
    "get_activation",
    "get_loss",
    "gradients",
    "init_params",
    "make_dataset",
    "mistake_candidates",
    "quantity_names",
    "run",
    "sgd_step",
    "steps_to_target",
    "train",
]
