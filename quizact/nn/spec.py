"""``NetworkSpec``: the ``network:`` field of a card, validated at the YAML boundary."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from quizact.nn.activations import canonical_activation, get_activation
from quizact.nn.data import DATASETS
from quizact.nn.init import INIT_SCHEMES
from quizact.nn.losses import get_loss
from quizact.nn.mlp import MLP

MAX_STEPS = 20_000
MAX_POINTS = 2_000
MAX_RUNS = 50  # runs of a seed-spread statistic (runs_failed)


class TrainSpec(BaseModel):
    """The optional ``train:`` block of an experiment card (full-batch SGD on toy data)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    data: Literal["xor", "moons", "circles"]
    n: int | None = Field(None, ge=4, le=MAX_POINTS)
    noise: float | None = Field(None, ge=0.0, le=5.0)
    factor: float | None = Field(None, gt=0.0, lt=1.0)
    steps: int = Field(100, ge=0, le=MAX_STEPS)
    lr: float | None = Field(None, gt=0.0)
    init: Literal[INIT_SCHEMES] = "he"  # type: ignore[valid-type]
    init_scale: float | None = None
    bias_init: float = 0.0
    seed: int = Field(0, ge=0)
    target_loss: float | None = Field(None, ge=0.0)
    runs: int = Field(1, ge=1, le=MAX_RUNS)

    @model_validator(mode="after")
    def _check(self) -> TrainSpec:
        if self.data == "xor" and self.n is not None and self.n % 4:
            raise ValueError(f"train.n must be a multiple of 4 for xor, got {self.n}")
        if self.factor is not None and self.data != "circles":
            raise ValueError("train.factor only applies to data: circles")
        return self


class NetworkSpec(BaseModel):
    """A network: ``{layers: [1, 1, 1], activations: [relu, identity], bias: false,
    loss: squared_error}`` plus options ``alpha`` (leaky_relu, elu), ``beta`` (swish),
    ``temperature`` (softmax), ``clip`` (max global gradient norm) and ``train:``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    bias: bool = True
    loss: str = "squared_error"
    alpha: float | None = None
    beta: float | None = None
    temperature: float | None = Field(None, gt=0.0)
    clip: float | None = Field(None, gt=0.0)
    train: TrainSpec | None = None

    @field_validator("layers")
    @classmethod
    def _layers(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if len(v) < 2:
            raise ValueError(f"layers needs at least 2 sizes (input and output), got {list(v)}")
        if any(n < 1 or n > 4096 for n in v):
            raise ValueError(f"layer sizes must be between 1 and 4096, got {list(v)}")
        return v

    @field_validator("activations")
    @classmethod
    def _activations(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for i, name in enumerate(v):
            try:
                canonical_activation(name)
            except ValueError as exc:
                raise ValueError(f"activations[{i}]: {exc}") from None
        return v

    @field_validator("loss")
    @classmethod
    def _loss(cls, v: str) -> str:
        get_loss(v)
        return v

    @model_validator(mode="after")
    def _consistent(self) -> NetworkSpec:
        want = len(self.layers) - 1
        if len(self.activations) != want:
            raise ValueError(
                f"activations: expected {want} (one per layer after the input; layers has "
                f"{len(self.layers)} sizes), got {len(self.activations)}"
            )
        if self.train is not None:
            if self.layers[0] != 2:
                raise ValueError(
                    f"train.data {self.train.data!r} has 2 input features: layers[0] must be 2"
                )
            if self.layers[-1] not in (1, 2):
                raise ValueError(
                    "train data has 2 classes: the output layer needs 1 unit (0/1 target) "
                    f"or 2 units (one-hot), got {self.layers[-1]}"
                )
        return self

    @property
    def depth(self) -> int:
        return len(self.layers) - 1

    def build(self) -> MLP:
        """The :class:`~quizact.nn.mlp.MLP` this spec describes (cached)."""
        return _build(self)


@lru_cache(maxsize=256)
def _build(spec: NetworkSpec) -> MLP:
    acts = tuple(
        get_activation(a, alpha=spec.alpha, temperature=spec.temperature, beta=spec.beta)
        for a in spec.activations
    )
    return MLP(spec.layers, acts, get_loss(spec.loss), spec.bias)


__all__ = ["DATASETS", "NetworkSpec", "TrainSpec"]


#: the network fields a card may set from a param or let, drawn per review
PARAM_FIELDS = ("alpha", "beta", "temperature", "clip")


def with_params(network: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A card's ``network:`` with each of ``PARAM_FIELDS`` that names a param or let
    (``temperature: T``) replaced by the variant's value of it; anything else as written
    (a name that is not one is left for validation to refuse)."""
    out = dict(network)
    for key in PARAM_FIELDS:
        name = out.get(key)
        if isinstance(name, str) and name in values:
            out[key] = float(values[name])
    return out
