"""What a card's plot or a statistics chart draws, as plain data (no terminal).

An activation and its derivative, an experiment card's training loss, bar charts; the
app's plot widgets (``quizact.tui.widgets.plots``) draw them. The data functions load
NumPy and ``quizact.nn``: call them from a worker thread, never before the first frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

POINTS = 161


@dataclass(frozen=True)
class Series:
    label: str
    xs: list[float]
    ys: list[float]


@dataclass(frozen=True)
class LineData:
    title: str
    series: list[Series]
    mark: tuple[float, float] | None = None  # a point drawn on the first series
    xlabel: str = ""


@dataclass(frozen=True)
class BarData:
    title: str
    labels: list[str]
    series: dict[str, list[float]] = field(default_factory=dict)  # stacked when several
    xlabel: str = ""
    ymax: float | None = None  # the top of the y axis (default: the tallest bar, at least 1)

    def y_axis(self) -> tuple[float, list[float]]:
        """The y range's top and its ticks: from 0 (counts are never negative), whole
        numbers for counts, never a span of zero when every bar is empty."""
        if self.ymax is not None:
            return self.ymax, [self.ymax * k / 4 for k in range(5)]
        tallest = max((sum(col) for col in zip(*self.series.values())), default=0)
        step = max(1, math.ceil(tallest / 4))  # about four whole-number ticks
        top = step * max(1, math.ceil(tallest / step))
        return top, list(range(0, top + 1, step))


def activation_data(card: Any, params: dict[str, Any]) -> LineData | None:
    """f and f′ of ``card.plot.function`` over its range, the variant's value marked."""
    import numpy as np

    from quizact.nn.activations import get_activation

    spec = card.plot
    try:
        act = get_activation(spec.function)
    except ValueError:
        return None
    if not act.elementwise:
        return None
    lo, hi = spec.range
    xs = np.linspace(lo, hi, POINTS)
    f, df = act(xs), act.derivative(xs)
    name = spec.function
    mark = None
    if spec.mark and spec.mark in params:
        try:
            z = float(params[spec.mark])
            mark = (z, float(act(np.asarray([z]))[0]))
        except (TypeError, ValueError):
            mark = None
    return LineData(
        f"{name}(z) and {name}′(z)" + (f" · {spec.mark} = {mark[0]:g}" if mark else ""),
        [Series(f"{name}(z)", xs.tolist(), f.tolist()), Series(f"{name}′(z)", xs.tolist(), df.tolist())],
        mark,
        "z",
    )


def formula_data(card: Any, params: dict[str, Any]) -> LineData | None:
    """A card's ``plot: {formula: …}`` over its variable (``mark``: a param's value of it)."""
    spec = card.plot
    lo, hi = spec.range
    from quizact.packs.formula import curve

    xs, ys = curve(spec.formula, spec.var, params, lo, hi, POINTS)
    if not xs:
        return None
    mark = None
    if spec.mark and spec.mark in params:
        try:
            x = float(params[spec.mark])
            _, (y,) = curve(spec.formula, spec.var, params, x, x, 1)
            mark = (x, y)
        except (TypeError, ValueError):
            mark = None
    return LineData(spec.formula + (f" · {spec.mark} = {mark[0]:g}" if mark else ""),
                    [Series(spec.formula, xs, ys)], mark, spec.var)


QUANTITY_POINTS = 61


def quantity_curve(card: Any, params: dict[str, Any], xs: list[float]) -> list[float]:
    """``card.plot.quantity`` at each value ``xs`` of the param ``plot.over`` (``nn.quantities.sweep``)."""
    from quizact.nn.quantities import sweep
    from quizact.nn.spec import NetworkSpec, with_params

    spec = NetworkSpec.model_validate(with_params(card.network, params))
    return sweep(spec, params, card.plot.quantity, card.plot.over, xs)


def quantity_data(card: Any, params: dict[str, Any]) -> LineData | None:
    """A card's ``plot: {quantity: …, over: …}``, with the variant's own value of ``over``
    marked on the curve."""
    import numpy as np

    plot = card.plot
    xs = np.linspace(plot.range[0], plot.range[1], QUANTITY_POINTS).tolist()
    ys = quantity_curve(card, params, xs)
    here = params.get(plot.over)
    mark = (float(here), quantity_curve(card, params, [float(here)])[0]) if isinstance(here, (int, float)) else None
    return LineData(f"{plot.quantity} as {plot.over} varies", [Series(plot.quantity, xs, ys)], mark, plot.over)


def loss_curve_data(card: Any, params: dict[str, Any]) -> LineData | None:
    """The training loss of an experiment card (``network.train``)."""
    from quizact.nn.quantities import evaluate
    from quizact.nn.spec import NetworkSpec, with_params

    spec = NetworkSpec.model_validate(with_params(card.network, params))
    curve = evaluate(spec, params, ["loss_curve"])["loss_curve"].tolist()
    return LineData("training loss", [Series("loss", list(range(len(curve))), curve)], None, "step")


def plot_data(card: Any, params: dict[str, Any]) -> LineData | None:
    """What to plot beside a card, if anything (never raises: a plot is optional)."""
    try:
        plot = getattr(card, "plot", None)
        if plot is not None and plot.function is not None:
            return activation_data(card, params)
        if plot is not None and plot.formula is not None:
            return formula_data(card, params)
        if plot is not None and plot.quantity is not None:
            return quantity_data(card, params)
        network = getattr(card, "network", None)
        if isinstance(network, dict) and network.get("train"):
            return loss_curve_data(card, params)
    except Exception:  # noqa: BLE001 - a broken plot must not break the review
        return None
    return None
