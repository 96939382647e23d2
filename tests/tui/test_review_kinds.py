"""Review, one card kind at a time, over a real collection and the real grader."""

from __future__ import annotations

from quizact.grading.card import expected_answers, option_order
from quizact.tui.screens.review import ReviewScreen
from quizact.tui.widgets.answer_box import AnswerBox
from quizact.tui.widgets.choice import ChoiceList, ChoiceOption
from quizact.tui.widgets.rating_bar import RatingBar, RatingButton
from quizact.tui.widgets.steps import StepsForm
from tests import inside

from .conftest import PACK, drive, make_app, only, reviews, screen_text, settle, type_text


def start_review(app):
    return app.push_screen(ReviewScreen())


def test_recall_space_reveals_and_enter_rates_good(session, clock):
    only(session, "relu-definition")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.shown.card_id == "relu-definition"
        assert "output range" in screen_text(app)
        await pilot.press("space")
        await settle(pilot)
        assert screen.phase == "graded"
        assert "max(0, z)" in screen_text(app)
        bar = app.screen.query_one(RatingBar)
        assert bar.proposed == 3
        assert "Good 10m" in str(app.screen.query_one("#rate-3", RatingButton).render())
        await pilot.press("enter")
        await settle(pilot)
        # the card is learning now, due in 1 minute: within learn-ahead, so it comes back
        assert screen.phase == "answering" and screen.shown.card_id == "relu-definition"

    drive(app, scenario)
    assert reviews(session) == [("relu-definition", "review", 3, "self")]
    assert inside.collection(session).card(PACK, "relu-definition").state == 1  # learning


def test_choice_letter_then_enter_shows_per_option_feedback(session, clock):
    only(session, "sigmoid-range")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        shown = screen.shown
        order = option_order(shown.card, shown.variant)
        right = chr(97 + next(pos for pos, idx in enumerate(order) if shown.card.options[idx].correct))
        wrong = next(c for c in "abc" if c != right)
        await pilot.press(wrong)
        assert app.screen.query_one(ChoiceList).selected == {ord(wrong) - 97}
        await pilot.press(right)  # single choice: the new pick replaces the old one
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "graded"
        assert screen.card_view.graded.verdict.status == "correct"
        texts = [str(o.render()) for o in app.screen.query(ChoiceOption)]
        assert any(t.startswith("✓") and "e^(−z) > 0" in t for t in texts)  # its feedback
        assert any("tanh's range" in t for t in texts)  # feedback on the wrong options too
        await pilot.press("4")  # override the proposed Good with Easy
        await settle(pilot)

    drive(app, scenario)
    assert reviews(session) == [("sigmoid-range", "review", 4, "correct")]


def test_symbolic_invalid_costs_nothing_then_correct(session, clock):
    only(session, "sigmoid-derivative")
    before = inside.collection(session).card_row(PACK, "sigmoid-derivative")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        box = app.screen.query_one(AnswerBox)
        await pilot.press(*"sigmoid(z")  # typed key by key, as a learner does
        await settle(pilot)
        preview = str(box.query_one(".error").render())
        assert "^" in preview and "')'" in preview  # the live preview's caret
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "answering"
        assert box.has_class("-invalid") and "not counted" in str(box.query_one(".error").render())
        assert reviews(session) == [] and inside.collection(session).card_row(PACK, "sigmoid-derivative") == before
        await type_text(pilot, ")*(1 - σ(z))")
        await settle(pilot)
        assert "interpreted as σ(z)·(1 − σ(z))" in str(box.query_one(".preview").render()), (
            box.value, str(box.query_one(".error").render())
        )
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "graded"
        assert screen.card_view.graded.verdict.status == "correct"
        assert app.screen.query_one(RatingBar).proposed == 3
        assert "✓ Correct" in screen_text(app)
        await pilot.press("e")
        assert app.screen.query_one("#verdict").has_class("-explained")
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    assert reviews(session) == [("sigmoid-derivative", "review", 3, "correct")]


