"""A leech is marked at the threshold and again every half threshold of lapses after it.

The rule is Anki's (``lapses >= threshold and (lapses - threshold) % max(threshold // 2, 1)
== 0``): with the threshold 8, lapses 8, 12, 16, …; with 4: 4, 6, 8, …; with 3 (half of it
rounds down to 1) and with 1: every lapse from the threshold on. The leech action "tag" keeps
the card in the queue, so each lapse is a real fsrs review of a review card.
"""

from __future__ import annotations

import pytest

from quizact.scheduling import Rating


def lapse_marks(collection, study, add_pack, now, threshold: int, lapses: int) -> list[int]:
    """Lapse a review card ``lapses`` times (relearning it in between); the lapse counts at
    which the rating said "leech"."""
    collection.update_settings(leech_threshold=threshold, leech_action="tag")
    add_pack(collection, 1)
    t = study.rate("p", "c0000", Rating.Easy, now).due  # straight to review
    marked = []
    for _ in range(lapses):
        result = study.rate("p", "c0000", Rating.Again, t)
        assert not result.suspended
        if result.leech:
            marked.append(result.lapses)
        t = study.rate("p", "c0000", Rating.Good, result.due).due  # relearned: a review card again
    return marked


@pytest.mark.parametrize(("threshold", "marks"), [
    (8, [8, 12, 16]),
    (4, [4, 6, 8, 10, 12, 14, 16]),
    (5, [5, 7, 9, 11, 13, 15]),
    (3, list(range(3, 17))),
    (1, list(range(1, 17))),
])  # fmt: skip
def test_a_leech_is_marked_again_every_half_threshold(collection, study, add_pack, now, threshold, marks):
    assert lapse_marks(collection, study, add_pack, now, threshold, 16) == marks
    card = collection.card("p", "c0000")
    assert card.lapses == 16 and card.flags == ("leech",) and not card.suspended
