"""Plots (textual-plotext) of the data in ``quizact.plotdata``: an activation and its
derivative, loss curves, bar charts.

Import this module from a worker thread only: it loads plotext, which may not happen
before the first frame.
"""

from __future__ import annotations

from typing import Any

from textual_plotext import PlotextPlot

from quizact.plotdata import BarData, LineData, Series

__all__ = ["BarData", "BarPlot", "DataPlot", "LinePlot", "LineData", "Series"]


class DataPlot(PlotextPlot):
    """A plot of one data object, drawn when mounted."""

    DEFAULT_CSS = """
    DataPlot { min-height: 10; }
    """

    def __init__(self, data: Any, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data = data

    def on_mount(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title(self.data.title)
        self.draw(plt)

    def draw(self, plt: Any) -> None:
        raise NotImplementedError


class LinePlot(DataPlot):
    data: LineData

    def draw(self, plt: Any) -> None:
        for s in self.data.series:
            plt.plot(s.xs, s.ys, label=s.label, marker="braille")
        if self.data.mark is not None:
            x, y = self.data.mark
            plt.vline(x)
            plt.scatter([x], [y], marker="●")
        if self.data.xlabel:
            plt.xlabel(self.data.xlabel)


class BarPlot(DataPlot):
    data: BarData

    def draw(self, plt: Any) -> None:
        names = list(self.data.series)
        if not self.data.labels:
            return
        positions = list(range(1, len(self.data.labels) + 1))
        if len(names) > 1:
            plt.stacked_bar(positions, [self.data.series[n] for n in names], labels=names)
        elif names:
            plt.bar(positions, self.data.series[names[0]])
        # explicit ticks: plotext's own choice of labels varies from run to run
        step = max(1, -(-len(positions) // 8))
        plt.xticks(positions[::step], self.data.labels[::step])
        top, ticks = self.data.y_axis()
        plt.ylim(0, top)
        plt.yticks(ticks, [f"{t:g}" for t in ticks])
        if self.data.xlabel:
            plt.xlabel(self.data.xlabel)
