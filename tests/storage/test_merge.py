"""Merging two copies of one collection that diverged (a laptop and a desktop).

The copies are made with the real Session over real files and the sample pack; expected
states come from an independent replay through ``fsrs.Scheduler`` written here (not
quizact's scheduling code), and expected review sets from reading both files directly.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler, State

from quizact.session import Session
from quizact.storage import schema
from quizact.storage.merge import MergeError, Replayer
from quizact.storage.settings import Settings
from tests import inside
from tests.conftest import NOW, SAMPLE

PACK = "quizact-sample"
RELU, RANGE, DERIV, SLOPE, BACKPROP = (
    "relu-definition", "sigmoid-range", "sigmoid-derivative", "sigmoid-slope-at-z", "backprop-relu-mse",
)  # fmt: skip
EVENT = "pack_id, card_id, reviewed_at, mode, rating, status, score, answers, seed, duration_ms, retried"
SCHED = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
G, H, A, E = Rating.Good, Rating.Hard, Rating.Again, Rating.Easy
DAY, MIN = timedelta(days=1), timedelta(minutes=1)


# -- building the copies through the real Session -------------------------------------------


def open_session(path: Path, sources=(SAMPLE,)) -> Session:
    return Session.open(path, NOW, sources=list(sources))


def study(session: Session, card_id: str, plan, start: datetime = NOW, pack: str = PACK) -> None:
    """Rate ``card_id`` at ``start + offset`` for each (offset, rating) of ``plan``."""
    rng = random.Random(card_id)
    for offset, rating in plan:
        when = start + offset
        shown = session.present(pack, card_id, when - timedelta(seconds=7), rng)
        session.rate(shown, rating, when)


def study_graded(session: Session, card_id: str, when: datetime) -> None:
    """Answer the card right through the grader and rate what it proposes."""
    from quizact.grading.card import expected_answers

    shown = session.present(PACK, card_id, when - timedelta(seconds=20), random.Random(5))
    graded = session.submit(shown, expected_answers(shown.card, shown.variant), when)
    session.rate(shown, graded.proposed, when, graded=graded, answers=list(expected_answers(shown.card, shown.variant)))


LEARN = [(0 * MIN, G), (2 * MIN, G), (15 * MIN, G)]  # through both learning steps into review


@pytest.fixture
def origin(tmp_path) -> Path:
    """One collection with some shared history: the file both machines start from."""
    path = tmp_path / "origin.sqlite3"
    s = open_session(path)
    study(s, RELU, [*LEARN, (4 * DAY, G)])
    study(s, RANGE, LEARN)
    s.close()
    return path


def copy(src: Path, dest: Path) -> Path:
    shutil.copy(src, dest)
    return dest


@pytest.fixture
def diverged(origin, tmp_path) -> tuple[Path, Path]:
    """Laptop and desktop copies of ``origin`` that each went on studying: different cards
    on each, and the same card (relu-definition, sigmoid-range) on both."""
    laptop, desktop = copy(origin, tmp_path / "laptop.sqlite3"), copy(origin, tmp_path / "desktop.sqlite3")
    s = open_session(laptop)
    study(s, RELU, [(12 * DAY, G), (30 * DAY, A), (30 * DAY + 11 * MIN, G)])
    study(s, RANGE, [(5 * DAY, H)])
    study(s, DERIV, [*LEARN, (3 * DAY, E)], start=NOW + 2 * DAY)
    s.close()
    s = open_session(desktop)
    study(s, RELU, [(11 * DAY, H), (20 * DAY, G)])
    study(s, RANGE, [(6 * DAY, A), (6 * DAY + 10 * MIN, G)])
    study(s, SLOPE, [(0 * MIN, A), (1 * MIN, G), (12 * MIN, G), (5 * DAY, G)], start=NOW + DAY)
    study_graded(s, SLOPE, NOW + 12 * DAY)
    shown = s.present(PACK, BACKPROP, NOW + 3 * DAY, random.Random(2), mode="practice")
    s.rate(shown, Rating.Again, NOW + 3 * DAY + MIN)  # a practice attempt: logged, schedule untouched
    s.close()
    return laptop, desktop


# -- reading files directly ------------------------------------------------------------------


def events(path: Path) -> list[tuple]:
    """Every review of ``path`` as the event it records, sorted (duplicates kept)."""
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(f"SELECT {EVENT} FROM reviews"), key=repr)


def card_rows(path: Path) -> dict[str, dict]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return {r["card_id"]: dict(r) for r in conn.execute("SELECT * FROM cards")}


def dump(path: Path) -> tuple:
    """Everything a merge could change: reviews (with ids), cards, undo, meta, settings."""
    with sqlite3.connect(path) as conn:
        return tuple(
            conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in ("reviews", "cards", "undo", "meta", "settings", "packs")
        )


def union(*paths: Path) -> list[tuple]:
    return sorted({e for p in paths for e in events(p)}, key=repr)


# -- an independent replay: fsrs.Scheduler with the collection's (default) settings -----------

DEFAULT_SETTINGS = Settings()


def expected_state(
    log: list[tuple], settings: Settings = DEFAULT_SETTINGS, steps=(timedelta(minutes=1), timedelta(minutes=10))
) -> dict:
    """Replay one card's review-mode events (``EVENT`` tuples) in time order with fsrs.

    Written from the documented behaviour, not from quizact.scheduling: a new card is
    fsrs' fresh card due at its first review; each review draws its fuzz from Python's
    random seeded by "pack NUL card NUL instant"; Easy on a review never gives fewer days
    than the unfuzzed Easy, and more than Good (Anki's rule); a lapse is Again on a card in
    review. The collection's zone is UTC, so a day-scale due is the instant plus N days.
    """
    kwargs = dict(
        parameters=settings.fsrs_parameters or Scheduler().parameters,
        desired_retention=settings.desired_retention,
        learning_steps=steps,
        relearning_steps=(timedelta(minutes=10),),
        maximum_interval=settings.maximum_interval,
    )
    fuzzed, plain = Scheduler(**kwargs, enable_fuzzing=True), Scheduler(**kwargs, enable_fuzzing=False)
    log = sorted((e for e in log if e[3] == "review"), key=lambda e: e[2])
    card, reps, lapses = None, 0, 0
    for pack_id, card_id, at, _mode, rating, *_rest, duration, _retried in log:
        now = datetime.fromisoformat(at).astimezone(timezone.utc)
        card = card or Card(card_id=0, due=now)
        lapses += card.state == State.Review and rating == 1
        random.seed(f"{pack_id}\x00{card_id}\x00{at}")
        new = fuzzed.review_card(card, Rating(rating), now, duration)[0]
        if new.state == State.Review and rating == 4:
            easy, good = unfuzzed(plain, card, Rating.Easy, now), unfuzzed(plain, card, Rating.Good, now)
            if easy <= good:
                easy = max(good, timedelta(days=min(max(1, good // DAY) + 1, settings.maximum_interval)))
            new.due = now + DAY * max(round((new.due - now) / DAY), round(easy / DAY))
        card, reps = new, reps + 1
    assert card is not None
    return {
        "state": int(card.state), "step": card.step, "stability": card.stability,
        "difficulty": card.difficulty, "due": card.due.isoformat(timespec="microseconds"),
        "last_review": card.last_review.isoformat(timespec="microseconds"), "reps": reps, "lapses": lapses,
    }  # fmt: skip


def unfuzzed(plain: Scheduler, card: Card, rating: Rating, now: datetime) -> timedelta:
    """The interval fsrs gives without fuzz: whole days when it lands in review."""
    new = plain.review_card(card, rating, now)[0]
    days = round((new.due - now) / DAY)
    return DAY * days if new.state == State.Review and days >= 1 else new.due - now


def card_log(events_: list[tuple], card_id: str) -> list[tuple]:
    return [e for e in events_ if e[1] == card_id]


def sched(row: dict) -> dict:
    return {c: row[c] for c in SCHED}


# -- the tests -------------------------------------------------------------------------------


def test_a_replay_of_an_unmerged_copy_equals_its_stored_state(diverged):
    laptop, desktop = diverged
    for path in (laptop, desktop):
        evs, rows = events(path), card_rows(path)
        studied = {e[1] for e in evs if e[3] == "review"}
        assert studied >= {RELU, RANGE}
        replay = Replayer(Settings())
        try:
            for card_id in studied:
                log = card_log(evs, card_id)
                assert sched(rows[card_id]) == expected_state(log), (path.name, card_id)
                reviews = sorted((e for e in log if e[3] == "review"), key=lambda e: e[2])
                ours = [dict(zip(EVENT.split(", "), e)) for e in reviews]
                assert replay.run(PACK, card_id, ours)[0] == sched(rows[card_id]), (path.name, card_id)
        finally:
            replay.close()


def test_diverged_copies_merge_to_the_union_with_states_from_an_independent_replay(diverged, tmp_path):
    laptop, desktop = diverged
    expected_events = union(laptop, desktop)
    shared = set(events(laptop)) & set(events(desktop))
    assert len(shared) == 7  # origin's history: relu-definition 4 reviews, sigmoid-range 3
    laptop_only, laptop_before = len(set(events(laptop)) - shared), len(events(laptop))
    s = open_session(laptop)
    try:
        report = s.merge_from(desktop, NOW + 40 * DAY)
    finally:
        s.close()
    assert report.added == len(expected_events) - laptop_before == len(events(desktop)) - len(shared)
    assert report.duplicates == len(shared)
    assert set(report.recomputed) == {(PACK, RELU), (PACK, RANGE), (PACK, SLOPE)}  # practice-only BACKPROP: no
    assert laptop_only == 8
    assert events(laptop) == expected_events  # every review once: no duplicates
    rows = card_rows(laptop)
    for card_id in (RELU, RANGE, DERIV, SLOPE):
        assert sched(rows[card_id]) == expected_state(card_log(expected_events, card_id)), card_id
    assert rows[BACKPROP]["state"] == 0  # practice never schedules
    assert report.backup and Path(report.backup).parent == laptop.parent / "backups"


def test_merging_both_ways_gives_both_copies_the_same_reviews_and_states(diverged, tmp_path):
    laptop, desktop = diverged
    laptop0, desktop0 = copy(laptop, tmp_path / "l0.sqlite3"), copy(desktop, tmp_path / "d0.sqlite3")
    for target, other in ((laptop, desktop0), (desktop, laptop0)):
        s = open_session(target)
        try:
            s.merge_from(other, NOW + 40 * DAY)
        finally:
            s.close()
    assert events(laptop) == events(desktop) == union(laptop0, desktop0)
    lrows, drows = card_rows(laptop), card_rows(desktop)
    assert {k: sched(v) for k, v in lrows.items()} == {k: sched(v) for k, v in drows.items()}


def test_merging_twice_changes_nothing_more(diverged):
    laptop, desktop = diverged
    s = open_session(laptop)
    try:
        first = s.merge_from(desktop, NOW + 40 * DAY)
        after_first = dump(laptop)
        second = s.merge_from(desktop, NOW + 41 * DAY)
    finally:
        s.close()
    assert first.added > 0
    assert (second.added, second.recomputed, second.backup) == (0, (), None)
    assert second.duplicates == len(events(desktop))
    assert dump(laptop) == after_first


def test_the_same_reviews_on_both_sides_add_nothing(origin, tmp_path):
    twin = copy(origin, tmp_path / "twin.sqlite3")
    before = dump(origin)
    s = open_session(origin)
    try:
        report = s.merge_from(twin, NOW + 10 * DAY)
    finally:
        s.close()
    assert (report.added, report.duplicates, report.recomputed) == (0, 7, ())
    assert dump(origin) == before
    assert not (origin.parent / "backups").exists()  # nothing to merge: nothing written


def test_disjoint_reviews_are_all_copied_and_the_other_cards_take_the_other_state(tmp_path):
    fresh = tmp_path / "fresh.sqlite3"
    open_session(fresh).close()
    laptop, desktop = copy(fresh, tmp_path / "l.sqlite3"), copy(fresh, tmp_path / "d.sqlite3")
    s = open_session(laptop)
    study(s, RELU, [*LEARN, (3 * DAY, G)])
    s.close()
    s = open_session(desktop)
    study(s, DERIV, [*LEARN, (2 * DAY, A), (2 * DAY + 10 * MIN, G)])
    study(s, RANGE, LEARN, start=NOW + DAY)
    s.close()
    desktop_rows, laptop_rows = card_rows(desktop), card_rows(laptop)
    expected_events = union(laptop, desktop)
    s = open_session(laptop)
    try:
        report = s.merge_from(desktop, NOW + 5 * DAY)
    finally:
        s.close()
    assert (report.added, report.duplicates) == (8, 0)
    assert set(report.recomputed) == {(PACK, DERIV), (PACK, RANGE)}
    assert events(laptop) == expected_events and len(expected_events) == 12
    rows = card_rows(laptop)
    assert rows[RELU] == laptop_rows[RELU]  # untouched
    for card_id in (DERIV, RANGE):
        assert sched(rows[card_id]) == sched(desktop_rows[card_id])
        assert sched(rows[card_id]) == expected_state(card_log(events(desktop), card_id))


def test_the_targets_suspended_and_buried_flags_are_kept(diverged):
    laptop, desktop = diverged
    s = open_session(laptop)
    later = NOW + 31 * DAY
    inside.study(s).suspend(PACK, RANGE, later)
    inside.study(s).bury(PACK, RELU, later)
    buried = card_rows(laptop)[RELU]["buried_until"]
    try:
        s.merge_from(desktop, later)
    finally:
        s.close()
    rows = card_rows(laptop)
    assert rows[RANGE]["suspended"] == 1 and rows[RELU]["buried_until"] == buried
    evs = union(laptop)
    assert sched(rows[RANGE]) == expected_state(card_log(evs, RANGE))


def test_undo_after_a_merge_leaves_recomputed_cards_alone(diverged):
    laptop, desktop = diverged
    s = open_session(laptop)
    try:
        assert inside.study(s).undo_depth() == 15
        s.merge_from(desktop, NOW + 40 * DAY)
        merged = card_rows(laptop)[RELU]
        # DERIV (studied only on the laptop) keeps its undo entries; RELU and RANGE lost theirs
        entry = s.undo()
        assert entry is not None and entry.card_id == DERIV
        while (entry := s.undo()) is not None:
            assert entry.card_id == DERIV
    finally:
        s.close()
    assert card_rows(laptop)[RELU] == merged


def write_pack(path: Path, pack_id: str, card_ids: list[str]) -> Path:
    cards = [
        {"id": c, "kind": "recall", "tags": ["t"], "prompt": f"What is {c}?", "answer": c, "explain": c}
        for c in card_ids
    ]
    path.write_text(json.dumps({"pack": pack_id, "name": pack_id, "version": 1, "cards": cards}))
    return path


def test_cards_this_collection_lacks(tmp_path):
    """A card of a pack installed here but missing from this copy of the pack is imported
    (retired until the pack here has it); reviews of a pack not installed here are kept."""
    v1 = write_pack(tmp_path / "extra-v1.yaml", "extra", ["e1"])
    v2 = write_pack(tmp_path / "extra-v2.yaml", "extra", ["e1", "e2"])
    other_pack = write_pack(tmp_path / "other.yaml", "other", ["o1"])
    here, there = tmp_path / "here.sqlite3", tmp_path / "there.sqlite3"
    open_session(here, [v1]).close()
    s = open_session(there, [v2, other_pack])
    study(s, "e2", [*LEARN, (3 * DAY, G)], pack="extra")
    study(s, "o1", LEARN, pack="other")
    s.close()
    s = open_session(here, [v1])
    try:
        report = s.merge_from(there, NOW + 5 * DAY)
    finally:
        s.close()
    assert report.imported == (("extra", "e2"),) and report.recomputed == (("extra", "e2"),)
    assert (report.unknown, report.unknown_packs) == (3, ("other",))
    assert len(events(here)) == 7
    row = card_rows(here)["e2"]
    assert row["retired"] == 1
    assert sched(row) == expected_state(card_log(events(there), "e2"))
    # once this machine has the new version of the pack, the card comes back with its history
    s = open_session(here, [v2])
    try:
        card = inside.collection(s).card("extra", "e2")
        assert card is not None and not card.retired and card.reps == 4
    finally:
        s.close()


# -- refusals and failures -------------------------------------------------------------------


def refused(target: Path, other: Path) -> str:
    before = dump(target)
    s = open_session(target)
    try:
        with pytest.raises(MergeError) as info:
            s.merge_from(other, NOW)
    finally:
        s.close()
    assert dump(target) == before
    message = str(info.value)
    assert "\n" not in message
    return message


def test_refuses_a_file_that_is_not_a_collection(origin, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    assert refused(origin, text) == f"{text} is not a quizact collection (not an SQLite database)"
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert refused(origin, foreign) == f"{foreign} is not a quizact collection"
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert refused(origin, empty).startswith(f"{empty} is not a quizact collection")
    assert refused(origin, tmp_path) == f"{tmp_path} is a directory, not a quizact collection"
    assert refused(origin, tmp_path / "nope.sqlite3") == f"{tmp_path / 'nope.sqlite3'} does not exist"
    assert "itself" in refused(origin, origin)


def test_refuses_a_newer_schema(origin, tmp_path):
    newer = copy(origin, tmp_path / "newer.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(schema.schema_version() + 1),))
    message = refused(origin, newer)
    newer_version = schema.schema_version() + 1
    assert message.startswith(f"{newer} was written by a newer quizact (collection schema version {newer_version}")


def test_a_failure_midway_leaves_the_target_unchanged(diverged):
    laptop, desktop = diverged
    with sqlite3.connect(desktop) as conn:  # a corrupt row among the desktop's later reviews of SLOPE
        conn.execute(
            "UPDATE reviews SET reviewed_at = 'yesterday-ish' WHERE id = "
            "(SELECT max(id) FROM reviews WHERE card_id = ? AND mode = 'review')",
            (SLOPE,),
        )
    message = refused(laptop, desktop)
    assert "unreadable time ('yesterday-ish')" in message and "nothing was merged" in message
    assert "backup:" in message


def test_the_backup_is_the_target_before_the_merge(diverged):
    laptop, desktop = diverged
    before = dump(laptop)
    s = open_session(laptop)
    try:
        report = s.merge_from(desktop, NOW + 40 * DAY)
    finally:
        s.close()
    assert report.backup is not None and dump(Path(report.backup)) == before


def test_a_copied_review_that_makes_a_leech_tags_and_suspends_it_here(tmp_path):
    start = tmp_path / "start.sqlite3"
    s = open_session(start)
    s.update_settings({"leech_threshold": 2, "leech_action": "suspend"})
    study(s, RELU, LEARN)
    s.close()
    laptop, desktop = copy(start, tmp_path / "l.sqlite3"), copy(start, tmp_path / "d.sqlite3")
    s = open_session(desktop)  # two lapses: the second makes it a leech (threshold 2)
    study(s, RELU, [(3 * DAY, A), (3 * DAY + 10 * MIN, G), (6 * DAY, A)])
    s.close()
    assert card_rows(desktop)[RELU]["suspended"] == 1
    s = open_session(laptop)
    try:
        report = s.merge_from(desktop, NOW + 7 * DAY)
    finally:
        s.close()
    row = card_rows(laptop)[RELU]
    assert report.leeches == ((PACK, RELU),)
    assert row["suspended"] == 1 and json.loads(row["flags"]) == ["leech"] and row["lapses"] == 2
    assert sched(row) == sched(card_rows(desktop)[RELU])


def test_the_replay_uses_the_collections_settings(tmp_path):
    """Retention 0.8, steps 2m 20m and a 30-day maximum: the merged state is fsrs' with
    these settings, and differs from what the defaults would give."""
    start = tmp_path / "start.sqlite3"
    s = open_session(start)
    s.update_settings({"desired_retention": 0.8, "learning_steps": ("2m", "20m"), "maximum_interval": 30})
    settings = s.settings()
    s.close()
    laptop, desktop = copy(start, tmp_path / "l.sqlite3"), copy(start, tmp_path / "d.sqlite3")
    s = open_session(desktop)
    study(s, DERIV, [(0 * MIN, G), (3 * MIN, G), (25 * MIN, G), (5 * DAY, G), (20 * DAY, E)])
    s.close()
    s = open_session(laptop)
    try:
        s.merge_from(desktop, NOW + 30 * DAY)
    finally:
        s.close()
    log = card_log(events(desktop), DERIV)
    merged = sched(card_rows(laptop)[DERIV])
    custom = Settings(desired_retention=0.8, learning_steps=("2m", "20m"), maximum_interval=30)
    assert (settings.desired_retention, settings.maximum_interval) == (0.8, 30)
    want = expected_state(log, custom, steps=(timedelta(minutes=2), timedelta(minutes=20)))
    assert merged == want == sched(card_rows(desktop)[DERIV])
    assert merged != expected_state(log)


def test_an_older_schema_copy_merges_like_an_upgraded_one(diverged, tmp_path):
    """The other machine's quizact is older (schema version 1: no ``retried`` column)."""
    laptop, desktop = diverged
    laptop2 = copy(laptop, tmp_path / "laptop2.sqlite3")
    old = copy(desktop, tmp_path / "old.sqlite3")
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT count(*) FROM reviews WHERE retried <> 0").fetchone() == (0,)
        conn.execute("DROP INDEX idx_cards_aside")
        conn.execute("ALTER TABLE reviews DROP COLUMN retried")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    for target, other in ((laptop, desktop), (laptop2, old)):
        s = open_session(target)
        try:
            s.merge_from(other, NOW + 40 * DAY)
        finally:
            s.close()
    assert events(laptop2) == events(laptop)
    assert {k: sched(v) for k, v in card_rows(laptop2).items()} == {k: sched(v) for k, v in card_rows(laptop).items()}


def test_the_other_file_is_left_as_it_was(diverged):
    import hashlib

    laptop, desktop = diverged
    digest = hashlib.sha256(desktop.read_bytes()).hexdigest()
    files = sorted(p.name for p in desktop.parent.glob("desktop*"))
    s = open_session(laptop)
    try:
        s.merge_from(desktop, NOW + 40 * DAY)
    finally:
        s.close()
    assert hashlib.sha256(desktop.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in desktop.parent.glob("desktop*")) == files == ["desktop.sqlite3"]


def test_a_copy_open_elsewhere_is_read_with_its_latest_reviews(diverged):
    """The desktop's quizact is still running: its newest reviews are in the write-ahead log."""
    laptop, desktop = diverged
    running = open_session(desktop)
    try:
        study(running, BACKPROP, LEARN, start=NOW + 8 * DAY)
        wal = desktop.with_name(desktop.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        s = open_session(laptop)
        try:
            report = s.merge_from(desktop, NOW + 40 * DAY)
        finally:
            s.close()
    finally:
        running.close()
    assert (PACK, BACKPROP) in report.recomputed
    assert events(laptop) == union(laptop, desktop)
    assert sched(card_rows(laptop)[BACKPROP]) == sched(card_rows(desktop)[BACKPROP])


def test_a_backup_that_cannot_be_written_stops_the_merge(diverged):
    laptop, desktop = diverged
    (laptop.parent / "backups").write_text("a file where the backups folder goes")
    message = refused(laptop, desktop)
    assert message.startswith(f"{desktop}: cannot back up this collection first (") and "nothing was merged" in message
