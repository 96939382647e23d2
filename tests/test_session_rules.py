"""Rules of a sitting that a small slip in the code would break silently: a card whose
content is gone is buried (not drawn again and again), a review keeps how long it took,
learning cards are cards left, and a single-choice card takes one pick.

Real packs written to files, a real collection file, real fsrs. Expected numbers are worked
out by hand from the packs below and fsrs' default steps (Again on a new card: learning,
due in 1 minute).
"""

from __future__ import annotations

import random
import textwrap
from datetime import timedelta

import pytest

from quizact.scheduling import Rating
from quizact.session import Session
from tests.conftest import NOW

CHOICE_PACK = """\
pack: rules-a
name: Rules A
version: 1
cards:
  - id: single
    kind: choice
    shuffle: false
    prompt: "Which interval holds every output of the sigmoid?"
    options:
      - {text: "(0, 1)", correct: true}
      - {text: "(-1, 1)"}
      - {text: "[0, inf)"}
  - id: several
    kind: choice
    multiple: true
    shuffle: false
    prompt: "Which activations are bounded?"
    options:
      - {text: "sigmoid", correct: true}
      - {text: "tanh", correct: true}
      - {text: "ReLU"}
"""

RECALL_PACK = """\
pack: rules-b
name: Rules B
version: 1
cards:
  - id: one
    kind: recall
    prompt: "What does ReLU compute?"
    answer: "max(0, z)"
  - id: two
    kind: recall
    prompt: "What does tanh compute?"
    answer: "(e^z - e^-z)/(e^z + e^-z)"
"""


