"""Pack updates: history follows a card's id through adds, edits, removals and renames."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizact.scheduling import Study
from quizact.storage import CardRow, CollectionError, SyncError


def history(col, pack_id, card_id):
    return col.query(
        "SELECT id, rating FROM reviews WHERE pack_id = ? AND card_id = ? ORDER BY id", (pack_id, card_id)
    )


@pytest.fixture
def studied(collection, now, make_cards):
    """Pack p with cards a, b, c; a and b reviewed twice."""
    collection.sync_pack("p", "P", 1, "builtin", make_cards("a", "b", "c"), now=now)
    study = Study(collection)
    for card_id in ("a", "b"):
        study.rate("p", card_id, 3, now)
        study.rate("p", card_id, 3, now + timedelta(minutes=15))
    return collection


def test_install_adds_new_cards_in_order(collection, now, make_cards):
    report = collection.sync_pack("p", "P", 1, "builtin", make_cards("x", "y"), now=now, content_hash="H")
    assert report.added == ("x", "y") and not report.updated and not report.retired
    (info,) = collection.list_packs()
    assert (info.pack_id, info.name, info.version, info.cards, info.content_hash) == ("p", "P", 1, 2, "H")
    x, y = collection.cards("p")
    assert x.is_new and x.position < y.position and x.tags == ("t",)


def test_resync_is_unchanged(studied, now, make_cards):
    before = [studied.card_row("p", c) for c in "abc"]
    report = studied.sync_pack("p", "P", 1, "builtin", make_cards("a", "b", "c"), now=now)
    assert report.unchanged == ("a", "b", "c") and not (report.added or report.updated or report.retired)
    assert [studied.card_row("p", c) for c in "abc"] == before


def test_changed_content_keeps_state_and_history(studied, now, make_cards):
    before = studied.card_row("p", "a")
    cards = [CardRow("a", "symbolic", ("new-tag",), "h2"), *make_cards("b", "c")]
    report = studied.sync_pack("p", "P", 2, "builtin", cards, now=now)
    assert report.updated == ("a",) and report.unchanged == ("b", "c")
    after = studied.card_row("p", "a")
    assert (after["kind"], after["tags"], after["content_hash"]) == ("symbolic", '["new-tag"]', "h2")
    sched = ("state", "stability", "difficulty", "due", "reps", "last_review")
    assert {k: after[k] for k in sched} == {k: before[k] for k in sched}
    assert len(history(studied, "p", "a")) == 2
    assert studied.list_packs()[0].version == 2


def test_removed_card_is_retired_with_history_and_comes_back(studied, now, make_cards):
    report = studied.sync_pack("p", "P", 2, "builtin", make_cards("b", "c", "d"), now=now)
    assert report.retired == ("a",) and report.added == ("d",)
    assert [c.card_id for c in studied.cards("p")] == ["b", "c", "d"]
    assert studied.card("p", "a").retired and len(history(studied, "p", "a")) == 2
    study = Study(studied)
    seen = set()
    t = now + timedelta(days=400)
    while (key := study.next_card(t)) is not None:
        seen.add(key[1])
        study.rate(*key, 4, t)
    assert "a" not in seen
    state_before = studied.card_row("p", "a")["stability"]
    report = studied.sync_pack("p", "P", 3, "builtin", make_cards("a", "b", "c", "d"), now=now)
    assert report.added == ("a",)
    a = studied.card("p", "a")
    assert not a.retired and a.stability == state_before and a.reps == 2


def test_rename_moves_state_and_history(studied, now, make_cards):
    before = studied.card_row("p", "a")
    old_history = history(studied, "p", "a")
    report = studied.sync_pack("p", "P", 2, "builtin", make_cards("alpha", "b", "c"), {"a": "alpha"}, now=now)
    assert report.renamed == (("a", "alpha"),) and report.unchanged == ("alpha", "b", "c")
    assert not report.added and not report.retired
    assert studied.card_row("p", "a") is None
    assert studied.card_row("p", "alpha") == {**before, "card_id": "alpha"}
    assert history(studied, "p", "alpha") == old_history and history(studied, "p", "a") == []
    # applying the same update again is harmless
    again = studied.sync_pack("p", "P", 2, "builtin", make_cards("alpha", "b", "c"), {"a": "alpha"}, now=now)
    assert again.renamed == () and again.unchanged == ("alpha", "b", "c")
    # undo still finds the renamed card (the last two entries are b's ratings)
    undone = [Study(studied).undo() for _ in range(3)]
    assert [(u.card_id, u.action) for u in undone] == [("b", "rate"), ("b", "rate"), ("alpha", "rate")]
    assert studied.card("p", "alpha").reps == 1 and len(history(studied, "p", "alpha")) == 1


def test_rename_onto_a_reviewed_card_is_refused(studied, now, make_cards):
    with pytest.raises(SyncError, match="'b' already has review history"):
        studied.sync_pack("p", "P", 2, "builtin", make_cards("b", "c"), {"a": "b"}, now=now)
    assert studied.card("p", "a").reps == 2  # nothing applied


def test_rename_onto_an_unreviewed_card_replaces_it(studied, now, make_cards):
    report = studied.sync_pack("p", "P", 2, "builtin", make_cards("b", "c"), {"a": "c"}, now=now)
    assert report.renamed == (("a", "c"),)
    assert studied.card("p", "c").reps == 2


def test_bad_pack_data_is_refused(collection, now, make_cards):
    with pytest.raises(SyncError, match="duplicate card id"):
        collection.sync_pack("p", "P", 1, "builtin", make_cards("a", "a"), now=now)
    with pytest.raises(SyncError, match="still present"):
        collection.sync_pack("p", "P", 1, "builtin", make_cards("a", "b"), {"a": "b"}, now=now)
    assert collection.list_packs(include_removed=True) == []


def test_remove_keeps_history_and_readd_restores(studied, now, make_cards):
    studied.remove_pack("p")
    assert studied.list_packs() == [] and studied.list_packs(include_removed=True)[0].removed
    assert Study(studied).next_card(now + timedelta(days=400)) is None
    assert Study(studied).counts(now)["total"] == {"new": 0, "learning": 0, "due": 0}
    assert len(history(studied, "p", "a")) == 2
    report = studied.sync_pack("p", "P", 1, "builtin", make_cards("a", "b", "c"), now=now)
    assert report.added == ("a", "b", "c") and studied.card("p", "a").reps == 2


def test_purge_deletes_everything(studied):
    studied.remove_pack("p", purge=True)
    assert studied.list_packs(include_removed=True) == []
    for table in ("cards", "reviews", "undo"):
        assert studied.query_one(f"SELECT count(*) FROM {table}")[0] == 0
    with pytest.raises(CollectionError, match="no pack 'p'"):
        studied.remove_pack("p")


def test_packs_are_independent(collection, now, make_cards):
    collection.sync_pack("p", "P", 1, "builtin", make_cards("a"), now=now)
    collection.sync_pack("q", "Q", 1, "/home/me/q.yaml", make_cards("a"), now=now)
    collection.sync_pack("p", "P", 2, "builtin", make_cards("b"), now=now)
    assert [c.card_id for c in collection.cards("q")] == ["a"]
    packs = [(p.pack_id, p.source) for p in collection.list_packs()]
    assert packs == [("p", "builtin"), ("q", "/home/me/q.yaml")]


def test_large_pack_syncs_quickly(collection, now, make_cards):
    import time

    ids = [f"card-{i}" for i in range(10_000)]
    start = time.perf_counter()
    collection.sync_pack("big", "Big", 1, "builtin", make_cards(*ids), now=now)
    report = collection.sync_pack("big", "Big", 2, "builtin", make_cards(*ids[1:], "extra"), now=now)
    assert time.perf_counter() - start < 2.0
    assert report.retired == ("card-0",) and report.added == ("extra",) and len(report.unchanged) == 9_999


def test_cards_by_tag(collection, now):
    collection.sync_pack(
        "p", "P", 1, "builtin",
        [CardRow("a", "recall", ("backprop",)), CardRow("b", "recall", ("relu", "backprop")),
         CardRow("c", "recall")],
        now=now,
    )  # fmt: skip
    assert [c.card_id for c in collection.cards(tag="backprop")] == ["a", "b"]
    assert collection.card("p", "b").to_dict()["tags"] == ["relu", "backprop"]
