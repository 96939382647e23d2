"""Each setting changes what scheduling does: maximum interval, leech action, new-card
order, rollover hour, and a preset that applies only to its pack."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import fsrs
import pytest

from quizact.scheduling import Rating, Study
from quizact.storage import CardRow, Collection
from quizact.storage.timeutil import iso

LONG = dict(stability=1000.0, difficulty=5.0)  # a well-known card: fsrs proposes years


def make_review(col: Collection, pack_id: str, card_id: str, now: datetime, **state) -> fsrs.Card:
    """Put a card in review, last seen 400 days ago and due now (written to the real file)."""
    last = now - timedelta(days=400)
    s = {**LONG, **state}
    with col.transaction() as conn:
        conn.execute(
            "UPDATE cards SET state = 2, step = NULL, stability = ?, difficulty = ?, due = ?, last_review = ?, "
            "reps = 5 WHERE pack_id = ? AND card_id = ?",
            (s["stability"], s["difficulty"], iso(now), iso(last), pack_id, card_id),
        )
    return fsrs.Card(card_id=1, state=fsrs.State.Review, stability=s["stability"], difficulty=s["difficulty"],
                     due=now, last_review=last)  # fmt: skip


def fsrs_days(card: fsrs.Card, rating: Rating, now: datetime, **scheduler) -> int:
    """The interval fsrs alone gives (no fuzz), in days."""
    after, _ = fsrs.Scheduler(enable_fuzzing=False, **scheduler).review_card(card, rating, now)
    return round((after.due - now) / timedelta(days=1))


# -- maximum interval -------------------------------------------------------------------------


def test_maximum_interval_caps_what_fsrs_proposes(collection, study, add_pack, now):
    add_pack(collection, 2)
    card = make_review(collection, "p", "c0000", now)
    make_review(collection, "p", "c0001", now)
    uncapped = fsrs_days(card, Rating.Good, now)
    assert uncapped > 1000  # fsrs alone: years
    assert fsrs_days(card, Rating.Good, now, maximum_interval=180) == 180

    collection.update_settings(maximum_interval=180)
    preview = study.preview_intervals(("p", "c0000"), now)
    assert preview[Rating.Good] == timedelta(days=180)
    assert preview[Rating.Easy] == timedelta(days=180)  # "Easy longer than Good" stops at the cap
    for card_id, rating in (("c0000", Rating.Good), ("c0001", Rating.Easy)):
        result = study.rate("p", card_id, rating, now)  # fuzzed, but never past the cap
        assert timedelta(days=160) <= result.interval <= timedelta(days=180)
        assert result.due - now <= timedelta(days=180, hours=24)  # on the 180th study day at the latest


def test_without_the_cap_the_same_card_gets_the_long_interval(collection, study, add_pack, now):
    add_pack(collection, 1)
    card = make_review(collection, "p", "c0000", now)
    assert study.preview_intervals(("p", "c0000"), now)[Rating.Good] == timedelta(
        days=fsrs_days(card, Rating.Good, now)
    )


# -- leeches ---------------------------------------------------------------------------------


def lapse_until_leech(study: Study, now: datetime, threshold: int):
    t = study.rate("p", "c0000", Rating.Easy, now).due  # straight to review
    for i in range(threshold):
        result = study.rate("p", "c0000", Rating.Again, t)
        assert result.lapses == i + 1 and result.leech == (i + 1 == threshold)
        if not result.leech:
            t = study.rate("p", "c0000", Rating.Good, result.due).due
    return result, t


def test_leech_suspended_by_default(collection, study, add_pack, now):
    collection.update_settings(leech_threshold=2)
    add_pack(collection, 1)
    result, t = lapse_until_leech(study, now, 2)
    assert result.suspended
    card = collection.card("p", "c0000")
    assert card.suspended and card.flags == ("leech",)
    assert study.next_card(t + timedelta(days=30)) is None


def test_leech_action_tag_only_tags(collection, study, add_pack, now):
    collection.update_settings(leech_threshold=2, leech_action="tag")
    add_pack(collection, 1)
    result, t = lapse_until_leech(study, now, 2)
    assert result.leech and not result.suspended
    card = collection.card("p", "c0000")
    assert not card.suspended and card.flags == ("leech",)
    assert study.next_card(result.due) == ("p", "c0000")  # still studied


def test_a_pack_preset_leech_action(collection, study, add_pack, now):
    """The leech action of the card's pack's preset is the one applied."""
    from quizact.storage.settings import edit

    add_pack(collection, 1)
    s = edit(collection.settings(), {"leech_threshold": 1, "leech_action": "tag"}, pack_id="p")
    collection.update_settings(**s.to_dict())
    result, _ = lapse_until_leech(study, now, 1)
    assert result.leech and not collection.card("p", "c0000").suspended


# -- new-card order ---------------------------------------------------------------------------

TAGGED = [("n0", ("kappa",)), ("n1", ("alpha",)), ("n2", ()), ("n3", ("alpha", "zeta")), ("n4", ("beta",))]


def new_order(col: Collection, now: datetime) -> list[str]:
    """Walk the new cards as the queue gives them (burying each to reach the next)."""
    study, seen = Study(col), []
    while (found := study.next_card(now)) is not None:
        seen.append(found[1])
        study.bury(*found, now)
    return seen


@pytest.fixture
def tagged(collection, now):
    rows = [CardRow(c, "recall", tags, "h") for c, tags in TAGGED]
    collection.sync_pack("p", "P", 1, "builtin", rows, now=now)
    return collection


def test_pack_order_is_the_order_in_the_pack_file(tagged, now):
    assert new_order(tagged, now) == ["n0", "n1", "n2", "n3", "n4"]


def test_tag_order_groups_by_first_tag(tagged, now):
    tagged.update_settings(new_card_order="tag")
    # alpha (n1, n3 in pack order), beta, kappa, then the untagged card
    assert new_order(tagged, now) == ["n1", "n3", "n4", "n0", "n2"]


def test_random_order_is_steady_within_a_day_and_changes_between_days(db_path, tmp_path, now):
    ids = [f"c{i:02d}" for i in range(20)]

    def walk(path, when):
        with Collection.open(path) as col:
            col.sync_pack("p", "P", 1, "builtin", [CardRow(i, "recall", (), "h") for i in ids], now=when)
            col.update_settings(new_card_order="random", new_per_day=100)
            return new_order(col, when)

    today = walk(tmp_path / "a.sqlite", now)
    assert sorted(today) == ids and today != ids
    assert walk(tmp_path / "b.sqlite", now + timedelta(hours=3)) == today  # same study day
    assert walk(tmp_path / "c.sqlite", now + timedelta(days=1)) != today


def test_new_card_order_respects_the_daily_limit(tagged, now):
    tagged.update_settings(new_card_order="tag", new_per_day=2)
    study = Study(tagged)
    got = []
    for _ in range(3):
        found = study.next_card(now)
        if found is None:
            break
        got.append(found[1])
        study.rate(*found, Rating.Easy, now)  # introduced: counts against today's limit
    assert got == ["n1", "n3"]


# -- rollover hour -----------------------------------------------------------------------------


def test_rollover_hour_moves_a_review_across_the_study_day_boundary(collection, study, add_pack):
    add_pack(collection, 1)
    due = datetime(2026, 3, 10, 15, 30, tzinfo=timezone.utc)
    make_review(collection, "p", "c0000", due)
    early = datetime(2026, 3, 10, 0, 30, tzinfo=timezone.utc)  # 15 hours before it is due
    # rollover 4:00 UTC: 00:30 belongs to the study day of March 9, ending March 10 04:00
    assert study.next_card(early) is None
    assert study.counts(early)["total"]["due"] == 0
    # rollover 16:00: the study day of March 9 runs until March 10 16:00, past 15:30
    collection.update_settings(rollover_hour=16)
    assert study.day(early).end == datetime(2026, 3, 10, 16, tzinfo=timezone.utc)
    assert study.next_card(early) == ("p", "c0000")
    assert study.counts(early)["total"]["due"] == 1


def test_rollover_hour_sets_the_day_a_review_is_due(collection, study, add_pack):
    """A 1-day interval from 02:00 UTC lands on the next study day: with rollover 4 that
    is the day starting at 04:00 the same morning (02:00 is still yesterday)."""
    add_pack(collection, 2)
    at = datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc)
    for card_id, hour in (("c0000", 4), ("c0001", 0)):
        collection.update_settings(rollover_hour=hour)
        make_review(collection, "p", card_id, at, stability=1.0)
        collection.update_settings(maximum_interval=1)
        result = study.rate("p", card_id, Rating.Good, at)
        collection.update_settings(maximum_interval=36500)
        assert result.interval == timedelta(days=1)
        start = study.day(result.due).start
        assert start == datetime(2026, 3, 10 if hour == 4 else 11, hour, tzinfo=timezone.utc)


# -- presets -------------------------------------------------------------------------------------


def test_a_preset_applies_only_to_its_pack(collection, study, add_pack, now):
    from quizact.storage.settings import edit

    add_pack(collection, 1, "p")
    add_pack(collection, 1, "q")
    card = make_review(collection, "p", "c0000", now)
    make_review(collection, "q", "c0000", now)
    s = edit(collection.settings(), {"maximum_interval": 30}, pack_id="p")
    collection.update_settings(**s.to_dict())
    assert collection.settings().pack_presets == {"p": "p"}
    assert study.preview_intervals(("p", "c0000"), now)[Rating.Good] == timedelta(days=30)
    assert study.preview_intervals(("q", "c0000"), now)[Rating.Good] == timedelta(
        days=fsrs_days(card, Rating.Good, now)
    )
    assert study.rate("p", "c0000", Rating.Good, now).interval <= timedelta(days=30)
    assert study.rate("q", "c0000", Rating.Good, now).interval > timedelta(days=1000)


def test_a_shared_preset_and_back_to_default(collection, study, add_pack, now):
    from quizact.storage.settings import edit

    for pack in ("p", "q", "r"):
        add_pack(collection, 1, pack)
        make_review(collection, pack, "c0000", now)
    s = edit(collection.settings(), {"maximum_interval": 60}, pack_id="p", preset="short")
    s = edit(s, {}, pack_id="q", preset="short")
    collection.update_settings(**s.to_dict())
    got = {p: study.preview_intervals((p, "c0000"), now)[Rating.Good].days for p in "pqr"}
    assert got["p"] == got["q"] == 60 and got["r"] > 1000
    collection.update_settings(**edit(collection.settings(), {}, pack_id="q", preset="default").to_dict())
    assert study.preview_intervals(("q", "c0000"), now)[Rating.Good].days > 1000
