"""Card info from Browse: every review (local date, rating, verdict, typed answer, time,
interval after), the memory now (stability, difficulty, retrievability), and replaying a
review's variant in the preview."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS as W

from quizact.scheduling import Rating

from .browse_support import NOW, SIZES, open_browse_on, rendered, review, slope_answer, table_rows
from .conftest import drive, make_app, screen_text, settle, until


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_card_info_lists_each_review_in_local_time_with_its_answer(session, clock, size):
    session.update_settings({"timezone": "Europe/Paris"})  # UTC+1 on 2 March
    first = review(session, "sigmoid-slope-at-z", Rating.Again, NOW, answer="0.3", seconds=12)
    later = NOW + timedelta(minutes=2)
    second = session.present("quizact-sample", "sigmoid-slope-at-z", later - timedelta(seconds=4), random.Random(2))
    right = slope_answer(second.variant.params["z"])
    graded = session.submit(second, right, later)
    session.rate(second, Rating.Good, later, graded=graded, answers=[right])
    clock.now = NOW + timedelta(hours=1)
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "slope")
        await pilot.press("i")
        assert await until(pilot, lambda: type(app.screen).__name__ == "CardInfoScreen" and table_rows(app.screen))
        rows = table_rows(app.screen)
        # newest first; 15:32 UTC is 16:32 in Paris; Good from the first step: 10m; Again: 1m
        assert rows == [
            ["2026-03-02 16:32", "learn", "Good", "right", right, "4s", "10m"],
            ["2026-03-02 16:30", "learn", "Again", "wrong", "0.3", "12s", "1m"],
        ]
        text = rendered(app)
        assert "quizact-sample / sigmoid-slope-at-z · numeric" in text
        assert "Reviews 2 · lapses 0 · practice 0" in text
        assert "State learning · due 48m ago (2026-03-02 16:42)" in text  # 15:42 UTC
        assert first.variant.seed != second.variant.seed

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_card_info_shows_stability_difficulty_and_retrievability_now(session, clock, size):
    review(session, "relu-definition", Rating.Easy, NOW)  # new → review: S = w3, D = D0(Easy)
    clock.now = NOW + timedelta(days=5, hours=1)
    stability = W[3]
    difficulty = min(max(W[4] - math.exp(W[5] * 3) + 1, 1), 10)
    decay = -W[20]
    recall = (1 + (0.9 ** (1 / decay) - 1) * 5 / stability) ** decay
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "relu")
        await pilot.press("i")
        assert await until(pilot, lambda: "Stability" in rendered(app))
        text = rendered(app)
        memory = f"Stability {stability:.1f} days · difficulty {difficulty:.1f}/10 · retrievability now {recall:.0%}"
        assert memory in text
        assert table_rows(app.screen) == [["2026-03-02 15:30", "learn", "Easy", "self-rated", "—", "12s", "8d"]]

    drive(app, scenario, size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_enter_on_a_review_replays_its_variant_with_the_answer_given(session, clock, size):
    first = review(session, "sigmoid-slope-at-z", Rating.Again, NOW, answer="0.3")
    review(session, "sigmoid-slope-at-z", Rating.Good, NOW + timedelta(minutes=2), answer="0.2")
    z = first.variant.params["z"]
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "slope")
        await pilot.press("i")
        assert await until(pilot, lambda: len(table_rows(app.screen)) == 2)
        await pilot.press("down", "enter")  # the older review: the Again with 0.3
        assert await until(pilot, lambda: "seed" in screen_text(app))
        text = screen_text(app)
        assert type(app.screen).__name__ == "PreviewScreen"
        assert f"seed {first.variant.seed}" in text
        assert f"Compute σ′({z})" in text and first.prompt.split(" to ")[0] in text
        assert f"Answer: {slope_answer(z)}" in text  # the expected value of those numbers
        assert "Answered then: 0.3" in text and "Replaying the review of 2026-03-02 15:30" in text
        await pilot.press("n")  # a fresh variant afterwards
        await settle(pilot)
        assert "Replaying" not in screen_text(app)

    drive(app, scenario, size=size)


def test_a_typed_answer_with_controls_and_markup_is_shown_escaped_and_plain(session, clock):
    typed = "\x1b[31m[bold]0.3[/]\u202e"
    review(session, "sigmoid-slope-at-z", Rating.Again, NOW, answer=typed)
    app = make_app(session, clock)

    async def scenario(pilot):
        await open_browse_on(pilot, "slope")
        await pilot.press("i")
        assert await until(pilot, lambda: bool(table_rows(app.screen)))
        assert table_rows(app.screen)[0][4] == "\\x1b[31m[bold]0.3[/]\\u202e"
        text = rendered(app)
        assert "\\x1b[31m[bold]0.3[/]\\u202e" in text and "\x1b" not in text and "\u202e" not in text

    drive(app, scenario, size=(120, 36))
