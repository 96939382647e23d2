"""The rating a verdict proposes (one test per row of the table in docs/cli.md), Easy
always longer than Good, and day-scale intervals counted in study days across clock changes.

Verdicts come from the real grader on the sample pack's cards; the proposal is the table's.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from quizact.grading.card import expected_answers
from quizact.scheduling import Rating, due_on_study_day
from quizact.session import Session
from quizact.storage.timeutil import study_day
from tests.conftest import SAMPLE

PACK = "quizact-sample"


@pytest.fixture
def session(tmp_path, now):
    s = Session.open(tmp_path / "c.sqlite3", now, sources=[SAMPLE])
    yield s
    s.close()


def shown(session, card_id, now):
    return session.present(PACK, card_id, now, random.Random(7))


# -- the proposal table ---------------------------------------------------------------------


def test_right_at_the_first_try_proposes_good(session, now):
    s = shown(session, "sigmoid-derivative", now)
    graded = session.submit(s, "sigmoid(z)*(1 - sigmoid(z))", now)
    assert graded.verdict.status == "correct"
    assert graded.proposed == Rating.Good


def test_right_only_after_a_retry_proposes_hard(session, now):
    s = shown(session, "sigmoid-derivative", now)
    graded = session.submit(s, "sigmoid(z)*(1 - sigmoid(z))", now, retried=True)
    assert graded.verdict.status == "correct"
    assert graded.proposed == Rating.Hard


def test_the_right_value_in_the_wrong_form_proposes_hard(session, now):
    # e^(−z)/(1+e^(−z))² is σ′(z), but the card asks for it in terms of σ only
    s = shown(session, "sigmoid-derivative", now)
    graded = session.submit(s, "exp(-z)/(1 + exp(-z))**2", now)
    assert graded.verdict.status == "incorrect" and 0 < graded.verdict.score < 1
    assert graded.proposed == Rating.Hard


def test_some_steps_right_proposes_hard(session, now):
    s = shown(session, "backprop-relu-mse", now)
    right = expected_answers(s.card, s.variant)
    answers = right[:2] + ["12345"] * (len(right) - 2)  # z1 and z2 right, the rest wrong
    graded = session.submit(s, answers, now)
    assert graded.verdict.status == "incorrect" and 0 < graded.verdict.score < 1
    assert graded.proposed == Rating.Hard


def test_wrong_proposes_again(session, now):
    s = shown(session, "sigmoid-derivative", now)
    graded = session.submit(s, "sigmoid(z)", now)
    assert graded.verdict.status == "incorrect" and graded.verdict.score == 0
    assert graded.proposed == Rating.Again


def test_every_step_wrong_proposes_again(session, now):
    s = shown(session, "backprop-relu-mse", now)
    graded = session.submit(s, ["12345"] * len(s.card.steps), now)
    assert graded.verdict.score == 0
    assert graded.proposed == Rating.Again


# -- Easy is always longer than Good --------------------------------------------------------


def _again_again_again(collection, study, add_pack, now):
    """Again ×3 then Good from new: with fsrs' default parameters the next Good and Easy
    would both be 1 day (worked with fsrs.Scheduler(enable_fuzzing=False))."""
    add_pack(collection, 1)
    t = now
    for rating in (1, 1, 1, 3):
        t = study.rate("p", "c0000", rating, t).due
    return t


def test_easy_is_previewed_longer_than_good(collection, study, add_pack, now):
    t = _again_again_again(collection, study, add_pack, now)
    preview = study.preview_intervals(("p", "c0000"), t)
    assert preview[Rating.Good] == timedelta(days=1)
    assert preview[Rating.Easy] == timedelta(days=2)  # Good + 1 day, as Anki does


def test_easy_is_scheduled_longer_than_good(collection, study, add_pack, now, tmp_path):
    t = _again_again_again(collection, study, add_pack, now)
    easy = study.rate("p", "c0000", Rating.Easy, t)
    assert easy.interval == timedelta(days=2)
    assert easy.due - t == timedelta(days=2)  # UTC has no clock changes


def test_easy_exceeds_good_along_random_histories(collection, study, add_pack, now):
    add_pack(collection, 1)
    rnd, t = random.Random(3), now
    for _ in range(40):
        preview = study.preview_intervals(("p", "c0000"), t)
        assert preview[Rating.Easy] > preview[Rating.Good], preview
        t = study.rate("p", "c0000", rnd.choice([1, 2, 3, 4]), t).due


# -- day-scale intervals land on the right study day across clock changes -------------------

BERLIN = "Europe/Berlin"


def test_good_before_the_autumn_change_lands_on_the_next_study_day():
    # 2026-10-24 04:30 CEST (UTC+2) = 02:30 UTC, study day 24 Oct. Clocks go back on 25 Oct at
    # 03:00 CEST → 02:00 CET, so now + 24 h = 03:30 CET on 25 Oct: before 4 a.m., still the
    # study day of 24 Oct. One day later must be the study day of 25 Oct.
    now = datetime(2026, 10, 24, 2, 30, tzinfo=timezone.utc)
    assert study_day(now, BERLIN, 4).date == date(2026, 10, 24)
    assert study_day(now + timedelta(hours=24), BERLIN, 4).date == date(2026, 10, 24)  # the bug
    due = due_on_study_day(now, 1, BERLIN, 4)
    assert study_day(due, BERLIN, 4).date == date(2026, 10, 25)
    assert due == datetime(2026, 10, 25, 3, 30, tzinfo=timezone.utc)  # 04:30 CET, same wall time


def test_good_before_the_spring_change_lands_one_study_day_later():
    # 2026-03-28 03:30 CET (UTC+1) = 02:30 UTC: before 4 a.m., study day 27 Mar. Clocks go
    # forward on 29 Mar at 02:00 CET → 03:00 CEST, so now + 24 h = 04:30 CEST on 29 Mar: the
    # study day of 29 Mar, two days on. One day later must be the study day of 28 Mar.
    now = datetime(2026, 3, 28, 2, 30, tzinfo=timezone.utc)
    assert study_day(now, BERLIN, 4).date == date(2026, 3, 27)
    assert study_day(now + timedelta(hours=24), BERLIN, 4).date == date(2026, 3, 29)  # the bug
    due = due_on_study_day(now, 1, BERLIN, 4)
    assert study_day(due, BERLIN, 4).date == date(2026, 3, 28)
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)  # 03:30 CEST on 29 Mar


def test_a_skipped_local_time_is_clamped_into_its_study_day():
    # rollover at 2 a.m.; 02:30 on 29 Mar does not exist in Berlin. Rated 02:30 CET on 28 Mar
    # (study day 28 Mar), one day on is the study day of 29 Mar, which starts at 03:00 CEST.
    now = datetime(2026, 3, 28, 1, 30, tzinfo=timezone.utc)
    due = due_on_study_day(now, 1, BERLIN, 2)
    assert study_day(due, BERLIN, 2).date == date(2026, 3, 29)


@pytest.mark.parametrize(
    ("rated_at", "today"),
    [
        (datetime(2026, 10, 24, 2, 30, tzinfo=timezone.utc), date(2026, 10, 24)),
        (datetime(2026, 3, 28, 2, 30, tzinfo=timezone.utc), date(2026, 3, 27)),
    ],
)
def test_a_rated_review_is_due_on_the_study_day_its_interval_names(collection, study, add_pack, rated_at, today):
    collection.update_settings(timezone=BERLIN)
    add_pack(collection, 1)
    t = rated_at - timedelta(days=3)
    for rating in (3, 3):  # new → 10m step → review
        t = study.rate("p", "c0000", rating, t).due
    # the card is a review card now; rate it at the hour the clocks are about to change
    result = study.rate("p", "c0000", Rating.Good, rated_at)
    assert result.state == 2 and result.interval.days >= 1
    assert study_day(rated_at, BERLIN, 4).date == today
    assert study_day(result.due, BERLIN, 4).date == today + timedelta(days=result.interval.days)
