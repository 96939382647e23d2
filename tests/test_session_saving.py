"""Saving a rating while another process holds the write lock, and undo handing back
the card as it was rated — through ``Session``, on a real file."""

from __future__ import annotations

import random
import sqlite3
import time

import pytest

from quizact.scheduling import Rating
from quizact.session import Session
from quizact.storage.collection import CollectionLocked
from tests import inside
from tests.conftest import SAMPLE
from tests.lock_holder import hold_lock


@pytest.fixture
def session(tmp_path, fixed_now):
    s = Session.open(tmp_path / "c.sqlite3", fixed_now, sources=[SAMPLE])
    yield s
    s.close()


def reviews_on_disk(session) -> int:
    con = sqlite3.connect(inside.collection(session).path)  # a second connection: what is committed
    try:
        return con.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        con.close()


def test_a_rating_waits_out_another_process_and_is_saved(session, fixed_now):
    shown = session.present("quizact-sample", "relu-definition", fixed_now, random.Random(0))
    waited: list[float] = []
    holder = hold_lock(inside.collection(session).path, 2.0)
    started = time.monotonic()
    session.rate(shown, Rating.Good, fixed_now, waiting=lambda s: waited.append(s) or True)
    holder.wait(timeout=10)
    # the holder kept the lock 2 s; each attempt waits 0.5 s: told at least twice, in order
    assert len(waited) >= 2 and waited == sorted(waited)
    assert time.monotonic() - started >= 1.5
    assert reviews_on_disk(session) == 1


def test_a_rating_given_up_while_locked_is_not_saved(session, fixed_now):
    shown = session.present("quizact-sample", "relu-definition", fixed_now, random.Random(0))
    holder = hold_lock(inside.collection(session).path, 3.0)
    try:
        with pytest.raises(CollectionLocked):
            session.rate(shown, Rating.Good, fixed_now, waiting=lambda s: s < 1.0)
    finally:
        holder.wait(timeout=10)
    assert reviews_on_disk(session) == 0
    session.rate(shown, Rating.Good, fixed_now)  # the lock is free again: the same rating saves
    assert reviews_on_disk(session) == 1


def test_undo_hands_back_the_rated_variant_with_its_answers_and_verdict(session, fixed_now):
    rng = random.Random(3)
    shown = session.present("quizact-sample", "backprop-relu-mse", fixed_now, rng)
    answers = ["0.5", "1", "2", "3", "4"]  # typed by the learner (wrong)
    graded = session.submit(shown, answers, fixed_now)
    session.rate(shown, graded.proposed, fixed_now, graded=graded, answers=answers)
    session.present("quizact-sample", "relu-definition", fixed_now, rng)  # the rng moves on
    undone = session.undo_to(fixed_now, rng)
    assert undone is not None and undone.entry.action == "rate"
    assert undone.shown.variant == shown.variant  # the same seed and numbers, not a fresh draw
    assert undone.shown.prompt == shown.prompt
    assert undone.answers == tuple(answers)
    assert undone.graded.verdict == graded.verdict and undone.graded.proposed == graded.proposed
    assert reviews_on_disk(session) == 0


def test_undo_of_an_answer_right_after_a_retry_proposes_hard_again(session, fixed_now):
    rng = random.Random(5)
    shown = session.present("quizact-sample", "sigmoid-derivative", fixed_now, rng)
    answer = "sigmoid(z)*(1 - sigmoid(z))"
    graded = session.submit(shown, answer, fixed_now, retried=True)  # right, after a retry
    assert graded.proposed == Rating.Hard  # the proposal table: right only after a retry
    session.rate(shown, graded.proposed, fixed_now, graded=graded, answers=[answer])
    undone = session.undo_to(fixed_now, rng)
    assert undone.graded.retried and undone.graded.proposed == Rating.Hard
    # … and a first-try answer comes back proposing Good
    graded = session.submit(undone.shown, answer, fixed_now)
    session.rate(undone.shown, graded.proposed, fixed_now, graded=graded, answers=[answer])
    assert session.undo_to(fixed_now, rng).graded.proposed == Rating.Good


def test_undo_of_a_recall_rating_shows_it_revealed_and_of_a_bury_as_new(session, fixed_now):
    rng = random.Random(1)
    recall = session.present("quizact-sample", "relu-definition", fixed_now, rng)
    session.rate(recall, Rating.Hard, fixed_now)
    undone = session.undo_to(fixed_now, rng)
    assert undone.revealed and undone.shown.variant.seed == recall.variant.seed
    numeric = session.present("quizact-sample", "sigmoid-slope-at-z", fixed_now, rng)
    session.bury(numeric, fixed_now)
    undone = session.undo_to(fixed_now, rng)
    assert undone.entry.action == "bury" and undone.graded is None and not undone.revealed
    assert session.undo_to(fixed_now, rng) is None


def test_bury_and_undo_wait_out_a_held_lock_too(session, fixed_now):
    shown = session.present("quizact-sample", "relu-definition", fixed_now, random.Random(0))
    waited: list[float] = []
    holder = hold_lock(inside.collection(session).path, 1.5)
    session.bury(shown, fixed_now, waiting=lambda s: waited.append(s) or True)
    holder.wait(timeout=10)
    assert waited and inside.collection(session).card("quizact-sample", "relu-definition").buried_until is not None
    waited.clear()
    holder = hold_lock(inside.collection(session).path, 1.5)
    assert session.undo(waiting=lambda s: waited.append(s) or True).action == "bury"
    holder.wait(timeout=10)
    assert waited and inside.collection(session).card("quizact-sample", "relu-definition").buried_until is None