@pytest.fixture
def packs(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(CHOICE_PACK, encoding="utf-8")
    b.write_text(RECALL_PACK, encoding="utf-8")
    return a, b


def opened(tmp_path, sources, now=NOW) -> Session:
    return Session.open(tmp_path / "c.sqlite3", now, sources=list(sources))


# ------------------------------------------------------------------ content gone: bury


@pytest.mark.timeout(30, method="signal")  # without the bury, next() loops forever: fail, never hang
def test_a_due_card_whose_pack_is_skipped_is_buried_and_the_next_card_shown(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [a, b])
    rng = random.Random(0)
    for card_id in ("one", "two"):  # both recall cards to learning, due at NOW + 1 minute
        session.rate(session.present("rules-b", card_id, NOW, rng), Rating.Again, NOW)
    session.close()

    b.write_text("pack: rules-b\nname: [unclosed\n", encoding="utf-8")  # broken by hand
    later = NOW + timedelta(minutes=2)
    session = opened(tmp_path, [a, b], later)
    try:
        assert "rules-b" not in session.packs and len(session.problems) == 1
        # by default the queue holds only the packs loaded: rules-b's cards are not drawn
        assert session.next(later, rng).pack_id == "rules-a"
        assert session.card_info("rules-b", "one", later).info.buried_until is None
        # asked for by name (as ``quizact study --pack``), the two learning cards of rules-b
        # come first in the queue, but have no content
        shown = session.next(later, rng, packs=["rules-b", "rules-a"])
        assert shown is not None and shown.pack_id == "rules-a"
        # both hidden until the next study day starts (within a day), and undo brings them back
        until = [session.card_info("rules-b", c, later).info.buried_until for c in ("one", "two")]
        assert until[0] == until[1] and later < until[0] <= later + timedelta(days=1)
        assert session.next(later, rng, packs=["rules-b"]) is None
        assert session.undo().action == "bury"
        assert session.card_info("rules-b", "two", later).info.buried_until is None
    finally:
        session.close()


@pytest.mark.timeout(30, method="signal")
def test_nothing_left_but_cards_without_content_ends_the_sitting(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [b])
    session.rate(session.present("rules-b", "one", NOW, random.Random(0)), Rating.Again, NOW)
    session.close()
    b.write_text("pack: rules-b\nname: [unclosed\n", encoding="utf-8")
    later = NOW + timedelta(minutes=2)
    session = opened(tmp_path, [b], later)
    try:
        assert session.next(later, random.Random(0), packs=["rules-b"]) is None
    finally:
        session.close()


# ------------------------------------------------------------------ how long a review took


def test_the_time_from_showing_to_rating_is_saved_with_each_review(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [a, b])
    rng = random.Random(0)
    try:
        shown = session.present("rules-b", "one", NOW, rng)
        session.rate(shown, Rating.Good, NOW + timedelta(seconds=7, milliseconds=250))
        shown = session.present("rules-a", "single", NOW, rng)
        graded = session.submit(shown, "a", NOW + timedelta(seconds=12))
        session.rate(shown, graded.proposed, NOW + timedelta(seconds=12, milliseconds=40), graded=graded)
        practice = session.present("rules-b", "two", NOW, rng, mode="practice")
        session.rate(practice, Rating.Hard, NOW + timedelta(seconds=3))
        rows = {(r["card"], r["mode"]): r["duration_ms"] for r in session.export_reviews()}
        assert rows == {("one", "review"): 7250, ("single", "review"): 12040, ("two", "practice"): 3000}
    finally:
        session.close()


# ------------------------------------------------------------------ cards left


def test_learning_cards_are_counted_in_the_cards_left(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [a, b])
    try:
        # four new cards; Again on one of them makes it a learning card due in 1 minute
        before = session.queue_counts(NOW)
        assert (before.new, before.learning, before.review, before.total) == (4, 0, 0, 4)
        session.rate(session.present("rules-b", "one", NOW, random.Random(0)), Rating.Again, NOW)
        later = NOW + timedelta(minutes=2)
        counts = session.queue_counts(later)
        assert (counts.new, counts.learning, counts.review) == (3, 1, 0)
        assert counts.total == 4  # 3 new + 1 learning: the learning card is still to do today
        assert session.counts(later)["total"]["learning"] == 1
        shown = session.next(later, random.Random(0))
        assert (shown.pack_id, shown.card_id) == ("rules-b", "one")  # learning first, as it is counted
        assert session.queue_counts(later, shown).current == "learning"
    finally:
        session.close()


# ------------------------------------------------------------------ one pick on a single-choice card


@pytest.mark.parametrize("typed", ["a,b", "b,a", "a b", "a,a", "a, c"])
def test_a_single_choice_card_refuses_several_picks(tmp_path, packs, typed):
    a, b = packs
    session = opened(tmp_path, [a, b])
    try:
        shown = session.present("rules-a", "single", NOW, random.Random(0))
        graded = session.submit(shown, typed, NOW)
        assert graded.verdict.status == "invalid" and graded.verdict.feedback == "choose one option"
        assert graded.intervals == {}  # nothing to rate: the learner answers again
        assert session.submit(shown, "a", NOW).verdict.status == "correct"
    finally:
        session.close()


def test_a_multiple_choice_card_takes_several_picks(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [a, b])
    try:
        shown = session.present("rules-a", "several", NOW, random.Random(0))
        assert session.submit(shown, "a,b", NOW).verdict.status == "correct"
        half = session.submit(shown, "a", NOW).verdict  # one of two right ones, none wrong
        assert (half.status, half.score) == ("incorrect", 0.5)
    finally:
        session.close()


def test_the_packs_above_load_clean(packs):
    from quizact.packs.loader import read_pack

    for path in packs:
        pack, problems = read_pack(path)
        assert pack is not None and problems == [], textwrap.shorten(str(problems), 300)


# ------------------------------------------------------------------ what is saved and counted


def test_a_practice_attempt_keeps_its_grading_answers_and_variant(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [a, b])
    try:
        shown = session.present("rules-a", "several", NOW, random.Random(0), mode="practice")
        graded = session.submit(shown, "a", NOW)  # one of the two right options: score 1/2
        session.rate(shown, graded.proposed, NOW + timedelta(seconds=2), graded=graded, answers=["a"])
        (row,) = session.export_reviews()
        assert (row["mode"], row["status"], row["score"], row["rating"]) == ("practice", "incorrect", 0.5, 2)
        assert row["answers"] in (["a"], '["a"]') and row["seed"] == shown.variant.seed
        assert session.queue_counts(NOW).new == 4  # the schedule was not touched
    finally:
        session.close()


def test_the_cards_left_are_those_of_the_packs_loaded(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [a, b])
    session.rate(session.present("rules-b", "one", NOW, random.Random(0)), Rating.Again, NOW)
    session.close()
    b.write_text("pack: rules-b\nname: [unclosed\n", encoding="utf-8")  # skipped from now on
    later = NOW + timedelta(minutes=2)
    session = opened(tmp_path, [a, b], later)
    try:
        counts = session.queue_counts(later)
        assert (counts.new, counts.learning, counts.review) == (2, 0, 0)  # rules-b's two are not
    finally:
        session.close()


def test_a_rating_result_as_a_dict(tmp_path, packs):
    a, b = packs
    session = opened(tmp_path, [a, b])
    try:
        result = session.rate(session.present("rules-b", "one", NOW, random.Random(0)), Rating.Good, NOW)
        d = result.to_dict()
        # Good on a new card: fsrs' second learning step, 10 minutes
        assert (d["rating"], d["interval"], d["due"]) == (3, 600.0, (NOW + timedelta(minutes=10)).isoformat())
        assert (d["pack_id"], d["card_id"], d["state"], d["lapses"], d["leech"]) == ("rules-b", "one", 1, 0, False)
    finally:
        session.close()