def test_symbolic_wrong_answer_names_the_mistake_and_proposes_again(session, clock):
    only(session, "sigmoid-derivative")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        await type_text(pilot, "sigmoid(z)")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert screen.card_view.graded.verdict.status == "incorrect"
        text = screen_text(app)
        assert "That is σ itself" in text and "expected σ(z)·(1 − σ(z))" in text
        assert app.screen.query_one(RatingBar).proposed == 1
        await pilot.press("t")  # try again: right now, but Hard at best
        await pilot.press(*["backspace"] * 12)
        await type_text(pilot, "sigmoid(z)*(1-sigmoid(z))")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.card_view.graded.verdict.status == "correct"
        assert app.screen.query_one(RatingBar).proposed == 2
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    assert reviews(session) == [("sigmoid-derivative", "review", 2, "correct")]


def test_numeric_accepts_the_expected_number(session, clock):
    only(session, "sigmoid-slope-at-z")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        shown = screen.shown
        assert f"σ′({shown.variant.params['z']})" in shown.prompt
        answer = expected_answers(shown.card, shown.variant)[0]
        rough = f"{float(answer):.1g}"
        await type_text(pilot, rough)  # right, but too few significant figures: invalid, free
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "answering"
        assert "significant figures" in str(app.screen.query_one(AnswerBox).query_one(".error").render())
        app.screen.query_one(AnswerBox).input.value = ""
        await type_text(pilot, f"{answer}e0")  # scientific notation: the preview reads it back
        await settle(pilot)
        assert "reads as" in str(app.screen.query_one(AnswerBox).query_one(".preview").render())
        await pilot.press("enter")
        await settle(pilot)
        assert screen.card_view.graded.verdict.status == "correct"
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    assert reviews(session) == [("sigmoid-slope-at-z", "review", 3, "correct")]


def test_steps_wrong_early_step_is_carried_forward(session, clock):
    only(session, "backprop-relu-mse")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        p = screen.shown.variant.params
        z1 = p["W1"] * p["x"] + 1.0  # a wrong first step
        z2 = p["W2"] * max(0.0, z1)  # right given that wrong z1
        form = app.screen.query_one(StepsForm)
        await type_text(pilot, f"{z1:g}")
        await pilot.press("enter")
        await settle(pilot)
        assert form.rows[0].result.status == "incorrect"
        assert app.focused is form.rows[1].box.input  # the next step is focused
        await type_text(pilot, f"{z2:g}")
        await pilot.press("enter")
        await settle(pilot)
        assert form.rows[1].result.note == "ecf"
        assert "consistent with your earlier z1" in str(form.rows[1].query_one(".result").render())
        for _ in range(3):
            await type_text(pilot, "0")
            await pilot.press("enter")
            await settle(pilot)
        assert screen.phase == "graded"
        assert screen.card_view.graded.verdict.status == "incorrect"
        assert "steps right" in screen_text(app)  # the summary of the card
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    # the carried-forward step earns partial credit, so the proposal accepted is Hard (2)
    assert reviews(session) == [("backprop-relu-mse", "review", 2, "incorrect")]


def test_choice_multiple_selects_several_and_marks_the_missed(tmp_path, clock):
    from quizact.session import Session

    from .conftest import NOW, REPO

    session = Session.open(tmp_path / "c.sqlite3", NOW, sources=[REPO / "content" / "nn-foundations"])
    app = make_app(session, clock)

    async def scenario(pilot):
        app.practice([("nn-foundations", "differentiability-kinks")])  # "select all that apply"
        await settle(pilot)
        shown = app.screen.shown
        order = option_order(shown.card, shown.variant)
        letters = [chr(97 + pos) for pos in range(len(order))]
        right = [c for c, idx in zip(letters, order) if shown.card.options[idx].correct]
        wrong = [c for c in letters if c not in right]
        await pilot.press(right[0], wrong[0], wrong[0], wrong[0])  # a wrong one toggled on, off, on
        assert app.screen.query_one(ChoiceList).selected == {ord(right[0]) - 97, ord(wrong[0]) - 97}
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.card_view.graded.verdict.status == "incorrect"
        texts = [str(o.render()) for o in app.screen.query(ChoiceOption)]
        assert sum("(missed)" in t for t in texts) == len(right) - 1
        assert sum("(you chose)" in t for t in texts) == 2

    drive(app, scenario)
    session.close()
