"""Browse's Session methods over a real collection file: card info (history and
retrievability), set due date, forget, unbury and flags, each with its undo."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizact.reschedule import DueDateError, due_in_days
from quizact.scheduling import Rating
from quizact.session import Session
from quizact.storage import schema
from tests import inside
from tests.conftest import SAMPLE

PACK = "quizact-sample"
NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)


@pytest.fixture
def session(tmp_path):
    s = Session.open(tmp_path / "c.sqlite3", NOW, sources=[SAMPLE])
    yield s
    s.close()


def review(session: Session, card_id: str, rating: Rating, at: datetime, answer: str | None = None,
           seconds: float = 12.0, mode: str = "review"):
    shown = session.present(PACK, card_id, at - timedelta(seconds=seconds), random.Random(5), mode=mode)
    graded = session.submit(shown, answer, at) if answer is not None else None
    session.rate(shown, rating, at, graded=graded, answers=[answer] if answer is not None else None)
    return shown


def count(session: Session, sql: str) -> int:
    return inside.collection(session).query_one(sql)[0]


# -- card info -------------------------------------------------------------------------


def test_card_info_lists_every_review_with_its_answer_time_and_interval(session):
    first = review(session, "sigmoid-slope-at-z", Rating.Again, NOW, answer="0.5", seconds=12)
    later = NOW + timedelta(minutes=2)
    second = review(session, "sigmoid-slope-at-z", Rating.Good, later, answer="0.25", seconds=3.5)
    review(session, "sigmoid-slope-at-z", Rating.Good, later + timedelta(minutes=1), answer="0.1", mode="practice")
    report = session.card_info(PACK, "sigmoid-slope-at-z", later + timedelta(hours=1))
    h = report.history
    assert [e.kind for e in h] == ["review", "review", "practice"]
    assert [e.rating for e in h] == [1, 3, 3]
    assert [e.at for e in h] == [NOW, later, later + timedelta(minutes=1)]
    assert [e.answers for e in h] == [("0.5",), ("0.25",), ("0.1",)]
    assert [e.seed for e in h][:2] == [first.variant.seed, second.variant.seed]
    assert [e.duration_ms for e in h] == [12000, 3500, 12000]
    assert h[0].state_before == 0 and h[1].state_before == 1  # new, then learning
    # Again on a new card: the first learning step (1m); Good from step 0: the second (10m)
    assert h[0].interval == 60 and h[1].interval == 600
    assert h[2].interval is None  # practice never schedules
    assert report.retrievability is not None


def test_retrievability_now_is_fsrs_forgetting_curve_of_the_stored_stability(session):
    review(session, "relu-definition", Rating.Easy, NOW)  # a new card rated Easy: review, S = w[3]
    info = inside.collection(session).card(PACK, "relu-definition")
    assert info.state == 2 and info.stability == pytest.approx(DEFAULT_PARAMETERS[3])
    for days in (0, 5, 30):
        decay = -DEFAULT_PARAMETERS[20]
        factor = 0.9 ** (1 / decay) - 1
        expected = (1 + factor * days / DEFAULT_PARAMETERS[3]) ** decay
        report = session.card_info(PACK, "relu-definition", NOW + timedelta(days=days, hours=1))
        assert report.retrievability == pytest.approx(expected)
    assert session.card_info(PACK, "sigmoid-range", NOW).retrievability is None  # new
    assert session.card_info(PACK, "no-such-card", NOW) is None


# -- set due date ----------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "days"), [("0", 0), ("3", 3), (" 12 ", 12), ("2026-03-10", 8), ("2026-03-02", 0)])
def test_due_in_days_reads_days_and_dates(spec, days):
    assert due_in_days(spec, NOW.date(), random.Random(1)) == days


def test_a_range_draws_a_day_within_it_from_the_generator():
    drawn = {due_in_days("3-7", NOW.date(), random.Random(seed)) for seed in range(60)}
    assert drawn == {3, 4, 5, 6, 7}
    assert due_in_days("3-7", NOW.date(), random.Random(9)) == random.Random(9).randint(3, 7)


@pytest.mark.parametrize(("spec", "words"), [
    ("soon", "Type a number of days"), ("", "you typed nothing"), ("7-3", "from the smaller number"),
    ("2026-02-30", "no such date"), ("2026-03-01", "in the past"), ("99999", "more than 36500 days"),
])  # fmt: skip
def test_a_bad_due_date_says_why_in_one_line(spec, words):
    with pytest.raises(DueDateError) as err:
        due_in_days(spec, NOW.date(), random.Random(1))
    assert words in str(err.value) and "\n" not in str(err.value)


def test_set_due_moves_only_the_due_date_logs_it_and_undo_takes_it_back(session):
    review(session, "relu-definition", Rating.Easy, NOW)
    before = inside.collection(session).card_row(PACK, "relu-definition")
    later = NOW + timedelta(hours=2)
    due = session.set_due(PACK, "relu-definition", "3", later, random.Random(1))
    assert due == datetime(2026, 3, 5, 17, 30, tzinfo=timezone.utc)  # 3 study days on, same time of day
    after = inside.collection(session).card_row(PACK, "relu-definition")
    assert after["due"] == "2026-03-05T17:30:00.000000+00:00"
    assert {k: v for k, v in after.items() if k != "due"} == {k: v for k, v in before.items() if k != "due"}
    assert count(session, "SELECT count(*) FROM reviews") == 1  # the review log is untouched
    assert inside.collection(session).query("SELECT action, state_before, due_before, due_after FROM card_log") == [
        ("reschedule", 2, before["due"], "2026-03-05T17:30:00.000000+00:00")
    ]
    kinds = [e.kind for e in session.card_info(PACK, "relu-definition", later).history]
    assert kinds == ["review", "reschedule"]
    # "0": due now, so it is the next card
    session.set_due(PACK, "relu-definition", "0", later, random.Random(1))
    assert inside.study(session).next_card(later) == (PACK, "relu-definition")
    entry = session.undo()
    assert entry.action == "reschedule"
    assert inside.collection(session).card_row(PACK, "relu-definition")["due"] == "2026-03-05T17:30:00.000000+00:00"
    session.undo()
    assert inside.collection(session).card_row(PACK, "relu-definition") == before
    assert count(session, "SELECT count(*) FROM card_log") == 0


def test_set_due_refuses_a_new_card_and_saves_nothing(session):
    before = inside.collection(session).card_row(PACK, "sigmoid-range")
    with pytest.raises(DueDateError, match="is new"):
        session.set_due(PACK, "sigmoid-range", "3", NOW, random.Random(1))
    assert inside.collection(session).card_row(PACK, "sigmoid-range") == before
    assert count(session, "SELECT count(*) FROM card_log") == 0 and inside.study(session).undo_depth() == 0


def test_the_next_rating_after_set_due_counts_the_real_time_since_the_last_review(session):
    review(session, "relu-definition", Rating.Easy, NOW)
    session.set_due(PACK, "relu-definition", "1", NOW, random.Random(1))
    then = NOW + timedelta(days=1)
    inside.study(session).rate(PACK, "relu-definition", Rating.Good, then)
    row = inside.collection(session).query_one(
        "SELECT stability_before, stability_after FROM reviews WHERE id = 2")
    s = DEFAULT_PARAMETERS[3]
    assert row[0] == pytest.approx(s)  # the stability set aside by set-due survives
    w = DEFAULT_PARAMETERS
    d = inside.collection(session).query_one("SELECT difficulty_before FROM reviews WHERE id = 2")[0]
    decay = -w[20]
    r = (1 + (0.9 ** (1 / decay) - 1) * 1 / s) ** decay  # one day after the review
    import math

    recall = s * (1 + math.exp(w[8]) * (11 - d) * s ** -w[9] * (math.exp((1 - r) * w[10]) - 1))
    assert row[1] == pytest.approx(recall, rel=1e-6)


# -- forget ----------------------------------------------------------------------------


def test_forget_puts_the_card_back_to_new_and_keeps_its_history(session):
    review(session, "relu-definition", Rating.Again, NOW)
    review(session, "relu-definition", Rating.Good, NOW + timedelta(minutes=2))
    before = inside.collection(session).card_row(PACK, "relu-definition")
    session.forget(PACK, "relu-definition", NOW + timedelta(minutes=5))
    row = inside.collection(session).card_row(PACK, "relu-definition")
    assert (row["state"], row["step"], row["stability"], row["difficulty"], row["due"], row["last_review"]) == (
        0, None, None, None, None, None)  # fmt: skip
    assert (row["reps"], row["lapses"], row["position"]) == (before["reps"], before["lapses"], before["position"])
    assert count(session, "SELECT count(*) FROM reviews") == 2
    assert inside.collection(session).query("SELECT action, state_before, state_after, due_after FROM card_log") == [
        ("forget", 1, 0, None)
    ]
    # studied again as a new card: fsrs starts afresh, its first Good giving S = w[2]
    result = inside.study(session).rate(PACK, "relu-definition", Rating.Good, NOW + timedelta(minutes=6))
    assert result.state == 1
    assert inside.collection(session).card(PACK, "relu-definition").stability == pytest.approx(DEFAULT_PARAMETERS[2])
    session.undo()
    entry = session.undo()
    assert entry.action == "forget"
    assert inside.collection(session).card_row(PACK, "relu-definition") == before
    assert count(session, "SELECT count(*) FROM card_log") == 0


def test_forgetting_a_new_card_changes_nothing(session):
    session.forget(PACK, "sigmoid-range", NOW)
    assert count(session, "SELECT count(*) FROM card_log") == 0 and inside.study(session).undo_depth() == 0


# -- unbury and flags -----------------------------------------------------------------


def test_unbury_shows_a_buried_card_again_today(session):
    inside.study(session).bury(PACK, "relu-definition", NOW)
    assert inside.study(session).next_card(NOW) == (PACK, "sigmoid-range")
    assert session.unbury(PACK, "relu-definition", NOW) is True
    assert inside.collection(session).card_row(PACK, "relu-definition")["buried_until"] is None
    assert inside.study(session).next_card(NOW) == (PACK, "relu-definition")
    assert session.unbury(PACK, "relu-definition", NOW) is False  # not buried: nothing written
    assert session.undo().action == "unbury"
    assert inside.collection(session).card(PACK, "relu-definition").buried_until is not None


def test_a_card_carries_one_flag_beside_leech(session):
    with inside.collection(session).transaction() as conn:
        conn.execute("UPDATE cards SET flags = '[\"leech\"]' WHERE card_id = 'relu-definition'")
    session.set_flag(PACK, "relu-definition", "red", NOW)
    assert inside.collection(session).card(PACK, "relu-definition").flags == ("leech", "red")
    session.set_flag(PACK, "relu-definition", "blue", NOW)
    assert inside.collection(session).card(PACK, "relu-definition").flags == ("leech", "blue")
    session.set_flag(PACK, "relu-definition", None, NOW)
    assert inside.collection(session).card(PACK, "relu-definition").flags == ("leech",)
    assert session.card_info(PACK, "relu-definition", NOW).flag is None
    assert [session.undo().action for _ in range(3)] == ["flag", "flag", "flag"]
    assert inside.collection(session).card(PACK, "relu-definition").flags == ("leech",)
    with pytest.raises(ValueError, match="red, orange, green, blue"):
        session.set_flag(PACK, "relu-definition", "purple", NOW)


# -- the migration ---------------------------------------------------------------------


def test_a_version_3_file_gains_the_manual_log_and_keeps_its_reviews(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    full = schema.MIGRATIONS
    monkeypatch.setattr(schema, "MIGRATIONS", full[:3])
    s = Session.open(path, NOW, sources=[SAMPLE])
    at, due = (t.isoformat(timespec="microseconds") for t in (NOW, NOW + timedelta(days=10)))
    with inside.collection(s).transaction() as conn:  # a rating as a version-3 file holds it
        conn.execute("INSERT INTO reviews (pack_id, card_id, reviewed_at, mode, rating, status) "
                     "VALUES (?, 'relu-definition', ?, 'review', 4, 'self')", (PACK, at))
        conn.execute("UPDATE cards SET state = 2, stability = 10.0, difficulty = 5.0, due = ?, last_review = ?, "
                     "reps = 1 WHERE card_id = 'relu-definition'", (due, at))
    s.close()
    monkeypatch.setattr(schema, "MIGRATIONS", full)  # (undo() would drop QUIZACT_HOME too)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'card_log'").fetchone() == (0,)
    conn.close()
    s = Session.open(path, NOW, sources=[SAMPLE])
    try:
        assert inside.collection(s).query("SELECT card_id, rating FROM reviews") == [("relu-definition", 4)]
        s.set_due(PACK, "relu-definition", "2", NOW, random.Random(1))
        assert inside.collection(s).query("SELECT action FROM card_log") == [("reschedule",)]
    finally:
        s.close()
    assert [b.name for b in (tmp_path / "backups").iterdir()] == [f"old-v3-before-v{schema.schema_version()}.sqlite"]
