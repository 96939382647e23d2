"""Undo, bury, suspend and the end-of-session summary, checked in the collection."""

from __future__ import annotations

from tests import inside

from .conftest import ORDER, PACK, drive, make_app, only, reviews, rows, screen_text, settle


def test_undo_goes_back_to_the_previous_card_as_it_was(session, clock):
    only(session, "relu-definition", "sigmoid-range")
    before = rows(session)
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        assert screen.shown.card_id == "relu-definition"
        await pilot.press("space", "1")  # Again
        await settle(pilot)
        assert reviews(session) == [("relu-definition", "review", 1, "self")]
        assert screen.tally.done == 1
        await pilot.press("u")
        await settle(pilot)
        assert screen.shown.card_id == "relu-definition"  # shown again, as it was when rated:
        assert screen.phase == "graded" and screen.tally.done == 0  # revealed, the rating bar up
        assert screen.card_view.query_one("#rating").display
        assert reviews(session) == [] and rows(session) == before
        assert "Undid rate of relu-definition" in [n.message for n in app._notifications]

    drive(app, scenario)


def test_bury_and_suspend_take_the_card_out_and_can_be_undone(session, clock):
    only(session, "relu-definition", "sigmoid-range", "sigmoid-derivative")
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        await pilot.press("minus")
        await settle(pilot)
        buried = inside.collection(session).card(PACK, "relu-definition")
        assert buried.buried_until is not None and buried.buried_until > clock.now
        assert screen.shown.card_id == "sigmoid-range"
        app.set_focus(None)  # a choice list takes letters, not "!"
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert inside.collection(session).card(PACK, "sigmoid-range").suspended
        assert screen.shown.card_id == "sigmoid-derivative"
        await pilot.press("escape")  # out of the answer box: the review keys work again
        await pilot.press("u")
        await settle(pilot)
        assert not inside.collection(session).card(PACK, "sigmoid-range").suspended
        assert screen.shown.card_id == "sigmoid-range"
        assert reviews(session) == []  # neither bury nor suspend is a review

    drive(app, scenario)


def test_session_end_summary(session, clock):
    only(session, "relu-definition", "sigmoid-range")
    inside.collection(session).update_settings(learning_steps=["1d"])  # rated cards leave today's queue
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        clock.advance(minutes=2)
        await pilot.press("space", "enter")  # recall: Good
        await settle(pilot)
        letters = "abc"
        await pilot.press(letters[0], "enter")  # choice: whatever it is, then the proposal
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "done"
        text = screen_text(app)
        assert "Session finished" in text and "Answered     2 cards, 2 reviews" in text
        assert "Time         02:00" in text
        from quizact.storage.stats import forecast

        tomorrow = forecast(inside.collection(session), clock.now, days=2)[1]
        assert f"Tomorrow     {tomorrow['learning'] + tomorrow['review']} due" in text

    drive(app, scenario)
    assert [r[0] for r in reviews(session)] == ["relu-definition", "sigmoid-range"]


def test_nothing_due_shows_the_summary_at_once(session, clock):
    only(session)  # everything buried
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        assert app.screen.phase == "done"
        assert "No cards answered" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"

    drive(app, scenario)
    assert len(ORDER) == 5
