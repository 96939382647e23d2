"""Multi-step undo restores card rows exactly, removes review rows, survives a restart."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from quizact.scheduling import Study
from quizact.storage import CardRow, Collection
from quizact.storage.journal import UNDO_DEPTH


def snapshot(col):
    rows = col.query("SELECT * FROM cards ORDER BY pack_id, card_id")
    reviews = col.query("SELECT * FROM reviews ORDER BY id")
    return rows, reviews


def random_action(study, rng, ids, t):
    card = rng.choice(ids)
    roll = rng.random()
    if roll < 0.1:
        study.bury("p", card, t)
        return "bury"
    if roll < 0.15:
        study.suspend("p", card, t)
        return "suspend"
    if roll < 0.2:
        study.unsuspend("p", card, t)
        return "unsuspend"
    study.rate("p", card, rng.choice([1, 2, 3, 3, 4]), t)
    return "rate"


def test_forty_steps_undone_one_by_one(collection, study, add_pack, now):
    ids = add_pack(collection, 6)
    rng = random.Random(11)
    history, actions, t = [], [], now
    for _ in range(40):
        history.append(snapshot(collection))
        actions.append(random_action(study, rng, ids, t))
        t += timedelta(minutes=rng.choice([1, 11, 60 * 24 * 3]))
    assert set(actions) == {"rate", "bury", "suspend", "unsuspend"}
    assert study.undo_depth() == 40
    for expected, action in zip(reversed(history), reversed(actions)):
        entry = study.undo()
        assert entry is not None and entry.action == action
        assert snapshot(collection) == expected  # full card rows and the review log
    assert study.undo() is None
    assert all(collection.card("p", i).is_new for i in ids)


def test_undo_survives_a_restart(tmp_path, add_pack, now):
    path = tmp_path / "c.sqlite"
    with Collection.open(path) as col:
        add_pack(col, 2)
        before = snapshot(col)
        Study(col).rate("p", "c0000", 3, now)
        Study(col).bury("p", "c0001", now)
    with Collection.open(path) as col:
        study = Study(col)
        assert [study.undo().action, study.undo().action] == ["bury", "rate"]
        assert snapshot(col) == before


def test_undo_gives_the_new_card_back_to_today(collection, study, add_pack, now):
    collection.update_settings(new_per_day=1)
    add_pack(collection, 2)
    study.rate("p", "c0000", 3, now)
    assert study.counts(now)["total"]["new"] == 0
    study.undo()
    assert study.counts(now)["total"]["new"] == 1 and study.next_card(now) == ("p", "c0000")


def test_journal_keeps_the_latest_entries(collection, study, add_pack, now):
    add_pack(collection, 1)
    for i in range(UNDO_DEPTH + 20):
        study.suspend("p", "c0000", now + timedelta(seconds=i))
    assert study.undo_depth() == UNDO_DEPTH


def test_undo_restores_a_leech(collection, study, add_pack, now):
    collection.update_settings(leech_threshold=1)
    add_pack(collection, 1)
    t = study.rate("p", "c0000", 4, now).due
    before = collection.card_row("p", "c0000")
    assert study.rate("p", "c0000", 1, t).leech
    study.undo()
    assert collection.card_row("p", "c0000") == before


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 5000)), min_size=1, max_size=30))
def test_undoing_everything_restores_the_start(ops):
    now = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)
    with Collection.open(":memory:") as col:
        col.sync_pack("p", "P", 1, "builtin", [CardRow(f"c{i}", "recall") for i in range(4)], now=now)
        study, start = Study(col), snapshot(col)
        t = now
        for card, action, minutes in ops:
            t += timedelta(minutes=minutes)
            if action == 0:
                study.bury("p", f"c{card}", t)
            elif action == 4:
                study.suspend("p", f"c{card}", t)
            else:
                study.rate("p", f"c{card}", action, t)
        while study.undo() is not None:
            pass
        assert snapshot(col) == start
