"""New cards in curriculum order: a fresh collection over the built-in pack, studied through
the real Session, starts with what an activation function is and never shows a card before
every card of its topic's prerequisites; a pack update puts the cards in its new order.

The curriculum and each card's topic are read here straight from the YAML (not through the
loader whose order is under test)."""

from __future__ import annotations

import random
import textwrap
from datetime import timedelta

import yaml

from quizact.grading.card import expected_answers
from quizact.scheduling import Rating
from quizact.session import Session
from tests import inside
from tests.conftest import CONTENT

PACK = CONTENT / "nn-foundations"


def curriculum() -> tuple[dict[str, list[str]], dict[str, str]]:
    """(topic → its prerequisites, card id → its topic), from the YAML files."""
    head = yaml.safe_load((PACK / "pack.yaml").read_text())
    after = {t["topic"]: t.get("after", []) for t in head["curriculum"]}
    topic = {}
    for path in sorted((PACK / "cards").glob("*.yaml")):
        for card in yaml.safe_load(path.read_text()):
            topic[card["id"]] = card["topic"]
    return after, topic


def assert_prerequisites_met(order: list[str]) -> None:
    after, topic = curriculum()
    members: dict[str, set[str]] = {}
    for card, t in topic.items():
        members.setdefault(t, set()).add(card)
    seen: set[str] = set()
    for card in order:
        for before in after[topic[card]]:
            missing = members[before] - seen
            assert not missing, f"{card} ({topic[card]}) came before {sorted(missing)} of {before}"
        seen.add(card)


def study_new(session: Session, now, count: int) -> list[str]:
    """Study ``count`` cards as a learner would: answer each right, rate as proposed."""
    rng = random.Random(5)
    shown_ids = []
    for k in range(count):
        when = now + timedelta(seconds=20 * k)
        shown = session.next(when, rng)
        assert shown is not None, f"nothing to study after {k} cards"
        assert shown.card_id not in shown_ids  # a new card each time, not a learning card again
        shown_ids.append(shown.card_id)
        if shown.card.kind == "recall":
            session.rate(shown, Rating.Good, when)
        else:
            graded = session.submit(shown, expected_answers(shown.card, shown.variant), when)
            assert graded.verdict.status == "correct", shown.card_id
            session.rate(shown, graded.proposed, when, graded=graded)
    return shown_ids


def test_the_first_20_new_cards_of_a_fresh_collection_follow_the_curriculum(tmp_path, now):
    session = Session.open(tmp_path / "fresh.sqlite3", now)  # the built-in packs, as on first run
    try:
        assert list(session.packs) == ["nn-foundations"]
        assert session.settings().new_card_order == "pack" and session.settings().new_per_day >= 20
        first = study_new(session, now, 20)
        on_disk = inside.collection(session).query(
            "SELECT card_id FROM reviews WHERE mode = 'review' ORDER BY id")
    finally:
        session.close()
    assert [r[0] for r in on_disk] == first  # every one of them studied and committed
    _, topic = curriculum()
    # worked by hand from pack.yaml: "activations" has no prerequisite and its 8 cards come
    # first, in file order (concepts.yaml, then relu.yaml); then the two topics that need only
    # activations, "activation-values" and "nonlinearity", take turns
    assert first[0] == "activation-function-role"
    assert [topic[c] for c in first] == ["activations"] * 8 + ["activation-values", "nonlinearity"] * 6
    assert first[7] == "relu-definition" and first[8] == "neuron-forward"
    assert "backprop-chain-rule" not in first and "backprop-2-3-1-sigmoid-output" not in first
    assert_prerequisites_met(first)


def test_the_whole_pack_is_queued_in_curriculum_order(tmp_path, now):
    session = Session.open(tmp_path / "fresh.sqlite3", now)
    try:
        rows = inside.collection(session).query(
            "SELECT card_id FROM cards WHERE pack_id = 'nn-foundations' ORDER BY position")
    finally:
        session.close()
    order = [r[0] for r in rows]
    after, topic = curriculum()
    assert sorted(order) == sorted(topic)
    assert_prerequisites_met(order)
    # the last topics to open (experiments, deep-networks, debugging: all after
    # initialisation) come after everything they rest on and fill the end of the queue
    assert {topic[c] for c in order[-7:]} <= {"experiments", "deep-networks", "debugging"}


def write_pack(folder, head: str, cards: str) -> None:
    (folder / "cards").mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(textwrap.dedent(head))
    (folder / "cards" / "a.yaml").write_text(textwrap.dedent(cards))


def test_an_update_that_adds_a_curriculum_reorders_the_cards_not_yet_seen(tmp_path, now):
    src = tmp_path / "course"
    recall = "kind: recall, prompt: p, answer: a"
    write_pack(src, "pack: course\nname: Course\nversion: 1\n", "".join(
        f"- {{id: {c}, {recall}}}\n" for c in ["hard1", "hard2", "easy1", "easy2"]))
    db = tmp_path / "c.sqlite3"
    session = Session.open(db, now, sources=[src])
    try:
        first = study_new(session, now, 1)
        assert first == ["hard1"]  # file order without a curriculum
    finally:
        session.close()
    write_pack(src, """\
        pack: course
        name: Course
        version: 2
        curriculum:
          - {topic: easy}
          - {topic: hard, after: [easy]}
        """, "".join(f"- {{id: {c}, topic: {t}, {recall}}}\n" for c, t in
                     [("hard1", "hard"), ("hard2", "hard"), ("easy1", "easy"), ("new", "hard"), ("easy2", "easy")]))
    later = now + timedelta(minutes=1)
    session = Session.open(db, later, sources=[src])
    try:
        rest = study_new(session, later, 4)
        history = inside.collection(session).query("SELECT card_id FROM reviews ORDER BY id")
    finally:
        session.close()
    # easy before hard; within hard the file order, the added card in its place
    assert rest == ["easy1", "easy2", "hard2", "new"]
    assert [r[0] for r in history] == ["hard1", *rest]  # hard1 kept its review


def test_a_pack_that_gains_cards_keeps_its_place_before_a_later_pack(tmp_path, now):
    recall = "kind: recall, prompt: p, answer: a"
    first, second = tmp_path / "first", tmp_path / "second"
    write_pack(first, "pack: first\nname: First\nversion: 1\n",
               "".join(f"- {{id: {c}, {recall}}}\n" for c in ["a1", "a2", "a3"]))
    write_pack(second, "pack: second\nname: Second\nversion: 1\n",
               "".join(f"- {{id: {c}, {recall}}}\n" for c in ["b1", "b2"]))
    db = tmp_path / "c.sqlite3"
    Session.open(db, now, sources=[first, second]).close()
    write_pack(first, "pack: first\nname: First\nversion: 2\n",
               "".join(f"- {{id: {c}, {recall}}}\n" for c in ["a1", "new", "a2", "a3", "last"]))
    session = Session.open(db, now, sources=[first, second])
    try:
        rows = inside.collection(session).query("SELECT card_id, position FROM cards ORDER BY position")
        studied = study_new(session, now, 7)
    finally:
        session.close()
    assert [r[0] for r in rows] == ["a1", "new", "a2", "a3", "last", "b1", "b2"]
    assert len({r[1] for r in rows}) == 7  # positions stay unique
    assert studied == ["a1", "new", "a2", "a3", "last", "b1", "b2"]
