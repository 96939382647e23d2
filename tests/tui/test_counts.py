"""The review screen's counts line (new · learning · review, the card on screen's group
marked) and the summaries (cards and reviews apart, right at the first try), read from
the rows the real app draws at 120×36 and 80×24, over a real collection file.

Expected numbers are worked out by hand from the sample pack (five new cards: recall,
choice, symbolic, numeric, steps) and the settings each test sets.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizact.tui.widgets.session_info import ReviewStatus, SessionSummary
from tests import inside

from .conftest import NOW, PACK, drive, make_app, only, reviews, settle, type_text, until

SIZES = [(120, 36), (80, 24)]


def rows_of(widget) -> list[str]:
    """The widget's rows as drawn (its width, after cropping)."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


def status_line(app) -> str:
    status = app.screen.query_one(ReviewStatus)
    assert status.region.width == app.size.width  # the whole row, nothing hidden
    return rows_of(status)[0]


def marked_numbers(app) -> list[str]:
    """The texts drawn underlined on the status line (the current group)."""
    strip = app.screen.query_one(ReviewStatus).render_line(0)
    return ["".join(s.text for s in strip if s.style and s.style.underline).strip()]


def number_colours(app) -> list:
    """The colours the status line draws its three numbers in (new, learning, review)."""
    strip = app.screen.query_one(ReviewStatus).render_line(0)
    digits = [seg for seg in strip if seg.text.strip().isdigit()]
    return [seg.style.color if seg.style else None for seg in digits[:3]]


