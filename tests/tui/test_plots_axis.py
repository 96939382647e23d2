"""Bar charts' y axis: from zero, whole-number ticks for counts, a fixed top for percentages."""

from __future__ import annotations

from quizact.tui.widgets.plots import BarData


def test_an_empty_chart_runs_from_zero_to_one():
    assert BarData("reviews", ["01", "02"], {"reviews": [0, 0]}).y_axis() == (1, [0, 1])


def test_stacked_counts_take_the_tallest_stack_and_whole_ticks():
    data = BarData("due", ["01", "02"], {"review": [3, 7], "learning": [1, 2]})  # stacks of 4 and 9
    assert data.y_axis() == (9, [0, 3, 6, 9])
    assert BarData("reviews", ["01"], {"reviews": [13]}).y_axis() == (16, [0, 4, 8, 12, 16])


def test_percentages_use_the_given_top():
    assert BarData("retention", ["young"], {"retention %": [93.5]}, ymax=100).y_axis() == (100, [0, 25, 50, 75, 100])
