"""Anki's three numbers (new · learning · review) through a real sitting: a real Session
over a real collection file and a pack of recall cards, rated as the app rates them.

Every expected triple below is worked out by hand from the rules (limits, states, what is
buried or suspended), step by step in the comments; none is read back from the code.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from quizact.scheduling import QueueCounts
from quizact.session import Session
from tests import inside

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
PACK = "counting"
IDS = ("a", "b", "c", "d", "e", "f", "g", "h")


def write_pack(folder, ids=IDS):
    cards = "".join(
        f"  - id: {i}\n    kind: recall\n    prompt: \"Card {i}?\"\n    answer: \"{i}\"\n" for i in ids
    )
    path = folder / "counting.yaml"
    path.write_text(f"pack: {PACK}\nname: Counting\nversion: 1\ncards:\n{cards}", encoding="utf-8")
    return path


@pytest.fixture
def session(tmp_path):
    s = Session.open(tmp_path / "c.sqlite3", NOW - timedelta(days=40), sources=[write_pack(tmp_path)])
    yield s
    s.close()


def rate(session: Session, card_id: str, rating: int, when: datetime):
    shown = session.present(PACK, card_id, when, random.Random(1))
    return session.rate(shown, rating, when)


def three(c: QueueCounts) -> tuple[int, int, int]:
    return (c.new, c.learning, c.review)


def state(session: Session, card_id: str) -> int:
    return inside.collection(session).card(PACK, card_id).state


def test_the_three_numbers_through_a_sitting(session):
    # a, b, c: review cards due today (graduated with Easy a month ago); d–h new.
    month_ago = NOW - timedelta(days=30)
    for card_id in "abc":
        rate(session, card_id, 4, month_ago)
        card = inside.collection(session).card(PACK, card_id)
        assert card.state == 2 and card.due < NOW  # review, due today (precondition)
    inside.collection(session).query("DELETE FROM undo")  # the history above is not this sitting's
    session.update_settings({"new_per_day": 2, "reviews_per_day": 2})
    inside.study(session).bury(PACK, "g", NOW)
    inside.study(session).suspend(PACK, "h", NOW)
    inside.collection(session).query("DELETE FROM undo")
    now = NOW

    # new: d, e, f left (g buried, h suspended), limit 2 -> 2; review: a, b, c due, limit 2 -> 2
    assert three(session.queue_counts(now)) == (2, 0, 2)
    shown = session.next(now, random.Random(0))
    assert shown.card_id == "a"  # reviews before new cards
    assert session.queue_counts(now, shown).current == "review"

    # a lapses: relearning (10m) today -> learning 1; one review done: limit leaves 1 of b, c
    session.rate(shown, 1, now)
    assert state(session, "a") == 3
    assert three(session.queue_counts(now)) == (2, 1, 1)

    # undo puts it back: a is a review card again, the review it cost is given back
    undone = session.undo_to(now, random.Random(0))
    assert undone.entry.card_id == "a" and state(session, "a") == 2
    assert three(session.queue_counts(now, undone.shown)) == (2, 0, 2)
    assert session.queue_counts(now, undone.shown).current == "review"

    session.rate(undone.shown, 1, now)  # the lapse again
    assert three(session.queue_counts(now)) == (2, 1, 1)

    shown = session.next(now, random.Random(0))
    assert shown.card_id == "b" and session.queue_counts(now, shown).current == "review"
    session.rate(shown, 3, now)  # b: Good, due in days -> gone; 2 reviews done: c is over the limit
    assert state(session, "b") == 2
    assert three(session.queue_counts(now)) == (2, 1, 0)

    shown = session.next(now, random.Random(0))
    assert shown.card_id == "d" and session.queue_counts(now, shown).current == "new"
    session.rate(shown, 1, now)  # d: Again -> learning (1m); one new done: limit leaves 1 of e, f
    assert three(session.queue_counts(now)) == (1, 2, 0)

    shown = session.next(now, random.Random(0))
    assert shown.card_id == "e" and session.queue_counts(now, shown).current == "new"
    session.rate(shown, 3, now)  # e: Good -> second learning step (10m); new limit reached
    assert three(session.queue_counts(now)) == (0, 3, 0)

    now += timedelta(minutes=2)  # d (1m) is due; a and e (10m) are not yet
    shown = session.next(now, random.Random(0))
    assert shown.card_id == "d" and session.queue_counts(now, shown).current == "learning"
    session.rate(shown, 3, now)  # d: Good -> its 10m step, still learning today
    assert three(session.queue_counts(now)) == (0, 3, 0)

    now += timedelta(minutes=15)  # a, e, d all due
    shown = session.next(now, random.Random(0))
    assert shown.card_id == "a" and session.queue_counts(now, shown).current == "learning"
    session.rate(shown, 3, now)  # a relearnt: a review card again, due on a later day
    assert state(session, "a") == 2
    assert three(session.queue_counts(now)) == (0, 2, 0)

    assert session.undo().card_id == "a"  # undo: a is relearning again, due today
    assert three(session.queue_counts(now)) == (0, 3, 0)

    inside.study(session).unsuspend(PACK, "h", now)  # h is new again, but the new limit is spent
    assert three(session.queue_counts(now)) == (0, 3, 0)
    session.update_settings({"new_per_day": 4})  # 2 done, 2 more allowed: f and h
    assert three(session.queue_counts(now)) == (2, 3, 0)
    session.update_settings({"reviews_per_day": 3})  # c: the third review today
    assert three(session.queue_counts(now)) == (2, 3, 1)

    # the next study day (rollover 04:00 UTC): g unburied, the limits fresh; a, d, e (due
    # minutes after their last rating) are overdue learning cards; b is due weeks ahead
    tomorrow = datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc)
    assert inside.collection(session).card(PACK, "b").due > tomorrow + timedelta(days=2)
    assert three(session.queue_counts(tomorrow)) == (3, 3, 1)  # f, g, h · a, d, e · c


def test_the_current_card_s_group_comes_from_its_state(session):
    shown = session.next(NOW, random.Random(0))
    assert shown.card_id == "a" and session.queue_counts(NOW, shown) == QueueCounts(8, 0, 0, "new")
    practice = session.present(PACK, "a", NOW, random.Random(0), mode="practice")
    assert session.queue_counts(NOW, practice).current is None  # practice is not the queue


def test_a_learning_card_shown_ahead_across_the_rollover_is_counted(session):
    """03:55 UTC, rollover 04:00: a card in its 10-minute step is due after today's end,
    but within the 20-minute learn-ahead limit the queue shows it now: it counts."""
    late = datetime(2026, 3, 3, 3, 50, tzinfo=timezone.utc)
    session.update_settings({"new_per_day": 1})
    rate(session, "a", 3, late)  # Good: the 10m step, due 04:00 — the next study day
    inside.collection(session).query("DELETE FROM undo")
    now = late + timedelta(minutes=5)
    shown = session.next(now, random.Random(0))
    assert shown is not None and shown.card_id == "a"  # learn-ahead: it is shown
    c = session.queue_counts(now, shown)
    assert (three(c), c.current) == ((0, 1, 0), "learning")


def test_buried_and_suspended_cards_are_not_counted(session):
    inside.study(session).bury(PACK, "a", NOW)
    inside.study(session).suspend(PACK, "b", NOW)
    assert three(session.queue_counts(NOW)) == (6, 0, 0)
    session.undo()  # the suspension
    assert three(session.queue_counts(NOW)) == (7, 0, 0)
    assert three(session.queue_counts(datetime(2026, 3, 3, 4, 0, tzinfo=timezone.utc))) == (8, 0, 0)


def test_the_limits_hold_across_packs(collection, add_pack):
    """Two packs, each with 3 review cards due and 3 new: the day's limits (2 new, 4 reviews)
    bound the totals, not each pack alone."""
    from quizact.scheduling import Study

    study = Study(collection)
    month_ago = NOW - timedelta(days=30)
    for pack in ("p", "q"):
        ids = add_pack(collection, 6, pack_id=pack, now=month_ago)
        for card_id in ids[:3]:
            study.rate(pack, card_id, 4, month_ago)
    collection.update_settings(new_per_day=2, reviews_per_day=4)
    assert three(study.queue_counts(NOW)) == (2, 0, 4)
    per_pack = study.counts(NOW)["packs"]
    assert per_pack["p"] == per_pack["q"] == {"new": 2, "learning": 0, "due": 3}  # each pack alone
    study.rate("p", "c0000", 3, NOW)  # one review done: 3 of the 5 still due
    assert three(study.queue_counts(NOW)) == (2, 0, 3)
