"""Named quantities: the interface the pack format uses (see docs/nn.md).

``evaluate(spec, params, ["z1", "grad.W1[0,1]", "updated.W2"])`` runs the network once
and returns the named values; ``overrides`` substitutes a learner's intermediate value
and recomputes everything downstream; ``mistake`` recomputes with a misconception.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar, overload

import numpy as np

from quizact.nn._np import Array, f64
from quizact.nn.data import make_dataset, targets
from quizact.nn.init import init_params
from quizact.nn.mistakes import (
    MISTAKES,
    Mistake,
    MistakeNotApplicable,
    UnknownMistake,
    mistake_applies,
    mistake_rules,
)
from quizact.nn.mlp import CORRECT, Hook, Rules, run
from quizact.nn.names import (
    STAGE_ORDER,
    QuantityError,
    Ref,
    UnknownQuantity,
    check_name,
    kind_of,
    parse_name,
    quantity_names,
)
from quizact.nn.params import MissingParameter, coerce_params
from quizact.nn.spec import MAX_STEPS, NetworkSpec, TrainSpec
from quizact.nn.train import dead_units, steps_to_target, train

if TYPE_CHECKING:
    import numpy.typing as npt

    from quizact.nn.mlp import Trace
    from quizact.nn.train import TrainResult

    #: Arrays as a hashable cache key: each one's shape and bytes.
    Key = tuple[tuple[tuple[int, ...], bytes], ...]
    Trained = tuple[TrainResult, list[npt.NDArray[np.bool_]]]

Params = Mapping[str, object]
T = TypeVar("T")
#: Keys of a variant's params that override the same field of the ``train:`` block.
TRAIN_PARAM_KEYS = ("lr", "steps", "seed", "n", "noise", "target_loss", "init_scale", "bias_init")
DEFAULT_LR = 0.1

__all__ = [
    "MISTAKES",
    "Mistake",
    "MissingParameter",
    "MistakeNotApplicable",
    "NetworkSpec",
    "QuantityError",
    "TrainSpec",
    "UnknownMistake",
    "UnknownQuantity",
    "check_name",
    "evaluate",
    "evaluate_mistake",
    "mistake_candidates",
    "quantity_names",
]


def evaluate(
    spec: NetworkSpec,
    params: Params,
    names: Iterable[str] | str,
    *,
    overrides: Mapping[str, object] | None = None,
    mistake: str | None = None,
) -> dict[str, Array]:
    """The value of each name (a float64 array; 0-d for a single number)."""
    names = [names] if isinstance(names, str) else list(names)
    refs = [parse_name(spec, n) for n in names]
    rules = CORRECT if mistake is None else mistake_rules(mistake)
    setup = _setup(spec, params)
    if mistake is not None and not mistake_applies(spec.build(), setup.batch, mistake):
        raise MistakeNotApplicable(f"mistake {mistake!r} cannot occur in this network")
    if overrides and "lr" in overrides:  # a parameter, not a traced value: substitute it
        setup = replace(setup, lr=float(_fit("lr", _number("lr", overrides["lr"]), ())))
    hook = _override_hook(spec, overrides, setup.single) if overrides else None
    stages = [STAGE_ORDER.index(r.stage) for r in refs if r.stage in STAGE_ORDER]
    trace = _pass(spec, setup, STAGE_ORDER[max(stages)], rules, hook) if stages else {}
    out: dict[str, Array] = {}
    for ref in refs:
        if ref.key in trace:
            value = _show(ref.key, trace[ref.key], setup.single)
        elif ref.key == "lr":
            value = np.asarray(_need(setup.lr, "lr", "the learning rate lr"))
        elif ref.stage == "dead":
            value = _dead(spec, setup, rules, ref.key)
        else:
            value = _scenario_value(spec, setup, rules, ref.key)
        out[ref.text] = _element(ref, value)
    return out


def evaluate_mistake(
    spec: NetworkSpec,
    params: Params,
    names: Iterable[str] | str,
    mistake: str,
    *,
    overrides: Mapping[str, object] | None = None,
) -> dict[str, Array] | None:
    """Like ``evaluate(..., mistake=mistake)``, or None when the mistake does not apply."""
    try:
        return evaluate(spec, params, names, overrides=overrides, mistake=mistake)
    except MistakeNotApplicable:
        return None


def mistake_candidates(
    spec: NetworkSpec,
    params: Params,
    name: str,
    learner_value: object,
    tol: float = 1e-3,
    *,
    atol: float = 1e-9,
    overrides: Mapping[str, object] | None = None,
) -> list[tuple[str, str]]:
    """``(mistake_id, feedback)`` of every mistake that explains the learner's value.

    A mistake matches when its recomputed value of ``name`` is within ``rtol=tol`` (and
    ``atol``) of the learner's and differs from the correct value.
    """
    learner = f64(learner_value)
    correct = evaluate(spec, params, [name], overrides=overrides)[name]
    if _close(learner, correct, tol, atol):
        return []
    found = []
    for mistake_id, (_, feedback) in MISTAKES.items():
        wrong = evaluate_mistake(spec, params, [name], mistake_id, overrides=overrides)
        if wrong is None or _close(wrong[name], correct, tol, atol):
            continue
        if _close(learner, wrong[name], tol, atol):
            found.append((mistake_id, feedback))
    return found


# --- setting up one evaluation -----------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    train: TrainSpec | None
    x: Array | None
    y: Array | None
    weights: list[Array] | None
    biases: list[Array] | None
    lr: float | None
    single: bool  # x was one example: per-example values drop the batch axis
    drawn_data: bool = False  # x, y are the train: data set (params gave none)
    drawn_weights: bool = False  # the weights come from train.init (params gave none)

    @property
    def batch(self) -> int:
        return 1 if self.x is None else self.x.shape[0]


def _setup(spec: NetworkSpec, params: Params) -> _Setup:
    inputs = coerce_params(spec, params)
    settings = _train_settings(spec, params)
    x, y, weights, biases = inputs.x, inputs.y, inputs.weights, inputs.biases
    lr = inputs.lr
    drawn_data = drawn_weights = False
    if settings is not None:
        if x is None:
            X, Y = _train_data(spec, settings)
            x, y, drawn_data = X, (Y if y is None else y), inputs.y is None
        if weights is None:
            weights, biases = _train_init(spec, settings)
            drawn_weights = True
        lr = settings.lr or DEFAULT_LR
    single = inputs.single and (inputs.x is not None or settings is None)
    return _Setup(settings, x, y, weights, biases, lr, single, drawn_data, drawn_weights)


def _train_settings(spec: NetworkSpec, params: Params) -> TrainSpec | None:
    if spec.train is None:
        return None
    update = {k: params[k] for k in TRAIN_PARAM_KEYS if params.get(k) is not None}
    try:
        return TrainSpec.model_validate({**spec.train.model_dump(), **update})
    except ValueError as exc:
        raise QuantityError(f"train settings from params: {exc}") from None


def _rngs(settings: TrainSpec) -> tuple[np.random.Generator, np.random.Generator]:
    data_rng, init_rng = np.random.default_rng(settings.seed).spawn(2)
    return data_rng, init_rng


def _train_data(spec: NetworkSpec, settings: TrainSpec) -> tuple[Array, Array]:
    X, labels = make_dataset(
        settings.data, _rngs(settings)[0], n=settings.n, noise=settings.noise, factor=settings.factor
    )
    return X, targets(labels, spec.layers[-1])


def _train_init(spec: NetworkSpec, settings: TrainSpec) -> tuple[list[Array], list[Array] | None]:
    return init_params(
        spec.layers,
        _rngs(settings)[1],
        scheme=settings.init,
        scale=settings.init_scale,
        bias=spec.bias,
        bias_init=settings.bias_init,
    )


def _need(value: T | None, key: str, what: str) -> T:
    if value is None:
        raise MissingParameter(f"{key} is needed: give {what} in the card's params")
    return value


# --- one pass --------------------------------------------------------------------------


def _pass(spec: NetworkSpec, s: _Setup, upto: str, rules: Rules, hook: Hook | None) -> Trace:
    x = _need(s.x, "x", "the input x (or a train: block)")
    weights = _need(s.weights, "W1", "the weights W1, W2, …")
    y = s.y if upto == "forward" else _need(s.y, "y", "the target y")
    lr = s.lr if upto != "update" else _need(s.lr, "lr", "the learning rate lr")
    try:
        return run(
            spec.build(), weights, s.biases, x, y, lr,
            clip=spec.clip, rules=rules, hook=hook, upto=upto,  # type: ignore[arg-type]
        )
    except ValueError as exc:
        if isinstance(exc, QuantityError):
            raise
        raise QuantityError(str(exc)) from None


def _show(key: str, value: Array, single: bool) -> Array:
    v = np.array(value, dtype=np.float64, copy=True)
    return v[0] if single and kind_of(key) == "example" else v


def _element(ref: Ref, value: Array) -> Array:
    if ref.index is None:
        return value
    try:
        return np.asarray(value[ref.index]).copy()
    except IndexError:
        raise UnknownQuantity(
            ref.text, f"index {list(ref.index)} out of range for {ref.key} of shape {value.shape}"
        ) from None


def _override_hook(spec: NetworkSpec, overrides: Mapping[str, object], single: bool) -> Hook:
    table: dict[str, list[tuple[tuple[int, ...] | None, Array]]] = {}
    for text, value in overrides.items():
        ref = parse_name(spec, text)
        if ref.stage not in STAGE_ORDER or ref.stage == "param":
            continue  # lr is substituted directly; training results have nothing downstream
        table.setdefault(ref.key, []).append((ref.index, _number(text, value)))
    for entries in table.values():
        entries.sort(key=lambda e: e[0] is not None)  # whole values before elements

    def hook(key: str, value: Array) -> Array:
        entries = table.get(key)
        if entries is None:
            return value
        example = single and kind_of(key) == "example"
        shown = np.array(value[0] if example else value, dtype=np.float64, copy=True)
        for index, given in entries:
            if index is None:
                shown = _fit(key, given, shown.shape)
            else:
                try:
                    shown[index] = _fit(key, given, ())
                except IndexError:
                    raise QuantityError(f"override {key}{list(index)}: index out of range") from None
        return shown[None, ...] if example else shown

    return hook


def _number(key: str, value: object) -> Array:
    try:
        return f64(value)
    except (TypeError, ValueError):
        raise QuantityError(f"override for {key!r} is not a number: {value!r}") from None


def _fit(key: str, given: Array, shape: tuple[int, ...]) -> Array:
    if given.shape == shape:
        return given.copy()
    if given.size == int(np.prod(shape)):
        return given.reshape(shape).copy()
    raise QuantityError(f"override for {key}: expected shape {shape}, got {given.shape}")


def _close(a: object, b: object, rtol: float, atol: float) -> bool:
    a, b = f64(a), f64(b)
    if a.size != b.size:
        return False
    return bool(np.allclose(a.reshape(b.shape), b, rtol=rtol, atol=atol))


# --- training scenarios ----------------------------------------------------------------


@overload
def _key(arrays: Iterable[Array]) -> Key: ...
@overload
def _key(arrays: None) -> None: ...
@overload
def _key(arrays: Iterable[Array] | None) -> Key | None: ...
def _key(arrays: Iterable[Array] | None) -> Key | None:
    return None if arrays is None else tuple((a.shape, a.tobytes()) for a in arrays)


@overload
def _thaw(key: Key) -> list[Array]: ...
@overload
def _thaw(key: Key | None) -> list[Array] | None: ...
def _thaw(key: Key | None) -> list[Array] | None:
    return None if key is None else [np.frombuffer(b).reshape(s).copy() for s, b in key]


@lru_cache(maxsize=32)
def _trained(spec: NetworkSpec, settings: TrainSpec, rules: Rules, x_key: Key, y_key: Key, w_key: Key | None,
             b_key: Key | None) -> Trained:  # fmt: skip
    x, y = _thaw(x_key)[0], _thaw(y_key)[0]
    steps = min(settings.steps, MAX_STEPS)
    result = train(
        spec.build(), _thaw(w_key), _thaw(b_key), x, y,  # type: ignore[arg-type]
        steps=steps, lr=settings.lr or DEFAULT_LR, clip=spec.clip, rules=rules,
    )
    masks = dead_units(spec.build(), result.weights, result.biases, x)
    return result, masks


def _run_training(spec: NetworkSpec, s: _Setup, rules: Rules) -> Trained:
    assert s.train is not None
    x = _need(s.x, "x", "the input x")
    y = _need(s.y, "y", "the target y")
    settings = s.train.model_copy(update={"lr": s.lr})
    return _trained(
        spec, settings, rules, _key([x]), _key([y]), _key(s.weights), _key(s.biases)
    )


def _target(s: _Setup, key: str) -> float:
    target = s.train.target_loss if s.train else None
    if target is None:
        raise MissingParameter(f"{key} needs train.target_loss (or target_loss in params)")
    return target


def _runs_failed(spec: NetworkSpec, s: _Setup, rules: Rules) -> int:
    """How many of the runs with seeds seed, seed+1, …, seed+runs−1 never reach the target."""
    assert s.train is not None
    if not s.drawn_weights:
        raise QuantityError(
            "runs_failed compares runs from different random starting weights: "
            "give no W1, W2, … in the params (train.init draws them per seed)"
        )
    settings = s.train.model_copy(update={"lr": s.lr, "target_loss": _target(s, "runs_failed")})
    batch = None if s.drawn_data else (_key([_need(s.x, "x", "the input x")]), _key([_need(s.y, "y", "the target y")]))
    return _count_failed(spec, settings, rules, batch)


@lru_cache(maxsize=64)
def _count_failed(spec: NetworkSpec, settings: TrainSpec, rules: Rules, batch: tuple[Key, Key] | None) -> int:
    target = settings.target_loss
    assert target is not None  # _runs_failed sets it
    failed = 0
    for seed in range(settings.seed, settings.seed + settings.runs):
        run_k = settings.model_copy(update={"seed": seed, "runs": 1})
        x, y = _train_data(spec, run_k) if batch is None else (_thaw(batch[0])[0], _thaw(batch[1])[0])
        weights, biases = _train_init(spec, run_k)
        result = train(
            spec.build(), weights, biases, x, y,
            steps=min(run_k.steps, MAX_STEPS), lr=run_k.lr or DEFAULT_LR, clip=spec.clip, rules=rules,
        )  # fmt: skip
        failed += steps_to_target(result.loss_curve, target) < 0
    return failed


def _scenario_value(spec: NetworkSpec, s: _Setup, rules: Rules, key: str) -> Array:
    if key == "runs_failed":
        return np.asarray(_runs_failed(spec, s, rules))
    result, _ = _run_training(spec, s, rules)
    curve = result.loss_curve
    if key == "loss_curve":
        return curve.copy()
    if key == "grad_norm_curve":
        return result.grad_norms.copy()
    if key == "final_loss":
        return np.asarray(curve[-1])
    return np.asarray(steps_to_target(curve, _target(s, key)))


def _dead(spec: NetworkSpec, s: _Setup, rules: Rules, key: str) -> Array:
    if s.train is not None:
        masks = _run_training(spec, s, rules)[1]
    else:
        x = _need(s.x, "x", "the input batch x")
        weights = _need(s.weights, "W1", "the weights W1, W2, …")
        masks = dead_units(spec.build(), weights, s.biases, x)
    dead = int(sum(int(m.sum()) for m in masks))
    total = sum(m.size for m in masks)
    if key == "dead_units":
        return np.asarray(dead)
    return np.asarray(dead / total if total else 0.0)


def sweep(spec: NetworkSpec, params: Params, name: str, over: str, xs: Iterable[float]) -> list[float]:
    """The quantity ``name`` (one number) at each value ``xs`` of the param ``over``, every
    other param as given: a plot of the loss as one weight varies, say. ValueError for a
    quantity of several numbers; the network's own errors as they come."""
    ys = []
    for x in xs:
        value = evaluate(spec, {**params, over: x}, [name])[name]
        if value.size != 1:
            raise ValueError(f"{name} has {value.size} numbers, not one; index it (such as {name}[0])")
        ys.append(float(value.reshape(())))
    return ys