def summary_text(app) -> str:
    summary = app.screen.query_one(SessionSummary)
    region = app.screen.region
    assert region.contains_region(summary.region), (summary.region, region)  # all of it on screen
    return "\n".join(rows_of(summary))


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_counts_line_through_lapse_undo_and_the_new_limit(session, clock, size):
    # relu-definition: a review card due today (graduated with Easy a month ago)
    month_ago = NOW - timedelta(days=30)
    import random

    session.rate(session.present(PACK, "relu-definition", month_ago, random.Random(0)), 4, month_ago)
    assert inside.collection(session).card(PACK, "relu-definition").state == 2
    only(session, "relu-definition", "sigmoid-range", "sigmoid-derivative", "sigmoid-slope-at-z")
    session.update_settings({"new_per_day": 2})  # 3 new cards unburied, 2 allowed today
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        assert await until(pilot, lambda: screen.counts is not None)
        assert screen.shown.card_id == "relu-definition"
        line = status_line(app)
        assert "new 2 · learning 0 · ▸review 1 · 0 done" in line, line
        assert marked_numbers(app) == ["▸review 1"]
        new, _, review = number_colours(app)  # as in Anki: a colour each (the 0 is dimmed)
        assert new is not None and review is not None and new != review
        await pilot.press("space", "1")  # Again: a lapse, relearning in 10 minutes
        await settle(pilot)
        assert reviews(session)[1:] == [("relu-definition", "review", 1, "self")]  # after the set-up one
        assert screen.shown.card_id == "sigmoid-range"  # new
        line = status_line(app)
        assert "▸new 2 · learning 1 · review 0 · 1 done" in line, line
        assert marked_numbers(app) == ["▸new 2"]
        app.set_focus(None)
        await pilot.press("u")  # undo the lapse: a review card again, shown as it was rated
        await settle(pilot)
        assert screen.shown.card_id == "relu-definition" and screen.phase == "graded"
        assert "new 2 · learning 0 · ▸review 1 · 0 done" in status_line(app)
        assert len(reviews(session)) == 1  # the set-up review only
        await pilot.press("1")  # the lapse again
        await settle(pilot)
        assert "▸new 2 · learning 1 · review 0 · 1 done" in status_line(app)
        await pilot.press("a", "enter")  # any option, then the proposed rating
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-derivative"  # the last new card the limit allows
        line = status_line(app)
        assert "▸new 1 · learning 2 · review 0 · 2 done" in line, line
        app.set_focus(None)
        await pilot.press("u")  # undo the choice card's rating: new again
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-range"
        assert "▸new 2 · learning 1 · review 0 · 1 done" in status_line(app)
        assert [r[2] for r in reviews(session)] == [4, 1]  # the set-up review and the lapse

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_review_summary_counts_cards_and_reviews_and_right_at_the_first_try(session, clock, size):
    only(session, "relu-definition", "sigmoid-derivative")
    session.update_settings({"learning_steps": ["1m", "1d"]})
    app = make_app(session, clock, start="review")

    async def scenario(pilot):
        screen = app.screen
        assert await until(pilot, lambda: screen.counts is not None)
        assert "▸new 2 · learning 0 · review 0" in status_line(app)
        await pilot.press("space", "1")  # relu: Again -> its 1m step
        await settle(pilot)
        assert screen.shown.card_id == "sigmoid-derivative"
        assert "▸new 1 · learning 1 · review 0" in status_line(app)
        await type_text(pilot, "sigmoid(z)")  # wrong
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")  # try again, and right: Hard (12 h: still today, before 04:00)
        await pilot.press(*["backspace"] * 12)
        await type_text(pilot, "sigmoid(z)*(1-sigmoid(z))")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.shown.card_id == "relu-definition"  # learn-ahead: its step is a minute away
        assert "new 0 · ▸learning 2 · review 0 · 2 done" in status_line(app)
        await pilot.press("space", "3")  # Good -> the 1d step: gone for today
        await settle(pilot)
        assert screen.phase == "done"
        assert "new 0 · learning 1 · review 0 · 3 done" in status_line(app)
        text = summary_text(app)
        assert "Answered     2 cards, 3 reviews" in text, text
        # right at the first try: relu Again no, σ′ only after a retry no, relu Good yes
        assert "Right        1 of 3 at the first try (33%)" in text, text
        assert "Again 1 · Hard 1 · Good 1 · Easy 0" in text

    drive(app, scenario, size=size)
    assert [(r[0], r[2]) for r in reviews(session)] == [
        ("relu-definition", 1), ("sigmoid-derivative", 2), ("relu-definition", 3)]  # fmt: skip


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_practice_summary_counts_right_at_the_first_try(session, clock, size):
    app = make_app(session, clock)

    async def scenario(pilot):
        app.practice([(PACK, "sigmoid-derivative"), (PACK, "relu-definition")])
        await settle(pilot)
        screen = app.screen
        assert "2 left" in status_line(app) and "new " not in status_line(app)  # a list, not the queue
        await type_text(pilot, "sigmoid(z)")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        await pilot.press(*["backspace"] * 12)
        await type_text(pilot, "sigmoid(z)*(1-sigmoid(z))")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.card_view.graded.verdict.status == "correct"  # right, but at the second try
        await pilot.press("enter")
        await settle(pilot)
        assert screen.shown.card_id == "relu-definition"
        await pilot.press("space", "3")
        await settle(pilot)
        assert screen.phase == "done"
        text = summary_text(app)
        assert "Practice finished" in text
        answered = next(row for row in text.splitlines() if "Answered" in row)
        assert "Answered     2 cards" in answered and "," not in answered, text  # one attempt each
        assert "Right        1 of 2 at the first try (50%)" in text, text

    drive(app, scenario, size=size)
    assert [r[1] for r in reviews(session)] == ["practice", "practice"]


@pytest.mark.parametrize("size", SIZES, ids=["120x36", "80x24"])
def test_dashboard_today_is_the_statistics_today(session, clock, size):
    """Three reviews of two cards today (a learning step among them), one yesterday: the
    dashboard and the stats screen both say 3 (the dashboard once counted only reviews of
    review-state cards: 0 here)."""
    import random

    yesterday = NOW - timedelta(days=1)
    session.rate(session.present(PACK, "relu-definition", yesterday, random.Random(0)), 1, yesterday)
    shown = session.present(PACK, "sigmoid-range", NOW, random.Random(0))
    session.rate(shown, 1, NOW)
    session.rate(session.present(PACK, "sigmoid-range", NOW, random.Random(0)), 3, NOW + timedelta(minutes=2))
    session.rate(session.present(PACK, "relu-definition", NOW, random.Random(0)), 3, NOW + timedelta(minutes=3))
    clock.advance(minutes=5)
    app = make_app(session, clock)

    async def scenario(pilot):
        from textual.widgets import Static

        line = "\n".join(rows_of(app.screen.query_one("#stats-line", Static)))
        assert "Today 3 reviews (1 new)" in line, line
        await pilot.press("s")
        assert await until(pilot, lambda: "Today" in str(app.screen.query_one("#stats-overview").render()))
        text = "\n".join(rows_of(app.screen.query_one("#stats-overview", Static)))
        assert "Today  3 reviews" in text, text

    drive(app, scenario, size=size)
