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


def test_a_wrong_numeric_answer_shows_the_expected_value_once(session, clock):
    # σ′(z) ≤ 0.25 for every z, so 0.9 is wrong whatever z is drawn
    from quizact.grading.card import expected_answers

    from .conftest import screen_text, settle, type_text

    only(session, "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        shown = app.screen.shown
        expected = expected_answers(shown.card, shown.variant)[0]
        await type_text(pilot, "0.9")
        await pilot.press("enter")
        await settle(pilot)
        verdict = str(app.screen.query_one("#verdict-text", Static).render())
        assert verdict.count(expected) == 1, verdict
        assert len(expected.replace(".", "").lstrip("0")) == 3  # 3 s.f. of a value in (0.017, 0.25]
        assert expected in screen_text(app)

    drive(app, scenario)
