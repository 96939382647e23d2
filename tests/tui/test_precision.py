"""The precision a numeric answer is graded at, shown beside its box before grading."""

from __future__ import annotations

from textual.widgets import Static

from .conftest import drive, make_app, only


def test_numeric_card_shows_its_significant_figures(session, clock):
    # sigmoid-slope-at-z is graded with {sigfigs: 3}
    only(session, "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        label = app.screen.query_one("#precision", Static)
        assert str(label.render()) == "precision: 3 s.f."
        assert label.display

    drive(app, scenario)


def test_each_step_shows_its_precision(session, clock):
    # backprop-relu-mse's five steps use the default relative tolerance, rtol 0.001
    only(session, "backprop-relu-mse")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        labels = [str(w.render()).strip() for w in app.screen.query(".precision").results(Static)]
        assert labels == ["precision: ±0.1 %"] * 5

    drive(app, scenario)
